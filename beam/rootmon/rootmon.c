/*
 * rootmon.c - the root monitor: the PD that supervises the BEAM PD, as
 * heart does on Linux (DESIGN.md decision 8).  It is the BEAM PD's monitor
 * in the system description, with the pd_control and poweroff rights.
 *
 * When the BEAM PD faults, or ends itself through PD_EXIT (libos does that
 * when erts aborts or dies of a fatal error, while halt(N) powers the
 * machine off with N directly), the kernel has stopped it and sends its
 * record here.  The root monitor prints it on the console and restarts the
 * BEAM PD from a clean copy of its program (the kernel restores its data
 * and stack; libos clears its heap region on a restart).  More than K
 * restarts within T seconds means the BEAM cannot stay up: the machine
 * powers off with the status of the last failure (never 0).  The driver
 * PDs keep running meanwhile; the new BEAM takes them over (their queues
 * and rings are in regions that a restart leaves as they are).
 *
 * Arguments (the description's args): rootmon PD K T
 *   PD  the name of the supervised PD (normally beam)
 *   K   restarts allowed within T seconds (default 3)
 *   T   seconds (default 60)
 */
#include <freebeam/fbpd.h>

#define MAX_K 64

static int target = -1;
static unsigned max_restarts = 3, period_s = 60;
static uint64_t stamps[MAX_K + 1];   /* ticks of the last restarts, oldest first */
static unsigned nstamps, total;

static unsigned parse_uint(const char *s, unsigned dflt)
{
    unsigned v = 0;
    if (!s || !*s)
        return dflt;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000)
            return dflt;
        v = v * 10 + (unsigned)(*s - '0');
    }
    return v;
}

void init(void)
{
    const char *name = fb_arg(1);
    target = name ? fb_pd_by_name(name) : -1;
    max_restarts = parse_uint(fb_arg(2), 3);
    if (max_restarts > MAX_K)
        max_restarts = MAX_K;
    period_s = parse_uint(fb_arg(3), 60);
    if (target < 0) {
        fb_printf("rootmon: no PD named %s to supervise: powering off\n", name ? name : "(none)");
        fb_poweroff(1);
    }
    fb_printf("rootmon: supervising %s (at most %u restarts in %u s)\n", name, max_restarts, period_s);
}

/* Would one more restart now exceed K within T? */
static bool too_many(uint64_t now)
{
    uint64_t window = (uint64_t)period_s * fb_clock_freq();
    unsigned keep = 0;
    for (unsigned i = 0; i < nstamps; i++)
        if (now - stamps[i] < window)
            stamps[keep++] = stamps[i];
    nstamps = keep;
    return nstamps >= max_restarts;
}

void fault(unsigned pd, const struct fb_fault *f)
{
    if ((int)pd != target) {
        fb_printf("rootmon: a record of pd %u, which it does not supervise: ignored\n", pd);
        return;
    }
    uint32_t status = f->kind == FB_FAULT_EXITED ? f->status : 128 + 11;
    if (f->kind == FB_FAULT_EXITED)
        fb_printf("rootmon: %s ended with status %u\n", fb_arg(1), f->status);
    else
        fb_printf("rootmon: %s faulted: kind %u at 0x%08x, pc 0x%08x, thread %u\n", fb_arg(1),
                  f->kind, f->addr, f->pc, f->tid);
    uint64_t now = fb_clock_ticks();
    if (too_many(now)) {
        fb_printf("rootmon: %s failed %u times within %u s: powering off\n", fb_arg(1),
                  nstamps + 1, period_s);
        fb_poweroff(status ? (int)status : 1);
    }
    stamps[nstamps++] = now;
    total++;
    int r = fb_pd_restart(pd);
    if (r != 0) {
        fb_printf("rootmon: cannot restart %s (error %d): powering off\n", fb_arg(1), r);
        fb_poweroff(status ? (int)status : 1);
    }
    fb_printf("rootmon: restarted %s (restart %u)\n", fb_arg(1), total);
}
