/*
 * test_libos_net_ifinfo.c - what programs learn about the interfaces
 * (libos/net_ifinfo.c): netlink requests accepted and refused, RTM_NEWLINK
 * and RTM_NEWADDR dumps walked with the host's own <linux/rtnetlink.h>
 * macros (so the layout is Linux's), NLMSG_ERROR answers, a buffer too
 * small, and the SIOCGIF* answers.
 */
#define _GNU_SOURCE
#include "check.h"
#include "../../libos/net_ifinfo.h"
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static struct net_ifinfo ifs[2];

static void setup(void)
{
    memset(ifs, 0, sizeof ifs);
    strcpy(ifs[0].name, "lo");
    ifs[0].index = 1;
    ifs[0].flags = IFF_UP | IFF_RUNNING | IFF_LOOPBACK;
    ifs[0].mtu = 65536;
    ifs[0].loopback = true;
    ifs[0].addr = inet_addr("127.0.0.1");
    ifs[0].netmask = inet_addr("255.0.0.0");
    strcpy(ifs[1].name, "eth0");
    ifs[1].index = 2;
    ifs[1].flags = IFF_UP | IFF_RUNNING | IFF_BROADCAST | IFF_MULTICAST;
    ifs[1].mtu = 1500;
    memcpy(ifs[1].mac, "\x52\x54\x00\x12\x34\x56", 6);
    ifs[1].addr = inet_addr("10.0.2.15");
    ifs[1].netmask = inet_addr("255.255.255.0");
    ifs[1].broadcast = inet_addr("10.0.2.255");
}

static void test_request(void)
{
    struct {
        struct nlmsghdr h;
        struct rtgenmsg g;
    } req = { { sizeof req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 7, 0 }, { AF_UNSPEC } };
    uint16_t type;
    uint32_t seq;
    uint8_t fam;
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == 0 && type == RTM_GETLINK && seq == 7);
    req.h.nlmsg_type = RTM_GETADDR;
    req.g.rtgen_family = AF_INET;
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == 0 && type == RTM_GETADDR && fam == AF_INET);
    CHECK(net_nl_request(&req, 16, &type, &seq, &fam) == -EINVAL);            /* no family byte */
    CHECK(net_nl_request(NULL, 0, &type, &seq, &fam) == -EINVAL);
    req.h.nlmsg_len = 200;                                                    /* longer than written */
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == -EINVAL);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_flags = NLM_F_REQUEST;                                        /* not a dump */
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == -EOPNOTSUPP);
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_type = RTM_GETROUTE;
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == -EOPNOTSUPP);
    req.h.nlmsg_flags = NLM_F_DUMP;                                           /* no REQUEST bit */
    CHECK(net_nl_request(&req, sizeof req, &type, &seq, &fam) == -EINVAL);
}

static void test_links(void)
{
    uint8_t buf[1024];
    long n = net_nl_dump(ifs, 2, RTM_GETLINK, AF_UNSPEC, 9, buf, sizeof buf);
    CHECK(n > 0);
    int links = 0, done = 0;
    int len = (int)n;
    for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
        CHECK(h->nlmsg_seq == 9);
        if (h->nlmsg_type == NLMSG_DONE) {
            done++;
            continue;
        }
        CHECK(h->nlmsg_type == RTM_NEWLINK);
        struct ifinfomsg *ifi = NLMSG_DATA(h);
        const struct net_ifinfo *f = &ifs[links++];
        CHECK(ifi->ifi_index == (int)f->index && ifi->ifi_flags == f->flags);
        CHECK(ifi->ifi_type == (f->loopback ? ARPHRD_LOOPBACK : ARPHRD_ETHER));
        int alen = (int)IFLA_PAYLOAD(h), seen = 0;
        for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
            if (a->rta_type == IFLA_IFNAME) {
                CHECK_STR((char *)RTA_DATA(a), f->name);
                seen |= 1;
            } else if (a->rta_type == IFLA_ADDRESS) {
                CHECK(RTA_PAYLOAD(a) == 6);
                if (!f->loopback)
                    CHECK(memcmp(RTA_DATA(a), f->mac, 6) == 0);
                seen |= 2;
            } else if (a->rta_type == IFLA_MTU) {
                CHECK(*(uint32_t *)RTA_DATA(a) == f->mtu);
                seen |= 4;
            }
        }
        CHECK(seen == 7);
    }
    CHECK(links == 2 && done == 1 && len == 0);
    /* Too small: refused, never overrun. */
    CHECK(net_nl_dump(ifs, 2, RTM_GETLINK, AF_UNSPEC, 9, buf, 40) == -ENOBUFS);
}

