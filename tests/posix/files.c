/*
 * files.c - files on freebeam's library OS: a cpio archive (embedded in the
 * program and mounted read-only at /data) and the tmpfs at /tmp.  Reads,
 * seeks, stat and readdir on the archive, EROFS when writing it; writes,
 * reads, holes, truncation, rename, unlink (also of an open file) and
 * readdir on /tmp; dup, dup2, dup3 and fcntl; the console and /dev; file
 * times (utime, utimensat, futimens), owners (chown), no hard links and
 * symbolic links into the archive.
 * Prints `files: N passed, N failed`; exits 0 only if none failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <termios.h>
#include <utime.h>
#include <unistd.h>

#define CHECK_NAME "files"
#include "check.h"

extern const char files_archive[], files_archive_end[];
int libos_mount_archive(const void *blob, size_t len, const char *where);

static int in_dir(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, name) == 0)
            found = 1;
    closedir(d);
    return found;
}

static int count_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static void test_archive(void)
{
    CHECK(libos_mount_archive(files_archive, (size_t)(files_archive_end - files_archive), "/data") == 0);
    char buf[64];
    int fd = open("/data/hello.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, sizeof buf) == 14 && memcmp(buf, "hello archive\n", 14) == 0);
    CHECK(read(fd, buf, sizeof buf) == 0);
    CHECK(lseek(fd, 6, SEEK_SET) == 6);
    CHECK(read(fd, buf, 7) == 7 && memcmp(buf, "archive", 7) == 0);
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 13);
    CHECK(lseek(fd, -1, SEEK_END) == 13);
    CHECK(lseek(fd, -20, SEEK_SET) == -1 && errno == EINVAL);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 14);
    CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
    close(fd);

    CHECK(stat("/data/dir/sub/b.bin", &st) == 0 && st.st_size == 5120 && S_ISREG(st.st_mode));
    CHECK(stat("/data/dir", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat("/data//dir/./sub/../a.txt", &st) == 0 && st.st_size == 6);
    CHECK(stat("/data/nope", &st) == -1 && errno == ENOENT);
    CHECK(stat("/data/hello.txt/x", &st) == -1 && errno == ENOTDIR);
    fd = open("/data/dir/sub/b.bin", O_RDONLY);
    unsigned char b[300];
    CHECK(fd >= 0 && pread(fd, b, 300, 256 * 7 + 10) == 300 && b[0] == 10 && b[299] == (unsigned char)(309 & 255));
    close(fd);

    CHECK(in_dir("/data", "hello.txt") == 1 && in_dir("/data", "dir") == 1);
    CHECK(count_dir("/data/dir") == 4);     /* . .. a.txt sub */
    CHECK(open("/data/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS);
    CHECK(open("/data/hello.txt", O_RDWR) == -1 && errno == EROFS);
    CHECK(mkdir("/data/d", 0755) == -1 && errno == EROFS);
    CHECK(unlink("/data/hello.txt") == -1 && errno == EROFS);
    CHECK(rename("/data/hello.txt", "/data/h2") == -1 && errno == EROFS);
    CHECK(access("/data/hello.txt", R_OK) == 0);
    CHECK(access("/data/hello.txt", W_OK) == -1 && errno == EROFS);
    char link[16];
    CHECK(readlink("/data/hello.txt", link, sizeof link) == -1 && errno == EINVAL);
    struct statvfs sv;
    CHECK(statvfs("/data", &sv) == 0 && (sv.f_flag & ST_RDONLY));
}

static void test_tmpfs(void)
{
    char buf[256];
    int fd = open("/tmp/f1", O_RDWR | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof buf) == 10 && memcmp(buf, "0123456789", 10) == 0);
    CHECK(open("/tmp/f1", O_RDWR | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    /* A hole reads as zeros. */
    CHECK(lseek(fd, 100, SEEK_SET) == 100 && write(fd, "Z", 1) == 1);
    CHECK(pread(fd, buf, 200, 0) == 101 && buf[50] == 0 && buf[100] == 'Z' && buf[9] == '9');
    CHECK(pwrite(fd, "ab", 2, 3) == 2 && pread(fd, buf, 5, 1) == 5 && memcmp(buf, "12ab5", 5) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 101 && (st.st_mode & 0777) == 0644 && st.st_mtime >= 1577836800);
    CHECK(ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4);
    CHECK(ftruncate(fd, 8) == 0 && pread(fd, buf, 8, 0) == 8 && memcmp(buf, "012a\0\0\0\0", 8) == 0);
    close(fd);
    /* Append. */
    fd = open("/tmp/f1", O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 && write(fd, "END", 3) == 3);
    close(fd);
    CHECK(stat("/tmp/f1", &st) == 0 && st.st_size == 11);
    CHECK(truncate("/tmp/f1", 2) == 0 && stat("/tmp/f1", &st) == 0 && st.st_size == 2);
    fd = open("/tmp/f1", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
    close(fd);
    /* A file of several pages. */
    FILE *fp = fopen("/tmp/big", "w");
    CHECK(fp != NULL);
    for (int i = 0; fp && i < 3000; i++)
        fprintf(fp, "line %d\n", i);
    CHECK(fp && fclose(fp) == 0);
    fp = fopen("/tmp/big", "r");
    int n = 0, ok = 1;
    char line[32];
    while (fp && fgets(line, sizeof line, fp)) {
        char want[32];
        snprintf(want, sizeof want, "line %d\n", n++);
        ok &= strcmp(line, want) == 0;
    }
    CHECK(fp && ok && n == 3000);
    if (fp)
        fclose(fp);

    /* Directories, rename, unlink. */
    CHECK(mkdir("/tmp/d", 0755) == 0);
    CHECK(mkdir("/tmp/d", 0755) == -1 && errno == EEXIST);
    CHECK(rename("/tmp/f1", "/tmp/d/f2") == 0);
    CHECK(in_dir("/tmp/d", "f2") == 1 && in_dir("/tmp", "f1") == 0);
    fd = open("/tmp/d/g", O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && write(fd, "gg", 2) == 2);
    close(fd);
    CHECK(rename("/tmp/d/g", "/tmp/d/f2") == 0);      /* over an existing file */
    CHECK(stat("/tmp/d/f2", &st) == 0 && st.st_size == 2 && count_dir("/tmp/d") == 3);
    CHECK(rmdir("/tmp/d") == -1 && errno == ENOTEMPTY);
    CHECK(rename("/tmp/d", "/data/d") == -1 && (errno == EXDEV || errno == EROFS));
    /* Unlink of an open file: still readable until closed. */
    fd = open("/tmp/d/f2", O_RDONLY);
    CHECK(fd >= 0 && unlink("/tmp/d/f2") == 0);
    CHECK(stat("/tmp/d/f2", &st) == -1 && errno == ENOENT);
    CHECK(read(fd, buf, 10) == 2 && memcmp(buf, "gg", 2) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
    close(fd);
    CHECK(rmdir("/tmp/d") == 0 && stat("/tmp/d", &st) == -1 && errno == ENOENT);
    CHECK(unlink("/tmp") == -1 && errno == EISDIR);
    CHECK(rmdir("/tmp/big") == -1 && errno == ENOTDIR);
    CHECK(open("/tmp/x/y", O_RDONLY) == -1 && errno == ENOENT);

    /* The working directory. */
    char cwd[64];
    CHECK(mkdir("/tmp/w", 0700) == 0 && chdir("/tmp/w") == 0);
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/w") == 0);
    fd = open("rel", O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && stat("/tmp/w/rel", &st) == 0);
    close(fd);
    CHECK(chdir("..") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0);
    CHECK(chdir("../data/dir") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/data/dir") == 0);
    CHECK(stat("a.txt", &st) == 0 && st.st_size == 6);
    CHECK(chdir("/") == 0);
    int dfd = open("/tmp/w", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0 && fstatat(dfd, "rel", &st, 0) == 0);
    CHECK(unlinkat(dfd, "rel", 0) == 0 && faccessat(dfd, "rel", F_OK, 0) == -1 && errno == ENOENT);
    CHECK(read(dfd, buf, 1) == -1 && errno == EISDIR);
    close(dfd);
    CHECK(rmdir("/tmp/w") == 0);
    CHECK(open("/tmp/nodir/", O_RDONLY | O_CREAT, 0600) == -1);
    char longname[300];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "/tmp/", 5);
    longname[299] = 0;
    CHECK(open(longname, O_RDONLY | O_CREAT, 0600) == -1 && errno == ENAMETOOLONG);
}

static void test_fds(void)
{
    int fd = open("/tmp/dupme", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    int d = dup(fd);
    CHECK(d > fd);
    CHECK(write(fd, "abc", 3) == 3 && lseek(d, 0, SEEK_CUR) == 3);   /* shared offset */
    CHECK(dup2(fd, 20) == 20 && lseek(20, 0, SEEK_SET) == 0 && lseek(fd, 0, SEEK_CUR) == 0);
    CHECK(dup2(fd, fd) == fd);
    CHECK(dup3(fd, fd, 0) == -1 && errno == EINVAL);
    CHECK(dup3(fd, 21, O_CLOEXEC) == 21 && fcntl(21, F_GETFD) == FD_CLOEXEC);
    CHECK(fcntl(fd, F_GETFD) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    CHECK(fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND) == 0 && (fcntl(d, F_GETFL) & (O_NONBLOCK | O_APPEND)) == (O_NONBLOCK | O_APPEND));
    CHECK(fcntl(fd, F_DUPFD, 30) == 30 && fcntl(fd, F_DUPFD_CLOEXEC, 30) == 31 && fcntl(31, F_GETFD) == FD_CLOEXEC);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    CHECK(fcntl(fd, F_SETLK, &fl) == 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
    CHECK(close(20) == 0 && close(20) == -1 && errno == EBADF);
    CHECK(read(77, &fl, 1) == -1 && errno == EBADF);
    CHECK(fcntl(77, F_GETFD) == -1 && errno == EBADF);
    close(21); close(30); close(31); close(d); close(fd);
    int again = open("/tmp/dupme", O_RDONLY);
    CHECK(again == fd);         /* the lowest free descriptor */
    close(again);
    CHECK(unlink("/tmp/dupme") == 0);
}

static void test_dev(void)
{
    char buf[64];
    CHECK(isatty(1) && isatty(0) && !isatty(99));
    struct termios t;
    CHECK(tcgetattr(0, &t) == 0 && (t.c_lflag & ICANON) && tcsetattr(0, TCSANOW, &t) == 0);
    struct winsize ws;
    CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80);
    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 3 && write(fd, "x", 1) == 1 && read(fd, buf, 10) == 0);
    CHECK(ioctl(fd, TIOCGWINSZ, &ws) == -1 && errno == ENOTTY && !isatty(fd));
    close(fd);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 1, sizeof buf);
    CHECK(fd >= 0 && read(fd, buf, 64) == 64 && buf[0] == 0 && buf[63] == 0);
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    unsigned char r1[16] = { 0 }, r2[16] = { 0 };
    CHECK(fd >= 0 && read(fd, r1, 16) == 16 && read(fd, r2, 16) == 16 && memcmp(r1, r2, 16) != 0);
    close(fd);
    struct stat st;
    CHECK(stat("/dev/console", &st) == 0 && S_ISCHR(st.st_mode));
    CHECK(read(0, buf, 1) == 0);        /* no console input yet */
    CHECK(write(2, "files: a line on stderr\n", 24) == 24);
}

/* Metadata.  utime, utimes, utimensat, futimens: the times are kept,
 * UTIME_OMIT keeps one, UTIME_NOW and NULL take the clock, a time past 2038
 * needs the 64-bit call; bad nanoseconds or flags give EINVAL, the archive
 * EROFS.  The chown family, and links that do not exist. */
static void test_meta(void)
{
    struct stat st;
    int fd = open("/tmp/t", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0);
    struct utimbuf ub = { .actime = 1000000000, .modtime = 1200000000 };
    CHECK(utime("/tmp/t", &ub) == 0 && stat("/tmp/t", &st) == 0 &&
          st.st_atime == 1000000000 && st.st_mtime == 1200000000);
    struct timespec ts[2] = { { 5, 0 }, { 4102444800ll, 123456789 } };     /* 2100: 64-bit */
    CHECK(utimensat(AT_FDCWD, "/tmp/t", ts, 0) == 0 && stat("/tmp/t", &st) == 0 &&
          st.st_atime == 5 && st.st_mtime == 4102444800ll && st.st_mtim.tv_nsec == 123456789);
    struct timespec omit_at[2] = { { 0, UTIME_OMIT }, { 77, 0 } };
    CHECK(futimens(fd, omit_at) == 0 && fstat(fd, &st) == 0 && st.st_atime == 5 && st.st_mtime == 77);
    struct timespec now_mt[2] = { { 9, 0 }, { 0, UTIME_NOW } };
    CHECK(utimensat(AT_FDCWD, "/tmp/t", now_mt, AT_SYMLINK_NOFOLLOW) == 0 && stat("/tmp/t", &st) == 0 &&
          st.st_atime == 9 && st.st_mtime >= 1577836800);
    CHECK(utimes("/tmp/t", NULL) == 0 && stat("/tmp/t", &st) == 0 && st.st_atime >= 1577836800);
    struct timespec bad[2] = { { 1, 1000000000 }, { 1, 0 } };
    CHECK(utimensat(AT_FDCWD, "/tmp/t", bad, 0) == -1 && errno == EINVAL);
    CHECK(utimensat(AT_FDCWD, "/tmp/t", NULL, 0x4000) == -1 && errno == EINVAL);
    CHECK(utime("/tmp/none", &ub) == -1 && errno == ENOENT);
    CHECK(utime("/data/hello.txt", &ub) == -1 && errno == EROFS);
    /* One owner (0): to it or -1 succeeds, to anyone else EPERM. */
    CHECK(chown("/tmp/t", -1, -1) == 0 && chown("/tmp/t", 0, 0) == 0 && lchown("/tmp/t", 0, -1) == 0);
    CHECK(fchown(fd, -1, 0) == 0 && fchownat(AT_FDCWD, "/tmp/t", 0, 0, AT_SYMLINK_NOFOLLOW) == 0);
    CHECK(chown("/tmp/t", 1000, -1) == -1 && errno == EPERM);
    CHECK(chown("/tmp/none", -1, -1) == -1 && errno == ENOENT);
    CHECK(chown("/data/hello.txt", 0, 0) == -1 && errno == EROFS);
    CHECK(stat("/tmp/t", &st) == 0 && st.st_uid == 0 && st.st_gid == 0);
    /* No hard links: EOPNOTSUPP (OTP's enotsup), and nothing is made. */
    CHECK(link("/tmp/t", "/tmp/h") == -1 && errno == EOPNOTSUPP);
    CHECK(linkat(AT_FDCWD, "/tmp/t", AT_FDCWD, "/tmp/h", 0) == -1 && errno == EOPNOTSUPP);
    CHECK(stat("/tmp/h", &st) == -1);
    /* Symbolic links (tests/posix/symlinks.c) from the tmpfs into the
     * read-only archive, and back up out of it. */
    char buf[64];
    CHECK(symlink("/data/hello.txt", "/tmp/s") == 0 && symlink("/data", "/tmp/sd") == 0);
    int sfd = open("/tmp/s", O_RDONLY);
    CHECK(sfd >= 0 && read(sfd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0);
    close(sfd);
    CHECK(stat("/tmp/sd/hello.txt", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(stat("/tmp/sd/../tmp/s", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(open("/tmp/sd/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS);
    CHECK(symlink("x", "/data/s") == -1 && errno == EROFS);
    CHECK(unlink("/tmp/s") == 0 && unlink("/tmp/sd") == 0 && stat("/data/hello.txt", &st) == 0);
    close(fd);
    CHECK(futimens(fd, NULL) == -1 && errno == EBADF);
    CHECK(fchown(fd, 0, 0) == -1 && errno == EBADF);
    CHECK(unlink("/tmp/t") == 0);
}

int main(void)
{
    test_archive();
    test_tmpfs();
    test_fds();
    test_dev();
    test_meta();
    return check_report();
}
