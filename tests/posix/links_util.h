/*
 * links_util.h - small file helpers shared by the link tests
 * (tests/posix/symlinks.c on the tmpfs, links.c on /data), which are built
 * both for freebeam and for the host's Linux: whole-file read and write,
 * readlink as a string, a name's d_type, and rm -r.
 */
#ifndef TESTS_POSIX_LINKS_UTIL_H
#define TESTS_POSIX_LINKS_UTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The contents of path (up to 63 bytes) as a string, "" on failure. */
static inline const char *contents(const char *path, int flags)
{
    static char buf[64];
    buf[0] = 0;
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0)
        return buf;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    return buf;
}

static inline int put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* readlink's answer as a string (NULL on failure). */
static inline const char *target(const char *path)
{
    static char buf[512];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return NULL;
    buf[n] = 0;
    return buf;
}

/* The d_type readdir gives name in dir; 255 if not listed. */
static inline unsigned char dtype_of(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return 255;
    unsigned char t = 255;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, name) == 0)
            t = e->d_type;
    closedir(d);
    return t;
}

/* rm -r of what dir holds (links removed as links); dir itself stays. */
static inline void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            remove_tree(path);
            rmdir(path);
        } else {
            unlink(path);
        }
    }
    closedir(d);
}

#endif
