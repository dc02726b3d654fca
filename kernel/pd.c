/*
 * pd.c - protection domains: built at boot from the checked system blob
 * (address space, ELF segments copied into fresh frames, stack, shared
 * regions, channels, IRQs), stopped when they fault or their monitor says
 * so, and restarted with a fresh copy of their writable data.
 */
#include "kernel.h"
#include "inflate.h"
#include "lib.h"
#include "pdinfo.h"
#include "sysimage_check.h"
#include "plat/qemu-virt/platform.h"

struct pd pds[FB_MAX_PDS];
uint32_t npds;

static struct fb_sysimage img;
static const uint8_t *blob;
static struct fb_inflate_work inflate_work;   /* one at a time: boot, then restarts */

/* The blob's bytes [off, off+len) into dst (room: cap bytes), inflated if
 * `deflated`: 0, or an FB_INFLATE_* code for a malformed stream. */
static int unpack(uint8_t *dst, uint32_t cap, uint32_t off, uint32_t len, int deflated)
{
    if (!deflated) {
        memcpy(dst, blob + off, len);   /* len <= cap: checked with the blob */
        return 0;
    }
    uint32_t got;
    return fb_inflate(&inflate_work, blob + off, len, dst, cap, &got);
}

static int add_map(struct pd *pd, uint32_t vaddr, uint32_t size, uint32_t paddr, uint32_t perms, int device,
                   uint8_t kind, const char *name)
{
    if (pd->nmaps >= PD_MAX_MAPS)
        return -FB_ENOMEM;
    int r = mmu_map(pd->l1, vaddr, paddr, size, perms, device);
    if (r)
        return r;
    struct seg_map *m = &pd->maps[pd->nmaps++];
    memset(m, 0, sizeof *m);
    m->vaddr = vaddr; m->size = size; m->paddr = paddr; m->perms = perms;
    m->kind = kind; m->name = name;
    return 0;
}

/* Zero a range (unless its frames are fresh from palloc, which hands them
 * out zeroed: `fresh`) and copy back (or inflate) its initial bytes from the
 * image.  The same stream inflated at boot, so a failure can only come at
 * boot. */
static void fill_map(const struct pd *pd, const struct seg_map *m, int fresh)
{
    if (!fresh)
        memset((void *)m->paddr, 0, m->size);
    if (!m->src_len)
        return;
    int r = unpack((uint8_t *)(m->paddr + m->src_skew), m->size - m->src_skew, m->src_off, m->src_len,
                   m->deflated);
    if (r)
        panic("pd %s: compressed ELF segment at 0x%x: %s", pd->name, (unsigned)m->vaddr,
              fb_inflate_strerror(r));
}

/* The read-only area that tells the PD about itself (kapi.h, fb_pdinfo):
 * mapped before it is written, so that its own entry is in the map list. */
static void build_info_area(struct pd *pd)
{
    uint32_t pa = palloc(FB_PDINFO_BYTES, FB_PAGE);
    if (!pa || add_map(pd, FB_PDINFO_VADDR, FB_PDINFO_BYTES, pa, FB_PERM_R, 0, FB_MAP_INFO, NULL))
        panic("pd %s: cannot make its info area", pd->name);
    const char *why;
    if (pdinfo_write((uint8_t *)pa, &img, pd, &why))
        panic("pd %s: %s do not fit in its %u-byte info area", pd->name, why, FB_PDINFO_BYTES);
    struct fb_pdinfo *pi = (struct fb_pdinfo *)pa;
    pi->rtc_seconds = rtc_boot_seconds;
    pi->rtc_ticks_lo = (uint32_t)rtc_boot_ticks;
    pi->rtc_ticks_hi = (uint32_t)(rtc_boot_ticks >> 32);
}

static int start_main_thread(struct pd *pd)
{
    struct tcb *t = thread_alloc(pd);
    if (!t)
        return -FB_EAGAIN;
    thread_init_user(t, pd->entry, FB_STACK_TOP, pd->index, 0, pd->prio);
    t->ctx.r[1] = FB_PDINFO_VADDR;
    pd->running = 1;
    thread_make_runnable(t);
    return 0;
}

