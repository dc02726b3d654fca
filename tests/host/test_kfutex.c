/*
 * test_kfutex.c - kernel/futex.c: waiters queue FIFO per (PD, address); a
 * PD never takes another PD's waiter, not even on the same address or in
 * the same hash bucket; many addresses sharing buckets stay apart; a waiter
 * can leave from the middle of its queue.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kernel.h"

static struct pd pd_a, pd_b, pd_c;
static struct tcb th[256];

static struct tcb *waiter(unsigned i, struct pd *pd, uint32_t addr)
{
    memset(&th[i], 0, sizeof th[i]);
    th[i].pd = pd;
    th[i].tid = i + 1;
    th[i].state = T_FUTEX;
    futex_enqueue(&th[i], addr);
    return &th[i];
}

static void fifo(void)
{
    struct tcb *a = waiter(0, &pd_a, 0x1000), *b = waiter(1, &pd_a, 0x1000),
               *c = waiter(2, &pd_a, 0x1000);
    CHECK(a->futex_addr == 0x1000);
    CHECK(futex_take(&pd_a, 0x1004) == NULL);   /* the next word: nobody */
    CHECK(futex_take(&pd_a, 0x1000) == a);
    CHECK(!a->next && !a->prev);
    struct tcb *d = waiter(3, &pd_a, 0x1000);
    CHECK(futex_take(&pd_a, 0x1000) == b);
    CHECK(futex_take(&pd_a, 0x1000) == c);
    CHECK(futex_take(&pd_a, 0x1000) == d);
    CHECK(futex_take(&pd_a, 0x1000) == NULL);
}

static void two_pds(void)
{
    /* Same address in two PDs. */
    struct tcb *a = waiter(0, &pd_a, 0x2000), *b = waiter(1, &pd_b, 0x2000);
    CHECK(futex_take(&pd_b, 0x2000) == b);
    CHECK(futex_take(&pd_b, 0x2000) == NULL);
    CHECK(futex_take(&pd_c, 0x2000) == NULL);
    CHECK(futex_take(&pd_a, 0x2000) == a);

    /* Different PDs and addresses that hash to the same bucket: the bucket
     * is (addr >> 2) ^ (index * 0x9e37) mod 64, so pd_b's address is pd_a's
     * with the low bits of 0x9e37 flipped in the word number.  Check they
     * really share a queue (linked together), then that they stay apart. */
    uint32_t x = 0x3000, y = ((x >> 2) ^ (1u * 0x9e37u & 63u)) << 2;
    a = waiter(0, &pd_a, x);
    b = waiter(1, &pd_b, y);
    struct tcb *c = waiter(2, &pd_b, x);        /* pd_b at pd_a's address */
    CHECK(a->next == b && b->prev == a);        /* same bucket */
    CHECK(futex_take(&pd_a, y) == NULL);
    CHECK(futex_take(&pd_b, x) == c);
    CHECK(futex_take(&pd_b, y) == b);
    CHECK(futex_take(&pd_b, y) == NULL);
    CHECK(futex_take(&pd_a, x) == a);
}

static void same_key(void)
{
    /* For real PDs (index < 32) one address never hashes alike in two PDs,
     * so futex_take's own PD check is what stands between them only when
     * the keys collide outright: two PDs with the same index, which only a
     * test can build.  They must still never meet. */
    struct pd twin = pd_a;
    struct tcb *a = waiter(0, &pd_a, 0x5000), *t = waiter(1, &twin, 0x5000);
    CHECK(a->next == t);                        /* one queue */
    CHECK(futex_take(&twin, 0x5000) == t);
    CHECK(futex_take(&twin, 0x5000) == NULL);
    CHECK(futex_take(&pd_a, 0x5000) == a);
}

static void collisions(void)
{
    /* 192 waiters: addresses 256 bytes apart land in the same bucket of one
     * PD, 4 apart in neighbouring ones.  Three waiters per address in pd_a
     * and one in pd_b interleaved; every take must find the right one. */
    unsigned n = 0, bad = 0;
    for (unsigned round = 0; round < 3; round++)
        for (unsigned k = 0; k < 48; k++) {
            uint32_t addr = 0x10000 + (k % 8) * 4 + (k / 8) * 256;
            waiter(n++, &pd_a, addr);
            if (round == 1)
                waiter(n++, &pd_b, addr);
        }
    CHECK(n == 192);
    /* Take in a scrambled address order. */
    for (unsigned j = 0; j < 48; j++) {
        unsigned k = (j * 29u) % 48;
        uint32_t addr = 0x10000 + (k % 8) * 4 + (k / 8) * 256;
        struct tcb *t;
        /* Where each was put: round 0 at k, round 1 at 48 + 2k (pd_b's
         * right after it), round 2 at 144 + k. */
        const unsigned at[3] = { k, 48 + 2 * k, 144 + k };
        for (unsigned round = 0; round < 3; round++) {
            t = futex_take(&pd_a, addr);
            if (t != &th[at[round]] || t->futex_addr != addr)
                bad++;
        }
        if (futex_take(&pd_a, addr) != NULL)
            bad++;
        t = futex_take(&pd_b, addr);
        if (t != &th[49 + 2 * k] || t->pd != &pd_b || futex_take(&pd_b, addr))
            bad++;
    }
    CHECK(bad == 0);
}

static void dequeue_middle(void)
{
    struct tcb *a = waiter(0, &pd_a, 0x4000), *b = waiter(1, &pd_a, 0x4000),
               *c = waiter(2, &pd_a, 0x4000);
    /* Another address in the same bucket, between them. */
    struct tcb *other = waiter(3, &pd_a, 0x4000 + 256);
    struct tcb *d = waiter(4, &pd_a, 0x4000);
    futex_dequeue(b);
    CHECK(!b->next && !b->prev);
    CHECK(a->next == c && c->prev == a);
    futex_dequeue(d);                           /* the tail */
    CHECK(other->next == NULL);
    futex_dequeue(a);                           /* the head */
    CHECK(c->prev == NULL);
    CHECK(futex_take(&pd_a, 0x4000) == c);
    CHECK(futex_take(&pd_a, 0x4000) == NULL);
    CHECK(futex_take(&pd_a, 0x4000 + 256) == other);
    CHECK(futex_take(&pd_a, 0x4000 + 256) == NULL);
}

int main(void)
{
    pd_a.index = 0;
    pd_b.index = 1;
    pd_c.index = 2;
    fifo();
    two_pds();
    same_key();
    collisions();
    dequeue_middle();
    return check_report("test_kfutex");
}
