/*
 * vio_pd.h - the bring-up every virtio driver PD starts with, in one call:
 * the transport window (the region `virtio_mmio`), its DMA region, the
 * device (any of the 32 slots, vio_probe) and the channel of that slot's
 * interrupt, all found by name or INTID in the PD's info area, so that a
 * description chooses vaddrs and channel ids freely.  PD code (libfbpd);
 * drivers/rng and drivers/net use it.
 */
#ifndef FREEBEAM_VIO_PD_H
#define FREEBEAM_VIO_PD_H

#include <stdint.h>
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

#endif
