/*
 * sys_poll.c - readiness: poll, ppoll, ppoll_time64, select (_newselect),
 * pselect6, pselect6_time64.
 *
 * Readiness comes from each file's ops->poll (file.h); a kind without one
 * is always ready for what it was opened for (O_RDONLY: POLLIN, O_WRONLY:
 * POLLOUT, O_RDWR: both).  POLLIN brings POLLRDNORM and POLLOUT brings
 * POLLWRNORM, as on Linux.  poll reports POLLHUP and POLLERR whatever was
 * asked, and POLLNVAL for a descriptor that is not open; select fails with
 * -EBADF instead.  select's sets: readable = POLLIN|POLLHUP|POLLERR,
 * writable = POLLOUT|POLLERR, exceptional = POLLPRI (Linux's POLLIN_SET,
 * POLLOUT_SET, POLLEX_SET).
 *
 * Waiting: sample file.h's change counter, scan, sleep until the counter
 * moves or the deadline passes, scan again.  After the deadline one last
 * scan decides, like Linux.  A zero timeout scans once; none (NULL, or a
 * negative poll timeout) waits for ever.  Deadlines are counter ticks and
 * round up (timeconv.h): a wait never ends early.  With nothing to watch
 * (select(0, NULL, NULL, NULL, t), poll with no descriptor) the thread
 * sleeps on a private futex word that nobody wakes: until the deadline, or
 * for ever without spinning (erts's main thread: docs/internals.md note 14).
 *
 * The timeout layouts (docs/internals.md note 9): poll takes milliseconds;
 * ppoll and pselect6 a 32-bit {long, long} timespec, their _time64 twins a
 * {int64, int64} one; _newselect a 32-bit timeval.  ppoll and the selects
 * write back the time left, as Linux does.  The signal masks of ppoll and
 * pselect6 are accepted and ignored (libos delivers no signal).
 */
#include "libos.h"
#include "file.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include "timeconv.h"
#ifndef LIBOS_HOST_TEST
#include <freebeam/kcall.h>
#endif

/* ---- waiting ---- */

struct pwait {
    bool once;              /* zero timeout: scan once */
    uint64_t deadline;      /* counter ticks; 0 = none */
};

/* 0 and *w set, or -EINVAL. */
static int pwait_rel(struct pwait *w, int64_t sec, int64_t nsec)
{
    w->deadline = 0;
    w->once = false;
    if (sec < 0 || nsec < 0 || nsec >= (int64_t)TC_NS_PER_S)
        return -EINVAL;
    if (sec == 0 && nsec == 0) {
        w->once = true;
        return 0;
    }
    return tc_rel_deadline(libos_ticks(), sec, nsec, libos_freq(), &w->deadline) ? -EINVAL : 0;
}

static bool pwait_expired(const struct pwait *w)
{
    return w->deadline && libos_ticks() >= w->deadline;
}

/* The time left until the deadline, in ns (0 once it passed). */
static uint64_t pwait_left_ns(const struct pwait *w)
{
    if (w->once || !w->deadline)
        return 0;
    uint64_t now = libos_ticks();
    return now >= w->deadline ? 0 : libos_ticks_to_ns(w->deadline - now);
}

#ifndef LIBOS_HOST_TEST
/* Nothing to watch: sleep until the deadline, or for ever.  0 or -EINTR. */
static long park(uint64_t deadline)
{
    static volatile uint32_t nobody_wakes;
    for (;;) {
        int32_t r = fb_futex_wait(&nobody_wakes, 0, deadline);
        if (r == -ETIMEDOUT)
            return 0;
        if (r == -EINTR)
            return -EINTR;
    }
}
#else
static long park(uint64_t deadline);    /* the host test's */
#endif

/* ---- readiness of one descriptor ---- */

static unsigned file_ready(struct file *f)
{
    unsigned m;
    if (f->ops->poll) {
        m = f->ops->poll(f);
    } else {
        switch (f->flags & O_ACCMODE) {
        case O_RDONLY: m = POLLIN; break;
        case O_WRONLY: m = POLLOUT; break;
        default:       m = POLLIN | POLLOUT; break;
        }
    }
    if (m & POLLIN)
        m |= POLLRDNORM;
    if (m & POLLOUT)
        m |= POLLWRNORM;
    return m;
}

/* The readiness of fd, or POLLNVAL if it is not open. */
static unsigned fd_ready(int fd)
{
    struct file *f = libos_fd_get(fd);
    if (!f)
        return POLLNVAL;
    unsigned m = file_ready(f);
    libos_file_put(f);
    return m;
}

/* ---- poll ---- */

static long poll_scan(struct pollfd *fds, unsigned long n)
{
    long count = 0;
    for (unsigned long i = 0; i < n; i++) {
        short re = 0;
        if (fds[i].fd >= 0) {
            unsigned m = fd_ready(fds[i].fd);
            re = (short)(m & ((unsigned short)fds[i].events | POLLERR | POLLHUP | POLLNVAL));
        }
        fds[i].revents = re;
        count += re != 0;
    }
    return count;
}

