/*
 * pdinfo.c - writes a PD's info area (kapi.h, struct fb_pdinfo, version 3):
 * the fixed header with the map list, then the channel table, the PD table,
 * and the strings (names and the argument block) they point to.
 */
#include "lib.h"
#include "pdinfo.h"

/*
 * Why it always fits: the header, a channel entry for each of the
 * FB_MAX_CHANNELS ids, a PD entry for each of FB_MAX_PDS PDs, the largest
 * argument block, and a name of at most FB_MAX_NAME characters (plus NUL)
 * for each PD, each map but the stack and the info area (they have none)
 * and each channel end (the PD's own name reuses its PD table entry's).
 * The checker (sysimage_check.c) holds the blob to these limits, and
 * add_map holds a PD to FB_PDINFO_MAX_MAPS maps.
 */
#define NAME_BYTES (FB_MAX_NAME + 1u)
_Static_assert(sizeof(struct fb_pdinfo) + FB_MAX_CHANNELS * sizeof(struct fb_pdinfo_chan) +
               FB_MAX_PDS * sizeof(struct fb_pdinfo_pd) + FB_MAX_ARGS_BYTES +
               (FB_MAX_PDS + (FB_PDINFO_MAX_MAPS - 2) + FB_MAX_CHANNELS) * NAME_BYTES <= FB_PDINFO_BYTES,
               "a PD's info area must hold everything sysimage.h's limits allow");
_Static_assert(sizeof(struct fb_pdinfo) % 4 == 0, "the tables after the header stay aligned");

struct area {
    uint8_t *base;
    uint32_t used;
};

/* Room for len bytes, 4-byte aligned if asked; its offset, or 0 if full. */
static uint32_t take(struct area *a, uint32_t len, uint32_t align)
{
    uint32_t off = (a->used + align - 1) & ~(align - 1);
    if (off > FB_PDINFO_BYTES || len > FB_PDINFO_BYTES - off)
        return 0;
    a->used = off + len;
    return off;
}

static uint32_t put(struct area *a, const void *bytes, uint32_t len)
{
    uint32_t off = take(a, len, 1);
    if (off)
        memcpy(a->base + off, bytes, len);
    return off;
}

static uint32_t put_name(struct area *a, const char *name)
{
    return put(a, name, strlen(name) + 1);
}

/* The index in pd->maps of its one map of region r (the checker made sure
 * a queue region is mapped exactly once by each end). */
static uint32_t map_of_region(const struct pd *pd, uint32_t r)
{
    for (uint32_t i = 0; i < pd->nmaps; i++)
        if (pd->maps[i].kind == FB_MAP_REGION && pd->maps[i].region == r)
            return i;
    return FB_CHAN_NO_QUEUE;
}

/* The entry for channel id `id` of pd from the image; 0 if the id is unused. */
static int chan_entry(const struct fb_sysimage *img, const struct pd *pd, uint32_t id,
                      struct fb_pdinfo_chan *e)
{
    memset(e, 0, sizeof *e);
    e->id = id;
    e->queue_map = FB_CHAN_NO_QUEUE;
    for (uint32_t q = 0; q < img->hdr->n_irqs; q++)
        if (img->irqs[q].pd == pd->index && img->irqs[q].id == id) {
            e->kind = FB_CHAN_IRQ;
            e->peer = img->irqs[q].irq;
            return 1;
        }
    for (uint32_t c = 0; c < img->hdr->n_channels; c++) {
        const struct fb_sys_channel *ch = &img->channels[c];
        int a = ch->pd_a == pd->index && ch->id_a == id;
        if (!a && !(ch->pd_b == pd->index && ch->id_b == id))
            continue;
        e->kind = FB_CHAN_PD;
        e->peer = a ? ch->pd_b : ch->pd_a;
        e->name_off = ch->name;     /* a blob offset until the caller copies the name */
        if (ch->queue_region != FB_NO_REGION) {
            e->queue_map = map_of_region(pd, ch->queue_region);
            e->queue_end = !a;
            e->queue_depth = ch->queue_depth;
            e->queue_slot = ch->queue_slot;
        }
        return 1;
    }
    return 0;
}

int pdinfo_write(uint8_t *base, const struct fb_sysimage *img, const struct pd *pd, const char **why)
{
    struct area a = { base, sizeof(struct fb_pdinfo) };
    struct fb_pdinfo *pi = (struct fb_pdinfo *)base;
    const uint8_t *blob = (const uint8_t *)img->hdr;
    const struct fb_sys_pd *d = &img->pds[pd->index];
    memset(base, 0, FB_PDINFO_BYTES);
    pi->magic = FB_PDINFO_MAGIC;
    pi->version = FB_PDINFO_VERSION;
    pi->pd = pd->index;
    pi->priority = pd->prio;
    pi->max_threads = pd->max_threads;
    pi->rights = pd->rights;
    pi->n_maps = pd->nmaps;

    /* The tables first (aligned), then the strings.  The channel table
     * comes right after the header: fill it in place, then take its room. */
    struct fb_pdinfo_chan *ct = (struct fb_pdinfo_chan *)(base + a.used);
    uint32_t nch = 0;
    for (uint32_t id = 0; id < FB_MAX_CHANNELS; id++)
        nch += (uint32_t)chan_entry(img, pd, id, &ct[nch]);
    memset(&ct[nch], 0, sizeof ct[nch]);   /* the unused id's scratch entry */
    uint32_t npd = img->hdr->n_pds;
    pi->n_chans = nch;
    pi->chans_off = take(&a, nch * sizeof(struct fb_pdinfo_chan), 4);
    pi->n_pds = npd;
    pi->pds_off = take(&a, npd * sizeof(struct fb_pdinfo_pd), 4);
    *why = "its channel and PD tables";
    if (!pi->chans_off || !pi->pds_off)
        return -1;

    *why = "the PD names";
    struct fb_pdinfo_pd *pt = (struct fb_pdinfo_pd *)(base + pi->pds_off);
    for (uint32_t i = 0; i < npd; i++) {
        pt[i].name_off = put_name(&a, fb_sysimage_str(img, img->pds[i].name));
        pt[i].monitor = img->pds[i].monitor == FB_NO_PD ? FB_PD_NO_MONITOR : img->pds[i].monitor;
        if (!pt[i].name_off)
            return -1;
    }
    pi->name_off = pt[pd->index].name_off;

    *why = "the region names";
    for (uint32_t i = 0; i < pd->nmaps; i++) {
        const struct seg_map *m = &pd->maps[i];
        struct fb_pdinfo_map *o = &pi->maps[i];
        o->vaddr = m->vaddr; o->size = m->size; o->perms = m->perms; o->kind = m->kind;
        o->name_off = m->name ? put_name(&a, m->name) : 0;
        if (m->kind == FB_MAP_REGION && (img->regions[m->region].flags & FB_REGION_DMA))
            o->paddr = m->paddr;    /* only for DMA regions: a PD learns no other address */
        if (m->name && !o->name_off)
            return -1;
    }

    *why = "the channel names";
    for (uint32_t i = 0; i < nch; i++) {
        if (ct[i].name_off) {
            ct[i].name_off = put_name(&a, fb_sysimage_str(img, ct[i].name_off));
            if (!ct[i].name_off)
                return -1;
        }
    }

    *why = "its arguments";
    if (d->args_len) {
        pi->args_off = put(&a, blob + d->args_off, d->args_len);
        pi->args_len = d->args_len;
        if (!pi->args_off)
            return -1;
    }
    *why = NULL;
    return 0;
}
