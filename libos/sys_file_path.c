/*
 * sys_file_path.c - the calls that name files by path: open/openat, the
 * stat family (stat64, lstat64, fstatat64, statx: musl 1.2.3 on ARM asks
 * statx first, for 64-bit times, and uses the others only on ENOSYS),
 * access/faccessat/faccessat2, readlink(at), getcwd, chdir, mkdir(at),
 * rmdir, unlink(at), rename/renameat/renameat2, truncate64, umask,
 * chmod/fchmodat, statfs64.  The file system itself is vfs*.c (vfs_impl.h).
 *
 * Symbolic links live on the tmpfs (vfs_walk.c follows them): lstat64,
 * AT_SYMLINK_NOFOLLOW and readlink name a link itself.
 */
#include "libos.h"
#include "vfs.h"
#include "sys_file.h"
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>

#define O_TMPFILE_BIT 020000000

static long do_openat(long dirfd, const char *path, long flags, long mode)
{
    if (!path)
        return -EFAULT;
    if (flags & O_TMPFILE_BIT)
        return -EOPNOTSUPP;
    struct file *f;
    int r = vfs_open((int)dirfd, path, (int)flags, (uint32_t)mode, &f);
    if (r)
        return r;
    r = libos_fd_install(f, 0, (flags & O_CLOEXEC) != 0);
    if (r < 0)
        libos_file_put(f);
    return r;
}

SYSCALL3(open, const char *, pathname, int, flags, mode_t, mode)
{
    return do_openat(AT_FDCWD, pathname, flags, mode);
}

SYSCALL4(openat, int, dirfd, const char *, pathname, int, flags, mode_t, mode)
{
    return do_openat(dirfd, pathname, flags, mode);
}

/* ---- stat ---- */
struct kstat64 {                /* Linux ARM EABI struct stat64 */
    uint64_t st_dev;
    uint32_t pad0, st_ino32;
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev;
    uint32_t pad1, pad2;
    int64_t st_size;
    uint32_t st_blksize, pad3;
    uint64_t st_blocks;
    uint32_t at_sec, at_nsec, mt_sec, mt_nsec, ct_sec, ct_nsec;
    uint64_t ino64;
};
_Static_assert(sizeof(struct kstat64) == 104, "Linux ARM stat64 is 104 bytes");

struct kstatx_ts {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t pad;
};

struct kstatx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, pad1;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct kstatx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct kstatx) == 256, "struct statx is 256 bytes");

static void split_ns(int64_t ns, int64_t *sec, uint32_t *nsec)
{
    int64_t s = ns / 1000000000, r = ns % 1000000000;
    if (r < 0) {
        r += 1000000000;
        s--;
    }
    *sec = s;
    *nsec = (uint32_t)r;
}

long libos_put_stat64(const struct libos_stat *st, void *buf)
{
    if (!buf)
        return -EFAULT;
    struct kstat64 k;
    memset(&k, 0, sizeof k);
    int64_t s;
    uint32_t ns;
    k.st_dev = st->dev;
    k.st_ino32 = (uint32_t)st->ino;
    k.ino64 = st->ino;
    k.st_mode = st->mode;
    k.st_nlink = st->nlink;
    k.st_uid = st->uid;
    k.st_gid = st->gid;
    k.st_rdev = st->rdev;
    k.st_size = (int64_t)st->size;
    k.st_blksize = st->blksize;
    k.st_blocks = st->blocks;
    split_ns(st->atime_ns, &s, &ns);
    k.at_sec = (uint32_t)s;
    k.at_nsec = ns;
    split_ns(st->mtime_ns, &s, &ns);
    k.mt_sec = (uint32_t)s;
    k.mt_nsec = ns;
    split_ns(st->ctime_ns, &s, &ns);
    k.ct_sec = (uint32_t)s;
    k.ct_nsec = ns;
    memcpy(buf, &k, sizeof k);
    return 0;
}

