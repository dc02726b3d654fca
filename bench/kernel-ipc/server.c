/*
 * server.c - the kernel-ipc benchmark's other end, at a higher priority
 * than the client: answers a notification with one, and a ppcall with the
 * same message (or, for KIPC_LABEL_BOOT, with its own entry PMU counts).
 */
#include "pmu.h"

void init(void)
{
}

void notified(unsigned ch)
{
    fb_notify(ch);
}

struct fb_msg protected(unsigned ch, struct fb_msg msg)
{
    (void)ch;
    if (msg.label == KIPC_LABEL_BOOT) {
        struct fb_msg r = { KIPC_LABEL_BOOT, { bench_boot[0], bench_boot[1], 0, 0 } };
        return r;
    }
    return msg;
}
