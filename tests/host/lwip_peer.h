/*
 * lwip_peer.h - what the host tests of lwIP (Debian's 2.1.3 with our
 * patches and lwipopts.h, compiled for the host: host.mk) share: what
 * lwipopts.h and arch/cc.h ask of libos (a clock the test moves), an
 * interface 10.0.2.15 whose output is kept, and a peer 10.0.2.2 that
 * sends TCP segments at the IP level (no Ethernet, checksums off on that
 * interface).  Include once, in the test's only source file.
 */
#ifndef TESTS_HOST_LWIP_PEER_H
#define TESTS_HOST_LWIP_PEER_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/priv/tcp_priv.h"

/* ---- what lwipopts.h and arch/cc.h ask of libos ---- */
unsigned char *libos_net_heap;
static uint32_t now_ms;
uint32_t sys_now(void) { return now_ms; }
uint32_t libos_net_rand(void) { return 12345; }
void libos_net_assert(const char *msg, int line, const char *file)
{
    fprintf(stderr, "lwIP assertion: %s at %s:%d\n", msg, file, line);
    abort();
}

/* ---- the interface: 10.0.2.15, every segment lwIP sends is kept ---- */
#define GUEST_IP 0x0f02000au             /* 10.0.2.15, as stored (network order) */
#define PEER_IP 0x0202000au              /* 10.0.2.2 */

struct seg { uint8_t flags; uint32_t seq, ack; uint16_t len; };
static struct seg sent[16];
static int nsent;

static uint32_t be32_at(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static err_t capture(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
    (void)n, (void)dst;
    uint8_t b[60];
    pbuf_copy_partial(p, b, sizeof b, 0);
    const uint8_t *t = b + (b[0] & 15) * 4;
    if (nsent < 16) {
        sent[nsent].flags = t[13];
        sent[nsent].seq = be32_at(t + 4);
        sent[nsent].ack = be32_at(t + 8);
        sent[nsent].len = (uint16_t)(p->tot_len - (b[0] & 15) * 4 - (t[12] >> 4) * 4);
        nsent++;
    }
    return ERR_OK;
}

static err_t if_init(struct netif *n)
{
    n->output = capture;
    n->mtu = 1500;
    NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
    return ERR_OK;
}

static struct netif nif;

/* lwIP up, with the interface as its default. */
static void peer_setup(void)
{
    static unsigned char heap[MEM_SIZE + 4096] __attribute__((aligned(8)));
    libos_net_heap = heap;
    lwip_init();
    ip4_addr_t ip = { GUEST_IP }, mask = { 0x00ffffffu }, gw = { PEER_IP };
    netif_add(&nif, &ip, &mask, &gw, NULL, if_init, ip4_input);
    netif_set_default(&nif);
    netif_set_up(&nif);
    netif_set_link_up(&nif);
}

/* The peer sends a TCP segment from its port from to our port to, with
 * len bytes of data (at most 64). */
static void peer_sends(uint16_t from, uint16_t to, uint8_t flags, uint32_t seq, uint32_t ack,
                       const void *data, uint16_t len)
{
    uint8_t b[40 + 64] = { 0 };
    if (len > 64)
        abort();
    b[0] = 0x45;
    b[2] = (uint8_t)((40 + len) >> 8);
    b[3] = (uint8_t)(40 + len);
    b[8] = 64;
    b[9] = 6;                            /* TCP */
    uint32_t src = PEER_IP, dst = GUEST_IP;
    memcpy(b + 12, &src, 4);
    memcpy(b + 16, &dst, 4);
    uint8_t *t = b + 20;
    t[0] = (uint8_t)(from >> 8), t[1] = (uint8_t)from;
    t[2] = (uint8_t)(to >> 8), t[3] = (uint8_t)to;
    for (int i = 0; i < 4; i++) {
        t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    t[12] = 5 << 4;
    t[13] = flags;
    t[14] = 0xff, t[15] = 0xff;          /* window */
    if (len)
        memcpy(t + 20, data, len);
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)(40 + len), PBUF_POOL);
    pbuf_take(p, b, (u16_t)(40 + len));
    if (ip4_input(p, &nif) != ERR_OK)
        pbuf_free(p);
}

/* Time passes: lwIP's TCP timers run as often as they would in ms. */
static inline void time_passes(uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += TCP_TMR_INTERVAL) {
        now_ms += TCP_TMR_INTERVAL;
        tcp_tmr();
    }
}

#endif
