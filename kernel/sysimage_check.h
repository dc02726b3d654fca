/*
 * sysimage_check.h - validation of the system blob (include/freebeam/
 * sysimage.h) before the kernel loads anything from it.
 *
 * The blob comes from outside the kernel, so every count, offset, size,
 * alignment and cross reference is checked here once; the loader then
 * uses the checked view below and re-checks nothing.  A refused blob
 * yields one line saying what is wrong, e.g.
 * "pd 2 (ping): ELF segment 1 is writable and executable".
 */
#ifndef FB_KERNEL_SYSIMAGE_CHECK_H
#define FB_KERNEL_SYSIMAGE_CHECK_H

#include <stdint.h>
#include <freebeam/sysimage.h>

/* One checked PT_LOAD segment of a PD's ELF. */
struct fb_seg {
    uint32_t vaddr, memsz, filesz;
    uint32_t offset;   /* of the file bytes, from the blob start */
    uint32_t perms;    /* FB_PERM_* */
    uint32_t deflated; /* 1: the file bytes are a DEFLATE stream (FB_PF_DEFLATE) */
};

struct fb_pd_layout {
    uint32_t entry;    /* e_entry as in the ELF (bit 0 set: Thumb) */
    uint32_t n_segs;
    struct fb_seg segs[FB_MAX_SEGMENTS];
};

/* The checked view: pointers into the blob, plus each PD's segments. */
struct fb_sysimage {
    const struct fb_sys_header *hdr;
    const struct fb_sys_pd *pds;
    const struct fb_sys_region *regions;
    const struct fb_sys_map *maps;
    const struct fb_sys_channel *channels;
    const struct fb_sys_irq *irqs;
    const char *strings;
    struct fb_pd_layout layout[FB_MAX_PDS];
};

/*
 * 0 and *out filled if the blob (4-byte aligned, at most `avail` readable
 * bytes) is well formed; else -1 with a one-line reason in err (always
 * NUL-terminated when errlen > 0; err may be NULL when errlen is 0).
 * Never reads outside [blob, blob+avail).  *out is unspecified after -1.
 */
int fb_sysimage_check(const void *blob, uint32_t avail, struct fb_sysimage *out,
                      char *err, uint32_t errlen);

/* The name at a checked string offset ("?" if off is outside the table). */
const char *fb_sysimage_str(const struct fb_sysimage *img, uint32_t off);

#endif
