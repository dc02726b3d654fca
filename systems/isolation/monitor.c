/*
 * monitor.c - the isolation demo's judge: for each forbidden access in
 * isolation.h it lets the prober (re)start and try it, checks the fault it
 * receives (kind and address), and powers off with 0 only if every access
 * faulted as it should.
 */
#include "isolation.h"

static struct iso_ctl *const ctl = (struct iso_ctl *)ISO_CTL_VADDR;
static unsigned passed;

void init(void)
{
    fb_printf("monitor: pd %u, prober is pd %u, %u attempts\n", fb_pd_self(), ISO_PROBER_PD,
              ISO_ATTEMPTS);
}

void fault(unsigned pd, const struct fb_fault *f)
{
    if (pd != ISO_PROBER_PD) {
        fb_printf("isolation: FAIL unexpected fault of pd %u (kind %u addr %p pc %p)\n", pd,
                  f->kind, (void *)f->addr, (void *)f->pc);
        fb_poweroff(1);
    }
    uint32_t n = ctl->attempt;
    const struct iso_attempt *a = &iso_attempts[n < ISO_ATTEMPTS ? n : 0];
    uint32_t want = a->addr ? a->addr : ctl->target;
    bool target_ok = a->addr != 0 || want >= 0x10000u;
    fb_printf("monitor: fault: pd %u tid %u kind %u addr %p pc %p status %x\n", pd, f->tid, f->kind,
              (void *)f->addr, (void *)f->pc, f->status);
    if (n < ISO_ATTEMPTS && target_ok && f->kind == a->kind && f->addr == want) {
        passed++;
        fb_printf("isolation: attempt %u (%s): faulted as expected\n", n, a->what);
    } else if (f->kind == FB_FAULT_UNDEFINED) {
        fb_printf("isolation: attempt %u (%s): FAIL no fault, read %x\n", n, a->what, ctl->leaked);
    } else {
        fb_printf("isolation: attempt %u (%s): FAIL fault kind %u at %p, expected kind %u at %p\n",
                  n, a->what, f->kind, (void *)f->addr, a->kind, (void *)want);
    }

    if (n + 1 < ISO_ATTEMPTS) {
        ctl->attempt = n + 1;
        ctl->target = 0;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        int r = fb_pd_restart(pd);
        if (r != 0) {
            fb_printf("isolation: FAIL restart returned %d\n", r);
            fb_poweroff(1);
        }
        return;
    }
    fb_pd_stop(pd);
    if (passed == ISO_ATTEMPTS) {
        fb_printf("isolation: %u of %u forbidden accesses faulted, ok\n", passed, ISO_ATTEMPTS);
        fb_poweroff(0);
    }
    fb_printf("isolation: FAIL only %u of %u forbidden accesses faulted\n", passed, ISO_ATTEMPTS);
    fb_poweroff(1);
}
