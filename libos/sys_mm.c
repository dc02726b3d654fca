/*
 * sys_mm.c - memory calls over the PD's heap region.
 *
 * The system description maps one read-write region into the PD (the
 * "heap", at __libos_heap_start..__libos_heap_end: symbols of the program's
 * linker script, libos/program.ld).  Its first pages hold a magic word
 * and the allocator's bitmaps (mm_region.h); the rest is what mmap hands
 * out.  The kernel maps the whole region at boot, so mapping is
 * bookkeeping only: there is no
 * demand paging.  Protections are the kernel's (PROTECT): mprotect and mmap's
 * prot change a page's permissions, and a byte per heap page remembers
 * them (perm[]: PERM_RW, the default, PERM_R or PERM_NONE), so that a page
 * is read-write again before it is freed or zeroed, and so that libos_user_ok
 * refuses a system call's buffer the program may not touch.  Nothing is
 * ever executable (PROT_EXEC is refused).  Shared file mappings are the
 * file's own pages: their protections are not enforced.
 *
 * brk never moves: it reports the end of the program's data, which makes
 * musl's malloc use mmap only (docs/internals.md note 10).
 *
 * Files (vfs_map.c): a private mapping is anonymous memory with a copy of
 * the file in it; a shared mapping of a tmpfs file is the file's own pages.
 * Those pages belong to the file, not to the mapping: munmap, madvise,
 * MAP_FIXED and mremap ask vfs_map.c which pages of a range they are (only
 * when some shared file mapping exists: vfs_nmaps).  Lock order: vfs_lock,
 * then libos_mm_lock.
 */
#include "libos.h"
#include <string.h>
#include <sys/mman.h>
#include <freebeam/kcall.h>
#include "mm_region.h"
#include "file.h"
#include "vfs.h"

#define PAGE MMR_PAGE
#define HEAP_MAGIC 0x50414548u     /* "HEAP": the region was used by a previous run */

struct libos_lock libos_mm_lock;
static struct mm_region heap;
static uintptr_t brk_cur;

enum { PERM_RW, PERM_R, PERM_NONE };
static uint8_t *perm;              /* per heap page; heap metadata, after the bitmaps */
static uintptr_t heap_lo;          /* the region's start (its first pages: the metadata) */
static bool any_perm;              /* some page is not PERM_RW (the common case skips the scans) */

static uint32_t log_once_mask;

static void log_once(unsigned bit, const char *msg)
{
    if (!(__atomic_fetch_or(&log_once_mask, 1u << bit, __ATOMIC_RELAXED) & (1u << bit)))
        libos_puts(msg);
}

