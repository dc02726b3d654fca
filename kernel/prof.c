/*
 * prof.c - a sampling profiler, compiled only into kernel-prof.elf
 * (FB_PROFILE = the sampling period in counter ticks; kernel.mk).  Every
 * period of the virtual counter, the timer interrupt counts the PD and the
 * user pc that was running.  At power off the counts are printed, one
 * `prof PD PC COUNT` line each, for tools/profile/report.py.
 *
 * Under `run --det` a counter tick is 16 instructions and the samples are
 * the same on every run.  Interrupts are masked in the kernel, so a tick
 * that falls there is taken on the way back to user mode: kernel work is
 * counted at the user pc it returns to (most often right after a kernel
 * call).  Idle time is not sampled.  (The PMU's overflow interrupt would
 * count instructions directly, but QEMU raises it only when the CPU changes
 * mode, which puts every sample on a kernel call.)
 */
#ifdef FB_PROFILE
#include "kernel.h"

#define PROF_SLOTS 8192u            /* distinct (pd, pc) pairs kept */

static struct prof_slot {
    uint32_t pc;
    uint16_t pd;
    uint16_t used;
    uint32_t count;
} slots[PROF_SLOTS];
static uint32_t samples, dropped;
static uint64_t next_tick;

void prof_init(void)
{
    next_tick = timer_now() + FB_PROFILE;
    kprintf("prof: a sample every %u counter ticks\n", (unsigned)FB_PROFILE);
}

static void count(uint32_t pd, uint32_t pc)
{
    uint32_t h = (pc ^ (pc >> 13) ^ (pd * 0x9e3779b1u)) % PROF_SLOTS;
    for (uint32_t n = 0; n < PROF_SLOTS; n++, h = (h + 1) % PROF_SLOTS) {
        struct prof_slot *s = &slots[h];
        if (!s->used) {
            s->used = 1;
            s->pd = (uint16_t)pd;
            s->pc = pc;
        }
        if (s->pd == pd && s->pc == pc) {
            s->count++;
            return;
        }
    }
    dropped++;
}

/* The timer interrupt: a sample if a tick is due and a thread was running
 * (after idle, the next tick is a period from now, not a burst). */
void prof_tick(uint64_t now)
{
    if (now < next_tick)
        return;
    next_tick = next_tick + FB_PROFILE > now ? next_tick + FB_PROFILE : now + FB_PROFILE;
    if (!cur)
        return;
    samples++;
    count(cur->pd->index, cur->ctx.pc);
}

uint64_t prof_deadline(uint64_t dl)
{
    return !dl || next_tick < dl ? next_tick : dl;
}

void prof_dump(void)
{
    kprintf("prof: period %u ticks, %u samples, %u dropped\n", (unsigned)FB_PROFILE, (unsigned)samples,
            (unsigned)dropped);
    for (uint32_t i = 0; i < npds; i++)
        kprintf("prof: pd %u %s\n", (unsigned)i, pds[i].name);
    for (uint32_t i = 0; i < PROF_SLOTS; i++)
        if (slots[i].used)
            kprintf("prof %u %08x %u\n", (unsigned)slots[i].pd, (unsigned)slots[i].pc,
                    (unsigned)slots[i].count);
}
#endif
