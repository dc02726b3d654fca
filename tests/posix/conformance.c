/*
 * conformance.c - a plain POSIX + pthreads program that checks what an
 * ordinary threaded C program expects of its system: 32 threads with
 * mutexes (normal, recursive, errorcheck), condition variables (signal,
 * broadcast, timedwait), semaphores, rwlocks, barriers, once, join, detach
 * and cancel; thread-local storage (_Thread_local, __thread, pthread keys
 * with destructors); mmap/munmap/mremap/mprotect/madvise patterns; clocks
 * and sleeps; CPU time (clocks, getrusage, times); files on a read-only archive and on /tmp; pipes and eventfd
 * with poll/select across threads; dup/dup2/fcntl on pipes; processes.
 *
 * It runs on freebeam (systems/posix-conformance: the archive is the
 * image's `rootfs` region, mounted at /, made from tests/posix/
 * conformance-data) and, built with the host's own libc, on Linux
 * (tests/suites/posix.sh): both must pass, which proves the checks test
 * Linux's semantics and not ours.  A few checks are freebeam's by design
 * (fork gives ENOSYS, the archive is a read-only file system): they run
 * only there, chosen by uname's release, like tests/posix/ipc.c.
 *
 * Not repeated here: the depth of pipes, eventfd, poll and select (ipc.c)
 * and of the file system calls (files.c); this program looks at them from
 * threads and from the image's own archive.
 *
 * Usage: conformance DATA_DIR (the unpacked conformance-data tree; "/" on
 * freebeam), with FB_CONFORMANCE=1 in the environment.  Prints one
 * `ok - ...` or `not ok - ...` line per check, the measured timed waits as
 * `conformance: timing NAME_us=N` (tests/suites/posix.sh checks them
 * exactly under --det), and finally `conformance: N passed, N failed`;
 * exits 0 only if none failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "conformance"
#define CHECK_TAP
#include "check.h"

#define NT 32           /* threads at once */
#define PAGE 4096

static int on_freebeam;
static const char *data_dir;
extern char **environ;

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_ms(int ms)
{
    struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000 };
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* ts + ms on the given clock */
static struct timespec deadline_ms(clockid_t clk, int ms)
{
    struct timespec t;
    clock_gettime(clk, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_nsec -= 1000000000;
        t.tv_sec++;
    }
    return t;
}

static void timing(const char *name, int64_t ns)
{
    printf("conformance: timing %s_us=%lld\n", name, (long long)(ns / 1000));
}

/* Run fn(arg) on NT threads; every create and join must succeed and every
 * thread must return its own arg.  Returns 1 if so. */
static int run_threads(void *(*fn)(void *), void *args, size_t arg_size)
{
    pthread_t th[NT];
    int ok = 1, made = 0;
    for (int i = 0; i < NT; i++) {
        void *arg = args ? (char *)args + (size_t)i * arg_size : (void *)(intptr_t)i;
        if (pthread_create(&th[i], NULL, fn, arg) != 0) {
            ok = 0;
            break;
        }
        made++;
    }
    for (int i = 0; i < made; i++) {
        void *ret;
        void *arg = args ? (char *)args + (size_t)i * arg_size : (void *)(intptr_t)i;
        if (pthread_join(th[i], &ret) != 0 || ret != arg)
            ok = 0;
    }
    return ok;
}

/* Run fn(arg) on one other thread and return what it returned. */
static intptr_t on_thread(void *(*fn)(void *), void *arg)
{
    pthread_t th;
    void *ret = (void *)(intptr_t)-12345;
    if (pthread_create(&th, NULL, fn, arg) != 0 || pthread_join(th, &ret) != 0)
        return -12345;
    return (intptr_t)ret;
}

/* ================= mutexes ================= */

#define ITERS 2000

static pthread_mutex_t mx;
static long counter;

static void *count_plain(void *arg)
{
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&mx);
        long v = counter;
        if ((i & 127) == 0)
            sched_yield();          /* hold it while others want it */
        counter = v + 1;
        pthread_mutex_unlock(&mx);
    }
    return arg;
}

static void *count_recursive(void *arg)
{
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&mx);
        pthread_mutex_lock(&mx);
        long v = counter;
        if ((i & 127) == 0)
            sched_yield();
        counter = v + 1;
        pthread_mutex_unlock(&mx);
        pthread_mutex_unlock(&mx);
    }
    return arg;
}

static void *count_errorcheck(void *arg)
{
    for (int i = 0; i < ITERS; i++) {
        if (pthread_mutex_lock(&mx) != 0)
            return NULL;
        long v = counter;
        if ((i & 127) == 0)
            sched_yield();
        counter = v + 1;
        if (pthread_mutex_unlock(&mx) != 0)
            return NULL;
    }
    return arg;
}

static void *try_lock(void *arg)
{
    (void)arg;
    int r = pthread_mutex_trylock(&mx);
    if (r == 0)
        pthread_mutex_unlock(&mx);
    return (void *)(intptr_t)r;
}

static void *unlock_foreign(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)pthread_mutex_unlock(&mx);
}

static int init_mutex(int type)
{
    pthread_mutexattr_t a;
    int t = -1;
    int ok = pthread_mutexattr_init(&a) == 0 && pthread_mutexattr_settype(&a, type) == 0 &&
             pthread_mutexattr_gettype(&a, &t) == 0 && t == type && pthread_mutex_init(&mx, &a) == 0;
    pthread_mutexattr_destroy(&a);
    return ok;
}

static void test_mutexes(void)
{
    check(init_mutex(PTHREAD_MUTEX_NORMAL), "mutex: a PTHREAD_MUTEX_NORMAL mutex");
    counter = 0;
    check(run_threads(count_plain, NULL, 0), "mutex normal: 32 threads created and joined, each returns its arg");
    check(counter == (long)NT * ITERS, "mutex normal: 32 x 2000 increments under contention, none lost");
    pthread_mutex_lock(&mx);
    check(on_thread(try_lock, NULL) == EBUSY, "mutex normal: trylock from another thread while held: EBUSY");
    pthread_mutex_unlock(&mx);
    check(on_thread(try_lock, NULL) == 0, "mutex normal: trylock once released: 0");
    check(pthread_mutex_destroy(&mx) == 0, "mutex normal: destroy");

    check(init_mutex(PTHREAD_MUTEX_RECURSIVE), "mutex: a PTHREAD_MUTEX_RECURSIVE mutex");
    counter = 0;
    check(run_threads(count_recursive, NULL, 0) && counter == (long)NT * ITERS,
          "mutex recursive: 32 threads locking twice, no increment lost");
    int r = pthread_mutex_lock(&mx) | pthread_mutex_lock(&mx) | pthread_mutex_trylock(&mx);
    check(r == 0, "mutex recursive: the owner locks it three times (lock, lock, trylock)");
    check(on_thread(try_lock, NULL) == EBUSY, "mutex recursive: another thread's trylock: EBUSY");
    pthread_mutex_unlock(&mx);
    pthread_mutex_unlock(&mx);
    check(on_thread(try_lock, NULL) == EBUSY, "mutex recursive: still held after 2 of 3 unlocks");
    pthread_mutex_unlock(&mx);
    check(on_thread(try_lock, NULL) == 0, "mutex recursive: free after the third unlock");
    check(pthread_mutex_unlock(&mx) == EPERM, "mutex recursive: unlock when not owned: EPERM");
    pthread_mutex_destroy(&mx);

    check(init_mutex(PTHREAD_MUTEX_ERRORCHECK), "mutex: a PTHREAD_MUTEX_ERRORCHECK mutex");
    counter = 0;
    check(run_threads(count_errorcheck, NULL, 0) && counter == (long)NT * ITERS,
          "mutex errorcheck: 32 threads, every lock and unlock succeeds, no increment lost");
    check(pthread_mutex_lock(&mx) == 0 && pthread_mutex_lock(&mx) == EDEADLK,
          "mutex errorcheck: relock by the owner: EDEADLK");
    check(on_thread(unlock_foreign, NULL) == EPERM, "mutex errorcheck: unlock by another thread: EPERM");
    check(pthread_mutex_unlock(&mx) == 0 && pthread_mutex_unlock(&mx) == EPERM,
          "mutex errorcheck: unlock, then unlock again: EPERM");
    pthread_mutex_destroy(&mx);
}

