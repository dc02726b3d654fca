/*
 * syscall.c - the kernel calls of kapi.h.  Arguments come from the calling
 * thread's saved registers and results go back into them; every pointer a
 * PD passes is checked against that PD's own mappings before it is used,
 * and a call number the kernel does not know is a fault.
 */
#include "kernel.h"
#include "arch/armv7/cpu.h"

#define DEBUG_PUTS_MAX 1024u

static uint64_t arg64(const struct tcb *t, int lo)
{
    return ((uint64_t)t->ctx.r[lo + 1] << 32) | t->ctx.r[lo];
}

static uint32_t sys_debug_puts(struct tcb *t)
{
    uint32_t p = t->ctx.r[0], len = t->ctx.r[1];
    if (len > DEBUG_PUTS_MAX)
        len = DEBUG_PUTS_MAX;           /* the caller loops on the count returned */
    if (!uaccess_ok(t->pd, p, len, FB_PERM_R))
        return (uint32_t)-FB_EFAULT;
    for (uint32_t i = 0; i < len; i++)
        uart_putc(((const char *)p)[i]);
    return len;
}

static uint32_t sys_thread_create(struct tcb *t)
{
    uint32_t entry = t->ctx.r[0], sp = t->ctx.r[1], prio = t->ctx.r[4];
    struct pd *pd = t->pd;
    if (prio > pd->prio)
        return (uint32_t)-FB_EPERM;
    if ((sp & 7u) || !uaccess_ok(pd, entry & ~1u, 2, FB_PERM_X))
        return (uint32_t)-FB_EINVAL;
    struct tcb *n = thread_alloc(pd);
    if (!n)
        return (uint32_t)-FB_EAGAIN;
    thread_init_user(n, entry, sp, t->ctx.r[2], t->ctx.r[3], prio);
    thread_make_runnable(n);
    return n->tid;
}

static uint32_t futex_wake(struct pd *pd, uint32_t addr, uint32_t max)
{
    uint32_t n = 0;
    struct tcb *w;
    while (n < max && (w = futex_take(pd, addr))) {
        w->state = T_STOPPED;          /* already off the futex queue */
        thread_wake(w, 0);
        n++;
    }
    return n;
}

static void sys_thread_exit(struct tcb *t)
{
    uint32_t clear = t->ctx.r[0];
    if (clear && !(clear & 3u) && uaccess_ok(t->pd, clear, 4, FB_PERM_R | FB_PERM_W)) {
        *(volatile uint32_t *)clear = 0;
        futex_wake(t->pd, clear, 1);
    }
    thread_free(t);
}

static uint32_t sys_set_prio(struct tcb *t)
{
    struct tcb *x = thread_of_pd(t->pd, t->ctx.r[0]);
    uint32_t prio = t->ctx.r[1];
    if (!x)
        return (uint32_t)-FB_ESRCH;
    if (prio > t->pd->prio)
        return (uint32_t)-FB_EPERM;
    if (x->state == T_RUNNABLE) {
        sched_remove(x);
        x->prio = (uint8_t)prio;
        sched_add(x);
    } else {
        x->prio = (uint8_t)prio;
    }
    return 0;
}

static void sys_futex_wait(struct tcb *t)
{
    uint32_t addr = t->ctx.r[0], val = t->ctx.r[1];
    uint64_t deadline = arg64(t, 2);
    if (addr & 3u) {
        t->ctx.r[0] = (uint32_t)-FB_EINVAL;
        return;
    }
    if (!uaccess_ok(t->pd, addr, 4, FB_PERM_R)) {
        t->ctx.r[0] = (uint32_t)-FB_EFAULT;
        return;
    }
    if (*(volatile uint32_t *)addr != val) {
        t->ctx.r[0] = (uint32_t)-FB_EAGAIN;
        return;
    }
    if (t->interrupted) {
        t->interrupted = 0;
        t->ctx.r[0] = (uint32_t)-FB_EINTR;
        return;
    }
    if (deadline && deadline <= timer_now()) {
        t->ctx.r[0] = (uint32_t)-FB_ETIMEDOUT;
        return;
    }
    t->ctx.r[0] = 0;
    thread_block(t, T_FUTEX, deadline);
    futex_enqueue(t, addr);
}

