/*
 * test_ksched.c - kernel/sched.c (and the tqueue.c lists under it): the
 * highest priority runs first, FIFO within a priority, round robin by
 * rotation, removal from any place, the non-empty bitmap across all 255
 * priorities (with its summary word), has_peer, and the fast path's
 * helpers: sched_top_prio and the short forms for a queue of one.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kernel.h"

static struct tcb th[300];

static struct tcb *mk(unsigned i, uint8_t prio)
{
    memset(&th[i], 0, sizeof th[i]);
    th[i].tid = i + 1;
    th[i].prio = prio;
    th[i].state = T_RUNNABLE;
    return &th[i];
}

/* The queue at sched_pick()'s priority is exactly want[0..n-1], well linked. */
static int top_is(struct tcb *const *want, unsigned n)
{
    struct tcb *t = sched_pick(), *prev = NULL;
    if (n == 0)
        return t == NULL;
    for (unsigned i = 0; i < n; i++, prev = t, t = t->next)
        if (t != want[i] || t->prev != prev)
            return 0;
    return t == NULL;
}

static void tqueue_basics(void)
{
    struct tqueue q = { 0 };
    struct tcb *a = mk(0, 1), *b = mk(1, 1), *c = mk(2, 1);
    CHECK(tq_pop(&q) == NULL);
    tq_push(&q, a);
    CHECK(q.head == a && q.tail == a && !a->next && !a->prev);
    tq_push(&q, b);
    tq_push(&q, c);
    tq_remove(&q, b);                           /* middle */
    CHECK(q.head == a && q.tail == c && a->next == c && c->prev == a);
    CHECK(!b->next && !b->prev);
    tq_remove(&q, c);                           /* tail */
    CHECK(q.head == a && q.tail == a && !a->next);
    tq_push(&q, b);
    tq_remove(&q, a);                           /* head */
    CHECK(q.head == b && q.tail == b && !b->prev);
    CHECK(tq_pop(&q) == b);
    CHECK(q.head == NULL && q.tail == NULL);
    CHECK(tq_pop(&q) == NULL);
}

static void priority_order(void)
{
    struct tcb *lo = mk(0, 3), *mid = mk(1, 40), *hi = mk(2, 200);
    CHECK(sched_pick() == NULL);
    sched_add(lo);
    CHECK(sched_pick() == lo);
    sched_add(hi);
    sched_add(mid);
    CHECK(sched_pick() == hi);
    sched_remove(hi);
    CHECK(sched_pick() == mid);
    sched_remove(mid);
    CHECK(sched_pick() == lo);
    sched_add(hi);
    CHECK(sched_pick() == hi);
    sched_remove(hi);
    sched_remove(lo);
    CHECK(sched_pick() == NULL);
}

static void fifo_and_rotate(void)
{
    struct tcb *a = mk(0, 7), *b = mk(1, 7), *c = mk(2, 7), *low = mk(3, 6);
    sched_add(low);
    sched_add(a);
    sched_add(b);
    sched_add(c);
    CHECK(top_is((struct tcb *[]){ a, b, c }, 3));
    sched_rotate(a);
    CHECK(top_is((struct tcb *[]){ b, c, a }, 3));
    sched_rotate(b);
    CHECK(top_is((struct tcb *[]){ c, a, b }, 3));
    sched_rotate(b);                            /* already the tail */
    CHECK(top_is((struct tcb *[]){ c, a, b }, 3));
    sched_rotate(a);                            /* from the middle */
    CHECK(top_is((struct tcb *[]){ c, b, a }, 3));

    sched_remove(b);                            /* middle */
    CHECK(top_is((struct tcb *[]){ c, a }, 2));
    sched_add(b);
    sched_remove(c);                            /* head */
    CHECK(top_is((struct tcb *[]){ a, b }, 2));
    sched_remove(b);                            /* tail */
    CHECK(top_is((struct tcb *[]){ a }, 1));
    sched_rotate(a);                            /* alone */
    CHECK(top_is((struct tcb *[]){ a }, 1));
    sched_remove(a);
    CHECK(sched_pick() == low);                 /* bit of 7 cleared, 6 still set */
    sched_remove(low);
    CHECK(sched_pick() == NULL);
}

