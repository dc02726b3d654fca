/*
 * test_libos_net_addr.c - libos's checks of socket call arguments
 * (libos/net_addr.c): socket addresses in and out with Linux's answers for
 * short, foreign and truncated ones, int option values, iovec totals.
 */
#include "check.h"
#include "../../libos/net_addr.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static void test_parse(void)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(8080);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct net_inaddr a = { 0, 0 };
    CHECK(net_addr_parse(&sin, sizeof sin, &a) == AF_INET);
    CHECK(a.port == 8080 && a.addr == htonl(INADDR_LOOPBACK));
    /* Longer is fine (a sockaddr_storage), shorter than 16 is not. */
    unsigned char big[128];
    memset(big, 0xee, sizeof big);
    memcpy(big, &sin, sizeof sin);
    CHECK(net_addr_parse(big, sizeof big, &a) == AF_INET);
    CHECK(net_addr_parse(&sin, 15, &a) == -EINVAL);
    CHECK(net_addr_parse(&sin, 1, &a) == -EINVAL);
    CHECK(net_addr_parse(&sin, 0, &a) == -EINVAL);
    CHECK(net_addr_parse(NULL, 16, &a) == -EINVAL);
    /* AF_UNSPEC needs only its family; other families are refused. */
    sin.sin_family = AF_UNSPEC;
    CHECK(net_addr_parse(&sin, 2, &a) == AF_UNSPEC);
    sin.sin_family = AF_INET6;
    CHECK(net_addr_parse(&sin, sizeof sin, &a) == -EAFNOSUPPORT);
    sin.sin_family = AF_UNIX;
    CHECK(net_addr_parse(&sin, 2, &a) == -EAFNOSUPPORT);
}

static void test_format(void)
{
    struct net_inaddr a = { htonl(0x7f000001), 4369 };
    struct sockaddr_in sin;
    memset(&sin, 0xaa, sizeof sin);
    CHECK(net_addr_format(&sin, sizeof sin, &a) == 16);
    CHECK(sin.sin_family == AF_INET && ntohs(sin.sin_port) == 4369 && sin.sin_addr.s_addr == htonl(0x7f000001));
    CHECK(sin.sin_zero[0] == 0 && sin.sin_zero[7] == 0);
    /* Truncated to the room given; the bytes after it untouched. */
    unsigned char buf[16];
    memset(buf, 0x55, sizeof buf);
    CHECK(net_addr_format(buf, 4, &a) == 16);
    CHECK(buf[0] == AF_INET && buf[1] == 0 && buf[2] == 0x11 && buf[3] == 0x11 && buf[4] == 0x55 && buf[15] == 0x55);
    memset(buf, 0x55, sizeof buf);
    CHECK(net_addr_format(buf, 0, &a) == 16 && buf[0] == 0x55);
}

static void test_opt_int(void)
{
    int v = 0, one = 1;
    CHECK(net_opt_int(&one, sizeof one, &v) == 0 && v == 1);
    CHECK(net_opt_int(&one, 8, &v) == 0 && v == 1);
    CHECK(net_opt_int(&one, 3, &v) == -EINVAL);
    CHECK(net_opt_int(NULL, 4, &v) == -EINVAL);
}

static void test_iov_total(void)
{
    char b[10];
    struct iovec v[3] = { { b, 3 }, { b, 0 }, { b, 7 } };
    size_t total = 0;
    CHECK(net_iov_total(v, 3, &total) == 0 && total == 10);
    CHECK(net_iov_total(v, 0, &total) == 0 && total == 0);
    CHECK(net_iov_total(v, -1, &total) == -EINVAL);
    CHECK(net_iov_total(v, NET_IOV_MAX + 1, &total) == -EMSGSIZE);
    struct iovec huge[2] = { { b, 0x7fffffff }, { b, 1 } };
    CHECK(net_iov_total(huge, 1, &total) == 0 && total == 0x7fffffff);
    CHECK(net_iov_total(huge, 2, &total) == -EINVAL);
    struct iovec wrap[2] = { { b, (size_t)-1 }, { b, 2 } };
    CHECK(net_iov_total(wrap, 2, &total) == -EINVAL);
}

int main(void)
{
    test_parse();
    test_format();
    test_opt_int();
    test_iov_total();
    return check_report("test_libos_net_addr");
}
