/*
 * root.c - the heldfault test's driver (systems/heldfault.config): stops
 * mid, has leaf fault while mid is stopped, restarts mid and powers off
 * with the status mid exits with (0: mid got leaf's held fault record).
 */
#include <freebeam/fbpd.h>

#define LEAF_CH 0

static int mid;

static void fail(const char *what)
{
    fb_printf("heldfault: FAIL %s\n", what);
    fb_poweroff(1);
}

void init(void)
{
    mid = fb_pd_by_name("mid");
    if (mid < 0)
        fail("no pd mid");
    if (fb_pd_stop((unsigned)mid) != 0)
        fail("cannot stop mid");
    fb_printf("root: mid stopped; telling leaf to fault\n");
    fb_notify(LEAF_CH);
    struct fb_event ev = fb_wait(fb_clock_ticks() + fb_ns_to_ticks(1000000000));
    if (ev.kind != FB_EV_NOTIFY || !(ev.w[0] & (1u << LEAF_CH)))
        fail("leaf did not answer");
    /* leaf (lower priority) runs and faults while root waits. */
    ev = fb_wait(fb_clock_ticks() + fb_ns_to_ticks(20000000));
    if (ev.kind != FB_EV_TIMEOUT)
        fail("an event while leaf faulted");
    fb_printf("root: restarting mid\n");
    if (fb_pd_restart((unsigned)mid) != 0)
        fail("cannot restart mid");
}

void fault(unsigned pd, const struct fb_fault *f)
{
    if ((int)pd != mid || f->kind != FB_FAULT_EXITED)
        fail("an unexpected fault record");
    fb_printf("heldfault: mid exited with %u\n", f->status);
    fb_poweroff(f->status == 0 ? 0 : 1);
}
