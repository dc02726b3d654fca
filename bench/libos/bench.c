/*
 * bench.c - the cost of four POSIX operations in guest instructions, the
 * same source built twice (bench/libos/README.md):
 *   - for freebeam, against our musl and libos (bench/libos.mk, with
 *     -DBENCH_FREEBEAM): a PD of the image bench/libos/bench-libos.config;
 *   - for Linux, static against the cross toolchain's glibc: /init of a
 *     minimal initramfs on Debian's armhf kernel (bench/libos/linux.sh).
 *
 * Method: both run under QEMU's `-icount shift=0,sleep=off`, where guest
 * time advances exactly one ns per instruction as long as the guest never
 * idles (docs/internals.md note 28).  Every loop below keeps a thread
 * runnable at all times (the two-thread loops hand over immediately), so
 * a CLOCK_MONOTONIC delta over a loop is the number of instructions that
 * the loop cost, kernel and every thread included.  From it we subtract
 * an empty loop of the same shape and divide by the iterations.
 *
 * A two-thread loop is timed only after TWARMUP round trips of its fresh
 * thread pair: on Linux the first few thousand handoffs after
 * pthread_create are cheaper (the scheduler's placement of a new thread),
 * and without this warm-up the figure grew with the iteration count (7%
 * from 4,000 to 64,000 round trips); with it, it is flat to 0.1%.
 *
 * Each figure is measured at N and at 2N iterations; the 2N one is printed,
 * and a `check` line on stderr gives both (they must agree within 1%).  On
 * freebeam the PD may also read PMU counter 0 (instructions since boot): a
 * second `check` line gives each figure by that count, which must agree
 * with the clock.
 *
 * Output, one line per figure (`*_linux_insns` in the Linux build):
 *   getpid_insns=N               one getpid() call
 *   clock_gettime_insns=N        one clock_gettime(CLOCK_MONOTONIC) call
 *   futex_wake_to_wait_insns=N   one one-way futex handoff between two
 *                                threads (half a round trip A->B->A)
 *   pipe_pingpong_rtt_insns=N    one round trip of a 1-byte message over
 *                                two pipes between two threads
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#ifndef BENCH_FREEBEAM
#include <sys/reboot.h>
#endif

#ifdef BENCH_FREEBEAM
#define SUFFIX "_insns"
#else
#define SUFFIX "_linux_insns"
#endif

/* <linux/futex.h> is not in our sysroot: the three numbers we need. */
#define BENCH_FUTEX_WAIT    0
#define BENCH_FUTEX_WAKE    1
#define BENCH_FUTEX_PRIVATE 128

/* Iterations at the smaller size (the figure is taken at twice this). */
#ifndef N_GETPID
#define N_GETPID 20000u
#define N_CLOCK  40000u
#define N_FUTEX  4000u
#define N_PIPE   4000u
#endif
#define WARMUP   200u
#ifndef TWARMUP
#define TWARMUP  4000u  /* round trips before a two-thread loop is timed */
#endif
#ifndef SIZES
#define SIZES 2     /* n, 2n (, 4n, ...): the last one is the figure */
#endif

static volatile long sink;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* PMU counter 0: instructions since boot (freebeam's kernel starts it on
 * event 0x08 and lets PL0 read it).  Linux does not let PL0 read the PMU,
 * so the Linux build has no second opinion. */
static uint32_t pmu_insns(void)
{
#ifdef BENCH_FREEBEAM
    uint32_t v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 2"
                     : "=r"(v) : "r"(0) : "memory");
    return v;
#else
    return 0;
#endif
}

/* One measurement: guest ns (= instructions) and PMU instructions. */
struct span {
    uint64_t ns;
    uint32_t pmu;
};

static struct span mark(void)
{
    struct span s;
    s.ns = now_ns();
    s.pmu = pmu_insns();
    return s;
}

static struct span since(struct span a)
{
    struct span b = mark();
    b.ns -= a.ns;
    b.pmu -= a.pmu;
    return b;
}

static void die(const char *what)
{
    printf("bench: FAIL %s (errno %d)\n", what, errno);
    fflush(stdout);
    exit(1);
}

/* ---- the loops; each returns its span over n iterations ---- */

static struct span loop_empty(unsigned n)
{
    struct span t = mark();
    for (unsigned i = 0; i < n; i++) {
        __asm__ volatile("" ::: "memory");
        sink = (long)i;
    }
    return since(t);
}

static struct span loop_getpid(unsigned n)
{
    struct span t = mark();
    for (unsigned i = 0; i < n; i++) {
        __asm__ volatile("" ::: "memory");
        sink = (long)getpid();
    }
    return since(t);
}

static struct span loop_clock(unsigned n)
{
    struct timespec ts;
    struct span t = mark();
    for (unsigned i = 0; i < n; i++) {
        __asm__ volatile("" ::: "memory");
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sink = ts.tv_nsec;
    }
    return since(t);
}

/* ---- futex handoff ----
 * One word: 1 = B's turn, 0 = A's turn.  A: set 1, wake B, wait while 1.
 * B: wait while 0, set 0, wake A.  On one CPU each round trip is two
 * handoffs; whether a wake finds a sleeper or the woken thread runs at
 * once depends on each kernel's scheduler, and is part of the cost. */

static int fword;
static unsigned f_iters;

static long futex(int *w, int op, int val)
{
    return syscall(SYS_futex, w, op | BENCH_FUTEX_PRIVATE, val, NULL, NULL, 0);
}

