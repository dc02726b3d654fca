/*
 * net_conf.h - eth0's address configuration from the PD's environment
 * (FREEBEAM_IPV4, docs/networking.md "Addresses"), parsed by a pure
 * function: tested on the host (tests/host/test_libos_net_conf.c) and
 * fuzzed (tests/fuzz/fuzz_net_conf.c), since a description is input.
 *
 *   FREEBEAM_IPV4 unset, or "dhcp"     DHCP (the default)
 *   "ADDR/PREFIX"                      static, no gateway
 *   "ADDR/PREFIX,GATEWAY"              static, with a default route
 * ADDR and GATEWAY dotted quads (four decimal numbers 0..255, no leading
 * zeros beyond a lone 0), PREFIX 1..32.
 */
#ifndef LIBOS_NET_CONF_H
#define LIBOS_NET_CONF_H

#include <stdbool.h>
#include <stdint.h>

struct net_ipv4_conf {
    bool dhcp;
    uint32_t addr, netmask, gateway;    /* network byte order; gateway 0: none */
};

/* Parse s (NULL: unset) into *out: 0, or -EINVAL (nothing is configured then). */
int net_ipv4_conf_parse(const char *s, struct net_ipv4_conf *out);

/* a (network byte order) as a dotted quad into buf (at least 16 bytes). */
void net_ipv4_format(uint32_t a, char *buf);

#endif
