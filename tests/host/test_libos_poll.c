/*
 * test_libos_poll.c - host unit tests of libos's readiness calls
 * (libos/sys_poll.c): poll's revents (asked-for events, POLLHUP/POLLERR
 * always, POLLNVAL, negative fds), the default readiness of a kind without
 * a poll op, select's three sets and its EBADF, the timeouts (zero scans
 * once and never sleeps, a timeout lasts at least its length, the time
 * left is written back), both timespec layouts of ppoll and pselect6, a
 * waiter woken early by another thread's change, and that a call with
 * nothing to watch parks (select(0, NULL, NULL, NULL, NULL)) instead of
 * spinning on the change counter.
 *
 * The simulated rest of libos comes from test_libos_pipe.c (included with
 * LIBOS_PIPE_TEST_STUBS_ONLY), which also brings real pipes.
 */
#define LIBOS_PIPE_TEST_STUBS_ONLY 1
#include "test_libos_pipe.c"

/* park(): record the call; "for ever" returns at once here. */
static unsigned park_calls;
static uint64_t park_deadline;

static long park(uint64_t deadline)
{
    park_calls++;
    park_deadline = deadline;
    while (deadline && libos_ticks() < deadline)
        sleep_ms(1);
    return 0;
}

#include "../../libos/sys_poll.c"

/* ---- a toy kind whose readiness the test sets ---- */

static unsigned toy_mask;

static unsigned toy_poll(struct file *f)
{
    (void)f;
    return __atomic_load_n(&toy_mask, __ATOMIC_SEQ_CST);
}

static const struct file_ops toy_ops = { .poll = toy_poll };
static const struct file_ops plain_ops = { .release = NULL };   /* no poll op */

static int new_fd(const struct file_ops *ops, int flags)
{
    return libos_fd_install(libos_file_new(ops, flags, NULL), 0, 0);
}

static void set_toy(unsigned m)
{
    __atomic_store_n(&toy_mask, m, __ATOMIC_SEQ_CST);
    libos_file_changed();
}

struct later {
    int delay_ms;
    unsigned mask;
};

static void *toy_later(void *arg)
{
    struct later *l = arg;
    sleep_ms(l->delay_ms);
    set_toy(l->mask);
    return NULL;
}

static long xpoll(struct pollfd *p, unsigned long n, int ms)
{
    return sys_poll((long)p, (long)n, ms, 0, 0, 0);
}

static void test_poll_events(void)
{
    int toy = new_fd(&toy_ops, O_RDWR);
    int ro = new_fd(&plain_ops, O_RDONLY), wo = new_fd(&plain_ops, O_WRONLY),
        rw = new_fd(&plain_ops, O_RDWR);
    set_toy(POLLOUT);
    struct pollfd p[6] = {
        { toy, POLLIN, 0 }, { ro, POLLIN | POLLOUT, 0 }, { wo, POLLIN | POLLOUT, 0 },
        { rw, POLLIN | POLLOUT | POLLRDNORM, 0 }, { 200, POLLIN, 0 }, { -5, POLLIN, 99 },
    };
    unsigned w0 = wait_calls;
    CHECK(xpoll(p, 6, 0) == 4);
    CHECK(wait_calls == w0);                    /* zero timeout: no sleep */
    CHECK(p[0].revents == 0);                   /* ready for what was not asked */
    CHECK(p[1].revents == POLLIN);
    CHECK(p[2].revents == POLLOUT);
    CHECK(p[3].revents == (POLLIN | POLLOUT | POLLRDNORM));
    CHECK(p[4].revents == POLLNVAL);
    CHECK(p[5].revents == 0);                   /* negative fd: ignored, revents cleared */
    set_toy(POLLHUP | POLLERR);
    p[0].events = 0;
    CHECK(xpoll(p, 1, 0) == 1 && p[0].revents == (POLLHUP | POLLERR));   /* always reported */
    set_toy(POLLIN);
    p[0].events = POLLRDNORM;
    CHECK(xpoll(p, 1, 0) == 1 && p[0].revents == POLLRDNORM);           /* POLLIN brings RDNORM */
    CHECK(sys_poll(8, 1, 0, 0, 0, 0) == -EFAULT);
    CHECK(sys_poll((long)p, LIBOS_MAX_FDS + 1, 0, 0, 0, 0) == -EINVAL);
    libos_fd_close(ro);
    libos_fd_close(wo);
    libos_fd_close(rw);
    libos_fd_close(toy);
}

