/*
 * test_kipc.c - kernel/ipc.c: notifications merge into one event, a waiting
 * receiver gets its event at once, faults come before ppcalls before
 * notifications, ppcall goes only to a running PD of strictly higher
 * priority, the reply carries the label and 4 words back, an unanswered
 * call fails with -ESRCH when its server receives again, one receiver per
 * PD, and a past deadline is an immediate timeout.
 *
 * PDs: 0 client (prio 100), 1 server (200), 2 low (50), 3 stopped (250),
 * 4 peer (100).  Channels: 0:1 <-> 1:7, 0:3 <-> 1:40, 0:2 <-> 2:3,
 * 0:4 <-> 3:0, 0:6 <-> 4:1; 0:5 is an IRQ.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kstubs.h"

static struct pd *cl, *sv, *lo, *dead, *peer;
static struct tcb *c0, *s0;

static void setup(void)
{
    cl = kstub_pd(0, 100, 16);
    sv = kstub_pd(1, 200, 16);
    lo = kstub_pd(2, 50, 16);
    dead = kstub_pd(3, 250, 16);
    peer = kstub_pd(4, 100, 16);
    dead->running = 0;
    kstub_channel(0, 1, 1, 7);
    kstub_channel(0, 3, 1, 40);
    kstub_channel(0, 2, 2, 3);
    kstub_channel(0, 4, 3, 0);
    kstub_channel(0, 6, 4, 1);
    cl->ch[5].peer = -2;
    cl->ch[5].peer_id = 33;
    c0 = kstub_thread(cl, 100, 1);
    s0 = kstub_thread(sv, 200, 1);
    cur = c0;
}

static void set_regs(struct tcb *t, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3,
                     uint32_t r4, uint32_t r5, uint32_t r6)
{
    uint32_t *r = t->ctx.r;
    r[0] = r0; r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4; r[5] = r5; r[6] = r6;
}

static int regs_are(const struct tcb *t, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3,
                    uint32_t r4, uint32_t r5, uint32_t r6)
{
    const uint32_t *r = t->ctx.r;
    int ok = r[0] == r0 && r[1] == r1 && r[2] == r2 && r[3] == r3 && r[4] == r4 && r[5] == r5 && r[6] == r6;
    if (!ok)
        printf("    tid %u regs %x %x %x %x %x %x %x\n", (unsigned)t->tid, (unsigned)r[0], (unsigned)r[1],
               (unsigned)r[2], (unsigned)r[3], (unsigned)r[4], (unsigned)r[5], (unsigned)r[6]);
    return ok;
}

static void notify_merge(void)
{
    setup();
    ipc_notify(cl, 1);
    CHECK(c0->ctx.r[0] == 0);
    ipc_notify(cl, 1);
    ipc_notify(cl, 3);                          /* bit 40: the high word */
    CHECK(sv->pending == ((1ull << 7) | (1ull << 40)));
    CHECK(s0->state == T_RUNNABLE);             /* nobody was waiting */
    ipc_recv(s0, 0);
    CHECK(regs_are(s0, FB_EV_NOTIFY, 1u << 7, 1u << 8, 0, 0, 0, 0));
    CHECK(sv->pending == 0);
    CHECK(s0->state == T_RUNNABLE && sv->receiver == NULL);
    ipc_recv(s0, 0);                            /* nothing left: blocks */
    CHECK(s0->state == T_RECV && sv->receiver == s0);
    CHECK(kstub_rq_is((struct tcb *[]){ c0 }, 1));
    CHECK(kstub_reset());
}

static void notify_bad(void)
{
    setup();
    static const uint32_t bad[] = { 5 /* IRQ */, 10 /* unconnected */, 63, 64, 0xffffffffu };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c0->ctx.r[0] = 0;
        ipc_notify(cl, bad[i]);
        if (!CHECK(c0->ctx.r[0] == (uint32_t)-FB_EINVAL))
            printf("    channel %u\n", (unsigned)bad[i]);
    }
    for (uint32_t p = 0; p < npds; p++)
        CHECK(pds[p].pending == 0);
    CHECK(kstub_reset());
}

