/*
 * kernel.h - the kernel's objects: protection domains and threads, and the
 * functions that the rest of the kernel calls on them.  PDs are a static
 * array; each PD's threads are a table of max_threads TCBs taken from RAM
 * when the PD is loaded at boot.  Nothing is allocated after boot.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <freebeam/kapi.h>
#include <freebeam/sysimage.h>

#define NPRIO         (FB_MAX_PRIO + 1)
#define TIMESLICE_US  5000

/* The user registers of a thread, in the order the exception entry stores them. */
struct ctx {
    uint32_t r[13];
    uint32_t sp, lr, pc, cpsr;
};

struct vfp_state {
    uint64_t d[32];
    uint32_t fpscr;
};

enum tstate {
    T_FREE = 0,
    T_RUNNABLE,     /* in a run queue */
    T_RECV,         /* waiting for an event (notification, ppcall, fault) */
    T_CALL_SEND,    /* ppcall queued on the callee PD, not yet taken */
    T_CALL_REPLY,   /* ppcall taken by a callee thread, waiting for its reply */
    T_FUTEX,        /* waiting on a futex word */
    T_STOPPED,      /* its PD is stopped or faulted */
};

struct pd;
struct tcb;
extern struct tcb *cur;         /* the thread running (or about to run) in user mode */

struct tcb {
    struct ctx ctx;             /* must stay first: the entry code saves here */
    struct vfp_state vfp;
    uint32_t tpidruro, tpidrurw;
    struct pd *pd;
    uint32_t tid;               /* pd->tid_base + slot + 1: unique, non-zero */
    uint8_t state;
    uint8_t prio;
    struct tcb *next, *prev;    /* run queue, futex queue or call queue */
    struct tcb *tnext;          /* timeout list (sorted by deadline) */
    uint64_t deadline;          /* 0: none */
    uint32_t futex_addr;        /* T_FUTEX: the word */
    struct tcb *caller;         /* this thread serves a ppcall from caller */
    struct tcb *callee;         /* T_CALL_REPLY: the thread serving us */
    struct pd *callee_pd;       /* T_CALL_SEND: the PD whose call queue holds us */
    uint8_t interrupted;        /* THREAD_INTERRUPT came while it was not waiting */
    uint64_t cpu_ticks;         /* CPU time used, in counter ticks (cputime.c) */
};

/* A doubly linked FIFO of threads. */
struct tqueue { struct tcb *head, *tail; };

struct seg_map {                /* one mapped, contiguous range of a PD */
    uint32_t vaddr, size, paddr, perms;
    uint32_t src_off, src_len;  /* ELF bytes to restore on restart (writable segs) */
    uint32_t src_skew;          /* where they start inside the first page */
    uint8_t restore;            /* 1: zero/recopy on restart */
    uint8_t deflated;           /* 1: src is a DEFLATE stream (FB_PF_DEFLATE) */
    uint8_t kind;               /* FB_MAP_* */
    uint8_t region;             /* FB_MAP_REGION: the region's index in the blob */
    const char *name;           /* region name, or NULL */
};

#define PD_MAX_MAPS FB_PDINFO_MAX_MAPS   /* segments, stack, regions, info area */
_Static_assert(FB_MAX_REGIONS <= 256, "seg_map.region holds a region index");

