/*
 * sysimage_check.c - checks every field of the system blob (and of the PD
 * ELF files inside it) before the kernel trusts any of it.
 *
 * Rules: no read outside [blob, blob + avail); no integer overflow (sums of
 * 32-bit values are done in 64 bits); the first problem found is reported
 * as one line and the check stops.  Order: header, tables, strings, names
 * (of PDs, regions and channels), PDs (their arguments and ELF), monitors,
 * regions (and their initial data), maps, channels (and their queue pairs),
 * IRQs, so that later messages can name the PDs and regions they refer to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <freebeam/kapi.h>
#include "elf32.h"
#include "fmt.h"
#include "lib.h"
#include "sysimage_check.h"

#define PAGE_MASK   (FB_PAGE - 1u)
#define USER_LO     FB_USER_BASE
#define USER_HI     (FB_STACK_TOP - FB_STACK_RESERVE)  /* end of ELF/map space */
#define MAX_CH_ID   (FB_MAX_CHANNELS - 1u)             /* 62 */
#define KNOWN_RIGHTS (FB_RIGHT_POWEROFF | FB_RIGHT_PD_CONTROL)
#define KNOWN_PERMS (FB_PERM_R | FB_PERM_W | FB_PERM_X)

_Static_assert(FB_MAX_CHANNELS <= 64, "channel ids must fit a 64-bit mask");

struct ck {
    const uint8_t *blob;
    uint32_t total;                 /* checked total_len */
    const struct fb_sys_header *h;
    struct fb_sysimage *img;
    char *err;
    uint32_t errlen;
};

/* Error text: an optional prefix naming the culprit, then the reason. */
__attribute__((format(printf, 2, 3)))
static uint32_t prefix(struct ck *c, const char *fmt, ...)
{
    if (!c->err || c->errlen == 0)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int k = fb_vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return (uint32_t)k < c->errlen ? (uint32_t)k : c->errlen - 1;
}

static int vappend(struct ck *c, uint32_t at, const char *fmt, va_list ap)
{
    if (c->err && c->errlen)
        fb_vsnprintf(c->err + at, c->errlen - at, fmt, ap);
    return -1;
}

static const char *str(const struct ck *c, uint32_t off)
{
    return fb_sysimage_str(c->img, off);
}

#define FAIL_WITH(at)              \
    do {                           \
        uint32_t at_ = (at);       \
        va_list ap;                \
        va_start(ap, fmt);         \
        vappend(c, at_, fmt, ap);  \
        va_end(ap);                \
        return -1;                 \
    } while (0)

__attribute__((format(printf, 2, 3)))
static int fail(struct ck *c, const char *fmt, ...)
{
    FAIL_WITH(0);
}

/* "pd 2 (ping): ..." - only once PD names are checked. */
__attribute__((format(printf, 3, 4)))
static int pdfail(struct ck *c, uint32_t i, const char *fmt, ...)
{
    FAIL_WITH(prefix(c, "pd %u (%s): ", i, str(c, c->img->pds[i].name)));
}

__attribute__((format(printf, 3, 4)))
static int regfail(struct ck *c, uint32_t i, const char *fmt, ...)
{
    FAIL_WITH(prefix(c, "region %u (%s): ", i, str(c, c->img->regions[i].name)));
}

/* "channel 4 (ping_q): ..." or "channel 4: ..." - once its ends are valid. */
__attribute__((format(printf, 3, 4)))
static int chfail(struct ck *c, uint32_t i, const char *fmt, ...)
{
    uint32_t name = c->img->channels[i].name;
    FAIL_WITH(name ? prefix(c, "channel %u (%s): ", i, str(c, name)) : prefix(c, "channel %u: ", i));
}

