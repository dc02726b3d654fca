/*
 * net_eth.c - eth0: lwIP's Ethernet interface over the queue pair of this
 * PD's channel `net` to the virtio-net driver PD (drivers/net; the
 * protocol is include/freebeam/net.h, the design docs/networking.md).
 *
 * At start (start.c, before /dev/chan is made, so the channel gets no
 * node) libos looks for the channel, registers its handler with the event
 * thread and asks the driver for its MAC (FB_NET_INFO).  The answer comes
 * only if the driver found a device; then, and only then, the stack starts
 * (if no socket started it already) and eth0 is added (net_if.c gives it
 * its address).  Without a device, or without the channel, nothing of this
 * runs: the PD boots as without a network.
 *
 * Receive: the event thread's handler takes every message waiting in the
 * queue under net_lock() and hands each frame, copied into a pbuf (the
 * driver's slot is shared memory: copy before parsing), to lwIP's Ethernet
 * input.  Transmit: lwIP's linkoutput copies the frame's pbufs straight
 * into the next slot of the queue to the driver (fb_queue_reserve).  A full queue answers ERR_MEM: TCP keeps the
 * segment and sends it again at its next timer tick (the queue is deeper
 * than a TCP window, so that is rare); the frame is counted in tx_full.
 * A driver that breaks the queue's indices ends eth0's traffic (one line
 * on the console); nothing it writes is trusted beyond the queue's checks
 * and the frame length bounds of net.h.
 *
 * A restart of the driver (its supervisor in Erlang, freebeam_pd:restart):
 * every instance greets us with FB_NET_HELLO before anything else, so a
 * HELLO once eth0 exists means a new instance, whose device was reset.
 * Then, under the lock: the MAC is taken from the HELLO (the answer we
 * would get by asking again), the handshake is resynchronised, every TCP
 * connection on eth0's address is aborted (its socket says ECONNRESET: the
 * frames in flight are lost, and a clean error beats a stall), and the
 * link goes down and up, which has DHCP confirm its lease (a static
 * address stays).  Frames the old instance queued before are taken first.
 */
#include "net.h"
#include "events.h"
#include <freebeam/kcall.h>
#include "native.h"
#include <string.h>
#include <freebeam/kapi.h>
#include <freebeam/net.h>
#include <freebeam/queue.h>
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"   /* tcp_txnow */
#include "netif/ethernet.h"

#define ETH_MTU 1500u
#define DRAIN_MAX 64u                    /* messages taken per lock */

static struct fb_qpair q;
static unsigned drv_ch;
static bool have_driver;                 /* the channel exists and its queues are sane */
static struct netif eth;
static bool eth_added;
static struct fb_net_info last_info;         /* the driver's last answer (MAC, counters) */
static uint32_t rx_refused, tx_full;         /* ours: messages we could not use, frames not queued */
static bool tx_waiting;                      /* a frame met a full queue since the last retry */
static uint32_t restarts;                    /* HELLOs of new driver instances since eth0 came */

static void queue_broken(void)
{
    net_changed();
    if (have_driver)
        libos_puts("libos: eth0: the net driver broke its queue; eth0 is down\n");
    have_driver = false;
    if (eth_added) {
        netif_set_link_down(&eth);
        netif_set_down(&eth);
    }
}

static err_t eth_linkoutput(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (!have_driver)
        return ERR_IF;
    if (p->tot_len < FB_NET_FRAME_MIN || p->tot_len > FB_NET_FRAME_MAX)
        return ERR_VAL;
    void *slot;
    int r = fb_queue_reserve(&q.tx, &slot);
    if (r == 0) {                        /* the frame straight into the slot (slot >= FB_NET_FRAME_MAX) */
        uint16_t len = pbuf_copy_partial(p, slot, p->tot_len, 0);
        r = fb_queue_publish(&q.tx, len, FB_NET_FRAME);
    }
    if (r == FB_QUEUE_FULL) {
        tx_full++;
        tx_waiting = true;
        fb_queue_want_space(&q.tx);      /* the driver's notification wakes the event thread */
        return ERR_MEM;
    }
    if (r < 0) {
        queue_broken();
        return ERR_IF;
    }
    if (fb_queue_notify_data(&q.tx))
        fb_notify(drv_ch);
    return ERR_OK;
}

static err_t eth_netif_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = 't';
    n->mtu = ETH_MTU;
    n->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(n->hwaddr, last_info.mac, ETH_HWADDR_LEN);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    n->output = etharp_output;
    n->linkoutput = eth_linkoutput;
    return ERR_OK;
}

