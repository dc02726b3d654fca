/*
 * net_ifinfo.h - what a program learns about the network interfaces, in
 * Linux's two ways: the answers of a NETLINK_ROUTE socket to RTM_GETLINK
 * and RTM_GETADDR dump requests (musl's getifaddrs and if_nameindex speak
 * only netlink) and the SIOCGIF* ioctls (inet_drv's inet:ifget and
 * getiflist).  Pure: it works on a snapshot of the interfaces that net_if.c
 * takes under the stack's lock, so it is tested on the host
 * (tests/host/test_libos_net_ifinfo.c) and fuzzed (tests/fuzz/
 * fuzz_net_addr.c: the bytes of a request come from the program).
 *
 * The netlink ABI (message header, ifinfomsg, ifaddrmsg, attributes) is
 * Linux's; musl ships no Linux uapi headers, so its numbers are spelled here.
 */
#ifndef LIBOS_NET_IFINFO_H
#define LIBOS_NET_IFINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_IF_MAX 4                /* interfaces in a snapshot, at most */

struct net_ifinfo {
    char name[16];                  /* "lo", "eth0" */
    uint32_t index;                 /* 1.. */
    uint32_t flags;                 /* Linux's IFF_* */
    uint32_t mtu;
    bool loopback;
    uint8_t mac[6];                 /* Ethernet only */
    uint32_t addr, netmask, broadcast;  /* network byte order; addr 0: none yet */
};

/* ---- netlink (NETLINK_ROUTE) ---- */
#define NET_NL_MSG_DONE   3u
#define NET_NL_MSG_ERROR  2u
#define NET_RTM_NEWLINK   16u
#define NET_RTM_GETLINK   18u
#define NET_RTM_NEWADDR   20u
#define NET_RTM_GETADDR   22u
#define NET_NLM_F_REQUEST 0x1u
#define NET_NLM_F_MULTI   0x2u
#define NET_NLM_F_DUMP    0x300u

struct net_nlmsghdr {
    uint32_t len;
    uint16_t type, flags;
    uint32_t seq, pid;
};

/* One request the program wrote (len bytes): 0 with *type (RTM_GETLINK or
 * RTM_GETADDR), *seq and *family, or -EINVAL (too short, a length that
 * lies, not a request) or -EOPNOTSUPP (another request, or not a dump). */
int net_nl_request(const void *msg, size_t len, uint16_t *type, uint32_t *seq, uint8_t *family);

/* The answer to a dump of `type` (RTM_GETLINK or RTM_GETADDR) for family
 * (0: all, or AF_INET; AF_INET6 gets no addresses) over the n interfaces:
 * one RTM_NEWLINK or RTM_NEWADDR message per interface (with an address),
 * then NLMSG_DONE, into buf.  Its length, or -ENOBUFS if cap is too small. */
long net_nl_dump(const struct net_ifinfo *ifs, int n, uint16_t type, uint8_t family, uint32_t seq,
                 uint8_t *buf, size_t cap);

/* The answer to an error: an NLMSG_ERROR message (err a negative errno)
 * echoing the request's header; its length (36), or -ENOBUFS. */
long net_nl_error(const struct net_nlmsghdr *req, int err, uint8_t *buf, size_t cap);

/* ---- SIOCGIF* ---- */
/* SIOCGIFNAME, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR,
 * SIOCGIFNETMASK, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX on a struct
 * ifreq (ifr, 32 bytes, already the caller's and copied): 0 and the answer
 * in ifr, -ENODEV (no interface of that name or index), -EADDRNOTAVAIL
 * (no address yet), -EINVAL for another request. */
int net_ifreq(const struct net_ifinfo *ifs, int n, unsigned long req, void *ifr);

/* SIOCGIFCONF: the interfaces with an address as struct ifreq records into
 * buf (cap bytes; NULL: count only); the bytes they take. */
uint32_t net_ifconf(const struct net_ifinfo *ifs, int n, void *buf, uint32_t cap);

#endif
