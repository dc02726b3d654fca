/*
 * libos.h - what the parts of libos share (private to libos).
 *
 * libos is the POSIX layer of a freebeam PD: musl's system calls arrive
 * here as function calls (__libos_syscall, syscall.c) and are served over
 * the kernel API of kapi.h.  Rules for every file (docs/internals.md notes 5-8):
 * nothing here may touch errno, __thread data, malloc, stdio or anything
 * else of musl but its string functions: musl calls us while it holds its
 * own locks, and before the thread pointer exists.  Errors are returned as
 * -errno, like Linux does.  musl's headers are used for constants and types
 * only.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#define hidden __attribute__((__visibility__("hidden")))

/* ---- system calls: SYSCALL(name) declares one, SYSCALLn defines one ---- */
#include "syscall_def.h"

/* ---- the Linux ABI bits musl's headers do not carry ---- */
#define FUTEX_WAIT            0
#define FUTEX_WAKE            1
#define FUTEX_REQUEUE         3
#define FUTEX_CMP_REQUEUE     4
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG  128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* The 32-bit time calls musl still makes when the seconds fit. */
#define SYS_clock_gettime32_nr  263
#define SYS_clock_getres32_nr   264
#define SYS_clock_nanosleep32_nr 265
#define SYS_gettimeofday32_nr    78
#define ARM_NR_set_tls   0xf0005
#define ARM_NR_get_tls   0xf0006
#define ARM_NR_cacheflush 0xf0002

/* ---- per thread ---- */
/* TPIDRURW holds the kernel tid of the running thread (set by libos when
 * the thread starts); it is also the Linux tid libos reports. */
static inline uint32_t libos_tid(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
    return v;
}

static inline void libos_set_tid(uint32_t tid)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" : : "r"(tid) : "memory");
}

static inline uint32_t libos_get_tp(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
    return v;
}

extern uint32_t libos_main_tid;   /* also the pid */

/* libos's per-thread tables have a slot per thread the PD may have.  The
 * kernel gives a PD's threads the tids main tid .. main tid + max_threads - 1
 * (the main thread has the lowest); the main thread's slot is 1, and slot 0
 * stands for a tid outside that range (none, with the kernel's rule). */
#define LIBOS_MAX_THREADS 4096  /* = FB_MAX_THREADS_PD (include/freebeam/sysimage.h) */
static inline uint32_t libos_slot(uint32_t tid)
{
    uint32_t slot = tid - libos_main_tid + 1;
    return slot <= LIBOS_MAX_THREADS ? slot : 0;
}
extern uint32_t libos_prio;       /* the PD's priority: every thread runs at it */

/* ---- a futex mutex for libos itself: 0 free, 1 held, 2 held + waiters ---- */
struct libos_lock {
    volatile uint32_t v;
};
void libos_lock(struct libos_lock *l);
void libos_unlock(struct libos_lock *l);

/* ---- the PD info page (start.c) ---- */
struct fb_pdinfo_map;
const struct fb_pdinfo_map *libos_region(const char *name);   /* a region by name, or NULL */
const char *libos_boot_env(const char *key);   /* the description's environment, or NULL */
struct fb_pdinfo;
const struct fb_pdinfo *libos_info(void);      /* the info area, or NULL if it is not one we know */
const char *libos_info_str(uint32_t off);      /* a string of it; "" if off is 0 or outside */

/* ---- network (net_eth.c) ---- */
/* At start, before /dev/chan is made: if the PD has the channel `net` with
 * a queue pair to the net driver PD, serve it (eth0). */
void libos_net_eth_init(void);
/* net_stack.c: TCP data that sends left corked (net.h) goes out at the
 * next system call that is not a send (syscall.c calls the flush). */
extern volatile bool libos_net_tx_corked;
void libos_net_tx_flush(void);

/* ---- console ---- */
void libos_write_console(const char *p, size_t len);
void libos_puts(const char *s);
/* "libos: <what> <n>\n" in one kernel call. */
void libos_log_num(const char *what, unsigned long n);

/* ---- time (time.c) ---- */
uint64_t libos_ticks(void);
uint32_t libos_freq(void);
uint64_t libos_realtime_base_ns(void);   /* CLOCK_REALTIME at counter 0 */
uint64_t libos_ticks_to_ns(uint64_t ticks);
/* CPU-time clocks (sys_cputime.c) */
bool libos_is_cpu_clock(long clk);
int libos_cpu_clock_ticks(long clk, uint64_t *ticks);     /* 0 or -EINVAL */
void libos_time_init(void);

/* ---- memory (sys_mm.c) ---- */
void libos_mm_init(uintptr_t heap_base, size_t heap_size, uintptr_t brk_start);
/* May the PD read (write = 0) or write (write = 1) [a, end) of the heap
 * region?  1 yes, 0 no, -1 not inside the heap region. */
int libos_mm_access(uintptr_t a, uintptr_t end, int write);
size_t libos_mm_total_bytes(void);      /* the pages mmap can hand out */
size_t libos_mm_free_bytes(void);       /* those it has not */
/* May a system call read (write = 0) or write (write = 1) the caller's
 * [p, p+len)?  (sys_ident.c) */
bool libos_user_ok(const void *p, size_t len, int write);
extern struct libos_lock libos_mm_lock;
/* Free [addr, addr+len) of the heap; the caller holds libos_mm_lock. */
void libos_mm_free_locked(uintptr_t addr, size_t len);

/* ---- threads (sys_thread.c) ---- */
extern volatile uint32_t *libos_clear_tid[LIBOS_MAX_THREADS + 1];   /* by libos_slot */
__attribute__((noreturn)) void libos_exit_thread(void);
__attribute__((noreturn)) void libos_exit_group(int status);   /* exit: done */
__attribute__((noreturn)) void libos_die(int status);          /* killed: the monitor decides */
/* A thread about to start in SLOT: no alternate signal stack, the creating
 * thread's signal mask (sys_proc.c). */
void libos_sig_thread_start(uint32_t slot);

#endif
