/*
 * power.c - powering the machine off with a status.  Semihosting's
 * SYS_EXIT_EXTENDED makes QEMU exit with the status (tools/freebeam run
 * passes -semihosting); without semihosting, PSCI SYSTEM_OFF still stops the
 * machine (status 0).  Only the kernel issues these: QEMU does not honour
 * semihosting from user mode.
 */
#include "kernel.h"

void power_off(uint32_t status)
{
    prof_dump();
    static volatile uint32_t block[2];
    block[0] = 0x20026;             /* ADP_Stopped_ApplicationExit */
    block[1] = status;
    register uint32_t r0 __asm__("r0") = 0x20;   /* SYS_EXIT_EXTENDED */
    register uint32_t r1 __asm__("r1") = (uint32_t)block;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    register uint32_t p0 __asm__("r0") = 0x84000008u;  /* PSCI SYSTEM_OFF */
    __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(p0) :: "memory");
    for (;;)
        __asm__ volatile("wfi");
}
