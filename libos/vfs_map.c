/*
 * vfs_map.c - file mappings (see vfs.h, "file mappings").
 *
 * A PD cannot change its page tables: every mapping is memory of the heap
 * region.  A private mapping (or a read-only shared one of an archive
 * file, which never changes) is fresh anonymous memory holding a copy of
 * the file (sys_mm.c does that with the file's pread).  A shared mapping
 * of a tmpfs file is the file's data itself, pinned while mapped: what a
 * store through it writes, read() returns, what write() writes, it shows,
 * and every shared mapping of the same range is the same memory.
 *
 * The records here say which heap pages are a file's data seen through a
 * shared mapping, so that munmap, madvise, MAP_FIXED and mremap leave
 * those pages to the file.  One record per mmap (split by a munmap in its
 * middle); all under vfs_lock.  munmap takes one layer of mapping off
 * (the records' extents), but what munmap and madvise leave alone, and
 * what MAP_FIXED may not replace, is the whole data run of every file
 * that has a shared mapping: a page unmapped from the middle of a mapping
 * is still the file's, also if the program unmaps the whole range later.
 */
#include "libos.h"
#include "vfs.h"
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096u
#define DEV_ZERO ((1u << 8) | 5u)       /* rdev of /dev/zero (vfs_dev.c) */

struct fmap {
    uintptr_t s, e;         /* [s, e), page aligned */
    struct vnode *n;        /* NULL: a free slot */
};
static struct fmap fmaps[VFS_MAX_MAPS];
uint32_t vfs_nmaps;

static void said_once(bool *said, const char *msg)
{
    if (!*said) {
        *said = true;
        libos_puts(msg);
    }
}

static struct fmap *slot_locked(void)
{
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        if (!fmaps[i].n)
            return &fmaps[i];
    return NULL;
}

static void count_locked(int d)
{
    __atomic_store_n(&vfs_nmaps, vfs_nmaps + (uint32_t)d, __ATOMIC_RELAXED);
}