/* Under the lock: one frame of len bytes (in shared memory) to lwIP. */
static void eth_frame(const uint8_t *data, uint32_t len)
{
    if (!eth_added || len < FB_NET_FRAME_MIN || len > FB_NET_FRAME_MAX) {
        rx_refused++;
        return;
    }
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p)
        return;                          /* no memory: dropped, as a NIC drops */
    pbuf_take(p, data, (u16_t)len);
    if (eth.input(p, &eth) != ERR_OK)
        pbuf_free(p);
}

/* Under the lock, eth0 up: a new instance of the driver said HELLO. */
static void driver_restarted(void)
{
    restarts++;
    libos_log_num("eth0: the net driver restarted; its TCP connections are reset, restarts", restarts);
    memcpy(eth.hwaddr, last_info.mac, ETH_HWADDR_LEN);
    if (fb_qpair_resync(&q))
        fb_notify(drv_ch);
    net_tcp_reset_local(netif_ip4_addr(&eth));
    netif_set_link_down(&eth);
    netif_set_link_up(&eth);             /* DHCP confirms its lease; a gratuitous ARP */
}

/* Under the lock: the driver's FB_NET_INFO answer or FB_NET_HELLO. */
static void eth_info(const uint8_t *data, uint32_t len, bool hello)
{
    if (len != sizeof last_info) {
        rx_refused++;
        return;
    }
    memcpy(&last_info, data, sizeof last_info);
    net_changed();                       /* rare: wake whoever waits (eth_event wakes nobody else) */
    if (eth_added && hello)
        driver_restarted();
    if (eth_added)
        return;
    if (!netif_add(&eth, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, eth_netif_init, ethernet_input)) {
        libos_puts("libos: eth0: lwIP refused the interface\n");
        return;
    }
    eth_added = true;
    net_if_eth_added(&eth);
}

/* Under the lock: take what the driver sent, at most DRAIN_MAX messages.
 * True if more may be waiting. */
static bool drain_locked(void)
{
    unsigned n = 0;
    struct fb_qmsg m;
    int r = 0;
    while (have_driver && n < DRAIN_MAX && (r = fb_queue_peek(&q.rx, &m)) == 0) {
        if (m.cookie == FB_NET_FRAME)
            eth_frame(m.data, m.len);
        else if (m.cookie == FB_NET_INFO || m.cookie == FB_NET_HELLO)
            eth_info(m.data, m.len, m.cookie == FB_NET_HELLO);
        else
            rx_refused++;
        fb_queue_consume(&q.rx, &m);
        n++;
    }
    if (r == FB_QUEUE_CORRUPT)
        queue_broken();
    if (n && have_driver && fb_queue_notify_space(&q.rx))
        fb_notify(drv_ch);
    return n == DRAIN_MAX;
}

/* The event thread: the driver sent something, or made room. */
static void eth_event(unsigned ch)
{
    (void)ch;
    while (have_driver) {
        int pending = fb_queue_pending(&q.rx);
        if (pending == 0) {
            if (fb_queue_want_data(&q.rx))
                break;
            continue;
        }
        if (net_lock())
            return;                      /* no memory for the stack: frames wait (the driver drops newer ones) */
        if (pending < 0)
            queue_broken();
        else
            drain_locked();
        net_unlock();
    }
    if (!have_driver)
        return;
    /* Room in the queue to the driver: TCP segments refused for a full
     * queue go out now rather than at the next timer tick. */
    if (eth_added && tx_waiting && fb_queue_free(&q.tx) > 0 && net_lock() == 0) {
        tx_waiting = false;
        tcp_txnow();
        net_unlock();
    }
}

void libos_net_eth_init(void)
{
    const struct fb_pdinfo_chan *ci = libos_chan_queue("net", &q);
    if (!ci)
        return;
    if (q.tx.slot < FB_NET_SLOT_MIN || q.rx.slot < FB_NET_SLOT_MIN) {
        libos_log_num("eth0: the net queue's slots are smaller than a frame; no eth0, slot bytes", q.tx.slot);
        return;
    }
    if (libos_events_on(ci->id, eth_event) < 0)
        return;
    libos_events_self_waking(ci->id);    /* net_unlock wakes waiters when a socket changed */
    drv_ch = ci->id;
    have_driver = true;
    fb_qpair_resync(&q);                 /* a restarted PD takes over the old queues */
    if (fb_queue_send(&q.tx, NULL, 0, FB_NET_INFO) < 0) {
        queue_broken();
        return;
    }
    fb_queue_notify_data(&q.tx);
    fb_notify(drv_ch);
}

bool net_eth_counters(struct fb_net_info *drv, uint32_t *refused, uint32_t *full)
{
    if (!eth_added)
        return false;
    *drv = last_info;
    *refused = rx_refused;
    *full = tx_full;
    return true;
}
