/*
 * test_kpd.c - kernel/pd.c without an image: pd_stop from a PD whose
 * threads are in every state (and with other PDs' calls queued on it or
 * served by it), pd_restart's fresh main thread, and pd_fault: the fault
 * record goes to a running monitor, or the machine powers off with a
 * status that names the fault.
 *
 * PDs: 0 monitor (250, pd_control), 1 child (100, monitored by 0),
 * 2 server (200, monitored by 0), 3 client (50, no monitor).
 * Channels: 3:0 <-> 1:0 (client calls child), 1:1 <-> 2:0 (child calls server).
 */
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kstubs.h"

static struct pd *mon, *child, *server, *client;

static void setup(void)
{
    mon = kstub_pd(0, 250, 8);
    child = kstub_pd(1, 100, 16);
    server = kstub_pd(2, 200, 8);
    client = kstub_pd(3, 50, 8);
    mon->rights = FB_RIGHT_PD_CONTROL;
    child->monitor = mon;
    server->monitor = mon;
    child->entry = 0x10001;                     /* Thumb */
    kstub_channel(3, 0, 1, 0);
    kstub_channel(1, 1, 2, 0);
}

static int all_free(const struct pd *pd)
{
    for (unsigned i = 0; i < pd->max_threads; i++)
        if (pd->tcbs[i].state != T_FREE)
            return 0;
    return 1;
}

static void stop_every_state(void)
{
    setup();
    struct tcb *s = kstub_thread(server, 200, 1);
    struct tcb *k1 = kstub_thread(client, 50, 1), *k2 = kstub_thread(client, 50, 1);
    struct tcb *r = kstub_thread(child, 100, 1), *f = kstub_thread(child, 100, 1);
    struct tcb *cs = kstub_thread(child, 100, 1), *cr = kstub_thread(child, 100, 1);
    struct tcb *idle = kstub_thread(child, 100, 1);
    kstub_now = 5;

    ipc_recv(r, 0);                             /* r serves k1 ... */
    k1->ctx.r[0] = 0;
    ipc_ppcall(k1);
    CHECK(r->caller == k1 && k1->state == T_CALL_REPLY);
    k2->ctx.r[0] = 0;
    ipc_ppcall(k2);                             /* ... k2 waits in the child's queue */
    CHECK(k2->state == T_CALL_SEND && child->callq.head == k2);
    thread_block(f, T_FUTEX, 500);              /* f waits on a futex with a deadline */
    futex_enqueue(f, 0x1000);
    ipc_recv(s, 0);                             /* cr is served by s, cs queued behind */
    cr->ctx.r[0] = 1;
    ipc_ppcall(cr);
    cs->ctx.r[0] = 1;
    ipc_ppcall(cs);
    CHECK(s->caller == cr && cr->state == T_CALL_REPLY);
    CHECK(cs->state == T_CALL_SEND && server->callq.head == cs);
    child->pending = 0x55;
    vfp_owner = f;
    CHECK(child->nthreads == 5);
    (void)idle;

    unsigned resets = kstub_irq_resets;
    pd_stop(child);
    CHECK(!child->running);
    CHECK(child->nthreads == 0 && all_free(child));
    CHECK(child->receiver == NULL && child->pending == 0);
    CHECK(child->callq.head == NULL && child->callq.tail == NULL);
    CHECK(kstub_irq_resets == resets + 1 && kstub_irq_reset_pd == child);
    CHECK(vfp_owner == NULL);
    CHECK(timeout_next() == 0);
    CHECK(futex_take(child, 0x1000) == NULL);
    /* Both of the client's calls fail. */
    CHECK(k1->state == T_RUNNABLE && k1->ctx.r[0] == (uint32_t)-FB_ESRCH && k1->callee == NULL);
    CHECK(k2->state == T_RUNNABLE && k2->ctx.r[0] == (uint32_t)-FB_ESRCH);
    /* The server lost its caller and its queued call. */
    CHECK(s->caller == NULL);
    CHECK(server->callq.head == NULL && server->callq.tail == NULL);
    CHECK(kstub_rq_is((struct tcb *[]){ s }, 1));
    sched_remove(s);
    CHECK(kstub_rq_is((struct tcb *[]){ k1, k2 }, 2));
    sched_add(s);
    ipc_reply(s);                               /* answers nobody */
    CHECK(k1->ctx.r[0] == (uint32_t)-FB_ESRCH);
    /* Calls to the stopped child fail at once. */
    k1->ctx.r[0] = 0;
    ipc_ppcall(k1);
    CHECK(k1->ctx.r[0] == (uint32_t)-FB_ESRCH && k1->state == T_RUNNABLE);
    /* Stopping again is harmless. */
    pd_stop(child);
    CHECK(child->nthreads == 0);
    CHECK(kstub_reset());
}

