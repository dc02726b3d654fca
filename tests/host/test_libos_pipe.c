/*
 * test_libos_pipe.c - host unit tests of libos's pipes and eventfds
 * (libos/pipe.c, libos/eventfd.c): the ring buffer against a reference
 * model, Linux's pipe rules (partial reads, PIPE_BUF atomicity, EAGAIN,
 * EPIPE, EOF, POLLHUP/POLLERR), that every state change is announced on
 * file.h's change counter, that a blocked call wakes when another thread
 * acts (real pthreads), a 1 MiB transfer between two threads, and eventfd's
 * counter semantics.
 *
 * The libos sources are included as they are; what they need from the rest
 * of libos (file.h's descriptor table, change counter and pages, the lock,
 * the clock, libos_user_ok) is simulated below with host threads and
 * memory.  tests/host/test_libos_poll.c reuses these simulations: it
 * defines LIBOS_PIPE_TEST_STUBS_ONLY and includes this file.
 */
#define _GNU_SOURCE
#define LIBOS_HOST_TEST 1
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "../../libos/file.h"

/* ---- the simulated rest of libos ---- */

uint32_t libos_main_tid = 1;

void libos_lock(struct libos_lock *l)
{
    while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

void libos_unlock(struct libos_lock *l)
{
    __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/* The counter runs at 1 GHz: ticks are monotonic nanoseconds. */
uint64_t libos_ticks(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

uint32_t libos_freq(void)
{
    return 1000000000u;
}

uint64_t libos_ticks_to_ns(uint64_t ticks)
{
    return ticks;
}

uint64_t libos_realtime_base_ns(void)
{
    return 1577836800ull * 1000000000ull;
}

/* Addresses below 4096 are "unmapped". */
bool libos_user_ok(const void *p, size_t len, int write)
{
    (void)len;
    (void)write;
    return (uintptr_t)p >= 4096;
}

static long pages_out;          /* page allocations not yet freed */

void *libos_pages_alloc(size_t len)
{
    void *p = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
    if (p) {
        memset(p, 0, len);
        __atomic_fetch_add(&pages_out, 1, __ATOMIC_SEQ_CST);
    }
    return p;
}

void libos_pages_free(void *p, size_t len)
{
    (void)len;
    if (p)
        __atomic_fetch_sub(&pages_out, 1, __ATOMIC_SEQ_CST);
    free(p);
}

#define SIM_FDS 256
static struct file *sim_fds[SIM_FDS];
static int sim_cloexec[SIM_FDS];
static pthread_mutex_t sim_mu = PTHREAD_MUTEX_INITIALIZER;
static int sim_files_live;
static int sim_fail_after = -1;  /* >= 0: that many libos_file_new succeed, the next fails */

struct file *libos_file_new(const struct file_ops *ops, int flags, void *priv)
{
    if (sim_fail_after >= 0 && sim_fail_after-- == 0)
        return NULL;
    struct file *f = calloc(1, sizeof *f);
    f->ops = ops;
    f->refs = 1;
    f->flags = flags;
    f->priv = priv;
    __atomic_fetch_add(&sim_files_live, 1, __ATOMIC_SEQ_CST);
    return f;
}

int libos_fd_install(struct file *f, int min_fd, int cloexec)
{
    pthread_mutex_lock(&sim_mu);
    for (int fd = min_fd; fd < SIM_FDS; fd++) {
        if (!sim_fds[fd]) {
            sim_fds[fd] = f;
            sim_cloexec[fd] = cloexec;
            pthread_mutex_unlock(&sim_mu);
            return fd;
        }
    }
    pthread_mutex_unlock(&sim_mu);
    return -EMFILE;
}

struct file *libos_fd_get(int fd)
{
    if (fd < 0 || fd >= SIM_FDS)
        return NULL;
    pthread_mutex_lock(&sim_mu);
    struct file *f = sim_fds[fd];
    if (f)
        f->refs++;
    pthread_mutex_unlock(&sim_mu);
    return f;
}

void libos_file_put(struct file *f)
{
    pthread_mutex_lock(&sim_mu);
    uint32_t left = --f->refs;
    pthread_mutex_unlock(&sim_mu);
    if (left == 0) {
        if (f->ops->release)
            f->ops->release(f);
        free(f);
        __atomic_fetch_sub(&sim_files_live, 1, __ATOMIC_SEQ_CST);
    }
}

int libos_fd_close(int fd)
{
    if (fd < 0 || fd >= SIM_FDS)
        return -EBADF;
    pthread_mutex_lock(&sim_mu);
    struct file *f = sim_fds[fd];
    sim_fds[fd] = NULL;
    pthread_mutex_unlock(&sim_mu);
    if (!f)
        return -EBADF;
    libos_file_put(f);
    return 0;
}

/* The change counter, over a condition variable on the monotonic clock. */
static pthread_mutex_t chg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t chg_cv;
static uint32_t chg_seq;
static unsigned wait_calls;

static void sim_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&chg_cv, &a);
}

uint32_t libos_change_seq(void)
{
    pthread_mutex_lock(&chg_mu);
    uint32_t v = chg_seq;
    pthread_mutex_unlock(&chg_mu);
    return v;
}

void libos_file_changed(void)
{
    pthread_mutex_lock(&chg_mu);
    chg_seq++;
    pthread_cond_broadcast(&chg_cv);
    pthread_mutex_unlock(&chg_mu);
}

long libos_wait_change(uint32_t seen, uint64_t deadline)
{
    pthread_mutex_lock(&chg_mu);
    wait_calls++;
    while (chg_seq == seen) {
        if (!deadline) {
            pthread_cond_wait(&chg_cv, &chg_mu);
            continue;
        }
        if (libos_ticks() >= deadline) {
            pthread_mutex_unlock(&chg_mu);
            return -ETIMEDOUT;
        }
        struct timespec t = { (time_t)(deadline / 1000000000ull), (long)(deadline % 1000000000ull) };
        pthread_cond_timedwait(&chg_cv, &chg_mu, &t);
    }
    pthread_mutex_unlock(&chg_mu);
    return 0;
}

__attribute__((unused)) static void sleep_ms(int ms)
{
    struct timespec t = { 0, (long)ms * 1000000 };
    nanosleep(&t, NULL);
}

/* Read/write/poll an fd through its ops, as sys_file.c does. */
__attribute__((unused)) static long fd_read(int fd, void *buf, size_t len)
{
    struct file *f = libos_fd_get(fd);
    if (!f)
        return -EBADF;
    long r = f->ops->read(f, buf, len);
    libos_file_put(f);
    return r;
}

__attribute__((unused)) static long fd_write(int fd, const void *buf, size_t len)
{
    struct file *f = libos_fd_get(fd);
    if (!f)
        return -EBADF;
    long r = f->ops->write(f, buf, len);
    libos_file_put(f);
    return r;
}

__attribute__((unused)) static unsigned fd_poll(int fd)
{
    struct file *f = libos_fd_get(fd);
    unsigned m = f->ops->poll(f);
    libos_file_put(f);
    return m;
}

__attribute__((unused)) static void fd_set_nonblock(int fd, int on)
{
    struct file *f = libos_fd_get(fd);
    f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
    libos_file_put(f);
}

#include "../../libos/pipe.c"
#include "../../libos/eventfd.c"

#ifndef LIBOS_PIPE_TEST_STUBS_ONLY

/* ---- the ring against a reference model ---- */

static void test_ring(void)
{
    static unsigned char mem[PIPE_RING_SIZE], model[1 << 20], out[70000], in[70000];
    struct pipe_ring r = { 0, 0, mem };
    CHECK(pipe_ring_used(&r) == 0 && pipe_ring_space(&r) == PIPE_RING_SIZE);
    unsigned char big[PIPE_RING_SIZE + 10];
    memset(big, 1, sizeof big);
    CHECK(pipe_ring_put(&r, big, sizeof big) == PIPE_RING_SIZE);    /* only what fits */
    CHECK(pipe_ring_space(&r) == 0 && pipe_ring_put(&r, big, 1) == 0);
    CHECK(pipe_ring_get(&r, out, 70000) == PIPE_RING_SIZE);
    CHECK(pipe_ring_get(&r, out, 1) == 0);

    /* Random sizes; the counters start near 2^32 so they wrap too. */
    r.head = r.tail = 0xffff0000u;
    size_t mw = 0, mr = 0;
    uint32_t seed = 1;
    int ok = 1;
    for (int i = 0; i < 5000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 8) % 9000;
        if (seed & 0x10000) {
            for (size_t k = 0; k < n; k++)
                in[k] = (unsigned char)((mw + k) * 13 + 5);
            size_t put = pipe_ring_put(&r, in, n);
            size_t want = n < PIPE_RING_SIZE - (mw - mr) ? n : PIPE_RING_SIZE - (mw - mr);
            ok &= put == want;
            for (size_t k = 0; k < put; k++)
                model[(mw + k) % sizeof model] = in[k];
            mw += put;
        } else {
            size_t got = pipe_ring_get(&r, out, n);
            ok &= got == (n < mw - mr ? n : mw - mr);
            for (size_t k = 0; k < got; k++)
                ok &= out[k] == model[(mr + k) % sizeof model];
            mr += got;
        }
        ok &= pipe_ring_used(&r) == mw - mr;
    }
    CHECK(ok);
    CHECK(mw > 1000000);        /* the test went round many times */
}

