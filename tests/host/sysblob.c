/*
 * sysblob.c - the reference system blob builder (see sysblob.h), and the
 * invariants a successful fb_sysimage_check must guarantee to the loader.
 */
#include <stdlib.h>
#include <string.h>
#include <freebeam/kapi.h>
#include "kernel.h"
#include "sysblob.h"
#include "sysimage_check.h"

#define PT_GNU_STACK 0x6474e551u

uint8_t *sb_bytes(struct sysblob *b) { return (uint8_t *)b->words; }
struct fb_sys_header *sb_hdr(struct sysblob *b) { return (struct fb_sys_header *)b->words; }

#define TABLE_AT(type, field) ((type *)(sb_bytes(b) + sb_hdr(b)->field))
struct fb_sys_pd *sb_pd(struct sysblob *b, uint32_t i)
{ return TABLE_AT(struct fb_sys_pd, pds_off) + i; }
struct fb_sys_region *sb_region(struct sysblob *b, uint32_t i)
{ return TABLE_AT(struct fb_sys_region, regions_off) + i; }
struct fb_sys_map *sb_map(struct sysblob *b, uint32_t i)
{ return TABLE_AT(struct fb_sys_map, maps_off) + i; }
struct fb_sys_channel *sb_channel(struct sysblob *b, uint32_t i)
{ return TABLE_AT(struct fb_sys_channel, channels_off) + i; }
struct fb_sys_irq *sb_irq(struct sysblob *b, uint32_t i)
{ return TABLE_AT(struct fb_sys_irq, irqs_off) + i; }
Elf32_Ehdr *sb_ehdr(struct sysblob *b, uint32_t pd)
{ return (Elf32_Ehdr *)(sb_bytes(b) + sb_pd(b, pd)->elf_off); }
Elf32_Phdr *sb_phdr(struct sysblob *b, uint32_t pd, uint32_t k)
{ return (Elf32_Phdr *)((uint8_t *)sb_ehdr(b, pd) + sb_ehdr(b, pd)->e_phoff) + k; }

uint32_t sb_stroff(struct sysblob *b, const char *name)
{
    const struct fb_sys_header *h = sb_hdr(b);
    const char *s = (const char *)sb_bytes(b) + h->strings_off;
    for (uint32_t off = 0; off < h->strings_len; off += (uint32_t)strlen(s + off) + 1)
        if (strcmp(s + off, name) == 0)
            return off;
    return ~0u;
}

uint8_t sb_text_byte(uint32_t pd) { return (uint8_t)(0xa0 + pd); }
uint8_t sb_data_byte(uint32_t k) { return (uint8_t)(0x30 + k % 71); }

uint32_t sb_append(struct sysblob *b, const void *bytes, uint32_t len)
{
    uint32_t off = (b->len + 3u) & ~3u;
    if ((uint64_t)off + len + 3u > SB_CAP)
        abort();
    if (bytes)
        memcpy(sb_bytes(b) + off, bytes, len);
    else
        memset(sb_bytes(b) + off, 0, len);
    b->len = (off + len + 3u) & ~3u;
    sb_hdr(b)->total_len = b->len;
    return off;
}

/* ---- building ---- */

struct builder {
    struct sysblob *b;
    uint32_t at;                    /* next free byte */
};

static uint32_t take(struct builder *w, uint32_t n)
{
    uint32_t off = (w->at + 3u) & ~3u;
    w->at = off + n;
    return off;
}

static void *at(struct builder *w, uint32_t off) { return sb_bytes(w->b) + off; }

static uint32_t add_str(struct builder *w, uint32_t base, uint32_t *len, const char *s)
{
    uint32_t off = *len, n = (uint32_t)strlen(s) + 1;
    memcpy(at(w, base + off), s, n);
    *len += n;
    return off;
}

/* One static ARM executable: the program header layout of sysblob.h. */
static uint32_t add_elf(struct builder *w, uint32_t pd, uint32_t entry, uint32_t *len)
{
    uint32_t phoff = sizeof(Elf32_Ehdr);
    uint32_t text_off = 0x200, data_off = text_off + SB_TEXT_LEN;
    uint32_t size = data_off + SB_DATA_FILE;
    uint32_t off = take(w, size);
    uint8_t *e = at(w, off);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)e;
    memcpy(eh->e_ident, "\177ELF", 4);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_ARM;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = phoff;
    eh->e_flags = 0x05000400;       /* EABI5, hard float */
    eh->e_ehsize = sizeof(Elf32_Ehdr);
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = SB_PHNUM;
    Elf32_Phdr *ph = (Elf32_Phdr *)(e + phoff);
    ph[0] = (Elf32_Phdr){ PT_LOAD, text_off, SB_TEXT_VA, SB_TEXT_VA, SB_TEXT_LEN,
                          SB_TEXT_LEN, PF_R | PF_X, 0x1000 };
    ph[1] = (Elf32_Phdr){ PT_LOAD, data_off, SB_DATA_VA, SB_DATA_VA, SB_DATA_FILE,
                          SB_DATA_MEM, PF_R | PF_W, 0x1000 };
    ph[2] = (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };
    ph[3] = (Elf32_Phdr){ PT_LOAD, 0, 0, 0, 0, 0, PF_R | PF_W | PF_X, 0x1000 };
    memset(e + text_off, sb_text_byte(pd), SB_TEXT_LEN);
    memset(e + data_off, 0xd0 + (int)pd, SB_DATA_FILE);
    *len = size;
    return off;
}

