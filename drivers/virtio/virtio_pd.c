/*
 * virtio_pd.c - the bring-up and the device-event helpers of virtio_pd.h.
 */
#include "virtio_pd.h"

static bool rw(const struct fb_pdinfo_map *m)
{
    return (m->perms & 6u) == 6u;
}

const struct fb_pdinfo_map *vio_pd_dma_region(const char *name, uint32_t min_bytes)
{
    const struct fb_pdinfo_map *m = fb_region_by_name(name);
    return m && m->paddr && m->size >= min_bytes && rw(m) ? m : NULL;
}

int vio_pd_find(struct vio_pd *p, const char *who, uint32_t device_id, const char *dma_region,
                uint32_t dma_bytes)
{
    const struct fb_pdinfo_map *win = fb_region_by_name("virtio_mmio");
    const struct fb_pdinfo_map *mem = vio_pd_dma_region(dma_region, dma_bytes);
    if (!win || win->size < VIO_MMIO_WINDOW_BYTES || !rw(win)) {
        fb_printf("%s: no virtio_mmio region (the 16 KiB transport window, rw)\n", who);
        fb_pd_exit(2);
    }
    if (!mem) {
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

void vio_pd_irq(struct vio_mmio *d, const char *who)
{
    uint32_t status;
    if (vio_irq_take(d, &status)) {
        fb_printf("%s: the device needs a reset\n", who);
        fb_pd_exit(3);
    }
}

bool vio_pd_next_used(struct vio_mmio *d, struct virtq *q, const char *who, uint16_t *head, uint32_t *len)
{
    const char *why = "";
    int r = virtq_get_used(q, head, len, &why);
    if (r == VIRTQ_BROKEN) {
        vio_fail(d);
        fb_printf("%s: the device broke the virtqueue protocol: %s\n", who, why);
        fb_pd_exit(3);
    }
    return r == VIRTQ_GOT;
}

bool vio_pd_next_request(struct fb_qpair *q, const char *who, struct fb_qmsg *m)
{
    int r = fb_qpair_next_request(q, m);
    if (r == FB_QUEUE_FULL || r == FB_QUEUE_EMPTY)
        return false;
    if (r < 0) {
        fb_printf("%s: the client broke its queue\n", who);
        fb_pd_exit(2);
    }
    return true;
}
