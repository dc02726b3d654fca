/*
 * test_libos_time.c - host unit tests of libos's time arithmetic
 * (libos/timeconv.h): counter ticks <-> ns at QEMU's 62.5 MHz and at
 * frequencies that do not divide 1e9, timeouts that never end early, and
 * the edge cases Linux answers with EINVAL.
 */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "../../libos/timeconv.h"

#define QEMU_HZ 62500000u

static void test_ticks_to_ns(void)
{
    CHECK(tc_ticks_to_ns(0, QEMU_HZ) == 0);
    CHECK(tc_ticks_to_ns(1, QEMU_HZ) == 16);
    CHECK(tc_ticks_to_ns(QEMU_HZ, QEMU_HZ) == 1000000000ull);
    /* A year of ticks: no overflow on the way. */
    uint64_t year = 365ull * 86400 * QEMU_HZ;
    CHECK(tc_ticks_to_ns(year, QEMU_HZ) == 365ull * 86400 * 1000000000ull);
    /* 24 MHz (a real board): 41.666 ns a tick. */
    CHECK(tc_ticks_to_ns(24000000, 24000000) == 1000000000ull);
    CHECK(tc_ticks_to_ns(3, 24000000) == 125);
    CHECK(tc_ticks_to_ns(24000000ull * 1000 + 1, 24000000) == 1000000000000ull + 41);
}

static void test_ns_to_ticks(void)
{
    CHECK(tc_ns_to_ticks(0, QEMU_HZ) == 0);
    CHECK(tc_ns_to_ticks(16, QEMU_HZ) == 1);
    CHECK(tc_ns_to_ticks(17, QEMU_HZ) == 2);           /* rounds up */
    CHECK(tc_ns_to_ticks(1, QEMU_HZ) == 1);
    CHECK(tc_ns_to_ticks(1000000000ull, QEMU_HZ) == QEMU_HZ);
    CHECK(tc_ns_to_ticks(UINT64_MAX, QEMU_HZ) == UINT64_MAX / 1000000000ull * QEMU_HZ +
          ((UINT64_MAX % 1000000000ull) * QEMU_HZ + 999999999ull) / 1000000000ull);
    CHECK(tc_ns_to_ticks(42, 24000000) == 2);          /* 1.008 ticks -> 2 */
    /* Round trip never shortens. */
    int never_short = 1;
    for (uint64_t ns = 1; ns < 100000; ns += 7)
        never_short &= tc_ticks_to_ns(tc_ns_to_ticks(ns, 24000000), 24000000) >= ns;
    CHECK(never_short);
}

static void test_rel_deadline(void)
{
    uint64_t d = 0;
    CHECK(tc_rel_deadline(1000, 0, 200000000, QEMU_HZ, &d) == 0 && d == 1000 + QEMU_HZ / 5);
    CHECK(tc_rel_deadline(1000, 2, 0, QEMU_HZ, &d) == 0 && d == 1000 + 2ull * QEMU_HZ);
    CHECK(tc_rel_deadline(1000, 0, 1, QEMU_HZ, &d) == 0 && d == 1001);
    /* Zero timeout from counter 0 must still not be "no deadline". */
    CHECK(tc_rel_deadline(0, 0, 0, QEMU_HZ, &d) == 0 && d == 1);
    CHECK(tc_rel_deadline(5, 0, 0, QEMU_HZ, &d) == 0 && d == 5);
    /* Invalid: EINVAL. */
    CHECK(tc_rel_deadline(0, -1, 0, QEMU_HZ, &d) == -1);
    CHECK(tc_rel_deadline(0, 0, -1, QEMU_HZ, &d) == -1);
    CHECK(tc_rel_deadline(0, 0, 1000000000, QEMU_HZ, &d) == -1);
    /* Huge: saturates rather than wrapping into the past. */
    CHECK(tc_rel_deadline(1000, INT64_MAX, 0, QEMU_HZ, &d) == 0 && d == UINT64_MAX);
    /* A timespec64's nsec slot from a 32-bit program: the upper half is
     * musl's padding, whatever the stack held (erts's futex waits), and
     * Linux ignores it. */
    CHECK(tc_nsec64((int64_t)0x5a5a5a5a00000000ll + 200000000) == 200000000);
    CHECK(tc_rel_deadline(1000, 0, tc_nsec64((int64_t)0x0000000100000000ll + 1), QEMU_HZ, &d) == 0 && d == 1001);
    CHECK(tc_nsec64((int64_t)0xffffffff) == -1);      /* a negative long stays invalid */
    CHECK(tc_rel_deadline(0, 0, tc_nsec64(1000000000), QEMU_HZ, &d) == -1);
    CHECK(tc_rel_deadline(UINT64_MAX - 10, 1, 0, QEMU_HZ, &d) == 0 && d == UINT64_MAX);
}

