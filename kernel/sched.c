/*
 * sched.c - the run queues: one FIFO per priority and a bitmap of the
 * non-empty ones, with a summary word of the bitmap's non-empty words, so
 * picking the next thread is two count-leading-zeros.  The
 * running thread stays in its queue; round robin moves it to the tail.
 */
#include "kernel.h"

static struct tqueue rq[NPRIO];
static uint32_t nonempty[(NPRIO + 31) / 32];
static uint32_t summary;        /* bit w: nonempty[w] != 0 */
_Static_assert((NPRIO + 31) / 32 <= 32, "the summary word has a bit per bitmap word");

static void mark_nonempty(uint32_t prio)
{
    nonempty[prio / 32] |= 1u << (prio % 32);
    summary |= 1u << (prio / 32);
}

static void mark_empty(uint32_t prio)
{
    nonempty[prio / 32] &= ~(1u << (prio % 32));
    if (!nonempty[prio / 32])
        summary &= ~(1u << (prio / 32));
}

void sched_add(struct tcb *t)
{
    tq_push(&rq[t->prio], t);
    mark_nonempty(t->prio);
}

void sched_remove(struct tcb *t)
{
    tq_remove(&rq[t->prio], t);
    if (!rq[t->prio].head)
        mark_empty(t->prio);
}

/* The fast path's (fastpath.c) short forms, for a queue known to hold t alone
 * (remove) or to be empty (add). */
void sched_remove_sole(struct tcb *t)
{
    rq[t->prio].head = rq[t->prio].tail = NULL;
    mark_empty(t->prio);
}

void sched_add_sole(struct tcb *t)
{
    t->next = t->prev = NULL;
    rq[t->prio].head = rq[t->prio].tail = t;
    mark_nonempty(t->prio);
}

struct tcb *sched_pick(void)
{
    int top = sched_top_prio();
    return top < 0 ? NULL : rq[top].head;
}

int sched_has_peer(const struct tcb *t)
{
    const struct tqueue *q = &rq[t->prio];
    return q->head && q->head != q->tail;
}

int sched_top_prio(void)
{
    if (!summary)
        return -1;
    uint32_t w = 31u - (uint32_t)__builtin_clz(summary);
    return (int)(w * 32 + 31 - (uint32_t)__builtin_clz(nonempty[w]));
}

void sched_rotate(struct tcb *t)
{
    sched_remove(t);
    sched_add(t);
}
