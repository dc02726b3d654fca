/*
 * virtio_pd.c - the info-area look-ups and the device-event helpers of
 * virtio_pd.h.
 */
#include "virtio_pd.h"

const struct fb_pdinfo_map *vio_region(const char *name)
{
    const struct fb_pdinfo *in = fb_info();
    for (unsigned i = 0; in && i < in->n_maps && i < FB_PDINFO_MAX_MAPS; i++) {
        const char *s = fb_info_str(in->maps[i].name_off);
        unsigned k = 0;
        while (s[k] && s[k] == name[k])
            k++;
        if (in->maps[i].kind == FB_MAP_REGION && s[k] == 0 && name[k] == 0)
            return &in->maps[i];
    }
    return NULL;
}

int vio_irq_channel(uint32_t intid)
{
    const struct fb_pdinfo *in = fb_info();
    if (!in)
        return -1;
    const struct fb_pdinfo_chan *c = (const void *)((const char *)in + in->chans_off);
    for (unsigned i = 0; i < in->n_chans && i < FB_MAX_CHANNELS; i++)
        if (c[i].kind == FB_CHAN_IRQ && c[i].peer == intid)
            return (int)c[i].id;
    return -1;
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
