/*
 * vio_pd.c - vio_pd_find of vio_pd.h: a virtio driver PD's regions, device
 * and interrupt channel from its info area.
 */
#include <freebeam/fbpd.h>
#include "vio_pd.h"

static bool rw(const struct fb_pdinfo_map *m)
{
    return (m->perms & 6u) == 6u;
}

int vio_pd_find(struct vio_pd *p, const char *who, uint32_t device_id, const char *dma_region,
                uint32_t dma_bytes)
{
    const struct fb_pdinfo_map *win = fb_region_by_name("virtio_mmio"), *mem = fb_region_by_name(dma_region);
    if (!win || win->size < VIO_MMIO_WINDOW_BYTES || !rw(win)) {
        fb_printf("%s: no virtio_mmio region (the 16 KiB transport window, rw)\n", who);
        fb_pd_exit(2);
    }
    if (!mem || !mem->paddr || mem->size < dma_bytes || !rw(mem)) {
        fb_printf("%s: no %s region (RAM marked {dma, true}, rw, %u KiB at least)\n", who, dma_region,
                  (unsigned)((dma_bytes + 1023) / 1024));
        fb_pd_exit(2);
    }
    p->dma = (uint8_t *)(uintptr_t)mem->vaddr;
    p->dma_pa = mem->paddr;
    if (vio_probe(&p->dev, (volatile void *)(uintptr_t)win->vaddr, device_id) < 0)
        return -1;
    unsigned intid = VIO_MMIO_FIRST_INTID + p->dev.slot;
    int ch = fb_irq_channel(intid);
    if (ch < 0) {
        fb_printf("%s: the device is in slot %u: give this PD its irq %u in the description\n", who,
                  (unsigned)p->dev.slot, intid);
        fb_pd_exit(2);
    }
    p->irq_ch = (unsigned)ch;
    return 0;
}