void libos_mm_init(uintptr_t heap_base, size_t heap_size, uintptr_t brk_start)
{
    brk_cur = (brk_start + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
    heap_base = (heap_base + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
    heap_lo = heap_base;
    uint32_t total = (uint32_t)(heap_size / PAGE);
    /* Bitmaps at the start of the region: two of them, for the pages that
     * remain after them (computed for all pages: a slight overestimate). */
    uint32_t words = mmr_bitmap_words(total);
    uint32_t meta = (uint32_t)((sizeof(uint32_t) + 2u * words * sizeof(uint32_t) + total + PAGE - 1) / PAGE);
    if (total <= meta) {
        libos_puts("libos: no heap region: mmap will fail\n");
        mmr_init(&heap, heap_base, 0, (uint32_t *)heap_base, (uint32_t *)heap_base);
        return;
    }
    volatile uint32_t *magic = (volatile uint32_t *)heap_base;
    uint32_t *used = (uint32_t *)heap_base + 1;
    uint32_t *dirty = used + words;
    mmr_init(&heap, heap_base + (uintptr_t)meta * PAGE, total - meta, used, dirty);
    perm = (uint8_t *)(dirty + words);
    memset(perm, PERM_RW, total - meta);    /* a (re)started PD's pages are as described */
    /* The kernel zeroes the region at boot, but not when it restarts the
     * PD: then the magic word of the previous run is there, and every page
     * may hold old data. */
    if (*magic == HEAP_MAGIC)
        mmr_mark_dirty(&heap, 0, heap.npages);
    *magic = HEAP_MAGIC;
}

static inline uint32_t pages_of(size_t len)
{
    return (uint32_t)((len + PAGE - 1) / PAGE);
}

/* The heap pages of [addr, addr+len): 0 if the range is inside the heap,
 * -1 if it is wholly outside, -2 if it straddles the edge. */
static int heap_range(uintptr_t addr, size_t len, uint32_t *first, uint32_t *n)
{
    long p = mmr_page_of(&heap, addr);
    uint32_t np = pages_of(len);
    if (p < 0) {
        uintptr_t end = addr + (uintptr_t)np * PAGE;
        if (end <= heap.base || addr >= mmr_addr(&heap, heap.npages))
            return -1;
        return -2;
    }
    if (np > heap.npages - (uint32_t)p)
        return -2;
    *first = (uint32_t)p;
    *n = np;
    return 0;
}

static bool any_file_maps(void)
{
    return __atomic_load_n(&vfs_nmaps, __ATOMIC_RELAXED) != 0;
}

static uint32_t perm_bits(uint8_t p)
{
    return p == PERM_NONE ? 0 : p == PERM_R ? FB_PERM_R : FB_PERM_R | FB_PERM_W;
}

/* Pages [first, first+n) get permissions p (kernel and perm[]); runs of
 * pages that already have them are left alone.  With libos_mm_lock. */
static long heap_protect_locked(uint32_t first, uint32_t n, uint8_t p)
{
    uint32_t i = first, end = first + n;
    while (i < end) {
        if (perm[i] == p) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < end && perm[j] != p)
            j++;
        int32_t r = fb_protect((void *)mmr_addr(&heap, i), (j - i) * PAGE, perm_bits(p));
        if (r)
            return r == -FB_EPERM ? -EACCES : -ENOMEM;
        memset(perm + i, p, j - i);
        i = j;
    }
    if (p != PERM_RW)
        any_perm = true;
    return 0;
}

/* Before pages are freed or zeroed: read-write again. */
static void heap_unprotect_locked(uint32_t first, uint32_t n)
{
    if (any_perm)
        (void)heap_protect_locked(first, n, PERM_RW);
}

static bool heap_has_perm_locked(uint32_t first, uint32_t n)
{
    for (uint32_t i = 0; any_perm && i < n; i++)
        if (perm[first + i] != PERM_RW)
            return true;
    return false;
}

/* libos_user_ok's question for the heap region: may a system call read
 * (or write) [a, end)?  1 yes, 0 no, -1 not inside the heap region.  A page
 * the program made PROT_NONE (or read-only) is EFAULT, as on Linux, not a
 * fault of the PD inside libos. */
int libos_mm_access(uintptr_t a, uintptr_t end, int write)
{
    if (a < heap_lo || end > mmr_addr(&heap, heap.npages))
        return -1;
    if (!__atomic_load_n(&any_perm, __ATOMIC_RELAXED))
        return 1;
    long p = mmr_page_of(&heap, a);
    for (uint32_t i = p < 0 ? 0 : (uint32_t)p; i < heap.npages && mmr_addr(&heap, i) < end; i++)
        if (perm[i] == PERM_NONE || (write && perm[i] == PERM_R))
            return 0;
    return 1;
}

static long do_mmap_anon(uintptr_t addr, size_t len, long flags)
{
    uint32_t n = pages_of(len), first;
    long r;
    bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    /* MAP_FIXED cannot replace a file's own pages (a shared file mapping). */
    bool files = fixed && any_file_maps();
    if (files)
        libos_lock(&vfs_lock);
    libos_lock(&libos_mm_lock);
    if (fixed) {
        if (addr & (PAGE - 1)) {
            r = -EINVAL;
        } else if (files && (flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) &&
                   vfs_map_overlaps_locked(addr, addr + (uintptr_t)n * PAGE)) {
            log_once(3, "libos: MAP_FIXED over a shared file mapping refused (EINVAL): munmap it first\n");
            r = -EINVAL;
        } else if (heap_range(addr, len, &first, &n) != 0) {
            log_once(1, "libos: MAP_FIXED outside the heap region refused (ENOMEM)\n");
            r = -ENOMEM;
        } else if ((flags & MAP_FIXED_NOREPLACE) && !mmr_is_free(&heap, first, n)) {
            r = -EEXIST;
        } else {
            heap_unprotect_locked(first, n);
            mmr_take(&heap, first, n);
            mmr_mark_dirty(&heap, first, n);    /* a replaced mapping reads as zero */
            mmr_zero(&heap, first, n);
            r = (long)addr;
        }
    } else {
        long p = mmr_alloc(&heap, n, 1);
        if (p < 0) {
            r = -ENOMEM;
        } else {
            mmr_zero(&heap, (uint32_t)p, n);
            r = (long)mmr_addr(&heap, (uint32_t)p);
        }
    }
    libos_unlock(&libos_mm_lock);
    if (files)
        libos_unlock(&vfs_lock);
    return r;
}

/* A private mapping (or a read-only shared one of an archive file): fresh
 * pages, then the file's bytes from off; zero past its end. */
static long map_copy(struct file *fp, uintptr_t addr, size_t len, long flags, uint64_t off)
{
    if (!fp->ops->pread)
        return -ENODEV;
    long r = do_mmap_anon(addr, len, flags);
    if (r < 0 && r > -4096)
        return r;
    uint8_t *p = (uint8_t *)(uintptr_t)r;
    size_t done = 0;
    while (done < len) {
        long k = fp->ops->pread(fp, p + done, len - done, off + done);
        if (k <= 0)
            break;              /* end of file: the rest stays zero */
        done += (size_t)k;
    }
    return r;
}

static uint8_t perm_of(long prot)
{
    return !(prot & (PROT_READ | PROT_WRITE)) ? PERM_NONE : (prot & PROT_WRITE) ? PERM_RW : PERM_R;
}

/* A new private mapping at r (or an error) gets prot's permissions. */
static long with_prot(long r, size_t len, long prot)
{
    if ((r < 0 && r > -4096) || perm_of(prot) == PERM_RW)
        return r;
    uint32_t first, n;
    libos_lock(&libos_mm_lock);
    long e = heap_range((uintptr_t)r, len, &first, &n) == 0 ? heap_protect_locked(first, n, perm_of(prot)) : 0;
    if (e) {
        heap_unprotect_locked(first, n);
        mmr_release(&heap, first, n);
    }
    libos_unlock(&libos_mm_lock);
    return e ? e : r;
}

static long do_mmap(uintptr_t addr, size_t len, long prot, long flags, long fd, uint64_t off)
{
    if (len == 0 || len > (size_t)heap.npages * PAGE)
        return len == 0 ? -EINVAL : -ENOMEM;
    if (prot & PROT_EXEC) {
        log_once(0, "libos: mmap/mprotect with PROT_EXEC refused (EACCES): the heap is never executable\n");
        return -EACCES;
    }
    if (flags & MAP_ANONYMOUS)
        return with_prot(do_mmap_anon(addr, len, flags), len, prot);
    struct file *fp = libos_fd_get((int)fd);
    if (!fp)
        return -EBADF;
    long r = vfs_map_kind(fp, prot, flags);
    uintptr_t fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) ? addr : 0;
    if (r == VFS_MAP_ANON)
        r = with_prot(do_mmap_anon(addr, len, flags), len, prot);
    else if (r == VFS_MAP_COPY)
        r = with_prot(map_copy(fp, addr, len, flags, off), len, prot);
    else if (r == VFS_MAP_SHARED && (fixed & (PAGE - 1)))
        r = -EINVAL;
    else if (r == VFS_MAP_SHARED)
        r = vfs_map_shared(fp, off, len, fixed);   /* the file's pages: prot not enforced */
    libos_file_put(fp);
    return r;
}

