/*
 * test_libos_vfs.c - host unit tests of libos's files: the descriptor
 * table and file pool (libos/file.c), path resolution and mounts, tmpfs,
 * the archive mount and the devices (libos/vfs*.c), driven through the
 * system call functions themselves (libos/sys_file*.c) with the kernel
 * simulated by tests/host/libos_host.h.
 */
#include "libos_host.h"
#include "ext4_stub.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/ioctl.h>

#include "check.h"
#include "../../libos/file.c"
#include "../../libos/cpio.c"
#include "../../libos/vfs.c"
#include "../../libos/vfs_alloc.c"
#include "../../libos/vfs_walk.c"
#include "../../libos/vfs_tmpfs.c"
#include "../../libos/vfs_ns.c"
#include "../../libos/vfs_archive.c"
#include "../../libos/vfs_dev.c"
#include "../../libos/tty.c"
#include "../../libos/sys_file.c"
#include "../../libos/sys_file_path.c"

#define L(x) ((long)(uintptr_t)(x))
static long s_open(const char *p, long fl, long mode) { return sys_open(L(p), fl, mode, 0, 0, 0); }
static long s_close(long fd) { return sys_close(fd, 0, 0, 0, 0, 0); }
static long s_read(long fd, void *b, size_t n) { return sys_read(fd, L(b), (long)n, 0, 0, 0); }
static long s_write(long fd, const void *b, size_t n) { return sys_write(fd, L(b), (long)n, 0, 0, 0); }
static long s_mkdir(const char *p) { return sys_mkdir(L(p), 0755, 0, 0, 0, 0); }
static long s_stat(const char *p, struct kstat64 *k) { return sys_stat64(L(p), L(k), 0, 0, 0, 0); }
static long s_chdir(const char *p) { return sys_chdir(L(p), 0, 0, 0, 0, 0); }
static long s_getcwd(char *b, size_t n) { return sys_getcwd(L(b), (long)n, 0, 0, 0, 0); }
static long s_unlink(const char *p) { return sys_unlink(L(p), 0, 0, 0, 0, 0); }
static long s_rmdir(const char *p) { return sys_rmdir(L(p), 0, 0, 0, 0, 0); }
static long s_rename(const char *a, const char *b) { return sys_rename(L(a), L(b), 0, 0, 0, 0); }
static long s_lseek(long fd, long off, long wh) { return sys_lseek(fd, off, wh, 0, 0, 0); }
static long s_pread(long fd, void *b, size_t n, uint64_t off)
{
    return sys_pread64(fd, L(b), (long)n, 0, (long)(uint32_t)off, (long)(uint32_t)(off >> 32));
}
static long s_ftrunc(long fd, uint64_t len)
{
    return sys_ftruncate64(fd, 0, (long)(uint32_t)len, (long)(uint32_t)(len >> 32), 0, 0);
}

static int stat_ok(const char *p, uint32_t type)
{
    struct kstat64 k;
    return s_stat(p, &k) == 0 && (k.st_mode & S_IFMT) == type;
}

static uint64_t ino_of(const char *p)
{
    struct kstat64 k;
    return s_stat(p, &k) == 0 ? k.ino64 : 0;
}

/* Names in a directory, "|"-joined, "." and ".." left out. */
static void list(const char *dir, char *out, size_t size, size_t bufsize)
{
    out[0] = 0;
    long fd = s_open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        snprintf(out, size, "error %ld", fd);
        return;
    }
    uint8_t buf[512];
    long n;
    while ((n = sys_getdents64(fd, L(buf), (long)bufsize, 0, 0, 0)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64_hdr *d = (struct dirent64_hdr *)(buf + off);
            if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
                if (out[0])
                    strncat(out, "|", size - strlen(out) - 1);
                strncat(out, d->d_name, size - strlen(out) - 1);
            }
            off += d->d_reclen;
        }
    }
    s_close(fd);
}

static unsigned char arc[4096];
static size_t arc_len;

