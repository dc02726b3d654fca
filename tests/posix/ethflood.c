/*
 * ethflood.c - the guest of tests/suites/eth.sh's flood test: eth0 with a
 * static address (FREEBEAM_IPV4=10.0.9.2/24 in its description) on a QEMU
 * socket netdev whose other end is tests/lib/eth_flood.py, which sends
 * thousands of malformed and oversized frames (runts, bad IPv4 headers,
 * lying lengths, fragments, bad checksums, SYNs, ARP garbage) and then
 * valid UDP datagrams to port 7001.  This program answers each datagram
 * with "pong " and its bytes, until one says "done"; then it prints how
 * many it answered and exits 0.  60 s without a datagram: exit 1.  What
 * the flood must not do is crash or wedge the stack: the answers after it
 * prove it still works.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7001) };
    if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof a) < 0) {
        printf("ethflood: cannot bind UDP 7001\n");
        return 1;
    }
    int answered = 0;
    for (;;) {
        struct pollfd p = { .fd = u, .events = POLLIN };
        if (poll(&p, 1, 60000) != 1) {
            printf("ethflood: no datagram for 60 s, %d answered\n", answered);
            return 1;
        }
        char buf[1600];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(u, buf + 5, sizeof buf - 5, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            continue;
        memcpy(buf, "pong ", 5);
        sendto(u, buf, (size_t)n + 5, 0, (struct sockaddr *)&from, fl);
        answered++;
        if (n == 4 && memcmp(buf + 5, "done", 4) == 0)
            break;
    }
    usleep(200000);                      /* the last answer leaves before the power goes */
    printf("ethflood: answered %d datagrams, the last one \"done\"\n", answered);
    return 0;
}