static void test_abs_deadline(void)
{
    uint64_t d = 0;
    uint64_t base = 1577836800ull * 1000000000ull;     /* CLOCK_REALTIME at counter 0 */
    CHECK(tc_abs_deadline(3, 0, 0, QEMU_HZ, &d) == 0 && d == 3ull * QEMU_HZ);
    CHECK(tc_abs_deadline(1577836801, 500000000, base, QEMU_HZ, &d) == 0 &&
          d == QEMU_HZ + QEMU_HZ / 2);
    /* In the past: deadline 1, already passed (but never 0, "none"). */
    CHECK(tc_abs_deadline(1, 0, base, QEMU_HZ, &d) == 0 && d == 1);
    CHECK(tc_abs_deadline(0, 0, 0, QEMU_HZ, &d) == 0 && d == 1);
    CHECK(tc_abs_deadline(0, 1000000000, 0, QEMU_HZ, &d) == -1);
    CHECK(tc_abs_deadline(-5, 0, 0, QEMU_HZ, &d) == -1);
    CHECK(tc_abs_deadline(INT64_MAX, 999999999, 0, QEMU_HZ, &d) == 0 && d > 0);
}

/* tc_div_1e9 / tc_split_ns against the division they avoid, at the edges
 * and over a million pseudo-random values spread over every magnitude. */