/* r0 = 0, r1,r2 = a CPU-time figure in counter ticks. */
static void put_ticks(struct tcb *t, uint64_t ticks)
{
    t->ctx.r[0] = 0;
    t->ctx.r[1] = (uint32_t)ticks;
    t->ctx.r[2] = (uint32_t)(ticks >> 32);
}

static void sys_thread_cpu(struct tcb *t)
{
    struct tcb *x = t->ctx.r[0] ? thread_of_pd(t->pd, t->ctx.r[0]) : t;
    if (!x)
        t->ctx.r[0] = (uint32_t)-FB_ESRCH;
    else
        put_ticks(t, cpu_thread_ticks(x, timer_now()));
}

void syscall_dispatch(struct tcb *t)
{
    uint32_t *r = t->ctx.r;
    struct pd *pd = t->pd;
    struct pd *child;
    switch (r[7]) {
    case FB_SYS_DEBUG_PUTS:   r[0] = sys_debug_puts(t); break;
    case FB_SYS_NOTIFY:       ipc_notify(pd, r[0]); break;
    case FB_SYS_PPCALL:       ipc_ppcall(t); break;
    case FB_SYS_RECV:         ipc_recv(t, arg64(t, 0)); break;
    case FB_SYS_REPLY_RECV:   ipc_reply(t); ipc_recv(t, arg64(t, 5)); break;
    case FB_SYS_IRQ_ACK:      r[0] = (uint32_t)irq_ack(pd, r[0]); break;
    case FB_SYS_PD_RESTART:
        child = pd_child(t->pd, r[0]);
        r[0] = child ? (uint32_t)pd_restart(child) : (uint32_t)-FB_EPERM;
        break;
    case FB_SYS_PD_STOP:
        child = pd_child(t->pd, r[0]);
        if (child)
            pd_stop(child);
        r[0] = child ? 0 : (uint32_t)-FB_EPERM;
        break;
    case FB_SYS_THREAD_CREATE: r[0] = sys_thread_create(t); break;
    case FB_SYS_THREAD_EXIT:  sys_thread_exit(t); break;
    case FB_SYS_THREAD_SET_PRIO: r[0] = sys_set_prio(t); break;
    case FB_SYS_YIELD:        r[0] = 0; sched_rotate(t); break;
    case FB_SYS_FUTEX_WAIT:   sys_futex_wait(t); break;
    case FB_SYS_FUTEX_WAKE:
        r[0] = (r[0] & 3u) ? (uint32_t)-FB_EINVAL : futex_wake(pd, r[0], r[1]);
        break;
    case FB_SYS_SET_TLS:      t->tpidruro = r[0]; write_tpidruro(r[0]); r[0] = 0; break;
    case FB_SYS_POWEROFF:
        if (pd->rights & FB_RIGHT_POWEROFF)
            power_off(r[0]);
        r[0] = (uint32_t)-FB_EPERM;
        break;
    case FB_SYS_THREAD_SELF:  r[0] = t->tid; break;
    case FB_SYS_PD_SELF:      r[0] = pd->index; break;
    case FB_SYS_THREAD_INTERRUPT: {
        struct tcb *x = thread_of_pd(pd, r[0]);
        r[0] = x ? (uint32_t)thread_interrupt(x) : (uint32_t)-FB_ESRCH;
        break;
    }
    case FB_SYS_PD_EXIT:      pd_exit(t, r[0]); break;
    case FB_SYS_PROTECT:      r[0] = (uint32_t)pd_protect(pd, r[0], r[1], r[2]); break;
    case FB_SYS_THREAD_CPU:   sys_thread_cpu(t); break;
    case FB_SYS_PD_CPU:       put_ticks(t, cpu_pd_ticks(pd, timer_now())); break;
    default:
        pd_fault(t, FB_FAULT_BAD_SYSCALL, 0, r[7]);
        break;
    }
}
