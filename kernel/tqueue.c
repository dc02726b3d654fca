/*
 * tqueue.c - doubly linked FIFOs of threads: run queues, futex queues and
 * the queue of ppcalls waiting for a PD.  A thread is on at most one.
 */
#include "kernel.h"

void tq_push(struct tqueue *q, struct tcb *t)
{
    t->next = NULL;
    t->prev = q->tail;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
}

void tq_remove(struct tqueue *q, struct tcb *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        q->head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else
        q->tail = t->prev;
    t->next = t->prev = NULL;
}

struct tcb *tq_pop(struct tqueue *q)
{
    struct tcb *t = q->head;
    if (t)
        tq_remove(q, t);
    return t;
}
