/*
 * pmu.h - reading the PMU from a PD (the kernel sets PMUSERENR.EN) for the
 * kernel-ipc benchmark, and what both benchmark PDs share.
 */
#ifndef BENCH_PMU_H
#define BENCH_PMU_H

#include <freebeam/fbpd.h>

#define KIPC_CH         0
#define KIPC_LABEL_BOOT 0x42u   /* ppcall: reply mr0 = the server's bench_boot[0] */

extern volatile uint32_t bench_boot[2];   /* entry.S: {PMU counter 0, PMCCNTR} */

static inline uint32_t pmu_insns(void)
{
    uint32_t v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 2"
                     : "=r"(v) : "r"(0) : "memory");
    return v;
}

/* True if counter 0 is enabled, counting event 0x08, with PMCR.E set. */
static inline bool pmu_counts_insns(void)
{
    uint32_t pmcr, en, type;
    __asm__ volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(pmcr));
    __asm__ volatile("mrc p15, 0, %0, c9, c12, 1" : "=r"(en));
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 1"
                     : "=r"(type) : "r"(0) : "memory");
    return (pmcr & 1) && (en & 1) && (type & 0xff) == 0x08;
}

/* Start counter 0 on event 0x08 ourselves (if the kernel did not). */
static inline void pmu_start_insns(void)
{
    uint32_t pmcr;
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 5\n\tisb" : : "r"(0) : "memory");
    __asm__ volatile("mcr p15, 0, %0, c9, c13, 1" : : "r"(0x08) : "memory");
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 1" : : "r"(1) : "memory");
    __asm__ volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(pmcr));
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 0\n\tisb" : : "r"(pmcr | 1) : "memory");
}

#endif
