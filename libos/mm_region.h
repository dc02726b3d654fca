/*
 * mm_region.h - the page allocator behind mmap: one contiguous region of
 * pages (the PD's heap region), two bitmaps.  Pure logic, no kernel calls,
 * so that the host unit tests (tests/host/test_libos_mm.c) run it as is.
 *
 *   used:  the page is mapped (handed out by mmap, or taken by MAP_FIXED)
 *   dirty: the page may hold non-zero bytes (it was mapped once)
 *
 * Anonymous memory must read as zero on every (re)use (docs/internals.md
 * note 10): mmr_zero clears only the dirty pages of a range, so fresh pages
 * (zeroed by the kernel at boot) are never written twice.  Freeing touches
 * no page: a thread may free the stack it still runs on (libos keeps the
 * allocator locked until the kernel has taken the thread off it).
 */
#ifndef LIBOS_MM_REGION_H
#define LIBOS_MM_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMR_PAGE 4096u

struct mm_region {
    uintptr_t base;     /* address of page 0, page aligned */
    uint32_t npages;
    uint32_t *used;     /* bitmaps of mmr_bitmap_words(npages) words each */
    uint32_t *dirty;
    uint32_t next;      /* next-fit: where the next search starts */
    uint32_t nused;     /* pages in use */
};

static inline uint32_t mmr_bitmap_words(uint32_t npages)
{
    return (npages + 31) / 32;
}

/* The bitmaps must hold mmr_bitmap_words(npages) words each; they are
 * cleared here (every page free and clean). */
void mmr_init(struct mm_region *r, uintptr_t base, uint32_t npages, uint32_t *used, uint32_t *dirty);

/* Take n free pages whose first page index is a multiple of align (a power
 * of two, in pages; the region base is assumed aligned as needed).
 * Returns the first page index, or -1 if no such run exists. */
long mmr_alloc(struct mm_region *r, uint32_t n, uint32_t align);

/* Is every page of [first, first+n) inside the region and free? */
bool mmr_is_free(const struct mm_region *r, uint32_t first, uint32_t n);

/* Mark [first, first+n) used, whatever it was (MAP_FIXED).  The range must
 * lie inside the region. */
void mmr_take(struct mm_region *r, uint32_t first, uint32_t n);

/* Mark [first, first+n) free (and dirty where it was used).  Pages that
 * were free stay free.  The range must lie inside the region. */
void mmr_release(struct mm_region *r, uint32_t first, uint32_t n);

/* Zero the dirty pages of [first, first+n) and mark them clean. */
void mmr_zero(struct mm_region *r, uint32_t first, uint32_t n);

/* Mark [first, first+n) dirty (e.g. after a copy into it by hand). */
void mmr_mark_dirty(struct mm_region *r, uint32_t first, uint32_t n);

/* Page index of an address inside the region, or -1. */
static inline long mmr_page_of(const struct mm_region *r, uintptr_t addr)
{
    if (addr < r->base || (addr - r->base) / MMR_PAGE >= r->npages)
        return -1;
    return (long)((addr - r->base) / MMR_PAGE);
}

static inline uintptr_t mmr_addr(const struct mm_region *r, uint32_t page)
{
    return r->base + (uintptr_t)page * MMR_PAGE;
}

#endif
