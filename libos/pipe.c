/*
 * pipe.c - pipe and pipe2: a 64 KiB ring in libos's own pages, with Linux's
 * blocking rules (pipe(7)):
 *
 *   read   returns what is there (a partial count is normal); with nothing
 *          there it blocks until data arrives or every writer has closed
 *          (then 0, end of file).  O_NONBLOCK: -EAGAIN instead of blocking.
 *   write  blocks until everything is written.  A write of at most PIPE_BUF
 *          (4096) bytes is atomic: all of it goes in at once, never
 *          interleaved with another writer's.  O_NONBLOCK: a small write
 *          that does not fit gives -EAGAIN; a large one writes what fits and
 *          returns that count (-EAGAIN if nothing fit).
 *          With no reader left: -EPIPE (or the count already written).
 *          SIGPIPE is never delivered: libos delivers no signal at all.
 *   poll   read end: POLLIN with data, POLLHUP once every writer closed;
 *          write end: POLLOUT with at least PIPE_BUF bytes free (a PIPE_BUF
 *          write would not block: Linux's "one free page"), POLLERR once the
 *          reader closed.
 *
 * A blocked call blocks its own thread only, on file.h's change counter;
 * every change of a pipe's state (data in or out, an end closed) calls
 * libos_file_changed().
 *
 * Memory: one allocation of libos pages per pipe: a page for struct pipe,
 * then the 16-page ring.  The two ends are two struct files sharing it
 * (priv2 tells which end); the pages are freed when both ends are released.
 *
 * User buffers are checked first (libos_user_ok, sys_ident.c): a bad
 * pointer gives -EFAULT, never a fault of the PD.  erts relies on this: it
 * tests whether memory is readable by writing it to a pipe
 * (docs/internals.md note 15).
 *
 * The ring itself (pipe_ring_*) is pure logic, tested on the host by
 * tests/host/test_libos_pipe.c, which includes this file.
 */
#include "libos.h"
#include "file.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define PIPE_RING_SIZE 65536u      /* Linux's default pipe capacity */
#define PIPE_ATOMIC    4096u       /* PIPE_BUF */
#define PIPE_HDR       4096u       /* the page that holds struct pipe */
#define PIPE_MAX_RW    0x7ffff000u /* Linux's MAX_RW_COUNT: one call moves at most this */

_Static_assert((PIPE_RING_SIZE & (PIPE_RING_SIZE - 1)) == 0, "ring size is a power of two");

/* ---- the ring: free-running byte counters, size a power of two ---- */

struct pipe_ring {
    uint32_t head;          /* bytes ever written */
    uint32_t tail;          /* bytes ever read */
    unsigned char *buf;     /* PIPE_RING_SIZE bytes */
};

static inline uint32_t pipe_ring_used(const struct pipe_ring *r)
{
    return r->head - r->tail;
}

static inline uint32_t pipe_ring_space(const struct pipe_ring *r)
{
    return PIPE_RING_SIZE - pipe_ring_used(r);
}

/* Copy in as much of src[0..n) as fits; returns the count. */
static size_t pipe_ring_put(struct pipe_ring *r, const void *src, size_t n)
{
    uint32_t space = pipe_ring_space(r);
    if (n > space)
        n = space;
    uint32_t at = r->head & (PIPE_RING_SIZE - 1);
    size_t first = PIPE_RING_SIZE - at < n ? PIPE_RING_SIZE - at : n;
    memcpy(r->buf + at, src, first);
    memcpy(r->buf, (const unsigned char *)src + first, n - first);
    r->head += (uint32_t)n;
    return n;
}

/* Copy out up to n bytes into dst; returns the count. */
static size_t pipe_ring_get(struct pipe_ring *r, void *dst, size_t n)
{
    uint32_t used = pipe_ring_used(r);
    if (n > used)
        n = used;
    uint32_t at = r->tail & (PIPE_RING_SIZE - 1);
    size_t first = PIPE_RING_SIZE - at < n ? PIPE_RING_SIZE - at : n;
    memcpy(dst, r->buf + at, first);
    memcpy((unsigned char *)dst + first, r->buf, n - first);
    r->tail += (uint32_t)n;
    return n;
}

/* ---- a pipe ---- */

enum { PIPE_READ_END = 0, PIPE_WRITE_END = 1 };

struct pipe {
    struct libos_lock lock;
    struct pipe_ring ring;
    uint32_t readers;       /* open files of the read end (0 or 1: dup shares the file) */
    uint32_t writers;
    uint32_t ino;
    int64_t created_ns;     /* CLOCK_REALTIME at creation, for fstat */
};

_Static_assert(sizeof(struct pipe) <= PIPE_HDR, "struct pipe fits its page");

static uint32_t pipe_ino_next = 1;

