/*
 * sys_thread.c - threads: clone (the thread flavour only), thread exit with
 * CLEARTID, set_tid_address, futexes, sched_yield, exit_group, and the
 * exit of a detached thread that frees its own stack (__unmapself).
 *
 * A Linux tid here is the kernel's thread id (unique among live threads of
 * the machine, never 0, below 2^30); libos keeps it in TPIDRURW so that gettid costs no
 * kernel call.  Every thread runs at the PD's priority (libos_prio).
 *
 * CHILD_CLEARTID: musl's pthread_exit holds a lock (the ctid word) until
 * the kernel clears it, and pthread_join then unmaps the dead thread's
 * stack.  The clear must happen only once the thread is off its stack, so
 * it is the kernel's: FB_SYS_THREAD_EXIT stores 0 at the address given and
 * wakes one waiter (docs/internals.md note 5).
 */
#include "libos.h"
#include "ext4_fs.h"
#include "console.h"
#include <sched.h>
#include <signal.h>
#include <freebeam/kcall.h>
#include <freebeam/sysimage.h>
#include "timeconv.h"

volatile uint32_t *libos_clear_tid[LIBOS_MAX_THREADS + 1];
_Static_assert(LIBOS_MAX_THREADS == FB_MAX_THREADS_PD, "a slot for every thread a PD may have");

static uint32_t log_once_mask;

static void log_once(unsigned bit, const char *msg)
{
    if (!(__atomic_fetch_or(&log_once_mask, 1u << bit, __ATOMIC_RELAXED) & (1u << bit)))
        libos_puts(msg);
}

/* ---- thread start ---- */

/* Lies just below the child's stack top; the child starts with sp here. */
struct start_block {
    int (*fn)(void *);
    void *arg;
    volatile uint32_t gate;   /* 0 closed, 2 closed with the child waiting, 1 open */
    uint32_t tid;
};

_Static_assert(sizeof(struct start_block) == 16, "start block keeps sp 8-aligned");

/* The kernel enters a new thread here: r0 = the block, sp = the block. */
static __attribute__((noreturn, used)) void thread_entry(struct start_block *b)
{
    /* Wait until the parent has written the tid where musl wants it
     * (CLONE_PARENT_SETTID): musl's locks use the tid as owner. */
    for (;;) {
        uint32_t g = __atomic_load_n(&b->gate, __ATOMIC_ACQUIRE);
        if (g == 1)
            break;
        if (g == 0 && !__atomic_compare_exchange_n(&b->gate, &g, 2, false, __ATOMIC_ACQUIRE,
                                                   __ATOMIC_ACQUIRE))
            continue;
        fb_futex_wait(&b->gate, 2, 0);
    }
    libos_set_tid(b->tid);
    int (*fn)(void *) = b->fn;
    void *arg = b->arg;
    fn(arg);
    libos_exit_thread();        /* what musl's clone.s did: SYS_exit */
}

hidden int __libos_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid,
                         void *tls, int *ctid);

int __libos_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls,
                  int *ctid)
{
    if ((flags & (CLONE_VM | CLONE_THREAD)) != (CLONE_VM | CLONE_THREAD)) {
        log_once(0, "libos: clone of a process (no CLONE_VM|CLONE_THREAD): ENOSYS\n");
        return -ENOSYS;
    }
    if (flags & CLONE_VFORK)
        return -ENOSYS;
    struct start_block *b = (struct start_block *)(((uintptr_t)stack & ~(uintptr_t)15) - 16);
    b->fn = fn;
    b->arg = arg;
    b->gate = 0;
    b->tid = 0;
    uintptr_t tp = (flags & CLONE_SETTLS) ? (uintptr_t)tls : libos_get_tp();
    int32_t tid = fb_thread_start((uintptr_t)thread_entry, (uintptr_t)b, (uintptr_t)b, tp,
                                  libos_prio);
    if (tid < 0)
        return tid == -EPERM || tid == -EINVAL ? -EINVAL : -EAGAIN;
    uint32_t slot = libos_slot((uint32_t)tid);
    if (slot == 0) {                            /* cannot happen with the kernel's rule */
        libos_log_num("kernel tid out of range:", (unsigned long)tid);
        libos_die(134);
    }
    b->tid = (uint32_t)tid;
    libos_sig_thread_start(slot);
    libos_clear_tid[slot] = (flags & CLONE_CHILD_CLEARTID) ? (volatile uint32_t *)ctid : 0;
    if (flags & CLONE_PARENT_SETTID)
        *ptid = tid;
    if (flags & CLONE_CHILD_SETTID)
        *ctid = tid;
    if (__atomic_exchange_n(&b->gate, 1, __ATOMIC_RELEASE) == 2)
        fb_futex_wake(&b->gate, 1);
    return tid;
}

