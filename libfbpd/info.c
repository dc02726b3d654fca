/*
 * info.c - lookups in the PD's read-only info area (kapi.h, struct
 * fb_pdinfo): a channel, a PD or a mapped region by its name in the system
 * description, the channel of an irq, where a channel's queue region is mapped, the PD's arguments, and the
 * queue pair of a named channel attached in one call.  The kernel wrote the area, so
 * it is trusted, but every offset is still kept inside it.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

static const struct fb_pdinfo *const area = (const struct fb_pdinfo *)FB_PDINFO_VADDR;

const struct fb_pdinfo *fb_info(void)
{
    return area->magic == FB_PDINFO_MAGIC && area->version == FB_PDINFO_VERSION ? area : NULL;
}

const char *fb_info_str(unsigned off)
{
    return off && off < FB_PDINFO_BYTES ? (const char *)area + off : "";
}

static bool same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* n entries of `size` bytes at off: inside the area? */
static bool table_ok(unsigned off, unsigned n, unsigned size)
{
    return off < FB_PDINFO_BYTES && n <= (FB_PDINFO_BYTES - off) / size;
}

const struct fb_pdinfo_chan *fb_channel_by_name(const char *name)
{
    const struct fb_pdinfo *pi = fb_info();
    if (!pi || !table_ok(pi->chans_off, pi->n_chans, sizeof(struct fb_pdinfo_chan)))
        return NULL;
    const struct fb_pdinfo_chan *c = (const void *)((const char *)pi + pi->chans_off);
    for (unsigned i = 0; i < pi->n_chans; i++)
        if (c[i].name_off && same(fb_info_str(c[i].name_off), name))
            return &c[i];
    return NULL;
}

int fb_pd_by_name(const char *name)
{
    const struct fb_pdinfo *pi = fb_info();
    if (!pi || !table_ok(pi->pds_off, pi->n_pds, sizeof(struct fb_pdinfo_pd)))
        return -1;
    const struct fb_pdinfo_pd *p = (const void *)((const char *)pi + pi->pds_off);
    for (unsigned i = 0; i < pi->n_pds; i++)
        if (same(fb_info_str(p[i].name_off), name))
            return (int)i;
    return -1;
}

const struct fb_pdinfo_map *fb_region_by_name(const char *name)
{
    const struct fb_pdinfo *pi = fb_info();
    for (unsigned i = 0; pi && i < pi->n_maps && i < FB_PDINFO_MAX_MAPS; i++)
        if (pi->maps[i].kind == FB_MAP_REGION && same(fb_info_str(pi->maps[i].name_off), name))
            return &pi->maps[i];
    return NULL;
}

int fb_irq_channel(unsigned irq)
{
    const struct fb_pdinfo *pi = fb_info();
    if (!pi || !table_ok(pi->chans_off, pi->n_chans, sizeof(struct fb_pdinfo_chan)))
        return -1;
    const struct fb_pdinfo_chan *c = (const void *)((const char *)pi + pi->chans_off);
    for (unsigned i = 0; i < pi->n_chans; i++)
        if (c[i].kind == FB_CHAN_IRQ && c[i].peer == irq)
            return (int)c[i].id;
    return -1;
}

void *fb_map_vaddr(const struct fb_pdinfo_chan *chan)
{
    const struct fb_pdinfo *pi = fb_info();
    if (!pi || !chan || chan->queue_map >= pi->n_maps || chan->queue_map >= FB_PDINFO_MAX_MAPS)
        return NULL;
    return (void *)(uintptr_t)pi->maps[chan->queue_map].vaddr;
}

const char *fb_arg(unsigned i)
{
    const struct fb_pdinfo *pi = fb_info();
    if (!pi || !pi->args_len || pi->args_off >= FB_PDINFO_BYTES ||
        pi->args_len > FB_PDINFO_BYTES - pi->args_off)
        return NULL;
    const char *p = (const char *)pi + pi->args_off, *end = p + pi->args_len;
    for (; p < end && *p; i--) {
        if (i == 0)
            return p;
        while (p < end && *p)
            p++;
        p++;
    }
    return NULL;
}

int fb_queue_channel(const char *name, struct fb_qpair *qp)
{
    const struct fb_pdinfo *pi = fb_info();
    const struct fb_pdinfo_chan *c = fb_channel_by_name(name);
    if (!pi || !c || c->queue_map == FB_CHAN_NO_QUEUE || c->queue_map >= pi->n_maps ||
        c->queue_map >= FB_PDINFO_MAX_MAPS ||
        !fb_qpair_attach(qp, fb_map_vaddr(c), pi->maps[c->queue_map].size, c->queue_end,
                         c->queue_depth, c->queue_slot))
        return -1;
    return (int)c->id;
}
