/*
 * sys_time.c - clocks and sleeping.  Reading a clock makes no kernel call:
 * the ARM generic virtual counter is readable at PL0 (the kernel sets
 * CNTKCTL.PL0VCTEN).  Sleeping is a futex wait on a private word with a
 * deadline: nobody wakes it, so it ends at the deadline.
 *
 * Clocks: MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME: the counter
 * since power on.  REALTIME(_COARSE): the real-time clock the kernel read at
 * boot (the info page) plus that, or LIBOS_REALTIME_BASE (2020-01-01) on a
 * board without one.  The CPU-time clocks (process, thread, and the ids of
 * clock_getcpuclockid/pthread_getcpuclockid) are the kernel's CPU time
 * (sys_cputime.c): one kernel call per read; nobody sleeps on them.
 *
 * musl passes the 32-bit calls (clock_gettime32 & co) a {long, long}
 * timespec and the *_time64 calls a {int64, int64} one (docs/internals.md
 * note 9): each number is decoded with its own layout.
 */
#include "libos.h"
#include <time.h>
#include <freebeam/kcall.h>
#include <freebeam/kapi.h>
#include "timeconv.h"

/* 2020-01-01T00:00:00Z, the date `tools/freebeam run --det` gives QEMU. */
#define LIBOS_REALTIME_BASE 1577836800ull

static uint32_t freq;
static struct tc_scale scale;   /* ns a tick, for reading the clock without a division */

uint64_t libos_ticks(void)
{
    return fb_clock_ticks();
}

uint32_t libos_freq(void)
{
    return freq;
}

uint64_t libos_ticks_to_ns(uint64_t ticks)
{
    return tc_ticks_to_ns_scaled(ticks, scale);
}

void libos_time_init(void)
{
    uint32_t f = fb_clock_freq();
    freq = f ? f : 62500000u;
    scale = tc_scale_of(freq);
    (void)libos_realtime_base_ns();     /* once, before any other thread exists */
}

/* CLOCK_REALTIME at counter 0, in ns: from the real-time clock the kernel
 * read at boot (info page), else LIBOS_REALTIME_BASE.  Worked out once, by
 * libos_time_init, while the program has one thread. */
static uint64_t realtime_base;

uint64_t libos_realtime_base_ns(void)
{
    if (realtime_base)
        return realtime_base;
    const struct fb_pdinfo *pi = (const struct fb_pdinfo *)FB_PDINFO_VADDR;
    uint64_t base = LIBOS_REALTIME_BASE * TC_NS_PER_S;
    if (pi->magic == FB_PDINFO_MAGIC && pi->version == FB_PDINFO_VERSION && pi->rtc_seconds) {
        uint64_t at = ((uint64_t)pi->rtc_ticks_hi << 32) | pi->rtc_ticks_lo;
        uint64_t rtc_ns = (uint64_t)pi->rtc_seconds * TC_NS_PER_S;
        uint64_t since = libos_ticks_to_ns(at);
        if (rtc_ns > since)
            base = rtc_ns - since;
    }
    realtime_base = base;
    return base;
}

struct ts64 {
    int64_t sec;
    int64_t nsec;
};

struct ts32 {
    int32_t sec;
    int32_t nsec;
};

/* The clock's value at counter 0, in ns; -1 for an unknown clock. */
static int64_t clock_base_ns(long clk)
{
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        return (int64_t)libos_realtime_base_ns();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return 0;
    default:
        return -1;
    }
}

static int clock_now_ns(long clk, uint64_t *ns)
{
    if (libos_is_cpu_clock(clk)) {
        uint64_t ticks;
        int r = libos_cpu_clock_ticks(clk, &ticks);
        if (r == 0)
            *ns = libos_ticks_to_ns(ticks);
        return r;
    }
    int64_t base = clock_base_ns(clk);
    if (base < 0)
        return -EINVAL;
    *ns = (uint64_t)base + libos_ticks_to_ns(libos_ticks());
    return 0;
}

SYSCALL2(clock_gettime64, clockid_t, clockid, struct ts64 *, tp)
{
    uint64_t ns;
    int r = clock_now_ns(clockid, &ns);
    if (r)
        return r;
    uint64_t sec;
    uint32_t nsec;
    tc_split_ns(ns, &sec, &nsec);
    tp->sec = (int64_t)sec;
    tp->nsec = nsec;
    return 0;
}

SYSCALL2(clock_gettime32, clockid_t, clockid, struct ts32 *, tp)
{
    uint64_t ns;
    int r = clock_now_ns(clockid, &ns);
    if (r)
        return r;
    uint64_t sec;
    uint32_t nsec;
    tc_split_ns(ns, &sec, &nsec);
    tp->sec = (int32_t)sec;
    tp->nsec = (int32_t)nsec;
    return 0;
}

