/*
 * netdev_rig.h - a virtio-net driver core (drivers/net/netdev.h) on plain
 * host memory, with the device's and the client's sides played by the
 * test: two virtqueues of RIG_QSIZE, their buffers, and a queue pair of
 * depth RIG_DEPTH whose driver end is nd.client.  Shared by
 * tests/host/test_netdev.c and tests/fuzz/fuzz_netdev.c.  The buffers and
 * the queue region are separate arrays, so that ASan sees any access
 * beyond one of them.
 */
#ifndef FB_TEST_NETDEV_RIG_H
#define FB_TEST_NETDEV_RIG_H

#include <stdlib.h>
#include <string.h>
#include "../../drivers/net/netdev.h"
#include "virtq_device.h"

#define RIG_QSIZE 8u
#define RIG_DEPTH 4u
#define RIG_SLOT FB_NET_SLOT_MIN
#define RIG_REGION_BYTES (2u * (uint32_t)FB_QUEUE_HALF_BYTES(RIG_DEPTH, RIG_SLOT))
#define RIG_RX_PA 0x40000000u
#define RIG_TX_PA 0x40100000u

static _Alignas(4096) uint8_t rig_rxq_mem[VIRTQ_BYTES(RIG_QSIZE)];
static _Alignas(4096) uint8_t rig_txq_mem[VIRTQ_BYTES(RIG_QSIZE)];
static uint8_t rig_rx_buf[RIG_QSIZE * NETDEV_BUF_BYTES];
static uint8_t rig_tx_buf[RIG_QSIZE * NETDEV_BUF_BYTES];
static _Alignas(64) uint8_t rig_region[RIG_REGION_BYTES];

struct netdev_rig {
    struct netdev nd;
    struct fb_qpair drv, cli;        /* the queue pair from the driver's and the client's end */
};

/* A fresh driver core with hdr_bytes of header, its queue pair empty. */
static inline void rig_init(struct netdev_rig *r, uint32_t hdr_bytes)
{
    memset(r, 0, sizeof *r);
    memset(rig_region, 0, sizeof rig_region);
    memset(rig_rx_buf, 0, sizeof rig_rx_buf);
    memset(rig_tx_buf, 0, sizeof rig_tx_buf);
    if (!virtq_init(&r->nd.rxq, rig_rxq_mem, RIG_QSIZE) || !virtq_init(&r->nd.txq, rig_txq_mem, RIG_QSIZE) ||
        !fb_qpair_attach(&r->drv, rig_region, RIG_REGION_BYTES, 0, RIG_DEPTH, RIG_SLOT) ||
        !fb_qpair_attach(&r->cli, rig_region, RIG_REGION_BYTES, 1, RIG_DEPTH, RIG_SLOT))
        abort();
    r->nd.rx_buf = rig_rx_buf;
    r->nd.tx_buf = rig_tx_buf;
    r->nd.rx_buf_pa = RIG_RX_PA;
    r->nd.tx_buf_pa = RIG_TX_PA;
    r->nd.hdr_bytes = hdr_bytes;
    r->nd.client = &r->drv;
}

#endif
