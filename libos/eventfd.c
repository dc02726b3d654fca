/*
 * eventfd.c - eventfd and eventfd2: a 64-bit counter behind a descriptor,
 * with Linux's semantics (eventfd(2)):
 *
 *   read   (at least 8 bytes, else -EINVAL) blocks while the counter is 0;
 *          then returns the counter and resets it to 0, or with
 *          EFD_SEMAPHORE returns 1 and decrements it.
 *   write  (at least 8 bytes, else -EINVAL) adds a value; 2^64-1 is
 *          -EINVAL; it blocks while the sum would exceed 2^64-2.
 *   poll   POLLIN when the counter is non-zero, POLLOUT while a write of 1
 *          would not block, POLLERR on overflow (never, here).
 *   O_NONBLOCK (EFD_NONBLOCK): -EAGAIN instead of blocking.
 *
 * The counters live in a fixed table (no malloc in libos): at most
 * LIBOS_MAX_EVENTFDS eventfds at once, -ENFILE beyond.  One lock for all
 * of them; every change calls libos_file_changed() (file.h).
 *
 * The counter logic (efd_*) is pure and tested on the host by
 * tests/host/test_libos_pipe.c, which includes this file.
 */
#include "libos.h"
#include "file.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#define LIBOS_MAX_EVENTFDS 128
#define EFD_MAXCOUNT 0xfffffffffffffffeull

struct efd {
    uint64_t count;
    bool semaphore;
    bool used;
    uint32_t ino;
};

static struct efd efds[LIBOS_MAX_EVENTFDS];
static struct libos_lock efd_lock;

/* ---- the counter (the caller holds efd_lock) ---- */

/* Take a value out: 0 and *out set, or -EAGAIN (counter 0). */
static int efd_take(struct efd *e, uint64_t *out)
{
    if (e->count == 0)
        return -EAGAIN;
    *out = e->semaphore ? 1 : e->count;
    e->count -= *out;
    return 0;
}

/* Add v: 0, -EINVAL (v is 2^64-1) or -EAGAIN (it does not fit yet). */
static int efd_add(struct efd *e, uint64_t v)
{
    if (v == UINT64_MAX)
        return -EINVAL;
    if (v > EFD_MAXCOUNT - e->count)
        return -EAGAIN;
    e->count += v;
    return 0;
}

static unsigned efd_ready(const struct efd *e)
{
    unsigned m = 0;
    if (e->count > 0)
        m |= POLLIN;
    if (e->count < EFD_MAXCOUNT)
        m |= POLLOUT;
    if (e->count == UINT64_MAX)
        m |= POLLERR;
    return m;
}

/* ---- the file kind ---- */

static long efd_read(struct file *f, void *buf, size_t len)
{
    struct efd *e = f->priv;
    if (len < sizeof(uint64_t))
        return -EINVAL;
    if (!libos_user_ok(buf, sizeof(uint64_t), 1))
        return -EFAULT;
    for (;;) {
        uint32_t seen = libos_change_seq();
        uint64_t v;
        libos_lock(&efd_lock);
        int r = efd_take(e, &v);
        libos_unlock(&efd_lock);
        if (r == 0) {
            memcpy(buf, &v, sizeof v);
            libos_file_changed();       /* room for blocked writers */
            return sizeof v;
        }
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static long efd_write(struct file *f, const void *buf, size_t len)
{
    struct efd *e = f->priv;
    if (len < sizeof(uint64_t))
        return -EINVAL;
    if (!libos_user_ok(buf, sizeof(uint64_t), 0))
        return -EFAULT;
    uint64_t v;
    memcpy(&v, buf, sizeof v);
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&efd_lock);
        int r = efd_add(e, v);
        libos_unlock(&efd_lock);
        if (r == 0) {
            if (v)
                libos_file_changed();
            return sizeof v;
        }
        if (r != -EAGAIN)
            return r;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static unsigned efd_poll(struct file *f)
{
    libos_lock(&efd_lock);
    unsigned m = efd_ready(f->priv);
    libos_unlock(&efd_lock);
    return m;
}

static long efd_fstat(struct file *f, struct libos_stat *st)
{
    const struct efd *e = f->priv;
    memset(st, 0, sizeof *st);
    st->dev = 13;               /* Linux's anon_inode: no file type bits, mode 0600 */
    st->ino = e->ino;
    st->mode = 0600;
    st->nlink = 1;
    st->blksize = 4096;
    return 0;
}

static void efd_release(struct file *f)
{
    struct efd *e = f->priv;
    libos_lock(&efd_lock);
    e->used = false;
    libos_unlock(&efd_lock);
}

static const struct file_ops efd_ops = {
    .read = efd_read,
    .write = efd_write,
    .fstat = efd_fstat,
    .poll = efd_poll,
    .release = efd_release,
};

static long do_eventfd2(unsigned initval, long flags)
{
    static uint32_t ino_next = 1;
    if (flags & ~(long)(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
        return -EINVAL;
    struct efd *e = NULL;
    libos_lock(&efd_lock);
    for (int i = 0; i < LIBOS_MAX_EVENTFDS; i++) {
        if (!efds[i].used) {
            e = &efds[i];
            e->used = true;
            e->count = initval;
            e->semaphore = (flags & EFD_SEMAPHORE) != 0;
            e->ino = ino_next++;
            break;
        }
    }
    libos_unlock(&efd_lock);
    if (!e)
        return -ENFILE;
    struct file *f = libos_file_new(&efd_ops, O_RDWR | (int)(flags & EFD_NONBLOCK), e);
    if (!f) {
        libos_lock(&efd_lock);
        e->used = false;
        libos_unlock(&efd_lock);
        return -ENFILE;
    }
    int fd = libos_fd_install(f, 0, (flags & EFD_CLOEXEC) != 0);
    if (fd < 0)
        libos_file_put(f);      /* releases the slot */
    return fd;
}

SYSCALL2(eventfd2, unsigned int, initval, int, flags)
{
    return do_eventfd2(initval, flags);
}

SYSCALL1(eventfd, unsigned int, initval)
{
    return do_eventfd2(initval, 0);
}