static void put_member(const char *name, uint32_t mode, const char *data)
{
    char h[111];
    size_t nl = strlen(name) + 1, size = strlen(data);
    snprintf(h, sizeof h, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             1u, mode, 0u, 0u, 1u, 1700000000u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    memcpy(arc + arc_len, h, 110);
    arc_len += 110;
    memcpy(arc + arc_len, name, nl);
    arc_len += nl;
    while (arc_len % 4)
        arc[arc_len++] = 0;
    memcpy(arc + arc_len, data, size);
    arc_len += size;
    while (arc_len % 4)
        arc[arc_len++] = 0;
}

static void test_start(void)
{
    libos_files_init();
    CHECK(sys_fcntl64(0, F_GETFD, 0, 0, 0, 0) == 0);
    CHECK(sys_fcntl64(2, F_GETFL, 0, 0, 0, 0) == O_RDWR);
    CHECK(s_write(1, "hi\n", 3) == 3 && host_console_len == 3 && memcmp(host_console, "hi\n", 3) == 0);
    char b[4];
    CHECK(s_read(0, b, 4) == 0);
    struct winsize ws;
    CHECK(sys_ioctl(1, TIOCGWINSZ, L(&ws), 0, 0, 0) == 0 && ws.ws_row == 24);
    CHECK(sys_ioctl(1, 0x1234, 0, 0, 0, 0) == -ENOTTY);
    CHECK(stat_ok("/", S_IFDIR) && stat_ok("/tmp", S_IFDIR) && stat_ok("/dev/null", S_IFCHR));
    char names[256];
    list("/dev", names, sizeof names, 512);
    CHECK_STR(names, "null|zero|urandom|random|console|tty");
}

static void test_paths(void)
{
    struct kstat64 k;
    CHECK(s_mkdir("/tmp/a") == 0 && s_mkdir("/tmp/a/b") == 0);
    CHECK(s_mkdir("/tmp/a") == -EEXIST);
    CHECK(s_mkdir("/tmp/zz/b") == -ENOENT);
    CHECK(stat_ok("/tmp//a/./b/../b", S_IFDIR));
    CHECK(stat_ok("/tmp/a/b/", S_IFDIR));
    CHECK(stat_ok("/..", S_IFDIR) && ino_of("/..") == ino_of("/"));
    CHECK(ino_of("/tmp/..") == ino_of("/") && ino_of("/dev/../tmp") == ino_of("/tmp"));
    long fd = s_open("/tmp/a/f", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 3);
    s_close(fd);
    CHECK(s_stat("/tmp/a/f/", &k) == -ENOTDIR);
    CHECK(s_stat("/tmp/a/f/..", &k) == -ENOTDIR);
    CHECK(s_stat("/tmp/a/f/x", &k) == -ENOTDIR);
    CHECK(s_stat("", &k) == -ENOENT);
    CHECK(s_stat(NULL, &k) == -EFAULT);
    CHECK(s_stat("/tmp/nope", &k) == -ENOENT);
    char big[5000];
    memset(big, 'a', sizeof big);
    big[0] = '/';
    big[300] = 0;
    CHECK(s_stat(big, &k) == -ENAMETOOLONG);
    CHECK(s_open(big, O_CREAT | O_WRONLY, 0644) == -ENAMETOOLONG);
    big[300] = 'a';
    for (int i = 1; i < 4999; i += 2)
        big[i] = '/';
    big[4999] = 0;
    CHECK(s_stat(big, &k) == -ENAMETOOLONG);
    CHECK(s_open("/tmp/new/", O_CREAT | O_WRONLY, 0644) == -EISDIR);
    CHECK(s_open("/tmp/a", O_WRONLY, 0) == -EISDIR);
    CHECK(s_open("/tmp/a/f", O_RDONLY | O_DIRECTORY, 0) == -ENOTDIR);
    CHECK(s_open("/tmp/a/f", O_CREAT | O_EXCL | O_WRONLY, 0644) == -EEXIST);

    /* Relative paths and the cwd. */
    char cwd[64];
    CHECK(s_getcwd(cwd, sizeof cwd) == 2 && strcmp(cwd, "/") == 0);
    CHECK(s_chdir("tmp/a") == 0 && s_getcwd(cwd, sizeof cwd) == 7 && strcmp(cwd, "/tmp/a") == 0);
    CHECK(s_getcwd(cwd, 6) == -ERANGE);
    CHECK(stat_ok("f", S_IFREG) && stat_ok("./b/../f", S_IFREG) && stat_ok("../a/f", S_IFREG));
    CHECK(s_chdir("f") == -ENOTDIR);
    CHECK(s_chdir("b") == 0 && s_rmdir("/tmp/a/b") == 0);
    CHECK(s_getcwd(cwd, sizeof cwd) == -ENOENT);   /* the cwd was removed */
    CHECK(s_open("x", O_CREAT | O_WRONLY, 0644) == -ENOENT);
    CHECK(s_chdir("/tmp") == 0 && s_getcwd(cwd, sizeof cwd) == 5);
    /* *at with a directory descriptor. */
    long dfd = s_open("/tmp/a", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dfd >= 0 && sys_fstatat64(dfd, L("f"), L(&k), 0, 0, 0) == 0 && S_ISREG(k.st_mode));
    CHECK(sys_fstatat64(dfd, L(""), L(&k), AT_EMPTY_PATH, 0, 0) == 0 && S_ISDIR(k.st_mode));
    long ffd = s_open("/tmp/a/f", O_RDONLY, 0);
    CHECK(sys_fstatat64(ffd, L("x"), L(&k), 0, 0, 0) == -ENOTDIR);
    CHECK(sys_fstatat64(99, L("x"), L(&k), 0, 0, 0) == -EBADF);
    CHECK(sys_fstatat64(99, L("/tmp"), L(&k), 0, 0, 0) == 0);  /* absolute: dirfd unused */
    CHECK(sys_unlinkat(dfd, L("f"), 0, 0, 0, 0) == 0 && !stat_ok("/tmp/a/f", S_IFREG));
    CHECK(sys_readlink(L("/tmp/a"), L(cwd), 10, 0, 0, 0) == -EINVAL);
    CHECK(sys_readlink(L("/tmp/q"), L(cwd), 10, 0, 0, 0) == -ENOENT);
    CHECK(sys_access(L("/tmp/a"), W_OK, 0, 0, 0, 0) == 0);
    s_close(ffd);
    s_close(dfd);
    CHECK(s_rmdir("/tmp/a") == 0);
    CHECK(s_rmdir("/tmp") == -EBUSY);
    CHECK(s_rmdir("/tmp/.") == -EINVAL);
    CHECK(s_chdir("/") == 0);
}

static void test_tmpfs(void)
{
    char buf[10000];
    long before = host_pages_out;
    long fd = s_open("/tmp/f", O_CREAT | O_RDWR, 0600);
    CHECK(fd >= 0 && s_write(fd, "hello", 5) == 5);
    CHECK(s_lseek(fd, 9000, SEEK_SET) == 9000 && s_write(fd, "!", 1) == 1);
    CHECK(s_pread(fd, buf, sizeof buf, 0) == 9001);
    int zero = 1;
    for (int i = 5; i < 9000; i++)
        zero &= buf[i] == 0;
    CHECK(zero && buf[9000] == '!' && memcmp(buf, "hello", 5) == 0);
    CHECK(s_pread(fd, buf, 10, 9001) == 0 && s_pread(fd, buf, 10, 1ull << 40) == 0);
    CHECK(s_lseek(fd, 0, SEEK_END) == 9001 && s_lseek(fd, -1, SEEK_SET) == -EINVAL);
    CHECK(s_ftrunc(fd, 3) == 0 && s_ftrunc(fd, 6) == 0);
    CHECK(s_pread(fd, buf, 10, 0) == 6 && memcmp(buf, "hel\0\0\0", 6) == 0);
    struct kstat64 k;
    CHECK(sys_fstat64(fd, L(&k), 0, 0, 0, 0) == 0 && k.st_size == 6 && (k.st_mode & 0777) == 0600);
    CHECK(k.mt_sec >= 1577836800u && k.st_blksize == 4096);
    /* O_APPEND through a second descriptor. */
    long fa = s_open("/tmp/f", O_WRONLY | O_APPEND, 0);
    CHECK(s_write(fa, "AB", 2) == 2 && s_pread(fd, buf, 10, 0) == 8 && memcmp(buf + 6, "AB", 2) == 0);
    s_close(fa);
    /* Unlink while open: readable until closed, then its pages are freed. */
    CHECK(s_unlink("/tmp/f") == 0 && !stat_ok("/tmp/f", S_IFREG));
    CHECK(s_pread(fd, buf, 10, 0) == 8);
    CHECK(sys_fstat64(fd, L(&k), 0, 0, 0, 0) == 0 && k.st_nlink == 0);
    CHECK(host_pages_out > before);
    s_close(fd);
    CHECK(host_pages_out <= before + 4096);     /* at most a slab page for names */

    /* Rename. */
    fd = s_open("/tmp/r1", O_CREAT | O_WRONLY, 0644);
    s_write(fd, "one", 3);
    s_close(fd);
    fd = s_open("/tmp/r2", O_CREAT | O_WRONLY, 0644);
    s_write(fd, "two!", 4);
    s_close(fd);
    uint64_t ino1 = ino_of("/tmp/r1");
    CHECK(s_rename("/tmp/r1", "/tmp/r2") == 0 && ino_of("/tmp/r2") == ino1 && !stat_ok("/tmp/r1", S_IFREG));
    CHECK(s_rename("/tmp/r2", "/tmp/r2") == 0);
    CHECK(s_mkdir("/tmp/d") == 0 && s_mkdir("/tmp/d/e") == 0);
    CHECK(s_rename("/tmp/d", "/tmp/d/e/f") == -EINVAL);
    CHECK(s_rename("/tmp/r2", "/tmp/d") == -EISDIR);
    CHECK(s_rename("/tmp/d", "/tmp/r2") == -ENOTDIR);
    CHECK(s_rename("/tmp/nope", "/tmp/x") == -ENOENT);
    CHECK(s_rename("/tmp/r2", "/tmp/d/e/moved") == 0 && stat_ok("/tmp/d/e/moved", S_IFREG));
    CHECK(s_rmdir("/tmp/d") == -ENOTEMPTY);
    CHECK(s_rename("/tmp/d", "/tmp/d2") == 0 && stat_ok("/tmp/d2/e/moved", S_IFREG));
    CHECK(s_rename("/tmp/d2/e/moved", "/dev/moved") == -EXDEV);
    CHECK(s_unlink("/tmp/d2/e/moved") == 0 && s_rmdir("/tmp/d2/e") == 0 && s_rmdir("/tmp/d2") == 0);
    CHECK(s_unlink("/tmp/d2") == -ENOENT);

    /* getdents64: a buffer too small for one entry, then one at a time. */
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "/tmp/n%d", i);
        s_close(s_open(name, O_CREAT | O_WRONLY, 0644));
    }
    char names[256];
    list("/tmp", names, sizeof names, 512);
    CHECK_STR(names, "n0|n1|n2|n3|n4");
    list("/tmp", names, sizeof names, 24);
    CHECK_STR(names, "n0|n1|n2|n3|n4");
    fd = s_open("/tmp", O_RDONLY | O_DIRECTORY, 0);
    CHECK(sys_getdents64(fd, L(buf), 10, 0, 0, 0) == -EINVAL);
    CHECK(s_read(fd, buf, 1) == -EISDIR);
    s_close(fd);
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "/tmp/n%d", i);
        s_unlink(name);
    }
    list("/tmp", names, sizeof names, 512);
    CHECK_STR(names, "");
}

