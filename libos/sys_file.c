/*
 * sys_file.c - the descriptor calls, for every kind of file (file.h):
 * read/write and their vector and positioned forms, lseek/_llseek,
 * fstat64, getdents64, fcntl64, dup/dup2/dup3, ioctl, fsync/fdatasync,
 * ftruncate64, close.  The path calls are in sys_file_path.c.
 *
 * ARM EABI: a 64-bit argument sits in an even register pair, so pread64,
 * pwrite64 and ftruncate64 have a padding word before it (musl's
 * __SYSCALL_LL_O): the low word comes first.
 *
 * Locks (fcntl F_GETLK/F_SETLK/F_SETLKW and the OFD forms): a PD is one
 * process, and a process never conflicts with its own locks, so every lock
 * is granted at once and F_GETLK always answers F_UNLCK.
 */
#include "libos.h"
#include "vfs.h"
#include "sys_file.h"
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#define MAX_RW 0x7ffff000u      /* Linux's MAX_RW_COUNT */

static inline uint64_t arg64(long lo, long hi)
{
    return (uint64_t)(uint32_t)lo | (uint64_t)(uint32_t)hi << 32;
}

static bool can_read(const struct file *fp)
{
    return !(fp->flags & O_PATH) && (fp->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(const struct file *fp)
{
    return !(fp->flags & O_PATH) && (fp->flags & O_ACCMODE) != O_RDONLY;
}

static bool is_dir_file(const struct file *fp)
{
    struct vnode *n = vfs_file_node(fp);
    return n && S_ISDIR(n->mode);
}

static long do_read(struct file *fp, void *buf, size_t len)
{
    if (!can_read(fp))
        return -EBADF;
    if (is_dir_file(fp))
        return -EISDIR;
    if (!fp->ops->read)
        return -EINVAL;
    if (len == 0)
        return 0;
    if (!buf)
        return -EFAULT;
    return fp->ops->read(fp, buf, len > MAX_RW ? MAX_RW : len);
}

static long do_write(struct file *fp, const void *buf, size_t len)
{
    if (!can_write(fp))
        return -EBADF;
    if (!fp->ops->write)
        return -EINVAL;
    if (len == 0)
        return 0;
    if (!buf)
        return -EFAULT;
    return fp->ops->write(fp, buf, len > MAX_RW ? MAX_RW : len);
}

SYSCALL(read)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r = do_read(fp, (void *)b, (size_t)c);
    libos_file_put(fp);
    return r;
}

SYSCALL(write)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r = do_write(fp, (const void *)b, (size_t)c);
    libos_file_put(fp);
    return r;
}

static long check_iov(const struct iovec *iov, long cnt)
{
    if (cnt < 0 || cnt > 1024)
        return -EINVAL;
    if (cnt && !iov)
        return -EFAULT;
    size_t total = 0;
    for (long i = 0; i < cnt; i++) {
        if (iov[i].iov_len > 0x7fffffffu - total)
            return -EINVAL;
        total += iov[i].iov_len;
        if (iov[i].iov_len && !iov[i].iov_base)
            return -EFAULT;
    }
    return 0;
}

/* One call per buffer; stops at the first short transfer.  A kind with a
 * writev operation (sockets) takes a written vector whole. */
