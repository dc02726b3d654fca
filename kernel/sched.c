/*
 * sched.c - the run queues: one FIFO per priority and a bitmap of the
 * non-empty ones, so picking the next thread is a few word scans.  The
 * running thread stays in its queue; round robin moves it to the tail.
 */
#include "kernel.h"

static struct tqueue rq[NPRIO];
static uint32_t nonempty[(NPRIO + 31) / 32];

void sched_add(struct tcb *t)
{
    tq_push(&rq[t->prio], t);
    nonempty[t->prio / 32] |= 1u << (t->prio % 32);
}

void sched_remove(struct tcb *t)
{
    tq_remove(&rq[t->prio], t);
    if (!rq[t->prio].head)
        nonempty[t->prio / 32] &= ~(1u << (t->prio % 32));
}

struct tcb *sched_pick(void)
{
    for (int i = (NPRIO + 31) / 32 - 1; i >= 0; i--)
        if (nonempty[i])
            return rq[i * 32 + 31 - __builtin_clz(nonempty[i])].head;
    return NULL;
}

int sched_has_peer(const struct tcb *t)
{
    const struct tqueue *q = &rq[t->prio];
    return q->head && q->head != q->tail;
}

void sched_rotate(struct tcb *t)
{
    sched_remove(t);
    sched_add(t);
}
