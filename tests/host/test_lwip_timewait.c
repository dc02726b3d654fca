/*
 * test_lwip_timewait.c - lwIP (Debian's 2.1.3 with our patches and our
 * lwipopts.h, compiled for the host) against a client that reuses its port
 * while our side of its last connection is still in TIME-WAIT
 * (third_party/lwip/patches/0003-timewait-new-syn.patch): a new SYN with a
 * higher sequence number opens a new connection, as on Linux; an old one
 * does not.  bench/net saw HTTP GETs stall for a minute without it.
 *
 * The test plays the client at the IP level on an interface whose output
 * it captures (no Ethernet, checksums off on that interface).
 */
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

static int passes, failures;
#define CHECK(cond, what)                                                    \
    do {                                                                     \
        bool ok_ = (cond);                                                   \
        printf("%s: %s\n", ok_ ? "ok" : "FAIL", what);                       \
        failures += !ok_;                                                    \
        passes += ok_;                                                       \
    } while (0)

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
#define CLIENT_IP 0x0202000au            /* 10.0.2.2 */
#define SERVER_PORT 8080
#define CLIENT_PORT 54190

struct seg { uint8_t flags; uint32_t seq, ack; };
static struct seg sent[16];
static int nsent;

static err_t capture(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
    (void)n, (void)dst;
    uint8_t b[60];
    pbuf_copy_partial(p, b, sizeof b, 0);
    const uint8_t *t = b + (b[0] & 15) * 4;
    if (nsent < 16) {
        sent[nsent].flags = t[13];
        sent[nsent].seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
        sent[nsent].ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
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

/* The client sends a TCP segment without data to SERVER_PORT. */
static void client_sends(uint8_t flags, uint32_t seq, uint32_t ack)
{
    uint8_t b[40] = { 0 };
    b[0] = 0x45;
    b[3] = 40;
    b[8] = 64;
    b[9] = 6;                            /* TCP */
    uint32_t src = CLIENT_IP, dst = GUEST_IP;
    memcpy(b + 12, &src, 4);
    memcpy(b + 16, &dst, 4);
    uint8_t *t = b + 20;
    t[0] = CLIENT_PORT >> 8, t[1] = CLIENT_PORT & 0xff;
    t[2] = SERVER_PORT >> 8, t[3] = SERVER_PORT & 0xff;
    for (int i = 0; i < 4; i++) {
        t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    t[12] = 5 << 4;
    t[13] = flags;
    t[14] = 0xff, t[15] = 0xff;          /* window */
    struct pbuf *p = pbuf_alloc(PBUF_RAW, sizeof b, PBUF_POOL);
    pbuf_take(p, b, sizeof b);
    if (ip4_input(p, &nif) != ERR_OK)
        pbuf_free(p);
}

static struct tcp_pcb *accepted;
static int accepts;

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg, (void)err;
    accepted = pcb;
    accepts++;
    return ERR_OK;
}

static int tw_count(void)
{
    int n = 0;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p; p = p->next)
        n++;
    return n;
}

/* One connection from CLIENT_PORT with the client's first sequence number
 * iss, closed by our side first (held: only shut for writing, still ours):
 * TIME-WAIT afterwards.  True if it went so. */
static bool connect_and_end(uint32_t iss, bool held)
{
    nsent = 0;
    int before = accepts;
    client_sends(TCP_SYN, iss, 0);
    if (nsent != 1 || sent[0].flags != (TCP_SYN | TCP_ACK) || sent[0].ack != iss + 1)
        return false;
    uint32_t our = sent[0].seq + 1;
    client_sends(TCP_ACK, iss + 1, our);
    if (accepts != before + 1)
        return false;
    nsent = 0;
    static int owner;
    if (held) {
        tcp_arg(accepted, &owner);
        tcp_shutdown(accepted, 0, 1);    /* our FIN, the pcb still ours */
    } else {
        tcp_close(accepted);             /* our FIN */
    }
    if (nsent != 1 || !(sent[0].flags & TCP_FIN))
        return false;
    client_sends(TCP_FIN | TCP_ACK, iss + 1, our + 1);
    return tcp_tw_pcbs != NULL;
}

int main(void)
{
    static unsigned char heap[MEM_SIZE + 4096] __attribute__((aligned(8)));
    libos_net_heap = heap;
    lwip_init();
    ip4_addr_t ip = { GUEST_IP }, mask = { 0x00ffffffu }, gw = { CLIENT_IP };
    netif_add(&nif, &ip, &mask, &gw, NULL, if_init, ip4_input);
    netif_set_default(&nif);
    netif_set_up(&nif);
    netif_set_link_up(&nif);
    struct tcp_pcb *l = tcp_new();
    tcp_bind(l, IP_ADDR_ANY, SERVER_PORT);
    l = tcp_listen(l);
    tcp_accept(l, on_accept);

    CHECK(connect_and_end(1000, false), "a connection our side closed first is in TIME-WAIT");

    /* The client's port again, its sequence numbers far above the old ones
     * (outside the old window, as QEMU's network picks them). */
    nsent = 0;
    client_sends(TCP_SYN, 1000 + 36000000u, 0);
    CHECK(nsent == 1 && sent[0].flags == (TCP_SYN | TCP_ACK) && sent[0].ack == 1000 + 36000000u + 1,
          "a new SYN from the same port is answered with a SYN-ACK");
    CHECK(tw_count() == 0, "... and the TIME-WAIT connection is gone");
    client_sends(TCP_ACK, 1000 + 36000001u, sent[0].seq + 1);
    CHECK(accepts == 2, "... and the new connection is accepted");
    tcp_abort(accepted);

    /* Just above the old window's start, too (in the old window: lwIP
     * used to reset). */
    CHECK(connect_and_end(5000, false), "a second connection closed first is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 5000 + 10, 0);
    CHECK(nsent == 1 && sent[0].flags == (TCP_SYN | TCP_ACK), "a new SYN inside the old window opens one too");
    client_sends(TCP_ACK, 5000 + 11, sent[0].seq + 1);
    CHECK(accepts == 4, "... and it is accepted");
    tcp_abort(accepted);

    /* A SYN that is not above the old connection's numbers (an old
     * duplicate) leaves TIME-WAIT as it is. */
    CHECK(connect_and_end(900000, false), "a third connection closed first is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 900000 - 50, 0);
    CHECK(tw_count() == 1 && accepts == 5, "an old SYN does not open a connection");
    CHECK(nsent == 1 && !(sent[0].flags & TCP_SYN), "... and is answered with an ACK of the old one");

    /* A TIME-WAIT pcb the application still holds (shut, not closed) is
     * not freed under it, whatever the SYN. */
    tcp_tw_pcbs = NULL;                  /* forget the old duplicate's (lwIP would free it later) */
    CHECK(connect_and_end(2000000, true), "a connection shut for writing, still held, is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 2000000 + 36000000u, 0);
    CHECK(tw_count() == 1 && accepts == 6, "a new SYN leaves a held TIME-WAIT connection alone");

    printf("test_lwip_timewait: %d passed, %d failed\n", passes, failures);
    return failures != 0;
}