static void notify_wakes_receiver(void)
{
    setup();
    kstub_now = 10;
    ipc_recv(s0, 1000);
    CHECK(s0->state == T_RECV && timeout_next() == 1000);
    CHECK(kstub_rq_is((struct tcb *[]){ c0 }, 1));
    ipc_notify(cl, 1);
    CHECK(c0->ctx.r[0] == 0);
    CHECK(s0->state == T_RUNNABLE);
    CHECK(regs_are(s0, FB_EV_NOTIFY, 1u << 7, 0, 0, 0, 0, 0));
    CHECK(sv->receiver == NULL && sv->pending == 0);
    CHECK(timeout_next() == 0 && s0->deadline == 0);
    CHECK(sched_pick() == s0);                  /* prio 200 now runs */
    /* ipc_notify_pd directly, as irq.c does. */
    ipc_recv(s0, 0);
    ipc_notify_pd(sv, 62);
    CHECK(regs_are(s0, FB_EV_NOTIFY, 0, 1u << 30, 0, 0, 0, 0));
    CHECK(s0->state == T_RUNNABLE);
    CHECK(kstub_reset());
}

static void stopped_pd_not_kicked(void)
{
    setup();
    ipc_recv(s0, 0);
    sv->running = 0;
    ipc_notify(cl, 1);
    CHECK(s0->state == T_RECV && sv->receiver == s0);   /* not delivered ... */
    CHECK(sv->pending == 1ull << 7);                    /* ... but remembered */
    CHECK(kstub_reset());
}

static void precedence(void)
{
    setup();
    struct tcb *c1 = kstub_thread(cl, 100, 1);
    /* Pending at once: two faults (PDs 2 and 4), a ppcall, a notification. */
    static const uint32_t rec2[5] = { 11, FB_FAULT_DATA_ABORT, 0xdead0, 0x8000, 0x805 };
    static const uint32_t rec4[5] = { 12, FB_FAULT_UNDEFINED, 0x9000, 0x9000, 0 };
    memcpy(lo->fault_rec, rec2, sizeof rec2);
    memcpy(peer->fault_rec, rec4, sizeof rec4);
    sv->fault_pending = (1u << 4) | (1u << 2);
    set_regs(c1, 1, 0x51, 1, 2, 3, 4, 0);
    ipc_ppcall(c1);
    CHECK(c1->state == T_CALL_SEND);
    ipc_notify(cl, 1);

    ipc_recv(s0, 0);
    CHECK(regs_are(s0, FB_EV_FAULT, 2, 11, FB_FAULT_DATA_ABORT, 0xdead0, 0x8000, 0x805));
    ipc_recv(s0, 0);
    CHECK(regs_are(s0, FB_EV_FAULT, 4, 12, FB_FAULT_UNDEFINED, 0x9000, 0x9000, 0));
    CHECK(sv->fault_pending == 0);
    ipc_recv(s0, 0);
    CHECK(regs_are(s0, FB_EV_PPCALL, 7, 0x51, 1, 2, 3, 4));
    CHECK(c1->state == T_CALL_REPLY && s0->caller == c1);
    set_regs(s0, 0, 0, 0, 0, 0, 0, 0);
    ipc_reply(s0);
    CHECK(c1->state == T_RUNNABLE);
    ipc_recv(s0, 0);
    CHECK(regs_are(s0, FB_EV_NOTIFY, 1u << 7, 0, 0, 0, 0, 0));
    ipc_recv(s0, 0);
    CHECK(s0->state == T_RECV);

    /* A fault arriving while a call is queued still goes first. */
    ipc_notify(cl, 1);                          /* taken by the waiting s0 */
    set_regs(c1, 1, 0x52, 0, 0, 0, 0, 0);
    ipc_ppcall(c1);                             /* queued: s0 is not waiting */
    sv->fault_pending = 1u << 2;
    ipc_recv(s0, 0);
    CHECK(s0->ctx.r[0] == FB_EV_FAULT && s0->ctx.r[1] == 2);
    ipc_recv(s0, 0);
    CHECK(s0->ctx.r[0] == FB_EV_PPCALL && s0->ctx.r[2] == 0x52);
    CHECK(kstub_reset());
}