static void test_archive(void)
{
    arc_len = 0;
    put_member(".", S_IFDIR | 0755, "");
    put_member("./etc", S_IFDIR | 0755, "");
    put_member("./etc/hosts", S_IFREG | 0644, "127.0.0.1 localhost\n");
    put_member("./lib/x/y.beam", S_IFREG | 0444, "BEAM");    /* implied directories */
    put_member("./link", S_IFLNK | 0777, "etc/hosts");         /* not served */
    put_member("TRAILER!!!", 0, "");
    CHECK(libos_mount_archive(arc, arc_len - 4, "/") == -EINVAL);   /* truncated */
    CHECK(libos_mount_archive(arc, arc_len, "/") == 0);
    CHECK(stat_ok("/etc/hosts", S_IFREG) && stat_ok("/lib/x", S_IFDIR) && !stat_ok("/link", S_IFREG));
    /* /tmp and /dev are still there over the archive at /. */
    CHECK(stat_ok("/tmp", S_IFDIR) && stat_ok("/dev/null", S_IFCHR));
    CHECK(ino_of("/tmp/..") == ino_of("/") && ino_of("/lib/x/../..") == ino_of("/"));
    char names[256];
    list("/", names, sizeof names, 512);
    CHECK_STR(names, "etc|lib");
    char buf[64];
    long fd = s_open("/etc/hosts", O_RDONLY, 0);
    CHECK(s_read(fd, buf, sizeof buf) == 20 && memcmp(buf, "127.0.0.1", 9) == 0);
    struct kstat64 k;
    CHECK(sys_fstat64(fd, L(&k), 0, 0, 0, 0) == 0 && k.mt_sec == 1700000000u && k.st_size == 20);
    CHECK(s_write(fd, "x", 1) == -EBADF);
    CHECK(s_ftrunc(fd, 0) == -EINVAL);
    s_close(fd);
    CHECK(s_open("/etc/hosts", O_RDWR, 0) == -EROFS);
    CHECK(s_open("/etc/new", O_CREAT | O_WRONLY, 0644) == -EROFS);
    CHECK(s_mkdir("/etc/d") == -EROFS && s_unlink("/etc/hosts") == -EROFS);
    CHECK(s_rename("/etc/hosts", "/etc/h") == -EROFS);
    CHECK(s_rename("/etc/hosts", "/tmp/h") == -EROFS);
    CHECK(sys_truncate64(L("/etc/hosts"), 0, 0, 0, 0, 0) == -EROFS);
    CHECK(sys_access(L("/etc/hosts"), W_OK, 0, 0, 0, 0) == -EROFS);
    CHECK(s_chdir("/lib/x") == 0);
    char cwd[64];
    CHECK(s_getcwd(cwd, sizeof cwd) > 0 && strcmp(cwd, "/lib/x") == 0);
    CHECK(s_chdir("/tmp") == 0 && s_getcwd(cwd, sizeof cwd) > 0 && strcmp(cwd, "/tmp") == 0);
    CHECK(s_chdir("/") == 0);
    /* A second archive on a new directory of the tmpfs. */
    CHECK(libos_mount_archive(arc, arc_len, "/tmp/data/") == 0);
    CHECK(stat_ok("/tmp/data/etc/hosts", S_IFREG) && ino_of("/tmp/data/..") == ino_of("/tmp"));
}