/* tv: NULL or struct timeval32 {sec, usec}; tz: NULL or struct timezone
 * {minuteswest, dsttime}, both int32_t pairs. */
SYSCALL2(gettimeofday32, int32_t *, tv, int32_t *, tz)
{
    uint64_t ns;
    clock_now_ns(CLOCK_REALTIME, &ns);
    if (tv) {
        uint64_t sec;
        uint32_t nsec;
        tc_split_ns(ns, &sec, &nsec);
        tv[0] = (int32_t)sec;
        tv[1] = (int32_t)(nsec / 1000);
    }
    if (tz) {
        tz[0] = 0;
        tz[1] = 0;
    }
    return 0;
}

/* The resolution is one counter tick, at least 1 ns. */
static long getres(long clk, int64_t *sec, int64_t *nsec)
{
    uint64_t ticks;
    if (libos_is_cpu_clock(clk) ? libos_cpu_clock_ticks(clk, &ticks) != 0 : clock_base_ns(clk) < 0)
        return -EINVAL;
    uint64_t ns = libos_ticks_to_ns(1);
    *sec = 0;
    *nsec = ns ? (int64_t)ns : 1;
    return 0;
}

SYSCALL2(clock_getres_time64, clockid_t, clockid, struct ts64 *, res)
{
    int64_t s, ns;
    long r = getres(clockid, &s, &ns);
    if (r == 0 && res) {
        res->sec = s;
        res->nsec = ns;
    }
    return r;
}

SYSCALL2(clock_getres32, clockid_t, clockid, struct ts32 *, res)
{
    int64_t s, ns;
    long r = getres(clockid, &s, &ns);
    if (r == 0 && res) {
        res->sec = (int32_t)s;
        res->nsec = (int32_t)ns;
    }
    return r;
}

/* Block the calling thread until the deadline (a counter value, not 0):
 * 0, or -EINTR when THREAD_INTERRUPT ends it early (musl's pthread_cancel). */
static long sleep_until(uint64_t deadline)
{
    volatile uint32_t word = 0;
    while (libos_ticks() < deadline) {
        int32_t r = fb_futex_wait(&word, 0, deadline);
        if (r == -ETIMEDOUT)
            break;
        if (r == -EINTR)
            return -EINTR;
    }
    return 0;
}

/* clk, flags (TIMER_ABSTIME), request {sec, nsec}: 0, -EINVAL (also for
 * the CPU-time clocks), or -EINTR with the time left in *left_ns. */
static long nanosleep_common(long clk, long flags, int64_t sec, int64_t nsec, uint64_t *left_ns)
{
    int64_t base = clock_base_ns(clk);
    if (base < 0)
        return -EINVAL;
    uint64_t deadline;
    int bad = (flags & TIMER_ABSTIME)
        ? tc_abs_deadline(sec, nsec, (uint64_t)base, freq, &deadline)
        : tc_rel_deadline(libos_ticks(), sec, nsec, freq, &deadline);
    if (bad)
        return -EINVAL;
    long r = sleep_until(deadline);
    uint64_t now = libos_ticks();
    *left_ns = now < deadline ? libos_ticks_to_ns(deadline - now) : 0;
    return r;
}

SYSCALL4(clock_nanosleep_time64, clockid_t, clockid, int, flags, const struct ts64 *, request,
         struct ts64 *, remain)
{
    uint64_t left, sec;
    uint32_t nsec;
    long r = nanosleep_common(clockid, flags, request->sec, tc_nsec64(request->nsec), &left);
    if (r == -EINTR && remain && !(flags & TIMER_ABSTIME)) {
        tc_split_ns(left, &sec, &nsec);
        remain->sec = (int64_t)sec;
        remain->nsec = nsec;
    }
    return r;
}

SYSCALL4(clock_nanosleep32, clockid_t, clockid, int, flags, const struct ts32 *, request,
         struct ts32 *, remain)
{
    uint64_t left, sec;
    uint32_t nsec;
    long r = nanosleep_common(clockid, flags, request->sec, request->nsec, &left);
    if (r == -EINTR && remain && !(flags & TIMER_ABSTIME)) {
        tc_split_ns(left, &sec, &nsec);
        remain->sec = (int32_t)sec;
        remain->nsec = (int32_t)nsec;
    }
    return r;
}

SYSCALL2(nanosleep, const struct ts32 *, req, struct ts32 *, rem)
{
    uint64_t left, sec;
    uint32_t nsec;
    long r = nanosleep_common(CLOCK_MONOTONIC, 0, req->sec, req->nsec, &left);
    if (r == -EINTR && rem) {
        tc_split_ns(left, &sec, &nsec);
        rem->sec = (int32_t)sec;
        rem->nsec = (int32_t)nsec;
    }
    return r;
}
