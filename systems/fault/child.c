/*
 * child.c - the PD that the fault demo makes crash: it tells its monitor
 * it has started (channel 0), then stores through a NULL pointer.
 */
#include <freebeam/fbpd.h>

static volatile uint32_t runs = 41;   /* .data: a restart must bring back 41 */

void init(void)
{
    runs++;
    fb_printf("child: pd %u started (run counter %u), writing through NULL\n", fb_pd_self(), runs);
    if (runs != 42)
        fb_printf("child: FAIL writable data was not fresh after a restart\n");
    else
        fb_notify(0);   /* the monitor counts these */
    /* Hide the NULL from gcc, which would otherwise emit a trap instead. */
    volatile uint32_t *p;
    __asm__ volatile("" : "=r"(p) : "0"(0));
    *p = 0xdead;
    fb_printf("child: FAIL the NULL write did not fault\n");
}