static void stop_receiver(void)
{
    setup();
    struct tcb *m = kstub_thread(child, 100, 1);
    kstub_now = 1;
    ipc_recv(m, 900);
    CHECK(child->receiver == m && timeout_next() == 900);
    pd_stop(child);
    CHECK(child->receiver == NULL && timeout_next() == 0 && m->state == T_FREE);
    CHECK(sched_pick() == NULL);
    CHECK(kstub_reset());
}

static void restart(void)
{
    setup();
    struct tcb *a = kstub_thread(child, 7, 1), *b = kstub_thread(child, 9, 1);
    (void)a; (void)b;
    child->pending = 1;
    CHECK(pd_restart(child) == 0);
    CHECK(child->running && child->nthreads == 1);
    CHECK(child->pending == 0);
    struct tcb *m = sched_pick();
    CHECK(m && m->pd == child && m->state == T_RUNNABLE);
    CHECK(m && m->ctx.pc == 0x10000 && (m->ctx.cpsr & 0x20) && m->ctx.sp == FB_STACK_TOP);
    CHECK(m && m->ctx.r[0] == child->index && m->prio == child->prio);
    CHECK(m && m->next == NULL);                /* the only runnable thread */
    /* A PD that may have no thread does not come back. */
    client->max_threads = 0;
    kstub_thread(server, 200, 1);
    CHECK(pd_restart(client) == -FB_EAGAIN);
    CHECK(!client->running);
    CHECK(kstub_reset());
}

static void fault_to_monitor(void)
{
    setup();
    struct tcb *mt = kstub_thread(mon, 250, 1);
    struct tcb *x = kstub_thread(child, 100, 1), *y = kstub_thread(child, 100, 1);
    ipc_recv(mt, 0);
    x->ctx.pc = 0x10420;
    cur = x;
    pd_fault(x, FB_FAULT_DATA_ABORT, 0xdead0, 0x805);
    CHECK(!child->running && all_free(child) && child->nthreads == 0);
    CHECK(y->state == T_FREE);
    CHECK(mt->state == T_RUNNABLE && mon->receiver == NULL);
    const uint32_t *r = mt->ctx.r;
    CHECK(r[0] == FB_EV_FAULT && r[1] == 1 && r[2] == x->tid && r[3] == FB_FAULT_DATA_ABORT &&
          r[4] == 0xdead0 && r[5] == 0x10420 && r[6] == 0x805);
    CHECK(mon->fault_pending == 0);

    /* The monitor busy: the fault waits in fault_pending, before notifications. */
    CHECK(pd_restart(child) == 0);
    struct tcb *srv = kstub_thread(server, 200, 1);
    srv->ctx.pc = 0x20000;
    mon->pending = 1;
    pd_fault(srv, FB_FAULT_BAD_SYSCALL, 0, 99);
    CHECK(mon->fault_pending == 1u << 2);
    ipc_recv(mt, 0);
    CHECK(r[0] == FB_EV_FAULT && r[1] == 2 && r[2] == srv->tid && r[3] == FB_FAULT_BAD_SYSCALL &&
          r[4] == 0 && r[5] == 0x20000 && r[6] == 99);
    ipc_recv(mt, 0);
    CHECK(r[0] == FB_EV_NOTIFY && r[1] == 1);
    CHECK(kstub_poweroffs == 0);
    CHECK(kstub_reset());
}

static uint32_t fault_no_monitor(struct pd *pd, uint32_t kind)
{
    jmp_buf jb;
    volatile uint32_t status = 0;
    struct tcb *t = kstub_thread(pd, pd->prio, 1);
    unsigned before = kstub_poweroffs;
    kstub_poweroff_jmp = &jb;
    if (setjmp(jb) == 0)
        pd_fault(t, kind, 0x1234, 0);
    else
        status = kstub_poweroff_status;
    kstub_poweroff_jmp = NULL;
    if (kstub_poweroffs != before + 1)
        return 0;
    return status;
}

