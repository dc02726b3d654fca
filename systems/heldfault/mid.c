/*
 * mid.c - leaf's monitor in the heldfault test: stopped while leaf faults,
 * restarted afterwards; its first event must be leaf's fault, which the
 * kernel held for it.  Exits 0 if it is, 1 otherwise.
 */
#include <freebeam/fbpd.h>

void init(void)
{
    fb_printf("mid: running\n");
}

void fault(unsigned pd, const struct fb_fault *f)
{
    fb_printf("mid: fault of pd %u: kind %u addr %p\n", pd, f->kind, (void *)f->addr);
    bool right = (int)pd == fb_pd_by_name("leaf") && f->kind == FB_FAULT_DATA_ABORT && f->addr == 0;
    fb_pd_exit(right ? 0 : 1);
}