static void test_addrs(void)
{
    uint8_t buf[1024];
    ifs[1].addr = 0;                               /* no lease yet: no address message */
    long n = net_nl_dump(ifs, 2, RTM_GETADDR, AF_UNSPEC, 3, buf, sizeof buf);
    int len = (int)n, addrs = 0;
    for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
        addrs += h->nlmsg_type == RTM_NEWADDR;
    CHECK(n > 0 && addrs == 1);
    setup();
    n = net_nl_dump(ifs, 2, RTM_GETADDR, AF_INET6, 3, buf, sizeof buf);  /* no IPv6 addresses */
    CHECK(n == NLMSG_LENGTH(4) && ((struct nlmsghdr *)buf)->nlmsg_type == NLMSG_DONE);
    n = net_nl_dump(ifs, 2, RTM_GETADDR, AF_INET, 3, buf, sizeof buf);
    len = (int)n;
    addrs = 0;
    for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_type != RTM_NEWADDR)
            continue;
        struct ifaddrmsg *ifa = NLMSG_DATA(h);
        const struct net_ifinfo *f = &ifs[addrs++];
        CHECK(ifa->ifa_family == AF_INET && ifa->ifa_index == f->index);
        CHECK(ifa->ifa_prefixlen == (f->loopback ? 8 : 24));
        int alen = (int)IFA_PAYLOAD(h), local = 0;
        for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
            if (a->rta_type == IFA_LOCAL)
                local = *(uint32_t *)RTA_DATA(a) == f->addr;
        CHECK(local);
    }
    CHECK(addrs == 2);
}

static void test_error(void)
{
    struct net_nlmsghdr req = { 20, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 5, 0 };
    uint8_t buf[64];
    long n = net_nl_error(&req, -EOPNOTSUPP, buf, sizeof buf);
    struct nlmsghdr *h = (void *)buf;
    struct nlmsgerr *e = NLMSG_DATA(h);
    CHECK(n == 36 && h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len == 36 && e->error == -EOPNOTSUPP &&
          e->msg.nlmsg_seq == 5);
    CHECK(net_nl_error(&req, -EOPNOTSUPP, buf, 20) == -ENOBUFS);
}

static void test_ifreq(void)
{
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "eth0");
    CHECK(net_ifreq(ifs, 2, SIOCGIFADDR, &r) == 0 &&
          ((struct sockaddr_in *)&r.ifr_addr)->sin_addr.s_addr == inet_addr("10.0.2.15"));
    CHECK(net_ifreq(ifs, 2, SIOCGIFNETMASK, &r) == 0 &&
          ((struct sockaddr_in *)&r.ifr_netmask)->sin_addr.s_addr == inet_addr("255.255.255.0"));
    CHECK(net_ifreq(ifs, 2, SIOCGIFBRDADDR, &r) == 0 &&
          ((struct sockaddr_in *)&r.ifr_broadaddr)->sin_addr.s_addr == inet_addr("10.0.2.255"));
    CHECK(net_ifreq(ifs, 2, SIOCGIFHWADDR, &r) == 0 && r.ifr_hwaddr.sa_family == ARPHRD_ETHER &&
          memcmp(r.ifr_hwaddr.sa_data, ifs[1].mac, 6) == 0);
    CHECK(net_ifreq(ifs, 2, SIOCGIFMTU, &r) == 0 && r.ifr_mtu == 1500);
    CHECK(net_ifreq(ifs, 2, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_UP));
    CHECK(net_ifreq(ifs, 2, SIOCGIFINDEX, &r) == 0 && r.ifr_ifindex == 2);
    memset(&r, 0, sizeof r);
    r.ifr_ifindex = 1;
    CHECK(net_ifreq(ifs, 2, SIOCGIFNAME, &r) == 0);
    CHECK_STR(r.ifr_name, "lo");
    r.ifr_ifindex = 3;
    CHECK(net_ifreq(ifs, 2, SIOCGIFNAME, &r) == -ENODEV);
    memset(r.ifr_name, 'x', sizeof r.ifr_name);                 /* no NUL: still bounded */
    CHECK(net_ifreq(ifs, 2, SIOCGIFADDR, &r) == -ENODEV);
    strcpy(r.ifr_name, "eth0");
    ifs[1].addr = 0;
    CHECK(net_ifreq(ifs, 2, SIOCGIFADDR, &r) == -EADDRNOTAVAIL);
    CHECK(net_ifreq(ifs, 2, SIOCSIFADDR, &r) == -EINVAL);
    setup();
    struct ifreq list[3];
    CHECK(net_ifconf(ifs, 2, NULL, 0) == 2 * sizeof(struct ifreq));
    CHECK(net_ifconf(ifs, 2, list, sizeof list) == 2 * sizeof(struct ifreq));
    CHECK_STR(list[1].ifr_name, "eth0");
    CHECK(net_ifconf(ifs, 2, list, sizeof(struct ifreq) + 3) == sizeof(struct ifreq));
}

int main(void)
{
    setup();
    test_request();
    test_links();
    test_addrs();
    test_error();
    test_ifreq();
    return check_report("test_libos_net_ifinfo");
}