static void test_poll_timeouts(void)
{
    int toy = new_fd(&toy_ops, O_RDWR);
    set_toy(0);
    struct pollfd p = { toy, POLLIN, 0 };

    uint64_t t0 = libos_ticks();
    CHECK(xpoll(&p, 1, 50) == 0 && p.revents == 0);
    uint64_t dt = libos_ticks() - t0;
    CHECK(dt >= 50000000);
    CHECK(dt < 500000000);

    /* Woken early by another thread. */
    pthread_t th;
    struct later l = { 20, POLLIN };
    t0 = libos_ticks();
    pthread_create(&th, NULL, toy_later, &l);
    CHECK(xpoll(&p, 1, 5000) == 1 && p.revents == POLLIN);
    dt = libos_ticks() - t0;
    CHECK(dt >= 15000000 && dt < 2000000000);
    pthread_join(th, NULL);

    /* -1: for ever, until the change. */
    set_toy(0);
    l.delay_ms = 20;
    pthread_create(&th, NULL, toy_later, &l);
    CHECK(xpoll(&p, 1, -1) == 1);
    pthread_join(th, NULL);

    /* Changes that do not make the fd ready do not end the wait. */
    set_toy(0);
    struct later noise = { 10, POLLOUT };
    t0 = libos_ticks();
    pthread_create(&th, NULL, toy_later, &noise);
    CHECK(xpoll(&p, 1, 60) == 0);
    CHECK(libos_ticks() - t0 >= 60000000);
    pthread_join(th, NULL);

    /* ppoll: the 32-bit and the 64-bit timespec, the time left written back. */
    set_toy(0);
    struct ts32 t32 = { 0, 30000000 };
    t0 = libos_ticks();
    CHECK(sys_ppoll((long)&p, 1, (long)&t32, 0, 8, 0) == 0);
    CHECK(libos_ticks() - t0 >= 30000000);
    CHECK(t32.sec == 0 && t32.nsec == 0);
    struct ts64 t64 = { 0, 30000000 };
    t0 = libos_ticks();
    CHECK(sys_ppoll_time64((long)&p, 1, (long)&t64, 0, 8, 0) == 0);
    CHECK(libos_ticks() - t0 >= 30000000);
    t64.sec = 5;
    t64.nsec = 0;
    l.delay_ms = 20;
    l.mask = POLLIN;
    pthread_create(&th, NULL, toy_later, &l);
    CHECK(sys_ppoll_time64((long)&p, 1, (long)&t64, 0, 8, 0) == 1);
    CHECK(t64.sec == 4 || (t64.sec == 3 && t64.nsec > 0));      /* about 4.98 s left */
    pthread_join(th, NULL);
    t32.sec = 0;
    t32.nsec = 1000000000;
    CHECK(sys_ppoll((long)&p, 1, (long)&t32, 0, 8, 0) == -EINVAL);
    t32.nsec = -1;
    CHECK(sys_ppoll((long)&p, 1, (long)&t32, 0, 8, 0) == -EINVAL);
    t32.nsec = 0;
    CHECK(sys_ppoll((long)&p, 1, (long)&t32, (long)&t32, 16, 0) == -EINVAL);   /* sigsetsize */
    CHECK(sys_ppoll((long)&p, 1, (long)&t32, (long)&t32, 8, 0) == 1);         /* mask ignored */
    CHECK(sys_ppoll((long)&p, 1, 0, 0, 8, 0) == 1);                          /* NULL: for ever */

    /* Nothing to watch: park, never touch the change counter. */
    struct pollfd none = { -1, POLLIN, 0 };
    unsigned pc = park_calls, w0 = wait_calls;
    CHECK(xpoll(&none, 1, -1) == 0);
    CHECK(park_calls == pc + 1 && park_deadline == 0 && wait_calls == w0);
    t0 = libos_ticks();
    CHECK(xpoll(NULL, 0, 20) == 0);
    CHECK(park_calls == pc + 2 && park_deadline >= t0 + 20000000);
    CHECK(xpoll(NULL, 0, 0) == 0 && park_calls == pc + 2);
    libos_fd_close(toy);
}