static inline uint64_t page_up(uint64_t v)
{
    return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

long vfs_map_kind(struct file *f, long prot, long flags)
{
    long type = flags & MAP_TYPE;
    bool shared = type == MAP_SHARED || type == MAP_SHARED_VALIDATE;
    if (!shared && type != MAP_PRIVATE)
        return -EINVAL;
    if (f->flags & O_PATH)
        return -EBADF;
    struct vnode *n = vfs_file_node(f);
    if (!n)
        return -ENODEV;             /* pipes, eventfds */
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -EACCES;
    if (S_ISCHR(n->mode))
        return n->rdev == DEV_ZERO ? VFS_MAP_ANON : -ENODEV;
    if (!S_ISREG(n->mode))
        return -ENODEV;
    if (!shared)
        return VFS_MAP_COPY;
    if (n->fs->ro)                  /* an archive: a read-only file system */
        return (prot & PROT_WRITE) ? -EACCES : VFS_MAP_COPY;
    if ((prot & PROT_WRITE) && ((f->flags & O_ACCMODE) != O_RDWR || (f->flags & O_APPEND)))
        return -EACCES;
    return VFS_MAP_SHARED;
}

long vfs_map_shared(struct file *f, uint64_t off, size_t len, uintptr_t fixed)
{
    static bool said;
    struct vnode *n = vfs_file_node(f);
    if (!n || len == 0 || (off & (PAGE - 1)))
        return -EINVAL;
    uint64_t end = off + page_up(len);
    libos_lock(&vfs_lock);
    long r;
    struct fmap *m = slot_locked();
    if (!m) {
        r = -ENOMEM;
    } else if ((r = vfs_reserve_locked(n, end)) == 0) {
        uintptr_t addr = (uintptr_t)n->data + (uintptr_t)off;
        if (fixed && fixed != addr) {
            said_once(&said, "libos: MAP_SHARED|MAP_FIXED of a tmpfs file refused (EINVAL): its mapping is "
                             "the file's own memory, at an address of its own\n");
            r = -EINVAL;
        } else {
            m->s = addr;
            m->e = (uintptr_t)n->data + (uintptr_t)end;
            m->n = n;
            n->maps++;
            count_locked(1);
            r = (long)addr;
        }
    }
    libos_unlock(&vfs_lock);
    return r;
}

/* What record i covers: its own extent, or (run) its file's whole data. */
static uintptr_t cov_s(unsigned i, bool run)
{
    return run ? (uintptr_t)fmaps[i].n->data : fmaps[i].s;
}

static uintptr_t cov_e(unsigned i, bool run)
{
    return run ? (uintptr_t)fmaps[i].n->data + fmaps[i].n->cap : fmaps[i].e;
}

bool vfs_map_overlaps_locked(uintptr_t s, uintptr_t e)
{
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        if (fmaps[i].n && cov_s(i, true) < e && s < cov_e(i, true))
            return true;
    return false;
}

/* The first record covering address c, or -1. */
static int holding_locked(uintptr_t c, bool run)
{
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        if (fmaps[i].n && cov_s(i, run) <= c && c < cov_e(i, run))
            return (int)i;
    return -1;
}

/* The lowest start of what a record covers in (c, e), or e. */
static uintptr_t next_start_locked(uintptr_t c, uintptr_t e, bool run)
{
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        if (fmaps[i].n && cov_s(i, run) > c && cov_s(i, run) < e)
            e = cov_s(i, run);
    return e;
}

bool vfs_map_gap_locked(uintptr_t s, uintptr_t e, uintptr_t *gs, uintptr_t *ge)
{
    uintptr_t c = s;
    int i;
    while (c < e && (i = holding_locked(c, true)) >= 0)
        c = cov_e((unsigned)i, true);
    if (c >= e)
        return false;
    *gs = c;
    *ge = next_start_locked(c, e, true);
    return true;
}

void vfs_unmap_locked(uintptr_t s, uintptr_t e)
{
    static bool said;
    uintptr_t c = s;
    while (c < e) {
        /* Prefer a record that goes whole (munmap of what one mmap
         * returned drops that mapping, not a piece of another). */
        int i = -1;
        for (unsigned j = 0; j < VFS_MAX_MAPS && i < 0; j++)
            if (fmaps[j].n && fmaps[j].s == c && fmaps[j].e <= e)
                i = (int)j;
        if (i < 0)
            i = holding_locked(c, false);
        if (i < 0) {
            c = next_start_locked(c, e, false);
            continue;
        }
        struct fmap *m = &fmaps[i];
        uintptr_t x = m->e < e ? m->e : e;
        if (c == m->s && x == m->e) {
            struct vnode *n = m->n;
            m->n = NULL;
            count_locked(-1);
            vfs_unpin_locked(n);
        } else if (c == m->s) {
            m->s = x;
        } else if (x == m->e) {
            m->e = c;
        } else {
            struct fmap *q = slot_locked();
            if (q) {
                *q = (struct fmap){ x, m->e, m->n };
                m->e = c;
                m->n->maps++;
                count_locked(1);
            } else {
                /* No record for the far part: keep the whole mapping (its
                 * pages stay the file's, pinned), as if not unmapped. */
                said_once(&said, "libos: munmap in the middle of a shared file mapping with the mapping table "
                                 "full: the mapping stays\n");
            }
        }
        c = x;
    }
}

long vfs_remap_locked(uintptr_t old, size_t old_len, size_t new_len)
{
    static bool said;
    uintptr_t oe = old + (uintptr_t)page_up(old_len), ne = old + (uintptr_t)page_up(new_len);
    struct fmap *m = NULL;
    for (unsigned i = 0; i < VFS_MAX_MAPS && !m; i++)
        if (fmaps[i].n && fmaps[i].s == old && fmaps[i].e == oe)
            m = &fmaps[i];
    if (!m || ne <= old) {
        said_once(&said, "libos: mremap of part of a shared file mapping, or of more than one, refused (EINVAL)\n");
        return -EINVAL;
    }
    if (ne > (uintptr_t)m->n->data + m->n->cap)
        return -ENOMEM;         /* the file's data cannot move while it is mapped */
    m->e = ne;
    return (long)old;
}