static long do_poll(struct pollfd *fds, unsigned long n, const struct pwait *w)
{
    if (n > LIBOS_MAX_FDS)
        return -EINVAL;         /* Linux: more than RLIMIT_NOFILE */
    if (n && !libos_user_ok(fds, n * sizeof *fds, 1))
        return -EFAULT;
    bool any = false;
    for (unsigned long i = 0; i < n; i++)
        any |= fds[i].fd >= 0;
    if (!any) {
        for (unsigned long i = 0; i < n; i++)
            fds[i].revents = 0;
        return w->once ? 0 : park(w->deadline);
    }
    for (;;) {
        uint32_t seen = libos_change_seq();
        bool last = pwait_expired(w);   /* a scan after the deadline decides */
        long c = poll_scan(fds, n);
        if (c || w->once || last)
            return c;
        if (libos_wait_change(seen, w->deadline) == -EINTR)
            return -EINTR;
    }
}

SYSCALL3(poll, struct pollfd *, fds, unsigned long, nfds, int, timeout)
{
    struct pwait w = { false, 0 };
    if (timeout == 0)
        w.once = true;
    else if (timeout > 0)
        tc_rel_deadline(libos_ticks(), timeout / 1000, (int64_t)(timeout % 1000) * 1000000,
                        libos_freq(), &w.deadline);
    return do_poll(fds, nfds, &w);
}

struct ts32 {
    int32_t sec, nsec;
};

struct ts64 {
    int64_t sec, nsec;
};

/* The time left, written back as Linux does for ppoll/pselect6 (both
 * timespec layouts). */
static void put_left32(struct ts32 *ts, struct pwait *w)
{
    uint64_t sec;
    uint32_t nsec;
    tc_split_ns(pwait_left_ns(w), &sec, &nsec);
    ts->sec = (int32_t)sec;
    ts->nsec = (int32_t)nsec;
}

static void put_left64(struct ts64 *ts, struct pwait *w)
{
    uint64_t sec;
    uint32_t nsec;
    tc_split_ns(pwait_left_ns(w), &sec, &nsec);
    ts->sec = (int64_t)sec;
    ts->nsec = nsec;
}

/* The signal mask is checked for its size, never applied (no signal is
 * delivered: sys_proc.c). */
static long ppoll_common(struct pollfd *fds, unsigned long nfds, const void *sigmask,
                         size_t sigsetsize, struct pwait *w)
{
    if (sigmask && sigsetsize != 8)
        return -EINVAL;
    return do_poll(fds, nfds, w);
}

/* tmo_p: NULL or the time to wait, where the time left is written back. */
SYSCALL5(ppoll, struct pollfd *, fds, unsigned long, nfds, struct ts32 *, tmo_p,
         const void *, sigmask, size_t, sigsetsize)
{
    struct pwait w = { false, 0 };
    if (tmo_p) {
        if (!libos_user_ok(tmo_p, sizeof *tmo_p, 1))
            return -EFAULT;
        if (pwait_rel(&w, tmo_p->sec, tmo_p->nsec))
            return -EINVAL;
    }
    long r = ppoll_common(fds, nfds, sigmask, sigsetsize, &w);
    if (tmo_p && !w.once && r >= 0)
        put_left32(tmo_p, &w);
    return r;
}

SYSCALL5(ppoll_time64, struct pollfd *, fds, unsigned long, nfds, struct ts64 *, tmo_p,
         const void *, sigmask, size_t, sigsetsize)
{
    struct pwait w = { false, 0 };
    if (tmo_p) {
        if (!libos_user_ok(tmo_p, sizeof *tmo_p, 1))
            return -EFAULT;
        if (pwait_rel(&w, tmo_p->sec, tc_nsec64(tmo_p->nsec)))
            return -EINVAL;
    }
    long r = ppoll_common(fds, nfds, sigmask, sigsetsize, &w);
    if (tmo_p && !w.once && r >= 0)
        put_left64(tmo_p, &w);
    return r;
}

/* ---- select ---- */

/* fd_set as bytes: bit fd is bit fd%8 of byte fd/8 whatever the word size,
 * on a little-endian machine.  Linux reads and writes whole longs: here
 * 32-bit words, so bits from n up to the next multiple of 32 come back 0. */
#define SEL_BYTES (LIBOS_MAX_FDS / 8)

static inline bool bit_is(const uint8_t *s, int fd)
{
    return (s[fd >> 3] >> (fd & 7)) & 1;
}

static inline void bit_set(uint8_t *s, int fd)
{
    s[fd >> 3] |= (uint8_t)(1u << (fd & 7));
}

