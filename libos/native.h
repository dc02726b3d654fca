/*
 * native.h - the native components of the system as files (private to
 * libos): /dev/chan/NAME for each named channel of this PD (dev_chan.c) and
 * /dev/pd/NAME for each other PD (dev_pd.c), as include/freebeam/fbdev.h
 * and docs/native-components.md describe them.
 */
#ifndef LIBOS_NATIVE_H
#define LIBOS_NATIVE_H

#include <stdint.h>

struct vnode;

/* At start, from vfs_dev_init: make the nodes under /dev (dir) and register
 * the channels' notification handlers with the event thread. */
void libos_native_init(struct vnode *devdir);

/* The event thread got a fault record of a PD this PD monitors
 * (FB_EV_FAULT: r1..r6 = pd, tid, kind, addr, pc, status). */
void libos_pd_event(uint32_t pd, uint32_t tid, uint32_t kind, uint32_t addr, uint32_t pc,
                    uint32_t status);

/* dev_chan.c: the PD `pd` is about to restart (stopped now): reset the
 * notification handshake of the queues shared with it. */
void libos_chan_peer_stopped(uint32_t pd);
/* ... and it runs again: every descriptor of a channel to it reports
 * ECONNRESET once; the peer is told to look at its queues. */
void libos_chan_peer_restarted(uint32_t pd);

/* dev_chan.c: the channel called name to another PD, with a queue pair,
 * attached to *q (this PD's end): its entry, or NULL when there is none or
 * its region does not fit.  For the parts of libos that serve a channel
 * themselves (net_eth.c); they register a handler before /dev/chan is
 * made, so the channel gets no node. */
struct fb_pdinfo_chan;
struct fb_qpair;
const struct fb_pdinfo_chan *libos_chan_queue(const char *name, struct fb_qpair *q);

/* The nodes (dev_pd.c and dev_chan.c). */
void libos_pd_devices(struct vnode *devdir);
void libos_chan_devices(struct vnode *devdir);

#endif
