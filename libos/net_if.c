/*
 * net_if.c - the network interfaces of libos's stack, and their addresses.
 *
 * lo: lwIP's loopback interface, 127.0.0.1/8, which lwip_init() makes; we
 * switch its checksums off (nothing corrupts a packet that never leaves
 * memory).
 *
 * eth0: Ethernet over the queue pair to the net driver PD (net_eth.c moves
 * the frames).  When net_eth.c adds it, this file makes it the default
 * interface and gives it its address from FREEBEAM_IPV4 in the PD's
 * environment (net_conf.h): DHCP by default, or a static address.  Nothing
 * waits for DHCP: until the lease comes, eth0 has 0.0.0.0, so connections
 * and datagrams to other hosts fail with ENETUNREACH and nothing from
 * outside reaches a socket; programs that need the network retry.  The
 * lease (and every later change of address) is one console line.
 *
 * lwIP's periodic timers (ARP, IP reassembly, DHCP) run only while eth0
 * exists: lwip_init() arms them, net_if_init() disarms them, and adding
 * eth0 arms them again, so a stack with loopback alone stays idle.
 *
 * net_if_snapshot() is what getifaddrs (a netlink socket, net_link.c) and
 * the SIOCGIF* ioctls see: lo and eth0, with Linux's names and flags.
 *
 * Nothing else in libos names an interface.
 */
#define _DEFAULT_SOURCE         /* struct ifreq */
#include "net.h"
#include "net_conf.h"
#include "net_ifinfo.h"
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include "lwip/dhcp.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"

/* lwIP's cyclic-timer trampoline (made visible by
 * third_party/lwip/patches/0002-cyclic-timer-visible.patch). */
void lwip_cyclic_timer(void *arg);

/* Every cyclic timer but TCP's (index 0, which lwIP starts on demand). */
static void cyclic_timers(bool on)
{
    for (int i = 1; i < lwip_num_cyclic_timers; i++) {
        void *arg = (void *)&lwip_cyclic_timers[i];
        sys_untimeout(lwip_cyclic_timer, arg);
        if (on)
            sys_timeout(lwip_cyclic_timers[i].interval_ms, lwip_cyclic_timer, arg);
    }
}

void net_if_init(void)
{
    struct netif *n;
    NETIF_FOREACH(n) {
        if (n->name[0] == 'l' && n->name[1] == 'o')
            NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
    }
    cyclic_timers(false);
}

static uint32_t last_addr;

/* lwIP: eth0's address or state changed (the DHCP lease, mostly). */
static void eth_status(struct netif *n)
{
    uint32_t a = ip4_addr_get_u32(netif_ip4_addr(n));
    if (a == last_addr)
        return;
    last_addr = a;
    char addr[16], mask[16], gw[16];
    net_ipv4_format(a, addr);
    net_ipv4_format(ip4_addr_get_u32(netif_ip4_netmask(n)), mask);
    net_ipv4_format(ip4_addr_get_u32(netif_ip4_gw(n)), gw);
    libos_puts("libos: eth0: ");
    libos_puts(addr);
    libos_puts(" netmask ");
    libos_puts(mask);
    libos_puts(" gateway ");
    libos_puts(gw);
    libos_puts(dhcp_supplied_address(n) ? " (dhcp)\n" : "\n");
    net_changed();
}

void net_if_eth_added(struct netif *n)
{
    struct net_ipv4_conf conf;
    const char *want = libos_boot_env("FREEBEAM_IPV4");
    if (net_ipv4_conf_parse(want, &conf) < 0) {
        libos_puts("libos: eth0: FREEBEAM_IPV4 is not dhcp, ADDR/PREFIX or ADDR/PREFIX,GATEWAY; using DHCP\n");
        net_ipv4_conf_parse(NULL, &conf);
    }
    netif_set_status_callback(n, eth_status);
    netif_set_default(n);
    cyclic_timers(true);
    if (!conf.dhcp) {
        ip4_addr_t a, m, g;
        ip4_addr_set_u32(&a, conf.addr);
        ip4_addr_set_u32(&m, conf.netmask);
        ip4_addr_set_u32(&g, conf.gateway);
        netif_set_addr(n, &a, &m, &g);
    }
    netif_set_up(n);
    netif_set_link_up(n);
    if (conf.dhcp) {
        err_t e = dhcp_start(n);
        if (e != ERR_OK)
            libos_log_num("eth0: DHCP cannot start, lwIP error", (unsigned long)-e);
    }
}

bool net_if_is_local(const ip4_addr_t *a)
{
    if (ip4_addr_isloopback(a))
        return true;
    struct netif *n;
    NETIF_FOREACH(n) {
        if (netif_is_up(n) && ip4_addr_cmp(a, netif_ip4_addr(n)))
            return true;
    }
    return false;
}

int net_if_snapshot(struct net_ifinfo *out, int max)
{
    int k = 0;
    struct netif *n;
    NETIF_FOREACH(n) {
        if (k == max)
            break;
        struct net_ifinfo *f = &out[k++];
        memset(f, 0, sizeof *f);
        f->loopback = n->name[0] == 'l' && n->name[1] == 'o';
        memcpy(f->name, f->loopback ? "lo" : "eth0", f->loopback ? 3 : 5);
        f->index = netif_get_index(n);
        f->mtu = f->loopback ? 65536 : n->mtu;
        f->flags = (netif_is_up(n) ? IFF_UP : 0) | (netif_is_up(n) && netif_is_link_up(n) ? IFF_RUNNING : 0) |
                   (f->loopback ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST);
        if (!f->loopback)
            memcpy(f->mac, n->hwaddr, sizeof f->mac);
        f->addr = ip4_addr_get_u32(netif_ip4_addr(n));
        f->netmask = ip4_addr_get_u32(netif_ip4_netmask(n));
        f->broadcast = f->addr | ~f->netmask;
    }
    return k;
}

int net_if_list(struct net_ifinfo *out, int max)
{
    if (net_lock())
        return 0;
    int n = net_if_snapshot(out, max);
    net_unlock();
    return n;
}

long net_if_ioctl(unsigned long req, unsigned long arg)
{
    struct net_ifinfo ifs[NET_IF_MAX];
    if (req == SIOCGIFCONF) {
        struct ifconf c;
        if (!libos_user_ok((void *)arg, sizeof c, 1))
            return -EFAULT;
        memcpy(&c, (void *)arg, sizeof c);
        int n = net_if_list(ifs, NET_IF_MAX);
        if (c.ifc_len < 0)
            return -EINVAL;
        if (c.ifc_buf && !libos_user_ok(c.ifc_buf, (size_t)c.ifc_len, 1))
            return -EFAULT;
        c.ifc_len = (int)net_ifconf(ifs, n, c.ifc_buf, (uint32_t)c.ifc_len);
        memcpy((void *)arg, &c, sizeof c);
        return 0;
    }
    struct ifreq r;
    if (!libos_user_ok((void *)arg, sizeof r, 1))
        return -EFAULT;
    int n = net_if_list(ifs, NET_IF_MAX);
    return net_ifreq(ifs, n, req, (void *)arg);
}