/* "map 3 (pd ping, region uart): ..." - once its pd and region are valid. */
__attribute__((format(printf, 3, 4)))
static int mapfail(struct ck *c, uint32_t i, const char *fmt, ...)
{
    const struct fb_sys_map *m = &c->img->maps[i];
    FAIL_WITH(prefix(c, "map %u (pd %s, region %s): ", i, str(c, c->img->pds[m->pd].name),
                     str(c, c->img->regions[m->region].name)));
}

/* [va, va+size) inside the window where ELF segments and maps may live. */
static int in_user(uint32_t va, uint32_t size)
{
    return va >= USER_LO && (uint64_t)va + size <= USER_HI;
}

/* Do the pages touched by [a, a+alen) and [b, b+blen) meet?  Lengths > 0. */
static int pages_meet(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    uint64_t a0 = a & ~PAGE_MASK, a1 = (uint64_t)a + alen;
    uint64_t b0 = b & ~PAGE_MASK, b1 = (uint64_t)b + blen;
    a1 = (a1 + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
    b1 = (b1 + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
    return a0 < b1 && b0 < a1;
}

static int table(struct ck *c, const char *what, uint32_t n, uint32_t max,
                 uint32_t off, uint32_t esize)
{
    if (n > max)
        return fail(c, "%s table: %u entries, more than the limit %u", what, n, max);
    if (off & 3u)
        return fail(c, "%s table: offset 0x%x is not 4-byte aligned", what, off);
    if ((uint64_t)off + (uint64_t)n * esize > c->total)
        return fail(c, "%s table (offset 0x%x, %u entries) outside the blob (%u bytes)",
                    what, off, n, c->total);
    return 0;
}

static int check_header(struct ck *c, uint32_t avail)
{
    const struct fb_sys_header *h = c->h;
    if (avail < sizeof *h)
        return fail(c, "blob truncated: %u bytes, the header needs %u",
                    avail, (uint32_t)sizeof *h);
    if (h->magic != FB_SYS_MAGIC)
        return fail(c, "bad magic 0x%08x (expected 0x%08x)", h->magic, FB_SYS_MAGIC);
    if (h->version != FB_SYS_VERSION)
        return fail(c, "unsupported version %u (expected %u)", h->version, FB_SYS_VERSION);
    if (h->total_len < sizeof *h || h->total_len > avail)
        return fail(c, "total_len %u not within [%u, %u available]",
                    h->total_len, (uint32_t)sizeof *h, avail);
    c->total = h->total_len;
    if (h->reserved[0] || h->reserved[1])
        return fail(c, "reserved header fields are not zero");
    if (h->n_pds == 0)
        return fail(c, "no protection domains");
    if (table(c, "pd", h->n_pds, FB_MAX_PDS, h->pds_off, sizeof(struct fb_sys_pd)) ||
        table(c, "region", h->n_regions, FB_MAX_REGIONS, h->regions_off,
              sizeof(struct fb_sys_region)) ||
        table(c, "map", h->n_maps, FB_MAX_MAPS, h->maps_off, sizeof(struct fb_sys_map)) ||
        table(c, "channel", h->n_channels, FB_MAX_CHANNELS_SYS, h->channels_off,
              sizeof(struct fb_sys_channel)) ||
        table(c, "irq", h->n_irqs, FB_MAX_IRQS, h->irqs_off, sizeof(struct fb_sys_irq)))
        return -1;
    if (h->strings_len == 0)
        return fail(c, "string table is empty");
    if ((uint64_t)h->strings_off + h->strings_len > c->total)
        return fail(c, "string table (offset 0x%x, %u bytes) outside the blob (%u bytes)",
                    h->strings_off, h->strings_len, c->total);
    if (c->blob[h->strings_off + h->strings_len - 1] != '\0')
        return fail(c, "string table does not end with NUL");

    struct fb_sysimage *img = c->img;
    img->hdr = h;
    img->pds = (const struct fb_sys_pd *)(c->blob + h->pds_off);
    img->regions = (const struct fb_sys_region *)(c->blob + h->regions_off);
    img->maps = (const struct fb_sys_map *)(c->blob + h->maps_off);
    img->channels = (const struct fb_sys_channel *)(c->blob + h->channels_off);
    img->irqs = (const struct fb_sys_irq *)(c->blob + h->irqs_off);
    img->strings = (const char *)(c->blob + h->strings_off);
    return 0;
}

/* A name: inside the string table, non-empty, printable ASCII (it ends up
 * in one-line console messages). */
static int check_name(struct ck *c, const char *kind, uint32_t i, uint32_t off)
{
    if (off >= c->h->strings_len)
        return fail(c, "%s %u: name offset %u outside the string table (%u bytes)",
                    kind, i, off, c->h->strings_len);
    const char *s = c->img->strings + off;
    if (!*s)
        return fail(c, "%s %u: empty name", kind, i);
    uint32_t len = 0;
    for (; *s; s++, len++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return fail(c, "%s %u: name has a non-printable byte 0x%02x",
                        kind, i, (unsigned)(unsigned char)*s);
    if (len > FB_MAX_NAME)
        return fail(c, "%s %u: name of %u characters is longer than %u", kind, i, len, FB_MAX_NAME);
    return 0;
}

/* Names of one kind: each checked, no two the same.  at(img, i) is the name
 * offset of entry i; optional: offset 0 means "no name" for this kind. */
static int check_kind_names(struct ck *c, const char *kind, uint32_t n, int optional,
                            uint32_t (*at)(const struct fb_sysimage *, uint32_t))
{
    for (uint32_t i = 0; i < n; i++)
        if (!(optional && at(c->img, i) == 0) && check_name(c, kind, i, at(c->img, i)))
            return -1;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++) {
            uint32_t oi = at(c->img, i), oj = at(c->img, j);
            if (optional && (oi == 0 || oj == 0))
                continue;
            if (!strcmp(str(c, oi), str(c, oj)))
                return fail(c, "%s %u and %s %u have the same name \"%s\"", kind, i, kind, j, str(c, oi));
        }
    return 0;
}

static uint32_t pd_name(const struct fb_sysimage *img, uint32_t i) { return img->pds[i].name; }
static uint32_t region_name(const struct fb_sysimage *img, uint32_t i) { return img->regions[i].name; }
static uint32_t channel_name(const struct fb_sysimage *img, uint32_t i) { return img->channels[i].name; }

static int check_names(struct ck *c)
{
    const struct fb_sys_header *h = c->h;
    return check_kind_names(c, "pd", h->n_pds, 0, pd_name) ||
           check_kind_names(c, "region", h->n_regions, 0, region_name) ||
           check_kind_names(c, "channel", h->n_channels, 1, channel_name) ? -1 : 0;
}

static int check_elf(struct ck *c, uint32_t i)
{
    const struct fb_sys_pd *pd = &c->img->pds[i];
    struct fb_pd_layout *lay = &c->img->layout[i];
    const uint8_t *e = c->blob + pd->elf_off;
    uint32_t len = pd->elf_len;

    if (len < sizeof(Elf32_Ehdr))
        return pdfail(c, i, "ELF of %u bytes is shorter than an ELF header", len);
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)e;
    if (eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG1] != ELFMAG1 ||
        eh->e_ident[EI_MAG2] != ELFMAG2 || eh->e_ident[EI_MAG3] != ELFMAG3)
        return pdfail(c, i, "not an ELF file");
    if (eh->e_ident[EI_CLASS] != ELFCLASS32)
        return pdfail(c, i, "ELF class %u is not ELFCLASS32", eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return pdfail(c, i, "ELF is not little-endian (ELFDATA2LSB)");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return pdfail(c, i, "ELF version is not EV_CURRENT");
    if (eh->e_machine != EM_ARM)
        return pdfail(c, i, "ELF machine %u is not ARM (%u)", eh->e_machine, EM_ARM);
    if (eh->e_type != ET_EXEC)
        return pdfail(c, i, "ELF type %u is not an executable (ET_EXEC)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf32_Phdr))
        return pdfail(c, i, "ELF program header size %u is not %u",
                      eh->e_phentsize, (uint32_t)sizeof(Elf32_Phdr));
    if (eh->e_phoff & 3u)
        return pdfail(c, i, "ELF program header offset 0x%x is not 4-byte aligned",
                      eh->e_phoff);
    if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > len)
        return pdfail(c, i, "ELF program headers (offset 0x%x, %u entries) outside the "
                      "ELF (%u bytes)", eh->e_phoff, eh->e_phnum, len);

    const Elf32_Phdr *ph = (const Elf32_Phdr *)(e + eh->e_phoff);
    uint32_t phidx[FB_MAX_SEGMENTS];
    uint32_t n = 0;
    for (uint32_t k = 0; k < eh->e_phnum; k++) {
        if (ph[k].p_type == PT_INTERP || ph[k].p_type == PT_DYNAMIC)
            return pdfail(c, i, "ELF is dynamically linked (%s)",
                          ph[k].p_type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
    }
    for (uint32_t k = 0; k < eh->e_phnum; k++) {
        const Elf32_Phdr *p = &ph[k];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (n == FB_MAX_SEGMENTS)
            return pdfail(c, i, "ELF has more than %u loadable segments", FB_MAX_SEGMENTS);
        if (p->p_filesz > p->p_memsz)
            return pdfail(c, i, "ELF segment %u: file size %u exceeds memory size %u",
                          k, p->p_filesz, p->p_memsz);
        if ((uint64_t)p->p_offset + p->p_filesz > len)
            return pdfail(c, i, "ELF segment %u: file bytes (offset 0x%x, %u bytes) "
                          "outside the ELF (%u bytes)", k, p->p_offset, p->p_filesz, len);
        if (!in_user(p->p_vaddr, p->p_memsz))
            return pdfail(c, i, "ELF segment %u [0x%x, 0x%llx) outside the user window "
                          "[0x%x, 0x%x)", k, p->p_vaddr,
                          (unsigned long long)p->p_vaddr + p->p_memsz, USER_LO, USER_HI);
        uint32_t perms = p->p_flags & KNOWN_PERMS;
        if (!(perms & FB_PERM_R))
            return pdfail(c, i, "ELF segment %u is not readable", k);
        if ((perms & FB_PERM_W) && (perms & FB_PERM_X))
            return pdfail(c, i, "ELF segment %u is writable and executable", k);
        for (uint32_t s = 0; s < n; s++)
            if (pages_meet(lay->segs[s].vaddr, lay->segs[s].memsz, p->p_vaddr, p->p_memsz))
                return pdfail(c, i, "ELF segments %u and %u share a page", phidx[s], k);
        phidx[n] = k;
        lay->segs[n].vaddr = p->p_vaddr;
        lay->segs[n].memsz = p->p_memsz;
        lay->segs[n].filesz = p->p_filesz;
        lay->segs[n].offset = pd->elf_off + p->p_offset;   /* <= total_len: no wrap */
        lay->segs[n].perms = perms;
        lay->segs[n].deflated = (p->p_flags & FB_PF_DEFLATE) != 0;
        n++;
    }
    lay->n_segs = n;
    lay->entry = eh->e_entry;

    uint32_t entry = eh->e_entry & ~1u;
    for (uint32_t s = 0; s < n; s++) {
        const struct fb_seg *sg = &lay->segs[s];
        if ((sg->perms & FB_PERM_X) && entry >= sg->vaddr &&
            (uint64_t)entry < (uint64_t)sg->vaddr + sg->memsz)
            return 0;
    }
    return pdfail(c, i, "ELF entry 0x%x is not inside an executable segment", eh->e_entry);
}

/* The PD's argument block: 0/0, or inside the blob, at most
 * FB_MAX_ARGS_BYTES, NUL-terminated strings: argv up to the first empty
 * string, then environment strings, none of them empty.  Byte granular: any
 * offset will do. */
static int check_args(struct ck *c, uint32_t i)
{
    const struct fb_sys_pd *pd = &c->img->pds[i];
    uint32_t off = pd->args_off, len = pd->args_len;
    if (off == 0 && len == 0)
        return 0;
    if (len == 0)
        return pdfail(c, i, "arguments at offset 0x%x with a length of 0", off);
    if (len > FB_MAX_ARGS_BYTES)
        return pdfail(c, i, "arguments of %u bytes exceed the limit %u", len, FB_MAX_ARGS_BYTES);
    if ((uint64_t)off + len > c->total)
        return pdfail(c, i, "arguments (offset 0x%x, %u bytes) outside the blob (%u bytes)",
                      off, len, c->total);
    const uint8_t *a = c->blob + off;
    if (a[len - 1] != '\0')
        return pdfail(c, i, "arguments do not end with NUL");
    /* Every scan below stops at a NUL, and a[len - 1] is one. */
    uint32_t k = 0;
    while (a[k] != '\0') {
        while (a[k] != '\0')
            k++;
        if (++k == len)
            return pdfail(c, i, "arguments lack the empty string that ends argv");
    }
    for (k++; k < len; k++) {
        if (a[k] == '\0')
            return pdfail(c, i, "arguments: empty environment string at byte %u", k);
        while (a[k] != '\0')
            k++;
    }
    return 0;
}

static int check_pds(struct ck *c)
{
    uint32_t npd = c->h->n_pds;
    for (uint32_t i = 0; i < npd; i++) {
        const struct fb_sys_pd *pd = &c->img->pds[i];
        if (pd->elf_off & 3u)
            return pdfail(c, i, "ELF offset 0x%x is not 4-byte aligned", pd->elf_off);
        if ((uint64_t)pd->elf_off + pd->elf_len > c->total)
            return pdfail(c, i, "ELF (offset 0x%x, %u bytes) outside the blob (%u bytes)",
                          pd->elf_off, pd->elf_len, c->total);
        if (pd->priority > FB_MAX_PRIO)
            return pdfail(c, i, "priority %u above %u", pd->priority, FB_MAX_PRIO);
        if (pd->stack_bytes == 0 || (pd->stack_bytes & PAGE_MASK))
            return pdfail(c, i, "stack size %u is not a non-zero multiple of %u",
                          pd->stack_bytes, FB_PAGE);
        if ((uint64_t)pd->stack_bytes + FB_PAGE > FB_STACK_RESERVE)
            return pdfail(c, i, "stack of %u bytes and its guard page exceed the "
                          "stack reserve (%u bytes)", pd->stack_bytes, FB_STACK_RESERVE);
        if (pd->max_threads < 1 || pd->max_threads > FB_MAX_THREADS_PD)
            return pdfail(c, i, "max_threads %u not in 1..%u",
                          pd->max_threads, FB_MAX_THREADS_PD);
        if (pd->monitor != FB_NO_PD && pd->monitor >= npd)
            return pdfail(c, i, "monitor %u is not a PD", pd->monitor);
        if (pd->monitor == i)
            return pdfail(c, i, "is its own monitor");
        if (pd->rights & ~KNOWN_RIGHTS)
            return pdfail(c, i, "unknown rights bits 0x%x", pd->rights & ~KNOWN_RIGHTS);
        if (check_args(c, i) || check_elf(c, i))
            return -1;
    }
    /* Following monitors from any PD must reach FB_NO_PD within npd steps. */
    for (uint32_t i = 0; i < npd; i++) {
        uint32_t cur = i, steps = 0;
        while (cur != FB_NO_PD && steps <= npd) {
            cur = c->img->pds[cur].monitor;
            steps++;
        }
        if (cur != FB_NO_PD)
            return pdfail(c, i, "monitors form a cycle");
    }
    return 0;
}

static int check_regions(struct ck *c)
{
    uint32_t rest = FB_NO_REGION;
    for (uint32_t i = 0; i < c->h->n_regions; i++) {
        const struct fb_sys_region *r = &c->img->regions[i];
        if (r->size == 0 || (r->size & PAGE_MASK))
            return regfail(c, i, "size %u is not a non-zero multiple of %u", r->size, FB_PAGE);
        uint32_t known = FB_REGION_DEVICE | FB_REGION_DMA | FB_REGION_REST | FB_REGION_DEFLATE;
        if (r->flags & ~known)
            return regfail(c, i, "unknown flag bits 0x%x", r->flags & ~known);
        if ((r->flags & FB_REGION_DEFLATE) && r->data_len == 0)
            return regfail(c, i, "compressed (FB_REGION_DEFLATE) without initial data");
        int device = (r->flags & FB_REGION_DEVICE) != 0;
        if (device && (r->flags & FB_REGION_DMA))
            return regfail(c, i, "a device region cannot be a DMA region (DMA memory is RAM)");
        if (r->flags & FB_REGION_REST) {
            if (device)
                return regfail(c, i, "the rest of RAM cannot be device memory");
            if (r->flags & FB_REGION_DMA)
                return regfail(c, i, "the rest of RAM cannot be a DMA region");
            if (rest != FB_NO_REGION)
                return regfail(c, i, "a second rest-of-RAM region (region %u is one)", rest);
            if (r->data_off || r->data_len)
                return regfail(c, i, "the rest of RAM cannot have initial data");
            rest = i;
        }
        if (device && r->paddr == 0)
            return regfail(c, i, "device region without a physical address");
        if (!device && r->paddr != 0)
            return regfail(c, i, "physical address 0x%x without FB_REGION_DEVICE", r->paddr);
        if (device && (r->paddr & PAGE_MASK))
            return regfail(c, i, "device address 0x%x is not page aligned", r->paddr);
        if (device && (uint64_t)r->paddr + r->size > FB_RAM_BASE)
            return regfail(c, i, "device range [0x%x, 0x%llx) is not below RAM (0x%x)",
                           r->paddr, (unsigned long long)r->paddr + r->size, FB_RAM_BASE);
        /* Initial contents: 0/0, or RAM and within both the blob and the region. */
        if (r->data_off == 0 && r->data_len == 0)
            continue;
        if (device)
            return regfail(c, i, "device region with initial data (offset 0x%x, %u bytes)",
                           r->data_off, r->data_len);
        if ((uint64_t)r->data_off + r->data_len > c->total)
            return regfail(c, i, "data (offset 0x%x, %u bytes) outside the blob (%u bytes)",
                           r->data_off, r->data_len, c->total);
        if (r->data_len > r->size)
            return regfail(c, i, "data of %u bytes larger than the region (%u bytes)",
                           r->data_len, r->size);
    }
    return 0;
}

static int check_maps(struct ck *c)
{
    const struct fb_sysimage *img = c->img;
    for (uint32_t i = 0; i < c->h->n_maps; i++) {
        const struct fb_sys_map *m = &img->maps[i];
        if (m->pd >= c->h->n_pds)
            return fail(c, "map %u: pd %u is not a PD", i, m->pd);
        if (m->region >= c->h->n_regions)
            return fail(c, "map %u: region %u is not a region", i, m->region);
        const struct fb_sys_region *r = &img->regions[m->region];
        if (m->vaddr & PAGE_MASK)
            return mapfail(c, i, "address 0x%x is not page aligned", m->vaddr);
        if (!in_user(m->vaddr, r->size))
            return mapfail(c, i, "range [0x%x, 0x%llx) outside the user window [0x%x, 0x%x)",
                           m->vaddr, (unsigned long long)m->vaddr + r->size, USER_LO, USER_HI);
        if (m->perms & ~KNOWN_PERMS)
            return mapfail(c, i, "unknown permission bits 0x%x", m->perms & ~KNOWN_PERMS);
        if (!(m->perms & FB_PERM_R))
            return mapfail(c, i, "not readable");
        if ((m->perms & FB_PERM_W) && (m->perms & FB_PERM_X))
            return mapfail(c, i, "writable and executable");
        if ((m->perms & FB_PERM_X) && (r->flags & FB_REGION_DEVICE))
            return mapfail(c, i, "device memory mapped executable");
        for (uint32_t j = 0; j < i; j++) {
            const struct fb_sys_map *o = &img->maps[j];
            if (o->pd == m->pd &&
                pages_meet(o->vaddr, img->regions[o->region].size, m->vaddr, r->size))
                return mapfail(c, i, "overlaps map %u", j);
        }
        const struct fb_pd_layout *lay = &img->layout[m->pd];
        for (uint32_t s = 0; s < lay->n_segs; s++)
            if (pages_meet(lay->segs[s].vaddr, lay->segs[s].memsz, m->vaddr, r->size))
                return mapfail(c, i, "overlaps the ELF segment at 0x%x", lay->segs[s].vaddr);
    }
    return 0;
}

/* Each (pd, channel id) names one channel end or one IRQ, never two. */
static int claim(struct ck *c, uint64_t *used, uint32_t pd, uint32_t id,
                 const char *what, uint32_t idx)
{
    uint64_t bit = (uint64_t)1 << id;
    if (used[pd] & bit)
        return pdfail(c, pd, "channel id %u used twice (again by %s %u)", id, what, idx);
    used[pd] |= bit;
    return 0;
}

/* The one map of a queue region by one end of channel i: read-write. */
static int check_queue_map(struct ck *c, uint32_t i, uint32_t pd, uint32_t region)
{
    uint32_t n = 0, perms = 0;
    for (uint32_t m = 0; m < c->h->n_maps; m++)
        if (c->img->maps[m].pd == pd && c->img->maps[m].region == region) {
            n++;
            perms = c->img->maps[m].perms;
        }
    const char *pname = str(c, c->img->pds[pd].name), *rname = str(c, c->img->regions[region].name);
    if (n != 1)
        return chfail(c, i, "pd %s maps queue region %s %u times, not exactly once", pname, rname, n);
    if (!(perms & FB_PERM_W))
        return chfail(c, i, "pd %s maps queue region %s read-only", pname, rname);
    return 0;
}

/* No queue (FB_NO_REGION, depth 0, slot 0), or a RAM region of its own that
 * both ends map read-write, each half big enough (sysimage.h). */
static int check_queue(struct ck *c, uint32_t i)
{
    const struct fb_sys_channel *ch = &c->img->channels[i];
    uint32_t r = ch->queue_region, depth = ch->queue_depth, slot = ch->queue_slot;
    if (r == FB_NO_REGION) {
        if (depth || slot)
            return chfail(c, i, "queue depth %u and slot %u without a queue region", depth, slot);
        return 0;
    }
    if (r >= c->h->n_regions)
        return chfail(c, i, "queue region %u is not a region", r);
    const struct fb_sys_region *rg = &c->img->regions[r];
    const char *rname = str(c, rg->name);
    if (rg->flags & FB_REGION_DEVICE)
        return chfail(c, i, "queue region %s is device memory", rname);
    if (rg->flags & FB_REGION_REST)
        return chfail(c, i, "queue region %s is the rest of RAM (its size is not known before boot)", rname);
    if (depth < 1 || depth > FB_QUEUE_MAX_DEPTH || (depth & (depth - 1)))
        return chfail(c, i, "queue depth %u is not a power of two in 1..%u", depth, FB_QUEUE_MAX_DEPTH);
    if (slot < 8 || slot > FB_QUEUE_MAX_SLOT || (slot & 7u))
        return chfail(c, i, "queue slot %u is not a multiple of 8 in 8..%u", slot, FB_QUEUE_MAX_SLOT);
    uint64_t need = FB_QUEUE_HEAD_BYTES + (uint64_t)depth * (FB_QUEUE_DESC_BYTES + slot);
    if (rg->size / 2 < need)
        return chfail(c, i, "queue region %s: a half of %u bytes is less than the %llu that depth %u "
                      "and slot %u need", rname, rg->size / 2, (unsigned long long)need, depth, slot);
    for (uint32_t j = 0; j < i; j++)
        if (c->img->channels[j].queue_region == r)
            return chfail(c, i, "queue region %s already carries the queue of channel %u", rname, j);
    return check_queue_map(c, i, ch->pd_a, r) || check_queue_map(c, i, ch->pd_b, r) ? -1 : 0;
}

static int check_channels_irqs(struct ck *c)
{
    const struct fb_sysimage *img = c->img;
    uint32_t npd = c->h->n_pds;
    uint64_t used[FB_MAX_PDS];
    memset(used, 0, sizeof used);
    for (uint32_t i = 0; i < c->h->n_channels; i++) {
        const struct fb_sys_channel *ch = &img->channels[i];
        if (ch->pd_a >= npd || ch->pd_b >= npd)
            return fail(c, "channel %u: pd %u is not a PD", i,
                        ch->pd_a >= npd ? ch->pd_a : ch->pd_b);
        if (ch->pd_a == ch->pd_b)
            return fail(c, "channel %u connects pd %u (%s) to itself",
                        i, ch->pd_a, str(c, img->pds[ch->pd_a].name));
        if (ch->id_a > MAX_CH_ID || ch->id_b > MAX_CH_ID)
            return fail(c, "channel %u: id %u above %u", i,
                        ch->id_a > MAX_CH_ID ? ch->id_a : ch->id_b, MAX_CH_ID);
        if (claim(c, used, ch->pd_a, ch->id_a, "channel", i) ||
            claim(c, used, ch->pd_b, ch->id_b, "channel", i) || check_queue(c, i))
            return -1;
    }
    for (uint32_t i = 0; i < c->h->n_irqs; i++) {
        const struct fb_sys_irq *q = &img->irqs[i];
        if (q->irq < 32 || q->irq > 1019)
            return fail(c, "irq entry %u: interrupt %u is not an SPI (32..1019)", i, q->irq);
        if (q->pd >= npd)
            return fail(c, "irq entry %u: pd %u is not a PD", i, q->pd);
        if (q->id > MAX_CH_ID)
            return fail(c, "irq entry %u: id %u above %u", i, q->id, MAX_CH_ID);
        if (q->flags & ~FB_IRQ_EDGE)
            return fail(c, "irq entry %u: unknown flag bits 0x%x", i, q->flags & ~FB_IRQ_EDGE);
        for (uint32_t j = 0; j < i; j++)
            if (img->irqs[j].irq == q->irq)
                return fail(c, "irq entry %u: interrupt %u already claimed by entry %u",
                            i, q->irq, j);
        if (claim(c, used, q->pd, q->id, "irq entry", i))
            return -1;
    }
    return 0;
}

int fb_sysimage_check(const void *blob, uint32_t avail, struct fb_sysimage *out,
                      char *err, uint32_t errlen)
{
    struct ck c = { blob, 0, blob, out, err, errlen };
    if (err && errlen)
        err[0] = '\0';
    memset(out, 0, sizeof *out);
    if (check_header(&c, avail) || check_names(&c) || check_pds(&c) ||
        check_regions(&c) || check_maps(&c) || check_channels_irqs(&c))
        return -1;
    return 0;
}

const char *fb_sysimage_str(const struct fb_sysimage *img, uint32_t off)
{
    if (!img->hdr || off >= img->hdr->strings_len)
        return "?";
    return img->strings + off;
}
