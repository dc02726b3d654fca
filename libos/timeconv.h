/*
 * timeconv.h - counter ticks <-> nanoseconds and timeout deadlines.  Pure
 * arithmetic (host unit tests: tests/host/test_libos_time.c).
 *
 * The clock is the ARM generic virtual counter (CNTVCT) at freq Hz.
 * Monotonic time in ns is ticks_to_ns(CNTVCT).  A deadline is an absolute
 * counter value, as the kernel takes it (kapi.h); 0 means "none", so a
 * computed deadline is never 0.  Timeouts round up: a wait never ends
 * before the time asked for.
 */
#ifndef LIBOS_TIMECONV_H
#define LIBOS_TIMECONV_H

#include <stdint.h>

#define TC_NS_PER_S 1000000000ull

/* n / 1e9 without a division (a libgcc call on ARMv7-A): n / 1e9 =
 * (n >> 9) / 1953125, and for the 55-bit n >> 9 that is exactly
 * ((n >> 9) * M) >> 75 with M = ceil(2^75 / 1953125) (checked over the
 * whole range by the bound (M * 1953125 - 2^75) * 2^55 < 2^75). */
static inline uint64_t tc_div_1e9(uint64_t n)
{
    const uint64_t m0 = 0xa09b5a53u, m1 = 0x44b82fu;
    uint64_t a = n >> 9, a0 = (uint32_t)a, a1 = a >> 32;
    uint64_t lo = a0 * m0, mid1 = a1 * m0, mid2 = a0 * m1, hi = a1 * m1;
    uint64_t t = (lo >> 32) + (uint32_t)mid1 + (uint32_t)mid2;
    uint64_t upper = hi + (mid1 >> 32) + (mid2 >> 32) + (t >> 32);   /* product >> 64 */
    return upper >> 11;
}

/* {sec, nsec} of a time in ns. */
static inline void tc_split_ns(uint64_t ns, uint64_t *sec, uint32_t *nsec)
{
    uint64_t s = tc_div_1e9(ns);
    *sec = s;
    *nsec = (uint32_t)ns - (uint32_t)s * 1000000000u;
}

/* ns_per_tick: 1e9 / freq when that is a whole number (62.5 MHz: 16), else
 * 0; worked out once (tc_ns_per_tick) so reading the clock divides nothing. */
static inline uint32_t tc_ns_per_tick(uint32_t freq)
{
    return TC_NS_PER_S % freq == 0 ? (uint32_t)(TC_NS_PER_S / freq) : 0;
}

static inline uint64_t tc_ticks_to_ns_npt(uint64_t ticks, uint32_t freq, uint32_t npt)
{
    if (npt)
        return ticks * npt;
    uint64_t s = ticks / freq, rem = ticks % freq;
    return s * TC_NS_PER_S + rem * TC_NS_PER_S / freq;
}

static inline uint64_t tc_ticks_to_ns(uint64_t ticks, uint32_t freq)
{
    if (TC_NS_PER_S % freq == 0)            /* e.g. 62.5 MHz: 16 ns a tick */
        return ticks * (TC_NS_PER_S / freq);
    uint64_t s = ticks / freq, rem = ticks % freq;
    return s * TC_NS_PER_S + rem * TC_NS_PER_S / freq;
}

/* Rounded up; saturates at UINT64_MAX. */
static inline uint64_t tc_ns_to_ticks(uint64_t ns, uint32_t freq)
{
    uint64_t s = ns / TC_NS_PER_S, rem = ns % TC_NS_PER_S;
    if (s > UINT64_MAX / freq)
        return UINT64_MAX;
    uint64_t t = s * freq, f = (rem * freq + TC_NS_PER_S - 1) / TC_NS_PER_S;
    return t > UINT64_MAX - f ? UINT64_MAX : t + f;
}

/* A relative timeout {sec, nsec} from now, as a deadline (never 0).
 * Returns 0, or -1 for an invalid timespec (nsec outside [0, 1e9) or
 * sec < 0), which Linux answers with EINVAL. */
static inline int tc_rel_deadline(uint64_t now, int64_t sec, int64_t nsec, uint32_t freq,
                                  uint64_t *deadline)
{
    if (sec < 0 || nsec < 0 || nsec >= (int64_t)TC_NS_PER_S)
        return -1;
    uint64_t t;
    if ((uint64_t)sec > UINT64_MAX / freq - 1) {
        t = UINT64_MAX;
    } else {
        t = (uint64_t)sec * freq;
        t += ((uint64_t)nsec * freq + TC_NS_PER_S - 1) / TC_NS_PER_S;
    }
    uint64_t d = now > UINT64_MAX - t ? UINT64_MAX : now + t;
    *deadline = d ? d : 1;
    return 0;
}

/* An absolute time {sec, nsec} on a clock whose value at counter 0 was
 * base_ns (0 for CLOCK_MONOTONIC), as a deadline (never 0; a time in the
 * past gives 1, which has passed).  -1 for an invalid timespec. */
static inline int tc_abs_deadline(int64_t sec, int64_t nsec, uint64_t base_ns, uint32_t freq,
                                  uint64_t *deadline)
{
    if (sec < 0 || nsec < 0 || nsec >= (int64_t)TC_NS_PER_S)
        return -1;
    uint64_t ns;
    if ((uint64_t)sec > (UINT64_MAX - TC_NS_PER_S) / TC_NS_PER_S)
        ns = UINT64_MAX;
    else
        ns = (uint64_t)sec * TC_NS_PER_S + (uint64_t)nsec;
    if (ns <= base_ns) {
        *deadline = 1;
        return 0;
    }
    uint64_t d = tc_ns_to_ticks(ns - base_ns, freq);
    *deadline = d ? d : 1;
    return 0;
}

#endif
