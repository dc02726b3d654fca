/*
 * clock.c - the counter of counter.h (fb_clock_ticks, fb_clock_freq: kernel
 * deadlines are absolute values of it) converted to and from nanoseconds.
 */
#include <freebeam/fbpd.h>

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