static void start(struct builder *w, struct sysblob *b)
{
    memset(b, 0, sizeof *b);
    w->b = b;
    w->at = sizeof(struct fb_sys_header);
}

static uint32_t finish(struct builder *w)
{
    w->b->len = (w->at + 3u) & ~3u;
    struct fb_sys_header *h = sb_hdr(w->b);
    h->magic = FB_SYS_MAGIC;
    h->version = FB_SYS_VERSION;
    h->total_len = w->b->len;
    return w->b->len;
}

uint32_t sysblob_build(struct sysblob *b)
{
    struct builder w;
    start(&w, b);
    struct fb_sys_header *h = sb_hdr(b);
    h->n_pds = SB_NPD;
    h->pds_off = take(&w, SB_NPD * sizeof(struct fb_sys_pd));
    h->n_regions = 3;
    h->regions_off = take(&w, 3 * sizeof(struct fb_sys_region));
    h->n_maps = 5;
    h->maps_off = take(&w, 5 * sizeof(struct fb_sys_map));
    h->n_channels = 3;
    h->channels_off = take(&w, 3 * sizeof(struct fb_sys_channel));
    h->n_irqs = 2;
    h->irqs_off = take(&w, 2 * sizeof(struct fb_sys_irq));
    h->strings_off = take(&w, 64);
    uint32_t slen = 0;
    uint32_t n_ping = add_str(&w, h->strings_off, &slen, "ping");
    uint32_t n_pong = add_str(&w, h->strings_off, &slen, "pong");
    uint32_t n_root = add_str(&w, h->strings_off, &slen, "root");
    uint32_t n_shared = add_str(&w, h->strings_off, &slen, "shared");
    uint32_t n_uart = add_str(&w, h->strings_off, &slen, "uart");
    uint32_t n_q = add_str(&w, h->strings_off, &slen, "q");
    uint32_t n_pp = add_str(&w, h->strings_off, &slen, "pp");
    uint32_t n_ctl = add_str(&w, h->strings_off, &slen, "ctl");
    h->strings_len = slen;
    w.at = h->strings_off + slen;

    struct fb_sys_pd *pd = sb_pd(b, 0);
    pd[0] = (struct fb_sys_pd){ n_ping, 0, 0, 100, 16384, 4, 2, 0, 0, 0 };
    pd[1] = (struct fb_sys_pd){ n_pong, 0, 0, 150, 4096, 1, 2, 0, 0, 0 };
    pd[2] = (struct fb_sys_pd){ n_root, 0, 0, 254, 8192, 2, FB_NO_PD,
                                FB_RIGHT_POWEROFF | FB_RIGHT_PD_CONTROL, 0, 0 };
    for (uint32_t i = 0; i < SB_NPD; i++)
        pd[i].elf_off = add_elf(&w, i, SB_TEXT_VA + 8 * i + (i == 1), &pd[i].elf_len);
    pd[0].args_len = sizeof SB_ARGS_PING;
    pd[0].args_off = take(&w, pd[0].args_len);
    memcpy(at(&w, pd[0].args_off), SB_ARGS_PING, sizeof SB_ARGS_PING);
    pd[1].args_len = sizeof SB_ARGS_PONG;
    pd[1].args_off = take(&w, pd[1].args_len);
    memcpy(at(&w, pd[1].args_off), SB_ARGS_PONG, sizeof SB_ARGS_PONG);

    struct fb_sys_region *r = sb_region(b, 0);
    r[0] = (struct fb_sys_region){ n_shared, 0x2000, 0, 0, 0, 0 };
    r[1] = (struct fb_sys_region){ n_uart, 0x1000, 0x09000000, FB_REGION_DEVICE, 0, 0 };
    r[2] = (struct fb_sys_region){ n_q, SB_Q_SIZE, 0, 0, 0, 0 };
    r[0].data_len = SB_DATA_LEN;
    r[0].data_off = take(&w, SB_DATA_LEN);
    for (uint32_t k = 0; k < SB_DATA_LEN; k++)
        ((uint8_t *)at(&w, r[0].data_off))[k] = sb_data_byte(k);
    struct fb_sys_map *m = sb_map(b, 0);
    m[0] = (struct fb_sys_map){ 0, 0, 0x100000, FB_PERM_R | FB_PERM_W };
    m[1] = (struct fb_sys_map){ 1, 0, 0x100000, FB_PERM_R };
    m[2] = (struct fb_sys_map){ 0, 1, 0x300000, FB_PERM_R | FB_PERM_W };
    m[3] = (struct fb_sys_map){ 0, 2, SB_Q_VA_PING, FB_PERM_R | FB_PERM_W };
    m[4] = (struct fb_sys_map){ 2, 2, SB_Q_VA_ROOT, FB_PERM_R | FB_PERM_W };
    struct fb_sys_channel *c = sb_channel(b, 0);
    c[0] = (struct fb_sys_channel){ 0, 0, 1, 0, n_pp, FB_NO_REGION, 0, 0 };
    c[1] = (struct fb_sys_channel){ 0, 1, 2, 5, n_ctl, 2, SB_Q_DEPTH, SB_Q_SLOT };
    c[2] = (struct fb_sys_channel){ 1, 62, 2, 62, 0, FB_NO_REGION, 0, 0 };
    struct fb_sys_irq *q = sb_irq(b, 0);
    q[0] = (struct fb_sys_irq){ 33, 0, 2, 0 };
    q[1] = (struct fb_sys_irq){ 1019, 1, 1, FB_IRQ_EDGE };
    return finish(&w);
}

