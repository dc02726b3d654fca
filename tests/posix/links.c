/*
 * links.c - symbolic and hard links in one directory given as argv[1]:
 * on freebeam /data, the ext4 file system on the disk (systems/posix-links,
 * booted by tests/suites/storage.sh), and, built with the host's own libc,
 * on Linux in /tmp (storage.sh too), which proves that the checks test
 * Linux's semantics.  Symbolic links: symlink, readlink, lstat and stat,
 * links followed in the middle and at the end of a path (relative targets
 * from the link's directory, absolute ones from /), targets longer than an
 * inode holds, O_NOFOLLOW, O_CREAT|O_EXCL, unlink and rename of a link,
 * dangling links, readdir's DT_LNK, the limit of 40 links a lookup.  Hard
 * links: link, linkat (AT_SYMLINK_FOLLOW), the link count, one file under
 * two names (also while open), unlink of one name, and the errors (EPERM
 * for a directory, EEXIST, ENOENT).  Every path is absolute (no chdir:
 * freebeam has none below /data).  Works in a fresh directory DIR/fb-links,
 * left in place for the host's e2fsck and debugfs.
 * Prints `links: N passed, N failed`; exits 0 only if none failed.
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

#define CHECK_NAME "links"
#include "check.h"
#include "links_util.h"

static char base[256];

/* base/name in one of four rotating buffers (a check may name several). */
static const char *P(const char *name)
{
    static char bufs[4][512];
    static unsigned next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", base, name);
    return b;
}

