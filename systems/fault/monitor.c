/*
 * monitor.c - supervises the fault demo's child: prints each fault record,
 * checks it is the NULL write it expects, restarts the child 3 times and
 * stops it at the 4th fault, then powers off with 0 only if all was right.
 */
#include <freebeam/fbpd.h>

#define CHILD_PD   1
#define RESTARTS   3

static unsigned faults, starts;
static bool bad;

static void finish(void)
{
    /* The child's last "started" may still be pending: collect it. */
    uint64_t deadline = fb_clock_ticks() + fb_ns_to_ticks(100000000);
    while (starts < RESTARTS + 1) {
        struct fb_event ev = fb_wait(deadline);
        if (ev.kind == FB_EV_NOTIFY && (ev.w[0] & 1))
            starts++;
        else if (ev.kind == FB_EV_TIMEOUT)
            break;
    }
    if (starts != RESTARTS + 1) {
        fb_printf("fault: FAIL the child started %u times, expected %u\n", starts, RESTARTS + 1);
        bad = true;
    }
    if (bad) {
        fb_printf("fault: FAIL\n");
        fb_poweroff(1);
    }
    fb_printf("fault: child restarted %u times, stopped\n", RESTARTS);
    fb_poweroff(0);
}

void init(void)
{
    fb_printf("monitor: pd %u watching pd %u\n", fb_pd_self(), CHILD_PD);
}

void notified(unsigned ch)
{
    if (ch == 0)
        starts++;
}

void fault(unsigned pd, const struct fb_fault *f)
{
    faults++;
    fb_printf("monitor: fault %u: pd %u tid %u kind %u addr %p pc %p status %x\n", faults, pd,
              f->tid, f->kind, (void *)f->addr, (void *)f->pc, f->status);
    if (pd != CHILD_PD || f->kind != FB_FAULT_DATA_ABORT || f->addr != 0 || f->pc < 0x10000) {
        fb_printf("fault: FAIL expected a data abort at address 0 in pd %u\n", CHILD_PD);
        bad = true;
    }
    if (faults <= RESTARTS) {
        int r = fb_pd_restart(pd);
        if (r != 0) {
            fb_printf("fault: FAIL restart returned %d\n", r);
            fb_poweroff(1);
        }
        fb_printf("monitor: restarted pd %u (%u of %u)\n", pd, faults, RESTARTS);
        return;
    }
    int r = fb_pd_stop(pd);
    if (r != 0) {
        fb_printf("fault: FAIL stop returned %d\n", r);
        fb_poweroff(1);
    }
    fb_printf("monitor: stopped pd %u after %u faults\n", pd, faults);
    finish();
}