static long pipe_read(struct file *f, void *buf, size_t len)
{
    struct pipe *p = f->priv;
    if (f->priv2 != PIPE_READ_END)
        return -EBADF;
    if (len == 0)
        return 0;
    if (len > PIPE_RING_SIZE)
        len = PIPE_RING_SIZE;   /* never more at once: check only what may be written */
    if (!libos_user_ok(buf, len, 1))
        return -EFAULT;
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&p->lock);
        size_t n = pipe_ring_get(&p->ring, buf, len);
        uint32_t writers = p->writers;
        libos_unlock(&p->lock);
        if (n) {
            libos_file_changed();       /* space for blocked writers */
            return (long)n;
        }
        if (!writers)
            return 0;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static long pipe_write(struct file *f, const void *buf, size_t len)
{
    struct pipe *p = f->priv;
    if (f->priv2 != PIPE_WRITE_END)
        return -EBADF;
    if (len == 0)
        return 0;
    if (len > PIPE_MAX_RW)
        len = PIPE_MAX_RW;
    if (!libos_user_ok(buf, len, 0))
        return -EFAULT;
    const unsigned char *src = buf;
    bool atomic = len <= PIPE_ATOMIC;
    size_t done = 0;
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&p->lock);
        if (!p->readers) {
            libos_unlock(&p->lock);
            return done ? (long)done : -EPIPE;     /* no SIGPIPE: see the top */
        }
        size_t n = 0;
        if (!atomic || pipe_ring_space(&p->ring) >= len)
            n = pipe_ring_put(&p->ring, src + done, len - done);
        libos_unlock(&p->lock);
        if (n) {
            done += n;
            libos_file_changed();       /* data for blocked readers */
            if (done == len)
                return (long)done;
        }
        if (f->flags & O_NONBLOCK)
            return done ? (long)done : -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return done ? (long)done : -EINTR;
    }
}

static unsigned pipe_poll(struct file *f)
{
    struct pipe *p = f->priv;
    unsigned m = 0;
    libos_lock(&p->lock);
    if (f->priv2 == PIPE_READ_END) {
        if (pipe_ring_used(&p->ring))
            m |= POLLIN;
        if (!p->writers)
            m |= POLLHUP;
    } else {
        if (pipe_ring_space(&p->ring) >= PIPE_ATOMIC)
            m |= POLLOUT;
        if (!p->readers)
            m |= POLLERR;
    }
    libos_unlock(&p->lock);
    return m;
}

static long pipe_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    struct pipe *p = f->priv;
    if (req != FIONREAD)
        return -ENOTTY;
    int *out = (int *)arg;
    if (!libos_user_ok(out, sizeof *out, 1))
        return -EFAULT;
    libos_lock(&p->lock);
    int n = (int)pipe_ring_used(&p->ring);
    libos_unlock(&p->lock);
    memcpy(out, &n, sizeof n);
    return 0;
}

static long pipe_fstat(struct file *f, struct libos_stat *st)
{
    struct pipe *p = f->priv;
    memset(st, 0, sizeof *st);
    st->dev = 12;                       /* Linux's pipefs is an anonymous device too */
    st->ino = p->ino;
    st->mode = S_IFIFO | 0600;
    st->nlink = 1;
    st->blksize = 4096;
    st->atime_ns = st->mtime_ns = st->ctime_ns = p->created_ns;
    return 0;
}

static void pipe_release(struct file *f)
{
    struct pipe *p = f->priv;
    libos_lock(&p->lock);
    if (f->priv2 == PIPE_READ_END)
        p->readers--;
    else
        p->writers--;
    bool last = p->readers == 0 && p->writers == 0;
    libos_unlock(&p->lock);
    if (last)
        libos_pages_free(p, PIPE_HDR + PIPE_RING_SIZE);
    else
        libos_file_changed();           /* EOF or EPIPE for the other end */
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .ioctl = pipe_ioctl,
    .fstat = pipe_fstat,
    .poll = pipe_poll,
    .release = pipe_release,
};

/* Both ends as open files; 0 or -errno.  Not yet in the descriptor table. */
static long pipe_create(int flags, struct file **rd, struct file **wr)
{
    struct pipe *p = libos_pages_alloc(PIPE_HDR + PIPE_RING_SIZE);
    if (!p)
        return -ENOMEM;
    p->ring.buf = (unsigned char *)p + PIPE_HDR;
    p->ino = __atomic_fetch_add(&pipe_ino_next, 1, __ATOMIC_RELAXED);
    p->created_ns = (int64_t)(libos_realtime_base_ns() + libos_ticks_to_ns(libos_ticks()));
    int nb = flags & O_NONBLOCK;
    *rd = libos_file_new(&pipe_ops, O_RDONLY | nb, p);
    if (!*rd) {
        libos_pages_free(p, PIPE_HDR + PIPE_RING_SIZE);
        return -ENFILE;
    }
    (*rd)->priv2 = PIPE_READ_END;
    p->readers = 1;
    *wr = libos_file_new(&pipe_ops, O_WRONLY | nb, p);
    if (!*wr) {
        libos_file_put(*rd);            /* frees the pages */
        return -ENFILE;
    }
    (*wr)->priv2 = PIPE_WRITE_END;
    p->writers = 1;
    return 0;
}

static long do_pipe2(int *user_fds, long flags)
{
    if (flags & ~(long)(O_NONBLOCK | O_CLOEXEC))
        return -EINVAL;         /* O_DIRECT (packet mode) is not supported */
    if (!libos_user_ok(user_fds, 2 * sizeof(int), 1))
        return -EFAULT;
    struct file *rd, *wr;
    long r = pipe_create((int)flags, &rd, &wr);
    if (r)
        return r;
    int cloexec = (flags & O_CLOEXEC) != 0;
    int fd0 = libos_fd_install(rd, 0, cloexec);
    if (fd0 < 0) {
        libos_file_put(wr);
        libos_file_put(rd);
        return fd0;
    }
    int fd1 = libos_fd_install(wr, 0, cloexec);
    if (fd1 < 0) {
        libos_file_put(wr);
        libos_fd_close(fd0);
        return fd1;
    }
    int fds[2] = { fd0, fd1 };
    memcpy(user_fds, fds, sizeof fds);
    return 0;
}

SYSCALL2(pipe2, int *, pipefd, int, flags)
{
    return do_pipe2(pipefd, flags);
}

SYSCALL1(pipe, int *, pipefd)
{
    return do_pipe2(pipefd, 0);
}
