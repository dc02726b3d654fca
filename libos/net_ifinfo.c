/*
 * net_ifinfo.c - netlink dumps and SIOCGIF* answers from a snapshot of the
 * interfaces (net_ifinfo.h).  Pure: no lwIP, no kernel.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE         /* struct ifreq, strnlen */
#endif
#include "net_ifinfo.h"
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define NL_ALIGN(n) (((n) + 3u) & ~(size_t)3u)
#define HDR_BYTES 16u

enum { IFLA_ADDRESS_ = 1, IFLA_BROADCAST_ = 2, IFLA_IFNAME_ = 3, IFLA_MTU_ = 4 };
enum { IFA_ADDRESS_ = 1, IFA_LOCAL_ = 2, IFA_LABEL_ = 3, IFA_BROADCAST_ = 4 };
#define ARPHRD_ETHER_ 1u
#define ARPHRD_LOOPBACK_ 772u
#define SCOPE_HOST 254u
#define SCOPE_UNIVERSE 0u

_Static_assert(sizeof(struct net_nlmsghdr) == HDR_BYTES, "nlmsghdr is 16 bytes");

int net_nl_request(const void *msg, size_t len, uint16_t *type, uint32_t *seq, uint8_t *family)
{
    struct net_nlmsghdr h;
    if (!msg || len < HDR_BYTES + 1)
        return -EINVAL;
    memcpy(&h, msg, sizeof h);
    if (h.len < HDR_BYTES + 1 || h.len > len)
        return -EINVAL;
    if (!(h.flags & NET_NLM_F_REQUEST))
        return -EINVAL;
    if ((h.type != NET_RTM_GETLINK && h.type != NET_RTM_GETADDR) ||
        (h.flags & NET_NLM_F_DUMP) != NET_NLM_F_DUMP)
        return -EOPNOTSUPP;
    *type = h.type;
    *seq = h.seq;
    *family = ((const uint8_t *)msg)[HDR_BYTES];    /* rtgenmsg, ifinfomsg and ifaddrmsg start with it */
    return 0;
}

/* A writer of messages into a buffer; overflow latches. */
struct out {
    uint8_t *buf;
    size_t cap, at, msg;            /* msg: where the current message began */
    bool full;
};

static void put(struct out *o, const void *p, size_t n)
{
    size_t padded = NL_ALIGN(n);
    if (o->full || padded > o->cap - o->at) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->at, p, n);
    memset(o->buf + o->at + n, 0, padded - n);
    o->at += padded;
}

static void begin(struct out *o, uint16_t type, uint16_t flags, uint32_t seq)
{
    struct net_nlmsghdr h = { 0, type, flags, seq, 0 };
    o->msg = o->at;
    put(o, &h, sizeof h);
}

static void end(struct out *o)
{
    if (o->full)
        return;
    uint32_t len = (uint32_t)(o->at - o->msg);
    memcpy(o->buf + o->msg, &len, sizeof len);
}

static void attr(struct out *o, uint16_t type, const void *data, uint16_t n)
{
    uint16_t h[2] = { (uint16_t)(4u + n), type };
    put(o, h, sizeof h);
    put(o, data, n);
}

static void link_msg(struct out *o, const struct net_ifinfo *f, uint32_t seq)
{
    struct {
        uint8_t family, pad;
        uint16_t type;
        int32_t index;
        uint32_t flags, change;
    } ifi = { AF_UNSPEC, 0, (uint16_t)(f->loopback ? ARPHRD_LOOPBACK_ : ARPHRD_ETHER_), (int32_t)f->index,
              f->flags, 0 };
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6] = { 0 };
    begin(o, NET_RTM_NEWLINK, NET_NLM_F_MULTI, seq);
    put(o, &ifi, sizeof ifi);
    attr(o, IFLA_IFNAME_, f->name, (uint16_t)(strnlen(f->name, sizeof f->name - 1) + 1));
    attr(o, IFLA_MTU_, &f->mtu, sizeof f->mtu);
    attr(o, IFLA_ADDRESS_, f->loopback ? zero : f->mac, 6);
    attr(o, IFLA_BROADCAST_, f->loopback ? zero : bcast, 6);
    end(o);
}

static uint8_t prefix_len(uint32_t netmask_be)
{
    uint8_t b[4], n = 0;
    memcpy(b, &netmask_be, 4);
    for (int i = 0; i < 4; i++)
        for (int bit = 7; bit >= 0 && (b[i] >> bit & 1); bit--)
            n++;
    return n;
}