static void test_symbolic(void)
{
    struct stat st;
    CHECK(put(P("f"), "file f") == 0);
    CHECK(symlink("f", P("l")) == 0);
    CHECK(lstat(P("l"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
    CHECK(stat(P("l"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);
    CHECK(fstatat(AT_FDCWD, P("l"), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
    const char *t = target(P("l"));
    CHECK(t && strcmp(t, "f") == 0);
    CHECK(strcmp(contents(P("l"), 0), "file f") == 0);
    char small[3];
    small[1] = '?';
    CHECK(readlink(P("l"), small, 3) == 1 && small[0] == 'f' && small[1] == '?');    /* no NUL */
    CHECK(readlink(P("f"), small, 3) == -1 && errno == EINVAL);
    CHECK(readlink(P("none"), small, 3) == -1 && errno == ENOENT);
    CHECK(symlink("f", P("l")) == -1 && errno == EEXIST);
    CHECK(symlink("x", P("f")) == -1 && errno == EEXIST);
    CHECK(symlink("f", P("nodir/l")) == -1 && errno == ENOENT);
    CHECK(open(P("l"), O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
    CHECK(open(P("l"), O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(dtype_of(base, "l") == DT_LNK && dtype_of(base, "f") == DT_REG);
    int fd = open(P("l"), O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && write(fd, "new f", 5) == 5);
    close(fd);
    CHECK(strcmp(contents(P("f"), 0), "new f") == 0);
}

static void test_dirs(void)
{
    struct stat st;
    CHECK(mkdir(P("d"), 0755) == 0 && mkdir(P("d/sub"), 0755) == 0 && put(P("d/x"), "in d") == 0);
    CHECK(symlink("d", P("dl")) == 0);
    CHECK(strcmp(contents(P("dl/x"), 0), "in d") == 0);                 /* in the middle */
    CHECK(strcmp(contents(P("dl/x"), O_NOFOLLOW), "in d") == 0);        /* only the last */
    CHECK(stat(P("dl"), &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(lstat(P("dl"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(put(P("dl/y"), "made via dl") == 0 && strcmp(contents(P("d/y"), 0), "made via dl") == 0);
    CHECK(mkdir(P("dl/new"), 0755) == 0 && stat(P("d/new"), &st) == 0 && S_ISDIR(st.st_mode));
    /* Relative targets from the link's directory, wherever it is reached from. */
    CHECK(symlink("../x", P("d/sub/up")) == 0);
    CHECK(strcmp(contents(P("d/sub/up"), 0), "in d") == 0);
    CHECK(strcmp(contents(P("dl/sub/up"), 0), "in d") == 0);
    CHECK(symlink("sub/../x", P("d/back")) == 0 && strcmp(contents(P("dl/back"), 0), "in d") == 0);
    /* Absolute targets from /. */
    CHECK(symlink(P("d/x"), P("abs")) == 0 && strcmp(contents(P("abs"), 0), "in d") == 0);
    const char *t = target(P("abs"));
    CHECK(t && strcmp(t, P("d/x")) == 0);
    /* A target longer than an inode holds (60 bytes on ext4). */
    char longt[400] = "";
    for (int i = 0; i < 40; i++)
        strcat(longt, "sub/../");
    strcat(longt, "x");
    CHECK(symlink(longt, P("d/long")) == 0 && lstat(P("d/long"), &st) == 0 &&
          st.st_size == (off_t)strlen(longt));
    t = target(P("d/long"));
    CHECK(t && strcmp(t, longt) == 0);
    CHECK(strcmp(contents(P("dl/long"), 0), "in d") == 0);
    /* A link to a link to a directory, in the middle. */
    CHECK(symlink("dl", P("dll")) == 0 && strcmp(contents(P("dll/sub/up"), 0), "in d") == 0);
    CHECK(mkdir(P("dl"), 0755) == -1 && errno == EEXIST);
    CHECK(rmdir(P("dl")) == -1 && errno == ENOTDIR);
    CHECK(chmod(P("dl/x"), 0600) == 0 && stat(P("d/x"), &st) == 0 && (st.st_mode & 0777) == 0600);
}

static void test_names(void)
{
    struct stat st;
    CHECK(symlink("f", P("l2")) == 0 && rename(P("l2"), P("l3")) == 0);
    const char *t = target(P("l3"));
    CHECK(t && strcmp(t, "f") == 0 && lstat(P("l2"), &st) == -1 && errno == ENOENT);
    CHECK(lstat(P("l3"), &st) == 0 && S_ISLNK(st.st_mode) && dtype_of(base, "l3") == DT_LNK);
    CHECK(unlink(P("l3")) == 0 && lstat(P("l3"), &st) == -1 && stat(P("f"), &st) == 0);
    CHECK(symlink("d", P("dl2")) == 0 && unlink(P("dl2")) == 0 && stat(P("d"), &st) == 0 &&
          S_ISDIR(st.st_mode));
    CHECK(symlink("nowhere", P("dang")) == 0);
    CHECK(lstat(P("dang"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat(P("dang"), &st) == -1 && errno == ENOENT);
    CHECK(open(P("dang"), O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open(P("dang"), O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(access(P("dang"), F_OK) == -1 && errno == ENOENT);
    CHECK(symlink("f", P("fl")) == 0 && stat(P("fl/x"), &st) == -1 && errno == ENOTDIR);
}

static void test_loops(void)
{
    struct stat st;
    char name[16], to[16];
    CHECK(symlink("loop1", P("loop2")) == 0 && symlink("loop2", P("loop1")) == 0);
    CHECK(stat(P("loop1"), &st) == -1 && errno == ELOOP);
    CHECK(open(P("loop1"), O_RDONLY) == -1 && errno == ELOOP);
    CHECK(lstat(P("loop1"), &st) == 0 && S_ISLNK(st.st_mode));
    int made = 1;
    for (int i = 0; i <= 40; i++) {     /* c0 -> f, cN -> c(N-1): cN takes N + 1 links */
        snprintf(name, sizeof name, "c%d", i);
        if (i == 0)
            snprintf(to, sizeof to, "f");
        else
            snprintf(to, sizeof to, "c%d", i - 1);
        made &= symlink(to, P(name)) == 0;
    }
    CHECK(made);
    CHECK(stat(P("c39"), &st) == 0 && S_ISREG(st.st_mode));     /* 40 links */
    CHECK(stat(P("c40"), &st) == -1 && errno == ELOOP);         /* 41 */
}

static void test_hard(void)
{
    struct stat a, b;
    CHECK(put(P("h1"), "one file") == 0);
    CHECK(link(P("h1"), P("h2")) == 0);
    CHECK(stat(P("h1"), &a) == 0 && stat(P("h2"), &b) == 0 && a.st_ino == b.st_ino && a.st_nlink == 2 &&
          b.st_nlink == 2);
    CHECK(put(P("h2"), "written via h2") == 0 && strcmp(contents(P("h1"), 0), "written via h2") == 0);
    CHECK(link(P("h1"), P("d/h3")) == 0 && stat(P("h1"), &a) == 0 && a.st_nlink == 3);
    CHECK(unlink(P("h1")) == 0 && stat(P("h2"), &b) == 0 && b.st_nlink == 2 &&
          strcmp(contents(P("d/h3"), 0), "written via h2") == 0);
    /* A file open under one name, linked and written under another. */
    int fd = open(P("h2"), O_RDWR);
    CHECK(fd >= 0 && link(P("h2"), P("h4")) == 0);
    CHECK(fd >= 0 && pwrite(fd, "WRITTEN", 7, 0) == 7 && fstat(fd, &a) == 0 && a.st_nlink == 3);
    close(fd);
    CHECK(strcmp(contents(P("h4"), 0), "WRITTEN via h2") == 0);
    /* rename between two names of one file: nothing changes. */
    CHECK(rename(P("h2"), P("h4")) == 0 && stat(P("h2"), &a) == 0 && a.st_nlink == 3);
    CHECK(unlink(P("h2")) == 0 && unlink(P("d/h3")) == 0 && stat(P("h4"), &b) == 0 && b.st_nlink == 1);
    /* link() names a symbolic link itself; AT_SYMLINK_FOLLOW its target. */
    CHECK(link(P("l"), P("hl")) == 0 && lstat(P("hl"), &a) == 0 && S_ISLNK(a.st_mode) && a.st_nlink == 2);
    CHECK(linkat(AT_FDCWD, P("l"), AT_FDCWD, P("hf"), AT_SYMLINK_FOLLOW) == 0 && lstat(P("hf"), &b) == 0 &&
          S_ISREG(b.st_mode) && stat(P("f"), &a) == 0 && a.st_ino == b.st_ino && a.st_nlink == 2);
    /* The errors. */
    CHECK(link(P("d"), P("dh")) == -1 && errno == EPERM);
    CHECK(link(P("f"), P("h4")) == -1 && errno == EEXIST);
    CHECK(link(P("none"), P("h5")) == -1 && errno == ENOENT);
    CHECK(link(P("f"), P("nodir/h")) == -1 && errno == ENOENT);
    CHECK(linkat(AT_FDCWD, P("f"), AT_FDCWD, P("h6"), 0x4000000) == -1 && errno == EINVAL);
}

int main(int argc, char **argv)
{
    snprintf(base, sizeof base, "%s/fb-links", argc > 1 ? argv[1] : "/tmp");
    remove_tree(base);
    rmdir(base);
    if (!CHECK(mkdir(base, 0755) == 0))
        return check_report();
    test_symbolic();
    test_dirs();
    test_names();
    test_loops();
    test_hard();
    return check_report();
}
