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
#include "timeconv.h"
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

/* times: NULL or struct timespec32 times[2], read as int32_t[4]. */
SYSCALL4(utimensat, int, dirfd, const char *, pathname, const int32_t *, times, int, flags)
{
    if (!times)
        return set_times(dirfd, pathname, NULL, flags);
    int64_t v[4] = { times[0], times[1], times[2], times[3] };
    return set_times(dirfd, pathname, v, flags);
}

/* times: NULL or struct timespec64 times[2]: each a 64-bit second count and
 * a 64-bit slot for the ns (musl passes them as long long[4]). */
SYSCALL4(utimensat_time64, int, dirfd, const char *, pathname, const int64_t *, times, int, flags)
{
    if (!times)
        return set_times(dirfd, pathname, NULL, flags);
    int64_t v[4] = { times[0], tc_nsec64(times[1]), times[2], tc_nsec64(times[3]) };
    return set_times(dirfd, pathname, v, flags);
}

/* The owner: uid and gid 0 or -1 (unchanged); the file must exist. */
static long set_owner(long dirfd, const char *path, uid_t uid, gid_t gid, long flags)
{
    if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if ((uid != 0 && uid != (uid_t)-1) || (gid != 0 && gid != (gid_t)-1))
        return -EPERM;
    if (path && !path[0] && (flags & AT_EMPTY_PATH))
        path = NULL;                                /* the descriptor itself */
    /* The owner stays 0: only the change time moves, as set_times does. */
    return vfs_set_times((int)dirfd, path, VFS_TIME_OMIT, VFS_TIME_OMIT);
}

/* lchown32 is chown32 too (systab_files.inc). */
SYSCALL3(chown32, const char *, pathname, uid_t, owner, gid_t, group)
{
    if (!pathname)
        return -EFAULT;
    return set_owner(AT_FDCWD, pathname, owner, group, 0);
}

SYSCALL3(fchown32, int, fd, uid_t, owner, gid_t, group)
{
    return set_owner(fd, NULL, owner, group, 0);
}

SYSCALL5(fchownat, int, dirfd, const char *, pathname, uid_t, owner, gid_t, group, int, flags)
{
    if (!pathname)
        return -EFAULT;
    return set_owner(dirfd, pathname, owner, group, flags);
}

SYSCALL2(link, const char *, oldpath, const char *, newpath)
{
    if (!oldpath || !newpath)
        return -EFAULT;
    return vfs_link(AT_FDCWD, oldpath, AT_FDCWD, newpath, false);
}

/* AT_SYMLINK_FOLLOW follows oldpath's last link; AT_EMPTY_PATH (linking an
 * open file) is not served. */
SYSCALL5(linkat, int, olddirfd, const char *, oldpath, int, newdirfd, const char *, newpath, int, flags)
{
    if (!oldpath || !newpath)
        return -EFAULT;
    if (flags & ~AT_SYMLINK_FOLLOW)
        return -EINVAL;
    return vfs_link(olddirfd, oldpath, newdirfd, newpath, (flags & AT_SYMLINK_FOLLOW) != 0);
}