static long do_vec(long fd, const struct iovec *iov, long cnt, bool wr)
{
    long r = check_iov(iov, cnt);
    if (r)
        return r;
    struct file *fp = libos_fd_get((int)fd);
    if (!fp)
        return -EBADF;
    long total = 0;
    if (!(wr ? can_write(fp) : can_read(fp))) {
        total = -EBADF;
    } else if (wr && fp->ops->writev) {
        size_t len = 0;
        for (long i = 0; i < cnt; i++)
            len += iov[i].iov_len;       /* check_iov: at most 0x7fffffff in all */
        total = fp->ops->writev(fp, iov, cnt, len);
        libos_file_put(fp);
        return total;
    }
    for (long i = 0; total >= 0 && i < cnt; i++) {
        if (iov[i].iov_len == 0)
            continue;
        r = wr ? do_write(fp, iov[i].iov_base, iov[i].iov_len)
               : do_read(fp, iov[i].iov_base, iov[i].iov_len);
        if (r < 0) {
            if (!total)
                total = r;
            break;
        }
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    libos_file_put(fp);
    return total;
}

SYSCALL(readv)
{
    UNUSED_ARGS();
    return do_vec(a, (const struct iovec *)b, c, false);
}

SYSCALL(writev)
{
    UNUSED_ARGS();
    return do_vec(a, (const struct iovec *)b, c, true);
}

/* pread64(fd, buf, count, pad, lo, hi) */
SYSCALL(pread64)
{
    UNUSED_ARGS();
    uint64_t off = arg64(e, f);
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r;
    if (!can_read(fp))
        r = -EBADF;
    else if (is_dir_file(fp))
        r = -EISDIR;
    else if (!fp->ops->pread)
        r = -ESPIPE;
    else if ((int64_t)off < 0)
        r = -EINVAL;
    else if (c == 0)
        r = 0;
    else if (!b)
        r = -EFAULT;
    else
        r = fp->ops->pread(fp, (void *)b, (size_t)c > MAX_RW ? MAX_RW : (size_t)c, off);
    libos_file_put(fp);
    return r;
}

SYSCALL(pwrite64)
{
    UNUSED_ARGS();
    uint64_t off = arg64(e, f);
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r;
    if (!can_write(fp))
        r = -EBADF;
    else if (!fp->ops->pwrite)
        r = -ESPIPE;
    else if ((int64_t)off < 0)
        r = -EINVAL;
    else if (c == 0)
        r = 0;
    else if (!b)
        r = -EFAULT;
    else
        r = fp->ops->pwrite(fp, (const void *)b, (size_t)c > MAX_RW ? MAX_RW : (size_t)c, off);
    libos_file_put(fp);
    return r;
}

static int64_t do_lseek(long fd, int64_t off, long whence)
{
    struct file *fp = libos_fd_get((int)fd);
    if (!fp)
        return -EBADF;
    int64_t r;
    if (fp->flags & O_PATH)
        r = -EBADF;
    else if (!fp->ops->lseek)
        r = -ESPIPE;
    else if (whence < SEEK_SET || whence > SEEK_END)
        r = -EINVAL;
    else
        r = fp->ops->lseek(fp, off, (int)whence);
    libos_file_put(fp);
    return r;
}

SYSCALL(lseek)
{
    UNUSED_ARGS();
    int64_t r = do_lseek(a, (int64_t)b, c);
    if (r > 0x7fffffff)
        return -EOVERFLOW;
    return (long)r;
}

/* _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
SYSCALL(_llseek)
{
    UNUSED_ARGS();
    if (!d)
        return -EFAULT;
    int64_t r = do_lseek(a, (int64_t)arg64(c, b), e);
    if (r < 0)
        return (long)r;
    memcpy((void *)d, &r, sizeof r);
    return 0;
}

SYSCALL(fstat64)
{
    UNUSED_ARGS();
    struct libos_stat st;
    long r = libos_fstat_fd((int)a, &st);
    if (r == 0)
        r = libos_put_stat64(&st, (void *)b);
    return r;
}

SYSCALL(getdents64)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r;
    if (fp->flags & O_PATH)
        r = -EBADF;
    else if (!fp->ops->getdents64)
        r = -ENOTDIR;
    else if (!b)
        r = -EFAULT;
    else
        r = fp->ops->getdents64(fp, (void *)b, (size_t)c);
    libos_file_put(fp);
    return r;
}

long libos_fstat_fd(int fd, struct libos_stat *st)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r;
    if (fp->ops->fstat) {
        r = fp->ops->fstat(fp, st);
    } else {
        /* Kinds without an fstat (anonymous pipes and such): a FIFO-ish
         * anonymous inode, as Linux's anon_inode files look. */
        memset(st, 0, sizeof *st);
        st->mode = S_IFIFO | 0600;
        st->nlink = 1;
        st->blksize = 4096;
        st->ino = (uint64_t)(uintptr_t)fp;
        r = 0;
    }
    libos_file_put(fp);
    return r;
}

static long dup_to(long oldfd, long newfd, bool cloexec)
{
    if (newfd < 0 || newfd >= LIBOS_MAX_FDS)
        return -EBADF;
    struct file *fp = libos_fd_get((int)oldfd);
    if (!fp)
        return -EBADF;
    long r = libos_fd_install_at(fp, (int)newfd, cloexec);
    if (r < 0)
        libos_file_put(fp);
    return r;
}

SYSCALL(dup)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    int r = libos_fd_install(fp, 0, 0);
    if (r < 0)
        libos_file_put(fp);
    return r;
}

SYSCALL(dup2)
{
    UNUSED_ARGS();
    if (a == b) {
        struct file *fp = libos_fd_get((int)a);
        if (!fp)
            return -EBADF;
        libos_file_put(fp);
        return b;
    }
    return dup_to(a, b, false);
}

