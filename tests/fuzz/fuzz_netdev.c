/*
 * fuzz_netdev.c - libFuzzer target of the virtio-net driver's frame path
 * (drivers/net/netdev.c), which parses what two untrusted parties write:
 * the device (used elements of the receive and transmit virtqueues, their
 * lengths) and the client (the descriptors, indices and cookies of its
 * queue).  The input is a list of 12-byte steps, each one of:
 *   0 the device fills a receive buffer and publishes a used element (head,
 *     length and used index from the input), then the driver takes it;
 *   1 the same on the transmit queue;
 *   2 the client publishes a message with any descriptor words (offset,
 *     length, cookie) and any tail, then the driver pumps;
 *   3 the client takes what the driver sent it (and asks to be told).
 * Checked: every message the driver gives the client is a frame of
 * FB_NET_FRAME_MIN..FB_NET_FRAME_MAX bytes or an info answer, after exactly
 * one HELLO that comes first; the test crash (fault_udp_port, set by the
 * first byte) is asked for only when set; every
 * transmit buffer in flight holds a header and a frame of a valid length;
 * a run ends when the driver reports a broken device or client or asks
 * for its crash (as the PD would exit).  ASan/UBSan catch any access outside the buffers or the
 * queue region (netdev_rig.h keeps them in separate arrays).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "../host/netdev_rig.h"

static struct netdev_rig rig;
static bool hello_seen;                                     /* the client took the driver's HELLO */

static uint32_t word(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void device_step(struct virtq *q, uint8_t *bufs, const uint8_t *p)
{
    uint32_t head = p[1] % (RIG_QSIZE + 1);                 /* sometimes no such head */
    uint32_t len = (uint32_t)p[2] | (uint32_t)p[3] << 8;
    if (bufs && head < RIG_QSIZE)
        memset(bufs + head * NETDEV_BUF_BYTES, p[4], NETDEV_BUF_BYTES);
    device_use(q, head, len);
    if (p[5] & 1)
        q->used[1] = (uint16_t)(p[6] | p[7] << 8);          /* any used index */
}

static void client_step(const uint8_t *p)
{
    struct fb_queue *t = &rig.cli.tx;
    uint32_t tail = t->c->tail;
    struct fb_qdesc *d = &t->desc[tail & t->mask];
    d->offset = (p[1] & 1) ? word(p + 2) : (tail & t->mask) * t->slot;
    d->len = (uint32_t)p[6] | (uint32_t)p[7] << 8;
    d->cookie = p[8] & 3;
    t->c->tail = (p[9] & 0x10) ? word(p + 8) : tail + 1;    /* sometimes any tail */
}

static void client_takes(void)
{
    static uint8_t msg[RIG_SLOT];
    uint32_t cookie;
    int n;
    while ((n = fb_queue_recv(&rig.cli.rx, msg, sizeof msg, &cookie)) >= 0) {
        bool info = (cookie == FB_NET_INFO || cookie == FB_NET_HELLO) && n == (int)sizeof(struct fb_net_info);
        if (!(cookie == FB_NET_FRAME && n >= (int)FB_NET_FRAME_MIN && n <= (int)FB_NET_FRAME_MAX) && !info)
            abort();
        if ((cookie == FB_NET_HELLO) == hello_seen)         /* one HELLO, before anything else */
            abort();
        hello_seen = true;
    }
    if (n != FB_QUEUE_EMPTY)
        abort();                                            /* the driver's side is never corrupt */
    fb_queue_want_data(&rig.cli.rx);
}

static void check_tx(void)
{
    for (uint32_t h = 0; h < RIG_QSIZE; h++) {
        if (!rig.nd.txq.desc_busy[h])
            continue;
        uint32_t len = rig.nd.txq.desc[h].len;
        if (len < rig.nd.hdr_bytes + FB_NET_FRAME_MIN || len > rig.nd.hdr_bytes + FB_NET_FRAME_MAX ||
            rig.nd.txq.desc[h].flags != 0 || rig.nd.txq.desc[h].addr != RIG_TX_PA + h * NETDEV_BUF_BYTES)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = "";
    rig_init(&rig, size && (data[0] & 1) ? NETDEV_HDR_MODERN : NETDEV_HDR_LEGACY);
    rig.nd.fault_udp_port = size && (data[0] & 2) ? 9999 : 0;
    hello_seen = false;
    netdev_start(&rig.nd);
    for (size_t i = 1; i + 12 <= size; i += 12) {
        const uint8_t *p = data + i;
        unsigned r = 0;
        switch (p[0] & 3) {
        case 0:
            device_step(&rig.nd.rxq, rig_rx_buf, p);
            r = netdev_device_done(&rig.nd, &why);
            break;
        case 1:
            device_step(&rig.nd.txq, NULL, p);
            r = netdev_device_done(&rig.nd, &why);
            break;
        case 2:
            client_step(p);
            r = netdev_client_pump(&rig.nd);
            break;
        default:
            client_takes();
            break;
        }
        if ((r & NETDEV_FAULT_ASKED) && !rig.nd.fault_udp_port)
            abort();
        if (r & (NETDEV_DEVICE_BROKEN | NETDEV_CLIENT_BROKEN | NETDEV_FAULT_ASKED)) {
            if ((r & NETDEV_DEVICE_BROKEN) && !why[0])
                abort();
            return 0;                                       /* the PD stops here */
        }
        check_tx();
        if (rig.nd.rxq.in_flight > RIG_QSIZE || rig.nd.txq.in_flight > RIG_QSIZE)
            abort();
    }
    return 0;
}
