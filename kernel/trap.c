/*
 * trap.c - what the exception entry code calls: kernel calls, aborts and
 * undefined instructions from user mode become syscalls or fault records;
 * any exception from the kernel itself is a bug and stops the machine.
 */
#include "kernel.h"
#include "arch/armv7/cpu.h"

int handle_svc(void);
void handle_dabt(void);
void handle_pabt(void);
void handle_undef(void);
void kernel_trap(uint32_t kind, uint32_t lr, uint32_t spsr);

/* 1: the IPC fast path switched threads itself (vectors.S skips kernel_exit) */
int handle_svc(void)
{
    struct tcb *t = cur;
    uint32_t n = t->ctx.r[7];
    if (n == FB_SYS_PPCALL && fastpath_ppcall(t))
        return 1;
    if (n == FB_SYS_REPLY_RECV && fastpath_reply_recv(t))
        return 1;
    syscall_dispatch(t);
    return 0;
}

void handle_dabt(void)
{
    uint32_t fsr = read_dfsr();
    uint32_t fs = (fsr & 0xfu) | ((fsr >> 6) & 0x10u);
    pd_fault(cur, fs == 1 ? FB_FAULT_ALIGNMENT : FB_FAULT_DATA_ABORT, read_dfar(), fsr);
}

void handle_pabt(void)
{
    pd_fault(cur, FB_FAULT_PREFETCH_ABORT, read_ifar(), read_ifsr());
}

void handle_undef(void)
{
    pd_fault(cur, FB_FAULT_UNDEFINED, cur->ctx.pc, 0);
}

void kernel_trap(uint32_t kind, uint32_t lr, uint32_t spsr)
{
    static const char *const what[] = { "?", "IRQ", "data abort", "prefetch abort",
                                        "undefined instruction", "FIQ", "reset" };
    panic("kernel %s: lr 0x%08x spsr 0x%08x dfar 0x%08x dfsr 0x%08x ifar 0x%08x",
          kind < 7 ? what[kind] : "?", (unsigned)lr, (unsigned)spsr, (unsigned)read_dfar(),
          (unsigned)read_dfsr(), (unsigned)read_ifar());
}
