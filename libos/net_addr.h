/*
 * net_addr.h - the checks of socket call arguments that carry bytes from
 * the program: socket addresses, option values, iovec totals.  Pure (no
 * lwIP, no kernel): tested on the host (tests/host/test_libos_net_addr.c)
 * and fuzzed (tests/fuzz/fuzz_net_addr.c).  The caller has made sure the
 * memory is readable (libos_user_ok) for the length it passes.
 */
#ifndef LIBOS_NET_ADDR_H
#define LIBOS_NET_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct net_inaddr {
    uint32_t addr;          /* network byte order, as in sin_addr */
    uint16_t port;          /* host byte order */
};

#define NET_SOCKADDR_IN_LEN 16u     /* sizeof(struct sockaddr_in) */
#define NET_IOV_MAX 1024            /* UIO_MAXIOV */

/* A struct sockaddr of len bytes: AF_INET (then *out is set) or AF_UNSPEC
 * (a family field alone is enough), else -EINVAL (too short for what it
 * says) or -EAFNOSUPPORT. */
int net_addr_parse(const void *sa, uint32_t len, struct net_inaddr *out);

/* Linux's way to return an address: the first min(cap, 16) bytes of the
 * sockaddr_in go to dst; the full length (16) is what *len must become. */
uint32_t net_addr_format(void *dst, uint32_t cap, const struct net_inaddr *in);

/* An int option value: -EINVAL if shorter than an int. */
int net_opt_int(const void *val, uint32_t len, int *out);

/* Bytes of an iovec array: 0 and *total, -EMSGSIZE for more than
 * NET_IOV_MAX entries, -EINVAL for a negative count or a total past
 * SSIZE_MAX. */
int net_iov_total(const struct iovec *iov, long cnt, size_t *total);

#endif