static long s_symlink(const char *t, const char *p) { return sys_symlink(L(t), L(p), 0, 0, 0, 0); }
static long s_lstat(const char *p, struct kstat64 *k) { return sys_lstat64(L(p), L(k), 0, 0, 0, 0); }

/* Symbolic links: the walk follows them in the middle and at the end
 * (relative to the link's directory, absolute from /, into the archive
 * mounted at / and /tmp/data by test_archive), 40 a lookup. */
static void test_symlinks(void)
{
    struct kstat64 k;
    char buf[64];
    CHECK(s_mkdir("/tmp/sl") == 0 && s_mkdir("/tmp/sl/d") == 0);
    CHECK(s_symlink("/etc/hosts", "/tmp/sl/abs") == 0 && stat_ok("/tmp/sl/abs", S_IFREG));
    CHECK(s_lstat("/tmp/sl/abs", &k) == 0 && (k.st_mode & S_IFMT) == S_IFLNK && k.st_size == 10);
    CHECK(sys_readlink(L("/tmp/sl/abs"), L(buf), sizeof buf, 0, 0, 0) == 10 && memcmp(buf, "/etc/hosts", 10) == 0);
    CHECK(sys_readlink(L("/tmp/sl/abs"), L(buf), 4, 0, 0, 0) == 4);
    CHECK(s_symlink("../../data/etc", "/tmp/sl/d/rel") == 0 && stat_ok("/tmp/sl/d/rel/hosts", S_IFREG));
    CHECK(s_symlink("d", "/tmp/sl/dl") == 0 && stat_ok("/tmp/sl/dl/rel/hosts", S_IFREG));
    CHECK(stat_ok("/tmp/sl/dl/rel/../../sl", S_IFDIR));     /* ".." of the archive's root */
    CHECK(s_open("/tmp/sl/abs", O_RDONLY | O_NOFOLLOW, 0) == -ELOOP);
    CHECK(s_open("/tmp/sl/abs", O_RDONLY | O_CREAT | O_EXCL, 0644) == -EEXIST);
    CHECK(s_open("/tmp/sl/dl/new", O_RDWR | O_CREAT, 0644) >= 0 && stat_ok("/tmp/sl/d/new", S_IFREG));
    CHECK(s_symlink("x", "/etc/l") == -EROFS && s_symlink("", "/tmp/sl/e") == -ENOENT);
    CHECK(s_symlink("x", "/tmp/sl/d") == -EEXIST && s_mkdir("/tmp/sl/dl") == -EEXIST);
    CHECK(s_rmdir("/tmp/sl/dl") == -ENOTDIR && s_stat("/tmp/sl/abs/", &k) == -ENOTDIR);
    CHECK(s_symlink("nowhere", "/tmp/sl/dang") == 0 && s_stat("/tmp/sl/dang", &k) == -ENOENT);
    CHECK(s_rename("/tmp/sl/dang", "/tmp/sl/dang2") == 0 && s_lstat("/tmp/sl/dang2", &k) == 0);
    /* A chain of 41: c0 -> d ... c40 -> c39. */
    char name[32], to[32];
    int made = 1;
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "/tmp/sl/c%d", i);
        snprintf(to, sizeof to, i ? "c%d" : "d", i - 1);
        made &= s_symlink(to, name) == 0;
    }
    CHECK(made && stat_ok("/tmp/sl/c39", S_IFDIR) && s_stat("/tmp/sl/c40", &k) == -ELOOP);
    CHECK(s_stat("/tmp/sl/c39/rel/hosts", &k) == -ELOOP);   /* 40 + 1 */
    list("/tmp/sl/d", buf, sizeof buf, 512);
    CHECK_STR(buf, "rel|new");
    long fd = s_open("/tmp/sl", O_RDONLY | O_DIRECTORY, 0);
    uint8_t dents[2048];
    long got = sys_getdents64(fd, L(dents), sizeof dents, 0, 0, 0);
    int lnk = 0;
    for (long off = 0; off < got; off += *(uint16_t *)(dents + off + 16))
        lnk += dents[off + 18] == 10;   /* DT_LNK */
    CHECK(lnk == 44);                   /* abs, dl, dang2, c0..c40 */
    s_close(fd);
    CHECK(s_unlink("/tmp/sl/abs") == 0 && stat_ok("/etc/hosts", S_IFREG));
}

