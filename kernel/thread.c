/*
 * thread.c - each PD's thread table and thread state changes.  A PD's
 * TCBs are one table of max_threads taken at boot (pd.c); its free ones
 * are a list, so creating a thread and finding one by tid (rights.c) take
 * constant time however many threads a PD may have.  Every state has
 * exactly one place a thread can be linked from (run queue, futex queue, a
 * PD's call queue, a PD's receiver slot), and thread_detach undoes it, so a
 * thread can be stopped from any state without leaving a dangling link.
 */
#include "kernel.h"
#include "lib.h"

struct tcb *vfp_owner;

/* Every TCB of the PD free, listed lowest tid first: the main thread of a
 * PD (started first, at boot and at each restart) has its lowest tid. */
void thread_pool_init(struct pd *pd, struct tcb *pool, uint32_t tid_base)
{
    pd->tcbs = pool;
    pd->tid_base = tid_base;
    pd->nthreads = 0;
    pd->free_tcbs = NULL;
    for (uint32_t i = pd->max_threads; i-- > 0;) {
        pool[i].state = T_FREE;
        pool[i].next = pd->free_tcbs;
        pd->free_tcbs = &pool[i];
    }
}

struct tcb *thread_alloc(struct pd *pd)
{
    struct tcb *t = pd->free_tcbs;
    if (!t || pd->nthreads >= pd->max_threads)
        return NULL;
    pd->free_tcbs = t->next;
    memset(t, 0, sizeof *t);
    t->pd = pd;
    t->tid = pd->tid_base + (uint32_t)(t - pd->tcbs) + 1;
    t->state = T_STOPPED;
    pd->nthreads++;
    return t;
}

void thread_init_user(struct tcb *t, uint32_t entry, uint32_t sp, uint32_t r0, uint32_t tls, uint32_t prio)
{
    memset(&t->ctx, 0, sizeof t->ctx);
    memset(&t->vfp, 0, sizeof t->vfp);
    t->ctx.pc = entry & ~1u;
    t->ctx.cpsr = 0x10u | ((entry & 1u) ? 0x20u : 0);  /* user mode, Thumb from bit 0 */
    t->ctx.sp = sp;
    t->ctx.r[0] = r0;
    t->tpidruro = tls;
    t->tpidrurw = 0;
    t->prio = (uint8_t)prio;
}

void thread_make_runnable(struct tcb *t)
{
    t->state = T_RUNNABLE;
    sched_add(t);
}

void thread_block(struct tcb *t, enum tstate st, uint64_t deadline)
{
    if (t->state == T_RUNNABLE)
        sched_remove(t);
    t->state = (uint8_t)st;
    if (deadline)
        timeout_add(t, deadline);
}

void thread_detach(struct tcb *t)
{
    switch (t->state) {
    case T_RUNNABLE:
        sched_remove(t);
        break;
    case T_FUTEX:
        futex_dequeue(t);
        break;
    case T_CALL_SEND:
        tq_remove(&t->callee_pd->callq, t);
        break;
    case T_RECV:
        if (t->pd->receiver == t)
            t->pd->receiver = NULL;
        break;
    case T_CALL_REPLY:
        if (t->callee)
            t->callee->caller = NULL;
        t->callee = NULL;
        break;
    default:
        break;
    }
    timeout_cancel(t);
}

void thread_wake(struct tcb *t, uint32_t r0)
{
    thread_detach(t);
    t->ctx.r[0] = r0;
    thread_make_runnable(t);
}

int thread_interrupt(struct tcb *t)
{
    if (t->state == T_FUTEX || t->state == T_RECV) {
        thread_wake(t, (uint32_t)-FB_EINTR);
        return 0;
    }
    t->interrupted = 1;
    return 0;
}

void thread_free(struct tcb *t)
{
    thread_detach(t);
    if (t->caller)
        ipc_abort_caller(t->caller);
    t->caller = NULL;
    t->state = T_FREE;
    t->next = t->pd->free_tcbs;
    t->pd->free_tcbs = t;
    t->pd->nthreads--;
    if (vfp_owner == t)
        vfp_owner = NULL;
}
