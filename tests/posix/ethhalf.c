/*
 * ethhalf.c - the guest of tests/suites/eth.sh's half-close test: a
 * connection this side shuts for writing only, then the end of its
 * TIME-WAIT by lwIP while the socket is still open (libos/net_tcp.c,
 * let_go; docs/networking.md).  The host's peer (tests/lib/eth_half_peer.py)
 * connects to TCP 7000 through --hostfwd; this program says "bye\n" and
 * shuts for writing; the host sends a line and closes: our side of the
 * connection is in TIME-WAIT, its socket still open.  The host then
 * connects again from the same port (QEMU's network keeps the host's
 * port), which lwIP may take only if no socket holds the old pcb: it frees
 * the TIME-WAIT pcb and accepts the new connection (third_party/lwip/
 * patches/0003).  Only then does this program read, poll, ask for the
 * options and the peer of, and close the old socket, and talk on the new
 * one.  Prints a line per connection and `ethhalf: N passed, N failed`
 * (tests/posix/check.h); powers off with 0 only if none failed.  Every
 * wait is bounded (poll timeouts).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK_NAME "ethhalf"
#include "check.h"

#define WAIT_MS 20000

/* The events of fd after waiting at most ms for any of ev. */
static short wait_fd(int fd, short ev, int ms)
{
    struct pollfd p = { .fd = fd, .events = ev };
    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* Wait (WAIT_MS at most) for the peer's FIN after ours: a hang-up,
 * whatever is left to read. */
static int wait_hup(int fd)
{
    for (int i = 0; i < WAIT_MS / 50; i++) {
        if (wait_fd(fd, POLLIN, 50) & POLLHUP)
            return 1;
        usleep(50000);
    }
    return 0;
}

static int accept_within(int lst, int ms)
{
    return wait_fd(lst, POLLIN, ms) & POLLIN ? accept(lst, NULL, NULL) : -1;
}

static int peer_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    return getpeername(fd, (struct sockaddr *)&a, &len) == 0 ? ntohs(a.sin_port) : -1;
}

/* Everything until the peer's end of file (at most cap - 1 bytes), as a
 * string; its length, or -1. */
static long read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap - 1 && (wait_fd(fd, POLLIN, WAIT_MS) & (POLLIN | POLLHUP))) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return (long)n;
}

/* The old connection, finished on both sides and let go by its socket:
 * what a program still gets from it. */
static void check_old(int c1)
{
    char buf[64];
    short ev = wait_fd(c1, POLLIN | POLLOUT, 0);
    check((ev & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP) && !(ev & POLLERR),
          "the old socket polls readable with a hang-up, no error");
    ssize_t n = read(c1, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(buf, "bye from the host\n") == 0, "the old socket still gives the host's last line");
    check(read(c1, buf, sizeof buf) == 0, "... then end of file");
    int err = -1;
    socklen_t len = sizeof err;
    check(getsockopt(c1, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "SO_ERROR of the old socket is 0");
    int keep = -1;
    len = sizeof keep;
    check(getsockopt(c1, SOL_SOCKET, SO_KEEPALIVE, &keep, &len) == 0, "getsockopt(SO_KEEPALIVE) answers");
    check(send(c1, "x", 1, MSG_NOSIGNAL) < 0 && errno == EPIPE, "a write to the old socket fails with EPIPE");
    check(close(c1) == 0, "the old socket closes");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int lst = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(7000) };
    if (!check(bind(lst, (struct sockaddr *)&any, sizeof any) == 0 && listen(lst, 4) == 0, "listen on TCP 7000"))
        return check_report();

    int c1 = accept_within(lst, 60000);
    if (!check(c1 >= 0, "the host's first connection"))
        return check_report();
    check(write(c1, "bye\n", 4) == 4 && shutdown(c1, SHUT_WR) == 0, "said bye and shut for writing");
    /* The host's FIN: both ends are finished, our side is in TIME-WAIT.
     * Nothing is read yet. */
    check(wait_hup(c1), "the host closed its side");
    int port1 = peer_port(c1);
    printf("ethhalf: the first connection came from port %d, TIME-WAIT now\n", port1);

    int c2 = accept_within(lst, WAIT_MS);
    int port2 = c2 >= 0 ? peer_port(c2) : -1;
    printf("ethhalf: the second connection came from port %d\n", port2);
    check(c2 >= 0 && port2 == port1, "a new connection from the same port, the old socket still open");

    check_old(c1);

    char buf[64];
    check(c2 >= 0 && (wait_fd(c2, POLLIN, WAIT_MS) & POLLIN) && read(c2, buf, 12) == 12 &&
          memcmp(buf, "hello again\n", 12) == 0,
          "the new connection brings the host's line");
    check(c2 >= 0 && write(c2, "welcome back\n", 13) == 13 && shutdown(c2, SHUT_WR) == 0,
          "and takes our answer");
    check(c2 >= 0 && read_all(c2, buf, sizeof buf) == 0 && close(c2) == 0, "then ends");
    printf("ethhalf: done\n");
    return check_report();
}
