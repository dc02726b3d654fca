/*
 * fuzz_net_addr.c - libFuzzer target for libos's checks of socket call
 * arguments (libos/net_addr.c): any bytes as a socket address of any
 * length, as an option value, and as an iovec array must give an answer or
 * an error, never a read outside the bytes (ASan watches).  A parsed
 * address written back (to a room of any size up to 16) must parse again
 * to the same address.  The same bytes, as a C string, are a value of
 * FREEBEAM_IPV4 (libos/net_conf.c): refused or parsed, and a static
 * address parsed prints and parses back to itself.  And as a netlink
 * request (libos/net_ifinfo.c): refused, or answered with a dump that fits
 * the answer page; as a struct ifreq of a SIOCGIF* ioctl: answered or
 * refused within its 32 bytes.
 * Seeds: build/fuzz/net-corpus/ (tests/host/host.mk).
 */
#define _DEFAULT_SOURCE         /* struct ifreq, strnlen (libos/net_ifinfo.c) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "../../libos/net_addr.c"
#include "../../libos/net_conf.c"
#include "../../libos/net_ifinfo.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any overrun. */
    uint8_t *blob = malloc(size ? size : 1);
    if (!blob)
        return 0;
    memcpy(blob, data, size);
    struct net_inaddr a, b;
    int r = net_addr_parse(size ? blob : NULL, (uint32_t)size, &a);
    if (r != AF_INET && r != AF_UNSPEC && r != -EINVAL && r != -EAFNOSUPPORT)
        abort();
    if (r == AF_INET) {
        uint32_t room = size ? blob[size - 1] % (NET_SOCKADDR_IN_LEN + 1) : 0;
        uint8_t out[NET_SOCKADDR_IN_LEN];
        memset(out, 0, sizeof out);
        if (net_addr_format(out, room, &a) != NET_SOCKADDR_IN_LEN)
            abort();
        if (net_addr_format(out, sizeof out, &a) != NET_SOCKADDR_IN_LEN ||
            net_addr_parse(out, sizeof out, &b) != AF_INET || b.addr != a.addr || b.port != a.port)
            abort();
    }
    int v;
    r = net_opt_int(size ? blob : NULL, (uint32_t)size, &v);
    if (r != 0 && r != -EINVAL)
        abort();
    size_t total;
    long cnt = (long)(size / sizeof(struct iovec));
    r = net_iov_total((const struct iovec *)(void *)blob, cnt, &total);
    if (r != 0 && r != -EINVAL && r != -EMSGSIZE)
        abort();
    if (r == 0 && total > 0x7fffffff)
        abort();
    free(blob);

    char *str = malloc(size + 1);
    if (!str)
        return 0;
    memcpy(str, data, size);
    str[size] = 0;
    struct net_ipv4_conf c, c2;
    r = net_ipv4_conf_parse(str, &c);
    if (r != 0 && r != -EINVAL)
        abort();
    if (r == 0 && !c.dhcp) {
        char back[24];
        net_ipv4_format(c.addr, back);
        strcat(back, "/32");
        if (net_ipv4_conf_parse(back, &c2) != 0 || c2.addr != c.addr || c2.dhcp)
            abort();
    }
    free(str);

    static struct net_ifinfo ifs[2] = {
        { "lo", 1, 0x49, 65536, true, { 0 }, 0x0100007f, 0xff, 0 },
        { "eth0", 2, 0x1043, 1500, false, { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, 0x0f02000a, 0xffffff, 0xff02000a },
    };
    uint16_t type;
    uint32_t seq;
    uint8_t fam;
    blob = malloc(size ? size : 1);
    if (!blob)
        return 0;
    memcpy(blob, data, size);
    r = net_nl_request(size ? blob : NULL, size, &type, &seq, &fam);
    if (r != 0 && r != -EINVAL && r != -EOPNOTSUPP)
        abort();
    static uint8_t page[4096];
    if (r == 0 && net_nl_dump(ifs, 2, type, fam, seq, page, sizeof page) <= 0)
        abort();
    if (size >= sizeof(struct ifreq)) {
        unsigned long reqs[] = { SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFHWADDR, SIOCGIFMTU };
        net_ifreq(ifs, 2, reqs[blob[0] % 6], blob);
    }
    free(blob);
    return 0;
}