/* ---- pipes through their file ops ---- */

static void test_pipe_rules(void)
{
    int fds[2];
    long pages0 = pages_out;
    CHECK(sys_pipe2((long)fds, O_NONBLOCK | O_CLOEXEC, 0, 0, 0, 0) == 0);
    CHECK(fds[0] != fds[1] && sim_cloexec[fds[0]] && sim_cloexec[fds[1]]);
    CHECK(pages_out == pages0 + 1);
    char buf[8192];

    uint32_t s0 = libos_change_seq();
    CHECK(fd_read(fds[0], buf, 10) == -EAGAIN);
    CHECK(libos_change_seq() == s0);            /* EAGAIN changes nothing */
    CHECK(fd_poll(fds[0]) == 0);
    CHECK(fd_poll(fds[1]) == POLLOUT);
    CHECK(fd_write(fds[1], "abc", 3) == 3);
    CHECK(libos_change_seq() != s0);            /* data in: announced */
    CHECK(fd_poll(fds[0]) == POLLIN);
    uint32_t s1 = libos_change_seq();
    CHECK(fd_read(fds[0], buf, 100) == 3 && memcmp(buf, "abc", 3) == 0);
    CHECK(libos_change_seq() != s1);            /* space freed: announced */
    CHECK(fd_write(fds[1], buf, 0) == 0 && fd_read(fds[0], buf, 0) == 0);

    /* Wrong end, bad pointers. */
    CHECK(fd_write(fds[0], "x", 1) == -EBADF);
    CHECK(fd_read(fds[1], buf, 1) == -EBADF);
    CHECK(fd_write(fds[1], (void *)16, 1) == -EFAULT);
    CHECK(fd_read(fds[0], (void *)16, 1) == -EFAULT);

    /* FIONREAD and fstat. */
    CHECK(fd_write(fds[1], "12345", 5) == 5);
    int avail = -1;
    struct file *rf = libos_fd_get(fds[0]);
    CHECK(rf->ops->ioctl(rf, FIONREAD, (unsigned long)&avail) == 0 && avail == 5);
    CHECK(rf->ops->ioctl(rf, 0x5401, 0) == -ENOTTY);
    struct libos_stat st;
    CHECK(rf->ops->fstat(rf, &st) == 0 && S_ISFIFO(st.mode) && st.ino != 0);
    libos_file_put(rf);
    CHECK(fd_read(fds[0], buf, sizeof buf) == 5);

    /* Fill: 64 KiB in 4 KiB writes. */
    memset(buf, 'f', sizeof buf);
    long total = 0, r;
    while ((r = fd_write(fds[1], buf, 4096)) > 0)
        total += r;
    CHECK(r == -EAGAIN && total == 65536);
    CHECK(fd_poll(fds[1]) == 0);
    /* 100 bytes free: a PIPE_BUF-sized write is atomic (EAGAIN), a larger
     * one is not (partial), a small one that fits goes in. */
    CHECK(fd_read(fds[0], buf, 100) == 100);
    CHECK(fd_poll(fds[1]) == 0);                /* less than PIPE_BUF free */
    CHECK(fd_write(fds[1], buf, 200) == -EAGAIN);
    CHECK(fd_write(fds[1], buf, 4096) == -EAGAIN);
    CHECK(fd_write(fds[1], buf, 5000) == 100);
    CHECK(fd_write(fds[1], buf, 1) == -EAGAIN);
    CHECK(fd_read(fds[0], buf, 4096) == 4096);
    CHECK(fd_poll(fds[1]) == POLLOUT);
    CHECK(fd_write(fds[1], buf, 4096) == 4096);
    /* Drain. */
    while (fd_read(fds[0], buf, sizeof buf) > 0)
        ;
    /* Writer closes: data first, then EOF; POLLHUP. */
    CHECK(fd_write(fds[1], "zz", 2) == 2);
    uint32_t s2 = libos_change_seq();
    CHECK(libos_fd_close(fds[1]) == 0);
    CHECK(libos_change_seq() != s2);            /* the close is announced */
    CHECK(fd_poll(fds[0]) == (POLLIN | POLLHUP));
    CHECK(fd_read(fds[0], buf, 10) == 2);
    CHECK(fd_read(fds[0], buf, 10) == 0);
    CHECK(fd_poll(fds[0]) == POLLHUP);
    CHECK(pages_out == pages0 + 1);
    CHECK(libos_fd_close(fds[0]) == 0);
    CHECK(pages_out == pages0);                 /* both ends gone: pages freed */

    /* Reader closes: EPIPE and POLLERR. */
    CHECK(sys_pipe((long)fds, 0, 0, 0, 0, 0) == 0);
    CHECK(!sim_cloexec[fds[0]]);
    libos_fd_close(fds[0]);
    CHECK(fd_poll(fds[1]) == (POLLOUT | POLLERR));
    CHECK(fd_write(fds[1], "x", 1) == -EPIPE);
    libos_fd_close(fds[1]);
    CHECK(pages_out == pages0);

    /* Bad flags and pointers; a failure half-way leaks nothing. */
    CHECK(sys_pipe2((long)fds, O_DIRECT, 0, 0, 0, 0) == -EINVAL);
    CHECK(sys_pipe2(16, 0, 0, 0, 0, 0) == -EFAULT);
    int live0 = sim_files_live;
    sim_fail_after = 0;                         /* the read end's file fails */
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == -ENFILE);
    CHECK(pages_out == pages0 && sim_files_live == live0);
    sim_fail_after = 1;                         /* the write end's file fails */
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == -ENFILE);
    CHECK(pages_out == pages0 && sim_files_live == live0);
    sim_fail_after = -1;
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    libos_fd_close(fds[0]);
    libos_fd_close(fds[1]);
    CHECK(pages_out == pages0 && sim_files_live == live0);
}