static void test_fds(void)
{
    unsigned base = libos_files_in_use();
    long fd = s_open("/dev/null", O_RDWR, 0);
    CHECK(fd >= 3);
    long n = 0, last = -1;
    for (;;) {
        long d = sys_dup(fd, 0, 0, 0, 0, 0);
        if (d < 0) {
            CHECK(d == -EMFILE);
            break;
        }
        last = d;
        n++;
    }
    CHECK(last == LIBOS_MAX_FDS - 1 && libos_files_in_use() == base + 1);
    CHECK(s_close(500) == 0 && sys_dup(fd, 0, 0, 0, 0, 0) == 500);
    for (long i = fd + 1; i <= last; i++)
        s_close(i);
    CHECK(sys_fcntl64(fd, F_DUPFD, 100, 0, 0, 0) == 100);
    CHECK(sys_fcntl64(fd, F_DUPFD, LIBOS_MAX_FDS, 0, 0, 0) == -EINVAL);
    long t = s_open("/tmp/t", O_CREAT | O_RDWR, 0644);
    CHECK(libos_files_in_use() == base + 2);
    CHECK(sys_dup2(fd, t, 0, 0, 0, 0) == t && libos_files_in_use() == base + 1);  /* t's file released */
    CHECK(sys_dup2(fd, LIBOS_MAX_FDS, 0, 0, 0, 0) == -EBADF && sys_dup2(77, 5, 0, 0, 0, 0) == -EBADF);
    CHECK(sys_dup3(fd, 200, O_CLOEXEC, 0, 0, 0) == 200 && sys_fcntl64(200, F_GETFD, 0, 0, 0, 0) == FD_CLOEXEC);
    CHECK(sys_dup3(fd, 201, 1, 0, 0, 0) == -EINVAL);
    CHECK(sys_ioctl(200, FIONCLEX, 0, 0, 0, 0) == 0 && sys_fcntl64(200, F_GETFD, 0, 0, 0, 0) == 0);
    CHECK(sys_fcntl64(fd, F_SETFL, O_NONBLOCK | O_RDONLY, 0, 0, 0) == 0);
    CHECK(sys_fcntl64(100, F_GETFL, 0, 0, 0, 0) == (O_RDWR | O_NONBLOCK));     /* shared, mode kept */
    s_close(200);
    s_close(100);
    s_close(t);
    s_close(fd);
    CHECK(libos_files_in_use() == base);
    CHECK(s_close(fd) == -EBADF && s_close(-1) == -EBADF && s_close(LIBOS_MAX_FDS) == -EBADF);
    CHECK(s_read(fd, NULL, 0) == -EBADF);
    long w = s_open("/tmp/t", O_WRONLY, 0);
    char c;
    CHECK(s_read(w, &c, 1) == -EBADF && s_write(w, NULL, 1) == -EFAULT);
    s_close(w);
    CHECK(s_unlink("/tmp/t") == 0);

    /* The change counter: no kernel call when nobody waits. */
    uint32_t seq = libos_change_seq();
    unsigned wakes = host_futex_wakes, waits = host_futex_waits;
    libos_file_changed();
    CHECK(libos_change_seq() == seq + 1 && host_futex_wakes == wakes);
    CHECK(libos_wait_change(seq, 0) == 0 && host_futex_waits == waits);
    CHECK(libos_wait_change(seq + 1, 123) == -ETIMEDOUT && host_futex_waits == waits + 1);
    CHECK(change_waiters == 0);
}

