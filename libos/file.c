/*
 * file.c - the open-file pool, the descriptor table and the change counter
 * (the interface of file.h).
 *
 * One lock (file_lock) guards the pool and the table.  It is never held
 * while a file kind's code runs: release() is called after the lock is
 * dropped, so a kind may take its own locks (and even libos_file_changed)
 * from there.
 *
 * A pool slot is free when its ops is NULL.  refs counts descriptors and
 * in-flight calls: libos_fd_get takes one, libos_file_put drops it, so a
 * file closed by one thread while another reads it stays alive until the
 * read returns.
 */
#include "libos.h"
#include "file.h"
#include <string.h>
#include <freebeam/kcall.h>

static struct libos_lock file_lock;
static struct file pool[LIBOS_MAX_FILES];
static uint32_t pool_next;                      /* next-fit search start */
static struct file *fds[LIBOS_MAX_FDS];
static uint32_t cloexec_bits[LIBOS_MAX_FDS / 32];
static uint32_t fd_lowest_free;                 /* no free fd below this */

struct file *libos_file_new(const struct file_ops *ops, int flags, void *priv)
{
    if (!ops)
        return NULL;
    struct file *f = NULL;
    libos_lock(&file_lock);
    for (uint32_t i = 0; i < LIBOS_MAX_FILES; i++) {
        uint32_t k = (pool_next + i) % LIBOS_MAX_FILES;
        if (!pool[k].ops) {
            f = &pool[k];
            pool_next = (k + 1) % LIBOS_MAX_FILES;
            break;
        }
    }
    if (f) {
        memset(f, 0, sizeof *f);
        f->ops = ops;
        f->refs = 1;
        f->flags = flags;
        f->priv = priv;
    }
    libos_unlock(&file_lock);
    return f;
}

static inline void set_cloexec_locked(int fd, int on)
{
    uint32_t m = 1u << (fd & 31);
    if (on)
        cloexec_bits[fd >> 5] |= m;
    else
        cloexec_bits[fd >> 5] &= ~m;
}

int libos_fd_install(struct file *f, int min_fd, int cloexec)
{
    if (min_fd < 0)
        return -EINVAL;
    int r = -EMFILE;
    libos_lock(&file_lock);
    uint32_t start = (uint32_t)min_fd > fd_lowest_free ? (uint32_t)min_fd : fd_lowest_free;
    for (uint32_t fd = start; fd < LIBOS_MAX_FDS; fd++) {
        if (!fds[fd]) {
            fds[fd] = f;
            set_cloexec_locked((int)fd, cloexec);
            if (fd == fd_lowest_free)
                fd_lowest_free = fd + 1;
            r = (int)fd;
            break;
        }
    }
    libos_unlock(&file_lock);
    return r;
}

static void release(struct file *f)
{
    if (f->ops->release)
        f->ops->release(f);
    libos_lock(&file_lock);
    f->ops = NULL;                              /* the slot is free again */
    libos_unlock(&file_lock);
}

int libos_fd_install_at(struct file *f, int fd, int cloexec)
{
    if (fd < 0 || fd >= LIBOS_MAX_FDS)
        return -EBADF;
    struct file *old;
    libos_lock(&file_lock);
    old = fds[fd];
    fds[fd] = f;
    set_cloexec_locked(fd, cloexec);
    if ((uint32_t)fd == fd_lowest_free)
        fd_lowest_free = (uint32_t)fd + 1;
    libos_unlock(&file_lock);
    if (old)
        libos_file_put(old);
    return fd;
}

struct file *libos_fd_get(int fd)
{
    if (fd < 0 || fd >= LIBOS_MAX_FDS)
        return NULL;
    libos_lock(&file_lock);
    struct file *f = fds[fd];
    if (f)
        f->refs++;
    libos_unlock(&file_lock);
    return f;
}

void libos_file_get(struct file *f)
{
    libos_lock(&file_lock);
    f->refs++;
    libos_unlock(&file_lock);
}

void libos_file_put(struct file *f)
{
    if (!f)
        return;
    libos_lock(&file_lock);
    uint32_t left = --f->refs;
    libos_unlock(&file_lock);
    if (left == 0)
        release(f);
}

int libos_fd_close(int fd)
{
    if (fd < 0 || fd >= LIBOS_MAX_FDS)
        return -EBADF;
    libos_lock(&file_lock);
    struct file *f = fds[fd];
    if (f) {
        fds[fd] = NULL;
        set_cloexec_locked(fd, 0);
        if ((uint32_t)fd < fd_lowest_free)
            fd_lowest_free = (uint32_t)fd;
    }
    libos_unlock(&file_lock);
    if (!f)
        return -EBADF;
    libos_file_put(f);
    return 0;
}

int libos_fd_get_cloexec(int fd)
{
    if (fd < 0 || fd >= LIBOS_MAX_FDS)
        return -EBADF;
    int r;
    libos_lock(&file_lock);
    if (!fds[fd])
        r = -EBADF;
    else
        r = (cloexec_bits[fd >> 5] >> (fd & 31)) & 1;
    libos_unlock(&file_lock);
    return r;
}

int libos_fd_set_cloexec(int fd, int on)
{
    if (fd < 0 || fd >= LIBOS_MAX_FDS)
        return -EBADF;
    int r = 0;
    libos_lock(&file_lock);
    if (!fds[fd])
        r = -EBADF;
    else
        set_cloexec_locked(fd, on);
    libos_unlock(&file_lock);
    return r;
}

unsigned libos_files_in_use(void)
{
    unsigned n = 0;
    libos_lock(&file_lock);
    for (uint32_t i = 0; i < LIBOS_MAX_FILES; i++)
        n += pool[i].ops != NULL;
    libos_unlock(&file_lock);
    return n;
}

/* ---- the change counter ----
 * A waiter announces itself (waiters++) before the kernel compares the
 * counter with what it saw; a changer bumps the counter before it looks at
 * waiters.  Both sides are sequentially consistent, so either the changer
 * sees the waiter and wakes it, or the kernel's compare sees the new value
 * and does not sleep: no lost wake-up, and no kernel call when nobody
 * waits (the common case on a pipe between busy threads). */
static volatile uint32_t change_seq;
static volatile uint32_t change_waiters;

uint32_t libos_change_seq(void)
{
    return __atomic_load_n(&change_seq, __ATOMIC_SEQ_CST);
}

void libos_file_changed(void)
{
    __atomic_fetch_add(&change_seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&change_waiters, __ATOMIC_SEQ_CST))
        fb_futex_wake(&change_seq, 0x7fffffffu);
}

long libos_wait_change(uint32_t seen, uint64_t deadline)
{
    if (__atomic_load_n(&change_seq, __ATOMIC_SEQ_CST) != seen)
        return 0;
    __atomic_fetch_add(&change_waiters, 1, __ATOMIC_SEQ_CST);
    int32_t r = fb_futex_wait(&change_seq, seen, deadline);
    __atomic_fetch_sub(&change_waiters, 1, __ATOMIC_SEQ_CST);
    if (r == -ETIMEDOUT || r == -EINTR)
        return r;
    return 0;       /* woken, or the counter had already moved (-EAGAIN) */
}