/* ================= condition variables, semaphores ================= */

#define QCAP 4
#define ITEMS 300       /* per producer */

static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], qhead, qlen;
static long consumed_sum, consumed_n;

static void *producer(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&qm);
        while (qlen == QCAP)
            pthread_cond_wait(&not_full, &qm);
        queue[(qhead + qlen++) % QCAP] = id * 1000 + i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qm);
    }
    return arg;
}

static void *consumer(void *arg)
{
    for (int i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&qm);
        while (qlen == 0)
            pthread_cond_wait(&not_empty, &qm);
        int v = queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qlen--;
        consumed_sum += v;
        consumed_n++;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qm);
    }
    return arg;
}

/* even slots produce, odd slots consume (one consumer per producer) */
static void *prodcons(void *arg)
{
    intptr_t i = (intptr_t)arg;
    return (i & 1) ? consumer(arg) : producer((void *)(intptr_t)(i / 2 + 1)) ? arg : NULL;
}

static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;
static int go, waiting, woken;

static void *wait_for_go(void *arg)
{
    pthread_mutex_lock(&qm);
    waiting++;
    while (!go)
        pthread_cond_wait(&go_cond, &qm);
    woken++;
    pthread_mutex_unlock(&qm);
    return arg;
}

static void *signal_later(void *arg)
{
    sleep_ms(30);
    pthread_mutex_lock(&qm);
    go = 1;
    pthread_cond_signal((pthread_cond_t *)arg);
    pthread_mutex_unlock(&qm);
    return arg;
}

static sem_t sem;

static void *post_later(void *arg)
{
    sleep_ms(30);
    sem_post(&sem);
    return arg;
}

static void test_conditions(void)
{
    long want = 0;
    for (int p = 1; p <= NT / 2; p++)
        for (int i = 1; i <= ITEMS; i++)
            want += p * 1000 + i;
    check(run_threads(prodcons, NULL, 0), "cond signal: 16 producers and 16 consumers over a 4-slot queue");
    check(consumed_n == (long)NT / 2 * ITEMS && consumed_sum == want && qlen == 0,
          "cond signal: every item consumed once (count and sum)");

    /* broadcast: 32 waiters, one broadcast */
    pthread_t th[NT];
    int made = 0;
    for (int i = 0; i < NT; i++)
        made += pthread_create(&th[i], NULL, wait_for_go, NULL) == 0;
    int all_waiting = 0;
    for (int t = 0; t < 500 && !all_waiting; t++) {
        pthread_mutex_lock(&qm);
        all_waiting = waiting == NT;
        pthread_mutex_unlock(&qm);
        if (!all_waiting)
            sleep_ms(2);
    }
    sleep_ms(20);       /* let the last one reach pthread_cond_wait */
    check(made == NT && all_waiting, "cond broadcast: 32 threads wait");
    pthread_mutex_lock(&qm);
    int none_early = woken == 0;
    go = 1;
    pthread_cond_broadcast(&go_cond);
    pthread_mutex_unlock(&qm);
    for (int i = 0; i < made; i++)
        pthread_join(th[i], NULL);
    check(none_early && woken == NT, "cond broadcast: one broadcast wakes all 32, none woke before");

    /* timedwait: 200 ms on CLOCK_REALTIME (the default) and CLOCK_MONOTONIC */
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&qm);
    struct timespec dl = deadline_ms(CLOCK_REALTIME, 200);
    int64_t t0 = mono_ns();
    int r = pthread_cond_timedwait(&c, &qm, &dl);
    int64_t dt = mono_ns() - t0;
    pthread_mutex_unlock(&qm);
    check(r == ETIMEDOUT, "cond timedwait (CLOCK_REALTIME) with nobody signalling: ETIMEDOUT");
    check(dt >= 200000000, "cond timedwait 200 ms lasts at least 200 ms");
    check(dt < 300000000, "cond timedwait 200 ms lasts less than 300 ms");
    timing("cond_timedwait_200ms", dt);

    pthread_condattr_t ca;
    clockid_t clk = -1;
    pthread_cond_t cm;
    check(pthread_condattr_init(&ca) == 0 && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
          pthread_condattr_getclock(&ca, &clk) == 0 && clk == CLOCK_MONOTONIC && pthread_cond_init(&cm, &ca) == 0,
          "condattr: CLOCK_MONOTONIC");
    pthread_mutex_lock(&qm);
    dl = deadline_ms(CLOCK_MONOTONIC, 200);
    t0 = mono_ns();
    r = pthread_cond_timedwait(&cm, &qm, &dl);
    dt = mono_ns() - t0;
    pthread_mutex_unlock(&qm);
    check(r == ETIMEDOUT && dt >= 200000000 && dt < 300000000,
          "cond timedwait 200 ms (CLOCK_MONOTONIC): ETIMEDOUT after 200..300 ms");
    timing("cond_timedwait_mono_200ms", dt);

    /* signalled before the deadline: returns 0 early */
    pthread_t sig;
    go = 0;
    pthread_create(&sig, NULL, signal_later, &cm);
    pthread_mutex_lock(&qm);
    dl = deadline_ms(CLOCK_MONOTONIC, 5000);
    t0 = mono_ns();
    r = 0;
    while (!go && r == 0)
        r = pthread_cond_timedwait(&cm, &qm, &dl);
    dt = mono_ns() - t0;
    pthread_mutex_unlock(&qm);
    pthread_join(sig, NULL);
    check(r == 0 && go && dt < 2000000000, "cond timedwait: a signal from another thread ends it early with 0");
    pthread_cond_destroy(&cm);
    pthread_condattr_destroy(&ca);

    /* semaphores */
    check(sem_init(&sem, 0, 0) == 0, "sem_init 0");
    errno = 0;
    check(sem_trywait(&sem) == -1 && errno == EAGAIN, "sem_trywait on 0: EAGAIN");
    dl = deadline_ms(CLOCK_REALTIME, 200);
    t0 = mono_ns();
    errno = 0;
    r = sem_timedwait(&sem, &dl);
    dt = mono_ns() - t0;
    check(r == -1 && errno == ETIMEDOUT, "sem_timedwait with nobody posting: ETIMEDOUT");
    check(dt >= 200000000 && dt < 300000000, "sem_timedwait 200 ms lasts 200..300 ms");
    timing("sem_timedwait_200ms", dt);
    pthread_create(&sig, NULL, post_later, NULL);
    t0 = mono_ns();
    r = sem_wait(&sem);
    dt = mono_ns() - t0;
    pthread_join(sig, NULL);
    check(r == 0 && dt >= 25000000, "sem_wait blocks until another thread posts");
    int v = -1;
    sem_post(&sem);
    sem_post(&sem);
    check(sem_getvalue(&sem, &v) == 0 && v == 2 && sem_trywait(&sem) == 0 && sem_trywait(&sem) == 0,
          "sem_post twice: value 2, two trywaits succeed");
    sem_destroy(&sem);
}

/* ================= rwlocks, barriers, once ================= */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;
static atomic_int rw_mismatch, rw_readers, rw_max_readers;

static void *rw_worker(void *arg)
{
    intptr_t i = (intptr_t)arg;
    for (int k = 0; k < 300; k++) {
        if (i % 4 == 0) {
            pthread_rwlock_wrlock(&rw);
            rw_a++;
            if ((k & 31) == 0)
                sched_yield();
            rw_b++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            int n = atomic_fetch_add(&rw_readers, 1) + 1;
            int m = atomic_load(&rw_max_readers);
            while (n > m && !atomic_compare_exchange_weak(&rw_max_readers, &m, n))
                ;
            if (rw_a != rw_b)
                atomic_fetch_add(&rw_mismatch, 1);
            if ((k & 15) == 0)
                sched_yield();
            if (rw_a != rw_b)
                atomic_fetch_add(&rw_mismatch, 1);
            atomic_fetch_sub(&rw_readers, 1);
            pthread_rwlock_unlock(&rw);
        }
    }
    return arg;
}