long libos_put_statx(const struct libos_stat *st, void *buf)
{
    if (!buf)
        return -EFAULT;
    struct kstatx x;
    memset(&x, 0, sizeof x);
    x.stx_mask = 0x7ff;         /* STATX_BASIC_STATS */
    x.stx_blksize = st->blksize;
    x.stx_nlink = st->nlink;
    x.stx_uid = st->uid;
    x.stx_gid = st->gid;
    x.stx_mode = (uint16_t)st->mode;
    x.stx_ino = st->ino;
    x.stx_size = st->size;
    x.stx_blocks = st->blocks;
    split_ns(st->atime_ns, &x.stx_atime.tv_sec, &x.stx_atime.tv_nsec);
    split_ns(st->mtime_ns, &x.stx_mtime.tv_sec, &x.stx_mtime.tv_nsec);
    split_ns(st->ctime_ns, &x.stx_ctime.tv_sec, &x.stx_ctime.tv_nsec);
    x.stx_rdev_major = (uint32_t)(st->rdev >> 8) & 0xfff;
    x.stx_rdev_minor = (uint32_t)(st->rdev & 0xff) | (uint32_t)(st->rdev >> 12 & 0xfff00);
    x.stx_dev_major = (uint32_t)(st->dev >> 8) & 0xfff;
    x.stx_dev_minor = (uint32_t)(st->dev & 0xff) | (uint32_t)(st->dev >> 12 & 0xfff00);
    memcpy(buf, &x, sizeof x);
    return 0;
}

/* fstatat semantics: AT_EMPTY_PATH with "" is the descriptor itself. */
static long stat_at(long dirfd, const char *path, long flags, struct libos_stat *st)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | 0x6000 /* AT_STATX_* */))
        return -EINVAL;
    if (!path)
        return -EFAULT;
    if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
        if (dirfd == AT_FDCWD)
            return vfs_stat(AT_FDCWD, ".", st);
        return libos_fstat_fd((int)dirfd, st);
    }
    if (flags & AT_SYMLINK_NOFOLLOW)
        return vfs_lstat((int)dirfd, path, st);
    return vfs_stat((int)dirfd, path, st);
}

SYSCALL2(stat64, const char *, pathname, void *, statbuf)
{
    struct libos_stat st;
    long r = stat_at(AT_FDCWD, pathname, 0, &st);
    return r ? r : libos_put_stat64(&st, statbuf);
}

SYSCALL2(lstat64, const char *, pathname, void *, statbuf)
{
    struct libos_stat st;
    long r = stat_at(AT_FDCWD, pathname, AT_SYMLINK_NOFOLLOW, &st);
    return r ? r : libos_put_stat64(&st, statbuf);
}

SYSCALL4(fstatat64, int, dirfd, const char *, pathname, void *, statbuf, int, flags)
{
    struct libos_stat st;
    long r = stat_at(dirfd, pathname, flags, &st);
    return r ? r : libos_put_stat64(&st, statbuf);
}

/* Every field of STATX_BASIC_STATS is filled, whatever the mask asks. */
SYSCALL5(statx, int, dirfd, const char *, pathname, int, flags, unsigned int, mask, void *, statxbuf)
{
    (void)mask;
    struct libos_stat st;
    long r = stat_at(dirfd, pathname, flags, &st);
    return r ? r : libos_put_statx(&st, statxbuf);
}

/* ---- names ---- */
static long do_access(long dirfd, const char *path, long amode, long flags)
{
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (!path)
        return -EFAULT;
    if (path[0] == 0 && (flags & AT_EMPTY_PATH)) {
        struct libos_stat st;
        return stat_at(dirfd, path, AT_EMPTY_PATH, &st);
    }
    return vfs_access((int)dirfd, path, (int)amode);
}

SYSCALL2(access, const char *, pathname, int, mode)
{
    return do_access(AT_FDCWD, pathname, mode, 0);
}

SYSCALL3(faccessat, int, dirfd, const char *, pathname, int, mode)
{
    return do_access(dirfd, pathname, mode, 0);
}

SYSCALL4(faccessat2, int, dirfd, const char *, pathname, int, mode, int, flags)
{
    return do_access(dirfd, pathname, mode, flags);
}

static long do_readlink(long dirfd, const char *path, char *buf, long size)
{
    if (!path)
        return -EFAULT;
    if (size <= 0)
        return -EINVAL;
    if (!buf)
        return -EFAULT;
    return vfs_readlink((int)dirfd, path, buf, (size_t)size);
}

SYSCALL2(symlink, const char *, target, const char *, linkpath)
{
    if (!linkpath)
        return -EFAULT;
    return vfs_symlink(target, AT_FDCWD, linkpath);
}