/* The PD's thread table, from RAM; tids follow those of the PDs before it. */
static void alloc_threads(struct pd *pd, uint32_t tid_base)
{
    uint32_t bytes = pd->max_threads * (uint32_t)sizeof(struct tcb);
    uint32_t pa = palloc((bytes + FB_PAGE - 1) & ~(FB_PAGE - 1), 64);
    if (!pa)
        panic("pd %s: out of memory for its %u threads", pd->name, (unsigned)pd->max_threads);
    thread_pool_init(pd, (struct tcb *)pa, tid_base);
}

/* Everything of PD i but its info area and its map of the rest-of-RAM
 * region (index `rest`): those come once every other frame is taken. */
static void load_pd(uint32_t i, const uint32_t *region_pa, uint32_t tid_base, uint32_t rest)
{
    struct pd *pd = &pds[i];
    const struct fb_sys_pd *d = &img.pds[i];
    const struct fb_pd_layout *lay = &img.layout[i];
    pd->index = i;
    pd->asid = i + 1;
    pd->name = fb_sysimage_str(&img, d->name);
    pd->prio = d->priority;
    pd->max_threads = d->max_threads;
    pd->rights = d->rights;
    pd->entry = lay->entry;
    pd->monitor = d->monitor == FB_NO_PD ? NULL : &pds[d->monitor];
    alloc_threads(pd, tid_base);
    for (uint32_t c = 0; c < FB_MAX_CHANNELS; c++)
        pd->ch[c].peer = -1;
    pd->l1 = mmu_new_space();
    if (!pd->l1)
        panic("pd %s: out of memory for its page table", pd->name);

    for (uint32_t s = 0; s < lay->n_segs; s++) {
        const struct fb_seg *sg = &lay->segs[s];
        uint32_t start = sg->vaddr & ~(FB_PAGE - 1);
        uint32_t end = (sg->vaddr + sg->memsz + FB_PAGE - 1) & ~(FB_PAGE - 1);
        uint32_t pa = palloc(end - start, FB_PAGE);
        if (!pa)
            panic("pd %s: out of memory for ELF segment %u", pd->name, (unsigned)s);
        int r = add_map(pd, start, end - start, pa, sg->perms, 0, FB_MAP_SEGMENT, NULL);
        if (r)
            panic("pd %s: cannot map ELF segment %u (error %d)", pd->name, (unsigned)s, r);
        struct seg_map *m = &pd->maps[pd->nmaps - 1];
        m->src_off = sg->offset;
        m->src_len = sg->filesz;
        m->src_skew = sg->vaddr - start;
        m->restore = (sg->perms & FB_PERM_W) != 0;
        m->deflated = (uint8_t)sg->deflated;
        fill_map(pd, m, 1);
        if (sg->perms & FB_PERM_X)
            cache_sync_code(pa, end - start);
    }

    uint32_t stack = d->stack_bytes;
    uint32_t spa = palloc(stack, FB_PAGE);
    if (!spa)
        panic("pd %s: out of memory for its %u-byte stack", pd->name, (unsigned)stack);
    if (add_map(pd, FB_STACK_TOP - stack, stack, spa, FB_PERM_R | FB_PERM_W, 0, FB_MAP_STACK, NULL))
        panic("pd %s: cannot map its stack", pd->name);
    pd->maps[pd->nmaps - 1].restore = 1;

    for (uint32_t m = 0; m < img.hdr->n_maps; m++) {
        const struct fb_sys_map *mp = &img.maps[m];
        if (mp->pd != i || mp->region == rest)
            continue;
        const struct fb_sys_region *rg = &img.regions[mp->region];
        int dev = (rg->flags & FB_REGION_DEVICE) != 0;
        const char *rname = fb_sysimage_str(&img, rg->name);
        if (add_map(pd, mp->vaddr, rg->size, region_pa[mp->region], mp->perms, dev, FB_MAP_REGION, rname))
            panic("pd %s: cannot map region %s (more than %d mappings?)", pd->name, rname, PD_MAX_MAPS);
        pd->maps[pd->nmaps - 1].region = (uint8_t)mp->region;
    }
}

/* The room above map `mp` of the rest-of-RAM region: up to the PD's next
 * mapping or the stack reserve (the check made sure its least size fits). */
static uint32_t rest_room(const struct fb_sys_map *mp)
{
    const struct pd *pd = &pds[mp->pd];
    uint32_t end = FB_STACK_TOP - FB_STACK_RESERVE;
    for (uint32_t k = 0; k < pd->nmaps; k++)
        if (pd->maps[k].vaddr > mp->vaddr && pd->maps[k].vaddr < end)
            end = pd->maps[k].vaddr;
    return end - mp->vaddr;
}