static void *try_rd(void *arg)
{
    (void)arg;
    int r = pthread_rwlock_tryrdlock(&rw);
    if (r == 0)
        pthread_rwlock_unlock(&rw);
    return (void *)(intptr_t)r;
}

static void *try_wr(void *arg)
{
    (void)arg;
    int r = pthread_rwlock_trywrlock(&rw);
    if (r == 0)
        pthread_rwlock_unlock(&rw);
    return (void *)(intptr_t)r;
}

static pthread_barrier_t bar;
static atomic_int alive, serials, phase_errors;
static int phase;

static void *barrier_worker(void *arg)
{
    atomic_fetch_add(&alive, 1);
    for (int round = 1; round <= 3; round++) {
        int r = pthread_barrier_wait(&bar);     /* everyone arrives */
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            atomic_fetch_add(&serials, 1);
        else if (r != 0)
            atomic_fetch_add(&phase_errors, 1);
        pthread_barrier_wait(&bar);             /* main sets the phase */
        if (phase != round)
            atomic_fetch_add(&phase_errors, 1);
    }
    return arg;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_calls;

static void once_init(void)
{
    sched_yield();
    atomic_fetch_add(&once_calls, 1);
}

static void *do_once(void *arg)
{
    pthread_once(&once, once_init);
    return atomic_load(&once_calls) == 1 ? arg : NULL;
}

static void test_rwlock_barrier_once(void)
{
    pthread_rwlock_rdlock(&rw);
    check(on_thread(try_rd, NULL) == 0, "rwlock: a second reader gets in while one reads");
    check(on_thread(try_wr, NULL) == EBUSY, "rwlock: a writer's trywrlock while one reads: EBUSY");
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_wrlock(&rw);
    check(on_thread(try_rd, NULL) == EBUSY, "rwlock: a reader's tryrdlock while one writes: EBUSY");
    pthread_rwlock_unlock(&rw);
    check(on_thread(try_wr, NULL) == 0, "rwlock: trywrlock once free");
    check(run_threads(rw_worker, NULL, 0), "rwlock: 8 writers and 24 readers, 300 rounds each");
    check(rw_a == 8 * 300 && rw_b == 8 * 300 && atomic_load(&rw_mismatch) == 0,
          "rwlock: readers never see a writer's half-done update, no write lost");
    check(atomic_load(&rw_max_readers) > 1, "rwlock: readers held it at the same time");

    pthread_t th[NT];
    int made = 0;
    check(pthread_barrier_init(&bar, NULL, NT + 1) == 0, "barrier: init for 33 threads");
    for (int i = 0; i < NT; i++)
        made += pthread_create(&th[i], NULL, barrier_worker, NULL) == 0;
    int main_serial = 0;
    for (int round = 1; round <= 3; round++) {
        if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
            main_serial++;
        if (round == 1)
            check(atomic_load(&alive) == NT, "barrier: all 32 threads alive at once");
        phase = round;
        pthread_barrier_wait(&bar);
    }
    for (int i = 0; i < made; i++)
        pthread_join(th[i], NULL);
    check(made == NT && atomic_load(&serials) + main_serial == 3,
          "barrier: exactly one PTHREAD_BARRIER_SERIAL_THREAD per round, 3 rounds");
    check(atomic_load(&phase_errors) == 0, "barrier: every thread saw each round's state");
    check(pthread_barrier_destroy(&bar) == 0, "barrier: destroy");

    check(run_threads(do_once, NULL, 0) && atomic_load(&once_calls) == 1,
          "pthread_once: 32 threads, the init runs once and all see it done");
}

/* ================= join, detach, cancel ================= */

static sem_t done_sem;

static void *detached_worker(void *arg)
{
    sem_post(&done_sem);
    return arg;
}

static int cancel_pipe[2];
static pthread_mutex_t cancel_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cancel_c = PTHREAD_COND_INITIALIZER;

static void *blocked_reader(void *arg)
{
    char c;
    (void)arg;
    if (read(cancel_pipe[0], &c, 1) < 0)
        return NULL;
    return (void *)1;
}

static void unlock_cancel_m(void *arg)
{
    pthread_mutex_unlock(arg);
}

static void *blocked_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cancel_m);
    pthread_cleanup_push(unlock_cancel_m, &cancel_m);
    for (;;)
        pthread_cond_wait(&cancel_c, &cancel_m);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *blocked_sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = { 30, 0 };
    nanosleep(&ts, NULL);
    return NULL;
}

/* Start fn, let it block, cancel it: 1 if join gives PTHREAD_CANCELED
 * within 2 s. */
static int cancel_blocked(void *(*fn)(void *))
{
    pthread_t t;
    void *r = NULL;
    int64_t t0 = mono_ns();
    if (pthread_create(&t, NULL, fn, NULL) != 0)
        return 0;
    sleep_ms(20);
    int ok = pthread_cancel(t) == 0 && pthread_join(t, &r) == 0 && r == PTHREAD_CANCELED;
    return ok && mono_ns() - t0 < 2000000000;
}

static void *square(void *arg)
{
    intptr_t v = (intptr_t)arg;
    return (void *)(v * v);
}

static void test_join_detach(void)
{
    /* 256 threads through waves of 32: stacks and ids are reused */
    int ok = 1;
    for (int wave = 0; wave < 8; wave++) {
        pthread_t th[NT];
        for (int i = 0; i < NT; i++)
            if (pthread_create(&th[i], NULL, square, (void *)(intptr_t)(wave * NT + i)) != 0)
                ok = 0;
        for (int i = 0; ok && i < NT; i++) {
            void *r;
            if (pthread_join(th[i], &r) != 0 || (intptr_t)r != (intptr_t)(wave * NT + i) * (wave * NT + i))
                ok = 0;
        }
    }
    check(ok, "join: 256 threads in waves of 32, each join returns the thread's value");

    pthread_attr_t a;
    int ds = -1;
    check(pthread_attr_init(&a) == 0 && pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0 &&
          pthread_attr_getdetachstate(&a, &ds) == 0 && ds == PTHREAD_CREATE_DETACHED,
          "detach: attr PTHREAD_CREATE_DETACHED");
    sem_init(&done_sem, 0, 0);
    int made = 0;
    for (int i = 0; i < 16; i++) {
        pthread_t t;
        made += pthread_create(&t, &a, detached_worker, NULL) == 0;
    }
    for (int i = 0; i < 16; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, detached_worker, NULL) == 0)
            made += pthread_detach(t) == 0;
    }
    int got = 0;
    struct timespec dl = deadline_ms(CLOCK_REALTIME, 5000);
    while (got < made && sem_timedwait(&done_sem, &dl) == 0)
        got++;
    check(made == 32 && got == 32, "detach: 16 created detached, 16 detached after creation, all 32 ran");
    sleep_ms(50);       /* let them finish exiting: their stacks are freed by themselves */
    pthread_attr_destroy(&a);

    /* a thread with a chosen stack size */
    check(pthread_attr_init(&a) == 0 && pthread_attr_setstacksize(&a, 1 << 20) == 0, "attr: a 1 MiB stack");
    pthread_t t;
    void *r = NULL;
    check(pthread_create(&t, &a, square, (void *)(intptr_t)9) == 0 && pthread_join(t, &r) == 0 &&
          (intptr_t)r == 81, "attr: a thread on a 1 MiB stack runs and joins");
    pthread_attr_destroy(&a);

    /* cancel threads blocked at cancellation points */
    check(cancel_blocked(blocked_sleeper),
          "cancel: a thread in a 30 s nanosleep ends at once, join gives PTHREAD_CANCELED");
    check(pipe(cancel_pipe) == 0 && cancel_blocked(blocked_reader),
          "cancel: a thread blocked in read on a pipe ends at once, join gives PTHREAD_CANCELED");
    close(cancel_pipe[0]);
    close(cancel_pipe[1]);
    check(cancel_blocked(blocked_waiter) && pthread_mutex_trylock(&cancel_m) == 0 &&
          pthread_mutex_unlock(&cancel_m) == 0,
          "cancel: a thread blocked in pthread_cond_wait ends, its cleanup handler unlocks the mutex");
    check(pthread_equal(pthread_self(), pthread_self()) && !pthread_equal(pthread_self(), t),
          "pthread_equal / pthread_self");
}