static void test_div_1e9(void)
{
    static const uint64_t edges[] = { 0, 1, 999999999, 1000000000, 1000000001, 1999999999,
        UINT64_MAX, UINT64_MAX - 1, 18446744073000000000ull, 18446744073709551000ull,
        (1ull << 63), (1ull << 32) - 1, (1ull << 32), 1ull << 55, (1ull << 55) * 1000 };
    int bad = 0;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        bad += tc_div_1e9(edges[i]) != edges[i] / 1000000000u;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        uint64_t n = x >> (i % 64);
        bad += tc_div_1e9(n) != n / 1000000000u;
    }
    CHECK(bad == 0);
    uint64_t s;
    uint32_t ns;
    tc_split_ns(1234567890123456789ull, &s, &ns);
    CHECK(s == 1234567890ull && ns == 123456789u);
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* tc_div_1e6 (lwIP's millisecond clock) and tc_mulhi64 against the plain
 * arithmetic (the host has 128-bit integers). */
static void test_div_1e6_mulhi(void)
{
    int bad = 0;
    uint64_t x = 0x2545f4914f6cdd1dull;
    for (int i = 0; i < 1000000; i++) {
        uint64_t n = xorshift(&x) >> (i % 64), m = xorshift(&x) >> (i % 61);
        bad += tc_div_1e6(n) != n / 1000000u;
        bad += tc_mulhi64(n, m) != (uint64_t)(((unsigned __int128)n * m) >> 64);
    }
    bad += tc_div_1e6(UINT64_MAX) != UINT64_MAX / 1000000u;
    bad += tc_mulhi64(UINT64_MAX, UINT64_MAX) != UINT64_MAX - 1;
    CHECK(bad == 0);
}

/* The multiply conversion against the division, at counter frequencies
 * that divide 1e9 (QEMU's 62.5 MHz, 1 GHz) and that do not (24, 19.2 and
 * 54 MHz, a prime): the stated bound (exact floor or 1 more) over every
 * magnitude of tick counts up to where the ns still fit in 64 bits (over
 * 500 years), and never going backwards. */
static void test_ticks_to_ns_scaled(void)
{
    static const uint32_t freqs[] = { 62500000u, 1000000000u, 24000000u, 19200000u, 54000000u,
                                      999999937u, 1u };
    int bad = 0, backwards = 0, inexact = 0;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t f = 0; f < sizeof freqs / sizeof freqs[0]; f++) {
        uint32_t freq = freqs[f];
        struct tc_scale sc = tc_scale_of(freq);
        /* the largest tick count whose ns fit in 64 bits */
        uint64_t top = (uint64_t)(((unsigned __int128)UINT64_MAX * freq) / TC_NS_PER_S);
        for (int i = 0; i < 300000; i++) {
            uint64_t t = (xorshift(&x) >> (i % 64)) % top;
            uint64_t want = tc_ticks_to_ns(t, freq), got = tc_ticks_to_ns_scaled(t, sc);
            bad += !(got == want || got == want + 1);
            inexact += got != want;
            backwards += t + 1 <= top && tc_ticks_to_ns_scaled(t + 1, sc) < got;
        }
        uint64_t year100 = 100ull * 365 * 86400 * freq;
        bad += tc_ticks_to_ns_scaled(year100, sc) - tc_ticks_to_ns(year100, freq) > 1;
        bad += tc_ticks_to_ns_scaled(top, sc) - tc_ticks_to_ns(top, freq) > 1;
        bad += tc_ticks_to_ns_scaled(year100, sc) != 100ull * 365 * 86400 * TC_NS_PER_S;
    }
    CHECK(bad == 0);
    CHECK(backwards == 0);
    CHECK(inexact < 300000);        /* mostly exact: the bound is rarely reached */
    struct tc_scale q = tc_scale_of(QEMU_HZ);
    CHECK(q.ns_int == 16 && q.ns_frac == 0);
    CHECK(tc_ticks_to_ns_scaled(1000, q) == 16000);
    CHECK(tc_ticks_to_ns_scaled(19200000u, tc_scale_of(19200000u)) == 1000000000u);
    CHECK(tc_ticks_to_ns_scaled(3, tc_scale_of(24000000u)) == 125);
}

/* ns -> ticks and relative deadlines (no division any more) against the
 * exact ceil(ns * freq / 1e9) in 128 bits, saturating where it does not
 * fit in 64. */
static void test_ns_to_ticks_exact(void)
{
    static const uint32_t freqs[] = { 62500000u, 24000000u, 19200000u, 999999937u };
    int bad = 0;
    uint64_t x = 0x853c49e6748fea9bull;
    for (size_t f = 0; f < sizeof freqs / sizeof freqs[0]; f++) {
        uint32_t freq = freqs[f];
        for (int i = 0; i < 300000; i++) {
            uint64_t ns = xorshift(&x) >> (i % 64);
            unsigned __int128 exact = ((unsigned __int128)ns * freq + TC_NS_PER_S - 1) / TC_NS_PER_S;
            uint64_t want = exact > UINT64_MAX ? UINT64_MAX : (uint64_t)exact;
            bad += tc_ns_to_ticks(ns, freq) != want;
            int64_t sec = (int64_t)(xorshift(&x) >> (1 + i % 63)), nsec = (int64_t)(x % TC_NS_PER_S);
            uint64_t now = xorshift(&x) >> (i % 64), d;
            unsigned __int128 t = (unsigned __int128)sec * freq +
                ((unsigned __int128)nsec * freq + TC_NS_PER_S - 1) / TC_NS_PER_S + now;
            uint64_t dwant = t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
            bad += tc_rel_deadline(now, sec, nsec, freq, &d) != 0 || d != (dwant ? dwant : 1);
        }
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_div_1e9();
    test_div_1e6_mulhi();
    test_ticks_to_ns_scaled();
    test_ns_to_ticks_exact();
    test_ticks_to_ns();
    test_ns_to_ticks();
    test_rel_deadline();
    test_abs_deadline();
    return check_report("test_libos_time");
}
