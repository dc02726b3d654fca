/*
 * kcall.h - every kernel call of kapi.h as a static inline function over
 * the svc instruction of ksvc.h, in the shape of seL4 Microkit's microkit.h:
 * one header, no library code behind it.  libfbpd PDs get it through
 * fbpd.h; libos (whose programs do not link libfbpd) includes it directly,
 * so both runtimes enter the kernel through the same few lines.  Also here,
 * because they are built on these calls: the futex mutex both runtimes
 * lock with, and the counter (counter.h).
 *
 * No policy: errors come back as the kernel gives them, negative errno
 * values (kapi.h FB_E*).  Code that includes this is built with
 * -fomit-frame-pointer: r7 carries the call number (ksvc.h).
 */
#ifndef FREEBEAM_KCALL_H
#define FREEBEAM_KCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <freebeam/counter.h>
#include <freebeam/kapi.h>
#include <freebeam/ksvc.h>

#define FB__INLINE static inline __attribute__((always_inline))

/* ---- messages and events ---- */

/* A ppcall message: a label and FB_MSG_WORDS message words, each way.
 * A reply label in [-4095, -1] (as int32) is a kernel error (-EPERM...). */
struct fb_msg {
    uint32_t label;
    uint32_t mr[FB_MSG_WORDS];
};

/* A raw event from RECV/REPLY_RECV: kind = FB_EV_* (or a negative error
 * such as -FB_EINTR), w[0..5] = r1..r6. */
struct fb_event {
    uint32_t kind;
    uint32_t w[6];
};

/* The common case: up to five arguments, one result. */
FB__INLINE int32_t fb__call(uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                            uint32_t a4)
{
    struct fb_kregs io = { { a0, a1, a2, a3, a4, 0, 0 } };
    fb_ksvc(n, &io);
    return (int32_t)io.r[0];
}

#define FB__LO(x) ((uint32_t)(x))
#define FB__HI(x) ((uint32_t)((uint64_t)(x) >> 32))

FB__INLINE struct fb_event fb__event(const struct fb_kregs *io)
{
    struct fb_event ev = { io->r[0], { io->r[1], io->r[2], io->r[3], io->r[4], io->r[5], io->r[6] } };
    return ev;
}

/* ---- console: up to 1024 bytes of len; the number written or -EFAULT ---- */
FB__INLINE int fb_debug_puts(const char *s, size_t len)
{
    return fb__call(FB_SYS_DEBUG_PUTS, (uint32_t)(uintptr_t)s, (uint32_t)len, 0, 0, 0);
}

/* ---- communication ---- */
FB__INLINE int fb_notify(unsigned ch)
{
    return fb__call(FB_SYS_NOTIFY, ch, 0, 0, 0, 0);
}

FB__INLINE struct fb_msg fb_ppcall(unsigned ch, struct fb_msg msg)
{
    struct fb_kregs io = { { ch, msg.label, msg.mr[0], msg.mr[1], msg.mr[2], msg.mr[3], 0 } };
    fb_ksvc(FB_SYS_PPCALL, &io);
    struct fb_msg r = { io.r[0], { io.r[1], io.r[2], io.r[3], io.r[4] } };
    return r;
}

FB__INLINE int fb_irq_ack(unsigned ch)
{
    return fb__call(FB_SYS_IRQ_ACK, ch, 0, 0, 0, 0);
}

/* Block until an event or the deadline (CNTVCT ticks, 0 = none).  A PPCALL
 * event must be answered with fb_reply_wait by the same thread. */
FB__INLINE struct fb_event fb_wait(uint64_t deadline)
{
    struct fb_kregs io = { { FB__LO(deadline), FB__HI(deadline), 0, 0, 0, 0, 0 } };
    fb_ksvc(FB_SYS_RECV, &io);
    return fb__event(&io);
}

/* Answer the ppcall this thread took, then wait as fb_wait. */
FB__INLINE struct fb_event fb_reply_wait(struct fb_msg reply, uint64_t deadline)
{
    struct fb_kregs io = { { reply.label, reply.mr[0], reply.mr[1], reply.mr[2], reply.mr[3],
                            FB__LO(deadline), FB__HI(deadline) } };
    fb_ksvc(FB_SYS_REPLY_RECV, &io);
    return fb__event(&io);
}

/* ---- PD control (needs FB_RIGHT_PD_CONTROL over a monitored PD) ---- */
FB__INLINE int fb_pd_restart(unsigned pd)
{
    return fb__call(FB_SYS_PD_RESTART, pd, 0, 0, 0, 0);
}

FB__INLINE int fb_pd_stop(unsigned pd)
{
    return fb__call(FB_SYS_PD_STOP, pd, 0, 0, 0, 0);
}

/* Pages of this PD's own mappings get perms (FB_PERM_*, 0: none): 0 |
 * -EINVAL | -EPERM. */
FB__INLINE int fb_protect(void *addr, size_t len, unsigned perms)
{
    return fb__call(FB_SYS_PROTECT, (uint32_t)(uintptr_t)addr, (uint32_t)len, perms, 0, 0);
}

FB__INLINE unsigned fb_pd_self(void)
{
    return (unsigned)fb__call(FB_SYS_PD_SELF, 0, 0, 0, 0, 0);
}

/* Power the machine off with a status; returns only without the right. */
FB__INLINE void fb_poweroff(int status)
{
    fb__call(FB_SYS_POWEROFF, (uint32_t)status, 0, 0, 0, 0);
}

/* End this PD with a status: its monitor receives an exit record (without
 * one, a PD with the poweroff right powers the machine off). */
FB__INLINE __attribute__((noreturn)) void fb_pd_exit(int status)
{
    fb__call(FB_SYS_PD_EXIT, (uint32_t)status, 0, 0, 0, 0);
    for (;;)
        __builtin_trap();   /* not reached: the kernel stopped this PD */
}