uint32_t sysblob_build_minimal(struct sysblob *b)
{
    struct builder w;
    start(&w, b);
    struct fb_sys_header *h = sb_hdr(b);
    h->n_pds = 1;
    h->pds_off = take(&w, sizeof(struct fb_sys_pd));
    h->strings_off = take(&w, 8);
    uint32_t slen = 0;
    uint32_t name = add_str(&w, h->strings_off, &slen, "solo");
    h->strings_len = slen;
    w.at = h->strings_off + slen;
    struct fb_sys_pd *pd = sb_pd(b, 0);
    *pd = (struct fb_sys_pd){ name, 0, 0, 0, FB_PAGE, 1, FB_NO_PD, 0, 0, 0 };
    pd->elf_off = add_elf(&w, 0, SB_TEXT_VA, &pd->elf_len);
    return finish(&w);
}

/* ---- what the loader may rely on after a successful check ---- */

int sysblob_view_broken(const void *blob, uint32_t len, const struct fb_sysimage *img)
{
    const uint8_t *base = blob;
    const struct fb_sys_header *h = img->hdr;
    if ((const void *)h != blob || h->total_len > len)
        return 1;
    if ((const uint8_t *)img->strings != base + h->strings_off || h->strings_len == 0 ||
        img->strings[h->strings_len - 1] != '\0')
        return 2;
    for (uint32_t i = 0; i < h->n_pds; i++) {
        const struct fb_pd_layout *lay = &img->layout[i];
        if (lay->n_segs > FB_MAX_SEGMENTS)
            return 3;
        int entry_ok = 0;
        for (uint32_t s = 0; s < lay->n_segs; s++) {
            const struct fb_seg *sg = &lay->segs[s];
            if ((uint64_t)sg->offset + sg->filesz > h->total_len || sg->filesz > sg->memsz)
                return 4;
            if (sg->vaddr < FB_USER_BASE ||
                (uint64_t)sg->vaddr + sg->memsz > FB_STACK_TOP - FB_STACK_RESERVE)
                return 5;
            if (!(sg->perms & FB_PERM_R) || sg->perms > 7 ||
                (sg->perms & (FB_PERM_W | FB_PERM_X)) == (FB_PERM_W | FB_PERM_X))
                return 6;
            uint32_t e = lay->entry & ~1u;
            if ((sg->perms & FB_PERM_X) && e >= sg->vaddr && e - sg->vaddr < sg->memsz)
                entry_ok = 1;
        }
        if (!entry_ok)
            return 7;
        if (img->pds[i].monitor != FB_NO_PD && img->pds[i].monitor >= h->n_pds)
            return 8;
        if (fb_sysimage_str(img, img->pds[i].name)[0] == '\0')
            return 9;
    }
    for (uint32_t i = 0; i < h->n_pds; i++) {
        /* arguments: 0/0, or NUL-terminated strings inside the blob that
         * hold the argv terminator (a NUL first, or two NULs in a row) and
         * no empty string after it */
        uint32_t off = img->pds[i].args_off, len = img->pds[i].args_len;
        if (len == 0) {
            if (off != 0)
                return 13;
            continue;
        }
        if (len > FB_MAX_ARGS_BYTES || (uint64_t)off + len > h->total_len ||
            base[off + len - 1] != '\0')
            return 13;
        uint32_t end = base[off] == '\0' ? 0 : len;
        for (uint32_t k = 1; k < len && end == len; k++)
            if (base[off + k - 1] == '\0' && base[off + k] == '\0')
                end = k;
        if (end == len)
            return 13;
        for (uint32_t k = end + 1; k < len; k++)      /* k - 1 == end: a first empty one */
            if (base[off + k - 1] == '\0' && base[off + k] == '\0')
                return 13;
    }
    for (uint32_t i = 0; i < h->n_regions; i++) {
        const struct fb_sys_region *r = &img->regions[i];
        if (r->data_off == 0 && r->data_len == 0)
            continue;
        if ((r->flags & (FB_REGION_DEVICE | FB_REGION_REST)) || (uint64_t)r->data_off + r->data_len > h->total_len ||
            r->data_len > r->size)
            return 14;
    }
    for (uint32_t i = 0; i < h->n_maps; i++)
        if (img->maps[i].pd >= h->n_pds || img->maps[i].region >= h->n_regions)
            return 10;
    for (uint32_t i = 0; i < h->n_channels; i++) {
        const struct fb_sys_channel *ch = &img->channels[i];
        if (ch->pd_a >= h->n_pds || ch->pd_b >= h->n_pds || ch->id_a > 62 || ch->id_b > 62)
            return 11;
        if (ch->name && fb_sysimage_str(img, ch->name)[0] == '\0')
            return 15;
        if (ch->queue_region == FB_NO_REGION)
            continue;
        /* a queue: RAM, halves big enough, one read-write map in each end */
        uint32_t d = ch->queue_depth, s = ch->queue_slot;
        if (ch->queue_region >= h->n_regions || d == 0 || d > 4096 || (d & (d - 1)) ||
            s < 8 || s > 65536 || s % 8)
            return 16;
        const struct fb_sys_region *r = &img->regions[ch->queue_region];
        if ((r->flags & (FB_REGION_DEVICE | FB_REGION_REST)) || r->size / 2 < 128 + (uint64_t)d * (16 + s))
            return 16;
        uint32_t na = 0, nb = 0;
        for (uint32_t m = 0; m < h->n_maps; m++) {
            const struct fb_sys_map *mp = &img->maps[m];
            if (mp->region != ch->queue_region || !(mp->perms & FB_PERM_W))
                continue;
            na += mp->pd == ch->pd_a;
            nb += mp->pd == ch->pd_b;
        }
        if (na != 1 || nb != 1)
            return 17;
    }
    for (uint32_t i = 0; i < h->n_irqs; i++)
        if (img->irqs[i].pd >= h->n_pds || img->irqs[i].id > 62)
            return 12;
    return 0;
}

