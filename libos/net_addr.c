/*
 * net_addr.c - socket call arguments from the program, checked and
 * converted (net_addr.h).  Pure functions, Linux's answers.
 */
#include "net_addr.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

_Static_assert(NET_SOCKADDR_IN_LEN == sizeof(struct sockaddr_in), "sockaddr_in is 16 bytes");

int net_addr_parse(const void *sa, uint32_t len, struct net_inaddr *out)
{
    uint16_t family;
    if (!sa || len < sizeof family)
        return -EINVAL;
    memcpy(&family, sa, sizeof family);
    if (family == AF_UNSPEC)
        return AF_UNSPEC;
    if (family != AF_INET)
        return -EAFNOSUPPORT;
    if (len < NET_SOCKADDR_IN_LEN)
        return -EINVAL;
    struct sockaddr_in sin;
    memcpy(&sin, sa, sizeof sin);
    out->addr = sin.sin_addr.s_addr;
    out->port = ntohs(sin.sin_port);
    return AF_INET;
}

uint32_t net_addr_format(void *dst, uint32_t cap, const struct net_inaddr *in)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(in->port);
    sin.sin_addr.s_addr = in->addr;
    memcpy(dst, &sin, cap < sizeof sin ? cap : sizeof sin);
    return sizeof sin;
}

int net_opt_int(const void *val, uint32_t len, int *out)
{
    if (!val || len < sizeof *out)
        return -EINVAL;
    memcpy(out, val, sizeof *out);
    return 0;
}

int net_iov_total(const struct iovec *iov, long cnt, size_t *total)
{
    if (cnt < 0)
        return -EINVAL;
    if (cnt > NET_IOV_MAX)
        return -EMSGSIZE;
    size_t sum = 0;
    for (long i = 0; i < cnt; i++) {
        if (iov[i].iov_len > (size_t)0x7fffffff - sum)
            return -EINVAL;
        sum += iov[i].iov_len;
    }
    *total = sum;
    return 0;
}
