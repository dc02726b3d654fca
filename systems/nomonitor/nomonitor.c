/*
 * nomonitor.c - the only PD of the nomonitor system: it has no monitor, so
 * its NULL store must make the kernel print the fault record and power off
 * with status 128 + 11 (tests/suites/kernel.sh checks both).
 */
#include <freebeam/fbpd.h>

void init(void)
{
    fb_printf("nomonitor: writing through NULL\n");
    /* Hide the NULL from gcc, which would otherwise emit a trap instead. */
    volatile uint32_t *p;
    __asm__ volatile("" : "=r"(p) : "0"(0));
    *p = 0xdead;
    fb_printf("nomonitor: FAIL the NULL write did not fault\n");
}
