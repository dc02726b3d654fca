/*
 * eth.c - a C program on eth0 (libos/net_eth.c, the net driver PD) with real
 * peers on the host (tests/lib/eth_peer.py, run by tests/suites/eth.sh):
 *   1. listens on TCP 7000 (the host reaches it through --hostfwd), greets
 *      the first connection with "ready\n", reads "ports TCP UDP\n", then
 *      echoes everything until the host's EOF;
 *   2. connects to the host's TCP echo server at 10.0.2.2:TCP, sends 1 MiB
 *      of a pattern and checks every byte of the echo;
 *   3. sends a UDP datagram to the host's echo server at 10.0.2.2:UDP and
 *      checks the answer;
 *   4. answers the host's datagram on UDP 7001 with "pong " and its bytes.
 * Then it lists the interfaces through getifaddrs (netlink) and the
 * SIOCGIF* ioctls.  Before step 1 it waits (20 s at most) for eth0's address, which DHCP
 * gives (without it, the program stops there).  Prints a line per step
 * that moved data, a line per failed check, and `eth: N passed, N failed`
 * (tests/posix/check.h); powers off with 0 only if none failed.  Every
 * wait is bounded (poll timeouts).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHECK_NAME "eth"
#include "check.h"

#define SIZE (1 << 20)
#define WAIT_MS 20000

static unsigned char out[SIZE], in[SIZE];

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static struct sockaddr_in addr(const char *ip, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

/* Wait for fd to be ready for ev, at most ms: 1, or 0 at the timeout. */
static int wait_fd(int fd, short ev, int ms)
{
    struct pollfd p = { .fd = fd, .events = ev };
    return poll(&p, 1, ms) == 1;
}

/* A line of at most cap-1 bytes from a stream socket, byte by byte. */
static int read_line(int fd, char *buf, int cap)
{
    int n = 0;
    while (n < cap - 1) {
        if (!wait_fd(fd, POLLIN, WAIT_MS) || read(fd, buf + n, 1) != 1)
            return -1;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = 0;
    return n;
}

/* Step 1: the host's control connection; its ports into *tcp, *udp. */
static int serve_host(int lst, int *tcp, int *udp)
{
    if (!wait_fd(lst, POLLIN, 60000))
        return -1;
    int c = accept(lst, NULL, NULL);
    if (c < 0)
        return -1;
    char line[64];
    long echoed = -1;
    if (write(c, "ready\n", 6) == 6 && read_line(c, line, sizeof line) > 0 &&
        sscanf(line, "ports %d %d", tcp, udp) == 2) {
        echoed = 0;
        char buf[4096];
        for (;;) {
            if (!wait_fd(c, POLLIN, WAIT_MS)) {
                echoed = -1;
                break;
            }
            ssize_t n = read(c, buf, sizeof buf);
            if (n <= 0)
                break;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(c, buf + off, (size_t)(n - off));
                if (w <= 0) {
                    echoed = -1;
                    break;
                }
                off += w;
            }
            if (echoed < 0)
                break;
            echoed += n;
        }
    }
    close(c);
    printf("eth: echoed %ld bytes to the host\n", echoed);
    return echoed == SIZE ? 0 : -1;
}

/* Step 2: send SIZE bytes to the host's echo server and read them back,
 * interleaved (a non-blocking socket and poll). */
static int echo_via_host(int port)
{
    for (int i = 0; i < SIZE; i++)
        out[i] = (unsigned char)(((i * 31) ^ (i >> 9)) & 0xff);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = addr("10.0.2.2", port);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
        printf("eth: connect 10.0.2.2:%d: %s\n", port, strerror(errno));
        return -1;
    }
    fcntl(s, F_SETFL, O_NONBLOCK);
    size_t sent = 0, got = 0;
    long end = now_ms() + 60000;
    while (got < SIZE && now_ms() < end) {
        struct pollfd p = { .fd = s, .events = POLLIN | (sent < SIZE ? POLLOUT : 0) };
        if (poll(&p, 1, 1000) < 0)
            break;
        if (sent < SIZE && (p.revents & POLLOUT)) {
            ssize_t w = write(s, out + sent, SIZE - sent);
            if (w > 0 && (sent += (size_t)w) == SIZE)
                shutdown(s, SHUT_WR);
        }
        if (p.revents & (POLLIN | POLLHUP)) {
            ssize_t r = read(s, in + got, SIZE - got);
            if (r == 0)
                break;
            if (r > 0)
                got += (size_t)r;
        }
    }
    close(s);
    size_t first = 0;
    while (first < got && in[first] == out[first])
        first++;
    printf("eth: sent %zu bytes to 10.0.2.2:%d, %zu came back, %zu of them right\n", sent, port, got, first);
    return got == SIZE && first == SIZE ? 0 : -1;
}

