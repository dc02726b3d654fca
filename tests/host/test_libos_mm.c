/*
 * test_libos_mm.c - host unit tests of libos's page allocator behind mmap
 * (libos/mm_region.c): next-fit allocation, alignment, partial release,
 * MAP_FIXED takes, exhaustion and fragmentation, and the zero-on-reuse
 * guarantee with dirty-page tracking.  The region is real host memory, so
 * zeroing is checked byte by byte.
 *
 * Built by tests/host/host.mk like every test_*.c: the allocator is
 * included as source below, so no extra _SRCS line is needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../libos/mm_region.c"

#define NPAGES 256

static uint32_t used_bm[(NPAGES + 31) / 32], dirty_bm[(NPAGES + 31) / 32];

static unsigned char *mem;

static void fresh(struct mm_region *r, uint32_t npages)
{
    memset(mem, 0, (size_t)NPAGES * MMR_PAGE);
    mmr_init(r, (uintptr_t)mem, npages, used_bm, dirty_bm);
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_basic(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    CHECK(r.nused == 0);
    long a = mmr_alloc(&r, 3, 1);
    long b = mmr_alloc(&r, 5, 1);
    CHECK(a == 0);
    CHECK(b == 3);
    CHECK(r.nused == 8);
    CHECK(!mmr_is_free(&r, 0, 1));
    CHECK(mmr_is_free(&r, 8, NPAGES - 8));
    CHECK(!mmr_is_free(&r, 8, NPAGES - 7));      /* runs past the end */
    CHECK(mmr_alloc(&r, 0, 1) == -1);
    CHECK(mmr_alloc(&r, NPAGES + 1, 1) == -1);
    CHECK(mmr_alloc(&r, 1, 3) == -1);            /* align not a power of two */
    CHECK(mmr_page_of(&r, (uintptr_t)mem + 5 * MMR_PAGE + 17) == 5);
    CHECK(mmr_page_of(&r, (uintptr_t)mem + NPAGES * MMR_PAGE) == -1);
    CHECK(mmr_page_of(&r, (uintptr_t)mem - 1) == -1);
    CHECK(mmr_addr(&r, 4) == (uintptr_t)mem + 4 * MMR_PAGE);
}

static void test_align(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    CHECK(mmr_alloc(&r, 1, 1) == 0);
    long p = mmr_alloc(&r, 4, 64);
    CHECK(p == 64);
    long q = mmr_alloc(&r, 2, 64);
    CHECK(q == 128);
    /* Pages 1..63 are still free and found by an unaligned search after
     * the next-fit pointer wraps. */
    long s = mmr_alloc(&r, 100, 1);             /* 130..229 */
    CHECK(s == 130);
    long t = mmr_alloc(&r, 30, 1);              /* nothing past 230 fits 30: wrap */
    CHECK(t == 1);
    CHECK(mmr_alloc(&r, 1, 256) == -1);         /* page 0 is taken */
}

static void test_partial_release(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    /* erts's carrier trick: map size + alignment, unmap head and tail. */
    long p = mmr_alloc(&r, 80, 1);
    CHECK(p == 0);
    mmr_release(&r, 0, 10);
    mmr_release(&r, 74, 6);
    CHECK(r.nused == 64);
    CHECK(mmr_is_free(&r, 0, 10));
    CHECK(!mmr_is_free(&r, 10, 64) && !mmr_is_free(&r, 73, 1));
    CHECK(mmr_is_free(&r, 74, 6));
    /* Releasing what is free changes nothing. */
    mmr_release(&r, 0, 10);
    CHECK(r.nused == 64);
    /* Released pages are dirty, fresh ones are not. */
    CHECK(bit(r.dirty, 0) && bit(r.dirty, 79) && !bit(r.dirty, 10) && !bit(r.dirty, 80));
}

static void test_fixed(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    mmr_take(&r, 100, 10);
    CHECK(r.nused == 10);
    mmr_take(&r, 105, 10);                      /* overlaps: only 5 new pages */
    CHECK(r.nused == 15);
    CHECK(!mmr_is_free(&r, 100, 15) && mmr_is_free(&r, 115, 1) && mmr_is_free(&r, 99, 1));
    /* Allocation goes around it. */
    CHECK(mmr_alloc(&r, 100, 1) == 0);
    CHECK(mmr_alloc(&r, 10, 1) == 115);
}

