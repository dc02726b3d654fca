/*
 * monitor.c - the guard test's monitor (systems/guard.config): tells child
 * its run (1, 2), expects a data abort per run, restarts child after the
 * first and powers off after the second: 0 if both faults were data aborts
 * at the same page-aligned address (child's page), else 1.
 */
#include <freebeam/fbpd.h>

#define PAGE 4096u

static unsigned run;
static uint32_t first_addr;

void init(void)
{
}

struct fb_msg protected(unsigned ch, struct fb_msg msg)
{
    (void)ch;
    msg.label = ++run;
    return msg;
}

void fault(unsigned pd, const struct fb_fault *f)
{
    fb_printf("guard: fault %u: kind %u addr %p\n", run, f->kind, (void *)f->addr);
    bool right = f->kind == FB_FAULT_DATA_ABORT && f->addr != 0 && (f->addr & (PAGE - 1)) <= 2 &&
                 (run == 1 || (f->addr & ~(PAGE - 1)) == first_addr);
    if (!right) {
        fb_printf("guard: FAIL not the data abort expected\n");
        fb_poweroff(1);
    }
    if (run == 1) {
        first_addr = f->addr & ~(PAGE - 1);
        fb_pd_restart(pd);
        return;
    }
    fb_printf("guard: both accesses faulted at the page\n");
    fb_poweroff(0);
}
