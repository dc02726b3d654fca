/*
 * notif.h - an emulated kernel notification for the host tests of the
 * shared-memory protocols (test_ring.c, test_queue.c): a pending bit that
 * merges like the kernel's, signalled by one thread and waited for by
 * another, with a 5 s limit so that a lost wake-up fails the test instead
 * of hanging it.  Also running the two sides on two threads, and the
 * tests' small pseudo-random generator.
 */
#ifndef FB_TEST_NOTIF_H
#define FB_TEST_NOTIF_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

struct notif {
    pthread_mutex_t m;
    pthread_cond_t cv;
    int pending;
    unsigned long sent;
};

static inline void notif_init(struct notif *n)
{
    pthread_mutex_init(&n->m, NULL);
    pthread_cond_init(&n->cv, NULL);
    n->pending = 0;
    n->sent = 0;
}

static inline void notif_signal(struct notif *n)
{
    pthread_mutex_lock(&n->m);
    n->pending = 1;
    n->sent++;
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->m);
}

/* Returns 0, or -1 if nothing came within 5 s (a lost wake-up). */
static inline int notif_wait(struct notif *n)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += 5;
    int rc = 0;
    pthread_mutex_lock(&n->m);
    while (!n->pending && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&n->cv, &n->m, &dl);
    int ok = n->pending;
    n->pending = 0;
    pthread_mutex_unlock(&n->m);
    return ok ? 0 : -1;
}

/* Run producer and consumer on two real threads until both return; 0 if
 * both started.  (A side that lost a wake-up gives up after 5 s.) */
static inline int run_pair(void *(*producer)(void *), void *(*consumer)(void *), void *arg)
{
    pthread_t tp, tc;
    if (pthread_create(&tc, NULL, consumer, arg) != 0)
        return -1;
    int rc = pthread_create(&tp, NULL, producer, arg);
    if (rc == 0)
        pthread_join(tp, NULL);
    pthread_join(tc, NULL);   /* without a producer the consumer times out */
    return rc == 0 ? 0 : -1;
}

static inline uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

#endif