/* Size the rest-of-RAM region r: every free frame but those the info areas
 * and the region's own second-level tables will take, no larger than the
 * smallest room any PD maps it in; then map it. */
static void map_rest(uint32_t r)
{
    const struct fb_sys_region *rg = &img.regions[r];
    const char *rname = fb_sysimage_str(&img, rg->name);
    uint32_t room = 0xffffffffu, nmaps = 0;
    for (uint32_t m = 0; m < img.hdr->n_maps; m++)
        if (img.maps[m].region == r) {
            uint32_t x = rest_room(&img.maps[m]);
            room = x < room ? x : room;
            nmaps++;
        }
    uint32_t left = palloc_left(FB_PAGE);
    uint32_t info = npds * (FB_PDINFO_BYTES + 1024u) + FB_PAGE;   /* + their tables, + slack */
    uint32_t size = left > info ? left - info : 0;
    uint32_t tables = nmaps * ((size >> 20) + 2u) * 1024u;        /* one per MiB mapped */
    size = size > tables ? size - tables : 0;
    size = (size < room ? size : room) & ~(FB_PAGE - 1);
    if (size < rg->size)
        panic("region %s: only %u bytes of RAM left, less than its least size %u", rname,
              (unsigned)size, (unsigned)rg->size);
    uint32_t pa = palloc(size, FB_PAGE);
    if (!pa)
        panic("region %s: out of memory (%u bytes)", rname, (unsigned)size);
    for (uint32_t m = 0; m < img.hdr->n_maps; m++) {
        const struct fb_sys_map *mp = &img.maps[m];
        if (mp->region != r)
            continue;
        struct pd *pd = &pds[mp->pd];
        if (add_map(pd, mp->vaddr, size, pa, mp->perms, 0, FB_MAP_REGION, rname))
            panic("pd %s: cannot map region %s (more than %d mappings?)", pd->name, rname, PD_MAX_MAPS);
        pd->maps[pd->nmaps - 1].region = (uint8_t)r;
    }
    kprintf("freebeam: region %s is the rest of RAM: %u MiB\n", rname, (unsigned)(size >> 20));
}

int pd_load_all(const void *b, uint32_t avail)
{
    static char err[160];
    static uint32_t region_pa[FB_MAX_REGIONS];
    if (fb_sysimage_check(b, avail, &img, err, sizeof err))
        panic("image: %s", err);
    blob = b;
    npds = img.hdr->n_pds;
    palloc_init(((uint32_t)b + img.hdr->total_len + FB_PAGE - 1) & ~(FB_PAGE - 1), FB_RAM_BASE + ram_size);

    uint32_t rest = FB_NO_REGION;
    for (uint32_t r = 0; r < img.hdr->n_regions; r++) {
        const struct fb_sys_region *rg = &img.regions[r];
        if (rg->flags & FB_REGION_REST) {
            rest = r;           /* sized and mapped last: map_rest */
            continue;
        }
        region_pa[r] = (rg->flags & FB_REGION_DEVICE) ? rg->paddr : palloc(rg->size, FB_PAGE);
        if (!region_pa[r])
            panic("region %s: out of memory (%u bytes)", fb_sysimage_str(&img, rg->name), (unsigned)rg->size);
        int e = rg->data_len ? unpack((uint8_t *)region_pa[r], rg->size, rg->data_off, rg->data_len,
                                      (rg->flags & FB_REGION_DEFLATE) != 0) : 0;
        if (e)
            panic("region %s: compressed initial contents: %s", fb_sysimage_str(&img, rg->name),
                  fb_inflate_strerror(e));
    }
    uint32_t tid_base = 0;
    for (uint32_t i = 0; i < npds; i++) {
        load_pd(i, region_pa, tid_base, rest);
        tid_base += pds[i].max_threads;
    }
    if (rest != FB_NO_REGION)
        map_rest(rest);
    for (uint32_t i = 0; i < npds; i++)
        build_info_area(&pds[i]);
    for (uint32_t c = 0; c < img.hdr->n_channels; c++) {
        const struct fb_sys_channel *ch = &img.channels[c];
        pds[ch->pd_a].ch[ch->id_a].peer = (int16_t)ch->pd_b;
        pds[ch->pd_a].ch[ch->id_a].peer_id = (uint16_t)ch->id_b;
        pds[ch->pd_b].ch[ch->id_b].peer = (int16_t)ch->pd_a;
        pds[ch->pd_b].ch[ch->id_b].peer_id = (uint16_t)ch->id_a;
    }
    for (uint32_t q = 0; q < img.hdr->n_irqs; q++) {
        const struct fb_sys_irq *iq = &img.irqs[q];
        pds[iq->pd].ch[iq->id].peer = -2;
        pds[iq->pd].ch[iq->id].peer_id = (uint16_t)iq->irq;
        irq_bind(iq->irq, &pds[iq->pd], iq->id, (iq->flags & FB_IRQ_EDGE) != 0);
    }
    for (uint32_t i = 0; i < npds; i++)
        if (start_main_thread(&pds[i]))
            panic("pd %s: no thread for its entry", pds[i].name);
    return 0;
}