/* ================= thread-local storage ================= */

static _Thread_local int tl_init = 42;
static __thread long tl_zero;
static _Thread_local _Alignas(64) char tl_aligned[64];
static pthread_key_t key, key2;
static atomic_int destructor_calls, destructor_bad, destructor2_calls;
static pthread_barrier_t tls_bar;

struct tls_res {
    int ok;
    uintptr_t addr;
};
static struct tls_res tls_res[NT];

static void destroy_value(void *v)
{
    intptr_t x = (intptr_t)v;
    if (x < 1000 || x >= 1000 + NT)
        atomic_fetch_add(&destructor_bad, 1);
    atomic_fetch_add(&destructor_calls, 1);
}

/* key2: sets itself again once; called a second time with the new value */
static void destroy_twice(void *v)
{
    atomic_fetch_add(&destructor2_calls, 1);
    if ((intptr_t)v == 1)
        pthread_setspecific(key2, (void *)2);
}

static void *tls_worker(void *arg)
{
    intptr_t i = (intptr_t)arg;
    struct tls_res *r = &tls_res[i];
    r->ok = tl_init == 42 && tl_zero == 0 && tl_aligned[0] == 0 && ((uintptr_t)tl_aligned & 63) == 0 &&
            pthread_getspecific(key) == NULL;
    tl_init = (int)i;
    tl_zero = i * 3;
    tl_aligned[0] = (char)i;
    r->addr = (uintptr_t)&tl_init;
    pthread_setspecific(key, (void *)(1000 + i));
    if (i == 0)
        pthread_setspecific(key2, (void *)1);
    if (i == 1) {
        pthread_setspecific(key2, (void *)5);
        pthread_setspecific(key2, NULL);     /* NULL: no destructor call */
    }
    pthread_barrier_wait(&tls_bar);          /* all 32 have written theirs */
    sched_yield();
    r->ok &= tl_init == (int)i && tl_zero == i * 3 && tl_aligned[0] == (char)i &&
             pthread_getspecific(key) == (void *)(1000 + i);
    return arg;
}

static void test_tls(void)
{
    check(pthread_key_create(&key, destroy_value) == 0 && pthread_key_create(&key2, destroy_twice) == 0,
          "pthread_key_create with destructors");
    pthread_barrier_init(&tls_bar, NULL, NT);
    tl_init = -1;
    check(run_threads(tls_worker, NULL, 0), "TLS: 32 threads");
    int ok = 1, distinct = 1;
    for (int i = 0; i < NT; i++) {
        ok &= tls_res[i].ok;
        for (int j = 0; j < i; j++)
            distinct &= tls_res[i].addr != tls_res[j].addr;
    }
    check(ok, "TLS: each thread starts with the initial values (42, 0, zeroed), keeps its own");
    check(distinct, "TLS: each thread's _Thread_local variable has its own address");
    check(tl_init == -1, "TLS: the main thread's copy is untouched by the others");
    check(atomic_load(&destructor_calls) == NT && atomic_load(&destructor_bad) == 0,
          "pthread key: the destructor ran once per thread with that thread's value");
    check(atomic_load(&destructor2_calls) == 2,
          "pthread key: a destructor that sets the value again is called again; a NULL value is not");
    check(pthread_getspecific(key) == NULL && pthread_setspecific(key, &ok) == 0 && pthread_getspecific(key) == &ok,
          "pthread key: the main thread's value is its own");
    pthread_setspecific(key, NULL);
    check(pthread_key_delete(key) == 0 && pthread_key_delete(key2) == 0, "pthread_key_delete");
    pthread_barrier_destroy(&tls_bar);
}

/* ================= memory ================= */

static int all_bytes(const void *p, size_t n, unsigned char v)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i] != v)
            return 0;
    return 1;
}

#define MAPF (MAP_PRIVATE | MAP_ANONYMOUS)

