/*
 * net.c - IPv4 sockets over the loopback interface: TCP listen, connect
 * (blocking and non-blocking with EINPROGRESS, poll and SO_ERROR), accept,
 * echo, a 1 MiB transfer with flow control, EOF on shutdown, reset on close
 * with unread data; UDP datagrams; options; the error answers.  Run on
 * freebeam (systems/posix-net) and, built with the host's own libc
 * (`cc -pthread tests/posix/net.c`), on Linux, which proves that the
 * checks test Linux's behaviour.  The few freebeam-only checks (families
 * Linux has and freebeam lacks) are chosen by uname's release.
 *
 * Prints `net: N passed, N failed`; exits 0 only if none failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CHECK_NAME "net"
#include "check.h"

static int on_freebeam;

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static uint16_t port_of(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

/* A TCP listener on 127.0.0.1 at a free port. */
static int listener(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    check(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 8) == 0,
          "listener: socket, bind 127.0.0.1:0, listen");
    *port = port_of(fd);
    check(*port != 0, "listener: getsockname gives the port picked");
    return fd;
}

static short poll_one(int fd, short events, int timeout_ms)
{
    struct pollfd p = { fd, events, 0 };
    int n = poll(&p, 1, timeout_ms);
    return n == 1 ? p.revents : 0;
}

/* A connected pair: *client (blocking connect) and *server (accepted). */
static void tcp_pair(int lfd, uint16_t port, int *client, int *server)
{
    *client = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    check(connect(*client, (struct sockaddr *)&a, sizeof a) == 0, "blocking connect");
    *server = accept(lfd, NULL, NULL);
    check(*server >= 0, "accept");
}

/* ---- TCP ---- */

