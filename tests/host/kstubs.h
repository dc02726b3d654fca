/*
 * kstubs.h - what the kernel's pure logic (tqueue, sched, timeout, futex,
 * thread, ipc, uaccess, rights) needs from the rest of the kernel when it
 * runs on the host: the objects pd.c and main.c define (pds, npds, cur),
 * the platform calls it makes (timer_now, power_off, kprintf, panic), and
 * helpers that build PDs, channels and threads by hand and tear them down.
 */
#ifndef FB_TEST_KSTUBS_H
#define FB_TEST_KSTUBS_H

#include <setjmp.h>
#include <stdint.h>
#include "kernel.h"

extern uint64_t kstub_now;            /* what timer_now() returns */
extern uint64_t kstub_timer;          /* last timer_set() deadline */
extern unsigned kstub_poweroffs;      /* power_off/panic calls so far */
extern uint32_t kstub_poweroff_status;
extern jmp_buf *kstub_poweroff_jmp;   /* armed: power_off longjmps here (value 1) */
extern unsigned kstub_kprintfs;       /* kprintf calls so far (not printed) */
extern char kstub_kprintf_last[256];  /* the last one's text */

extern unsigned kstub_irq_resets;     /* irq_reset_pd() calls (pd.c's stop) */
extern struct pd *kstub_irq_reset_pd; /* and the PD of the last one */

/* PD `index` with a priority and a thread limit, running, no channels. */
struct pd *kstub_pd(uint32_t index, uint32_t prio, uint32_t max_threads);
/* A two-way channel: PD a's channel ida <-> PD b's channel idb. */
void kstub_channel(uint32_t a, uint32_t ida, uint32_t b, uint32_t idb);
/* A new thread of pd, initialised at prio and (if run) runnable. */
struct tcb *kstub_thread(struct pd *pd, uint32_t prio, int run);
/* Free every thread, clear all PDs, cur and the clock.  Returns 1 if the
 * kernel's queues (run queues, timeouts) are empty afterwards. */
int kstub_reset(void);

/* Is q a well-formed list of exactly these n threads, in this order? */
int kstub_tq_is(const struct tqueue *q, struct tcb *const *want, unsigned n);
/* Is the run queue that sched_pick() returns from exactly these threads? */
int kstub_rq_is(struct tcb *const *want, unsigned n);

#endif