void pd_stop(struct pd *pd)
{
    pd->running = 0;
    for (uint32_t i = 0; i < pd->max_threads; i++)
        if (pd->tcbs[i].state != T_FREE)
            thread_free(&pd->tcbs[i]);
    thread_pool_init(pd, pd->tcbs, pd->tid_base);   /* the next main thread gets the first tid */
    struct tcb *c;
    while ((c = pd->callq.head))
        ipc_abort_caller(c);
    pd->receiver = NULL;
    pd->pending = 0;
    irq_reset_pd(pd);
}

int pd_restart(struct pd *pd)
{
    pd_stop(pd);
    pd_unprotect(pd);
    pd->cpu_ticks = 0;                  /* a fresh start, like a new process */
    for (uint32_t i = 0; i < pd->nmaps; i++)
        if (pd->maps[i].restore)
            fill_map(pd, &pd->maps[i], 0);
    return start_main_thread(pd);
}

static uint32_t fault_status(uint32_t kind)
{
    switch (kind) {
    case FB_FAULT_UNDEFINED:   return 128 + 4;    /* like SIGILL */
    case FB_FAULT_ALIGNMENT:   return 128 + 7;    /* like SIGBUS */
    case FB_FAULT_BAD_SYSCALL: return 128 + 31;   /* like SIGSYS */
    default:                   return 128 + 11;   /* like SIGSEGV */
    }
}

static const char *fault_name(uint32_t kind)
{
    static const char *const names[] = { "?", "data abort", "prefetch abort",
        "undefined instruction", "alignment fault", "bad kernel call", "exit" };
    return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

/* Stop the PD and hand its record to its monitor; 1 if it has one.  A
 * monitor that is not running (its own monitor is restarting it) gets the
 * record as its first event when it runs again: a driver that faults while
 * the BEAM PD restarts must not end the machine. */
static int report(struct tcb *t, uint32_t kind, uint32_t addr, uint32_t status)
{
    struct pd *pd = t->pd;
    uint32_t *f = pd->fault_rec;
    f[0] = t->tid; f[1] = kind; f[2] = addr; f[3] = t->ctx.pc; f[4] = status;
    pd_stop(pd);
    struct pd *mon = pd->monitor;
    if (!mon)
        return 0;
    mon->fault_pending |= 1u << pd->index;
    if (mon->running)
        ipc_kick(mon);
    else
        kprintf("pd %s stopped (%s, status %u) while its monitor %s is not running: held for it\n",
                pd->name, fault_name(kind), (unsigned)status, mon->name);
    return 1;
}

void pd_exit(struct tcb *t, uint32_t status)
{
    struct pd *pd = t->pd;
    if (report(t, FB_FAULT_EXITED, 0, status))
        return;
    if (pd->rights & FB_RIGHT_POWEROFF)
        power_off(status);
    kprintf("pd %s exited with status %u\n", pd->name, (unsigned)status);
}

void pd_fault(struct tcb *t, uint32_t kind, uint32_t addr, uint32_t status)
{
    struct pd *pd = t->pd;
    const uint32_t *f = pd->fault_rec;
    if (report(t, kind, addr, status))
        return;
    kprintf("fault: pd %s thread %u: %s at 0x%08x, pc 0x%08x, status 0x%x; no monitor: power off\n",
            pd->name, (unsigned)f[0], fault_name(kind), (unsigned)addr, (unsigned)f[3], (unsigned)status);
    power_off(fault_status(kind));
}