SYSCALL0(clone)
{
    /* The raw call returns twice; only musl's __clone (which knows the
     * function to run) can start a thread here. */
    log_once(1, "libos: raw clone syscall: ENOSYS (threads come from __clone)\n");
    return -ENOSYS;
}

/* ---- thread exit ---- */

void libos_exit_thread(void)
{
    uint32_t slot = libos_slot(libos_tid());
    volatile uint32_t *clear = slot ? libos_clear_tid[slot] : 0;
    if (slot)
        libos_clear_tid[slot] = 0;
    fb_thread_exit(clear);
}

SYSCALL1(exit, int, status)
{
    (void)status;               /* nobody can ask for a thread's status */
    libos_exit_thread();
}

/* A detached thread frees its stack and exits (musl's pthread_exit).  We
 * run on that stack, so: take the allocator lock, release the pages (the
 * allocator writes nothing into freed pages), do CLEARTID by hand, and let
 * the kernel release the allocator lock with the thread-exit clear, once
 * the thread is off the stack.  Nobody can hand those pages out before. */
hidden _Noreturn void __libos_unmapself(void *base, size_t size);

void __libos_unmapself(void *base, size_t size)
{
    libos_lock(&libos_mm_lock);
    libos_mm_free_locked((uintptr_t)base, size);
    uint32_t slot = libos_slot(libos_tid());
    if (slot) {
        volatile uint32_t *clear = libos_clear_tid[slot];
        libos_clear_tid[slot] = 0;
        if (clear) {
            __atomic_store_n(clear, 0, __ATOMIC_SEQ_CST);
            fb_futex_wake(clear, 1);
        }
    }
    fb_thread_exit(&libos_mm_lock.v);
}

/* The whole PD ends because it died (a fatal signal: abort()): the kernel
 * stops every thread and tells the monitor, which may restart it (the root
 * monitor restarts the BEAM); a PD without a monitor powers the machine off
 * with the status when it has that right. */
void libos_die(int status)
{
    libos_console_drain_at_exit();
    fb_pd_exit(status & 0xff);
    for (;;)
        libos_exit_thread();
}

/* The whole PD ends because it asked to (exit, erlang:halt): a PD with the
 * poweroff right powers the machine off with the status, even when it has a
 * monitor (the monitor restarts PDs that die, not those that are done);
 * others end as libos_die does. */
void libos_exit_group(int status)
{
    ext4_unmount();         /* /data written back and marked clean */
    const struct fb_pdinfo *in = libos_info();
    if (in && (in->rights & FB_RIGHT_POWEROFF)) {
        libos_console_drain_at_exit();
        fb_poweroff(status & 0xff);
    }
    libos_die(status);
}

SYSCALL1(exit_group, int, status)
{
    libos_exit_group(status);
}

SYSCALL1(set_tid_address, volatile uint32_t *, tidptr)
{
    uint32_t tid = libos_tid();
    uint32_t slot = libos_slot(tid);
    if (slot)
        libos_clear_tid[slot] = tidptr;
    return (long)tid;
}

SYSCALL0(gettid)
{
    return (long)libos_tid();
}

SYSCALL0(sched_yield)
{
    fb_yield();
    return 0;
}

SYSCALL1(set_tls, uintptr_t, tls)
{
    return fb_set_tls(tls);
}

SYSCALL0(get_tls)
{
    return (long)libos_get_tp();
}