/* fd_sets as the target has them: 1024 bits in 32-bit words. */
struct fdset {
    uint32_t w[LIBOS_MAX_FDS / 32];
};

static void fs_set(struct fdset *s, int fd)
{
    s->w[fd / 32] |= 1u << (fd % 32);
}

static int fs_is(const struct fdset *s, int fd)
{
    return (s->w[fd / 32] >> (fd % 32)) & 1;
}

static long xselect(int n, struct fdset *r, struct fdset *w, struct fdset *e, struct tv32 *tv)
{
    return sys__newselect(n, (long)r, (long)w, (long)e, (long)tv, 0);
}

static void test_select(void)
{
    int toy = new_fd(&toy_ops, O_RDWR);
    int ro = new_fd(&plain_ops, O_RDONLY), wo = new_fd(&plain_ops, O_WRONLY);
    int fds[2];
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    int hi = fds[1] > toy ? fds[1] : toy;
    hi = hi > wo ? hi : wo;
    set_toy(POLLPRI | POLLOUT);
    struct fdset r = { { 0 } }, w = { { 0 } }, e = { { 0 } };
    fs_set(&r, toy); fs_set(&w, toy); fs_set(&e, toy);
    fs_set(&r, ro); fs_set(&w, ro);
    fs_set(&r, wo); fs_set(&w, wo);
    fs_set(&r, fds[0]); fs_set(&w, fds[1]);
    fs_set(&r, hi + 1);                         /* at n: not looked at, cleared */
    struct tv32 tv = { 0, 0 };
    CHECK(xselect(hi + 1, &r, &w, &e, &tv) == 5);   /* a bit per ready (fd, set) */
    CHECK(!fs_is(&r, toy) && fs_is(&w, toy) && fs_is(&e, toy));
    CHECK(fs_is(&r, ro) && !fs_is(&w, ro));
    CHECK(!fs_is(&r, wo) && fs_is(&w, wo));
    CHECK(!fs_is(&r, fds[0]) && fs_is(&w, fds[1]));
    CHECK(!fs_is(&r, hi + 1));

    /* EBADF for a closed fd in any set; EINVAL for n < 0 or a bad timeval. */
    memset(&r, 0, sizeof r);
    fs_set(&r, 150);
    CHECK(xselect(151, &r, NULL, NULL, &tv) == -EBADF);
    CHECK(xselect(-1, NULL, NULL, NULL, &tv) == -EINVAL);
    tv.usec = -1;
    CHECK(xselect(0, NULL, NULL, NULL, &tv) == -EINVAL);
    tv.usec = 1020000;                          /* folded: 1.02 s */
    memset(&r, 0, sizeof r);
    fs_set(&r, toy);
    set_toy(POLLIN);
    CHECK(xselect(toy + 1, &r, NULL, NULL, &tv) == 1);
    CHECK(tv.sec == 1 && tv.usec > 0 && tv.usec <= 20000);    /* ready at once: all of it left */
    memset(&r, 0, sizeof r);
    fs_set(&r, 150);
    CHECK(xselect(150, &r, NULL, NULL, NULL) == 0);         /* 150 is at n: ignored, parks */

    /* Woken by another thread; the time left is written back. */
    set_toy(0);
    memset(&r, 0, sizeof r);
    fs_set(&r, toy);
    tv.sec = 0;
    tv.usec = 900000;
    pthread_t th;
    struct later l = { 20, POLLHUP };
    pthread_create(&th, NULL, toy_later, &l);
    CHECK(xselect(toy + 1, &r, NULL, NULL, &tv) == 1 && fs_is(&r, toy));    /* HUP: readable */
    CHECK(tv.sec == 0 && tv.usec > 400000 && tv.usec < 890000);
    pthread_join(th, NULL);

    /* A timeout: the sets come back empty. */
    set_toy(0);
    memset(&r, 0, sizeof r);
    fs_set(&r, toy);
    tv.sec = 0;
    tv.usec = 40000;
    uint64_t t0 = libos_ticks();
    CHECK(xselect(toy + 1, &r, NULL, NULL, &tv) == 0 && !fs_is(&r, toy));
    CHECK(libos_ticks() - t0 >= 40000000 && tv.sec == 0 && tv.usec == 0);

    /* pselect6: 32-bit and 64-bit timespecs. */
    memset(&r, 0, sizeof r);
    fs_set(&r, toy);
    struct ts32 t32 = { 0, 30000000 };
    t0 = libos_ticks();
    CHECK(sys_pselect6(toy + 1, (long)&r, 0, 0, (long)&t32, 0) == 0);
    CHECK(libos_ticks() - t0 >= 30000000);
    fs_set(&r, toy);
    struct ts64 t64 = { 0, 30000000 };
    t0 = libos_ticks();
    CHECK(sys_pselect6_time64(toy + 1, (long)&r, 0, 0, (long)&t64, 0) == 0);
    CHECK(libos_ticks() - t0 >= 30000000);
    t64.sec = -1;
    CHECK(sys_pselect6_time64(toy + 1, (long)&r, 0, 0, (long)&t64, 0) == -EINVAL);

    /* select(0, NULL, NULL, NULL, NULL): parks for ever, no spinning. */
    unsigned pc = park_calls, w0 = wait_calls;
    CHECK(xselect(0, NULL, NULL, NULL, NULL) == 0);
    CHECK(park_calls == pc + 1 && park_deadline == 0 && wait_calls == w0);
    tv.sec = 0;
    tv.usec = 20000;
    t0 = libos_ticks();
    CHECK(xselect(0, NULL, NULL, NULL, &tv) == 0);
    CHECK(libos_ticks() - t0 >= 20000000 && park_calls == pc + 2);

    libos_fd_close(fds[0]);
    libos_fd_close(fds[1]);
    libos_fd_close(toy);
    libos_fd_close(ro);
    libos_fd_close(wo);
}

/* A pipe read end polled on one thread, written on another. */
static void *pipe_writer(void *arg)
{
    int fd = *(int *)arg;
    sleep_ms(20);
    fd_write(fd, "x", 1);
    return NULL;
}

static void test_poll_pipe(void)
{
    int fds[2];
    CHECK(sys_pipe2((long)fds, 0, 0, 0, 0, 0) == 0);
    struct pollfd p = { fds[0], POLLIN, 0 };
    pthread_t th;
    pthread_create(&th, NULL, pipe_writer, &fds[1]);
    CHECK(xpoll(&p, 1, 5000) == 1 && p.revents == POLLIN);
    pthread_join(th, NULL);
    libos_fd_close(fds[1]);
    CHECK(xpoll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLHUP));
    libos_fd_close(fds[0]);
}

int main(void)
{
    sim_init();
    test_poll_events();
    test_poll_timeouts();
    test_select();
    test_poll_pipe();
    CHECK(sim_files_live == 0);
    return check_report("test_libos_poll");
}
