/*
 * test_kthread.c - kernel/thread.c: each PD's table (max_threads, up to
 * FB_MAX_THREADS_PD, unique non-zero tids, slots reused), kernel/cputime.c
 * (time charged at switches, none while idle, exited threads' time kept by
 * their PD), thread_init_user (ARM and Thumb
 * entries), block/wake, and thread_free from every state leaving no link
 * behind in the run queues, futex queues, call queues, receiver slots,
 * timeout list or the other side of a ppcall.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kstubs.h"

static void pool(void)
{
    /* Tables of any size up to FB_MAX_THREADS_PD: 1,000 threads and more. */
    struct pd *a = kstub_pd(0, 10, 1000), *b = kstub_pd(1, 10, FB_MAX_THREADS_PD), *c = kstub_pd(2, 10, 0);
    static struct tcb *got[FB_MAX_THREADS_PD];
    static uint8_t seen[FB_MAX_THREADS_PD];
    unsigned bad = 0;
    CHECK(thread_alloc(c) == NULL);             /* max_threads 0 */
    CHECK(c->nthreads == 0);
    for (unsigned i = 0; i < 1000; i++) {
        got[i] = thread_alloc(a);
        struct tcb *t = got[i];                 /* lowest free tid first */
        if (!t || t->tid != a->tid_base + i + 1 || t != &a->tcbs[i] || t->state != T_STOPPED || t->pd != a)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(thread_alloc(a) == NULL);             /* a's limit */
    CHECK(a->nthreads == 1000);
    unsigned n = 0;
    while (n < FB_MAX_THREADS_PD && (got[n] = thread_alloc(b)))
        n++;
    CHECK(n == FB_MAX_THREADS_PD);              /* b's table, whole ... */
    CHECK(thread_alloc(b) == NULL);             /* ... and no more */
    CHECK(b->nthreads == FB_MAX_THREADS_PD);
    for (unsigned i = 0; i < n; i++) {
        struct tcb *t = got[i];
        uint32_t slot = t->tid - b->tid_base - 1;
        if (t->tid == 0 || slot >= FB_MAX_THREADS_PD || seen[slot] || t != &b->tcbs[slot] ||
            t->tid <= a->tid_base + 1000 || t->pd != b)
            bad++;
        else
            seen[slot] = 1;
    }
    CHECK(bad == 0);                            /* unique, and none of a's */

    /* A freed slot is reused, cleared, with its tid; only by its own PD. */
    struct tcb *t = &a->tcbs[57];
    uint32_t tid = t->tid;
    thread_free(t);
    CHECK(t->state == T_FREE);
    CHECK(a->nthreads == 999);
    CHECK(thread_alloc(b) == NULL);
    CHECK(thread_alloc(a) == t);
    CHECK(t->tid == tid && t->pd == a && a->nthreads == 1000);
    CHECK(kstub_reset());
}

static void pool_reuse(void)
{
    struct pd *a = kstub_pd(0, 10, 8);
    struct tcb *t1 = thread_alloc(a), *t2 = thread_alloc(a), *t3 = thread_alloc(a);
    CHECK(t1 && t2 && t3);
    CHECK(t1->tid != t2->tid && t2->tid != t3->tid && t1->tid != t3->tid);
    uint32_t tid2 = t2->tid;
    t2->ctx.r[5] = 0xdead;                      /* left-overs must not survive */
    t2->futex_addr = 0x1234;
    t2->cpu_ticks = 99;
    thread_free(t2);
    CHECK(a->nthreads == 2);
    struct tcb *u = thread_alloc(a);            /* the slot just freed */
    CHECK(u == t2);
    CHECK(u->tid == tid2 && u->pd == a && u->state == T_STOPPED);
    CHECK(u->ctx.r[5] == 0 && u->futex_addr == 0 && u->caller == NULL && u->next == NULL);
    CHECK(u->cpu_ticks == 0);
    CHECK(a->nthreads == 3);
    /* After a stop, the table is in tid order again: the main thread of a
     * restarted PD has its lowest tid. */
    thread_free(t1);
    thread_free(t3);
    thread_free(u);
    thread_pool_init(a, a->tcbs, a->tid_base);
    CHECK(thread_alloc(a) == &a->tcbs[0] && a->tcbs[0].tid == a->tid_base + 1);
    CHECK(kstub_reset());
}