/* ---- blocking across threads ---- */

struct act {
    int fd;
    int delay_ms;
    int what;           /* 0 write "wake", 1 close, 2 read 8192, 3 write (uint64_t)5 */
    long result;
};

static void *actor(void *arg)
{
    struct act *a = arg;
    static char sink[8192];
    sleep_ms(a->delay_ms);
    if (a->what == 0)
        a->result = fd_write(a->fd, "wake", 4);
    else if (a->what == 1)
        a->result = libos_fd_close(a->fd);
    else if (a->what == 2)
        a->result = fd_read(a->fd, sink, sizeof sink);
    else
        a->result = fd_write(a->fd, &(uint64_t){ 5 }, 8);
    return NULL;
}

static void test_pipe_blocking(void)
{
    int fds[2];
    char buf[100];
    pthread_t th;
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);

    struct act w = { fds[1], 30, 0, 0 };
    uint64_t t0 = libos_ticks();
    pthread_create(&th, NULL, actor, &w);
    CHECK(fd_read(fds[0], buf, sizeof buf) == 4 && memcmp(buf, "wake", 4) == 0);
    CHECK(libos_ticks() - t0 >= 25000000);
    pthread_join(th, NULL);

    /* A blocked write on a full pipe completes after a read. */
    static char fill[65536];
    fd_set_nonblock(fds[1], 1);
    CHECK(fd_write(fds[1], fill, sizeof fill) == 65536);
    fd_set_nonblock(fds[1], 0);
    struct act rd = { fds[0], 30, 2, 0 };
    t0 = libos_ticks();
    pthread_create(&th, NULL, actor, &rd);
    CHECK(fd_write(fds[1], fill, 4096) == 4096);
    CHECK(libos_ticks() - t0 >= 25000000);
    pthread_join(th, NULL);
    CHECK(rd.result == 8192);
    fd_set_nonblock(fds[0], 1);
    while (fd_read(fds[0], fill, sizeof fill) > 0)
        ;
    fd_set_nonblock(fds[0], 0);

    /* A blocked read gets EOF when the writer closes. */
    struct act c = { fds[1], 30, 1, 0 };
    pthread_create(&th, NULL, actor, &c);
    CHECK(fd_read(fds[0], buf, sizeof buf) == 0);
    pthread_join(th, NULL);
    CHECK(c.result == 0);
    libos_fd_close(fds[0]);

    /* A blocked write gets EPIPE when the reader closes, or the count it
     * wrote before. */
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    fd_set_nonblock(fds[1], 1);
    CHECK(fd_write(fds[1], fill, 65000) == 65000);
    fd_set_nonblock(fds[1], 0);
    struct act cr = { fds[0], 30, 1, 0 };
    pthread_create(&th, NULL, actor, &cr);
    CHECK(fd_write(fds[1], fill, 4000) == -EPIPE);     /* atomic: nothing went in */
    pthread_join(th, NULL);
    libos_fd_close(fds[1]);

    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    fd_set_nonblock(fds[1], 1);
    CHECK(fd_write(fds[1], fill, 65000) == 65000);
    fd_set_nonblock(fds[1], 0);
    struct act cr2 = { fds[0], 30, 1, 0 };
    pthread_create(&th, NULL, actor, &cr2);
    CHECK(fd_write(fds[1], fill, 9000) == 536);        /* not atomic: what fit */
    pthread_join(th, NULL);
    libos_fd_close(fds[1]);
}