/* ---- futex ---- */

/* The timeout of FUTEX_WAIT is relative (CLOCK_MONOTONIC); that of
 * FUTEX_WAIT_BITSET absolute, on CLOCK_MONOTONIC or, with
 * FUTEX_CLOCK_REALTIME, CLOCK_REALTIME. */
static long futex_deadline(const void *ts, int time64, int absolute, int realtime, uint64_t *deadline)
{
    int64_t sec, nsec;
    if (!ts) {
        *deadline = 0;
        return 0;
    }
    if (time64) {
        const int64_t *t = ts;
        sec = t[0];
        nsec = tc_nsec64(t[1]);
    } else {
        const int32_t *t = ts;
        sec = t[0];
        nsec = t[1];
    }
    int bad;
    if (absolute) {
        bad = tc_abs_deadline(sec, nsec, realtime ? libos_realtime_base_ns() : 0, libos_freq(),
                              deadline);
    } else {
        bad = tc_rel_deadline(libos_ticks(), sec, nsec, libos_freq(), deadline);
    }
    return bad ? -EINVAL : 0;
}

/* The fourth argument is the timeout of the waits (a struct timespec of
 * TIME64's layout, or NULL) and a count, val2, for the requeues; uaddr2 is
 * never read: the requeues wake their waiters instead of moving them. */
static long do_futex(int time64, volatile uint32_t *uaddr, int futex_op, uint32_t val,
                     const void *timeout, uint32_t val3)
{
    int cmd = futex_op & 127;
    int realtime = (futex_op & FUTEX_CLOCK_REALTIME) != 0;
    uint64_t deadline;
    long r;
    switch (cmd) {
    case FUTEX_WAIT_BITSET:
        if (val3 == 0)
            return -EINVAL;
        if (val3 != FUTEX_BITSET_MATCH_ANY) {
            log_once(2, "libos: futex bitsets other than MATCH_ANY are not supported (ENOSYS)\n");
            return -ENOSYS;
        }
        /* fall through */
    case FUTEX_WAIT:
        r = futex_deadline(timeout, time64, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
        if (r)
            return r;
        return fb_futex_wait(uaddr, val, deadline);
    case FUTEX_WAKE_BITSET:
        if (val3 == 0)
            return -EINVAL;
        if (val3 != FUTEX_BITSET_MATCH_ANY) {
            log_once(2, "libos: futex bitsets other than MATCH_ANY are not supported (ENOSYS)\n");
            return -ENOSYS;
        }
        /* fall through */
    case FUTEX_WAKE:
        return fb_futex_wake(uaddr, val > 0x7fffffffu ? 0x7fffffff : val);   /* negative: all */
    case FUTEX_CMP_REQUEUE:
        if (*uaddr != val3)
            return -EAGAIN;
        /* fall through */
    case FUTEX_REQUEUE: {
        /* No requeue in the kernel: wake the ones that would have moved
         * too.  A futex waiter must cope with early wake-ups, so this is
         * correct, if less thrifty. */
        uint32_t val2 = (uint32_t)(uintptr_t)timeout;
        uint32_t n = val + val2;
        if (val > 0x7fffffffu || val2 > 0x7fffffffu || n > 0x7fffffffu)
            n = 0x7fffffff;
        return fb_futex_wake(uaddr, n);
    }
    default:
        libos_log_num("futex op not supported (ENOSYS):", (unsigned long)cmd);
        return -ENOSYS;
    }
}

SYSCALL6(futex, volatile uint32_t *, uaddr, int, futex_op, uint32_t, val, const void *, timeout,
         volatile uint32_t *, uaddr2, uint32_t, val3)
{
    (void)uaddr2;
    return do_futex(0, uaddr, futex_op, val, timeout, val3);
}

SYSCALL6(futex_time64, volatile uint32_t *, uaddr, int, futex_op, uint32_t, val, const void *, timeout,
         volatile uint32_t *, uaddr2, uint32_t, val3)
{
    (void)uaddr2;
    return do_futex(1, uaddr, futex_op, val, timeout, val3);
}
