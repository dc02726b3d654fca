/*
 * symlinks.c - symbolic links on the tmpfs: symlink(at), readlink(at),
 * lstat and fstatat's AT_SYMLINK_NOFOLLOW, links followed in the middle and
 * at the end of a path (relative targets from the link's directory,
 * absolute ones from /), O_NOFOLLOW, O_CREAT|O_EXCL, unlink, rename, rmdir
 * and mkdir acting on the link itself, readdir's DT_LNK, the limit of 40
 * links a lookup (ELOOP).  Checks of Linux's semantics: run on freebeam
 * (systems/posix-symlinks) and, built with the host's own libc, on Linux
 * (tests/suites/posix.sh), which proves that they test Linux's behaviour.
 * Works in a fresh directory under /tmp, removed at the end.
 * Prints `symlinks: N passed, N failed`; exits 0 only if none failed.
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

#define CHECK_NAME "symlinks"
#include "check.h"
#include "links_util.h"

static char base[64];

static void test_basic(void)
{
    struct stat st;
    CHECK(put("f", "file f") == 0);
    CHECK(symlink("f", "l") == 0);
    CHECK(lstat("l", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
    CHECK(stat("l", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);
    CHECK(fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
    CHECK(fstatat(AT_FDCWD, "l", &st, 0) == 0 && S_ISREG(st.st_mode));
    const char *t = target("l");
    CHECK(t && strcmp(t, "f") == 0);
    CHECK(strcmp(contents("l", 0), "file f") == 0);
    char small[3];
    CHECK(symlink("a-longer-target", "long") == 0 && readlink("long", small, 3) == 3 &&
          memcmp(small, "a-l", 3) == 0);
    CHECK(lstat("long", &st) == 0 && st.st_size == 15);
    small[1] = '?';
    CHECK(readlink("l", small, 3) == 1 && small[0] == 'f' && small[1] == '?');    /* no NUL */
    CHECK(readlink("f", small, 3) == -1 && errno == EINVAL);
    CHECK(readlink("none", small, 3) == -1 && errno == ENOENT);
    CHECK(symlink("f", "l") == -1 && errno == EEXIST);
    CHECK(symlink("x", "f") == -1 && errno == EEXIST);
    CHECK(symlink("", "empty") == -1 && errno == ENOENT);
    CHECK(symlink("f", "nodir/l") == -1 && errno == ENOENT);
    /* The last component: O_NOFOLLOW and O_CREAT|O_EXCL never follow. */
    CHECK(open("l", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
    CHECK(open("l", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(strcmp(contents("l", 0), "file f") == 0);
    CHECK(dtype_of(".", "l") == DT_LNK && dtype_of(".", "f") == DT_REG);
    /* Writing through a link writes the target. */
    int fd = open("l", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && write(fd, "new f", 5) == 5);
    close(fd);
    CHECK(strcmp(contents("f", 0), "new f") == 0);
    CHECK(stat("l/", &st) == -1 && errno == ENOTDIR);
}

static void test_dirs(void)
{
    struct stat st;
    char abs[128];
    CHECK(mkdir("d", 0755) == 0 && mkdir("d/sub", 0755) == 0 && put("d/x", "in d") == 0);
    CHECK(symlink("d", "dl") == 0);
    CHECK(strcmp(contents("dl/x", 0), "in d") == 0);                /* in the middle */
    CHECK(strcmp(contents("dl/x", O_NOFOLLOW), "in d") == 0);       /* only the last */
    CHECK(stat("dl", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(lstat("dl/", &st) == 0 && S_ISDIR(st.st_mode));           /* '/' follows */
    CHECK(lstat("dl", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(put("dl/y", "made via dl") == 0 && strcmp(contents("d/y", 0), "made via dl") == 0);
    /* Relative targets from the link's directory, wherever it is reached from. */
    CHECK(symlink("../x", "d/sub/up") == 0);
    CHECK(strcmp(contents("d/sub/up", 0), "in d") == 0);
    CHECK(strcmp(contents("dl/sub/up", 0), "in d") == 0);
    CHECK(symlink("sub/../x", "d/back") == 0 && strcmp(contents("dl/back", 0), "in d") == 0);
    CHECK(stat("dl/..", &st) == 0 && S_ISDIR(st.st_mode));
    /* Absolute targets from /. */
    snprintf(abs, sizeof abs, "%s/d/x", base);
    CHECK(symlink(abs, "abs") == 0 && strcmp(contents("abs", 0), "in d") == 0);
    const char *t = target("abs");
    CHECK(t && strcmp(t, abs) == 0);
    /* A link to a link to a directory, in the middle. */
    CHECK(symlink("dl", "dll") == 0 && strcmp(contents("dll/sub/up", 0), "in d") == 0);
    /* The *at forms, from a directory descriptor. */
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    CHECK(symlinkat("x", dfd, "xl") == 0);
    char buf[8];
    CHECK(readlinkat(dfd, "xl", buf, sizeof buf) == 1 && buf[0] == 'x');
    CHECK(fstatat(dfd, "xl", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
    CHECK(fstatat(dfd, "xl", &st, 0) == 0 && S_ISREG(st.st_mode) && st.st_size == 4);
    CHECK(openat(dfd, "xl", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
    close(dfd);
    /* mkdir, rmdir, chdir. */
    CHECK(mkdir("dl", 0755) == -1 && errno == EEXIST);
    CHECK(rmdir("dl") == -1 && errno == ENOTDIR);
    CHECK(chdir("dl/sub") == 0 && strcmp(contents("../x", 0), "in d") == 0 && chdir(base) == 0);
}

static void test_names(void)
{
    struct stat st;
    /* unlink and rename act on the link, never its target. */
    CHECK(symlink("f", "l2") == 0 && rename("l2", "l3") == 0);
    const char *t = target("l3");
    CHECK(t && strcmp(t, "f") == 0 && lstat("l2", &st) == -1 && errno == ENOENT);
    CHECK(unlink("l3") == 0 && lstat("l3", &st) == -1 && stat("f", &st) == 0);
    CHECK(symlink("d", "dl2") == 0 && unlink("dl2") == 0 && stat("d", &st) == 0 && S_ISDIR(st.st_mode));
    /* Dangling links: lstat sees them, stat and open do not. */
    CHECK(symlink("nowhere", "dang") == 0);
    CHECK(lstat("dang", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("dang", &st) == -1 && errno == ENOENT);
    CHECK(open("dang", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("dang", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(access("dang", F_OK) == -1 && errno == ENOENT);
    CHECK(unlink("dang") == 0);
    /* A link in the middle naming a file: ENOTDIR. */
    CHECK(symlink("f", "fl") == 0 && stat("fl/x", &st) == -1 && errno == ENOTDIR);
}

static void test_loops(void)
{
    struct stat st;
    char name[16], to[16];
    CHECK(symlink("loop1", "loop2") == 0 && symlink("loop2", "loop1") == 0);
    CHECK(stat("loop1", &st) == -1 && errno == ELOOP);
    CHECK(open("loop1", O_RDONLY) == -1 && errno == ELOOP);
    CHECK(lstat("loop1", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(symlink("self/x", "self") == 0 && stat("self", &st) == -1 && errno == ELOOP);
    /* A chain: c0 -> f, cN -> c(N-1).  cN takes N + 1 links. */
    int made = 1;
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "c%d", i);
        if (i == 0)
            snprintf(to, sizeof to, "f");
        else
            snprintf(to, sizeof to, "c%d", i - 1);
        made &= symlink(to, name) == 0;
    }
    CHECK(made);
    CHECK(stat("c39", &st) == 0 && S_ISREG(st.st_mode));     /* 40 links */
    CHECK(stat("c40", &st) == -1 && errno == ELOOP);         /* 41 */
    CHECK(lstat("c40", &st) == 0 && S_ISLNK(st.st_mode));
}

int main(void)
{
    snprintf(base, sizeof base, "/tmp/fb-symlinks-%d", (int)getpid());
    if (!CHECK(mkdir(base, 0755) == 0 && chdir(base) == 0))
        return check_report();
    test_basic();
    test_dirs();
    test_names();
    test_loops();
    CHECK(chdir("/") == 0);
    remove_tree(base);
    CHECK(rmdir(base) == 0);
    return check_report();
}
