/*
 * virtio_pd.h - what every virtio driver PD (drivers/rng, drivers/blk,
 * drivers/net) does the same way, so that each is only its device's
 * protocol: the bring-up in one call (the transport window, the region
 * `virtio_mmio`; its DMA region; the device, in any of the 32 slots; the
 * channel of that slot's interrupt, all found by name or INTID in the info
 * area, so that a description chooses vaddrs and channel ids freely), and
 * taking what the device and the client did, ending the PD when either
 * breaks its protocol.  PD code (it needs libfbpd): not linked into the
 * host tests.
 */
#ifndef FREEBEAM_VIRTIO_PD_H
#define FREEBEAM_VIRTIO_PD_H

#include <stdint.h>
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>
#include "virtio_mmio.h"

struct vio_pd {
    struct vio_mmio dev;
    uint8_t *dma;                    /* the DMA region, as mapped here */
    uint32_t dma_pa;                 /* ... and its physical address */
    unsigned irq_ch;                 /* the channel of the device's interrupt */
};

/* Fill *p for the device with id device_id and the DMA region dma_region
 * (RAM marked {dma, true}, mapped rw, at least dma_bytes).  0, or -1 when
 * no slot holds such a device (the caller says so).  A description that
 * lacks the window, the DMA region or the irq of the device's slot: the
 * driver (named `who` in the message) says which and exits with status 2. */
int vio_pd_find(struct vio_pd *p, const char *who, uint32_t device_id, const char *dma_region,
                uint32_t dma_bytes);

/* The map entry of the region called name if it is RAM marked {dma, true}
 * mapped rw with at least min_bytes, else NULL: for a driver's regions
 * beyond its own DMA region (blk's data region shared with its client). */
const struct fb_pdinfo_map *vio_pd_dma_region(const char *name, uint32_t min_bytes);

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
