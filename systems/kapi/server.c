/*
 * server.c - a kapi PD that faults while serving a ppcall: basic calls it
 * and must get an error label back instead of hanging; mon, its monitor,
 * gets the fault record (a NULL store) and leaves it stopped.
 */
#include "kt.h"

void init(void)
{
}

struct fb_msg protected(unsigned ch, struct fb_msg msg)
{
    (void)ch;
    volatile uint32_t *p;
    __asm__ volatile("" : "=r"(p) : "0"(0));   /* a NULL gcc cannot see */
    *p = msg.label;
    fb_printf("not ok - server: the NULL store in a ppcall did not fault\n");
    return msg;
}