/* ---- CPU time (cputime.c) ---- */

static void cputime(void)
{
    struct pd *a = kstub_pd(0, 10, 8), *b = kstub_pd(1, 10, 8);
    struct tcb *x = kstub_thread(a, 5, 1), *y = kstub_thread(a, 5, 1), *z = kstub_thread(b, 5, 1);
    cpu_charge(100);                            /* boot: nobody ran, the first stretch starts */
    CHECK(x->cpu_ticks == 0 && a->cpu_ticks == 0);
    cur = x;
    CHECK(cpu_thread_ticks(x, 130) == 30);      /* running: counted up to now */
    CHECK(cpu_pd_ticks(a, 130) == 30);
    CHECK(cpu_thread_ticks(y, 130) == 0 && cpu_pd_ticks(b, 130) == 0);
    cpu_charge(150);                            /* switch x -> y */
    cur = y;
    CHECK(x->cpu_ticks == 50 && a->cpu_ticks == 50);
    CHECK(cpu_thread_ticks(x, 170) == 50);      /* not running: frozen */
    CHECK(cpu_thread_ticks(y, 170) == 20 && cpu_pd_ticks(a, 170) == 70);
    cpu_charge(200);                            /* y goes idle ... */
    cpu_resume(1000);                           /* ... and the idle time is nobody's */
    CHECK(y->cpu_ticks == 50 && a->cpu_ticks == 100);
    CHECK(cpu_thread_ticks(y, 1010) == 60 && cpu_pd_ticks(a, 1010) == 110);
    cpu_charge(1010);                           /* y -> z, another PD */
    cur = z;
    CHECK(cpu_pd_ticks(a, 1500) == 110 && cpu_pd_ticks(b, 1500) == 490);
    /* An exited thread's time stays in its PD. */
    cpu_charge(1500);
    cur = x;
    thread_free(y);
    CHECK(cpu_pd_ticks(a, 1500) == 110);
    cpu_charge(1600);                           /* x exits: charged after the free */
    thread_free(x);
    CHECK(a->cpu_ticks == 210 && b->cpu_ticks == 490 && z->cpu_ticks == 490);
    cur = NULL;
    CHECK(kstub_reset());
}

static void init_user(void)
{
    struct pd *a = kstub_pd(0, 10, 4);
    struct tcb *t = thread_alloc(a);
    memset(&t->ctx, 0xa5, sizeof t->ctx);
    memset(&t->vfp, 0x5a, sizeof t->vfp);
    t->tpidrurw = 77;
    thread_init_user(t, 0x8001, 0x7ff0, 42, 0xabc, 9);     /* Thumb */
    CHECK(t->ctx.pc == 0x8000);
    CHECK(t->ctx.cpsr == 0x30);                 /* usr mode, T set */
    CHECK(t->ctx.sp == 0x7ff0 && t->ctx.r[0] == 42 && t->ctx.r[1] == 0 && t->ctx.lr == 0);
    CHECK(t->tpidruro == 0xabc && t->tpidrurw == 0);
    CHECK(t->prio == 9);
    CHECK(t->vfp.d[31] == 0 && t->vfp.fpscr == 0);
    thread_init_user(t, 0x9000, 0x7ff8, 0, 0, 254);        /* ARM */
    CHECK(t->ctx.pc == 0x9000);
    CHECK(t->ctx.cpsr == 0x10);
    CHECK(t->prio == 254);
    thread_init_user(t, 0xfffffffdu, 0, 0, 0, 0);          /* Thumb at the top */
    CHECK(t->ctx.pc == 0xfffffffcu && (t->ctx.cpsr & 0x20));
    CHECK(kstub_reset());
}