static void test_tcp_nonblocking_connect(void)
{
    uint16_t port;
    int lfd = listener(&port);
    check(poll_one(lfd, POLLIN, 0) == 0, "listener: not readable with nothing pending");
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check(c >= 0 && (fcntl(c, F_GETFL) & O_NONBLOCK), "SOCK_NONBLOCK sets O_NONBLOCK");
    struct sockaddr_in a = loopback(port);
    errno = 0;
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    check(r == 0 || errno == EINPROGRESS, "non-blocking connect: 0 or EINPROGRESS");
    check(poll_one(c, POLLOUT, 2000) & POLLOUT, "poll: writable once connected");
    int err = -1;
    socklen_t len = sizeof err;
    check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0 && len == sizeof err,
          "SO_ERROR is 0 after the connection is made");
    check(poll_one(lfd, POLLIN, 2000) & POLLIN, "listener: readable with a connection pending");
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int s = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    check(s >= 0, "accept4");
    check(plen == sizeof peer && peer.sin_family == AF_INET &&
          peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(peer.sin_port) == port_of(c),
          "accept4 gives the client's address");
    check((fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC),
          "accept4: SOCK_NONBLOCK and SOCK_CLOEXEC");
    struct sockaddr_in pn;
    socklen_t pnl = sizeof pn;
    check(getpeername(c, (struct sockaddr *)&pn, &pnl) == 0 && ntohs(pn.sin_port) == port,
          "getpeername: the listener's port");
    char buf[64];
    errno = 0;
    check(recv(s, buf, sizeof buf, 0) == -1 && errno == EAGAIN, "non-blocking recv with no data: EAGAIN");
    check(send(c, "hello", 5, 0) == 5, "send 5 bytes");
    check(poll_one(s, POLLIN, 2000) & POLLIN, "poll: readable when data came");
    int avail = -1;
    check(ioctl(s, FIONREAD, &avail) == 0 && avail == 5, "FIONREAD: 5 bytes");
    check(recv(s, buf, 2, MSG_PEEK) == 2 && memcmp(buf, "he", 2) == 0, "MSG_PEEK");
    check(recv(s, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0, "recv: the bytes, once");
    check(write(s, "world!", 6) == 6, "write on a socket");
    check(poll_one(c, POLLIN, 2000) & POLLIN, "poll: the echo came back");
    check(read(c, buf, sizeof buf) == 6 && memcmp(buf, "world!", 6) == 0, "read on a socket");

    /* sendmsg/recvmsg with two buffers each way. */
    struct iovec out[2] = { { "abc", 3 }, { "defgh", 5 } };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = out;
    m.msg_iovlen = 2;
    check(sendmsg(c, &m, 0) == 8, "sendmsg of two buffers");
    check(poll_one(s, POLLIN, 2000) & POLLIN, "poll after sendmsg");
    char b1[5], b2[10];
    struct iovec in[2] = { { b1, sizeof b1 }, { b2, sizeof b2 } };
    memset(&m, 0, sizeof m);
    m.msg_iov = in;
    m.msg_iovlen = 2;
    check(recvmsg(s, &m, 0) == 8 && memcmp(b1, "abcde", 5) == 0 && memcmp(b2, "fgh", 3) == 0,
          "recvmsg scatters into two buffers");

    /* EOF: shutdown(SHUT_WR) on one side is a 0 read on the other. */
    check(shutdown(c, SHUT_WR) == 0, "shutdown(SHUT_WR)");
    check(poll_one(s, POLLIN, 2000) & POLLIN, "poll: readable at EOF");
    check(recv(s, buf, sizeof buf, 0) == 0, "recv: 0 at EOF");
    errno = 0;
    check(send(c, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "send after SHUT_WR: EPIPE");
    check(send(s, "back", 4, 0) == 4, "the other direction still works");
    check(poll_one(c, POLLIN, 2000) & POLLIN, "poll: half-closed socket still reads");
    check(recv(c, buf, sizeof buf, 0) == 4, "recv on the half-closed side");
    check(close(s) == 0, "close the server side");
    check(poll_one(c, POLLIN, 2000) & POLLIN, "poll: readable when the peer closed");
    check(recv(c, buf, sizeof buf, 0) == 0, "recv: 0 after the peer closed");
    close(c);
    close(lfd);
}

/* writev on a socket is one send, as on Linux (one sendmsg): to a peer
 * that has closed, the whole vector leaves before the peer's reset comes
 * back.  Written buffer by buffer, the first buffer's arrival at the closed
 * peer would reset the connection before the second was sent, and writev
 * would return a short count (ssl:close then waited 5 s: bench/crypto). */
static void test_tcp_writev_whole(void)
{
    uint16_t port;
    int lfd = listener(&port), c, s;
    tcp_pair(lfd, port, &c, &s);
    check(close(s) == 0, "writev: close the peer");
    check(poll_one(c, POLLIN, 2000) & POLLIN, "writev: the peer's FIN came");
    struct iovec rec[2] = { { "head!", 5 }, { "a record's body", 15 } };
    check(writev(c, rec, 2) == 20, "writev to a peer that closed: the whole vector, in one send");
    close(c);
    close(lfd);
}

struct sink {
    int fd;
    size_t bytes;
    uint32_t sum;
};

static void *sink_thread(void *arg)
{
    struct sink *k = arg;
    static unsigned char buf[8192];
    for (;;) {
        ssize_t n = read(k->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            k->sum = k->sum * 31 + buf[i];
        k->bytes += (size_t)n;
    }
    return NULL;
}

static void test_tcp_transfer(void)
{
    uint16_t port;
    int lfd = listener(&port);
    int c, s;
    tcp_pair(lfd, port, &c, &s);
    struct sink k = { s, 0, 0 };
    pthread_t th;
    check(pthread_create(&th, NULL, sink_thread, &k) == 0, "start the reader thread");
    static unsigned char chunk[65536];
    uint32_t sum = 0;
    size_t total = 0;
    int ok = 1;
    for (int round = 0; round < 16 && ok; round++) {
        for (size_t i = 0; i < sizeof chunk; i++) {
            chunk[i] = (unsigned char)(i * 7 + (size_t)round);
            sum = sum * 31 + chunk[i];
        }
        ok = write(c, chunk, sizeof chunk) == (ssize_t)sizeof chunk;   /* blocks for room */
        total += sizeof chunk;
    }
    check(ok, "1 MiB written by blocking writes");
    check(shutdown(c, SHUT_WR) == 0, "shutdown after the transfer");
    pthread_join(th, NULL);
    check(k.bytes == total && k.sum == sum, "the reader got every byte, in order, then EOF");
    close(c);
    close(s);
    close(lfd);
}

/* Echo both ways at once: a thread echoes what the server side reads,
 * another writes 1 MiB on the client side while this one reads it back. */
static void *echo_thread(void *arg)
{
    int fd = *(int *)arg;
    static unsigned char buf[16384];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n)
            break;
    shutdown(fd, SHUT_WR);
    return NULL;
}

struct source {
    int fd;
    size_t bytes;
};

static void *source_thread(void *arg)
{
    struct source *src = arg;
    static unsigned char chunk[32768];
    for (size_t done = 0; done < src->bytes; done += sizeof chunk) {
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (unsigned char)((done + i) % 251);
        if (write(src->fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk)
            break;
    }
    shutdown(src->fd, SHUT_WR);
    return NULL;
}

static void test_tcp_echo_both_ways(void)
{
    uint16_t port;
    int lfd = listener(&port);
    int c, s;
    tcp_pair(lfd, port, &c, &s);
    pthread_t echo, source;
    struct source src = { c, 1 << 20 };
    check(pthread_create(&echo, NULL, echo_thread, &s) == 0 && pthread_create(&source, NULL, source_thread, &src) == 0,
          "start the echo and source threads");
    static unsigned char buf[8192];
    size_t got = 0;
    int in_order = 1;
    ssize_t n;
    while ((n = read(c, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            in_order &= buf[i] == (unsigned char)((got + (size_t)i) % 251);
        got += (size_t)n;
    }
    pthread_join(source, NULL);
    pthread_join(echo, NULL);
    check(got == src.bytes && in_order, "1 MiB echoed while it is still being sent, in order, then EOF");
    close(c);
    close(s);
    close(lfd);
}

/* Both sides send without reading until neither can (both receive windows
 * closed), then both drain: every byte arrives, and nothing stalls or
 * storms while both windows are shut.  (The 1 MiB gen_tcp echo of
 * erlang/test/fb_net_tests.erl is what hit lwIP's zero-window ACK storm,
 * third_party/lwip/patches/0001; this is the same situation in C.) */
static void test_tcp_both_windows_full(void)
{
    uint16_t port;
    int lfd = listener(&port);
    int c, s;
    tcp_pair(lfd, port, &c, &s);
    int one = 1;    /* no Nagle: the senders fill the windows to the last byte */
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c, F_SETFL, O_NONBLOCK);
    fcntl(s, F_SETFL, O_NONBLOCK);
    static unsigned char buf[16384];
    memset(buf, 'w', sizeof buf);
    size_t sent_c = 0, sent_s = 0;
    ssize_t n;
    for (int round = 0; round < 4; round++) {
        while ((n = send(c, buf, sizeof buf, 0)) > 0)
            sent_c += (size_t)n;
        while ((n = send(s, buf, sizeof buf, 0)) > 0)
            sent_s += (size_t)n;
    }
    check(sent_c > 0 && sent_s > 0 && errno == EAGAIN, "both sides filled until EAGAIN");
    /* Drain both, sending what is left over, until everything arrived. */
    size_t got_c = 0, got_s = 0;
    for (int i = 0; i < 100000 && (got_s < sent_c || got_c < sent_s); i++) {
        if ((n = recv(s, buf, sizeof buf, 0)) > 0)
            got_s += (size_t)n;
        if ((n = recv(c, buf, sizeof buf, 0)) > 0)
            got_c += (size_t)n;
        if (got_s == sent_c && got_c == sent_s)
            break;
        poll_one(s, POLLIN, 10);
    }
    check(got_s == sent_c && got_c == sent_s, "then both sides read everything the other sent");
    close(c);
    close(s);
    close(lfd);
}

static void test_tcp_errors(void)
{
    /* A port nobody listens on: bind, read its number, close. */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    bind(t, (struct sockaddr *)&a, sizeof a);
    uint16_t dead = port_of(t);
    close(t);
    a = loopback(dead);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    errno = 0;
    check(connect(c, (struct sockaddr *)&a, sizeof a) == -1 && errno == ECONNREFUSED,
          "blocking connect to a closed port: ECONNREFUSED");
    close(c);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    errno = 0;
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    if (r == -1 && errno == EINPROGRESS) {
        short ev = poll_one(c, POLLOUT, 2000);
        check((ev & POLLOUT) && (ev & POLLERR), "non-blocking connect refused: POLLOUT|POLLERR");
        int err = 0;
        socklen_t len = sizeof err;
        check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED,
              "then SO_ERROR is ECONNREFUSED");
        check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0, "SO_ERROR clears on read");
    } else {
        check(r == -1 && errno == ECONNREFUSED, "non-blocking connect refused at once: ECONNREFUSED");
    }
    close(c);

    /* EADDRINUSE */
    uint16_t port;
    int lfd = listener(&port);
    int b = socket(AF_INET, SOCK_STREAM, 0);
    a = loopback(port);
    errno = 0;
    check(bind(b, (struct sockaddr *)&a, sizeof a) == -1 && errno == EADDRINUSE,
          "bind to a listening port: EADDRINUSE");
    close(b);

    /* ENOTCONN and EPIPE on a socket never connected. */
    char buf[8];
    b = socket(AF_INET, SOCK_STREAM, 0);
    errno = 0;
    check(recv(b, buf, sizeof buf, 0) == -1 && errno == ENOTCONN, "recv unconnected: ENOTCONN");
    struct sockaddr_in pn;
    socklen_t pnl = sizeof pn;
    errno = 0;
    check(getpeername(b, (struct sockaddr *)&pn, &pnl) == -1 && errno == ENOTCONN,
          "getpeername unconnected: ENOTCONN");
    errno = 0;
    check(shutdown(b, SHUT_RDWR) == -1 && errno == ENOTCONN, "shutdown unconnected: ENOTCONN");
    errno = 0;
    check(send(b, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE, "send unconnected: EPIPE");
    errno = 0;
    check(shutdown(b, 7) == -1 && errno == EINVAL, "shutdown with a bad how: EINVAL");
    close(b);

    /* A reset: closing with unread data resets the connection. */
    int s;
    tcp_pair(lfd, port, &c, &s);
    check(send(c, "unread", 6, 0) == 6, "send data the peer never reads");
    check(poll_one(s, POLLIN, 2000) & POLLIN, "it arrived");
    close(s);
    short ev = poll_one(c, POLLIN, 2000);
    check(ev & (POLLIN | POLLERR | POLLHUP), "poll: the reset shows");
    errno = 0;
    check(recv(c, buf, sizeof buf, 0) == -1 && errno == ECONNRESET, "recv after a reset: ECONNRESET");
    close(c);
    close(lfd);

    /* Descriptors that are not sockets. */
    int p[2];
    check(pipe(p) == 0, "a pipe");
    a = loopback(0);
    errno = 0;
    check(bind(p[0], (struct sockaddr *)&a, sizeof a) == -1 && errno == ENOTSOCK, "bind on a pipe: ENOTSOCK");
    int v;
    socklen_t vl = sizeof v;
    errno = 0;
    check(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &vl) == -1 && errno == ENOTSOCK,
          "getsockopt on a pipe: ENOTSOCK");
    close(p[0]);
    close(p[1]);
    errno = 0;
    check(bind(p[0], (struct sockaddr *)&a, sizeof a) == -1 && errno == EBADF, "bind on a closed fd: EBADF");
    errno = 0;
    check(listen(-1, 1) == -1 && errno == EBADF, "listen(-1): EBADF");
    errno = 0;
    check(accept(p[1], NULL, NULL) == -1 && errno == EBADF, "accept on a closed fd: EBADF");
}

static void test_tcp_options(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    check(fcntl(fd, F_GETFD) & FD_CLOEXEC, "SOCK_CLOEXEC");
    int v = -1;
    socklen_t len = sizeof v;
    check(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_STREAM, "SO_TYPE: SOCK_STREAM");
    int one = 1;
    check(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "set SO_REUSEADDR");
    len = sizeof v;
    check(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0 && v != 0, "get SO_REUSEADDR");
    check(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0, "set TCP_NODELAY");
    len = sizeof v;
    check(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0 && v != 0, "get TCP_NODELAY");
    check(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) == 0, "set SO_KEEPALIVE");
    len = sizeof v;
    check(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &len) == 0 && v != 0, "get SO_KEEPALIVE");
    struct linger l = { 1, 0 }, l2;
    check(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0, "set SO_LINGER");
    len = sizeof l2;
    check(getsockopt(fd, SOL_SOCKET, SO_LINGER, &l2, &len) == 0 && l2.l_onoff && l2.l_linger == 0,
          "get SO_LINGER");
    len = sizeof v;
    check(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v > 0, "SO_SNDBUF is positive");
    errno = 0;
    check(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 2) == -1 && errno == EINVAL,
          "an int option shorter than an int: EINVAL");
    errno = 0;
    check(setsockopt(fd, 9999, 1, &one, sizeof one) == -1 && errno == ENOPROTOOPT,
          "an unknown level: ENOPROTOOPT");
    errno = 0;
    check(listen(socket(AF_INET, SOCK_DGRAM, 0), 1) == -1 && errno == EOPNOTSUPP, "listen on UDP: EOPNOTSUPP");
    errno = 0;
    check(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) == -1 && errno == EPROTONOSUPPORT,
          "TCP socket with protocol UDP: EPROTONOSUPPORT");
    errno = 0;
    check(socket(45, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "an unknown family: EAFNOSUPPORT");
    if (on_freebeam) {
        errno = 0;
        check(socket(AF_INET6, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "freebeam: no IPv6 yet");
        errno = 0;
        check(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "freebeam: no AF_UNIX");
    }
    struct sockaddr_in a = loopback(0);
    a.sin_family = AF_INET6;
    errno = 0;
    check(bind(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == EAFNOSUPPORT, "bind AF_INET6: EAFNOSUPPORT");
    a = loopback(0);
    errno = 0;
    check(bind(fd, (struct sockaddr *)&a, 8) == -1 && errno == EINVAL, "bind with a short address: EINVAL");
    a.sin_addr.s_addr = inet_addr("192.0.2.1");
    errno = 0;
    check(bind(fd, (struct sockaddr *)&a, sizeof a) == -1 && errno == EADDRNOTAVAIL,
          "bind to an address not on this host: EADDRNOTAVAIL");
    errno = 0;
    check(bind(fd, (struct sockaddr *)8, sizeof a) == -1 && errno == EFAULT, "bind from a bad pointer: EFAULT");
    close(fd);
}

/* ---- UDP ---- */

static void test_udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = loopback(0);
    check(a >= 0 && b >= 0 && bind(a, (struct sockaddr *)&any, sizeof any) == 0 &&
          bind(b, (struct sockaddr *)&any, sizeof any) == 0, "two UDP sockets bound to 127.0.0.1:0");
    uint16_t pa = port_of(a), pb = port_of(b);
    check(pa && pb && pa != pb, "each got its own port");
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in same = loopback(pa);
    errno = 0;
    check(bind(c, (struct sockaddr *)&same, sizeof same) == -1 && errno == EADDRINUSE,
          "UDP bind to a port in use: EADDRINUSE");
    close(c);
    check(poll_one(b, POLLIN, 0) == 0 && (poll_one(b, POLLOUT, 0) & POLLOUT), "UDP: writable, not readable");
    struct sockaddr_in to = loopback(pb);
    check(sendto(a, "datagram", 8, 0, (struct sockaddr *)&to, sizeof to) == 8, "sendto");
    check(poll_one(b, POLLIN, 2000) & POLLIN, "poll: a datagram came");
    int avail = -1;
    check(ioctl(b, FIONREAD, &avail) == 0 && avail == 8, "FIONREAD: the datagram's size");
    char buf[64];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    check(recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) == 8 &&
          memcmp(buf, "datagram", 8) == 0, "recvfrom: the datagram");
    check(flen == sizeof from && ntohs(from.sin_port) == pa && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "recvfrom: the sender's address");
    errno = 0;
    check(recv(b, buf, sizeof buf, MSG_DONTWAIT) == -1 && errno == EAGAIN, "MSG_DONTWAIT with nothing: EAGAIN");
    /* A datagram larger than the buffer: the rest is lost, MSG_TRUNC says so. */
    check(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof to) == 10, "sendto 10 bytes");
    check(poll_one(b, POLLIN, 2000) & POLLIN, "poll for the long datagram");
    struct iovec v = { buf, 4 };
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_name = &from;
    m.msg_namelen = sizeof from;
    check(recvmsg(b, &m, 0) == 4 && (m.msg_flags & MSG_TRUNC) && memcmp(buf, "0123", 4) == 0,
          "recvmsg into 4 bytes: MSG_TRUNC");
    check(m.msg_namelen == sizeof from && ntohs(from.sin_port) == pa, "recvmsg: the sender's address");
    check(poll_one(b, POLLIN, 0) == 0, "the truncated rest is gone");
    /* Connected UDP. */
    struct sockaddr_in toa = loopback(pa);
    check(connect(b, (struct sockaddr *)&toa, sizeof toa) == 0, "UDP connect");
    check(send(b, "reply", 5, 0) == 5, "send on a connected UDP socket");
    check(poll_one(a, POLLIN, 2000) & POLLIN, "the reply came");
    check(recv(a, buf, sizeof buf, 0) == 5 && memcmp(buf, "reply", 5) == 0, "recv the reply");
    struct sockaddr_in pn;
    socklen_t pnl = sizeof pn;
    check(getpeername(b, (struct sockaddr *)&pn, &pnl) == 0 && ntohs(pn.sin_port) == pa, "UDP getpeername");
    errno = 0;
    check(send(a, "x", 1, 0) == -1 && errno == EDESTADDRREQ, "send on an unconnected UDP socket: EDESTADDRREQ");
    int t = -1;
    socklen_t tl = sizeof t;
    check(getsockopt(a, SOL_SOCKET, SO_TYPE, &t, &tl) == 0 && t == SOCK_DGRAM, "SO_TYPE: SOCK_DGRAM");
    close(a);
    close(b);
}

static void test_select(void)
{
    uint16_t port;
    int lfd = listener(&port);
    int c, s;
    tcp_pair(lfd, port, &c, &s);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(s, &rd);
    FD_SET(c, &wr);
    struct timeval tv = { 0, 0 };
    int n = select((s > c ? s : c) + 1, &rd, &wr, NULL, &tv);
    check(n == 1 && FD_ISSET(c, &wr) && !FD_ISSET(s, &rd), "select: writable, nothing to read");
    check(send(c, "z", 1, 0) == 1, "send one byte");
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    tv.tv_sec = 2;
    check(select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd), "select: readable");
    close(c);
    close(s);
    close(lfd);
}

int main(void)
{
    struct utsname u;
    if (uname(&u) == 0 && strstr(u.release, "freebeam"))
        on_freebeam = 1;
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("net: on %s\n", on_freebeam ? "freebeam" : "Linux");
    test_tcp_nonblocking_connect();
    test_tcp_transfer();
    test_tcp_echo_both_ways();
    test_tcp_both_windows_full();
    test_tcp_writev_whole();
    test_tcp_errors();
    test_tcp_options();
    test_udp();
    test_select();
    return check_report();
}