/* pgoffset: the offset in 4096-byte units (musl refuses an unaligned one
 * with EINVAL before it gets here). */
SYSCALL6(mmap2, uintptr_t, addr, size_t, length, int, prot, int, flags, int, fd, uint32_t, pgoffset)
{
    return do_mmap(addr, length, prot, flags, fd, (uint64_t)pgoffset * PAGE);
}

void libos_mm_free_locked(uintptr_t addr, size_t len)
{
    uint32_t first, n;
    if (heap_range(addr, len, &first, &n) == 0) {
        heap_unprotect_locked(first, n);
        mmr_release(&heap, first, n);
    }
}

/* sysinfo's totalram and freeram (sys_ident.c): the pages mmap can hand
 * out, and those it has not. */
size_t libos_mm_total_bytes(void)
{
    return (size_t)heap.npages * PAGE;
}

size_t libos_mm_free_bytes(void)
{
    libos_lock(&libos_mm_lock);
    size_t n = (size_t)(heap.npages - heap.nused) * PAGE;
    libos_unlock(&libos_mm_lock);
    return n;
}

/* Pages for libos's own buffers (file.h): the same allocator as mmap, so
 * they count against the same heap region. */
void *libos_pages_alloc(size_t len)
{
    if (len == 0 || len > (size_t)heap.npages * PAGE)
        return NULL;
    uint32_t n = pages_of(len);
    void *r = NULL;
    libos_lock(&libos_mm_lock);
    long p = mmr_alloc(&heap, n, 1);
    if (p >= 0) {
        mmr_zero(&heap, (uint32_t)p, n);
        r = (void *)mmr_addr(&heap, (uint32_t)p);
    }
    libos_unlock(&libos_mm_lock);
    return r;
}

