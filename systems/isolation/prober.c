/*
 * prober.c - the isolation demo's would-be intruder: on each (re)start it
 * makes the one forbidden access its monitor asks for in the control
 * region.  If the access does not fault it reports what it got and then
 * traps on purpose (an undefined instruction), which the monitor counts as
 * a failure.
 */
#include "isolation.h"

/* Thumb "bx lr" in writable data: running it must be refused (XN). */
static volatile uint16_t data_code[2] __attribute__((aligned(4))) = { 0x4770, 0x4770 };

void init(void)
{
    struct iso_ctl *ctl = (struct iso_ctl *)ISO_CTL_VADDR;
    uint32_t n = ctl->attempt;
    if (n >= ISO_ATTEMPTS) {
        fb_printf("prober: no attempt %u\n", n);
        __builtin_trap();
    }
    const struct iso_attempt *a = &iso_attempts[n];
    uint32_t target = a->addr;
    if (n == ISO_WRITE_TEXT)
        target = (uint32_t)(uintptr_t)&init & ~1u;
    else if (n == ISO_EXEC_DATA)
        target = (uint32_t)(uintptr_t)data_code;
    ctl->target = target;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    fb_printf("prober: attempt %u: %s at %p\n", n, a->what, (void *)target);

    uint32_t got = 0;
    switch (n) {
    case ISO_WRITE_TEXT:
        *(volatile uint16_t *)target = 0x4770;
        got = *(volatile uint16_t *)target;
        break;
    case ISO_EXEC_DATA:
        ((void (*)(void))(target | 1u))();
        got = 1;
        break;
    default:
        got = *(volatile uint32_t *)target;
        break;
    }
    ctl->leaked = got;
    fb_printf("prober: attempt %u did NOT fault (got %x)\n", n, got);
    __builtin_trap();
}
