/*
 * fbpd.h - libfbpd, the tiny runtime of a C protection domain (Microkit-like).
 *
 * A PD written against libfbpd provides `init()` and, as it needs them,
 * `notified()`, `protected()` and `fault()`.  libfbpd's `_start` calls
 * init() once, then loops: wait for an event, hand it to the matching
 * callback, answer a ppcall with the callback's reply.  The rest of this
 * header is thin wrappers over the system calls of kapi.h plus a few
 * helpers every demo needs (printing, a futex mutex, the clock).
 */
#ifndef FREEBEAM_FBPD_H
#define FREEBEAM_FBPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <freebeam/kapi.h>

/* A ppcall message: a label and FB_MSG_WORDS message words, each way.
 * A reply label in [-4095, -1] (as int32) is a kernel error (-EPERM...). */
struct fb_msg {
    uint32_t label;
    uint32_t mr[FB_MSG_WORDS];
};

/* What a monitor learns when a PD it monitors faults (FB_EV_FAULT). */
struct fb_fault {
    uint32_t pd, tid, kind, addr, pc, status;
};

/* A raw event from RECV/REPLY_RECV: kind = FB_EV_*, w[0..5] = r1..r6. */
struct fb_event {
    uint32_t kind;
    uint32_t w[6];
};

/* ---- the PD's entry points ---- */
void init(void);                                          /* required */
void notified(unsigned ch);                               /* default: complain */
struct fb_msg protected(unsigned ch, struct fb_msg msg);  /* default: -ENOSYS */
void fault(unsigned pd, const struct fb_fault *f);        /* default: complain */

/* ---- communication ---- */
int fb_notify(unsigned ch);
struct fb_msg fb_ppcall(unsigned ch, struct fb_msg msg);
int fb_irq_ack(unsigned ch);
/* Block until an event or the deadline (CNTVCT ticks, 0 = none).  For code
 * outside the event loop; a PPCALL event it returns must be answered with
 * fb_reply_wait by the same thread. */
struct fb_event fb_wait(uint64_t deadline);
struct fb_event fb_reply_wait(struct fb_msg reply, uint64_t deadline);

/* ---- PD control (needs FB_RIGHT_PD_CONTROL over a monitored PD) ---- */
int fb_pd_restart(unsigned pd);
int fb_pd_stop(unsigned pd);
int fb_protect(void *addr, size_t len, unsigned perms);   /* FB_PERM_* of sysimage.h, 0: none */
unsigned fb_pd_self(void);
void fb_poweroff(int status);   /* returns only without the right */
/* End this PD with a status: its monitor receives an exit record (without
 * one, a PD with the poweroff right powers the machine off). */
void fb_pd_exit(int status) __attribute__((noreturn));

/* ---- threads ---- */
/* Start fn(arg) on a new thread of this PD; stack_top is the end of its
 * stack (aligned down to 8 here).  If fn returns, the thread exits.
 * Returns the tid or a negative error. */
int fb_thread_create(void (*fn)(void *), void *arg, void *stack_top,
                     uintptr_t tls, unsigned prio);
/* Exit; if clear_addr != NULL the kernel stores 0 there and wakes one
 * futex waiter on it (a join handle). */
void fb_thread_exit(volatile uint32_t *clear_addr) __attribute__((noreturn));
int fb_thread_self(void);
int fb_thread_set_prio(int tid, unsigned prio);
void fb_yield(void);
int fb_set_tls(uintptr_t value);

/* ---- futexes and a mutex on them ---- */
/* Sleep while *addr == expected; deadline in CNTVCT ticks, 0 = none.
 * Returns 0, -EAGAIN (value differed), -ETIMEDOUT or -EFAULT. */
int fb_futex_wait(volatile uint32_t *addr, uint32_t expected, uint64_t deadline);
int fb_futex_wake(volatile uint32_t *addr, unsigned max);

/* 0 = unlocked, 1 = locked, 2 = locked with (possible) waiters. */
typedef struct { volatile uint32_t v; } fb_mutex;
#define FB_MUTEX_INIT { 0 }
void fb_mutex_lock(fb_mutex *m);
bool fb_mutex_trylock(fb_mutex *m);
void fb_mutex_unlock(fb_mutex *m);

/* ---- time: the ARM generic virtual counter ---- */
uint64_t fb_clock_ticks(void);
uint32_t fb_clock_freq(void);
uint64_t fb_clock_ns(void);
uint64_t fb_ns_to_ticks(uint64_t ns);

/* ---- the info area (kapi.h, struct fb_pdinfo) ---- */
const struct fb_pdinfo *fb_info(void);      /* NULL if its magic or version is not ours */
const char *fb_info_str(unsigned off);      /* a string of the area; "" for 0 or outside */
/* This PD's channel end (or irq) with that name in the description, or NULL. */
const struct fb_pdinfo_chan *fb_channel_by_name(const char *name);
int fb_pd_by_name(const char *name);        /* a PD's index, or -1 */
/* Where the channel's queue region is mapped in this PD; NULL without a queue. */
void *fb_map_vaddr(const struct fb_pdinfo_chan *chan);
/* The map entry of the region `name` mapped in this PD, or NULL. */
const struct fb_pdinfo_map *fb_region_by_name(const char *name);
/* The channel id on which interrupt `irq` (a GIC INTID) arrives, or -1. */
int fb_irq_channel(unsigned irq);
/* The PD's argument i from the description (argv[0] is 0), or NULL. */
const char *fb_arg(unsigned i);
/* Attach qp (include/freebeam/queue.h) to the queue pair of this PD's
 * channel `name`: the channel id to notify, or -1 (no such channel, no
 * queue, or parameters that do not fit the region). */
struct fb_qpair;
int fb_queue_channel(const char *name, struct fb_qpair *qp);

/* ---- console ---- */
void fb_puts(const char *s);            /* as is, no newline added */
/* %s %c %d %u %x %p, l (32-bit long) and ll (64-bit: %llu %lld %llx),
 * %% and a zero/width prefix (%08x).  Each call is one DEBUG_PUTS (<= 255 bytes). */
void fb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- what gcc may call ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
