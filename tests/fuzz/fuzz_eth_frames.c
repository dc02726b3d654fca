/*
 * fuzz_eth_frames.c - libFuzzer target for eth0's frame path: what the net
 * driver PD writes into the queue to the BEAM (libos/net_eth.c's consumer
 * with its handling of a restarted driver's HELLO,
 * then lwIP's Ethernet, ARP, IPv4 with reassembly, ICMP, UDP and TCP input,
 * all of it compiled for the host from Debian's lwIP with our lwipopts.h).
 * The driver is played by this file: each input is a run of messages
 * (cookie byte, length of two bytes, bytes), put on the driver's end of a
 * real queue pair (include/freebeam/queue.h) and drained by net_eth.c's
 * event handler, with the clock moved between runs so that lwIP's timers
 * (ARP, reassembly, TCP) fire too.  eth0 is 10.0.2.15/24 (FREEBEAM_IPV4),
 * with a UDP socket on 7001 and a TCP listener on 7000 so that segments
 * reach the pcbs.  ASan and UBSan watch every byte; lwIP's own assertions
 * abort.  Frames the stack sends are taken off the queue and dropped.
 * Seeds: build/fuzz/eth-corpus/ (tests/host/host.mk).
 */
#include "../host/libos_host.h"
#include <freebeam/kapi.h>
#include <freebeam/net.h>
#include <freebeam/queue.h>
#include <stdio.h>
#include "../../libos/net.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "lwip/priv/tcp_priv.h"   /* tcp_netif_ip_addr_changed */

/* ---- what net_eth.c and net_if.c need from the rest of libos ---- */
#define LIBOS_EVENTS_H
#define LIBOS_NATIVE_H
typedef void (*libos_event_fn)(unsigned ch);
static libos_event_fn eth_handler;
static int libos_events_on(unsigned ch, libos_event_fn fn) { (void)ch; eth_handler = fn; return 0; }
static void libos_events_self_waking(unsigned ch) { (void)ch; }
static int fb_notify(unsigned ch) { (void)ch; return 0; }
void libos_log_num(const char *what, unsigned long n) { (void)what; (void)n; }
void libos_file_changed(void) {}
bool libos_user_ok(const void *p, size_t len, int write) { (void)p; (void)len; (void)write; return true; }
const char *libos_boot_env(const char *key)
{
    return strcmp(key, "FREEBEAM_IPV4") == 0 ? "10.0.2.15/24,10.0.2.2" : NULL;
}

/* net_tcp.c's, without its sockets (the listener's connections here have
 * none): abort the connections on eth0's address. */
void net_tcp_reset_local(const ip4_addr_t *local)
{
    tcp_netif_ip_addr_changed(local, NULL);
}

static uint8_t region[2 * (FB_QUEUE_CTRL_BYTES + 64 * (FB_QUEUE_DESC_BYTES + 2048))] __attribute__((aligned(64)));
static struct fb_qpair drv;                 /* the driver's end */
static struct fb_pdinfo_chan chan_entry;
struct fb_pdinfo_chan;
static const struct fb_pdinfo_chan *libos_chan_queue(const char *name, struct fb_qpair *q)
{
    if (strcmp(name, "net") != 0 || !fb_qpair_attach(q, region, sizeof region, 1, 64, 2048))
        return NULL;
    return &chan_entry;
}

/* ---- net_stack.c's part: the lock, the clock, the heap ---- */
unsigned char *libos_net_heap;
static uint32_t now_ms;
uint32_t sys_now(void) { return now_ms; }
uint32_t libos_net_rand(void) { static uint32_t x = 1; return x = x * 1103515245u + 12345u; }
void libos_net_assert(const char *msg, int line, const char *file)
{
    fprintf(stderr, "lwIP assertion: %s at %s:%d\n", msg, file, line);
    abort();
}
static bool started;
int net_lock(void)
{
    if (!started) {
        started = true;
        libos_net_heap = aligned_alloc(64, MEM_SIZE + 4096);
        lwip_init();
        net_if_init();
    }
    return 0;
}
void net_unlock(void)
{
    netif_poll_all();
    sys_check_timeouts();
}
void net_changed(void) {}

#include "../../libos/net_conf.c"
#include "../../libos/net_ifinfo.c"
#include "../../libos/net_if.c"
#include "../../libos/net_eth.c"
#include "../../libos/net_chksum.c"   /* LWIP_CHKSUM */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg; (void)err;
    if (!p) {
        tcp_close(pcb);
        return ERR_OK;
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    tcp_recv(pcb, on_recv);
    return ERR_OK;
}

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)arg;
    udp_sendto(pcb, p, addr, port);            /* an answer goes out through linkoutput too */
    pbuf_free(p);
}

/* The driver's side: drop what the stack sent, answer nothing. */
static void drain_driver(void)
{
    struct fb_qmsg m;
    while (fb_queue_peek(&drv.rx, &m) == 0)
        fb_queue_consume(&drv.rx, &m);
}

static void setup(void)
{
    if (!fb_qpair_attach(&drv, region, sizeof region, 0, 64, 2048))
        abort();
    libos_net_eth_init();                      /* asks for the MAC */
    struct fb_net_info info;
    memset(&info, 0, sizeof info);
    memcpy(info.mac, "\x52\x54\x00\x12\x34\x56", 6);
    if (fb_queue_send(&drv.tx, &info, sizeof info, FB_NET_INFO) != 0)
        abort();
    eth_handler(0);                            /* eth0 comes up, 10.0.2.15 */
    if (!eth_added)
        abort();
    net_lock();
    struct tcp_pcb *l = tcp_new();
    if (!l || tcp_bind(l, IP4_ADDR_ANY, 7000) != ERR_OK || !(l = tcp_listen(l)))
        abort();
    tcp_accept(l, on_accept);
    struct udp_pcb *u = udp_new();
    if (!u || udp_bind(u, IP4_ADDR_ANY, 7001) != ERR_OK)
        abort();
    udp_recv(u, on_datagram, NULL);
    net_unlock();
    drain_driver();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup();
        ready = true;
    }
    size_t at = 0;
    while (at + 3 <= size) {
        uint32_t cookie = data[at] & 3u;       /* FRAME, INFO, HELLO (a restart), or an unknown cookie */
        uint32_t len = (uint32_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        if (len > size - at)
            len = (uint32_t)(size - at);
        if (len > 2048)
            len = 2048;
        if (fb_queue_send(&drv.tx, data + at, len, cookie) == FB_QUEUE_FULL) {
            eth_handler(0);
            drain_driver();
            fb_queue_send(&drv.tx, data + at, len, cookie);
        }
        at += len;
        now_ms += 100;                         /* lwIP's timers fire too */
    }
    eth_handler(0);
    drain_driver();
    return 0;
}
