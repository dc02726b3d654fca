/*
 * sys_file_meta.c - the calls that change a file's metadata other than its
 * mode, which OTP's file:write_file_info/2 makes (and erl_tar and zip when
 * they extract):
 *  - utimensat and utimensat_time64 set the access and modification times
 *    (utime, utimes, futimens come here through musl, which asks the 64-bit
 *    call only when a time does not fit in 32 bits: both layouts served);
 *  - the chown family: one user (uid and gid 0) owns every file, so a
 *    change to those ids (or -1, no change) succeeds and any other is EPERM;
 *  - link and linkat: hard links on /data (ext4_fs.c); the tmpfs and the
 *    archive have none, and say so with EOPNOTSUPP, which OTP reports as
 *    enotsup ("not supported on this platform") and its test suites skip
 *    on (symbolic links: vfs_ns.c).
 * The file system is vfs*.c (vfs_impl.h).
 */
#include "libos.h"
#include "vfs.h"
#include <fcntl.h>

#define UTIME_NOW_NS  ((1l << 30) - 1)
#define UTIME_OMIT_NS ((1l << 30) - 2)

/* One timespec given by the caller, as vfs_set_times takes it. */
static int one_time(int64_t sec, int64_t nsec, int64_t *out)
{
    if (nsec == UTIME_NOW_NS) {
        *out = VFS_TIME_NOW;
    } else if (nsec == UTIME_OMIT_NS) {
        *out = VFS_TIME_OMIT;
    } else if (nsec < 0 || nsec >= 1000000000) {
        return -EINVAL;
    } else if (sec > INT64_MAX / 1000000000 - 1 || sec < INT64_MIN / 1000000000 + 1) {
        return -EINVAL;         /* not representable in ns: refused, never wrapped */
    } else {
        *out = sec * 1000000000 + nsec;
    }
    return 0;
}

/* times: NULL (both now) or {atime sec, ns, mtime sec, ns} read as SEC_NS[4]. */
static long set_times(long dirfd, const char *path, const int64_t *sec_ns, long flags)
{
    if (flags & ~(long)AT_SYMLINK_NOFOLLOW)     /* no symbolic links: nothing to follow */
        return -EINVAL;
    int64_t at = VFS_TIME_NOW, mt = VFS_TIME_NOW;
    if (sec_ns) {
        int r = one_time(sec_ns[0], sec_ns[1], &at);
        if (r == 0)
            r = one_time(sec_ns[2], sec_ns[3], &mt);
        if (r)
            return r;
    }
    /* A NULL path names the descriptor itself (futimens). */
    return vfs_set_times((int)dirfd, path, at, mt);
}

/* utimensat(dirfd, path, const struct timespec32 times[2], flags) */
SYSCALL(utimensat)
{
    UNUSED_ARGS();
    const int32_t *t = (const int32_t *)c;
    if (!t)
        return set_times(a, (const char *)b, NULL, d);
    int64_t v[4] = { t[0], t[1], t[2], t[3] };
    return set_times(a, (const char *)b, v, d);
}

/* utimensat_time64(dirfd, path, const struct timespec64 times[2], flags):
 * each timespec is a 64-bit second count and a 64-bit slot for the ns
 * (musl passes them as long long[4]). */
SYSCALL(utimensat_time64)
{
    UNUSED_ARGS();
    const int64_t *t = (const int64_t *)c;
    if (!t)
        return set_times(a, (const char *)b, NULL, d);
    int64_t v[4] = { t[0], (int32_t)t[1], t[2], (int32_t)t[3] };
    return set_times(a, (const char *)b, v, d);
}

/* The owner: uid and gid 0 or -1 (unchanged); the file must exist. */
static long set_owner(long dirfd, const char *path, long uid, long gid, long flags)
{
    if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if ((uid != 0 && uid != -1) || (gid != 0 && gid != -1))
        return -EPERM;
    if (path && !path[0] && (flags & AT_EMPTY_PATH))
        path = NULL;                                /* the descriptor itself */
    /* The owner stays 0: only the change time moves, as set_times does. */
    return vfs_set_times((int)dirfd, path, VFS_TIME_OMIT, VFS_TIME_OMIT);
}

/* chown32(path, uid, gid), lchown32 the same (no symbolic links) */
SYSCALL(chown32)
{
    UNUSED_ARGS();
    if (!a)
        return -EFAULT;
    return set_owner(AT_FDCWD, (const char *)a, b, c, 0);
}

/* fchown32(fd, uid, gid) */
SYSCALL(fchown32)
{
    UNUSED_ARGS();
    return set_owner(a, NULL, b, c, 0);
}

/* fchownat(dirfd, path, uid, gid, flags) */
SYSCALL(fchownat)
{
    UNUSED_ARGS();
    if (!b)
        return -EFAULT;
    return set_owner(a, (const char *)b, c, d, e);
}

/* link(old, new) */
SYSCALL(link)
{
    UNUSED_ARGS();
    if (!a || !b)
        return -EFAULT;
    return vfs_link(AT_FDCWD, (const char *)a, AT_FDCWD, (const char *)b, false);
}

/* linkat(olddirfd, old, newdirfd, new, flags): AT_SYMLINK_FOLLOW follows
 * old's last link; AT_EMPTY_PATH (linking an open file) is not served. */
SYSCALL(linkat)
{
    UNUSED_ARGS();
    if (!b || !d)
        return -EFAULT;
    if (e & ~(long)AT_SYMLINK_FOLLOW)
        return -EINVAL;
    return vfs_link((int)a, (const char *)b, (int)c, (const char *)d, (e & AT_SYMLINK_FOLLOW) != 0);
}
