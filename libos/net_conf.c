/*
 * net_conf.c - FREEBEAM_IPV4, eth0's address configuration (net_conf.h).
 * Pure: no lwIP, no kernel.
 */
#include "net_conf.h"
#include <errno.h>
#include <string.h>

/* A decimal number 0..max at *s (no sign, no leading zero unless it is 0),
 * advancing *s; -1 if none. */
static long number(const char **s, long max)
{
    const char *p = *s;
    if (*p < '0' || *p > '9')
        return -1;
    long v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (++digits > 3 || v > max)
            return -1;
        p++;
    }
    if (digits > 1 && **s == '0')
        return -1;
    *s = p;
    return v;
}

/* A dotted quad at *s, advancing it: true and *out in network byte order. */
static bool quad(const char **s, uint32_t *out)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++) {
        if (i > 0 && *(*s)++ != '.')
            return false;
        long v = number(s, 255);
        if (v < 0)
            return false;
        b[i] = (uint8_t)v;
    }
    memcpy(out, b, 4);
    return true;
}

int net_ipv4_conf_parse(const char *s, struct net_ipv4_conf *out)
{
    memset(out, 0, sizeof *out);
    if (!s || strcmp(s, "dhcp") == 0) {
        out->dhcp = true;
        return 0;
    }
    uint32_t addr, gw = 0;
    if (!quad(&s, &addr) || *s++ != '/')
        return -EINVAL;
    long prefix = number(&s, 32);
    if (prefix < 1)
        return -EINVAL;
    if (*s == ',') {
        s++;
        if (!quad(&s, &gw))
            return -EINVAL;
    }
    if (*s)
        return -EINVAL;
    uint32_t mask_host = prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
    uint8_t m[4] = { (uint8_t)(mask_host >> 24), (uint8_t)(mask_host >> 16), (uint8_t)(mask_host >> 8),
                     (uint8_t)mask_host };
    out->addr = addr;
    memcpy(&out->netmask, m, 4);
    out->gateway = gw;
    return 0;
}

void net_ipv4_format(uint32_t a, char *buf)
{
    uint8_t b[4];
    memcpy(b, &a, 4);
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        if (i)
            *p++ = '.';
        unsigned v = b[i];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
    }
    *p = 0;
}
