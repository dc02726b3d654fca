/*
 * timeout.c - threads waiting with a deadline, in one list sorted by
 * deadline (counter ticks).  Insertion walks the list: bounded by the
 * number of threads, and the head is all the timer needs.
 */
#include "kernel.h"

static struct tcb *head;

void timeout_add(struct tcb *t, uint64_t deadline)
{
    struct tcb **p = &head;
    t->deadline = deadline;
    while (*p && (*p)->deadline <= deadline)
        p = &(*p)->tnext;
    t->tnext = *p;
    *p = t;
}

void timeout_cancel(struct tcb *t)
{
    if (!t->deadline)
        return;
    for (struct tcb **p = &head; *p; p = &(*p)->tnext) {
        if (*p == t) {
            *p = t->tnext;
            break;
        }
    }
    t->tnext = NULL;
    t->deadline = 0;
}

struct tcb *timeout_expired(uint64_t now)
{
    struct tcb *t = head;
    if (!t || t->deadline > now)
        return NULL;
    head = t->tnext;
    t->tnext = NULL;
    t->deadline = 0;
    return t;
}

uint64_t timeout_next(void)
{
    return head ? head->deadline : 0;
}
