/*
 * cntvct.c - for the Linux side of bench/beam-vs-linux (README.md there):
 * prints how far Linux's CLOCK_MONOTONIC lags the ARM virtual counter
 * (CNTVCT, which QEMU starts at 0 when the machine starts).  Linux's
 * monotonic clock starts at 0 only when its timekeeping starts, after the
 * zImage has decompressed itself and the kernel has begun booting; adding
 * this offset puts a CLOCK_MONOTONIC reading on freebeam's basis (libos's
 * CLOCK_MONOTONIC is the counter itself).  Linux lets PL0 read the counter
 * (its vDSO does).  Built static with Debian's armhf cross gcc.
 *
 * Prints: CNTVCT_OFFSET offset_ns=N cntvct_ns=A mono_ns=M cntvct2_ns=B freq=F
 * where offset_ns = (A + B) / 2 - M (A and B bracket M).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static uint64_t cntvct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
    uint32_t freq;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(freq));
    struct timespec t;
    uint64_t a = cntvct();
    clock_gettime(CLOCK_MONOTONIC, &t);
    uint64_t b = cntvct();
    uint64_t m = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
    /* ticks -> ns; 62.5 MHz on QEMU virt: 16 ns a tick */
    uint64_t an = a / freq * 1000000000u + a % freq * 1000000000u / freq;
    uint64_t bn = b / freq * 1000000000u + b % freq * 1000000000u / freq;
    printf("CNTVCT_OFFSET offset_ns=%lld cntvct_ns=%llu mono_ns=%llu cntvct2_ns=%llu freq=%lu\n",
           (long long)((an + bn) / 2 - m), (unsigned long long)an, (unsigned long long)m,
           (unsigned long long)bn, (unsigned long)freq);
    return 0;
}
