/*
 * test_libos_net_conf.c - FREEBEAM_IPV4, eth0's address configuration
 * (libos/net_conf.c): DHCP when unset or "dhcp", static addresses with and
 * without a gateway, every prefix length's netmask, and the malformed
 * values that must be refused rather than half-configured.
 */
#include "check.h"
#include "../../libos/net_conf.h"
#include <arpa/inet.h>
#include <errno.h>

static uint32_t ip(const char *s)
{
    struct in_addr a;
    inet_pton(AF_INET, s, &a);
    return a.s_addr;
}

static void test_dhcp(void)
{
    struct net_ipv4_conf c;
    CHECK(net_ipv4_conf_parse(NULL, &c) == 0 && c.dhcp && c.addr == 0);
    CHECK(net_ipv4_conf_parse("dhcp", &c) == 0 && c.dhcp);
    CHECK(net_ipv4_conf_parse("DHCP", &c) == -EINVAL);
    CHECK(net_ipv4_conf_parse("", &c) == -EINVAL);
}

static void test_static(void)
{
    struct net_ipv4_conf c;
    CHECK(net_ipv4_conf_parse("10.0.2.15/24,10.0.2.2", &c) == 0);
    CHECK(!c.dhcp && c.addr == ip("10.0.2.15") && c.netmask == ip("255.255.255.0") &&
          c.gateway == ip("10.0.2.2"));
    CHECK(net_ipv4_conf_parse("192.168.7.1/16", &c) == 0);
    CHECK(!c.dhcp && c.addr == ip("192.168.7.1") && c.netmask == ip("255.255.0.0") && c.gateway == 0);
    CHECK(net_ipv4_conf_parse("0.0.0.0/32", &c) == 0 && c.netmask == 0xffffffffu);
    CHECK(net_ipv4_conf_parse("1.2.3.4/1", &c) == 0 && c.netmask == ip("128.0.0.0"));
    CHECK(net_ipv4_conf_parse("255.255.255.255/9", &c) == 0 && c.netmask == ip("255.128.0.0"));
}

static void test_refused(void)
{
    static const char *const bad[] = {
        "10.0.2.15", "10.0.2.15/", "10.0.2.15/0", "10.0.2.15/33", "10.0.2.15/024", "10.0.2.256/24",
        "10.0.2/24", "10.0.2.15.1/24", "010.0.2.15/24", "10.0.2.15/24,", "10.0.2.15/24,10.0.2",
        "10.0.2.15/24,10.0.2.2,", "10.0.2.15/24 ", " 10.0.2.15/24", "10..2.15/24", "a.b.c.d/8",
        "10.0.2.15/24;10.0.2.2", "1000.0.0.1/8", "10.0.2.15/2a",
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct net_ipv4_conf c;
        if (!CHECK(net_ipv4_conf_parse(bad[i], &c) == -EINVAL))
            printf("  value: \"%s\"\n", bad[i]);
    }
}

static void test_format(void)
{
    char buf[16];
    net_ipv4_format(ip("10.0.2.15"), buf);
    CHECK_STR(buf, "10.0.2.15");
    net_ipv4_format(ip("255.255.255.255"), buf);
    CHECK_STR(buf, "255.255.255.255");
    net_ipv4_format(0, buf);
    CHECK_STR(buf, "0.0.0.0");
    net_ipv4_format(ip("100.20.3.109"), buf);
    CHECK_STR(buf, "100.20.3.109");
}

int main(void)
{
    test_dhcp();
    test_static();
    test_refused();
    test_format();
    return check_report("test_libos_net_conf");
}
