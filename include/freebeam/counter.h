/*
 * counter.h - the one read of the ARM generic virtual counter (CNTVCT) and
 * its frequency (CNTFRQ), for the kernel, libfbpd PDs and libos alike.
 * Both registers are readable at PL0 (the kernel sets CNTKCTL.PL0VCTEN), so
 * a PD reads the time without a kernel call.  Kernel deadlines (kapi.h) are
 * absolute values of this counter.
 */
#ifndef FREEBEAM_COUNTER_H
#define FREEBEAM_COUNTER_H

#include <stdint.h>

/* The counter now.  The isb keeps the read from being taken early (before
 * instructions that come ahead of it); the "memory" clobber keeps the
 * compiler from moving memory accesses across it. */
static inline __attribute__((always_inline)) uint64_t fb_clock_ticks(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* Ticks per second, as the firmware (QEMU) set CNTFRQ; 0 if it did not. */
static inline __attribute__((always_inline)) uint32_t fb_clock_freq(void)
{
    uint32_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
    return f;
}

#endif