static void test_memory(void)
{
    size_t len = 1 << 20;
    unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAPF, -1, 0);
    check(m != MAP_FAILED && ((uintptr_t)m & (PAGE - 1)) == 0, "mmap anonymous 1 MiB: page aligned");
    if (m == MAP_FAILED)
        return;
    check(all_bytes(m, len, 0), "mmap anonymous: reads zero");
    for (size_t i = 0; i < len; i++)
        m[i] = (unsigned char)(i * 13);
    int same = 1;
    for (size_t i = 0; i < len; i++)
        same &= m[i] == (unsigned char)(i * 13);
    check(same, "mmap anonymous: written and read back");
    check(munmap(m, len) == 0, "munmap 1 MiB");
    errno = 0;
    check(mmap(NULL, 0, PROT_READ, MAPF, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap of 0 bytes: EINVAL");
    errno = 0;
    check(munmap((char *)m + 1, PAGE) == -1 && errno == EINVAL, "munmap of an unaligned address: EINVAL");

    /* fresh anonymous memory reads zero, also after reuse */
    int zero = 1;
    for (int k = 0; k < 20; k++) {
        unsigned char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAPF, -1, 0);
        if (p == MAP_FAILED) {
            zero = 0;
            break;
        }
        zero &= all_bytes(p, 16 * PAGE, 0);
        memset(p, 0xa5, 16 * PAGE);
        munmap(p, 16 * PAGE);
    }
    check(zero, "mmap: 20 map/fill/unmap cycles, every new mapping reads zero");

    /* a PROT_NONE reservation, then MAP_FIXED and mprotect inside it */
    unsigned char *res = mmap(NULL, 64 * PAGE, PROT_NONE, MAPF | MAP_NORESERVE, -1, 0);
    check(res != MAP_FAILED, "mmap PROT_NONE|MAP_NORESERVE reservation of 64 pages");
    if (res != MAP_FAILED) {
        unsigned char *fx = mmap(res + 16 * PAGE, 8 * PAGE, PROT_READ | PROT_WRITE, MAPF | MAP_FIXED, -1, 0);
        check(fx == res + 16 * PAGE, "MAP_FIXED inside the reservation: at the address asked");
        if (fx == res + 16 * PAGE) {
            memset(fx, 7, 8 * PAGE);
            check(fx[0] == 7 && fx[8 * PAGE - 1] == 7, "MAP_FIXED pages are writable");
            unsigned char *again = mmap(fx, 8 * PAGE, PROT_READ | PROT_WRITE, MAPF | MAP_FIXED, -1, 0);
            check(again == fx && all_bytes(fx, 8 * PAGE, 0), "MAP_FIXED over a written mapping: reads zero");
        }
        check(mprotect(res, 4 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect RW on the start of the reservation");
        memset(res, 9, 4 * PAGE);
        check(res[0] == 9 && res[4 * PAGE - 1] == 9, "the pages made RW hold what is written");
        check(mprotect(res, 4 * PAGE, PROT_READ) == 0 && res[5] == 9 &&
              mprotect(res, 4 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect to PROT_READ and back keeps the data");
        /* a system call's buffer in a page the program may not touch (so) */
        int pf[2];
        if (pipe(pf) == 0) {
            check(mprotect(res, PAGE, PROT_READ) == 0 && write(pf[1], "ab", 2) == 2, "a pipe with 2 bytes");
            errno = 0;
            check(read(pf[0], res, 1) == -1 && errno == EFAULT, "read() into a PROT_READ page: EFAULT");
            errno = 0;
            check(write(pf[1], res + 40 * PAGE, 1) == -1 && errno == EFAULT, "write() from a PROT_NONE page: EFAULT");
            check(mprotect(res, PAGE, PROT_READ | PROT_WRITE) == 0 && read(pf[0], res, 2) == 2 && res[1] == 'b',
                  "read() into the page made read-write again");
            close(pf[0]);
            close(pf[1]);
        }
        /* growing in place is blocked by the reservation's next pages */
        errno = 0;
        check(mremap(res, 4 * PAGE, 8 * PAGE, 0) == MAP_FAILED && errno == ENOMEM,
              "mremap grow without MREMAP_MAYMOVE into mapped pages: ENOMEM");
        check(munmap(res, 64 * PAGE) == 0, "munmap the whole reservation");
        errno = 0;
        check(mprotect(res + 8 * PAGE, PAGE, PROT_READ) == -1 && errno == ENOMEM, "mprotect of an unmapped page: ENOMEM");
    }

    /* partial munmap */
    unsigned char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAPF, -1, 0);
    if (p != MAP_FAILED) {
        for (int i = 0; i < 8; i++)
            memset(p + i * PAGE, i + 1, PAGE);
        check(munmap(p + 3 * PAGE, 2 * PAGE) == 0, "munmap of 2 pages in the middle of 8");
        int kept = 1;
        for (int i = 0; i < 8; i++)
            if (i != 3 && i != 4)
                kept &= all_bytes(p + i * PAGE, PAGE, (unsigned char)(i + 1));
        check(kept, "the pages around the hole keep their data");
        errno = 0;
        check(mmap(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAPF | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED &&
              errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapped page: EEXIST");
        unsigned char *h = mmap(p + 3 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAPF | MAP_FIXED_NOREPLACE, -1, 0);
        check(h == p + 3 * PAGE && all_bytes(h, 2 * PAGE, 0), "MAP_FIXED_NOREPLACE into the hole: there, zeroed");
        check(munmap(p + 6 * PAGE, 2 * PAGE) == 0 && munmap(p, 6 * PAGE) == 0, "munmap the tail, then the rest");
    }

    /* mremap grow (may move) and shrink */
    p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAPF, -1, 0);
    if (p != MAP_FAILED) {
        for (int i = 0; i < 4 * PAGE; i++)
            p[i] = (unsigned char)(i * 7);
        unsigned char *q = mremap(p, 4 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
        check(q != MAP_FAILED, "mremap grow 4 -> 64 pages with MREMAP_MAYMOVE");
        if (q != MAP_FAILED) {
            int kept = 1;
            for (int i = 0; i < 4 * PAGE; i++)
                kept &= q[i] == (unsigned char)(i * 7);
            check(kept, "mremap grow: the old contents moved along");
            check(all_bytes(q + 4 * PAGE, 60 * PAGE, 0), "mremap grow: the new pages read zero");
            q[64 * PAGE - 1] = 1;
            unsigned char *s = mremap(q, 64 * PAGE, 2 * PAGE, 0);
            check(s == q && s[PAGE + 5] == (unsigned char)((PAGE + 5) * 7), "mremap shrink: in place, data kept");
            munmap(s, 2 * PAGE);
        }
    }

    /* MADV_DONTNEED on private anonymous memory: reads zero afterwards */
    p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAPF, -1, 0);
    if (p != MAP_FAILED) {
        memset(p, 3, 4 * PAGE);
        check(madvise(p + PAGE, 2 * PAGE, MADV_DONTNEED) == 0 && all_bytes(p + PAGE, 2 * PAGE, 0) &&
              p[0] == 3 && p[3 * PAGE] == 3, "madvise MADV_DONTNEED: those pages read zero, the others keep data");
        munmap(p, 4 * PAGE);
    }

    /* malloc/calloc on top of it: large blocks from 32 threads' worth */
    void *big[8];
    int okm = 1;
    for (int i = 0; i < 8; i++) {
        big[i] = malloc((size_t)(i + 1) << 18);
        okm &= big[i] != NULL;
        if (big[i])
            memset(big[i], 0x5a, (size_t)(i + 1) << 18);
    }
    for (int i = 0; i < 8; i++)
        free(big[i]);
    unsigned char *cz = calloc(1, 2 << 20);
    check(okm && cz && all_bytes(cz, 2 << 20, 0), "malloc 9 MiB in 8 blocks, free, calloc 2 MiB reads zero");
    free(cz);

    if (on_freebeam) {
        errno = 0;
        check(mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAPF, -1, 0) == MAP_FAILED && errno == EACCES,
              "freebeam: PROT_EXEC is refused (EACCES): the heap is never executable");
    }
}

/* ================= clocks and sleeping ================= */

static atomic_llong mono_max;
static atomic_int mono_back;

static void *mono_reader(void *arg)
{
    for (int i = 0; i < 5000; i++) {
        long long seen = atomic_load(&mono_max);
        long long t = mono_ns();
        if (t < seen)
            atomic_fetch_add(&mono_back, 1);
        while (t > seen && !atomic_compare_exchange_weak(&mono_max, &seen, t))
            ;
        if ((i & 255) == 0)
            sched_yield();
    }
    return arg;
}

static void test_time(void)
{
    struct timespec ts, res;
    check(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec >= 1577836800,
          "CLOCK_REALTIME: after 2020-01-01");
    check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000,
          "clock_getres CLOCK_MONOTONIC: between 1 ns and 1 ms");
    check(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 && clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 &&
          clock_gettime(CLOCK_BOOTTIME, &ts) == 0, "CPU-time clocks and CLOCK_BOOTTIME read");
    errno = 0;
    check(clock_gettime((clockid_t)1234, &ts) == -1 && errno == EINVAL, "an unknown clock: EINVAL");
    int64_t last = mono_ns(), back = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t t = mono_ns();
        back += t < last;
        last = t;
    }
    check(back == 0, "CLOCK_MONOTONIC: 100000 reads never go back");
    atomic_store(&mono_max, 0);
    check(run_threads(mono_reader, NULL, 0) && atomic_load(&mono_back) == 0,
          "CLOCK_MONOTONIC never goes back across 32 threads");

    int64_t t0 = mono_ns();
    struct timespec req = { 0, 50000000 }, rem = { 9, 9 };
    int r = nanosleep(&req, &rem);
    int64_t dt = mono_ns() - t0;
    check(r == 0 && dt >= 50000000, "nanosleep 50 ms lasts at least 50 ms");
    check(dt < 100000000, "nanosleep 50 ms lasts less than 100 ms");
    timing("nanosleep_50ms", dt);
    req.tv_nsec = 1000000000;
    errno = 0;
    check(nanosleep(&req, NULL) == -1 && errno == EINVAL, "nanosleep with tv_nsec = 1e9: EINVAL");

    req.tv_sec = 0;
    req.tv_nsec = 30000000;
    t0 = mono_ns();
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    dt = mono_ns() - t0;
    check(r == 0 && dt >= 30000000 && dt < 80000000, "clock_nanosleep relative 30 ms: 30..80 ms");
    timing("clock_nanosleep_rel_30ms", dt);

    struct timespec dl = deadline_ms(CLOCK_MONOTONIC, 40);
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t late = ((int64_t)ts.tv_sec - dl.tv_sec) * 1000000000 + (ts.tv_nsec - dl.tv_nsec);
    check(r == 0 && late >= 0, "clock_nanosleep TIMER_ABSTIME (MONOTONIC): wakes at or after the deadline");
    check(late < 50000000, "clock_nanosleep TIMER_ABSTIME: less than 50 ms late");
    timing("clock_nanosleep_abs_late", late);
    dl = deadline_ms(CLOCK_REALTIME, 30);
    r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &dl, NULL);
    clock_gettime(CLOCK_REALTIME, &ts);
    check(r == 0 && (ts.tv_sec > dl.tv_sec || (ts.tv_sec == dl.tv_sec && ts.tv_nsec >= dl.tv_nsec)),
          "clock_nanosleep TIMER_ABSTIME (REALTIME): wakes at or after the deadline");
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec = 0;                     /* earlier in this second: the past */
    t0 = mono_ns();
    check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL) == 0 && mono_ns() - t0 < 10000000,
          "clock_nanosleep TIMER_ABSTIME in the past: returns at once");
    req.tv_nsec = -1;
    check(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == EINVAL,
          "clock_nanosleep with a negative tv_nsec: returns EINVAL");
}