static void block_wake(void)
{
    struct pd *a = kstub_pd(0, 10, 8);
    struct tcb *x = kstub_thread(a, 5, 1), *y = kstub_thread(a, 5, 1);
    CHECK(kstub_rq_is((struct tcb *[]){ x, y }, 2));
    kstub_now = 10;
    thread_block(x, T_FUTEX, 100);
    futex_enqueue(x, 0x1000);
    CHECK(x->state == T_FUTEX);
    CHECK(kstub_rq_is((struct tcb *[]){ y }, 1));
    CHECK(timeout_next() == 100);
    thread_wake(x, 7);                          /* off the futex queue and timeouts */
    CHECK(x->state == T_RUNNABLE && x->ctx.r[0] == 7 && x->deadline == 0);
    CHECK(kstub_rq_is((struct tcb *[]){ y, x }, 2));
    CHECK(timeout_next() == 0);
    CHECK(futex_take(a, 0x1000) == NULL);
    thread_block(y, T_RECV, 0);                 /* no deadline: not in the list */
    CHECK(timeout_next() == 0);
    CHECK(kstub_rq_is((struct tcb *[]){ x }, 1));
    CHECK(kstub_reset());
}

/* ---- thread_free from every state ---- */

static void free_runnable(void)
{
    struct pd *a = kstub_pd(0, 10, 8);
    struct tcb *x = kstub_thread(a, 5, 1), *y = kstub_thread(a, 5, 1), *z = kstub_thread(a, 5, 1);
    struct tcb *lo = kstub_thread(a, 4, 1);
    vfp_owner = y;
    thread_free(y);                             /* middle */
    CHECK(vfp_owner == NULL);
    CHECK(kstub_rq_is((struct tcb *[]){ x, z }, 2));
    thread_free(x);                             /* head */
    CHECK(kstub_rq_is((struct tcb *[]){ z }, 1));
    thread_free(z);                             /* last at prio 5: its bit goes */
    CHECK(kstub_rq_is((struct tcb *[]){ lo }, 1));
    CHECK(a->nthreads == 1);
    thread_free(lo);
    CHECK(sched_pick() == NULL);
    CHECK(a->nthreads == 0);
    CHECK(kstub_reset());
}

static void free_futex(void)
{
    struct pd *a = kstub_pd(0, 10, 8);
    struct tcb *w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = kstub_thread(a, 5, 1);
        thread_block(w[i], T_FUTEX, i == 1 ? 500 : 0);
        futex_enqueue(w[i], 0x2000);
    }
    CHECK(timeout_next() == 500);
    thread_free(w[1]);                          /* middle waiter, with a deadline */
    CHECK(timeout_next() == 0);
    CHECK(w[0]->next == w[2] && w[2]->prev == w[0]);
    thread_free(w[2]);                          /* tail */
    CHECK(w[0]->next == NULL);
    CHECK(futex_take(a, 0x2000) == w[0]);
    CHECK(futex_take(a, 0x2000) == NULL);
    w[0]->state = T_STOPPED;
    CHECK(sched_pick() == NULL);
    CHECK(kstub_reset());
}

static void free_recv(void)
{
    struct pd *a = kstub_pd(0, 10, 8);
    struct tcb *r = kstub_thread(a, 5, 1);
    kstub_now = 1;
    ipc_recv(r, 300);
    CHECK(r->state == T_RECV && a->receiver == r && timeout_next() == 300);
    thread_free(r);
    CHECK(a->receiver == NULL);
    CHECK(timeout_next() == 0);
    CHECK(sched_pick() == NULL);
    /* The PD can receive again: a new thread is the receiver. */
    struct tcb *r2 = kstub_thread(a, 5, 1);
    ipc_recv(r2, 0);
    CHECK(a->receiver == r2 && r2->state == T_RECV);
    CHECK(kstub_reset());
}

/* Client PD 0 (prio 10) calls server PD 1 (prio 20) on channel 1 <-> 3. */
static void call_setup(struct tcb **client, struct tcb **server)
{
    struct pd *a = kstub_pd(0, 10, 8), *b = kstub_pd(1, 20, 8);
    kstub_channel(0, 1, 1, 3);
    *client = kstub_thread(a, 10, 1);
    *server = kstub_thread(b, 20, 1);
}

