/*
 * ext4.c - /data (libos's ext4 on the virtio-blk disk) from a C program,
 * booted twice on one disk by tests/suites/storage.sh (systems/posix-ext4.config).
 * First boot (no /data/boot1 yet): creates files and directories with
 * open/write/pwrite/O_APPEND/ftruncate/rename/unlink/mkdir/rmdir, checks
 * them with read/pread/lseek/fstat/stat/readdir and the error answers
 * (O_EXCL, ENOENT, ENOTEMPTY, EISDIR), fsyncs, and leaves a known set of
 * files behind.  Second boot: reads that set back.  Prints
 * `ext4: phase N`, `ext4: N passed, N failed` and exits 0 only if none failed.
 * A disk holding /data/powercut runs the power-cut workload instead
 * (ext4_powercut.c), one holding /data/osync the O_SYNC test's
 * (ext4_osync.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK_NAME "ext4"
#include "check.h"
#include "ext4_osync.h"
#include "ext4_powercut.h"

/* Does directory dir list name?  1 or 0; -1 if it cannot be opened. */
static int listed(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    int found = d ? 0 : -1;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        found |= strcmp(e->d_name, name) == 0;
    if (d)
        closedir(d);
    return found;
}

static int put(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, s, strlen(s));
    int r = fsync(fd);
    close(fd);
    return n == (ssize_t)strlen(s) && r == 0 ? 0 : -1;
}

/* The whole file into buf (NUL-terminated); its length or -1. */
static ssize_t get(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t total = 0, n;
    while ((n = read(fd, buf + total, cap - 1 - (size_t)total)) > 0)
        total += n;
    close(fd);
    buf[total] = 0;
    return n < 0 ? -1 : total;
}

static int same(const char *path, const char *want)
{
    char buf[512];
    return get(path, buf, sizeof buf) == (ssize_t)strlen(want) && strcmp(buf, want) == 0;
}

/* A big file: 300 KiB of a pattern (more than the blk_data region, many blocks). */
#define BIG (300 * 1024)
static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 4096);
}

static int check_big(void)
{
    int fd = open("/data/dir/big", O_RDONLY);
    if (fd < 0)
        return 0;
    static unsigned char buf[BIG + 1];
    ssize_t total = 0, n;
    while ((n = read(fd, buf + total, sizeof buf - (size_t)total)) > 0)
        total += n;
    close(fd);
    if (total != BIG)
        return 0;
    for (size_t i = 0; i < BIG; i++)
        if (buf[i] != pattern(i))
            return 0;
    return 1;
}

