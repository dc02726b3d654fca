/*
 * sys_mm.c - memory calls over the PD's heap region.
 *
 * The system description maps one read-write region into the PD (the
 * "heap", at __libos_heap_start..__libos_heap_end: symbols of the program's
 * linker script, libos/program.ld).  Its first pages hold a magic word
 * and the allocator's bitmaps (mm_region.h); the rest is what mmap hands
 * out.  The kernel maps the whole region at boot, so mapping is
 * bookkeeping only: there is no
 * demand paging, and protections are not enforced (every page of the heap
 * is readable and writable, none executable; PROT_EXEC is refused).
 *
 * brk never moves: it reports the end of the program's data, which makes
 * musl's malloc use mmap only (notes/pitfalls.md item 10).
 */
#include "libos.h"
#include <string.h>
#include <sys/mman.h>
#include "kcall.h"
#include "mm_region.h"
#include "file.h"

#define PAGE MMR_PAGE
#define HEAP_MAGIC 0x50414548u     /* "HEAP": the region was used by a previous run */

struct libos_lock libos_mm_lock;
static struct mm_region heap;
static uintptr_t brk_cur;

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
    uint32_t total = (uint32_t)(heap_size / PAGE);
    /* Bitmaps at the start of the region: two of them, for the pages that
     * remain after them (computed for all pages: a slight overestimate). */
    uint32_t words = mmr_bitmap_words(total);
    uint32_t meta = (uint32_t)((sizeof(uint32_t) + 2u * words * sizeof(uint32_t) + PAGE - 1) / PAGE);
    if (total <= meta) {
        libos_puts("libos: no heap region: mmap will fail\n");
        mmr_init(&heap, heap_base, 0, (uint32_t *)heap_base, (uint32_t *)heap_base);
        return;
    }
    volatile uint32_t *magic = (volatile uint32_t *)heap_base;
    uint32_t *used = (uint32_t *)heap_base + 1;
    uint32_t *dirty = used + words;
    mmr_init(&heap, heap_base + (uintptr_t)meta * PAGE, total - meta, used, dirty);
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

static long do_mmap(uintptr_t addr, size_t len, long prot, long flags, long fd)
{
    if (len == 0 || len > (size_t)heap.npages * PAGE)
        return len == 0 ? -EINVAL : -ENOMEM;
    if (prot & PROT_EXEC) {
        log_once(0, "libos: mmap/mprotect with PROT_EXEC refused (EACCES): the heap is never executable\n");
        return -EACCES;
    }
    if (!(flags & MAP_ANONYMOUS)) {
        (void)fd;
        return -EBADF;          /* no files yet */
    }
    uint32_t n = pages_of(len), first;
    long r;
    libos_lock(&libos_mm_lock);
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (PAGE - 1)) {
            r = -EINVAL;
        } else if (heap_range(addr, len, &first, &n) != 0) {
            log_once(1, "libos: MAP_FIXED outside the heap region refused (ENOMEM)\n");
            r = -ENOMEM;
        } else if ((flags & MAP_FIXED_NOREPLACE) && !mmr_is_free(&heap, first, n)) {
            r = -EEXIST;
        } else {
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
    return r;
}

SYSCALL(mmap2)
{
    UNUSED_ARGS();
    return do_mmap((uintptr_t)a, (size_t)b, c, d, e);
}

void libos_mm_free_locked(uintptr_t addr, size_t len)
{
    uint32_t first, n;
    if (heap_range(addr, len, &first, &n) == 0)
        mmr_release(&heap, first, n);
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

SYSCALL(munmap)
{
    UNUSED_ARGS();
    uintptr_t addr = (uintptr_t)a;
    size_t len = (size_t)b;
    if ((addr & (PAGE - 1)) || len == 0)
        return -EINVAL;
    uint32_t first, n;
    libos_lock(&libos_mm_lock);
    int where = heap_range(addr, len, &first, &n);
    if (where == 0)
        mmr_release(&heap, first, n);
    libos_unlock(&libos_mm_lock);
    /* Outside the heap: nothing libos mapped; Linux says 0 too. */
    return where == -2 ? -EINVAL : 0;
}

SYSCALL(mremap)
{
    UNUSED_ARGS();
    uintptr_t old = (uintptr_t)a;
    size_t old_len = (size_t)b, new_len = (size_t)c;
    long flags = d;
    if ((old & (PAGE - 1)) || new_len == 0 || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL;
    if (flags & MREMAP_FIXED) {
        log_once(2, "libos: mremap with MREMAP_FIXED is not supported (EINVAL)\n");
        return -EINVAL;
    }
    uint32_t first, on, nn = pages_of(new_len);
    long r;
    libos_lock(&libos_mm_lock);
    if (old_len == 0 || heap_range(old, old_len, &first, &on) != 0) {
        r = -EFAULT;
    } else if (nn <= on) {
        mmr_release(&heap, first + nn, on - nn);
        r = (long)old;
    } else if (mmr_is_free(&heap, first + on, nn - on)) {
        mmr_take(&heap, first + on, nn - on);
        mmr_zero(&heap, first + on, nn - on);
        r = (long)old;
    } else if (!(flags & MREMAP_MAYMOVE)) {
        r = -ENOMEM;
    } else {
        long p = mmr_alloc(&heap, nn, 1);
        if (p < 0) {
            r = -ENOMEM;
        } else {
            mmr_zero(&heap, (uint32_t)p + on, nn - on);
            memcpy((void *)mmr_addr(&heap, (uint32_t)p), (void *)old, (size_t)on * PAGE);
            mmr_mark_dirty(&heap, (uint32_t)p, on);
            mmr_release(&heap, first, on);
            r = (long)mmr_addr(&heap, (uint32_t)p);
        }
    }
    libos_unlock(&libos_mm_lock);
    return r;
}

SYSCALL(mprotect)
{
    UNUSED_ARGS();
    if ((uintptr_t)a & (PAGE - 1))
        return -EINVAL;
    if (c & PROT_EXEC) {
        log_once(0, "libos: mmap/mprotect with PROT_EXEC refused (EACCES): the heap is never executable\n");
        return -EACCES;
    }
    return 0;       /* accepted, not enforced: the kernel maps the heap RW */
}

SYSCALL(madvise)
{
    UNUSED_ARGS();
    uintptr_t addr = (uintptr_t)a;
    if (addr & (PAGE - 1))
        return -EINVAL;
    if (c == MADV_DONTNEED && b) {
        /* Linux: private anonymous pages read as zero afterwards. */
        uint32_t first, n;
        libos_lock(&libos_mm_lock);
        if (heap_range(addr, (size_t)b, &first, &n) == 0) {
            mmr_mark_dirty(&heap, first, n);
            mmr_zero(&heap, first, n);
        }
        libos_unlock(&libos_mm_lock);
    }
    return 0;
}

SYSCALL(brk)
{
    UNUSED_ARGS();
    return (long)brk_cur;   /* the break never moves: "failed", as Linux reports it */
}
