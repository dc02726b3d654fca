/*
 * cputime.c - CPU time per thread and per PD.  Time is charged when the
 * kernel switches away from a thread (and before it idles): the stretch
 * from the last switch to now goes to the thread that ran and to its PD.
 * kernel_exit already reads the counter, so a switch costs a subtraction
 * and two additions; idle time, between cpu_charge and cpu_resume, goes to
 * nobody.  Kernel work done for a thread (its calls, interrupts that came
 * while it ran) counts as that thread's.  Units: counter (CNTVCT) ticks.
 */
#include "kernel.h"

uint64_t cpu_stretch_start;      /* cpu_charge (kernel.h) is inline: it is on every switch */

void cpu_resume(uint64_t now)
{
    cpu_stretch_start = now;
}

uint64_t cpu_thread_ticks(const struct tcb *t, uint64_t now)
{
    return t->cpu_ticks + (t == cur ? now - cpu_stretch_start : 0);
}

uint64_t cpu_pd_ticks(const struct pd *pd, uint64_t now)
{
    return pd->cpu_ticks + (cur && cur->pd == pd ? now - cpu_stretch_start : 0);
}