struct pd {
    const char *name;
    uint32_t index;
    uint32_t asid;
    uint32_t *l1;               /* TTBR0 table: 1024 entries (TTBCR.N = 2) */
    uint32_t prio, max_threads, nthreads, rights;
    struct tcb *tcbs;           /* its max_threads TCBs (slot i has tid tid_base + i + 1) */
    uint32_t tid_base;          /* the tids of all PDs before this one */
    struct tcb *free_tcbs;      /* its free TCBs, linked by next */
    uint64_t cpu_ticks;         /* CPU time of all its threads, exited ones too */
    struct pd *monitor;
    uint32_t entry;
    int running;                /* 0: stopped (faulted or stopped by its monitor) */
    uint64_t pending;           /* notification bits */
    struct tcb *receiver;       /* a thread blocked in RECV, or NULL */
    struct tqueue callq;        /* T_CALL_SEND threads waiting for a receiver */
    uint32_t fault_pending;     /* bit i: PD i faulted and awaits this monitor */
    uint32_t fault_rec[6];      /* this PD's own last fault: tid kind addr pc status */
    struct {                    /* channel id -> peer */
        int16_t peer;           /* PD index, -1 none, -2 IRQ */
        uint16_t peer_id;       /* peer's channel id, or the IRQ number */
    } ch[FB_MAX_CHANNELS];
    uint32_t nmaps;
    struct seg_map maps[PD_MAX_MAPS];
    int protected;              /* PROTECT changed a page since the last (re)start */
};

extern struct pd pds[FB_MAX_PDS];
extern uint32_t npds;

/* sched.c */
void sched_add(struct tcb *t);          /* make runnable: tail of its queue */
void sched_remove(struct tcb *t);
struct tcb *sched_pick(void);           /* highest-priority runnable, or NULL */
int sched_has_peer(const struct tcb *t);/* another runnable thread at t's priority */
void sched_rotate(struct tcb *t);       /* move t to the tail of its queue */
int sched_top_prio(void);               /* the highest priority with a runnable thread, -1 none */
void sched_remove_sole(struct tcb *t);  /* t alone in its queue */
void sched_add_sole(struct tcb *t);     /* t's queue empty; t runnable */

/* tqueue.c */
void tq_push(struct tqueue *q, struct tcb *t);
struct tcb *tq_pop(struct tqueue *q);
void tq_remove(struct tqueue *q, struct tcb *t);

/* timeout.c */
void timeout_add(struct tcb *t, uint64_t deadline);
void timeout_cancel(struct tcb *t);
struct tcb *timeout_expired(uint64_t now);  /* pop one expired thread, or NULL */
uint64_t timeout_next(void);                /* earliest deadline, 0 if none */

/* futex.c */
void futex_enqueue(struct tcb *t, uint32_t addr);
void futex_dequeue(struct tcb *t);
struct tcb *futex_take(const struct pd *pd, uint32_t addr);  /* first waiter or NULL */

/* thread.c */
void thread_pool_init(struct pd *pd, struct tcb *pool, uint32_t tid_base);  /* all free */
struct tcb *thread_alloc(struct pd *pd);
void thread_init_user(struct tcb *t, uint32_t entry, uint32_t sp, uint32_t r0, uint32_t tls, uint32_t prio);
void thread_make_runnable(struct tcb *t);
void thread_block(struct tcb *t, enum tstate st, uint64_t deadline);
void thread_wake(struct tcb *t, uint32_t r0);
int thread_interrupt(struct tcb *t);     /* wake a futex/recv wait with -EINTR, or mark it */
void thread_detach(struct tcb *t);       /* off every queue; state unchanged */
void thread_free(struct tcb *t);

/* cputime.c: CPU time, charged to the running thread and its PD at each switch */
extern uint64_t cpu_stretch_start;      /* when cur began running (its current stretch) */
static inline void cpu_charge(uint64_t now)   /* cur has run until now; the next stretch starts */
{
    if (cur) {                          /* inline: it is on every switch */
        uint64_t ran = now - cpu_stretch_start;
        cur->cpu_ticks += ran;
        cur->pd->cpu_ticks += ran;
    }
    cpu_stretch_start = now;
}
void cpu_resume(uint64_t now);          /* after idle: the next stretch starts now */
uint64_t cpu_thread_ticks(const struct tcb *t, uint64_t now);
uint64_t cpu_pd_ticks(const struct pd *pd, uint64_t now);

/* fastpath.c: ppcall and reply-recv when the thread to run next is
 * obvious; 1 if done (the thread switched to), 0: take the general path */
int fastpath_ppcall(struct tcb *t);
int fastpath_reply_recv(struct tcb *t);