static void bitmap_edges(void)
{
    static const uint8_t prios[] = { 0, 1, 30, 31, 32, 33, 63, 64, 127, 128, 223, 224, 253, 254 };
    const unsigned n = sizeof prios / sizeof prios[0];
    /* One at a time: each priority alone is found. */
    for (unsigned i = 0; i < n; i++) {
        struct tcb *t = mk(i, prios[i]);
        sched_add(t);
        if (!CHECK(sched_pick() == t))
            printf("    prio %u\n", prios[i]);
        sched_remove(t);
        CHECK(sched_pick() == NULL);
    }
    /* All at once, removed from the top: each is next in turn. */
    for (unsigned i = 0; i < n; i++)
        sched_add(mk(i, prios[i]));
    for (unsigned i = n; i-- > 0;) {
        if (!CHECK(sched_pick() == &th[i]))
            printf("    want prio %u\n", prios[i]);
        sched_remove(&th[i]);
    }
    CHECK(sched_pick() == NULL);
    /* All at once, removed from the bottom: the top stays. */
    for (unsigned i = 0; i < n; i++)
        sched_add(mk(i, prios[i]));
    for (unsigned i = 0; i < n; i++) {
        CHECK(sched_pick() == &th[n - 1]);
        if (i < n - 1)
            sched_remove(&th[i]);
    }
    sched_remove(&th[n - 1]);
    CHECK(sched_pick() == NULL);
    /* Every priority 0..254, added in a scrambled order. */
    unsigned bad = 0;
    for (unsigned i = 0; i < NPRIO; i++) {
        unsigned p = (i * 97u) % NPRIO;         /* 97 is prime to 255: a permutation */
        sched_add(mk(p, (uint8_t)p));
    }
    for (unsigned p = NPRIO; p-- > 0;) {
        if (sched_pick() != &th[p])
            bad++;
        sched_remove(&th[p]);
    }
    CHECK(bad == 0);
    CHECK(sched_pick() == NULL);
}

static void has_peer(void)
{
    struct tcb *a = mk(0, 31), *b = mk(1, 31), *other = mk(2, 32), *low = mk(3, 30);
    sched_add(a);
    sched_add(other);
    sched_add(low);
    CHECK(!sched_has_peer(a));                  /* others, but not at 31 */
    sched_add(b);
    CHECK(sched_has_peer(a));
    CHECK(sched_has_peer(b));
    CHECK(!sched_has_peer(other));
    sched_rotate(a);
    CHECK(sched_has_peer(a));
    sched_remove(b);
    CHECK(!sched_has_peer(a));
    sched_remove(a);
    sched_remove(other);
    sched_remove(low);
    CHECK(sched_pick() == NULL);
}

/* sched_top_prio follows the bitmap; the short forms leave the queues as
 * sched_add/sched_remove would, bits and summary included. */
static void top_prio_and_sole(void)
{
    CHECK(sched_top_prio() == -1);
    struct tcb *a = mk(0, 150), *b = mk(1, 100), *c = mk(2, 31), *d = mk(3, 32);
    sched_add(b);
    CHECK(sched_top_prio() == 100);
    sched_add_sole(a);
    CHECK(sched_top_prio() == 150 && sched_pick() == a && !sched_has_peer(a));
    CHECK(top_is((struct tcb *[]){ a }, 1));
    sched_remove_sole(a);
    CHECK(sched_top_prio() == 100 && sched_pick() == b);
    sched_add(a);                               /* the general form after the short one */
    CHECK(top_is((struct tcb *[]){ a }, 1));
    sched_remove(a);
    sched_remove_sole(b);
    CHECK(sched_top_prio() == -1 && sched_pick() == NULL);
    /* Across a bitmap word: 32 and 31 are in different words. */
    sched_add_sole(c);
    sched_add_sole(d);
    CHECK(sched_top_prio() == 32);
    sched_remove_sole(d);
    CHECK(sched_top_prio() == 31 && sched_pick() == c);
    sched_remove_sole(c);
    CHECK(sched_top_prio() == -1 && sched_pick() == NULL);
}

int main(void)
{
    tqueue_basics();
    priority_order();
    fifo_and_rotate();
    bitmap_edges();
    has_peer();
    top_prio_and_sole();
    return check_report("test_ksched");
}