/* The calls that take a descriptor instead of a path (or a directory
 * descriptor to start from) share one lookup (vfs_walk.c vfs_fd_node) and one
 * locking rule: each answers alike for the same kind of descriptor and
 * leaves vfs_lock free on every path, errors included. */
static void test_fd_lookups(void)
{
    long d = s_open("/tmp", O_RDONLY | O_DIRECTORY, 0);
    long f = s_open("/tmp/fdl", O_CREAT | O_RDWR, 0644);
    long dev = s_open("/dev/null", O_RDWR, 0);
    CHECK(d >= 0 && f >= 0 && dev >= 0);
    char sfs[256];
    struct kstat64 k;
    CHECK(sys_mkdirat(d, L("fdl-sub"), 0755, 0, 0, 0) == 0 && stat_ok("/tmp/fdl-sub", S_IFDIR));
    CHECK(vfs_lock.v == 0);
    CHECK(sys_mkdirat(f, L("x"), 0755, 0, 0, 0) == -ENOTDIR && vfs_lock.v == 0);
    CHECK(sys_mkdirat(77, L("x"), 0755, 0, 0, 0) == -EBADF && vfs_lock.v == 0);
    CHECK(sys_mkdirat(77, L("/tmp/fdl-abs"), 0755, 0, 0, 0) == 0 && vfs_lock.v == 0);  /* dirfd unused */
    CHECK(sys_fchdir(f, 0, 0, 0, 0, 0) == -ENOTDIR && vfs_lock.v == 0);
    CHECK(sys_fchdir(dev, 0, 0, 0, 0, 0) == -ENOTDIR && vfs_lock.v == 0);
    CHECK(sys_fchdir(77, 0, 0, 0, 0, 0) == -EBADF && vfs_lock.v == 0);
    CHECK(sys_fstatfs64(f, 84, L(sfs), 0, 0, 0) == 0 && vfs_lock.v == 0);
    CHECK(sys_fstatfs64(77, 84, L(sfs), 0, 0, 0) == -EBADF && vfs_lock.v == 0);
    CHECK(sys_fchmod(f, 0600, 0, 0, 0, 0) == 0 && vfs_lock.v == 0);
    CHECK(s_stat("/tmp/fdl", &k) == 0 && (k.st_mode & 07777) == 0600);
    CHECK(sys_fchmod(77, 0600, 0, 0, 0, 0) == -EBADF && vfs_lock.v == 0);
    char cwd[64];
    CHECK(sys_fchdir(d, 0, 0, 0, 0, 0) == 0 && vfs_lock.v == 0);
    CHECK(s_getcwd(cwd, sizeof cwd) == 5 && strcmp(cwd, "/tmp") == 0);
    CHECK(s_rmdir("fdl-sub") == 0 && s_rmdir("/tmp/fdl-abs") == 0 && s_unlink("fdl") == 0);
    CHECK(s_chdir("/") == 0);
    s_close(dev);
    s_close(f);
    s_close(d);
}