static void test_exhaust_and_fragment(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    long p = mmr_alloc(&r, NPAGES, 1);
    CHECK(p == 0 && r.nused == NPAGES);
    CHECK(mmr_alloc(&r, 1, 1) == -1);
    /* Free every other page: 128 free pages, but no run of 2. */
    for (uint32_t i = 0; i < NPAGES; i += 2)
        mmr_release(&r, i, 1);
    CHECK(r.nused == NPAGES / 2);
    CHECK(mmr_alloc(&r, 2, 1) == -1);
    long one = mmr_alloc(&r, 1, 1);
    CHECK(one >= 0 && one % 2 == 0);
    /* Free a run of 33 across a word boundary and find it. */
    mmr_release(&r, 31, 33);
    long run = mmr_alloc(&r, 33, 1);
    CHECK(run >= 30 && run <= 31);
    /* An odd-sized region (not a multiple of 32 pages). */
    fresh(&r, 70);
    CHECK(mmr_alloc(&r, 70, 1) == 0);
    CHECK(mmr_alloc(&r, 1, 1) == -1);
    mmr_release(&r, 69, 1);
    CHECK(mmr_alloc(&r, 1, 1) == 69);
}

static void test_zeroing(void)
{
    struct mm_region r;
    fresh(&r, NPAGES);
    long p = mmr_alloc(&r, 4, 1);
    unsigned char *m = (unsigned char *)mmr_addr(&r, (uint32_t)p);
    mmr_zero(&r, (uint32_t)p, 4);               /* fresh: nothing to do */
    memset(m, 0xa5, 4 * MMR_PAGE);
    mmr_release(&r, (uint32_t)p, 4);
    /* Freeing wrote nothing (a thread may free the stack it runs on). */
    CHECK(m[0] == 0xa5 && m[4 * MMR_PAGE - 1] == 0xa5);
    long q = mmr_alloc(&r, 4, 1);
    CHECK(q == 4);                              /* next fit: not the same pages */
    long s = mmr_alloc(&r, 8, 1);               /* wraps? no: 8..15 */
    CHECK(s == 8);
    mmr_release(&r, 4, 12);
    fresh(&r, NPAGES);
    /* Reuse of the same pages after a wrap: they must be zeroed. */
    p = mmr_alloc(&r, NPAGES, 1);
    memset(mem, 0x5a, (size_t)NPAGES * MMR_PAGE);
    mmr_release(&r, 10, 3);
    long t = mmr_alloc(&r, 3, 1);
    CHECK(t == 10);
    CHECK(!all_zero(mem + 10 * MMR_PAGE, 3 * MMR_PAGE));   /* zeroing is the caller's call */
    mmr_zero(&r, 10, 3);
    CHECK(all_zero(mem + 10 * MMR_PAGE, 3 * MMR_PAGE));
    CHECK(mem[9 * MMR_PAGE + MMR_PAGE - 1] == 0x5a && mem[13 * MMR_PAGE] == 0x5a);
    /* Zeroing again touches nothing: the pages are clean now. */
    mem[10 * MMR_PAGE] = 1;
    mmr_zero(&r, 10, 3);
    CHECK(mem[10 * MMR_PAGE] == 1);
    /* mark_dirty makes them zeroable again (MAP_FIXED over a mapping). */
    mmr_mark_dirty(&r, 10, 1);
    mmr_zero(&r, 10, 3);
    CHECK(mem[10 * MMR_PAGE] == 0);
    /* Mixed runs: dirty, clean, dirty. */
    memset(mem + 40 * MMR_PAGE, 0x11, 3 * MMR_PAGE);
    mmr_mark_dirty(&r, 40, 1);
    mmr_mark_dirty(&r, 42, 1);
    mmr_zero(&r, 40, 3);
    CHECK(all_zero(mem + 40 * MMR_PAGE, MMR_PAGE));
    CHECK(mem[41 * MMR_PAGE] == 0x11);
    CHECK(all_zero(mem + 42 * MMR_PAGE, MMR_PAGE));
}

int main(void)
{
    mem = aligned_alloc(MMR_PAGE, (size_t)NPAGES * MMR_PAGE);
    if (!mem)
        return 2;
    test_basic();
    test_align();
    test_partial_release();
    test_fixed();
    test_exhaust_and_fragment();
    test_zeroing();
    free(mem);
    return check_report("test_libos_mm");
}
