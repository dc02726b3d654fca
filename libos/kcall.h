/*
 * kcall.h - how libos enters the freebeam kernel (private to libos).
 *
 * The svc instruction itself is include/freebeam/ksvc.h, shared with
 * libfbpd; libos does not link libfbpd (its _start, string functions and
 * event loop would clash with musl's in one program), so the typed wrappers
 * are its own.  These inline functions are the only `svc` sites of a POSIX
 * program (libos/check-program.sh proves it).  Built with
 * -fomit-frame-pointer: r7 carries the call number.
 */
#ifndef LIBOS_KCALL_H
#define LIBOS_KCALL_H

#include <stdint.h>
#include <freebeam/kapi.h>
#include <freebeam/ksvc.h>

/* The shared svc instruction (include/freebeam/ksvc.h), under libos's name. */
static inline __attribute__((always_inline)) void k_svc(uint32_t n, struct fb_kregs *io)
{
    fb_ksvc(n, io);
}

static inline __attribute__((always_inline)) int32_t k_call(uint32_t n, uint32_t a0, uint32_t a1,
                                                             uint32_t a2, uint32_t a3, uint32_t a4)
{
    struct fb_kregs io = { { a0, a1, a2, a3, a4, 0, 0 } };
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

/* Stop / restart a PD this PD monitors (needs FB_RIGHT_PD_CONTROL): 0 | -EPERM */
static inline int32_t k_pd_stop(uint32_t pd)
{
    return k_call(FB_SYS_PD_STOP, pd, 0, 0, 0, 0);
}

static inline int32_t k_protect(uintptr_t addr, uint32_t len, uint32_t perms)
{
    return k_call(FB_SYS_PROTECT, (uint32_t)addr, len, perms, 0, 0);
}

static inline int32_t k_pd_restart(uint32_t pd)
{
    return k_call(FB_SYS_PD_RESTART, pd, 0, 0, 0, 0);
}

static inline int32_t k_notify(uint32_t ch)
{
    return k_call(FB_SYS_NOTIFY, ch, 0, 0, 0, 0);
}

/* CPU time in counter ticks: of thread tid of this PD (0: the caller), or
 * of the whole PD (FB_SYS_PD_CPU).  0, or -ESRCH for an unknown tid. */
static inline int32_t k_cpu_ticks(uint32_t call, uint32_t tid, uint64_t *ticks)
{
    struct fb_kregs io = { { tid, 0, 0, 0, 0, 0, 0 } };
    k_svc(call, &io);
    *ticks = ((uint64_t)io.r[2] << 32) | io.r[1];
    return (int32_t)io.r[0];
}

/* Wait for an event (kapi.h FB_EV_*): io->r[0] = the kind, r[1..6] its
 * words.  deadline: CNTVCT ticks, 0 = none. */
static inline void k_recv(struct fb_kregs *io, uint64_t deadline)
{
    io->r[0] = (uint32_t)deadline;
    io->r[1] = (uint32_t)(deadline >> 32);
    io->r[2] = io->r[3] = io->r[4] = io->r[5] = io->r[6] = 0;
    k_svc(FB_SYS_RECV, io);
}

/* Answer the ppcall this thread took with `label` (no message words),
 * then wait as k_recv. */
static inline void k_reply_recv(struct fb_kregs *io, uint32_t label, uint64_t deadline)
{
    io->r[0] = label;
    io->r[1] = io->r[2] = io->r[3] = io->r[4] = 0;
    io->r[5] = (uint32_t)deadline;
    io->r[6] = (uint32_t)(deadline >> 32);
    k_svc(FB_SYS_REPLY_RECV, io);
}

#endif
