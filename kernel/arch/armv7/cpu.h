/*
 * cpu.h - ARMv7-A system register accessors and barriers used by the kernel.
 * One inline function per register keeps every CP15 encoding in one place.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

#define CP15_RD(name, op1, crn, crm, op2) \
    static inline uint32_t read_##name(void) { uint32_t v; \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v)); return v; }
#define CP15_WR(name, op1, crn, crm, op2) \
    static inline void write_##name(uint32_t v) { \
        __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"(v) : "memory"); }
#define CP15_RW(name, op1, crn, crm, op2) CP15_RD(name, op1, crn, crm, op2) CP15_WR(name, op1, crn, crm, op2)

CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(cpacr, 0, c1, c0, 2)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbr1, 0, c2, c0, 1)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(dacr, 0, c3, c0, 0)
CP15_RD(dfsr, 0, c5, c0, 0)
CP15_RD(ifsr, 0, c5, c0, 1)
CP15_RD(dfar, 0, c6, c0, 0)
CP15_RD(ifar, 0, c6, c0, 2)
CP15_WR(iciallu, 0, c7, c5, 0)
CP15_WR(bpiall, 0, c7, c5, 6)
CP15_WR(dccmvau, 0, c7, c11, 1)
CP15_WR(dccmvac, 0, c7, c10, 1)
CP15_WR(tlbiall, 0, c8, c7, 0)
CP15_WR(tlbiasid, 0, c8, c7, 2)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_RW(contextidr, 0, c13, c0, 1)
CP15_RW(tpidrurw, 0, c13, c0, 2)
CP15_RW(tpidruro, 0, c13, c0, 3)
CP15_RW(cntkctl, 0, c14, c1, 0)
CP15_RW(cntv_ctl, 0, c14, c3, 1)
CP15_RW(pmcr, 0, c9, c12, 0)
CP15_WR(pmcntenset, 0, c9, c12, 1)
CP15_WR(pmselr, 0, c9, c12, 5)
CP15_WR(pmxevtyper, 0, c9, c13, 1)
CP15_RD(pmxevcntr, 0, c9, c13, 2)
CP15_WR(pmuserenr, 0, c9, c14, 0)

static inline void write_cntv_cval(uint64_t v)
{
    __asm__ volatile("mcrr p15, 3, %0, %1, c14" :: "r"((uint32_t)v), "r"((uint32_t)(v >> 32)));
}

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void dmb(void) { __asm__ volatile("dmb" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("dsb; wfi" ::: "memory"); }

#endif