static long do_select(long nfds, uint8_t *uset[3], const struct pwait *w)
{
    if (nfds < 0)
        return -EINVAL;
    int n = nfds > LIBOS_MAX_FDS ? LIBOS_MAX_FDS : (int)nfds;
    size_t bytes = (size_t)((n + 31) / 32) * 4;
    uint8_t in[3][SEL_BYTES], out[3][SEL_BYTES];
    memset(in, 0, sizeof in);
    for (int k = 0; k < 3; k++) {
        if (!uset[k])
            continue;
        if (!libos_user_ok(uset[k], bytes, 1))
            return -EFAULT;
        memcpy(in[k], uset[k], bytes);
        /* Bits at n and above are not looked at. */
        if (n & 7)
            in[k][n >> 3] &= (uint8_t)((1u << (n & 7)) - 1);
        for (size_t i = (size_t)(n + 7) / 8; i < bytes; i++)
            in[k][i] = 0;
    }
    bool any = false;
    for (int fd = 0; fd < n; fd++) {
        if (!(bit_is(in[0], fd) || bit_is(in[1], fd) || bit_is(in[2], fd)))
            continue;
        if (fd_ready(fd) == POLLNVAL)
            return -EBADF;
        any = true;
    }
    long count = 0;
    if (!any) {
        memset(out, 0, sizeof out);
        if (!w->once) {
            long r = park(w->deadline);
            if (r)
                return r;
        }
    } else {
        for (;;) {
            uint32_t seen = libos_change_seq();
            bool last = pwait_expired(w);   /* a scan after the deadline decides */
            memset(out, 0, sizeof out);
            count = 0;
            for (int fd = 0; fd < n; fd++) {
                bool r = bit_is(in[0], fd), wr = bit_is(in[1], fd), ex = bit_is(in[2], fd);
                if (!(r || wr || ex))
                    continue;
                unsigned m = fd_ready(fd);
                if (m == POLLNVAL)
                    return -EBADF;      /* closed meanwhile by another thread */
                if (r && (m & (POLLIN | POLLHUP | POLLERR))) {
                    bit_set(out[0], fd);
                    count++;
                }
                if (wr && (m & (POLLOUT | POLLERR))) {
                    bit_set(out[1], fd);
                    count++;
                }
                if (ex && (m & POLLPRI)) {
                    bit_set(out[2], fd);
                    count++;
                }
            }
            if (count || w->once || last)
                break;
            if (libos_wait_change(seen, w->deadline) == -EINTR)
                return -EINTR;
        }
    }
    for (int k = 0; k < 3; k++)
        if (uset[k])
            memcpy(uset[k], out[k], bytes);
    return count;
}

struct tv32 {
    int32_t sec, usec;
};

/* The fd_sets as bytes (above); timeout: NULL or the time to wait, where
 * the time left is written back. */
SYSCALL5(_newselect, int, nfds, uint8_t *, readfds, uint8_t *, writefds, uint8_t *, exceptfds,
         struct tv32 *, timeout)
{
    uint8_t *sets[3] = { readfds, writefds, exceptfds };
    struct pwait w = { false, 0 };
    if (timeout) {
        if (!libos_user_ok(timeout, sizeof *timeout, 1))
            return -EFAULT;
        /* Linux folds whole seconds out of tv_usec; only negatives are invalid. */
        if (timeout->usec < 0 || pwait_rel(&w, (int64_t)timeout->sec + timeout->usec / 1000000,
                                      (int64_t)(timeout->usec % 1000000) * 1000))
            return -EINVAL;
    }
    long r = do_select(nfds, sets, &w);
    if (timeout && !w.once && r >= 0) {
        uint64_t sec;
        uint32_t nsec;
        tc_split_ns(pwait_left_ns(&w), &sec, &nsec);
        timeout->sec = (int32_t)sec;
        timeout->usec = (int32_t)(nsec / 1000);
    }
    return r;
}

/* pselect6's sixth argument: { const sigset_t *mask; size_t size; }, ignored. */
SYSCALL5(pselect6, int, nfds, uint8_t *, readfds, uint8_t *, writefds, uint8_t *, exceptfds,
         struct ts32 *, timeout)
{
    uint8_t *sets[3] = { readfds, writefds, exceptfds };
    struct pwait w = { false, 0 };
    if (timeout) {
        if (!libos_user_ok(timeout, sizeof *timeout, 1))
            return -EFAULT;
        if (pwait_rel(&w, timeout->sec, timeout->nsec))
            return -EINVAL;
    }
    long r = do_select(nfds, sets, &w);
    if (timeout && !w.once && r >= 0)
        put_left32(timeout, &w);
    return r;
}

SYSCALL5(pselect6_time64, int, nfds, uint8_t *, readfds, uint8_t *, writefds, uint8_t *, exceptfds,
         struct ts64 *, timeout)
{
    uint8_t *sets[3] = { readfds, writefds, exceptfds };
    struct pwait w = { false, 0 };
    if (timeout) {
        if (!libos_user_ok(timeout, sizeof *timeout, 1))
            return -EFAULT;
        if (pwait_rel(&w, timeout->sec, tc_nsec64(timeout->nsec)))
            return -EINVAL;
    }
    long r = do_select(nfds, sets, &w);
    if (timeout && !w.once && r >= 0)
        put_left64(timeout, &w);
    return r;
}
