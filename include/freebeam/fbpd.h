/*
 * fbpd.h - libfbpd, the tiny runtime of a C protection domain (Microkit-like).
 *
 * A PD written against libfbpd provides `init()` and, as it needs them,
 * `notified()`, `protected()` and `fault()`.  libfbpd's `_start` calls
 * init() once, then loops: wait for an event, hand it to the matching
 * callback, answer a ppcall with the callback's reply.  The kernel calls
 * themselves (fb_notify, fb_ppcall, futexes, the mutex, the counter...) are
 * the static inline functions of kcall.h, which libos uses too; this
 * header adds the runtime: threads that may return, the info area, the
 * console and the clock in nanoseconds.
 */
#ifndef FREEBEAM_FBPD_H
#define FREEBEAM_FBPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <freebeam/kapi.h>
#include <freebeam/kcall.h>

/* What a monitor learns when a PD it monitors faults (FB_EV_FAULT). */
struct fb_fault {
    uint32_t pd, tid, kind, addr, pc, status;
};

/* ---- the PD's entry points ---- */
void init(void);                                          /* required */
void notified(unsigned ch);                               /* default: complain */
struct fb_msg protected(unsigned ch, struct fb_msg msg);  /* default: -ENOSYS */
void fault(unsigned pd, const struct fb_fault *f);        /* default: complain */

/* ---- threads ---- */
/* Start fn(arg) on a new thread of this PD; stack_top is the end of its
 * stack (aligned down to 8 here).  If fn returns, the thread exits.
 * Returns the tid or a negative error. */
int fb_thread_create(void (*fn)(void *), void *arg, void *stack_top,
                     uintptr_t tls, unsigned prio);

/* ---- time: the counter (counter.h) in nanoseconds ---- */
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