static void addr_msg(struct out *o, const struct net_ifinfo *f, uint32_t seq)
{
    struct {
        uint8_t family, prefixlen, flags, scope;
        uint32_t index;
    } ifa = { AF_INET, prefix_len(f->netmask), 0, (uint8_t)(f->loopback ? SCOPE_HOST : SCOPE_UNIVERSE),
              f->index };
    begin(o, NET_RTM_NEWADDR, NET_NLM_F_MULTI, seq);
    put(o, &ifa, sizeof ifa);
    attr(o, IFA_ADDRESS_, &f->addr, 4);
    attr(o, IFA_LOCAL_, &f->addr, 4);
    if (!f->loopback)
        attr(o, IFA_BROADCAST_, &f->broadcast, 4);
    attr(o, IFA_LABEL_, f->name, (uint16_t)(strnlen(f->name, sizeof f->name - 1) + 1));
    end(o);
}

long net_nl_dump(const struct net_ifinfo *ifs, int n, uint16_t type, uint8_t family, uint32_t seq,
                 uint8_t *buf, size_t cap)
{
    struct out o = { buf, cap, 0, 0, false };
    for (int i = 0; i < n; i++) {
        if (type == NET_RTM_GETLINK)
            link_msg(&o, &ifs[i], seq);
        else if (ifs[i].addr && (family == AF_UNSPEC || family == AF_INET))
            addr_msg(&o, &ifs[i], seq);
    }
    int32_t status = 0;
    begin(&o, NET_NL_MSG_DONE, NET_NLM_F_MULTI, seq);
    put(&o, &status, sizeof status);
    end(&o);
    return o.full ? -ENOBUFS : (long)o.at;
}

long net_nl_error(const struct net_nlmsghdr *req, int err, uint8_t *buf, size_t cap)
{
    struct out o = { buf, cap, 0, 0, false };
    int32_t e = err;
    begin(&o, NET_NL_MSG_ERROR, 0, req->seq);
    put(&o, &e, sizeof e);
    put(&o, req, sizeof *req);
    end(&o);
    return o.full ? -ENOBUFS : (long)o.at;
}

static void put_sin(struct sockaddr *sa, uint32_t addr_be)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = addr_be;
    memcpy(sa, &sin, sizeof sin);
}

static const struct net_ifinfo *by_name(const struct net_ifinfo *ifs, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strncmp(ifs[i].name, name, IFNAMSIZ) == 0)
            return &ifs[i];
    return NULL;
}

int net_ifreq(const struct net_ifinfo *ifs, int n, unsigned long req, void *arg)
{
    struct ifreq r;
    memcpy(&r, arg, sizeof r);
    r.ifr_name[IFNAMSIZ - 1] = 0;
    const struct net_ifinfo *f = NULL;
    if (req == SIOCGIFNAME) {
        for (int i = 0; i < n && !f; i++)
            if ((int)ifs[i].index == r.ifr_ifindex)
                f = &ifs[i];
    } else {
        f = by_name(ifs, n, r.ifr_name);
    }
    if (!f)
        return -ENODEV;
    switch (req) {
    case SIOCGIFNAME:
        memset(r.ifr_name, 0, IFNAMSIZ);
        memcpy(r.ifr_name, f->name, strnlen(f->name, IFNAMSIZ - 1));
        break;
    case SIOCGIFINDEX:
        r.ifr_ifindex = (int)f->index;
        break;
    case SIOCGIFFLAGS:
        r.ifr_flags = (short)f->flags;
        break;
    case SIOCGIFMTU:
        r.ifr_mtu = (int)f->mtu;
        break;
    case SIOCGIFHWADDR:
        memset(&r.ifr_hwaddr, 0, sizeof r.ifr_hwaddr);
        r.ifr_hwaddr.sa_family = (unsigned short)(f->loopback ? ARPHRD_LOOPBACK_ : ARPHRD_ETHER_);
        if (!f->loopback)
            memcpy(r.ifr_hwaddr.sa_data, f->mac, 6);
        break;
    case SIOCGIFADDR:
    case SIOCGIFDSTADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFNETMASK:
        if (!f->addr)
            return -EADDRNOTAVAIL;
        put_sin(&r.ifr_addr, req == SIOCGIFNETMASK ? f->netmask
                             : req == SIOCGIFBRDADDR ? f->broadcast
                             : f->addr);
        break;
    default:
        return -EINVAL;
    }
    memcpy(arg, &r, sizeof r);
    return 0;
}

uint32_t net_ifconf(const struct net_ifinfo *ifs, int n, void *buf, uint32_t cap)
{
    uint32_t used = 0;
    for (int i = 0; i < n; i++) {
        if (!ifs[i].addr)
            continue;
        if (buf) {
            if (cap - used < sizeof(struct ifreq))
                break;
            struct ifreq r;
            memset(&r, 0, sizeof r);
            memcpy(r.ifr_name, ifs[i].name, strnlen(ifs[i].name, IFNAMSIZ - 1));
            put_sin(&r.ifr_addr, ifs[i].addr);
            memcpy((uint8_t *)buf + used, &r, sizeof r);
        }
        used += sizeof(struct ifreq);
    }
    return used;
}