static void *futex_b(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < f_iters; i++) {
        while (__atomic_load_n(&fword, __ATOMIC_ACQUIRE) == 0)
            futex(&fword, BENCH_FUTEX_WAIT, 0);
        __atomic_store_n(&fword, 0, __ATOMIC_RELEASE);
        futex(&fword, BENCH_FUTEX_WAKE, 1);
    }
    return NULL;
}

static void futex_a_rounds(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        __atomic_store_n(&fword, 1, __ATOMIC_RELEASE);
        futex(&fword, BENCH_FUTEX_WAKE, 1);
        while (__atomic_load_n(&fword, __ATOMIC_ACQUIRE) == 1)
            futex(&fword, BENCH_FUTEX_WAIT, 1);
    }
}

static struct span loop_futex(unsigned n)
{
    pthread_t b;
    fword = 0;
    f_iters = TWARMUP + n;
    if (pthread_create(&b, NULL, futex_b, NULL) != 0)
        die("pthread_create (futex)");
    futex_a_rounds(TWARMUP);
    struct span t = mark();
    futex_a_rounds(n);
    struct span d = since(t);
    pthread_join(b, NULL);
    return d;
}

/* The same memory traffic as one round trip of both threads, no calls. */
static struct span loop_futex_empty(unsigned n)
{
    struct span t = mark();
    for (unsigned i = 0; i < n; i++) {
        __atomic_store_n(&fword, 1, __ATOMIC_RELEASE);
        while (__atomic_load_n(&fword, __ATOMIC_ACQUIRE) == 0)
            ;
        __atomic_store_n(&fword, 0, __ATOMIC_RELEASE);
        while (__atomic_load_n(&fword, __ATOMIC_ACQUIRE) == 1)
            ;
    }
    return since(t);
}

/* ---- pipe ping-pong ----
 * A writes one byte to p1 and reads one from p2; B reads p1, writes p2. */

static int p1[2], p2[2];
static unsigned p_iters;

static void *pipe_b(void *arg)
{
    (void)arg;
    char c;
    for (unsigned i = 0; i < p_iters; i++) {
        if (read(p1[0], &c, 1) != 1)
            die("read (pipe, B)");
        if (write(p2[1], &c, 1) != 1)
            die("write (pipe, B)");
    }
    return NULL;
}

static void pipe_a_rounds(unsigned n)
{
    char c = 'x';
    for (unsigned i = 0; i < n; i++) {
        if (write(p1[1], &c, 1) != 1)
            die("write (pipe, A)");
        if (read(p2[0], &c, 1) != 1)
            die("read (pipe, A)");
    }
}

static struct span loop_pipe(unsigned n)
{
    pthread_t b;
    p_iters = TWARMUP + n;
    if (pthread_create(&b, NULL, pipe_b, NULL) != 0)
        die("pthread_create (pipe)");
    pipe_a_rounds(TWARMUP);
    struct span t = mark();
    pipe_a_rounds(n);
    struct span d = since(t);
    pthread_join(b, NULL);
    return d;
}

/* ---- figures ---- */

/* (loop - empty) / (iterations * per), rounded; negative clamps to 0. */
static uint64_t per_op(uint64_t loop, uint64_t empty, unsigned n, unsigned per)
{
    uint64_t d = loop > empty ? loop - empty : 0;
    uint64_t q = (uint64_t)n * per;
    return (d + q / 2) / q;
}

/* Measures at n and 2n, prints the 2n figure and the checks. */
static void figure(const char *name, struct span (*loop)(unsigned),
                   struct span (*empty)(unsigned), unsigned n, unsigned per)
{
    uint64_t f[SIZES], p[SIZES];
    for (int k = 0; k < SIZES; k++) {
        unsigned it = n << k;
        empty(WARMUP);
        struct span e = empty(it);
        loop(WARMUP);
        struct span l = loop(it);
        f[k] = per_op(l.ns, e.ns, it, per);
        p[k] = per_op(l.pmu, e.pmu, it, per);
    }
    uint64_t last = f[SIZES - 1], lo = last, hi = last;
    fprintf(stderr, "check %s:", name);
    for (int k = 0; k < SIZES; k++) {
        fprintf(stderr, " %uit=%llu", n << k, (unsigned long long)f[k]);
        lo = f[k] < lo ? f[k] : lo;
        hi = f[k] > hi ? f[k] : hi;
    }
    uint64_t bp = (hi - lo) * 10000 / (last ? last : 1);   /* basis points */
    fprintf(stderr, " spread=%llu.%02llu%%\n", (unsigned long long)(bp / 100),
            (unsigned long long)(bp % 100));
#ifdef BENCH_FREEBEAM
    fprintf(stderr, "check %s: clock=%llu pmu=%llu\n", name, (unsigned long long)last,
            (unsigned long long)p[SIZES - 1]);
#else
    (void)p;
#endif
    printf("%s" SUFFIX "=%llu\n", name, (unsigned long long)last);
    fflush(stdout);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    figure("getpid", loop_getpid, loop_empty, N_GETPID, 1);
    figure("clock_gettime", loop_clock, loop_empty, N_CLOCK, 1);
    figure("futex_wake_to_wait", loop_futex, loop_futex_empty, N_FUTEX, 2);
    if (pipe(p1) == 0 && pipe(p2) == 0)
        figure("pipe_pingpong_rtt", loop_pipe, loop_empty, N_PIPE, 1);
    else if (errno == ENOSYS)
        printf("pipe_pingpong_rtt" SUFFIX "=unavailable (libos has no pipes yet)\n");
    else
        die("pipe");
    printf("bench: done\n");
    fflush(stdout);
    fflush(stderr);
#ifndef BENCH_FREEBEAM
    sync();
    reboot(RB_POWER_OFF);
#endif
    return 0;
}