/* Step 3: a datagram to the host's UDP echo server, 5 tries. */
static int udp_via_host(int port)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = addr("10.0.2.2", port);
    char buf[128];
    ssize_t n = -1;
    for (int i = 0; i < 5 && n < 0; i++) {
        sendto(s, "ping from the guest", 19, 0, (struct sockaddr *)&a, sizeof a);
        if (wait_fd(s, POLLIN, 1000))
            n = recv(s, buf, sizeof buf - 1, 0);
    }
    close(s);
    if (n < 0)
        return -1;
    buf[n] = 0;
    printf("eth: udp: the host answered \"%s\"\n", buf);
    return strcmp(buf, "pong ping from the guest") == 0 ? 0 : -1;
}

/* Step 4: answer the host's datagrams on u: the first within WAIT_MS, and
 * any that follow within a second (the host sends again until an answer
 * reaches it; the last one must leave before the power goes). */
static int udp_from_host(int u)
{
    int answered = 0, wait = WAIT_MS;
    while (wait_fd(u, POLLIN, wait)) {
        char buf[128];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(u, buf + 5, sizeof buf - 6, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            return -1;
        memcpy(buf, "pong ", 5);
        buf[5 + n] = 0;
        if (!answered)
            printf("eth: udp: from the host \"%s\"\n", buf + 5);
        if (sendto(u, buf, (size_t)(5 + n), 0, (struct sockaddr *)&from, fl) != 5 + n)
            return -1;
        answered++;
        wait = 1000;
    }
    return answered ? 0 : -1;
}

/* getifaddrs: lo and eth0 with their IPv4 addresses, eth0's MAC; one line
 * the suite compares with what DHCP or the description gave. */
static int list_interfaces(void)
{
    struct ifaddrs *all;
    if (getifaddrs(&all) < 0) {
        printf("eth: getifaddrs: %s\n", strerror(errno));
        return -1;
    }
    char lo[64] = "", eth[64] = "", mac[32] = "";
    for (struct ifaddrs *i = all; i; i = i->ifa_next) {
        if (!i->ifa_addr)
            continue;
        if (i->ifa_addr->sa_family == AF_INET) {
            char a[16], m[16];
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof a);
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, m, sizeof m);
            snprintf(strcmp(i->ifa_name, "lo") == 0 ? lo : eth, 64, "%s %s/%s%s%s", i->ifa_name, a, m,
                     (i->ifa_flags & IFF_UP) ? " up" : "", (i->ifa_flags & IFF_LOOPBACK) ? " loopback" : "");
        } else if (i->ifa_addr->sa_family == AF_PACKET && strcmp(i->ifa_name, "eth0") == 0) {
            const unsigned char *h = ((struct sockaddr_ll *)i->ifa_addr)->sll_addr;
            snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", h[0], h[1], h[2], h[3], h[4], h[5]);
        }
    }
    freeifaddrs(all);
    printf("eth: getifaddrs: %s; %s mac %s\n", lo, eth, mac);
    /* The same through the ioctls inet_drv uses. */
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "eth0");
    char a[16] = "?";
    int ok = ioctl(s, SIOCGIFADDR, &r) == 0;
    if (ok)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, a, sizeof a);
    ok = ok && ioctl(s, SIOCGIFHWADDR, &r) == 0;
    unsigned char *h = (unsigned char *)r.ifr_hwaddr.sa_data;
    printf("eth: ioctl: eth0 %s mac %02x:%02x:%02x:%02x:%02x:%02x\n", a, h[0], h[1], h[2], h[3], h[4], h[5]);
    strcpy(r.ifr_name, "eth9");
    ok = ok && ioctl(s, SIOCGIFADDR, &r) < 0 && errno == ENODEV;
    close(s);
    return ok && lo[0] && eth[0] && mac[0] ? 0 : -1;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int one = 1;
    int lst = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = addr("0.0.0.0", 7000);
    setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    check(bind(lst, (struct sockaddr *)&any, sizeof any) == 0 && listen(lst, 4) == 0, "listen on TCP 7000");
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in uany = addr("0.0.0.0", 7001);
    check(bind(u, (struct sockaddr *)&uany, sizeof uany) == 0, "bind UDP 7001");

    /* The lease: until then, a datagram to the gateway cannot be routed. */
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in gw = addr("10.0.2.2", 9);
    long end = now_ms() + WAIT_MS;
    int r;
    while ((r = (int)sendto(probe, "x", 1, 0, (struct sockaddr *)&gw, sizeof gw)) < 0 &&
           errno == ENETUNREACH && now_ms() < end)
        usleep(50000);
    close(probe);
    check(r == 1, "eth0 has an address (a datagram to 10.0.2.2 is routed)");
    if (r != 1)                          /* no network: nothing else can work */
        return check_report();

    check(list_interfaces() == 0, "getifaddrs and SIOCGIF* list lo and eth0");
    int tcp = 0, udp = 0;
    check(serve_host(lst, &tcp, &udp) == 0, "the host's 1 MiB through our listener came back whole");
    check(tcp > 0 && echo_via_host(tcp) == 0, "1 MiB to the host's TCP echo server and back, every byte");
    check(udp > 0 && udp_via_host(udp) == 0, "a datagram to the host's UDP echo server, answered");
    check(udp_from_host(u) == 0, "the host's datagram on UDP 7001, answered");
    return check_report();
}
