/*
 * futex.c - threads waiting on a word of their PD's memory.  Waiters hang in
 * FIFO queues hashed by (PD, address); a wake takes the first waiter with
 * the same key, so two PDs using the same virtual address never meet.
 */
#include "kernel.h"

#define FUTEX_BUCKETS 64

static struct tqueue buckets[FUTEX_BUCKETS];

static struct tqueue *bucket(const struct pd *pd, uint32_t addr)
{
    return &buckets[((addr >> 2) ^ (pd->index * 0x9e37u)) % FUTEX_BUCKETS];
}

void futex_enqueue(struct tcb *t, uint32_t addr)
{
    t->futex_addr = addr;
    tq_push(bucket(t->pd, addr), t);
}

void futex_dequeue(struct tcb *t)
{
    tq_remove(bucket(t->pd, t->futex_addr), t);
}

struct tcb *futex_take(const struct pd *pd, uint32_t addr)
{
    struct tqueue *q = bucket(pd, addr);
    for (struct tcb *t = q->head; t; t = t->next) {
        if (t->pd == pd && t->futex_addr == addr) {
            tq_remove(q, t);
            return t;
        }
    }
    return NULL;
}
