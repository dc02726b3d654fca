/*
 * threads.c - the threads demo: 16 threads of one PD increment a shared
 * counter 10,000 times each under fb_mutex (yielding now and then while
 * holding it, so the lock is contended and the futex path runs); the main
 * thread waits on a futex for all of them and checks the exact total.
 */
#include <freebeam/fbpd.h>

#define NTHREADS 16
#define ITERS    10000
#define STACK    4096

static uint8_t stacks[NTHREADS][STACK] __attribute__((aligned(8)));
static fb_mutex lock = FB_MUTEX_INIT;
static volatile uint32_t counter;
static volatile uint32_t done;
static volatile uint32_t contended;

static void worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    for (unsigned i = 0; i < ITERS; i++) {
        if (!fb_mutex_trylock(&lock)) {
            fb_mutex_lock(&lock);
            contended++;   /* under the lock */
        }
        uint32_t c = counter;
        if (i % 1000 == id % 1000)
            fb_yield();   /* let others find the lock taken */
        counter = c + 1;
        fb_mutex_unlock(&lock);
    }
    __atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
    fb_futex_wake(&done, 1);
}

void init(void)
{
    fb_printf("threads: starting %u threads x %u increments\n", NTHREADS, ITERS);
    for (unsigned i = 0; i < NTHREADS; i++) {
        int tid = fb_thread_create(worker, (void *)(uintptr_t)i, stacks[i] + STACK, 0, 100);
        if (tid < 0) {
            fb_printf("threads: FAIL thread_create %u returned %d\n", i, tid);
            fb_poweroff(1);
        }
    }
    uint32_t d;
    while ((d = __atomic_load_n(&done, __ATOMIC_SEQ_CST)) != NTHREADS) {
        int r = fb_futex_wait(&done, d, 0);
        if (r != 0 && r != -FB_EAGAIN) {
            fb_printf("threads: FAIL futex_wait returned %d\n", r);
            fb_poweroff(1);
        }
    }
    uint32_t total = counter;
    fb_printf("threads: counter = %u (expected %u), lock contended %u times\n", total,
              NTHREADS * ITERS, contended);
    if (total != NTHREADS * ITERS) {
        fb_printf("threads: FAIL\n");
        fb_poweroff(1);
    }
    fb_printf("threads: %u threads joined, counter %u, ok\n", NTHREADS, total);
    fb_poweroff(0);
}
