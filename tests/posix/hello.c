/*
 * hello.c - the walking skeleton of freebeam's library OS: an ordinary
 * C program, built against our musl and libos, run as a PD.  It prints,
 * allocates a few MiB, runs 4 threads that it joins, reads the clocks and
 * exits 0; any failure exits with a non-zero status (the image's).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_NAME "hello"
#include "check.h"

#define NTHREADS 4
#define ITERS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static _Thread_local int tls_value = 7;

static void *worker(void *arg)
{
    intptr_t id = (intptr_t)arg;
    tls_value += (int)id;       /* each thread has its own copy */
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 1000 == 0)
            sched_yield();
    }
    return (void *)(intptr_t)(tls_value * 100 + (int)id);
}

int main(void)
{
    printf("hello from musl on freebeam\n");

    /* A few MiB from malloc, written and read back. */
    size_t big = 3u << 20;
    unsigned char *p = malloc(big);
    check(p != NULL, "malloc 3 MiB");
    if (p) {
        memset(p, 0xa5, big);
        int ok = 1;
        for (size_t i = 0; i < big; i += 997)
            ok &= p[i] == 0xa5;
        check(ok, "malloc'd memory holds what was written");
        free(p);
    }
    char *small[64];
    for (int i = 0; i < 64; i++) {
        small[i] = malloc(16 + 40 * (size_t)i);
        check(small[i] != NULL, "small malloc");
        if (small[i])
            memset(small[i], i, 16 + 40 * (size_t)i);
    }
    for (int i = 0; i < 64; i++)
        free(small[i]);
    unsigned char *z = calloc(1, 2u << 20);
    check(z != NULL && z[0] == 0 && z[(2u << 20) - 1] == 0, "calloc 2 MiB is zero");
    free(z);

    /* Threads that join. */
    struct timespec t0, t1, r0;
    check(clock_gettime(CLOCK_MONOTONIC, &t0) == 0, "clock_gettime MONOTONIC");
    pthread_t th[NTHREADS];
    for (intptr_t i = 0; i < NTHREADS; i++)
        check(pthread_create(&th[i], NULL, worker, (void *)i) == 0, "pthread_create");
    for (intptr_t i = 0; i < NTHREADS; i++) {
        void *ret = NULL;
        check(pthread_join(th[i], &ret) == 0, "pthread_join");
        check((intptr_t)ret == (7 + i) * 100 + i, "thread's return value and its own TLS");
    }
    check(counter == (long)NTHREADS * ITERS, "counter under the mutex");
    check(tls_value == 7, "main thread's TLS untouched");
    printf("hello: %d threads joined, counter %ld\n", NTHREADS, counter);

    /* Clocks. */
    check(clock_gettime(CLOCK_MONOTONIC, &t1) == 0, "clock_gettime MONOTONIC again");
    check(t1.tv_sec > t0.tv_sec || (t1.tv_sec == t0.tv_sec && t1.tv_nsec >= t0.tv_nsec),
          "monotonic clock does not go back");
    check(clock_gettime(CLOCK_REALTIME, &r0) == 0 && r0.tv_sec >= 1577836800,
          "realtime clock after 2020");
    struct timespec nap = { 0, 20 * 1000 * 1000 }, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    check(nanosleep(&nap, NULL) == 0, "nanosleep");
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    check(slept >= 20 * 1000 * 1000, "nanosleep lasts at least what was asked");
    printf("hello: threads took %lld us, a 20 ms nap took %lld us\n",
           ((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec)) / 1000,
           slept / 1000);

    exit(check_report());
}