/* The debug console is a back end of tty.c: it reports tty.c's default
 * terminal (the serial console reports the same), and keeps what TCSETS
 * sets. */
static void test_debug_console_tty(void)
{
    long fd = s_open("/dev/console", O_RDWR, 0);
    struct tty_termios t, want;
    struct tty ref;
    tty_init(&ref);
    CHECK(fd >= 0 && sys_ioctl(fd, TCGETS, L(&t), 0, 0, 0) == 0);
    CHECK(memcmp(&t, &ref.tio, sizeof t) == 0);
    CHECK((t.c_lflag & TTY_ICANON) && !(t.c_lflag & TTY_ISIG) && (t.c_iflag & TTY_IUTF8));
    want = t;
    want.c_lflag &= ~(TTY_ICANON | TTY_ECHO);
    CHECK(sys_ioctl(fd, TCSETS, L(&want), 0, 0, 0) == 0 && sys_ioctl(fd, TCGETS, L(&t), 0, 0, 0) == 0);
    CHECK(memcmp(&t, &want, sizeof t) == 0);
    CHECK(sys_ioctl(fd, TCSETS, L(&ref.tio), 0, 0, 0) == 0);
    CHECK(sys_ioctl(fd, TCGETS, 0, 0, 0, 0) == -EFAULT && sys_ioctl(fd, TIOCSTI, L(&t), 0, 0, 0) == -ENOTTY);
    s_close(fd);
}

int main(void)
{
    test_start();
    test_paths();
    test_tmpfs();
    test_archive();
    test_symlinks();
    test_fds();
    test_fd_lookups();
    test_debug_console_tty();
    return check_report("test_libos_vfs");
}
