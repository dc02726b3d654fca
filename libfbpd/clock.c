/*
 * clock.c - time for PDs, straight from the ARM generic virtual counter
 * (CNTVCT and CNTFRQ are readable at PL0, no system call needed).  Kernel
 * deadlines are absolute CNTVCT values, so these are their units.
 */
#include <freebeam/fbpd.h>

uint64_t fb_clock_ticks(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

uint32_t fb_clock_freq(void)
{
    uint32_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
    return f;
}

/* Split so that neither product overflows 64 bits for centuries. */
uint64_t fb_clock_ns(void)
{
    uint64_t t = fb_clock_ticks();
    uint32_t f = fb_clock_freq();
    if (f == 0)
        return 0;
    return (t / f) * 1000000000ull + (t % f) * 1000000000ull / f;
}

uint64_t fb_ns_to_ticks(uint64_t ns)
{
    uint32_t f = fb_clock_freq();
    return (ns / 1000000000ull) * f + (ns % 1000000000ull) * f / 1000000000ull;
}
