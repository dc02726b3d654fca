/*
 * netdev.h - the frame path of the virtio-net driver (drivers/net/net.c),
 * as pure code on memory the caller hands over: the receive and transmit
 * virtqueues on one side, the client's queue pair (include/freebeam/net.h)
 * on the other.  No system calls: each function returns what the caller
 * must notify (the device's queues, the client), so that the host tests
 * (tests/host/test_netdev.c) and the fuzzer (tests/fuzz/fuzz_netdev.c)
 * run the same lines as the PD.
 *
 * Buffers: head h of the receive queue owns the NETDEV_BUF_BYTES at
 * rx_buf + h * NETDEV_BUF_BYTES (device-writable), head h of the transmit
 * queue those at tx_buf + h * NETDEV_BUF_BYTES (device-readable).  Each
 * holds the virtio-net header (hdr_bytes: 10 on a legacy device, 12 with
 * VIRTIO_F_VERSION_1) and then the frame.  No offloads are negotiated, so
 * the header sent is all zeroes and the one received is skipped.
 *
 * Trust: the virtqueues check what the device writes (virtq.h); a used
 * length that leaves no frame of FB_NET_FRAME_MIN..FB_NET_FRAME_MAX bytes
 * is counted in rx_bad and dropped.  The client's queue is read through
 * queue.h's checks; a descriptor outside the data area is skipped and
 * counted (tx_refused), only indices that cannot be make the queue broken.
 */
#ifndef FREEBEAM_NETDEV_H
#define FREEBEAM_NETDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <freebeam/net.h>
#include <freebeam/queue.h>
#include "../virtio/virtq.h"

#define NETDEV_BUF_BYTES 2048u       /* per buffer: header and the largest frame */
#define NETDEV_HDR_LEGACY 10u
#define NETDEV_HDR_MODERN 12u

/* What the caller must do after a call (bits of the result). */
#define NETDEV_KICK_RX     1u        /* vio_notify queue 0: receive buffers added */
#define NETDEV_KICK_TX     2u        /* vio_notify queue 1: frames to send */
#define NETDEV_KICK_CLIENT 4u        /* fb_notify the client */
#define NETDEV_DEVICE_BROKEN 8u      /* stop: the device broke the virtqueue protocol (*why) */
#define NETDEV_CLIENT_BROKEN 16u     /* stop: the client's queue indices are corrupt */
#define NETDEV_FAULT_ASKED 32u       /* tests: the client sent a UDP datagram to fault_udp_port */

struct netdev {
    struct virtq rxq, txq;           /* virtqueues 0 and 1, set up by the caller */
    uint8_t *rx_buf, *tx_buf;        /* size * NETDEV_BUF_BYTES each, as mapped here */
    uint32_t rx_buf_pa, tx_buf_pa;   /* ... and their physical addresses */
    uint32_t hdr_bytes;
    struct fb_qpair *client;         /* tx: frames and answers to it, rx: its messages */
    struct fb_net_info info;         /* MAC, transport and counters */
    bool hello_owed;                 /* this instance's FB_NET_HELLO is not sent yet */
    uint16_t fault_udp_port;         /* tests: nonzero, a datagram the client sends there crashes us */
};

/* The bytes of a frame in a used receive buffer of used_len bytes, or 0 if
 * it holds no frame of an acceptable length. */
uint32_t netdev_rx_frame_len(uint32_t used_len, uint32_t hdr_bytes);

/* Give the device every receive buffer (after DRIVER_OK), and owe the
 * client this instance's FB_NET_HELLO (sent before anything else, as soon
 * as its queue has room: info must be filled in first). */
unsigned netdev_start(struct netdev *nd);

/* True if the frame is an IPv4 UDP datagram (first fragment) to port. */
bool netdev_is_udp_to(const uint8_t *frame, uint32_t len, uint16_t port);

/* After the device's interrupt: pass received frames to the client (or
 * drop and count them), give their buffers back to the device, and take
 * back the transmit buffers it is done with. */
unsigned netdev_device_done(struct netdev *nd, const char **why);

/* Take the client's messages while there is a free transmit buffer (and
 * room for an answer to an FB_NET_INFO request); asks the client for a
 * notification when its queue is empty or the driver is waiting for room.
 * A frame to fault_udp_port (if set) is consumed, not sent, and answered
 * with NETDEV_FAULT_ASKED: the caller crashes. */
unsigned netdev_client_pump(struct netdev *nd);

#endif