static void ppcall_rules(void)
{
    setup();
    static const struct { uint32_t ch; int err; } cases[] = {
        { 2, FB_EPERM },    /* to a lower priority */
        { 6, FB_EPERM },    /* to the same priority */
        { 4, FB_ESRCH },    /* to a stopped PD */
        { 5, FB_EINVAL },   /* an IRQ channel */
        { 10, FB_EINVAL },  /* not connected */
        { 63, FB_EINVAL },
        { 0xffffffffu, FB_EINVAL },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_regs(c0, cases[i].ch, 1, 2, 3, 4, 5, 6);
        ipc_ppcall(c0);
        if (!CHECK(c0->ctx.r[0] == (uint32_t)-cases[i].err && c0->state == T_RUNNABLE))
            printf("    channel %u\n", (unsigned)cases[i].ch);
    }
    CHECK(kstub_rq_is((struct tcb *[]){ s0 }, 1));
    CHECK(lo->callq.head == NULL && peer->callq.head == NULL && dead->callq.head == NULL);
    /* Priority is the PD's, not the thread's: a prio-0 thread of the client
     * may call the server; the server's threads may not call down. */
    struct tcb *low = kstub_thread(cl, 0, 1);
    set_regs(low, 1, 9, 0, 0, 0, 0, 0);
    ipc_recv(s0, 0);
    ipc_ppcall(low);
    CHECK(low->state == T_CALL_REPLY && s0->caller == low);
    CHECK(kstub_reset());
}

static void call_and_reply(void)
{
    setup();
    ipc_recv(s0, 0);                            /* the server waits first */
    set_regs(c0, 1, 0xcafe, 10, 20, 30, 40, 0x66);
    ipc_ppcall(c0);
    CHECK(c0->state == T_CALL_REPLY);
    CHECK(c0->callee == s0 && s0->caller == c0 && c0->callee_pd == NULL);
    CHECK(s0->state == T_RUNNABLE && sv->receiver == NULL);
    CHECK(regs_are(s0, FB_EV_PPCALL, 7, 0xcafe, 10, 20, 30, 40));
    CHECK(kstub_rq_is((struct tcb *[]){ s0 }, 1));      /* the caller is off the run queue */
    CHECK(sv->callq.head == NULL);

    set_regs(s0, 0xbeef, 1, 2, 3, 4, 0x55, 0x77);
    ipc_reply(s0);
    CHECK(regs_are(c0, 0xbeef, 1, 2, 3, 4, 40, 0x66));  /* label + 4 words; r5, r6 kept */
    CHECK(c0->state == T_RUNNABLE && c0->callee == NULL && s0->caller == NULL);
    CHECK(sched_pick() == s0);
    sched_remove(s0);                           /* look at the lower queue */
    CHECK(kstub_rq_is((struct tcb *[]){ c0 }, 1));
    sched_add(s0);
    ipc_reply(s0);                              /* nobody to answer: nothing happens */
    CHECK(c0->state == T_RUNNABLE && c0->ctx.r[0] == 0xbeef);

    /* Calls queue FIFO while the server is busy. */
    struct tcb *c1 = kstub_thread(cl, 100, 1);
    set_regs(c0, 1, 0xa, 0, 0, 0, 0, 0);
    set_regs(c1, 3, 0xb, 0, 0, 0, 0, 0);        /* on the other channel: id 40 */
    ipc_ppcall(c0);
    ipc_ppcall(c1);
    CHECK(kstub_tq_is(&sv->callq, (struct tcb *[]){ c0, c1 }, 2));
    ipc_recv(s0, 0);
    CHECK(s0->ctx.r[0] == FB_EV_PPCALL && s0->ctx.r[1] == 7 && s0->ctx.r[2] == 0xa);
    s0->ctx.r[0] = 100;
    ipc_reply(s0);
    ipc_recv(s0, 0);
    CHECK(s0->ctx.r[0] == FB_EV_PPCALL && s0->ctx.r[1] == 40 && s0->ctx.r[2] == 0xb);
    s0->ctx.r[0] = 101;
    ipc_reply(s0);
    CHECK(c0->ctx.r[0] == 100 && c1->ctx.r[0] == 101);
    CHECK(c0->state == T_RUNNABLE && c1->state == T_RUNNABLE);
    CHECK(sv->callq.head == NULL);
    CHECK(kstub_reset());
}

