/*
 * native.c - a plain C program on libos talks to a native PD through the
 * devices of include/freebeam/fbdev.h (systems/posix-native.config): the
 * queue pair of channel `echo` to the echo PD (systems/qecho), its bare
 * channel `ping`, and /dev/pd/qecho, which it monitors and may control.
 * Only open/read/write/ioctl/poll/close, as the freebeam NIF uses them.
 * Prints `native: N passed, N failed`; exits 0 only if none failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <freebeam/fbdev.h>
#include <freebeam/kapi.h>

#define CHECK_NAME "native"
#define CHECK_TAP
#include "check.h"

static int readable(int fd, int ms)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static int dir_has(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    int found = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        found |= strcmp(e->d_name, name) == 0;
    if (d)
        closedir(d);
    return found;
}

/* The next PD event within 2 s, or kind 0. */
static struct fbdev_pd_event next_event(int pd)
{
    struct fbdev_pd_event ev = { 0 };
    if (readable(pd, 2000) && read(pd, &ev, sizeof ev) != (ssize_t)sizeof ev)
        ev.kind = 0;
    return ev;
}

static void test_queue(int ch)
{
    char buf[128];
    struct fbdev_chan_info ci;
    check(ioctl(ch, FBDEV_CHAN_INFO, &ci) == 0 && ci.queue == 1 && ci.depth == 8 && ci.slot == 64,
          "FBDEV_CHAN_INFO: a queue of 8 slots of 64 bytes");
    errno = 0;
    check(read(ch, buf, sizeof buf) == -1 && errno == EAGAIN, "read of an empty queue: EAGAIN");
    check(write(ch, "hello", 5) == 5, "write of a message: its length");
    check(readable(ch, 2000), "poll: POLLIN once the echo is back");
    check(read(ch, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read: the echo, whole");
    char big[65] = { 0 };
    errno = 0;
    check(write(ch, big, sizeof big) == -1 && errno == EMSGSIZE, "a message longer than a slot: EMSGSIZE");
    check(write(ch, big, 64) == 64, "a message of exactly one slot");
    check(readable(ch, 2000), "its echo arrives");
    errno = 0;
    check(read(ch, buf, 10) == -1 && errno == EMSGSIZE, "a buffer too small: EMSGSIZE");
    check(read(ch, buf, sizeof buf) == 64, "the message stayed: read again with room");

    /* Back-pressure: the echo stops when its reply queue is full, so our
     * queue fills; nothing is lost and the order holds. */
    int sent = 0;
    for (; sent < 100; sent++) {
        uint32_t m = 1000 + (uint32_t)sent;
        if (write(ch, &m, sizeof m) != (ssize_t)sizeof m)
            break;
    }
    check(sent >= 8 && sent < 100 && errno == EAGAIN, "writes until the queues are full, then EAGAIN");
    int got = 0, in_order = 1;
    while (got < sent && readable(ch, 2000)) {
        uint32_t m;
        while (read(ch, &m, sizeof m) == (ssize_t)sizeof m) {
            in_order &= m == 1000 + (uint32_t)got;
            got++;
        }
    }
    check(got == sent && in_order, "every message comes back, in order, once the reader drains");
}

static void test_bare(void)
{
    int ping = open("/dev/chan/ping", O_RDWR | O_NONBLOCK);
    check(ping >= 0, "open /dev/chan/ping");
    struct fbdev_chan_info ci;
    check(ioctl(ping, FBDEV_CHAN_INFO, &ci) == 0 && ci.queue == 0, "ping is a bare channel");
    uint64_t n = 1;
    check(write(ping, &n, sizeof n) == 8, "write 8 bytes: one notification");
    check(readable(ping, 2000), "the echo PD notifies back: POLLIN");
    n = 0;
    check(read(ping, &n, sizeof n) == 8 && n >= 1, "read: the count of notifications");
    errno = 0;
    check(read(ping, &n, sizeof n) == -1 && errno == EAGAIN, "then none: EAGAIN");
    errno = 0;
    check(write(ping, &n, 4) == -1 && errno == EINVAL, "a write shorter than 8 bytes: EINVAL");
    close(ping);
}

static void test_pd(int ch)
{
    int pd = open("/dev/pd/qecho", O_RDONLY | O_NONBLOCK);
    check(pd >= 0, "open /dev/pd/qecho");
    struct fbdev_pd_info pi;
    check(ioctl(pd, FBDEV_PD_INFO, &pi) == 0 && pi.monitored == 1 && pi.control == 1,
          "FBDEV_PD_INFO: monitored by this PD, which may control it");
    check(ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_RUNNING, "status: running");
    check(!readable(pd, 0), "no event yet");

    check(write(ch, "crash", 5) == 5, "order the echo PD to crash");
    struct fbdev_pd_event ev = next_event(pd);
    check(ev.kind == FB_FAULT_DATA_ABORT && ev.addr == 0 && ev.seq == 1,
          "its fault arrives as an event: a data abort at 0, seq 1");
    check(ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_FAULTED, "status: faulted");
    check(ioctl(pd, FBDEV_PD_RESTART) == 0, "FBDEV_PD_RESTART");
    check(ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_RUNNING, "status: running again");
    char buf[64];
    errno = 0;
    check(read(ch, buf, sizeof buf) == -1 && errno == ECONNRESET, "the channel reports the restart once: ECONNRESET");
    check(write(ch, "again", 5) == 5 && readable(ch, 2000) && read(ch, buf, sizeof buf) == 5 &&
          memcmp(buf, "again", 5) == 0, "the restarted echo PD answers");

    check(write(ch, "exit", 4) == 4, "order it to exit");
    ev = next_event(pd);
    check(ev.kind == FB_FAULT_EXITED && ev.status == 5 && ev.seq == 2, "its exit arrives: status 5, seq 2");
    check(ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_EXITED, "status: exited");
    check(ioctl(pd, FBDEV_PD_RESTART) == 0 && ioctl(pd, FBDEV_PD_STOP) == 0 &&
          ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_STOPPED, "restart, then stop: status stopped");
    check(ioctl(pd, FBDEV_PD_RESTART) == 0 && ioctl(pd, FBDEV_PD_STATUS) == FBDEV_PD_RUNNING,
          "and restart: running");
    while (read(ch, buf, sizeof buf) > 0 || errno == ECONNRESET)
        ;
    check(write(ch, "last", 4) == 4 && readable(ch, 2000) && read(ch, buf, sizeof buf) == 4,
          "the echo PD answers after stop and restart");

    int late = open("/dev/pd/qecho", O_RDONLY | O_NONBLOCK);
    check(late >= 0 && !readable(late, 0), "a descriptor opened later sees no old event");
    errno = 0;
    check(ioctl(pd, 0x1234) == -1 && errno == ENOTTY, "an unknown ioctl: ENOTTY");
    errno = 0;
    check(read(pd, (void *)16, sizeof ev) == -1 && errno == EFAULT, "a bad buffer: EFAULT");
    close(late);
    close(pd);
}

int main(void)
{
    printf("native: a C program on libos with a native PD\n");
    check(dir_has("/dev/chan", "echo") && dir_has("/dev/chan", "ping"), "/dev/chan lists echo and ping");
    check(dir_has("/dev/pd", "qecho") && !dir_has("/dev/pd", "app"), "/dev/pd lists qecho, not itself");
    errno = 0;
    check(open("/dev/chan/nosuch", O_RDWR) == -1 && errno == ENOENT, "no such channel: ENOENT");
    int ch = open("/dev/chan/echo", O_RDWR | O_NONBLOCK);
    check(ch >= 0, "open /dev/chan/echo");
    test_queue(ch);
    test_bare();
    test_pd(ch);
    int blocking = open("/dev/chan/echo", O_RDWR);
    char buf[16];
    check(blocking >= 0 && write(blocking, "wait", 4) == 4 && read(blocking, buf, sizeof buf) == 4,
          "without O_NONBLOCK a read waits for the echo");
    close(blocking);
    close(ch);
    return check_report();
}