void libos_pages_free(void *p, size_t len)
{
    if (!p || len == 0)
        return;
    libos_lock(&libos_mm_lock);
    libos_mm_free_locked((uintptr_t)p, len);
    libos_unlock(&libos_mm_lock);
}

SYSCALL2(munmap, uintptr_t, addr, size_t, len)
{
    if ((addr & (PAGE - 1)) || len == 0)
        return -EINVAL;
    uint32_t first, n;
    if (any_file_maps()) {
        /* Release the pages that are the mapping's own; take one layer of
         * shared file mapping off the others (they stay the file's). */
        libos_lock(&vfs_lock);
        libos_lock(&libos_mm_lock);
        int where = heap_range(addr, len, &first, &n);
        uintptr_t s = addr, e = addr + (uintptr_t)pages_of(len) * PAGE, gs, ge;
        if (where == 0)
            for (; vfs_map_gap_locked(s, e, &gs, &ge); s = ge) {
                uint32_t p = (uint32_t)mmr_page_of(&heap, gs), k = (uint32_t)((ge - gs) / PAGE);
                heap_unprotect_locked(p, k);
                mmr_release(&heap, p, k);
            }
        libos_unlock(&libos_mm_lock);
        if (where == 0)
            vfs_unmap_locked(addr, e);
        libos_unlock(&vfs_lock);
        return where == -2 ? -EINVAL : 0;
    }
    libos_lock(&libos_mm_lock);
    int where = heap_range(addr, len, &first, &n);
    if (where == 0) {
        heap_unprotect_locked(first, n);
        mmr_release(&heap, first, n);
    }
    libos_unlock(&libos_mm_lock);
    /* Outside the heap: nothing libos mapped; Linux says 0 too. */
    return where == -2 ? -EINVAL : 0;
}