static void recv_without_reply(void)
{
    setup();
    ipc_recv(s0, 0);
    set_regs(c0, 1, 0x77, 1, 2, 3, 4, 0);
    ipc_ppcall(c0);
    CHECK(s0->caller == c0);
    ipc_recv(s0, 0);                            /* receives again, no reply */
    CHECK(c0->state == T_RUNNABLE && c0->ctx.r[0] == (uint32_t)-FB_ESRCH);
    CHECK(c0->callee == NULL && s0->caller == NULL);
    CHECK(s0->state == T_RECV && sv->receiver == s0);
    CHECK(kstub_rq_is((struct tcb *[]){ c0 }, 1));
    /* A late reply reaches nobody. */
    c0->ctx.r[1] = 0x1234;
    ipc_reply(s0);
    CHECK(c0->ctx.r[0] == (uint32_t)-FB_ESRCH && c0->ctx.r[1] == 0x1234);
    CHECK(kstub_reset());
}

static void second_receiver(void)
{
    setup();
    struct tcb *s1 = kstub_thread(sv, 200, 1);
    ipc_recv(s0, 0);
    ipc_recv(s1, 0);
    CHECK(s1->ctx.r[0] == (uint32_t)-FB_EBUSY);
    CHECK(s1->state == T_RUNNABLE && sv->receiver == s0);
    ipc_notify(cl, 1);                          /* goes to the waiting one */
    CHECK(s0->state == T_RUNNABLE && s0->ctx.r[0] == FB_EV_NOTIFY);
    ipc_recv(s1, 0);                            /* now s1 may wait */
    CHECK(s1->state == T_RECV && sv->receiver == s1);
    CHECK(kstub_reset());
}

static void deadlines(void)
{
    setup();
    kstub_now = 1000;
    ipc_recv(s0, 999);
    CHECK(s0->ctx.r[0] == FB_EV_TIMEOUT && s0->state == T_RUNNABLE && sv->receiver == NULL);
    ipc_recv(s0, 1000);                         /* due now counts as past */
    CHECK(s0->ctx.r[0] == FB_EV_TIMEOUT && s0->state == T_RUNNABLE);
    CHECK(timeout_next() == 0);
    ipc_notify(cl, 1);                          /* something pending beats the deadline */
    ipc_recv(s0, 1);
    CHECK(s0->ctx.r[0] == FB_EV_NOTIFY);
    ipc_recv(s0, 1001);                         /* in the future: waits */
    CHECK(s0->state == T_RECV && sv->receiver == s0 && timeout_next() == 1001);
    CHECK(timeout_expired(1000) == NULL);
    CHECK(timeout_expired(1001) == s0);         /* main.c's expire() takes it from here */
    CHECK(kstub_reset());
}

int main(void)
{
    notify_merge();
    notify_bad();
    notify_wakes_receiver();
    stopped_pd_not_kicked();
    precedence();
    ppcall_rules();
    call_and_reply();
    recv_without_reply();
    second_receiver();
    deadlines();
    return check_report("test_kipc");
}