static void free_call_send(void)
{
    struct tcb *c, *s;
    call_setup(&c, &s);
    struct tcb *c2 = kstub_thread(c->pd, 10, 1), *c3 = kstub_thread(c->pd, 10, 1);
    struct pd *srv = s->pd;
    c->ctx.r[0] = c2->ctx.r[0] = c3->ctx.r[0] = 1;
    ipc_ppcall(c);
    ipc_ppcall(c2);
    ipc_ppcall(c3);                             /* no receiver: all three queued */
    CHECK(c2->state == T_CALL_SEND && c2->callee_pd == srv);
    CHECK(kstub_tq_is(&srv->callq, (struct tcb *[]){ c, c2, c3 }, 3));
    thread_free(c2);                            /* middle */
    CHECK(kstub_tq_is(&srv->callq, (struct tcb *[]){ c, c3 }, 2));
    thread_free(c);                             /* head */
    CHECK(kstub_tq_is(&srv->callq, (struct tcb *[]){ c3 }, 1));
    thread_free(c3);
    CHECK(kstub_tq_is(&srv->callq, NULL, 0));
    CHECK(kstub_rq_is((struct tcb *[]){ s }, 1));
    /* The server finds nothing waiting. */
    ipc_recv(s, 0);
    CHECK(s->state == T_RECV && srv->receiver == s);
    CHECK(kstub_reset());
}

static void free_call_reply(void)
{
    struct tcb *c, *s;
    call_setup(&c, &s);
    ipc_recv(s, 0);
    c->ctx.r[0] = 1;
    ipc_ppcall(c);
    CHECK(c->state == T_CALL_REPLY && c->callee == s && s->caller == c);
    /* The caller goes away while served: the server's reply goes nowhere. */
    thread_free(c);
    CHECK(s->caller == NULL);
    CHECK(kstub_rq_is((struct tcb *[]){ s }, 1));
    ipc_reply(s);
    CHECK(kstub_rq_is((struct tcb *[]){ s }, 1));
    CHECK(c->state == T_FREE);

    /* The server goes away while serving: the caller's call fails. */
    struct tcb *c2 = kstub_thread(&pds[0], 10, 1);
    ipc_recv(s, 0);
    c2->ctx.r[0] = 1;
    ipc_ppcall(c2);
    CHECK(c2->state == T_CALL_REPLY && s->caller == c2);
    thread_free(s);
    CHECK(c2->state == T_RUNNABLE && c2->ctx.r[0] == (uint32_t)-FB_ESRCH);
    CHECK(c2->callee == NULL);
    CHECK(kstub_rq_is((struct tcb *[]){ c2 }, 1));

    /* A server blocked in a nested call goes away: its own caller fails
     * and it leaves the inner callee's queue. */
    struct pd *top = kstub_pd(2, 30, 8);
    kstub_channel(1, 4, 2, 0);
    struct tcb *s2 = kstub_thread(&pds[1], 20, 1);
    ipc_recv(s2, 0);
    c2->ctx.r[0] = 1;
    ipc_ppcall(c2);
    CHECK(s2->caller == c2);
    s2->ctx.r[0] = 4;
    ipc_ppcall(s2);
    CHECK(s2->state == T_CALL_SEND && kstub_tq_is(&top->callq, (struct tcb *[]){ s2 }, 1));
    thread_free(s2);
    CHECK(kstub_tq_is(&top->callq, NULL, 0));
    CHECK(c2->state == T_RUNNABLE && c2->ctx.r[0] == (uint32_t)-FB_ESRCH);
    CHECK(kstub_rq_is((struct tcb *[]){ c2 }, 1));
    CHECK(kstub_reset());
}

static void free_stopped(void)
{
    struct pd *a = kstub_pd(0, 10, 2);
    struct tcb *t = thread_alloc(a);
    thread_free(t);
    CHECK(a->nthreads == 0 && t->state == T_FREE);
    CHECK(thread_alloc(a) == t);
    CHECK(kstub_reset());
}

int main(void)
{
    pool();
    pool_reuse();
    cputime();
    init_user();
    block_wake();
    free_runnable();
    free_futex();
    free_recv();
    free_call_send();
    free_call_reply();
    free_stopped();
    return check_report("test_kthread");
}
