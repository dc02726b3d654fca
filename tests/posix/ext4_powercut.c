/*
 * ext4_powercut.c - the workload of the power-cut tests (tests/storage/
 * powercut.sh): run by tests/posix/ext4.c instead of its checks when the
 * disk holds /data/powercut.  The host kills QEMU at a random moment of it,
 * then checks the disk; the next boot checks what our replay recovered.
 *
 * At start it reads back the state: /data/w/current ("gen G" and G-derived
 * lines) and /data/w/log (lines 1..K), says `powercut: recovered gen G log K`
 * and whether they are whole and agree (G is K or K + 1).  Then, for
 * POWERCUT_ROUNDS generations M after G: files created, written, unlinked,
 * a directory made and removed (not checked: only the file system's
 * consistency matters for them); the next generation written to
 * /data/w/tmp in pieces, fsync'd and renamed over /data/w/current; M
 * appended to /data/w/log and fsync'd; then `powercut: acked M`.  Exits 0
 * after the last round (a clean unmount).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ext4_powercut.h"

#define POWERCUT_ROUNDS 40
#define LINE_DOTS 60

/* Generation m's file: "gen m\n", then 1 + (m * 7) % 300 lines "m:" and dots. */
static size_t gen_content(unsigned m, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "gen %u\n", m);
    unsigned lines = 1 + (m * 7) % 300;
    for (unsigned i = 0; i < lines && len + 16 + LINE_DOTS < cap; i++) {
        len += (size_t)snprintf(buf + len, cap - len, "%u:", m);
        memset(buf + len, '.', LINE_DOTS);
        len += LINE_DOTS;
        buf[len++] = '\n';
    }
    return len;
}

static char want[32768], got[32768];

static long read_all(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    long total = 0, n;
    while ((n = read(fd, buf + total, cap - 1 - (size_t)total)) > 0)
        total += n;
    close(fd);
    buf[total] = 0;
    return n < 0 ? -1 : total;
}

/* The generation in /data/w/current (0: none yet), or -1 if it is not whole. */
static long current_gen(void)
{
    long n = read_all("/data/w/current", got, sizeof got);
    if (n <= 0)
        return n;
    unsigned m;
    if (sscanf(got, "gen %u", &m) != 1)
        return -1;
    size_t len = gen_content(m, want, sizeof want);
    return (size_t)n == len && memcmp(got, want, len) == 0 ? (long)m : -1;
}

/* The last line of /data/w/log (0: empty), or -1 if it is not 1..K. */
static long log_last(void)
{
    static char log[262144];
    long n = read_all("/data/w/log", log, sizeof log);
    if (n < 0)
        return -1;
    long k = 0;
    for (char *p = log; p < log + n;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || *end != '\n' || v != k + 1)
            return -1;
        k = v;
        p = end + 1;
    }
    return k;
}

static int append_log(unsigned m)
{
    char line[16];
    int len = snprintf(line, sizeof line, "%u\n", m);
    int fd = open("/data/w/log", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        return -1;
    int r = write(fd, line, (size_t)len) == len && fsync(fd) == 0 ? 0 : -1;
    close(fd);
    return r;
}

/* Files and a directory that come and go. */
static void churn(unsigned m)
{
    char path[64];
    snprintf(path, sizeof path, "/data/w/f%u", m % 16);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        size_t len = gen_content(m * 3, want, sizeof want);
        for (unsigned i = 0; i < 1 + m % 3; i++)
            if (write(fd, want, len) != (ssize_t)len)
                break;
        close(fd);
    }
    snprintf(path, sizeof path, "/data/w/f%u", (m + 8) % 16);
    unlink(path);
    snprintf(path, sizeof path, "/data/w/d%u", m % 4);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "/data/w/d%u", (m + 2) % 4);
    rmdir(path);
}

/* Generation m written beside current, fsync'd, renamed over it. */
static int next_gen(unsigned m)
{
    size_t len = gen_content(m, want, sizeof want);
    int fd = open("/data/w/tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    size_t half = len / 2;
    int r = write(fd, want, half) == (ssize_t)half &&
            write(fd, want + half, len - half) == (ssize_t)(len - half) && fsync(fd) == 0 ? 0 : -1;
    close(fd);
    return r == 0 ? rename("/data/w/tmp", "/data/w/current") : -1;
}

int powercut_run(void)
{
    mkdir("/data/w", 0755);
    long g = current_gen(), k = log_last();
    bool whole = g >= 0 && k >= 0 && (g == k || g == k + 1);
    printf("powercut: recovered gen %ld log %ld\n", g, k);
    printf("powercut: state %s\n", whole ? "ok" : "BAD");
    if (!whole)
        return 1;
    if (g == k + 1 && append_log((unsigned)g) != 0) {
        printf("powercut: append failed, errno %d\n", errno);
        return 1;
    }
    for (unsigned m = (unsigned)g + 1; m <= (unsigned)g + POWERCUT_ROUNDS; m++) {
        churn(m);
        if (next_gen(m) != 0 || append_log(m) != 0) {
            printf("powercut: round %u failed, errno %d\n", m, errno);
            return 1;
        }
        printf("powercut: acked %u\n", m);
    }
    printf("powercut: done\n");
    return 0;
}
