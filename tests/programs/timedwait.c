/* timedwait.c - a 200 ms pthread_cond_timedwait lasts 200 ms (exactly,
 * under --det). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
int main(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec t0, t1, dl;
    clock_gettime(CLOCK_REALTIME, &t0);
    dl = t0;
    dl.tv_nsec += 200000000;
    if (dl.tv_nsec >= 1000000000) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &dl);
    pthread_mutex_unlock(&m);
    clock_gettime(CLOCK_REALTIME, &t1);
    long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    printf("timedwait: %s after %ld us\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?", us);
    return r == ETIMEDOUT ? 0 : 1;
}