SYSCALL(dup3)
{
    UNUSED_ARGS();
    if (c & ~O_CLOEXEC)
        return -EINVAL;
    if (a == b)
        return -EINVAL;
    return dup_to(a, b, (c & O_CLOEXEC) != 0);
}

SYSCALL(close)
{
    UNUSED_ARGS();
    return libos_fd_close((int)a);
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

SYSCALL(fcntl64)
{
    UNUSED_ARGS();
    int fd = (int)a;
    long cmd = b, arg = c;
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (arg < 0 || arg >= LIBOS_MAX_FDS) {
            r = -EINVAL;
            break;
        }
        r = libos_fd_install(fp, (int)arg, cmd == F_DUPFD_CLOEXEC);
        if (r >= 0)
            fp = NULL;       /* the table holds our reference now */
        break;
    case F_GETFD:
        r = libos_fd_get_cloexec(fd);
        break;
    case F_SETFD:
        r = libos_fd_set_cloexec(fd, (int)(arg & FD_CLOEXEC));
        break;
    case F_GETFL:
        r = fp->flags;
        break;
    case F_SETFL:
        __atomic_store_n(&fp->flags, (fp->flags & ~SETFL_MASK) | (int)(arg & SETFL_MASK),
                         __ATOMIC_RELAXED);
        libos_file_changed();       /* a blocked reader may now have to give EAGAIN */
        r = 0;
        break;
    case F_GETLK:
    case F_OFD_GETLK: {
        struct flock *fl = (struct flock *)arg;
        if (!fl) {
            r = -EFAULT;
        } else {
            fl->l_type = F_UNLCK;       /* nobody else can hold a lock */
            r = 0;
        }
        break;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
        r = arg ? 0 : -EFAULT;
        break;
    case F_GETOWN:
        r = 0;
        break;
    case F_SETOWN:
    case F_SETSIG:
        r = 0;      /* accepted; no signal is ever sent */
        break;
    case F_GETOWN_EX:
        r = -EINVAL;        /* musl then falls back to F_GETOWN */
        break;
    default:
        r = -EINVAL;
        break;
    }
    if (fp)
        libos_file_put(fp);
    return r;
}

SYSCALL(ioctl)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r;
    unsigned long req = (unsigned long)b;
    if (fp->flags & O_PATH) {
        r = -EBADF;
    } else if (req == FIOCLEX || req == FIONCLEX) {
        r = libos_fd_set_cloexec((int)a, req == FIOCLEX);
    } else if (req == FIONBIO) {
        if (!c) {
            r = -EFAULT;
        } else {
            int on = *(const int *)c;
            int fl = fp->flags;
            __atomic_store_n(&fp->flags, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK, __ATOMIC_RELAXED);
            libos_file_changed();
            r = 0;
        }
    } else if (!fp->ops->ioctl) {
        r = -ENOTTY;
    } else {
        r = fp->ops->ioctl(fp, req, (unsigned long)c);
    }
    libos_file_put(fp);
    return r;
}

SYSCALL(fsync)
{
    UNUSED_ARGS();
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r = (fp->flags & O_PATH) ? -EBADF : fp->ops->fsync ? fp->ops->fsync(fp) : -EINVAL;
    libos_file_put(fp);
    return r;
}

/* ftruncate64(fd, pad, lo, hi) */
SYSCALL(ftruncate64)
{
    UNUSED_ARGS();
    int64_t len = (int64_t)arg64(c, d);
    struct file *fp = libos_fd_get((int)a);
    if (!fp)
        return -EBADF;
    long r;
    if (fp->flags & O_PATH)
        r = -EBADF;
    else if (len < 0 || !can_write(fp) || !fp->ops->ftruncate)
        r = -EINVAL;
    else
        r = fp->ops->ftruncate(fp, (uint64_t)len);
    libos_file_put(fp);
    return r;
}

SYSCALL(fchmod)
{
    UNUSED_ARGS();
    return vfs_chmod((int)a, NULL, (uint32_t)b);
}

SYSCALL(fchdir)
{
    UNUSED_ARGS();
    return vfs_chdir((int)a, NULL);
}

SYSCALL(fstatfs64)
{
    UNUSED_ARGS();
    bool ro;
    int r = vfs_statfs((int)a, NULL, &ro);
    if (r == 0)
        r = libos_put_statfs64(ro, (size_t)b, (void *)c);
    return r;
}
