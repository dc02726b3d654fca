/*
 * test_ktimeout.c - kernel/timeout.c: the deadline list stays sorted, equal
 * deadlines stay in insertion order, cancel works anywhere (and on threads
 * not in the list), expired() pops only what is due, next() is the head.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kernel.h"

static struct tcb th[64];

static struct tcb *t_(unsigned i) { return &th[i]; }

/* Pop everything due at `now`; the popped threads, in order, must be want. */
static int pops(uint64_t now, struct tcb *const *want, unsigned n)
{
    int ok = 1;
    for (unsigned i = 0; i < n; i++) {
        struct tcb *t = timeout_expired(now);
        if (t != want[i] || t->deadline != 0 || t->tnext != NULL)
            ok = 0;
    }
    return ok && timeout_expired(now) == NULL;
}

static void sorted(void)
{
    CHECK(timeout_next() == 0);
    CHECK(timeout_expired(UINT64_MAX) == NULL);
    timeout_add(t_(0), 500);
    CHECK(timeout_next() == 500);
    timeout_add(t_(1), 100);                    /* before the head */
    timeout_add(t_(2), 900);                    /* after the tail */
    timeout_add(t_(3), 300);                    /* in the middle */
    timeout_add(t_(4), (uint64_t)1 << 40);      /* beyond 32 bits */
    CHECK(timeout_next() == 100);
    CHECK(t_(3)->deadline == 300);
    CHECK(timeout_expired(99) == NULL);
    CHECK(pops(300, (struct tcb *[]){ t_(1), t_(3) }, 2));
    CHECK(timeout_next() == 500);
    CHECK(pops(1000, (struct tcb *[]){ t_(0), t_(2) }, 2));
    CHECK(timeout_next() == (uint64_t)1 << 40);
    CHECK(timeout_expired(((uint64_t)1 << 40) - 1) == NULL);
    CHECK(pops((uint64_t)1 << 40, (struct tcb *[]){ t_(4) }, 1));   /* due exactly now */
    CHECK(timeout_next() == 0);
}

static void equal_fifo(void)
{
    timeout_add(t_(0), 50);
    timeout_add(t_(1), 70);
    timeout_add(t_(2), 50);
    timeout_add(t_(3), 70);
    timeout_add(t_(4), 50);
    timeout_add(t_(5), 10);
    CHECK(pops(60, (struct tcb *[]){ t_(5), t_(0), t_(2), t_(4) }, 4));
    CHECK(pops(70, (struct tcb *[]){ t_(1), t_(3) }, 2));
    CHECK(timeout_next() == 0);
}

static void cancel(void)
{
    for (unsigned i = 0; i < 5; i++)
        timeout_add(t_(i), 100 + 10 * i);
    timeout_cancel(t_(0));                      /* head */
    CHECK(t_(0)->deadline == 0 && t_(0)->tnext == NULL);
    CHECK(timeout_next() == 110);
    timeout_cancel(t_(2));                      /* middle */
    timeout_cancel(t_(4));                      /* tail */
    timeout_cancel(t_(2));                      /* again: no longer there */
    memset(t_(10), 0, sizeof *t_(10));
    timeout_cancel(t_(10));                     /* never added */
    CHECK(t_(10)->deadline == 0);
    CHECK(timeout_next() == 110);
    timeout_add(t_(0), 115);                    /* back in, between 1 and 3 */
    CHECK(pops(1000, (struct tcb *[]){ t_(1), t_(0), t_(3) }, 3));
    /* Cancel of the only one, then the list works again. */
    timeout_add(t_(7), 5);
    timeout_cancel(t_(7));
    CHECK(timeout_next() == 0);
    CHECK(timeout_expired(UINT64_MAX) == NULL);
    timeout_add(t_(7), 6);
    CHECK(pops(6, (struct tcb *[]){ t_(7) }, 1));
}

static void many(void)
{
    /* 64 deadlines in a scrambled order with duplicates: popped sorted,
     * equal ones in the order they were added. */
    for (unsigned i = 0; i < 64; i++)
        timeout_add(t_(i), 1 + (i * 37u) % 16);
    uint64_t last = 0;
    unsigned n = 0, bad = 0, last_i = 0;
    struct tcb *t;
    while ((t = timeout_expired(UINT64_MAX))) {
        unsigned i = (unsigned)(t - th);
        uint64_t d = 1 + (i * 37u) % 16;
        if (d < last || (d == last && i < last_i))
            bad++;
        last = d;
        last_i = i;
        n++;
    }
    CHECK(n == 64);
    CHECK(bad == 0);
    CHECK(timeout_next() == 0);
}

int main(void)
{
    sorted();
    equal_fifo();
    cancel();
    many();
    return check_report("test_ktimeout");
}