/* ================= CPU time ================= */

static int64_t clock_ns(clockid_t clk)
{
    struct timespec ts;
    if (clock_gettime(clk, &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t rusage_ns(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return -1;
    return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
           ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* Spin until the calling thread has used ms of CPU time (by its own
 * clock), for at most 5 s of real time; 1 if it got there. */
static int burn_cpu_ms(int ms)
{
    int64_t start = clock_ns(CLOCK_THREAD_CPUTIME_ID), wall = mono_ns();
    volatile uint32_t x = 1;
    while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - start < (int64_t)ms * 1000000) {
        for (int i = 0; i < 10000; i++)
            x = x * 1103515245u + 12345u;
        if (mono_ns() - wall > 5000000000)
            return 0;
    }
    return 1;
}

static sem_t burn_done, burn_go_on;

static void *burner(void *arg)
{
    (void)arg;
    intptr_t ok = burn_cpu_ms(30);
    sem_post(&burn_done);
    sem_wait(&burn_go_on);              /* stays alive while main reads its clock */
    return (void *)ok;
}

static void test_cputime(void)
{
    struct timespec res;
    check(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
          res.tv_nsec <= 1000000 && clock_getres(CLOCK_THREAD_CPUTIME_ID, &res) == 0 && res.tv_nsec > 0,
          "clock_getres of the CPU-time clocks: between 1 ns and 1 ms");

    int64_t p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t r0 = rusage_ns(RUSAGE_SELF), rt0 = rusage_ns(RUSAGE_THREAD);
    struct tms tm0, tm1;
    clock_t c0 = times(&tm0);
    check(burn_cpu_ms(50), "CLOCK_THREAD_CPUTIME_ID grows by 50 ms in a busy loop");
    int64_t p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    int64_t r1 = rusage_ns(RUSAGE_SELF), rt1 = rusage_ns(RUSAGE_THREAD);
    clock_t c1 = times(&tm1);
    check(p0 >= 0 && p1 - p0 >= 50000000, "CLOCK_PROCESS_CPUTIME_ID grows with the busy loop");
    check(t0 >= 0 && t1 - t0 >= 50000000 && t1 <= p1, "CLOCK_THREAD_CPUTIME_ID: at most the process's");
    check(r0 >= 0 && r1 - r0 >= 40000000, "getrusage(RUSAGE_SELF): utime + stime grow with the busy loop");
    check(rt0 >= 0 && rt1 - rt0 >= 40000000 && rt1 <= r1 + 5000000,
          "getrusage(RUSAGE_THREAD): grows too, at most RUSAGE_SELF");
    long hz = sysconf(_SC_CLK_TCK);
    check(c0 != (clock_t)-1 && c1 >= c0 && hz == 100 &&
          (tm1.tms_utime + tm1.tms_stime) - (tm0.tms_utime + tm0.tms_stime) >= 4,
          "times(): tms_utime + tms_stime grow by the busy loop (CLK_TCK 100)");
    struct rusage ch;
    check(getrusage(RUSAGE_CHILDREN, &ch) == 0, "getrusage(RUSAGE_CHILDREN) succeeds");
    errno = 0;
    check(getrusage(12345, &ch) == -1 && errno == EINVAL, "getrusage of an unknown who: EINVAL");

    p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    sleep_ms(100);
    p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    check(p1 >= p0 && p1 - p0 < 20000000, "CLOCK_PROCESS_CPUTIME_ID: under 20 ms over a 100 ms sleep");
    printf("conformance: cpu over a 100 ms sleep: %lld us\n", (long long)((p1 - p0) / 1000));

    /* Another thread's clock (pthread_getcpuclockid) and the process's
     * (clock_getcpuclockid): the burner's time is its own, not main's. */
    sem_init(&burn_done, 0, 0);
    sem_init(&burn_go_on, 0, 0);
    pthread_t th;
    clockid_t thc = 0, pc = 0;
    t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    int made = pthread_create(&th, NULL, burner, NULL) == 0;
    if (made)
        sem_wait(&burn_done);
    int64_t other = made && pthread_getcpuclockid(th, &thc) == 0 ? clock_ns(thc) : -1;
    t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    check(other >= 30000000, "pthread_getcpuclockid: the other thread's clock has its 30 ms");
    check(t1 - t0 < 20000000, "the waiting thread's own clock does not count the other's time");
    check(p1 - p0 >= 30000000, "the process clock counts the other thread's time");
    check(clock_getcpuclockid(getpid(), &pc) == 0 && clock_ns(pc) >= p1,
          "clock_getcpuclockid(getpid()): the process clock");
    void *ok = NULL;
    if (made) {
        sem_post(&burn_go_on);
        pthread_join(th, &ok);
    }
    check(ok != NULL, "the other thread reached 30 ms of CPU time");
    check(clock_ns(CLOCK_PROCESS_CPUTIME_ID) >= p1, "an exited thread's time stays in the process clock");
    struct timespec req = { 0, 1000000 };
    check(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) == EINVAL,
          "clock_nanosleep on CLOCK_THREAD_CPUTIME_ID: EINVAL");
}

/* ================= files: the archive ================= */

static char path_buf[512];

static const char *data(const char *name)
{
    size_t n = strlen(data_dir);
    snprintf(path_buf, sizeof path_buf, "%s%s%s", data_dir, n && data_dir[n - 1] == '/' ? "" : "/", name);
    return path_buf;
}

/* The names in a directory, sorted, joined by spaces ("" on failure). */
static const char *dir_list(const char *dir)
{
    static char out[512];
    char names[32][256];
    int n = 0;
    out[0] = 0;
    DIR *d = opendir(dir);
    if (!d)
        return out;
    struct dirent *e;
    while ((e = readdir(d)) && n < 32)
        snprintf(names[n++], sizeof names[0], "%.255s", e->d_name);
    closedir(d);
    for (int i = 1; i < n; i++)          /* insertion sort */
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[sizeof names[0]];
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
        }
    for (int i = 0; i < n; i++) {
        strncat(out, names[i], sizeof out - strlen(out) - 2);
        if (i + 1 < n)
            strcat(out, " ");
    }
    return out;
}

static void test_archive(void)
{
    char buf[128];
    struct stat st;
    int fd = open(data("hello.txt"), O_RDONLY);
    check(fd >= 0, "archive: open hello.txt");
    check(read(fd, buf, sizeof buf) == 29 && memcmp(buf, "freebeam conformance archive\n", 29) == 0,
          "archive: read hello.txt whole");
    check(read(fd, buf, sizeof buf) == 0, "archive: then end of file");
    close(fd);

    fd = open(data("lines.txt"), O_RDONLY);
    check(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 10000,
          "archive: fstat lines.txt: a regular file of 10000 bytes");
    check(lseek(fd, 5000, SEEK_SET) == 5000 && read(fd, buf, 10) == 10 && memcmp(buf, "line 0500\n", 10) == 0,
          "archive: lseek SEEK_SET 5000, read line 500");
    check(lseek(fd, 20, SEEK_CUR) == 5030 && read(fd, buf, 10) == 10 && memcmp(buf, "line 0503\n", 10) == 0,
          "archive: lseek SEEK_CUR +20, read line 503");
    check(lseek(fd, -10, SEEK_END) == 9990 && read(fd, buf, 100) == 10 && memcmp(buf, "line 0999\n", 10) == 0,
          "archive: lseek SEEK_END -10, read the last line (short read)");
    check(pread(fd, buf, 10, 1230) == 10 && memcmp(buf, "line 0123\n", 10) == 0 && lseek(fd, 0, SEEK_CUR) == 10000,
          "archive: pread leaves the offset alone");
    struct iovec iov[2] = { { buf, 5 }, { buf + 64, 5 } };
    check(lseek(fd, 10, SEEK_SET) == 10 && readv(fd, iov, 2) == 10 && memcmp(buf, "line ", 5) == 0 &&
          memcmp(buf + 64, "0001\n", 5) == 0, "archive: readv into two buffers");
    close(fd);

    FILE *f = fopen(data("lines.txt"), "r");
    int n = 0, in_order = 1;
    char line[32], want[32];
    while (f && fgets(line, sizeof line, f)) {
        snprintf(want, sizeof want, "line %04d\n", n++);
        in_order &= strcmp(line, want) == 0;
    }
    check(f && n == 1000 && in_order, "archive: stdio reads all 1000 lines in order");
    if (f)
        fclose(f);

    check(stat(data("dir"), &st) == 0 && S_ISDIR(st.st_mode), "archive: stat dir: a directory");
    check(stat(data("dir/sub/empty"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0,
          "archive: stat an empty file: size 0");
    fd = open(data("dir/sub/empty"), O_RDONLY);
    check(fd >= 0 && read(fd, buf, 10) == 0, "archive: an empty file reads end of file at once");
    close(fd);
    check(strcmp(dir_list(data("dir")), ". .. one.txt sub two.txt") == 0,
          "archive: readdir of dir: . .. one.txt sub two.txt");
    check(strcmp(dir_list(data("dir/sub")), ". .. empty") == 0, "archive: readdir of dir/sub: . .. empty");
    errno = 0;
    check(opendir(data("hello.txt")) == NULL && errno == ENOTDIR, "archive: opendir of a file: ENOTDIR");
    errno = 0;
    check(open(data("missing.txt"), O_RDONLY) == -1 && errno == ENOENT, "archive: a missing file: ENOENT");

    if (on_freebeam) {
        errno = 0;
        check(open(data("hello.txt"), O_WRONLY) == -1 && errno == EROFS,
              "freebeam: opening an archive file for writing: EROFS");
        errno = 0;
        check(open(data("new.txt"), O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS,
              "freebeam: creating a file in the archive: EROFS");
        errno = 0;
        check(truncate(data("lines.txt"), 0) == -1 && errno == EROFS, "freebeam: truncate in the archive: EROFS");
    }
}

/* ================= files: /tmp ================= */

static char tmpdir[64];

/* A path in tmpdir (main thread only: two static buffers, used in turn). */
static const char *tmp(const char *name)
{
    static char p[2][128];
    static int which;
    which ^= 1;
    snprintf(p[which], sizeof p[which], "%s/%s", tmpdir, name);
    return p[which];
}

static void *write_own_file(void *arg)
{
    intptr_t i = (intptr_t)arg;
    char path[128], buf[1000];
    snprintf(path, sizeof path, "%s/t%02d", tmpdir, (int)i);     /* not tmp(): that is not thread-safe */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return NULL;
    memset(buf, 'a' + (int)(i % 26), sizeof buf);
    for (int k = 0; k <= i; k++)
        if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
            close(fd);
            return NULL;
        }
    close(fd);
    return arg;
}

static void test_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/conformance.XXXXXX");
    check(mkdtemp(tmpdir) != NULL, "tmp: mkdtemp under /tmp");
    char buf[256];
    struct stat st;
    int fd = open(tmp("a"), O_RDWR | O_CREAT | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, "hello ", 6) == 6 && write(fd, "world\n", 6) == 6, "tmp: create and write a file");
    check(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof buf) == 12 && memcmp(buf, "hello world\n", 12) == 0,
          "tmp: seek back and read it");
    check(lseek(fd, 6, SEEK_SET) == 6 && write(fd, "there", 5) == 5 && pread(fd, buf, 12, 0) == 12 &&
          memcmp(buf, "hello there\n", 12) == 0, "tmp: overwrite in the middle");
    check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 12, "tmp: fstat size 12");
    close(fd);

    /* 1 MiB in 4 KiB writes, read back at scattered offsets */
    fd = open(tmp("big"), O_RDWR | O_CREAT, 0600);
    int ok = fd >= 0;
    static unsigned char blk[4096];
    for (int b = 0; ok && b < 256; b++) {
        for (int i = 0; i < 4096; i++)
            blk[i] = (unsigned char)(b + i / 16);
        ok = write(fd, blk, sizeof blk) == (ssize_t)sizeof blk;
    }
    for (int k = 0; ok && k < 50; k++) {
        off_t off = (off_t)(k * 20011) % (1 << 20);
        unsigned char c;
        ok = pread(fd, &c, 1, off) == 1 && c == (unsigned char)(off / 4096 + (off % 4096) / 16);
    }
    check(ok && stat(tmp("big"), &st) == 0 && st.st_size == 1 << 20, "tmp: 1 MiB written, read back at 50 offsets");
    close(fd);

    /* 32 threads, one file each, at once */
    check(run_threads(write_own_file, NULL, 0), "tmp: 32 threads each create and write their own file");
    ok = 1;
    for (int i = 0; i < NT; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%02d", i);
        ok &= stat(tmp(name), &st) == 0 && st.st_size == 1000 * (i + 1);
        unlink(tmp(name));
    }
    check(ok, "tmp: each thread's file has its size");

    check(strcmp(dir_list(tmpdir), ". .. a big") == 0, "tmp: readdir: . .. a big");
    check(rename(tmp("a"), tmp("b")) == 0, "tmp: rename a -> b");
    errno = 0;
    check(stat(tmp("a"), &st) == -1 && errno == ENOENT, "tmp: a is gone");
    fd = open(tmp("b"), O_RDONLY);
    check(fd >= 0 && read(fd, buf, sizeof buf) == 12 && memcmp(buf, "hello there\n", 12) == 0, "tmp: b has a's data");
    close(fd);
    check(rename(tmp("big"), tmp("b")) == 0 && stat(tmp("b"), &st) == 0 && st.st_size == 1 << 20,
          "tmp: rename over an existing file replaces it");
    check(strcmp(dir_list(tmpdir), ". .. b") == 0, "tmp: readdir: . .. b");
    check(unlink(tmp("b")) == 0, "tmp: unlink b");
    errno = 0;
    check(unlink(tmp("b")) == -1 && errno == ENOENT, "tmp: unlink again: ENOENT");
    check(rmdir(tmpdir) == 0 && stat(tmpdir, &st) == -1, "tmp: rmdir the emptied directory");
}

