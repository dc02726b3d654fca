/*
 * leaf.c - the heldfault test's faulting PD: when root notifies it, it
 * answers and writes through NULL (its monitor, mid, is stopped then).
 */
#include <freebeam/fbpd.h>

void init(void)
{
}

void notified(unsigned ch)
{
    fb_notify(ch);
    volatile uint32_t *p;
    __asm__ volatile("" : "=r"(p) : "0"(0));   /* hide the NULL from gcc */
    *p = 0xdead;
}
