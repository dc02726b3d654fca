/*
 * net_chksum.c - the Internet checksum (RFC 1071) lwIP computes for every
 * IPv4 header and every TCP and UDP segment (LWIP_CHKSUM in
 * third_party/lwip/port/lwipopts.h).  QEMU's user network offers no
 * checksum offload, so eth0 sums every byte it sends and receives: lwIP's
 * own C loop takes about 2.2 instructions a byte, this one about half an
 * instruction (bench/net/README.md).
 *
 * How: words are added 32 bits at a time into a 64-bit sum (an add and an
 * add-with-carry on ARMv7), eight to a loop turn, from the first 4-byte
 * aligned address; the bytes before and after go one at a time.  The
 * one's complement sum of 16-bit words does not care in which order the
 * words come, and a 32-bit word is two 16-bit ones, so folding the 64-bit
 * sum down to 16 bits gives the sum of the 16-bit words that start at even
 * addresses.  lwIP wants the words that start at `data`, read in the CPU's
 * (little-endian) order: when `data` is odd those are the same sum with its
 * two bytes swapped.  The result is the folded sum, not its complement
 * (lwIP complements it), and 0 only for all-zero data.
 *
 * Host test against a plain 16-bit reference: tests/host/test_net_chksum.c.
 */
#include <stdint.h>
#include "lwipopts.h"        /* its prototype, next to LWIP_CHKSUM */

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "net_chksum.c assumes a little-endian CPU"
#endif

/* A 32-bit word read from the packet's bytes (allowed to alias them). */
typedef uint32_t __attribute__((may_alias)) chksum_word;

/* One byte at address p: the low half of its 16-bit word at an even
 * address, the high half at an odd one. */
static inline uint64_t byte_at(const uint8_t *p)
{
    return (uint64_t)*p << (((uintptr_t)p & 1) * 8);
}

unsigned short libos_net_chksum(const void *data, int len)
{
    const uint8_t *p = data;
    int odd_start = (uintptr_t)p & 1;
    uint64_t sum = 0;

    for (; len > 0 && ((uintptr_t)p & 3); p++, len--)
        sum += byte_at(p);
    const chksum_word *w = (const chksum_word *)(const void *)p;
    for (; len >= 32; w += 8, len -= 32) {
        sum += w[0];
        sum += w[1];
        sum += w[2];
        sum += w[3];
        sum += w[4];
        sum += w[5];
        sum += w[6];
        sum += w[7];
    }
    for (; len >= 4; w++, len -= 4)
        sum += *w;
    for (p = (const uint8_t *)w; len > 0; p++, len--)
        sum += byte_at(p);

    /* 64 -> 32 -> 16 bits, each carry added back in (end-around carry). */
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    uint32_t s = (uint32_t)sum;
    s = (s & 0xffffu) + (s >> 16);
    s = (s & 0xffffu) + (s >> 16);
    if (odd_start)
        s = ((s & 0xffu) << 8) | (s >> 8);
    return (unsigned short)s;
}