SYSCALL3(symlinkat, const char *, target, int, newdirfd, const char *, linkpath)
{
    if (!linkpath)
        return -EFAULT;
    return vfs_symlink(target, newdirfd, linkpath);
}

SYSCALL3(readlink, const char *, pathname, char *, buf, int, bufsiz)
{
    return do_readlink(AT_FDCWD, pathname, buf, bufsiz);
}

SYSCALL4(readlinkat, int, dirfd, const char *, pathname, char *, buf, int, bufsiz)
{
    return do_readlink(dirfd, pathname, buf, bufsiz);
}

SYSCALL2(getcwd, char *, buf, size_t, size)
{
    return vfs_getcwd(buf, size);
}

SYSCALL1(chdir, const char *, path)
{
    if (!path)
        return -EFAULT;
    return vfs_chdir(AT_FDCWD, path);
}

SYSCALL2(mkdir, const char *, pathname, mode_t, mode)
{
    return vfs_mkdir(AT_FDCWD, pathname, mode);
}

SYSCALL3(mkdirat, int, dirfd, const char *, pathname, mode_t, mode)
{
    return vfs_mkdir(dirfd, pathname, mode);
}

SYSCALL1(rmdir, const char *, pathname)
{
    return vfs_unlink(AT_FDCWD, pathname, true);
}

SYSCALL1(unlink, const char *, pathname)
{
    return vfs_unlink(AT_FDCWD, pathname, false);
}

SYSCALL3(unlinkat, int, dirfd, const char *, pathname, int, flags)
{
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    return vfs_unlink(dirfd, pathname, (flags & AT_REMOVEDIR) != 0);
}

SYSCALL2(rename, const char *, oldpath, const char *, newpath)
{
    return vfs_rename(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

SYSCALL4(renameat, int, olddirfd, const char *, oldpath, int, newdirfd, const char *, newpath)
{
    return vfs_rename(olddirfd, oldpath, newdirfd, newpath);
}

SYSCALL5(renameat2, int, olddirfd, const char *, oldpath, int, newdirfd, const char *, newpath,
         unsigned int, flags)
{
    if (flags)
        return -EINVAL;     /* RENAME_NOREPLACE/EXCHANGE/WHITEOUT: not yet */
    return vfs_rename(olddirfd, oldpath, newdirfd, newpath);
}

SYSCALL4(truncate64, const char *, path, long, pad, uint32_t, length_lo, uint32_t, length_hi)
{
    (void)pad;
    int64_t len = (int64_t)((uint64_t)length_lo | (uint64_t)length_hi << 32);
    if (len < 0)
        return -EINVAL;
    return vfs_truncate(AT_FDCWD, path, (uint64_t)len);
}

SYSCALL1(umask, mode_t, mask)
{
    return (long)vfs_umask(mask);
}

SYSCALL2(chmod, const char *, pathname, mode_t, mode)
{
    if (!pathname)
        return -EFAULT;
    return vfs_chmod(AT_FDCWD, pathname, mode);
}

SYSCALL3(fchmodat, int, dirfd, const char *, pathname, mode_t, mode)
{
    if (!pathname)
        return -EFAULT;
    return vfs_chmod(dirfd, pathname, mode);
}

#define TMPFS_MAGIC 0x01021994
#define ROMFS_MAGIC 0x7275

long libos_put_statfs64(bool ro, size_t size, void *buf)
{
    if (!buf)
        return -EFAULT;
    if (size < 84)
        return -EINVAL;
    struct statfs s;
    memset(&s, 0, sizeof s);
    s.f_type = ro ? ROMFS_MAGIC : TMPFS_MAGIC;
    s.f_bsize = 4096;
    s.f_frsize = 4096;
    s.f_namelen = 255;
    s.f_flags = ro ? 1 /* ST_RDONLY */ : 0;
    s.f_blocks = s.f_bfree = s.f_bavail = ro ? 0 : 4096;  /* a nominal 16 MiB */
    s.f_files = s.f_ffree = ro ? 0 : 65536;
    memcpy(buf, &s, size < sizeof s ? size : sizeof s);
    return 0;
}

SYSCALL3(statfs64, const char *, path, size_t, size, void *, buf)
{
    bool ro;
    int r = vfs_statfs(AT_FDCWD, path, &ro);
    return r ? r : libos_put_statfs64(ro, size, buf);
}