static void fault_power_off(void)
{
    setup();
    unsigned msgs = kstub_kprintfs;
    CHECK(fault_no_monitor(client, FB_FAULT_DATA_ABORT) == 128 + 11);
    CHECK(kstub_kprintfs == msgs + 1);
    CHECK(strstr(kstub_kprintf_last, "data abort at 0x00001234") != NULL);
    CHECK(!client->running && client->nthreads == 0);
    CHECK(fault_no_monitor(client, FB_FAULT_PREFETCH_ABORT) == 128 + 11);
    CHECK(fault_no_monitor(client, FB_FAULT_UNDEFINED) == 128 + 4);
    CHECK(fault_no_monitor(client, FB_FAULT_ALIGNMENT) == 128 + 7);
    CHECK(fault_no_monitor(client, FB_FAULT_BAD_SYSCALL) == 128 + 31);
    CHECK(fault_no_monitor(client, 77) == 128 + 11);   /* unknown kind */
    /* A monitor that is itself stopped (its monitor restarts it) gets the
     * record when it runs again: no power off, the fault waits for it. */
    mon->running = 0;
    msgs = kstub_kprintfs;
    CHECK(fault_no_monitor(child, FB_FAULT_UNDEFINED) == 0);
    CHECK(mon->fault_pending == 1u << child->index);
    CHECK(!child->running);
    CHECK(kstub_kprintfs == msgs + 1);
    CHECK(strstr(kstub_kprintf_last, "held for it") != NULL);
    CHECK(kstub_reset());
}

/* PROTECT's checks: page multiples inside the PD's own mappings, never
 * more than a mapping has, never W|X; a restart puts every mapping's
 * permissions back. */
extern unsigned kstub_protects;
extern uint32_t kstub_protect_perms;

static void protect(void)
{
    setup();
    child->nmaps = 2;
    child->maps[0] = (struct seg_map){.vaddr = 0x10000, .size = 0x4000, .perms = FB_PERM_R | FB_PERM_X};
    child->maps[1] = (struct seg_map){.vaddr = 0x14000, .size = 0x8000, .perms = FB_PERM_R | FB_PERM_W};
    unsigned before = kstub_protects;
    CHECK(pd_protect(child, 0x14000, 0x1000, 0) == 0);                       /* a guard page */
    CHECK(kstub_protects == before + 1 && kstub_protect_perms == 0 && child->protected);
    CHECK(pd_protect(child, 0x15000, 0x2000, FB_PERM_R) == 0);               /* read-only */
    CHECK(pd_protect(child, 0x13000, 0x2000, FB_PERM_R) == 0);               /* across two mappings */
    CHECK(pd_protect(child, 0x13000, 0x2000, FB_PERM_R | FB_PERM_W) == -FB_EPERM); /* text is not writable */
    CHECK(pd_protect(child, 0x10000, 0x1000, FB_PERM_R | FB_PERM_X) == 0);
    CHECK(pd_protect(child, 0x14000, 0x1000, FB_PERM_R | FB_PERM_W | FB_PERM_X) == -FB_EINVAL); /* W|X */
    CHECK(pd_protect(child, 0x14000, 0x1000, FB_PERM_W) == -FB_EINVAL);      /* W without R */
    CHECK(pd_protect(child, 0x14000, 0x1000, 8) == -FB_EINVAL);              /* unknown bit */
    CHECK(pd_protect(child, 0x14001, 0x1000, 0) == -FB_EINVAL);              /* unaligned */
    CHECK(pd_protect(child, 0x14000, 0x800, 0) == -FB_EINVAL);
    CHECK(pd_protect(child, 0x14000, 0, 0) == -FB_EINVAL);                   /* empty */
    CHECK(pd_protect(child, 0x1b000, 0x2000, 0) == -FB_EINVAL);              /* past the mappings */
    CHECK(pd_protect(child, 0x0f000, 0x1000, 0) == -FB_EINVAL);              /* before them */
    CHECK(pd_protect(child, 0xfffff000u, 0x2000, 0) == -FB_EINVAL);          /* wraps */
    CHECK(kstub_protects == before + 4);                                     /* refusals change nothing */
    before = kstub_protects;
    pd_unprotect(child);
    CHECK(kstub_protects == before + 2 && !child->protected);                /* every mapping, as described */
    CHECK(kstub_protect_perms == (FB_PERM_R | FB_PERM_W));
    pd_unprotect(child);
    CHECK(kstub_protects == before + 2);                                     /* nothing to undo */
    child->nmaps = 0;
    CHECK(kstub_reset());
}

int main(void)
{
    protect();
    stop_every_state();
    stop_receiver();
    restart();
    fault_to_monitor();
    fault_power_off();
    return check_report("test_kpd");
}