/* The fifth argument, new_address, goes with MREMAP_FIXED: refused. */
SYSCALL4(mremap, uintptr_t, old_address, size_t, old_size, size_t, new_size, int, flags)
{
    if ((old_address & (PAGE - 1)) || new_size == 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL;
    if (flags & MREMAP_FIXED) {
        log_once(2, "libos: mremap with MREMAP_FIXED is not supported (EINVAL)\n");
        return -EINVAL;
    }
    uint32_t first, on, nn = pages_of(new_size);
    long r;
    if (any_file_maps() && old_size) {
        libos_lock(&vfs_lock);
        if (vfs_map_overlaps_locked(old_address, old_address + (uintptr_t)pages_of(old_size) * PAGE)) {
            r = vfs_remap_locked(old_address, old_size, new_size);
            libos_unlock(&vfs_lock);
            return r;
        }
        libos_unlock(&vfs_lock);
    }
    libos_lock(&libos_mm_lock);
    if (old_size == 0 || heap_range(old_address, old_size, &first, &on) != 0) {
        r = -EFAULT;
    } else if (heap_has_perm_locked(first, on)) {
        r = -ENOMEM;            /* mprotect'ed pages do not move (musl's realloc copies instead) */
    } else if (nn <= on) {
        mmr_release(&heap, first + nn, on - nn);
        r = (long)old_address;
    } else if (mmr_is_free(&heap, first + on, nn - on)) {
        mmr_take(&heap, first + on, nn - on);
        mmr_zero(&heap, first + on, nn - on);
        r = (long)old_address;
    } else if (!(flags & MREMAP_MAYMOVE)) {
        r = -ENOMEM;
    } else {
        long p = mmr_alloc(&heap, nn, 1);
        if (p < 0) {
            r = -ENOMEM;
        } else {
            mmr_zero(&heap, (uint32_t)p + on, nn - on);
            memcpy((void *)mmr_addr(&heap, (uint32_t)p), (void *)old_address, (size_t)on * PAGE);
            mmr_mark_dirty(&heap, (uint32_t)p, on);
            mmr_release(&heap, first, on);
            r = (long)mmr_addr(&heap, (uint32_t)p);
        }
    }
    libos_unlock(&libos_mm_lock);
    return r;
}

/* The length of a range call (mprotect, msync): 0 for an empty one
 * (nothing to do), -ENOMEM past the end of the address space, else 1. */
static long span_check(uintptr_t addr, size_t len)
{
    return len == 0 ? 0 : len > ~addr ? -ENOMEM : 1;
}

/* -ENOMEM if a page of the heap range is not mapped (Linux's answer), else 0. */
static long all_mapped_locked(uint32_t first, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (mmr_is_free(&heap, first + i, 1))
            return -ENOMEM;
    return 0;
}

/* mprotect: heap pages that are mapped (ENOMEM for a free one, as Linux
 * for an unmapped one); shared file mappings are accepted but not
 * enforced (the file's own pages: libos reads and writes them for the
 * file's other users); anything else of the PD (its data, its stack) goes
 * to the kernel as it is. */
SYSCALL3(mprotect, uintptr_t, addr, size_t, len, int, prot)
{
    if ((addr & (PAGE - 1)) || (prot & ~(long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return -EINVAL;
    if (prot & PROT_EXEC) {
        log_once(0, "libos: mmap/mprotect with PROT_EXEC refused (EACCES): the heap is never executable\n");
        return -EACCES;
    }
    long r = span_check(addr, len);
    if (r <= 0)
        return r;
    uint32_t first, n;
    r = 0;
    bool files = any_file_maps();
    if (files)
        libos_lock(&vfs_lock);
    libos_lock(&libos_mm_lock);
    int where = heap_range(addr, len, &first, &n);
    if (where == -2) {
        r = -ENOMEM;
    } else if (where == 0 && files && vfs_map_overlaps_locked(addr, addr + (uintptr_t)n * PAGE)) {
        log_once(4, "libos: mprotect of a shared file mapping is accepted but not enforced\n");
    } else if (where == 0) {
        r = all_mapped_locked(first, n);
        if (r == 0)
            r = heap_protect_locked(first, n, perm_of(prot));
    } else {
        uint32_t size = (uint32_t)(((uint64_t)len + PAGE - 1) & ~(uint64_t)(PAGE - 1));
        int32_t k = fb_protect((void *)addr, size, perm_bits(perm_of(prot)));
        r = k == 0 ? 0 : k == -FB_EPERM ? -EACCES : -ENOMEM;
    }
    libos_unlock(&libos_mm_lock);
    if (files)
        libos_unlock(&vfs_lock);
    return r;
}

SYSCALL3(madvise, uintptr_t, addr, size_t, length, int, advice)
{
    if (addr & (PAGE - 1))
        return -EINVAL;
    if (advice == MADV_DONTNEED && length) {
        /* Linux: private anonymous pages read as zero afterwards; a shared
         * file mapping reads the file again (here: it is the file). */
        uint32_t first, n;
        bool files = any_file_maps();
        if (files)
            libos_lock(&vfs_lock);
        libos_lock(&libos_mm_lock);
        if (heap_range(addr, length, &first, &n) == 0) {
            uintptr_t s = addr, e = addr + (uintptr_t)n * PAGE, gs = s, ge = e;
            while (files ? vfs_map_gap_locked(s, e, &gs, &ge) : s < e) {
                uint32_t p = (uint32_t)mmr_page_of(&heap, gs), k = (uint32_t)((ge - gs) / PAGE);
                for (uint32_t i = p; i < p + k; i++) {   /* zeroed through read-write, protection kept */
                    uint8_t was = perm[i];
                    if (was != PERM_RW && heap_protect_locked(i, 1, PERM_RW) != 0)
                        continue;
                    mmr_mark_dirty(&heap, i, 1);
                    mmr_zero(&heap, i, 1);
                    if (was != PERM_RW)
                        (void)heap_protect_locked(i, 1, was);
                }
                s = ge;
            }
        }
        libos_unlock(&libos_mm_lock);
        if (files)
            libos_unlock(&vfs_lock);
    }
    return 0;
}

/* The mapping is the file (shared) or a copy nobody writes back (private):
 * nothing to write.  Linux's checks: an unaligned address, unknown flags,
 * or MS_ASYNC with MS_SYNC give EINVAL; a range with unmapped heap pages
 * gives ENOMEM. */
SYSCALL3(msync, uintptr_t, addr, size_t, len, int, flags)
{
    if ((addr & (PAGE - 1)) || (flags & ~(long)(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    long r = span_check(addr, len);
    if (r <= 0)
        return r;
    uint32_t first, n;
    libos_lock(&libos_mm_lock);
    int where = heap_range(addr, len, &first, &n);
    r = where == -2 ? -ENOMEM : where == 0 ? all_mapped_locked(first, n) : 0;
    libos_unlock(&libos_mm_lock);
    return r;
}

SYSCALL1(brk, uintptr_t, addr)
{
    (void)addr;
    return (long)brk_cur;   /* the break never moves: "failed", as Linux reports it */
}