/* CPU time in counter ticks of thread tid of this PD (0: the caller): 0 or
 * -ESRCH. */
FB__INLINE int fb_thread_cpu(unsigned tid, uint64_t *ticks)
{
    struct fb_kregs io = { { tid, 0, 0, 0, 0, 0, 0 } };
    fb_ksvc(FB_SYS_THREAD_CPU, &io);
    *ticks = ((uint64_t)io.r[2] << 32) | io.r[1];
    return (int32_t)io.r[0];
}

/* CPU time in counter ticks of every thread of this PD since it (re)started. */
FB__INLINE int fb_pd_cpu(uint64_t *ticks)
{
    struct fb_kregs io = { { 0, 0, 0, 0, 0, 0, 0 } };
    fb_ksvc(FB_SYS_PD_CPU, &io);
    *ticks = ((uint64_t)io.r[2] << 32) | io.r[1];
    return (int32_t)io.r[0];
}

/* ---- threads ---- */
/* A new thread of this PD entering entry(arg) with sp, TPIDRURO = tls, at
 * prio (<= the PD's): the tid or -EAGAIN.  libfbpd's fb_thread_create
 * (fbpd.h) builds on this. */
FB__INLINE int fb_thread_start(uintptr_t entry, uintptr_t sp, uintptr_t arg, uintptr_t tls,
                               unsigned prio)
{
    return fb__call(FB_SYS_THREAD_CREATE, entry, sp, arg, tls, prio);
}

/* Exit; if clear_addr != NULL the kernel stores 0 there and wakes one
 * futex waiter on it (a join handle, or the release of a fb_mutex). */
FB__INLINE __attribute__((noreturn)) void fb_thread_exit(volatile void *clear_addr)
{
    fb__call(FB_SYS_THREAD_EXIT, (uint32_t)(uintptr_t)clear_addr, 0, 0, 0, 0);
    for (;;)
        __builtin_trap();
}

FB__INLINE int fb_thread_self(void)
{
    return fb__call(FB_SYS_THREAD_SELF, 0, 0, 0, 0, 0);
}

FB__INLINE int fb_thread_set_prio(int tid, unsigned prio)
{
    return fb__call(FB_SYS_THREAD_SET_PRIO, (uint32_t)tid, prio, 0, 0, 0);
}

/* Thread tid of this PD: its FUTEX_WAIT/RECV returns -EINTR now, or its
 * next one does: 0 | -ESRCH. */
FB__INLINE int fb_thread_interrupt(int tid)
{
    return fb__call(FB_SYS_THREAD_INTERRUPT, (uint32_t)tid, 0, 0, 0, 0);
}

FB__INLINE void fb_yield(void)
{
    fb__call(FB_SYS_YIELD, 0, 0, 0, 0, 0);
}

FB__INLINE int fb_set_tls(uintptr_t value)
{
    return fb__call(FB_SYS_SET_TLS, value, 0, 0, 0, 0);
}

/* ---- futexes ---- */
/* Sleep while *addr == expected; deadline in CNTVCT ticks, 0 = none.
 * Returns 0, -EAGAIN (value differed), -ETIMEDOUT, -EINTR or -EFAULT. */
FB__INLINE int fb_futex_wait(volatile void *addr, uint32_t expected, uint64_t deadline)
{
    return fb__call(FB_SYS_FUTEX_WAIT, (uint32_t)(uintptr_t)addr, expected, FB__LO(deadline),
                    FB__HI(deadline), 0);
}

/* Wake up to max sleepers on addr: the number woken. */
FB__INLINE int fb_futex_wake(volatile void *addr, unsigned max)
{
    return fb__call(FB_SYS_FUTEX_WAKE, (uint32_t)(uintptr_t)addr, max, 0, 0, 0);
}

/* ---- a mutex on a futex word ----
 * The classic three states: 0 free, 1 taken, 2 taken and someone may sleep
 * on it.  An uncontended lock or unlock never enters the kernel.  The
 * kernel's thread exit with a clear address (fb_thread_exit) releases a
 * held mutex exactly as fb_mutex_unlock does: it stores 0 and wakes one.
 * The _word forms take the futex word itself (libos's struct libos_lock
 * holds one: libos.h stays free of this header, which the host tests of
 * libos cannot compile). */
FB__INLINE bool fb_mutex_trylock_word(volatile uint32_t *v)
{
    uint32_t c = 0;
    return __atomic_compare_exchange_n(v, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

FB__INLINE void fb_mutex_lock_word(volatile uint32_t *v)
{
    uint32_t c = 0;
    if (__atomic_compare_exchange_n(v, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    /* Contended: announce a sleeper (2) and sleep until we take it free. */
    if (c != 2)
        c = __atomic_exchange_n(v, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        fb_futex_wait(v, 2, 0);
        c = __atomic_exchange_n(v, 2, __ATOMIC_ACQUIRE);
    }
}

FB__INLINE void fb_mutex_unlock_word(volatile uint32_t *v)
{
    if (__atomic_exchange_n(v, 0, __ATOMIC_RELEASE) == 2)
        fb_futex_wake(v, 1);
}

typedef struct { volatile uint32_t v; } fb_mutex;
#define FB_MUTEX_INIT { 0 }

FB__INLINE bool fb_mutex_trylock(fb_mutex *m) { return fb_mutex_trylock_word(&m->v); }
FB__INLINE void fb_mutex_lock(fb_mutex *m) { fb_mutex_lock_word(&m->v); }
FB__INLINE void fb_mutex_unlock(fb_mutex *m) { fb_mutex_unlock_word(&m->v); }

#undef FB__INLINE
#endif
