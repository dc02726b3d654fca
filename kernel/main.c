/*
 * main.c - boot (kmain) and the one path back to user mode (kernel_exit):
 * expire timeouts, rotate the time slice, pick the highest-priority thread,
 * idle in WFI when there is none, charge CPU time (cputime.c), switch
 * address space, VFP and TLS registers, and program the timer for the
 * next deadline.  kernel_switch_direct is its short form for the IPC fast
 * path (fastpath.c), when the thread to run next is already known.
 */
#include "kernel.h"
#include "arch/armv7/cpu.h"
#include "plat/qemu-virt/platform.h"

struct tcb *cur;
uint64_t slice_end;
static uint64_t slice_ticks;
static const struct pd *cur_pd;

extern char _end[];
extern char vectors[];
void kmain(void);
void exit_to_user(void) __attribute__((noreturn));

static void pmu_init(void)
{
    write_pmcr(read_pmcr() | 1u);   /* E: counters on, never reset after boot */
    write_pmselr(0);
    write_pmxevtyper(0x08);         /* counter 0: instructions architecturally executed */
    write_pmcntenset((1u << 31) | 1u);
    write_pmuserenr(1);             /* PDs may read it: benchmarks count instructions */
}

uint32_t ram_size = RAM_SIZE;

void kmain(void)
{
    kputs("freebeam kernel\n");
    uint32_t fdt_ram = fdt_ram_size((const void *)FB_RAM_BASE, FB_KERNEL_PADDR - FB_RAM_BASE);
    if (fdt_ram >= (16u << 20) && fdt_ram <= 0xc0000000u - FB_RAM_BASE)
        ram_size = fdt_ram;
    pmu_init();
    vfp_init();
    mmu_init();
    write_vbar((uint32_t)vectors);
    isb();
    gic_init();
    prof_init();
    timer_init();
    rtc_read_boot_time();
    slice_ticks = timer_us_to_ticks(TIMESLICE_US);
    uint32_t blob = ((uint32_t)_end + FB_PAGE - 1) & ~(FB_PAGE - 1);
    pd_load_all((const void *)blob, FB_RAM_BASE + ram_size - blob);
    kprintf("freebeam: %u protection domains, %u MiB RAM\n", (unsigned)npds, (unsigned)(ram_size >> 20));
    exit_to_user();
}

static void expire(uint64_t now)
{
    struct tcb *t;
    while ((t = timeout_expired(now))) {
        if (t->state == T_FUTEX) {
            futex_dequeue(t);
            t->ctx.r[0] = (uint32_t)-FB_ETIMEDOUT;
        } else if (t->state == T_RECV) {
            t->pd->receiver = NULL;
            t->ctx.r[0] = FB_EV_TIMEOUT;
        } else {
            continue;
        }
        thread_make_runnable(t);
    }
}

static inline __attribute__((always_inline)) void switch_to(struct tcb *next, uint64_t now)
{
    if (cur && cur->state != T_FREE)
        cur->tpidrurw = read_tpidrurw();
    if (vfp_owner != next) {
        if (vfp_owner)
            vfp_save(&vfp_owner->vfp);
        vfp_restore(&next->vfp);
        vfp_owner = next;
    }
    write_tpidruro(next->tpidruro);
    write_tpidrurw(next->tpidrurw);
    if (cur_pd != next->pd) {
        mmu_switch(next->pd);
        cur_pd = next->pd;
    }
    cur = next;
    slice_end = now + slice_ticks;
}

void kernel_exit(void)
{
    uint64_t now = timer_now();
    expire(now);
    if (cur && cur->state == T_RUNNABLE && now >= slice_end && sched_has_peer(cur))
        sched_rotate(cur);
    struct tcb *next = sched_pick();
    if (!next) {
        cpu_charge(now);                /* idle time is nobody's */
        do {
            timer_set(timeout_next());
            wfi();
            irq_handle_pending();
            now = timer_now();
            expire(now);
            next = sched_pick();
        } while (!next);
        cpu_resume(now);
    }
    if (next != cur) {
        cpu_charge(now);
        switch_to(next, now);
    }
    uint64_t dl = timeout_next();
    if (sched_has_peer(cur) && (!dl || slice_end < dl))
        dl = slice_end;
    timer_set(prof_deadline(dl));
}

/* After a call that blocked cur, when the next thread is the only one at
 * the highest runnable priority: what kernel_exit would do, minus the work
 * that cannot change its choice.  No expiry scan: a timeout that has passed
 * has its timer interrupt pending, taken as soon as `next` runs (kernel_exit
 * then handles it).  No rotation: cur is not runnable.  No timer write:
 * next is alone at its priority, so it needs no time slice, and the timer
 * is already at or before the first timeout (every kernel_exit sets it so,
 * and the fast path adds no timeout); if it is earlier, its interrupt
 * finds nothing to do and kernel_exit sets it again. */
void kernel_switch_direct(struct tcb *next)
{
    uint64_t now = timer_now();
    cpu_charge(now);
    switch_to(next, now);
}