#define XFER (1u << 20)

struct xfer {
    int fd;
    uint32_t sum;
};

static uint32_t fnv(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

static void *xfer_writer(void *arg)
{
    struct xfer *x = arg;
    static unsigned char chunk[10000];
    uint32_t seed = 7, h = 2166136261u;
    size_t sent = 0;
    while (sent < XFER) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 8) % sizeof chunk;
        if (n > XFER - sent)
            n = XFER - sent;
        for (size_t i = 0; i < n; i++) {
            chunk[i] = (unsigned char)(seed >> (i % 24));
            h = fnv(h, chunk[i]);
        }
        if (fd_write(x->fd, chunk, n) != (long)n)     /* blocking: all of it */
            break;
        sent += n;
    }
    x->sum = h;
    libos_fd_close(x->fd);
    return NULL;
}

static void test_transfer(void)
{
    int fds[2];
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    struct xfer x = { fds[1], 0 };
    pthread_t th;
    pthread_create(&th, NULL, xfer_writer, &x);
    static unsigned char buf[6000];
    uint32_t h = 2166136261u;
    size_t got = 0;
    long n;
    for (unsigned i = 1; (n = fd_read(fds[0], buf, 1 + i * 331 % sizeof buf)) > 0; i++) {
        for (long k = 0; k < n; k++)
            h = fnv(h, buf[k]);
        got += (size_t)n;
    }
    pthread_join(th, NULL);
    CHECK(n == 0);
    CHECK(got == XFER);
    CHECK(h == x.sum);
    libos_fd_close(fds[0]);
}

