/*
 * test_net_chksum.c - host unit tests of libos's Internet checksum
 * (libos/net_chksum.c) against a plain reference that adds the 16-bit
 * little-endian words from the start of the data, as lwIP's own C loop
 * does: every length 0..300 at every start offset 0..7, random data and
 * random lengths up to 9000 bytes, and the all-0xff and all-zero cases
 * where a wrong end-around carry shows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lwipopts.h"

/* The reference: one 16-bit word at a time, the odd last byte as a low
 * byte, folded with end-around carry. */
static unsigned short ref_chksum(const uint8_t *p, int len)
{
    uint32_t sum = 0;
    int i;
    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
    if (i < len)
        sum += p[i];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned short)sum;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

#define BUF 9100
static _Alignas(8) uint8_t buf[BUF + 16];

static void fill_random(uint8_t *p, int len)
{
    for (int i = 0; i < len; i++)
        p[i] = (uint8_t)rng();
}

/* Every short length at every alignment: the head, the 8-word loop, the
 * word loop and the tail bytes in every combination. */
static void test_lengths_and_offsets(void)
{
    int bad = 0, runs = 0;
    for (int round = 0; round < 4; round++) {
        fill_random(buf, BUF);
        for (int off = 0; off < 8; off++)
            for (int len = 0; len <= 300; len++, runs++)
                if (libos_net_chksum(buf + off, len) != ref_chksum(buf + off, len)) {
                    if (!bad)
                        printf("    first mismatch: off %d len %d\n", off, len);
                    bad++;
                }
    }
    CHECK(runs == 4 * 8 * 301);
    CHECK(bad == 0);
}

static void test_random_large(void)
{
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        int off = (int)(rng() % 16), len = (int)(rng() % (BUF - 16));
        fill_random(buf + off, len);
        if (libos_net_chksum(buf + off, len) != ref_chksum(buf + off, len))
            bad++;
    }
    CHECK(bad == 0);
}

/* All-ones bytes: the sum carries at every step; the result is 0xffff
 * (one's complement -0), never 0.  All zero gives 0. */
static void test_carries(void)
{
    memset(buf, 0xff, BUF);
    for (int off = 0; off < 4; off++) {
        CHECK(libos_net_chksum(buf + off, 9000) == 0xffff);
        CHECK(libos_net_chksum(buf + off, 9001) == ref_chksum(buf + off, 9001));
        CHECK(libos_net_chksum(buf + off, 2) == 0xffff);
    }
    memset(buf, 0, BUF);
    CHECK(libos_net_chksum(buf + 1, 1500) == 0);
    CHECK(libos_net_chksum(buf, 0) == 0);
    CHECK(libos_net_chksum(buf, -1) == 0);     /* nothing to sum */
}

/* A known IPv4 header (RFC 1071's classic example's shape): the checksum
 * of the header with its checksum field filled in complements to 0. */
static void test_ipv4_header(void)
{
    static const uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    memcpy(buf + 1, hdr, sizeof hdr);
    unsigned short s = libos_net_chksum(buf + 1, 20);
    uint16_t field = (uint16_t)~s;              /* stored in memory order */
    CHECK(field == 0x61b8);                     /* bytes b8 61: 0xb861 on the wire */
    memcpy(buf + 1 + 10, &field, 2);
    CHECK((uint16_t)~libos_net_chksum(buf + 1, 20) == 0);
}

int main(void)
{
    test_lengths_and_offsets();
    test_random_large();
    test_carries();
    test_ipv4_header();
    return check_report("test_net_chksum");
}
