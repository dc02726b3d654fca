/* manythreads.c - 1,000 threads with musl's default attributes (a 128 KiB
 * stack each, from the heap), all alive at once: each checks in, then
 * blocks on a condition until the last one has started; then all are
 * joined, each returning its own number. */
#include <pthread.h>
#include <stdio.h>

#define N 1000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_in = PTHREAD_COND_INITIALIZER, go = PTHREAD_COND_INITIALIZER;
static int started, released, waiting_max;

static void *wait_for_all(void *arg)
{
    pthread_mutex_lock(&m);
    started++;
    if (started == N)
        pthread_cond_signal(&all_in);
    while (!released) {
        if (started > waiting_max)
            waiting_max = started;
        pthread_cond_wait(&go, &m);
    }
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    static pthread_t t[N];
    int made = 0;
    for (long i = 0; i < N; i++, made++)
        if (pthread_create(&t[i], NULL, wait_for_all, (void *)(i + 1)) != 0)
            break;
    pthread_mutex_lock(&m);
    while (made == N && started < N)
        pthread_cond_wait(&all_in, &m);
    int alive = started;
    released = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&m);
    long joined = 0;
    for (int i = 0; i < made; i++) {
        void *r;
        if (pthread_join(t[i], &r) == 0 && (long)r == i + 1)
            joined++;
    }
    printf("manythreads: %d created, %d alive at once, %ld joined\n", made, alive, joined);
    return made == N && alive == N && joined == N ? 0 : 1;
}