/* ---- eventfd ---- */

static void test_efd_counter(void)
{
    struct efd e = { 0, false, true, 1 };
    uint64_t v = 99;
    CHECK(efd_take(&e, &v) == -EAGAIN && v == 99);
    CHECK(efd_ready(&e) == POLLOUT);
    CHECK(efd_add(&e, 5) == 0 && efd_add(&e, 0) == 0 && efd_add(&e, 7) == 0);
    CHECK(efd_ready(&e) == (POLLIN | POLLOUT));
    CHECK(efd_take(&e, &v) == 0 && v == 12 && e.count == 0);
    CHECK(efd_add(&e, UINT64_MAX) == -EINVAL);
    CHECK(efd_add(&e, EFD_MAXCOUNT) == 0);
    CHECK(efd_ready(&e) == POLLIN);
    CHECK(efd_add(&e, 1) == -EAGAIN && e.count == EFD_MAXCOUNT);
    CHECK(efd_add(&e, 0) == 0);
    e.semaphore = true;
    CHECK(efd_take(&e, &v) == 0 && v == 1 && e.count == EFD_MAXCOUNT - 1);
    CHECK(efd_add(&e, 1) == 0 && efd_add(&e, 1) == -EAGAIN);
}

static void test_eventfd(void)
{
    uint64_t v;
    int fd = (int)sys_eventfd2(3, EFD_NONBLOCK | EFD_CLOEXEC, 0, 0, 0, 0);
    CHECK(fd >= 0 && sim_cloexec[fd]);
    CHECK(fd_read(fd, &v, 4) == -EINVAL);
    CHECK(fd_write(fd, &v, 7) == -EINVAL);
    CHECK(fd_read(fd, (void *)8, 8) == -EFAULT);
    CHECK(fd_read(fd, &v, 16) == 8 && v == 3);
    CHECK(fd_read(fd, &v, 8) == -EAGAIN);
    v = UINT64_MAX;
    CHECK(fd_write(fd, &v, 8) == -EINVAL);
    v = EFD_MAXCOUNT;
    CHECK(fd_write(fd, &v, 8) == 8);
    v = 1;
    CHECK(fd_write(fd, &v, 8) == -EAGAIN);
    CHECK(fd_poll(fd) == POLLIN);
    struct file *f = libos_fd_get(fd);
    struct libos_stat st;
    CHECK(f->ops->fstat(f, &st) == 0 && st.mode == 0600);
    libos_file_put(f);
    libos_fd_close(fd);

    CHECK(sys_eventfd2(0, 0x40000000, 0, 0, 0, 0) == -EINVAL);
    fd = (int)sys_eventfd2(2, EFD_SEMAPHORE, 0, 0, 0, 0);
    CHECK(fd >= 0 && !sim_cloexec[fd]);
    CHECK(fd_read(fd, &v, 8) == 8 && v == 1);
    CHECK(fd_read(fd, &v, 8) == 8 && v == 1);
    /* Blocked read, woken by another thread's write. */
    pthread_t th;
    struct act w = { fd, 30, 3, 0 };
    uint64_t t0 = libos_ticks();
    pthread_create(&th, NULL, actor, &w);
    CHECK(fd_read(fd, &v, 8) == 8 && v == 1);
    CHECK(libos_ticks() - t0 >= 25000000);
    pthread_join(th, NULL);
    CHECK(w.result == 8);
    CHECK(fd_read(fd, &v, 8) == 8 && v == 1);   /* one at a time: 3 left */
    libos_fd_close(fd);

    /* The table of eventfds: full gives ENFILE, a close frees a slot. */
    int all[LIBOS_MAX_EVENTFDS];
    int n = 0;
    long r;
    while (n < LIBOS_MAX_EVENTFDS && (r = sys_eventfd(0, 0, 0, 0, 0, 0)) >= 0)
        all[n++] = (int)r;
    CHECK(n == LIBOS_MAX_EVENTFDS);
    CHECK(sys_eventfd(0, 0, 0, 0, 0, 0) == -ENFILE);
    libos_fd_close(all[7]);
    r = sys_eventfd(0, 0, 0, 0, 0, 0);
    CHECK(r >= 0);
    all[7] = (int)r;
    for (int i = 0; i < n; i++)
        libos_fd_close(all[i]);
}

int main(void)
{
    sim_init();
    test_ring();
    test_pipe_rules();
    test_pipe_blocking();
    test_transfer();
    test_efd_counter();
    test_eventfd();
    CHECK(sim_files_live == 0);
    return check_report("test_libos_pipe");
}

#endif