/* ================= pipes, eventfd, poll/select across threads ================= */

struct pinger {
    int in, out;
    int rounds;
};

static void *ponger(void *arg)
{
    struct pinger *p = arg;
    unsigned char c;
    for (int i = 0; i < p->rounds; i++) {
        struct pollfd pf = { p->in, POLLIN, 0 };
        if (poll(&pf, 1, 5000) != 1 || read(p->in, &c, 1) != 1)
            return NULL;
        c++;
        if (write(p->out, &c, 1) != 1)
            return NULL;
    }
    return arg;
}

struct late_writer {
    int fd;
    int ms;
    uint64_t value;     /* for an eventfd; 0: write one byte */
};

static void *write_late(void *arg)
{
    struct late_writer *w = arg;
    sleep_ms(w->ms);
    if (w->value)
        return write(w->fd, &w->value, 8) == 8 ? arg : NULL;
    char c = (char)('A' + w->ms % 26);
    return write(w->fd, &c, 1) == 1 ? arg : NULL;
}

static int efd;

static void *efd_adder(void *arg)
{
    uint64_t one = 1;
    for (int i = 0; i < 100; i++)
        if (write(efd, &one, 8) != 8)
            return NULL;
    return arg;
}

static void *select_on_efd(void *arg)
{
    (void)arg;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(efd, &r);
    struct timeval tv = { 5, 0 };
    uint64_t v = 0;
    if (select(efd + 1, &r, NULL, NULL, &tv) != 1 || !FD_ISSET(efd, &r) || read(efd, &v, 8) != 8)
        return NULL;
    return (void *)(intptr_t)v;
}

