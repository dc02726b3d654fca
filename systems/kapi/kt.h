/*
 * kt.h - what the PDs of the kapi test system share: their indexes and
 * channel ids (must match systems/kapi.config), the layout of the shared
 * `board` region where every PD counts its checks and the monitor tells the
 * crash PD what to do, the check macros that print `ok - ...` or
 * `not ok - ... (details)`, and a raw system call for the results that
 * libfbpd's wrappers drop.  Each .c file here is its own PD, so everything
 * is static inline.
 */
#ifndef KAPI_KT_H
#define KAPI_KT_H

#include <freebeam/fbpd.h>

/* PD indexes, in the order of the pd terms of systems/kapi.config. */
#define KT_PD_MON    0
#define KT_PD_BASIC  1
#define KT_PD_DRV    2
#define KT_PD_CRASH  3
#define KT_PD_SERVER 4

/* Channel ids, each seen from the PD named first. */
#define KT_MON_BASIC   1   /* mon -> basic */
#define KT_MON_DRV     2   /* mon -> drv */
#define KT_MON_CRASH   3   /* mon -> crash */
#define KT_BASIC_MON   0   /* basic -> mon */
#define KT_BASIC_SERVER 1  /* basic -> server (priority 150: ppcall allowed) */
#define KT_BASIC_DRV   2   /* basic -> drv (priority 100, equal: ppcall refused) */
#define KT_DRV_MON     0
#define KT_DRV_IRQ     1   /* the PL031 RTC's interrupt, INTID 34 */
#define KT_DRV_BASIC   2   /* drv -> basic: channel basic_drv, with a queue pair */
#define KT_CRASH_MON   0

#define KT_PRIO_BASIC  100

/* ppcall labels basic sends to mon. */
#define KT_LABEL_NOTIFY_TWICE 1   /* mon notifies basic twice before replying */

/* What the crash PD does on its next start (kt_board.crash_mode). */
enum kt_crash_mode {
    KT_CRASH_NONE = 0,
    KT_CRASH_BADCALL,      /* svc with r7 = 999 */
    KT_CRASH_UDF_ARM,      /* udf in ARM state */
    KT_CRASH_UDF_THUMB,    /* udf in Thumb state */
    KT_CRASH_LDRD,         /* ldrd from a non-word-aligned address */
    KT_CRASH_LDM,          /* ldm from a non-word-aligned address */
    KT_CRASH_LDR,          /* plain unaligned ldr: must not fault */
    KT_CRASH_EXIT,         /* PD_EXIT with status 42: not a fault, but reported alike */
};

/* The shared region `board`, mapped at KT_BOARD_VADDR in mon, basic, drv
 * and crash.  It survives the crash PD's restarts. */
#define KT_BOARD_VADDR 0x20000000u
/* The queue pair of channel basic_drv (region basic_q, 8 KiB): where each end maps it. */
#define KT_BASIC_Q_VADDR 0x20200000u
#define KT_DRV_Q_VADDR   0x20400000u
#define KT_Q_DEPTH 8u
#define KT_Q_SLOT  256u
#define KT_Q_MARK  0x51554555u   /* basic writes it at the start of the queue region, drv reads it */
struct kt_board {
    volatile uint32_t passed, failed;
    volatile uint32_t mon_tid;       /* a tid of another PD, for basic */
    volatile uint32_t crash_mode;    /* enum kt_crash_mode */
    volatile uint32_t crash_insn;    /* crash: address of the instruction that should fault */
    volatile uint32_t crash_data;    /* crash: the data address that should fault */
    volatile uint32_t ldr_got;       /* crash: what the unaligned ldr read */
    volatile uint32_t ldr_want;      /* crash: what it should have read */
};
#define kt_board ((struct kt_board *)KT_BOARD_VADDR)

static inline void kt_count(bool ok)
{
    __atomic_fetch_add(ok ? &kt_board->passed : &kt_board->failed, 1, __ATOMIC_SEQ_CST);
}

/* One check, one line.  `what` must be a string literal; the details are a
 * format and its arguments, printed only on failure. */
#define KT_CHECK(cond, what, fmt, ...)                                     \
    do {                                                                   \
        bool ok_ = (cond);                                                 \
        kt_count(ok_);                                                     \
        if (ok_)                                                           \
            fb_printf("ok - " what "\n");                                  \
        else                                                               \
            fb_printf("not ok - " what " (" fmt ")\n", __VA_ARGS__);       \
    } while (0)

/* The common case: a call's result against the one value expected. */
#define KT_EQ(got, want, what)                                             \
    do {                                                                   \
        int g_ = (int)(got), w_ = (int)(want);                             \
        KT_CHECK(g_ == w_, what, "got %d, expected %d", g_, w_);           \
    } while (0)

/* A kernel call with two arguments whose r0 libfbpd does not return
 * (DEBUG_PUTS, POWEROFF).  Every register the kernel might write is an
 * output or a clobber. */
static inline int kt_svc2(uint32_t n, uint32_t a0, uint32_t a1)
{
    register uint32_t r0 __asm__("r0") = a0;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r7 __asm__("r7") = n;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r7)
                     :
                     : "r2", "r3", "r4", "r5", "r6", "memory", "cc");
    return (int)r0;
}

static inline bool kt_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static inline uint64_t kt_ms(uint64_t ms)
{
    return fb_ns_to_ticks(ms * 1000000ull);
}

/* Ticks to whole microseconds, for messages. */
static inline uint32_t kt_us(uint64_t ticks)
{
    return (uint32_t)(ticks * 1000000ull / fb_clock_freq());
}

#endif
