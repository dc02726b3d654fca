/*
 * timer.c - the ARM generic timer.  The kernel is tickless: it programs the
 * virtual timer's compare value for the next deadline (a timeout or the end
 * of a time slice) and turns it off when there is none.  PDs read CNTVCT
 * themselves (CNTKCTL.PL0VCTEN), so reading the clock costs no kernel call;
 * the kernel reads it as they do (include/freebeam/counter.h).
 */
#include "kernel.h"
#include "arch/armv7/cpu.h"
#include "plat/qemu-virt/platform.h"
#include <freebeam/counter.h>

static uint32_t freq;
static uint64_t armed;          /* the deadline programmed, 0: off (skip rewriting it) */

void timer_init(void)
{
    freq = fb_clock_freq();
    write_cntkctl((read_cntkctl() & ~0x3u) | (1u << 1));    /* PL0VCTEN only */
    write_cntv_ctl(0);
    gic_enable(IRQ_VTIMER, 0);
}

uint64_t timer_now(void) { return fb_clock_ticks(); }

uint64_t timer_us_to_ticks(uint32_t us)
{
    return (uint64_t)us * freq / 1000000u;
}

void timer_set(uint64_t deadline)
{
    if (deadline == armed)
        return;
    armed = deadline;
    if (!deadline) {
        write_cntv_ctl(0);
    } else {
        write_cntv_cval(deadline);
        write_cntv_ctl(1);
    }
    isb();
}
