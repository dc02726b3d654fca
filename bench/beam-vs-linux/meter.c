/*
 * meter.c - the idle meter of bench/beam-vs-linux (README.md there): a
 * second PD in the idle image, next to the BEAM PD.  It sleeps until an
 * absolute guest time T1, reads PMU counter 0 (instructions architecturally
 * executed since boot, PL1 and PL0, every PD: the kernel starts it on event
 * 0x08 and lets PL0 read it), sleeps until T2 = T1 + W and reads it again.
 * The difference is what the whole machine executed in the window: the
 * kernel, the idle BEAM and the meter's own wake-up at T2.  A second
 * window of 1 ms right after (T2 .. T2 + 1 ms) measures that wake-up cost
 * with nothing else in it (the BEAM is still asleep).
 *
 *   argv: meter T1_MS W_MS      (guest ms since power-on; CLOCK_MONOTONIC
 *                                is the virtual counter since power-on)
 * Prints: METER t1_ns=.. t2_ns=.. window_insns=.. wake_insns=..
 *
 *   argv: meter probe           (probe.config: where the boot time goes)
 * Prints the guest time and PMU instruction count at main() (the PD runs
 * before the BEAM PD: a higher priority), i.e. when user mode has begun:
 *   PROBE main_ns=.. main_insns=..
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint32_t pmu_insns(void)
{
    uint32_t v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 2"
                     : "=r"(v) : "r"(0) : "memory");
    return v;
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void sleep_until(uint64_t ns)
{
    struct timespec t = { .tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) != 0)
        ;
}

int main(int argc, char **argv)
{
    if (argc == 2 && argv[1][0] == 'p') {
        uint32_t i = pmu_insns();
        uint64_t t = now_ns();
        printf("PROBE main_ns=%llu main_insns=%lu\n", (unsigned long long)t, (unsigned long)i);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: meter T1_MS W_MS\n");
        return 2;
    }
    uint64_t t1 = strtoull(argv[1], NULL, 10) * 1000000u;
    uint64_t t2 = t1 + strtoull(argv[2], NULL, 10) * 1000000u;
    uint64_t t3 = t2 + 1000000u;
    sleep_until(t1);
    uint32_t a = pmu_insns();
    uint64_t ta = now_ns();
    sleep_until(t2);
    uint32_t b = pmu_insns();
    uint64_t tb = now_ns();
    sleep_until(t3);
    uint32_t c = pmu_insns();
    printf("METER t1_ns=%llu t2_ns=%llu window_insns=%lu wake_insns=%lu\n",
           (unsigned long long)ta, (unsigned long long)tb,
           (unsigned long)(uint32_t)(b - a), (unsigned long)(uint32_t)(c - b));
    return 0;   /* the PD ends; the BEAM PD powers the machine off later */
}
