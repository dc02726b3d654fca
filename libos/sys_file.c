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

static inline uint64_t arg64(uint32_t lo, uint32_t hi)
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

SYSCALL3(read, int, fd, void *, buf, size_t, count)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r = do_read(fp, buf, count);
    libos_file_put(fp);
    return r;
}

SYSCALL3(write, int, fd, const void *, buf, size_t, count)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r = do_write(fp, buf, count);
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

SYSCALL3(readv, int, fd, const struct iovec *, iov, int, iovcnt)
{
    return do_vec(fd, iov, iovcnt, false);
}

SYSCALL3(writev, int, fd, const struct iovec *, iov, int, iovcnt)
{
    return do_vec(fd, iov, iovcnt, true);
}

SYSCALL6(pread64, int, fd, void *, buf, size_t, count, long, pad, uint32_t, offset_lo, uint32_t, offset_hi)
{
    (void)pad;
    uint64_t off = arg64(offset_lo, offset_hi);
    struct file *fp = libos_fd_get(fd);
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
    else if (count == 0)
        r = 0;
    else if (!buf)
        r = -EFAULT;
    else
        r = fp->ops->pread(fp, buf, count > MAX_RW ? MAX_RW : count, off);
    libos_file_put(fp);
    return r;
}

SYSCALL6(pwrite64, int, fd, const void *, buf, size_t, count, long, pad, uint32_t, offset_lo,
         uint32_t, offset_hi)
{
    (void)pad;
    uint64_t off = arg64(offset_lo, offset_hi);
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r;
    if (!can_write(fp))
        r = -EBADF;
    else if (!fp->ops->pwrite)
        r = -ESPIPE;
    else if ((int64_t)off < 0)
        r = -EINVAL;
    else if (count == 0)
        r = 0;
    else if (!buf)
        r = -EFAULT;
    else
        r = fp->ops->pwrite(fp, buf, count > MAX_RW ? MAX_RW : count, off);
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

SYSCALL3(lseek, int, fd, long, offset, int, whence)
{
    int64_t r = do_lseek(fd, offset, whence);
    if (r > 0x7fffffff)
        return -EOVERFLOW;
    return (long)r;
}

SYSCALL5(_llseek, int, fd, uint32_t, offset_high, uint32_t, offset_low, int64_t *, result, int, whence)
{
    if (!result)
        return -EFAULT;
    int64_t r = do_lseek(fd, (int64_t)arg64(offset_low, offset_high), whence);
    if (r < 0)
        return (long)r;
    memcpy(result, &r, sizeof r);
    return 0;
}

SYSCALL2(fstat64, int, fd, void *, statbuf)
{
    struct libos_stat st;
    long r = libos_fstat_fd(fd, &st);
    if (r == 0)
        r = libos_put_stat64(&st, statbuf);
    return r;
}

SYSCALL3(getdents64, int, fd, void *, dirp, size_t, count)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r;
    if (fp->flags & O_PATH)
        r = -EBADF;
    else if (!fp->ops->getdents64)
        r = -ENOTDIR;
    else if (!dirp)
        r = -EFAULT;
    else
        r = fp->ops->getdents64(fp, dirp, count);
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

SYSCALL1(dup, int, oldfd)
{
    struct file *fp = libos_fd_get(oldfd);
    if (!fp)
        return -EBADF;
    int r = libos_fd_install(fp, 0, 0);
    if (r < 0)
        libos_file_put(fp);
    return r;
}

SYSCALL2(dup2, int, oldfd, int, newfd)
{
    if (oldfd == newfd) {
        struct file *fp = libos_fd_get(oldfd);
        if (!fp)
            return -EBADF;
        libos_file_put(fp);
        return newfd;
    }
    return dup_to(oldfd, newfd, false);
}

SYSCALL3(dup3, int, oldfd, int, newfd, int, flags)
{
    if (flags & ~O_CLOEXEC)
        return -EINVAL;
    if (oldfd == newfd)
        return -EINVAL;
    return dup_to(oldfd, newfd, (flags & O_CLOEXEC) != 0);
}

SYSCALL1(close, int, fd)
{
    return libos_fd_close(fd);
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

SYSCALL3(fcntl64, int, fd, int, cmd, long, arg)
{
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

SYSCALL3(ioctl, int, fd, unsigned long, request, unsigned long, arg)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r;
    if (fp->flags & O_PATH) {
        r = -EBADF;
    } else if (request == FIOCLEX || request == FIONCLEX) {
        r = libos_fd_set_cloexec(fd, request == FIOCLEX);
    } else if (request == FIONBIO) {
        if (!arg) {
            r = -EFAULT;
        } else {
            int on = *(const int *)arg;
            int fl = fp->flags;
            __atomic_store_n(&fp->flags, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK, __ATOMIC_RELAXED);
            libos_file_changed();
            r = 0;
        }
    } else if (!fp->ops->ioctl) {
        r = -ENOTTY;
    } else {
        r = fp->ops->ioctl(fp, request, arg);
    }
    libos_file_put(fp);
    return r;
}

SYSCALL1(fsync, int, fd)
{
    struct file *fp = libos_fd_get(fd);
    if (!fp)
        return -EBADF;
    long r = (fp->flags & O_PATH) ? -EBADF : fp->ops->fsync ? fp->ops->fsync(fp) : -EINVAL;
    libos_file_put(fp);
    return r;
}

SYSCALL4(ftruncate64, int, fd, long, pad, uint32_t, length_lo, uint32_t, length_hi)
{
    (void)pad;
    int64_t len = (int64_t)arg64(length_lo, length_hi);
    struct file *fp = libos_fd_get(fd);
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

SYSCALL2(fchmod, int, fd, mode_t, mode)
{
    return vfs_chmod(fd, NULL, mode);
}

SYSCALL1(fchdir, int, fd)
{
    return vfs_chdir(fd, NULL);
}

SYSCALL3(fstatfs64, int, fd, size_t, size, void *, buf)
{
    bool ro;
    int r = vfs_statfs(fd, NULL, &ro);
    if (r == 0)
        r = libos_put_statfs64(ro, size, buf);
    return r;
}
