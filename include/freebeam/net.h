/*
 * net.h - the protocol of the virtio-net driver PD (drivers/net) with its
 * one client, on the queue pair (queue.h) of the driver's channel `net`.
 * Header-only and freestanding: the driver, its clients (systems/netping,
 * later the TCP/IP stack) and the host tests compile the same lines.
 * docs/native-components.md, "The virtio-net driver", says it in prose.
 *
 * Every message's cookie says what it is:
 *   FB_NET_FRAME  both ways: one Ethernet frame, destination MAC first, no
 *                 FCS, FB_NET_FRAME_MIN..FB_NET_FRAME_MAX bytes.  The
 *                 driver copies each received frame into the next slot of
 *                 the client's queue; when that queue is full it drops the
 *                 frame and counts it (rx_dropped), as a NIC whose ring is
 *                 full does, and never overwrites a message.  A frame the
 *                 client sends waits in its queue until a transmit buffer is
 *                 free (nothing is dropped that way).
 *   FB_NET_INFO   client -> driver: a request (empty); the driver answers
 *                 with one FB_NET_INFO message holding a struct fb_net_info
 *                 (the MAC and the counters), as soon as the client's queue
 *                 has room.  A client that must know its frames left (before
 *                 it powers off) asks until tx_done equals tx_frames.
 *   FB_NET_HELLO  driver -> client: a struct fb_net_info, sent once by every
 *                 instance of the driver that found a device, before any
 *                 frame or FB_NET_INFO answer of that instance (it waits for
 *                 room in the client's queue; received frames are dropped
 *                 meanwhile).  A client that already had a HELLO or an INFO
 *                 answer learns from the next HELLO that the driver was
 *                 restarted: the device was reset, frames in flight are lost
 *                 (libos aborts eth0's TCP connections then, net_eth.c).
 * Anything else from the client (another cookie, a frame of a bad length, a
 * descriptor whose offset or length leaves the data area) is refused:
 * consumed, counted in tx_refused, never sent.
 *
 * Both directions need slots of at least FB_NET_SLOT_MIN bytes.
 */
#ifndef FREEBEAM_NET_H
#define FREEBEAM_NET_H

#include <stdint.h>

#define FB_NET_FRAME_MIN 14u         /* an Ethernet header */
#define FB_NET_FRAME_MAX 1518u       /* header, 1500 bytes of payload, a VLAN tag */
#define FB_NET_SLOT_MIN 1520u        /* FB_NET_FRAME_MAX rounded up to 8 */

#define FB_NET_FRAME 0u              /* cookies */
#define FB_NET_INFO  1u
#define FB_NET_HELLO 2u

struct fb_net_info {
    uint8_t mac[6];                  /* the device's MAC address */
    uint8_t transport;               /* virtio-mmio version: 1 legacy, 2 modern */
    uint8_t slot;                    /* its virtio-mmio slot, 0..31 */
    uint32_t rx_frames;              /* frames given to the client */
    uint32_t rx_dropped;             /* frames dropped: the client's queue was full */
    uint32_t rx_bad;                 /* frames dropped: shorter or longer than a frame can be */
    uint32_t tx_frames;              /* frames handed to the device */
    uint32_t tx_done;                /* ... and sent by it (tx_frames when none is in flight) */
    uint32_t tx_refused;             /* client messages refused */
};
_Static_assert(sizeof(struct fb_net_info) == 32, "struct fb_net_info layout");

#endif