static void test_pipes_threads(void)
{
    /* ping-pong: 1000 round trips between two threads */
    int a[2], b[2];
    check(pipe(a) == 0 && pipe(b) == 0, "pipes for ping-pong");
    struct pinger pg = { a[0], b[1], 1000 };
    pthread_t th;
    pthread_create(&th, NULL, ponger, &pg);
    int ok = 1;
    unsigned char c = 0;
    for (int i = 0; ok && i < 1000; i++) {
        unsigned char s = (unsigned char)i;
        struct pollfd pf = { b[0], POLLIN, 0 };
        ok = write(a[1], &s, 1) == 1 && poll(&pf, 1, 5000) == 1 && read(b[0], &c, 1) == 1 &&
             c == (unsigned char)(s + 1);
    }
    void *r = NULL;
    pthread_join(th, &r);
    check(ok && r == &pg, "pipe ping-pong: 1000 round trips, both sides waiting in poll");
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);

    /* poll on 8 pipes, each written by its own thread at its own time */
    int p[8][2];
    struct late_writer lw[8];
    pthread_t ths[8];
    struct pollfd pf[8];
    ok = 1;
    for (int i = 0; i < 8; i++) {
        ok &= pipe(p[i]) == 0;
        lw[i] = (struct late_writer){ p[i][1], 10 + 7 * ((i * 5) % 8), 0 };
        pf[i] = (struct pollfd){ p[i][0], POLLIN, 0 };
    }
    for (int i = 0; ok && i < 8; i++)
        ok &= pthread_create(&ths[i], NULL, write_late, &lw[i]) == 0;
    int got = 0;
    while (ok && got < 8) {
        int n = poll(pf, 8, 5000);
        if (n <= 0) {
            ok = 0;
            break;
        }
        for (int i = 0; i < 8; i++)
            if (pf[i].revents & POLLIN) {
                char ch;
                if (read(pf[i].fd, &ch, 1) != 1 || ch != (char)('A' + lw[i].ms % 26))
                    ok = 0;
                pf[i].fd = -1;      /* done: poll ignores it */
                got++;
            }
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(ths[i], NULL);
        close(p[i][0]);
        close(p[i][1]);
    }
    check(ok && got == 8, "poll over 8 pipes: each thread's byte arrives, fd -1 entries ignored");

    /* select over two pipes: only the written one is reported */
    check(pipe(a) == 0 && pipe(b) == 0, "pipes for select");
    struct late_writer w1 = { b[1], 30, 0 };
    pthread_create(&th, NULL, write_late, &w1);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(a[0], &rs);
    FD_SET(b[0], &rs);
    struct timeval tv = { 5, 0 };
    int n = select((a[0] > b[0] ? a[0] : b[0]) + 1, &rs, NULL, NULL, &tv);
    pthread_join(th, NULL);
    check(n == 1 && FD_ISSET(b[0], &rs) && !FD_ISSET(a[0], &rs),
          "select over two pipes: woken by another thread, only the written one set");
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);

    /* eventfd: 32 threads add 100 each; the main thread collects all 3200 */
    efd = eventfd(0, EFD_NONBLOCK);
    check(efd >= 0, "eventfd(0, EFD_NONBLOCK)");
    pthread_t adders[NT];
    int made = 0;
    for (int i = 0; i < NT; i++)
        made += pthread_create(&adders[i], NULL, efd_adder, &efd) == 0;
    uint64_t total = 0, v;
    int64_t t0 = mono_ns();
    while (total < (uint64_t)NT * 100 && mono_ns() - t0 < 10000000000LL) {
        struct pollfd ef = { efd, POLLIN, 0 };
        if (poll(&ef, 1, 1000) == 1 && read(efd, &v, 8) == 8)
            total += v;
    }
    ok = 1;
    for (int i = 0; i < made; i++) {
        void *rr;
        pthread_join(adders[i], &rr);
        ok &= rr == &efd;
    }
    check(made == NT && ok && total == (uint64_t)NT * 100, "eventfd: 32 threads x 100 writes of 1, polled, sum 3200");

    /* a thread blocked in select on the eventfd, woken by our write */
    pthread_create(&th, NULL, select_on_efd, NULL);
    sleep_ms(20);
    v = 5;
    check(write(efd, &v, 8) == 8, "eventfd: write 5");
    r = NULL;
    pthread_join(th, &r);
    check((intptr_t)r == 5, "eventfd: a thread blocked in select wakes and reads 5");
    close(efd);
}

/* ================= dup, dup2, fcntl on pipes ================= */

static void test_fds(void)
{
    int p[2], q[2];
    char c;
    check(pipe(p) == 0, "pipe for fcntl");
    check((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY && (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY,
          "fcntl F_GETFL: the read end is O_RDONLY, the write end O_WRONLY");
    check(fcntl(p[0], F_SETFD, FD_CLOEXEC) == 0, "F_SETFD FD_CLOEXEC");
    int d = dup(p[0]);
    check(d >= 0 && fcntl(d, F_GETFD) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC,
          "dup: the copy does not inherit FD_CLOEXEC (a descriptor flag)");
    check(fcntl(d, F_SETFL, O_NONBLOCK) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK),
          "F_SETFL O_NONBLOCK on the copy shows on the original (one open file)");
    errno = 0;
    check(read(p[0], &c, 1) == -1 && errno == EAGAIN, "so a read on the original gives EAGAIN");
    check(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(d, F_GETFL) & O_NONBLOCK), "F_SETFL 0 clears O_NONBLOCK for both");
    struct late_writer w = { p[1], 30, 0 };
    pthread_t th;
    int64_t t0 = mono_ns();
    pthread_create(&th, NULL, write_late, &w);
    check(read(d, &c, 1) == 1 && mono_ns() - t0 >= 25000000, "a blocking read again: waits for the writer thread");
    pthread_join(th, NULL);

    int hi = fcntl(p[1], F_DUPFD, 100);
    check(hi >= 100, "F_DUPFD 100: a descriptor at or above 100");
    check(fcntl(p[1], F_DUPFD, 100) == hi + 1, "F_DUPFD again: the next free one");
    close(hi + 1);

    /* dup2 onto an open descriptor closes what it held */
    check(pipe(q) == 0, "a second pipe");
    close(p[1]);                       /* hi is now p's only writer */
    check(dup2(q[1], hi) == hi, "dup2 the second pipe's write end over p's last writer");
    check(read(p[0], &c, 1) == 0, "p's readers see end of file: dup2 closed its last writer");
    check(write(hi, "z", 1) == 1 && read(q[0], &c, 1) == 1 && c == 'z', "writes through the new descriptor reach q");
    errno = 0;
    check(dup2(q[1], -1) == -1 && errno == EBADF, "dup2 to -1: EBADF");
    errno = 0;
    check(fcntl(hi + 50, F_GETFL) == -1 && errno == EBADF, "fcntl on a closed descriptor: EBADF");
    close(hi); close(d); close(p[0]); close(q[0]); close(q[1]);
}

/* ================= processes, arguments ================= */

static void test_process(int argc)
{
    const char *e = getenv("FB_CONFORMANCE");
    check(argc == 2 && e && strcmp(e, "1") == 0, "argv has the data directory, the environment FB_CONFORMANCE=1");
    check(getpid() > 0 && gettid() == getpid(), "the main thread's tid is the pid");
    if (!on_freebeam)
        return;
    fflush(stdout);
    errno = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    check(pid == -1 && errno == ENOSYS, "freebeam: fork gives ENOSYS");
    pid_t sp;
    char *args[] = { "true", NULL };
    int r = posix_spawn(&sp, "/bin/true", NULL, NULL, args, environ);
    check(r != 0, "freebeam: posix_spawn fails cleanly (no processes)");
    errno = 0;
    check(waitpid(-1, NULL, WNOHANG) == -1 && errno == ENOSYS, "freebeam: waitpid gives ENOSYS");
}

int main(int argc, char **argv)
{
    struct utsname u;
    if (uname(&u) == 0 && strstr(u.release, "freebeam"))
        on_freebeam = 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    data_dir = argc > 1 ? argv[1] : "/";
    printf("conformance: on %s, data in %s\n", on_freebeam ? "freebeam" : "Linux", data_dir);
    test_process(argc);
    test_mutexes();
    test_conditions();
    test_rwlock_barrier_once();
    test_join_detach();
    test_tls();
    test_memory();
    test_time();
    test_cputime();
    test_archive();
    test_tmp();
    test_pipes_threads();
    test_fds();
    return check_report();
}