static void phase1(void)
{
    struct stat st;
    char buf[512];
    CHECK(stat("/data", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(mkdir("/data/dir", 0755) == 0);
    CHECK(mkdir("/data/dir", 0755) == -1 && errno == EEXIST);
    CHECK(put("/data/dir/hello.txt", "hello, disk\n") == 0);
    CHECK(same("/data/dir/hello.txt", "hello, disk\n"));
    CHECK(open("/data/dir/hello.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(open("/data/nothere", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("/data/dir", O_WRONLY) == -1 && errno == EISDIR);

    /* O_APPEND, pwrite, pread, lseek, fstat, ftruncate */
    int fd = open("/data/log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "one\n", 4) == 4);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "two\n", 4) == 4);         /* appended anyway */
    CHECK(fsync(fd) == 0);
    close(fd);
    CHECK(same("/data/log", "one\ntwo\n"));
    fd = open("/data/rw", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0);
    CHECK(pwrite(fd, "abcdef", 6, 10) == 6);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 16 && S_ISREG(st.st_mode));
    memset(buf, 'x', 16);
    CHECK(pread(fd, buf, 16, 0) == 16 && buf[0] == 0 && memcmp(buf + 10, "abcdef", 6) == 0);
    CHECK(lseek(fd, 0, SEEK_END) == 16);
    CHECK(ftruncate(fd, 12) == 0 && fstat(fd, &st) == 0 && st.st_size == 12);
    CHECK(pread(fd, buf, 16, 8) == 4 && memcmp(buf + 2, "ab", 2) == 0);
    close(fd);

    /* A file larger than the disk's data region, in odd-sized writes. */
    static unsigned char big[BIG];
    for (size_t i = 0; i < BIG; i++)
        big[i] = pattern(i);
    fd = open("/data/dir/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    size_t done = 0;
    while (done < BIG) {
        size_t n = BIG - done < 7777 ? BIG - done : 7777;
        if (write(fd, big + done, n) != (ssize_t)n)
            break;
        done += n;
    }
    CHECK(done == BIG);
    CHECK(fsync(fd) == 0);
    close(fd);
    CHECK(check_big());

    /* rename (also over an existing file), unlink, rmdir, readdir */
    CHECK(put("/data/tmp1", "new contents\n") == 0);
    CHECK(put("/data/target", "old contents\n") == 0);
    CHECK(rename("/data/tmp1", "/data/target") == 0);
    CHECK(same("/data/target", "new contents\n"));
    CHECK(stat("/data/tmp1", &st) == -1 && errno == ENOENT);
    CHECK(mkdir("/data/sub", 0755) == 0 && put("/data/sub/f", "in sub\n") == 0);
    CHECK(rmdir("/data/sub") == -1 && errno == ENOTEMPTY);
    CHECK(rename("/data/sub", "/data/dir/moved") == 0);
    CHECK(same("/data/dir/moved/f", "in sub\n"));
    CHECK(stat("/data/dir/moved/..", &st) == 0);
    CHECK(put("/data/gone", "soon gone\n") == 0 && unlink("/data/gone") == 0);
    CHECK(stat("/data/gone", &st) == -1 && errno == ENOENT);
    CHECK(mkdir("/data/empty", 0755) == 0 && rmdir("/data/empty") == 0);
    CHECK(listed("/data", "dir") == 1 && listed("/data", "log") == 1 && listed("/data", "gone") == 0);
    CHECK(listed("/data/dir", "hello.txt") == 1 && listed("/data/dir", "moved") == 1);
    CHECK(listed("/", "data") == 1);
    CHECK(rename("/data/log", "/tmp/log") == -1 && errno == EXDEV);
    /* Links across the edge of /data (docs/posix.md): one on /data leading out
     * of it, and one on the tmpfs leading into it, give EOPNOTSUPP when
     * followed (links within /data: tests/posix/links.c); hard links EXDEV. */
    CHECK(symlink("/tmp", "/data/to-tmp") == 0 && stat("/data/to-tmp", &st) == -1 && errno == EOPNOTSUPP);
    CHECK(symlink("../tmp", "/data/up") == 0 && stat("/data/up/x", &st) == -1 && errno == EOPNOTSUPP);
    CHECK(unlink("/data/to-tmp") == 0 && unlink("/data/up") == 0);
    CHECK(link("/data/log", "/tmp/hl") == -1 && errno == EXDEV);
    CHECK(symlink("/data/dir", "/tmp/to-data") == 0);
    CHECK(stat("/tmp/to-data/hello.txt", &st) == -1 && errno == EOPNOTSUPP);
    CHECK(open("/tmp/to-data/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EOPNOTSUPP);
    CHECK(unlink("/tmp/to-data") == 0);
    CHECK(mkdir("/data/private", 0700) == 0 && stat("/data/private", &st) == 0 && (st.st_mode & 07777) == 0700);
    CHECK(stat("/data/rw", &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_nlink == 1);
    CHECK(chmod("/data/rw", 0640) == 0 && stat("/data/rw", &st) == 0 && (st.st_mode & 07777) == 0640);
    struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
    CHECK(utimensat(AT_FDCWD, "/data/rw", times, 0) == 0 && stat("/data/rw", &st) == 0 &&
          st.st_mtime == 1234567890 && st.st_atime == 1000000000);
    fd = open("/data/log", O_RDONLY);
    CHECK(fd >= 0 && fchmod(fd, 0604) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0604);
    close(fd);

    /* Many files: the directory grows past one block. */
    int made = 0;
    CHECK(mkdir("/data/many", 0755) == 0);
    for (int i = 0; i < 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "/data/many/file-with-a-long-name-%03d", i);
        made += put(name, name + 11) == 0;
    }
    CHECK(made == 200);
    CHECK(listed("/data/many", "file-with-a-long-name-199") == 1);
    CHECK(put("/data/boot1", "phase one done\n") == 0);
}

static void phase2(void)
{
    struct stat st;
    CHECK(same("/data/dir/hello.txt", "hello, disk\n"));
    CHECK(same("/data/log", "one\ntwo\n"));
    CHECK(same("/data/target", "new contents\n"));
    CHECK(same("/data/dir/moved/f", "in sub\n"));
    CHECK(stat("/data/rw", &st) == 0 && st.st_size == 12 && (st.st_mode & 07777) == 0640 &&
          st.st_mtime == 1234567890);
    CHECK(stat("/data/gone", &st) == -1 && errno == ENOENT);
    CHECK(check_big());
    CHECK(same("/data/many/file-with-a-long-name-123", "file-with-a-long-name-123"));
    /* What the host put there with mke2fs -d. */
    CHECK(same("/data/from-host.txt", "made on the host\n"));
    CHECK(put("/data/boot2", "phase two done\n") == 0);
}

int main(void)
{
    struct stat st;
    if (stat("/data/powercut", &st) == 0)
        return powercut_run();          /* tests/storage/powercut.sh's workload instead */
    if (stat("/data/osync", &st) == 0)
        return osync_run();             /* tests/storage/osync.sh's */
    int phase = stat("/data/boot1", &st) == 0 ? 2 : 1;
    printf("ext4: phase %d\n", phase);
    if (phase == 1)
        phase1();
    else
        phase2();
    return check_report();
}
