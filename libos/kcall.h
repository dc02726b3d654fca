/*
 * kcall.h - how libos enters the freebeam kernel (private to libos).
 *
 * The kapi.h convention: `svc #0`, call number in r7, arguments r0-r6,
 * results r0-r6.  Every register r0-r7 is both input and output so that
 * nothing the kernel leaves behind surprises the compiler.  r7 is the Thumb
 * frame pointer: libos is built with -fomit-frame-pointer, and gcc refuses
 * (rather than miscompiles) any caller that would need r7.
 *
 * libos keeps its own copy of this tiny layer rather than linking libfbpd:
 * libfbpd brings its own _start, string functions and event loop, which
 * clash with musl's in one program.  These inline functions are the only
 * `svc` sites of a POSIX program (third_party/musl/check.sh proves it).
 */
#ifndef LIBOS_KCALL_H
#define LIBOS_KCALL_H

#include <stdint.h>
#include <freebeam/kapi.h>

struct kregs {
    uint32_t r[7];
};

static inline __attribute__((always_inline)) void k_svc(uint32_t n, struct kregs *io)
{
    register uint32_t r0 __asm__("r0") = io->r[0];
    register uint32_t r1 __asm__("r1") = io->r[1];
    register uint32_t r2 __asm__("r2") = io->r[2];
    register uint32_t r3 __asm__("r3") = io->r[3];
    register uint32_t r4 __asm__("r4") = io->r[4];
    register uint32_t r5 __asm__("r5") = io->r[5];
    register uint32_t r6 __asm__("r6") = io->r[6];
    register uint32_t r7 __asm__("r7") = n;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5),
                       "+r"(r6), "+r"(r7)
                     :
                     : "memory", "cc");
    io->r[0] = r0; io->r[1] = r1; io->r[2] = r2; io->r[3] = r3;
    io->r[4] = r4; io->r[5] = r5; io->r[6] = r6;
}

static inline __attribute__((always_inline)) int32_t k_call(uint32_t n, uint32_t a0, uint32_t a1,
                                                             uint32_t a2, uint32_t a3, uint32_t a4)
{
    struct kregs io = { { a0, a1, a2, a3, a4, 0, 0 } };
    k_svc(n, &io);
    return (int32_t)io.r[0];
}

static inline int32_t k_debug_puts(const char *p, uint32_t len)
{
    return k_call(FB_SYS_DEBUG_PUTS, (uint32_t)(uintptr_t)p, len, 0, 0, 0);
}

static inline int32_t k_thread_create(uintptr_t entry, uintptr_t sp, uintptr_t arg, uintptr_t tls,
                                      uint32_t prio)
{
    return k_call(FB_SYS_THREAD_CREATE, entry, sp, arg, tls, prio);
}

static inline __attribute__((noreturn)) void k_thread_exit(volatile void *clear)
{
    k_call(FB_SYS_THREAD_EXIT, (uint32_t)(uintptr_t)clear, 0, 0, 0, 0);
    __builtin_unreachable();
}

static inline int32_t k_set_prio(uint32_t tid, uint32_t prio)
{
    return k_call(FB_SYS_THREAD_SET_PRIO, tid, prio, 0, 0, 0);
}

static inline void k_yield(void)
{
    k_call(FB_SYS_YIELD, 0, 0, 0, 0, 0);
}

/* Sleep while *addr == expected, until deadline (CNTVCT ticks, 0 = none).
 * 0 | -EAGAIN | -ETIMEDOUT | -EFAULT | -EINVAL */
static inline int32_t k_futex_wait(volatile void *addr, uint32_t expected, uint64_t deadline)
{
    return k_call(FB_SYS_FUTEX_WAIT, (uint32_t)(uintptr_t)addr, expected, (uint32_t)deadline,
                  (uint32_t)(deadline >> 32), 0);
}

static inline int32_t k_futex_wake(volatile void *addr, uint32_t max)
{
    return k_call(FB_SYS_FUTEX_WAKE, (uint32_t)(uintptr_t)addr, max, 0, 0, 0);
}

static inline int32_t k_set_tls(uintptr_t v)
{
    return k_call(FB_SYS_SET_TLS, v, 0, 0, 0, 0);
}

static inline int32_t k_poweroff(int status)
{
    return k_call(FB_SYS_POWEROFF, (uint32_t)status, 0, 0, 0, 0);
}

static inline int32_t k_pd_exit(int status)
{
    return k_call(FB_SYS_PD_EXIT, (uint32_t)status, 0, 0, 0, 0);
}

static inline int32_t k_thread_interrupt(uint32_t tid)
{
    return k_call(FB_SYS_THREAD_INTERRUPT, tid, 0, 0, 0, 0);
}

static inline int32_t k_thread_self(void)
{
    return k_call(FB_SYS_THREAD_SELF, 0, 0, 0, 0, 0);
}

static inline int32_t k_notify(uint32_t ch)
{
    return k_call(FB_SYS_NOTIFY, ch, 0, 0, 0, 0);
}

/* Wait for an event (kapi.h FB_EV_*): io->r[0] = the kind, r[1..6] its
 * words.  deadline: CNTVCT ticks, 0 = none. */
static inline void k_recv(struct kregs *io, uint64_t deadline)
{
    io->r[0] = (uint32_t)deadline;
    io->r[1] = (uint32_t)(deadline >> 32);
    io->r[2] = io->r[3] = io->r[4] = io->r[5] = io->r[6] = 0;
    k_svc(FB_SYS_RECV, io);
}

/* Answer the ppcall this thread took with `label` (no message words),
 * then wait as k_recv. */
static inline void k_reply_recv(struct kregs *io, uint32_t label, uint64_t deadline)
{
    io->r[0] = label;
    io->r[1] = io->r[2] = io->r[3] = io->r[4] = 0;
    io->r[5] = (uint32_t)deadline;
    io->r[6] = (uint32_t)(deadline >> 32);
    k_svc(FB_SYS_REPLY_RECV, io);
}

#endif
