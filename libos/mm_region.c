/*
 * mm_region.c - the page allocator behind mmap (see mm_region.h).
 * Next-fit over a bitmap, skipping whole words of used or free pages.
 */
#include <string.h>
#include "mm_region.h"

static inline bool bit(const uint32_t *bm, uint32_t i)
{
    return (bm[i >> 5] >> (i & 31)) & 1u;
}

static inline void set_bit(uint32_t *bm, uint32_t i)
{
    bm[i >> 5] |= 1u << (i & 31);
}

static inline void clear_bit(uint32_t *bm, uint32_t i)
{
    bm[i >> 5] &= ~(1u << (i & 31));
}

void mmr_init(struct mm_region *r, uintptr_t base, uint32_t npages, uint32_t *used, uint32_t *dirty)
{
    r->base = base;
    r->npages = npages;
    r->used = used;
    r->dirty = dirty;
    r->next = 0;
    r->nused = 0;
    memset(used, 0, mmr_bitmap_words(npages) * sizeof *used);
    memset(dirty, 0, mmr_bitmap_words(npages) * sizeof *dirty);
}

/* The first used page in [i, end), or end. */
static uint32_t next_used(const struct mm_region *r, uint32_t i, uint32_t end)
{
    while (i < end) {
        if ((i & 31) == 0 && end - i >= 32 && r->used[i >> 5] == 0) {
            i += 32;
            continue;
        }
        if (bit(r->used, i))
            return i;
        i++;
    }
    return end;
}

/* The first free page in [i, end), or end. */
static uint32_t next_free(const struct mm_region *r, uint32_t i, uint32_t end)
{
    while (i < end) {
        if ((i & 31) == 0 && end - i >= 32 && r->used[i >> 5] == 0xffffffffu) {
            i += 32;
            continue;
        }
        if (!bit(r->used, i))
            return i;
        i++;
    }
    return end;
}

static inline uint32_t align_up(uint32_t v, uint32_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* A run of n free pages starting in [from, to) at a multiple of align. */
static long search(const struct mm_region *r, uint32_t from, uint32_t to, uint32_t n, uint32_t align)
{
    uint32_t p = align_up(from, align);
    while (p < to && p >= from && n <= r->npages - p) {
        uint32_t u = next_used(r, p, p + n);
        if (u == p + n)
            return p;
        uint32_t f = next_free(r, u + 1, r->npages);
        if (f >= r->npages)
            return -1;
        uint32_t q = align_up(f, align);
        if (q < f)          /* wrapped */
            return -1;
        p = q;
    }
    return -1;
}

long mmr_alloc(struct mm_region *r, uint32_t n, uint32_t align)
{
    if (n == 0 || n > r->npages || align == 0 || (align & (align - 1)))
        return -1;
    uint32_t start = r->next < r->npages ? r->next : 0;
    long p = search(r, start, r->npages, n, align);
    if (p < 0 && start > 0)
        p = search(r, 0, start, n, align);
    if (p < 0)
        return -1;
    mmr_take(r, (uint32_t)p, n);
    r->next = (uint32_t)p + n;
    return p;
}

bool mmr_is_free(const struct mm_region *r, uint32_t first, uint32_t n)
{
    if (first > r->npages || n > r->npages - first)
        return false;
    return next_used(r, first, first + n) == first + n;
}

void mmr_take(struct mm_region *r, uint32_t first, uint32_t n)
{
    for (uint32_t i = first; i < first + n; i++) {
        if (!bit(r->used, i)) {
            set_bit(r->used, i);
            r->nused++;
        }
    }
}

void mmr_release(struct mm_region *r, uint32_t first, uint32_t n)
{
    for (uint32_t i = first; i < first + n; i++) {
        if (bit(r->used, i)) {
            clear_bit(r->used, i);
            set_bit(r->dirty, i);
            r->nused--;
        }
    }
}

void mmr_zero(struct mm_region *r, uint32_t first, uint32_t n)
{
    uint32_t i = first, end = first + n;
    while (i < end) {
        if ((i & 31) == 0 && end - i >= 32 && r->dirty[i >> 5] == 0) {
            i += 32;
            continue;
        }
        if (!bit(r->dirty, i)) {
            i++;
            continue;
        }
        uint32_t j = i;                 /* zero the whole dirty run at once */
        while (j < end && bit(r->dirty, j)) {
            clear_bit(r->dirty, j);
            j++;
        }
        memset((void *)mmr_addr(r, i), 0, (size_t)(j - i) * MMR_PAGE);
        i = j;
    }
}

void mmr_mark_dirty(struct mm_region *r, uint32_t first, uint32_t n)
{
    for (uint32_t i = first; i < first + n; i++)
        set_bit(r->dirty, i);
}
