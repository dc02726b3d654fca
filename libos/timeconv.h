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

/* The high 64 bits of the 128-bit product a * b, from four 32x32->64
 * multiplies (ARMv7-A has no 64x64 multiply and no 64-bit division). */
static inline uint64_t tc_mulhi64(uint64_t a, uint64_t b)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t lo = a0 * b0, mid1 = a1 * b0, mid2 = a0 * b1, hi = a1 * b1;
    uint64_t t = (lo >> 32) + (uint32_t)mid1 + (uint32_t)mid2;
    return hi + (mid1 >> 32) + (mid2 >> 32) + (t >> 32);
}

/* n / 1e9 without a division (a libgcc call on ARMv7-A): n / 1e9 =
 * (n >> 9) / 1953125, and for the 55-bit n >> 9 that is exactly
 * ((n >> 9) * M) >> 75 with M = ceil(2^75 / 1953125) (checked over the
 * whole range by the bound (M * 1953125 - 2^75) * 2^55 < 2^75). */
static inline uint64_t tc_div_1e9(uint64_t n)
{
    return tc_mulhi64(n >> 9, 0x44b82fa09b5a53ull) >> 11;
}

/* n / 1e6, exact: whole seconds by tc_div_1e9, the rest (under 1e9) by a
 * 32-bit division by a constant, which the compiler makes a multiply. */
static inline uint64_t tc_div_1e6(uint64_t n)
{
    uint64_t s = tc_div_1e9(n);
    return s * 1000u + ((uint32_t)n - (uint32_t)s * 1000000000u) / 1000000u;
}

/* {sec, nsec} of a time in ns. */
static inline void tc_split_ns(uint64_t ns, uint64_t *sec, uint32_t *nsec)
{
    uint64_t s = tc_div_1e9(ns);
    *sec = s;
    *nsec = (uint32_t)ns - (uint32_t)s * 1000000000u;
}

/* The plain conversion, with 64-bit divisions: the reference of the host
 * tests, and what tc_scale_of works from (once, at boot). */
static inline uint64_t tc_ticks_to_ns(uint64_t ticks, uint32_t freq)
{
    uint64_t s = ticks / freq, rem = ticks % freq;
    return s * TC_NS_PER_S + rem * TC_NS_PER_S / freq;
}

/* Counter ticks -> ns by a multiply, as Linux's vDSO does, with the
 * nanoseconds a tick lasts, 1e9 / freq, as a 32.64 fixed-point number:
 * ns_int whole ns plus ns_frac / 2^64.  Worked out once (tc_scale_of); at
 * 62.5 MHz it is exactly 16 and ns_frac is 0.
 *
 * Error: ns_frac is 2^64 * frac(1e9 / freq) rounded up, so it is over the
 * exact fraction by less than 2^-64 ns a tick, less than 1 ns over any
 * number of ticks below 2^64: tc_ticks_to_ns_scaled(t) is the exact
 * floor(t * 1e9 / freq) or 1 more (never less, and exact where t ticks
 * are a whole number of ns, e.g. every whole second), and never decreases
 * as t grows (host test: tests/host/test_libos_time.c, against
 * tc_ticks_to_ns). */
struct tc_scale {
    uint32_t ns_int;
    uint64_t ns_frac;
};

static inline struct tc_scale tc_scale_of(uint32_t freq)
{
    uint64_t rem = TC_NS_PER_S % freq;                  /* < freq < 2^32 */
    uint64_t hi = (rem << 32) / freq, rem2 = (rem << 32) % freq;
    uint64_t lo = (rem2 << 32) / freq;                  /* long division by 32-bit digits */
    uint64_t up = (rem2 << 32) % freq != 0;             /* rounded up (cannot carry out: rem < freq) */
    struct tc_scale sc = { (uint32_t)(TC_NS_PER_S / freq), (hi << 32 | lo) + up };
    return sc;
}

static inline uint64_t tc_ticks_to_ns_scaled(uint64_t ticks, struct tc_scale sc)
{
    uint64_t ns = ticks * sc.ns_int;
    return sc.ns_frac ? ns + tc_mulhi64(ticks, sc.ns_frac) : ns;
}

/* ceil(nsec * freq / 1e9) for nsec < 1e9: the ticks of the part of a
 * second, rounded up (nsec * freq < 2^62, so adding 1e9 - 1 cannot wrap). */
static inline uint64_t tc_subsec_ticks(uint64_t nsec, uint32_t freq)
{
    return tc_div_1e9(nsec * freq + TC_NS_PER_S - 1);
}

/* sec * freq + frac, or UINT64_MAX when that does not fit. */
static inline uint64_t tc_sec_ticks_sat(uint64_t sec, uint32_t freq, uint64_t frac)
{
    uint64_t t;
    if (__builtin_mul_overflow(sec, (uint64_t)freq, &t) || __builtin_add_overflow(t, frac, &t))
        return UINT64_MAX;
    return t;
}

/* Rounded up; saturates at UINT64_MAX. */
static inline uint64_t tc_ns_to_ticks(uint64_t ns, uint32_t freq)
{
    uint64_t s, rem;
    uint32_t rem32;
    tc_split_ns(ns, &s, &rem32);
    rem = rem32;
    return tc_sec_ticks_sat(s, freq, tc_subsec_ticks(rem, freq));
}

/* The tv_nsec of a 64-bit timespec (struct timespec64: two 64-bit slots) from
 * a 32-bit program: only its low 32 bits, as a signed long, as Linux takes it
 * from 32-bit callers.  musl's struct timespec has padding beside its 32-bit
 * tv_nsec, so a program that passes its own struct to a *_time64 call (erts's
 * futex waits do) leaves whatever the stack held in the upper half. */
static inline int64_t tc_nsec64(int64_t raw)
{
    return (int32_t)(uint32_t)((uint64_t)raw & 0xffffffffu);
}

/* A relative timeout {sec, nsec} from now, as a deadline (never 0).
 * Returns 0, or -1 for an invalid timespec (nsec outside [0, 1e9) or
 * sec < 0), which Linux answers with EINVAL. */
static inline int tc_rel_deadline(uint64_t now, int64_t sec, int64_t nsec, uint32_t freq,
                                  uint64_t *deadline)
{
    if (sec < 0 || nsec < 0 || nsec >= (int64_t)TC_NS_PER_S)
        return -1;
    uint64_t t = tc_sec_ticks_sat((uint64_t)sec, freq, tc_subsec_ticks((uint64_t)nsec, freq));
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
