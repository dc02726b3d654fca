/* threads.c - 8 threads, each adding to its own slot, all joined. */
#include <pthread.h>
#include <stdio.h>
static long sums[8];
static void *work(void *arg)
{
    long i = (long)arg;
    for (long k = 1; k <= 100000; k++)
        sums[i] += k % 7;
    return (void *)(i + 100);
}
int main(void)
{
    pthread_t t[8];
    for (long i = 0; i < 8; i++)
        if (pthread_create(&t[i], NULL, work, (void *)i))
            return 1;
    long joined = 0, total = 0;
    for (long i = 0; i < 8; i++) {
        void *r;
        if (pthread_join(t[i], &r) == 0 && (long)r == i + 100)
            joined++;
        total += sums[i];
    }
    printf("threads: %ld joined, total %ld\n", joined, total);
    return joined == 8 && total == 8 * 300000 ? 0 : 1;
}