/* ipc.c */
int ev_deliver(struct tcb *t);           /* put a pending event in t's registers; 1 if one was */
void ipc_recv(struct tcb *t, uint64_t deadline);
void ipc_notify(struct pd *from, uint32_t ch);
void ipc_notify_pd(struct pd *to, uint32_t id);
void ipc_kick(struct pd *pd);            /* give a waiting receiver its next event */
void ipc_ppcall(struct tcb *t);
void ipc_reply(struct tcb *t);
void ipc_abort_caller(struct tcb *t);   /* t's ppcall fails (callee gone) */

/* pd.c */
int pd_load_all(const void *blob, uint32_t avail);
void pd_fault(struct tcb *t, uint32_t kind, uint32_t addr, uint32_t status);
void pd_exit(struct tcb *t, uint32_t status);

/* protect.c */
int pd_protect(struct pd *pd, uint32_t vaddr, uint32_t len, uint32_t perms);
void pd_unprotect(struct pd *pd);
void pd_stop(struct pd *pd);
int pd_restart(struct pd *pd);

/* uaccess.c */
int uaccess_ok(const struct pd *pd, uint32_t addr, uint32_t len, uint32_t perms);

/* rights.c */
struct pd *pd_child(const struct pd *caller, uint32_t index);   /* NULL: not ours to control */
struct tcb *thread_of_pd(const struct pd *pd, uint32_t tid);    /* NULL: no such thread here */

/* syscall.c */
void syscall_dispatch(struct tcb *t);

/* kprint.c */
void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* prof.c: the sampling profiler of kernel-prof.elf (FB_PROFILE); no-ops in
 * kernel.elf. */
#ifdef FB_PROFILE
void prof_init(void);
void prof_tick(uint64_t now);
uint64_t prof_deadline(uint64_t dl);
void prof_dump(void);
#else
static inline void prof_init(void) {}
static inline void prof_tick(uint64_t now) { (void)now; }
static inline uint64_t prof_deadline(uint64_t dl) { return dl; }
static inline void prof_dump(void) {}
#endif
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* platform */
void uart_putc(char c);
void gic_init(void);
uint32_t gic_ack(void);
void gic_eoi(uint32_t irq);
void gic_enable(uint32_t irq, int edge);
void gic_mask(uint32_t irq);
void gic_unmask(uint32_t irq);
void timer_init(void);
void timer_set(uint64_t deadline);      /* 0: off */
uint64_t timer_now(void);
uint64_t timer_us_to_ticks(uint32_t us);
void power_off(uint32_t status) __attribute__((noreturn));

/* arch */
void mmu_init(void);
uint32_t *mmu_new_space(void);
int mmu_map(uint32_t *l1, uint32_t vaddr, uint32_t paddr, uint32_t size, uint32_t perms, int device);
void mmu_protect(uint32_t *l1, uint32_t asid, uint32_t vaddr, uint32_t size, uint32_t perms);
void mmu_switch(const struct pd *pd);
void cache_sync_code(uint32_t paddr, uint32_t size);
void vfp_init(void);
void vfp_save(struct vfp_state *s);
void vfp_restore(const struct vfp_state *s);

/* palloc.c: physical frames, boot time only */
void palloc_init(uint32_t start, uint32_t end);
uint32_t palloc(uint32_t size, uint32_t align);  /* zeroed; 0 when out of memory */
uint32_t palloc_left(uint32_t align);            /* bytes left at that alignment */

/* irq.c */
void irq_handle_pending(void);
void irq_bind(uint32_t irq, struct pd *pd, uint32_t id, int edge);
int irq_ack(struct pd *pd, uint32_t ch);
void irq_reset_pd(struct pd *pd);

extern struct tcb *vfp_owner;   /* whose VFP registers are live */

/* main.c */
void kernel_exit(void);                 /* pick what runs next; idles if nothing */
void kernel_switch_direct(struct tcb *next);   /* next alone at the top priority: run it */
extern uint64_t slice_end;

#endif
