/*
 * virtio_pd.h - what every virtio driver PD looks up in its info area
 * (kapi.h): a region of its description by name, and the channel on which
 * the interrupt of its device's slot arrives; and how it takes what its
 * device did, ending the PD if the device breaks the protocol.  Shared by drivers/rng and
 * drivers/blk so that each finds its device the same way; not linked into
 * the host tests (it needs libfbpd).
 */
#ifndef FREEBEAM_VIRTIO_PD_H
#define FREEBEAM_VIRTIO_PD_H

#include <freebeam/fbpd.h>
#include <freebeam/queue.h>
#include "virtio_mmio.h"

/* The map entry of the region called name, or NULL. */
const struct fb_pdinfo_map *vio_region(const char *name);

/* The channel on which the interrupt of INTID intid arrives, or -1. */
int vio_irq_channel(uint32_t intid);

/* On the device's interrupt: read and acknowledge it.  A device that needs
 * a reset ends the PD: it says so (`who: ...`) and exits with status 3. */
void vio_pd_irq(struct vio_mmio *d, const char *who);

/* The next chain the device used: true with its head and the length it
 * wrote, false when there is none.  A device that broke the virtqueue
 * protocol is marked FAILED and ends the PD as above. */
bool vio_pd_next_used(struct vio_mmio *d, struct virtq *q, const char *who, uint16_t *head, uint32_t *len);

/* For a driver that serves its client's requests one at a time: the next
 * request, when there is one and room for its answer (true, *m set), or
 * false (then a notification is asked for).  A client that broke the queue
 * pair ends the PD with status 2 (`who: the client broke its queue`). */
bool vio_pd_next_request(struct fb_qpair *q, const char *who, struct fb_qmsg *m);

#endif