/* ---- a PD as the loader makes it ---- */

static int add(struct pd *pd, struct seg_map m)
{
    if (pd->nmaps >= PD_MAX_MAPS)
        return -1;
    pd->maps[pd->nmaps++] = m;
    return 0;
}

int sysblob_make_pd(const struct fb_sysimage *img, uint32_t i, struct pd *pd)
{
    const struct fb_sys_pd *d = &img->pds[i];
    const struct fb_pd_layout *lay = &img->layout[i];
    memset(pd, 0, sizeof *pd);
    pd->index = i;
    pd->name = fb_sysimage_str(img, d->name);
    pd->prio = d->priority;
    pd->max_threads = d->max_threads;
    pd->rights = d->rights;
    for (uint32_t s = 0; s < lay->n_segs; s++)
        if (add(pd, (struct seg_map){ .vaddr = lay->segs[s].vaddr & ~(FB_PAGE - 1), .size = lay->segs[s].memsz,
                                      .perms = lay->segs[s].perms, .kind = FB_MAP_SEGMENT }))
            return -1;
    if (add(pd, (struct seg_map){ .vaddr = FB_STACK_TOP - d->stack_bytes, .size = d->stack_bytes,
                                  .perms = FB_PERM_R | FB_PERM_W, .kind = FB_MAP_STACK }))
        return -1;
    for (uint32_t m = 0; m < img->hdr->n_maps; m++) {
        const struct fb_sys_map *mp = &img->maps[m];
        if (mp->pd == i &&
            add(pd, (struct seg_map){ .vaddr = mp->vaddr, .size = img->regions[mp->region].size,
                                      .perms = mp->perms, .kind = FB_MAP_REGION, .region = (uint8_t)mp->region,
                                      .name = fb_sysimage_str(img, img->regions[mp->region].name) }))
            return -1;
    }
    return add(pd, (struct seg_map){ .vaddr = FB_PDINFO_VADDR, .size = FB_PDINFO_BYTES, .perms = FB_PERM_R,
                                     .kind = FB_MAP_INFO });
}
