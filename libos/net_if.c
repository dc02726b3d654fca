/*
 * net_if.c - the network interfaces of libos's stack.
 *
 * Today one: lwIP's loopback interface, 127.0.0.1/8, which lwip_init()
 * makes; we switch its checksums off (nothing corrupts a packet that never
 * leaves memory).  A second interface, Ethernet frames over a queue pair to
 * the net driver PD, is added here with netif_add() and its own
 * linkoutput/input; frames that arrive are fed to netif->input by the event
 * thread's channel handler under net_lock(), like any other entry into
 * lwIP.  Nothing else in libos names an interface.
 */
#include "net.h"
#include "lwip/netif.h"

void net_if_init(void)
{
    struct netif *n;
    NETIF_FOREACH(n) {
        if (n->name[0] == 'l' && n->name[1] == 'o')
            NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
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
