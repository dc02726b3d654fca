/*
 * sys_proc.c - identity and signals.
 *
 * One process: the pid is the main thread's tid (as on Linux), the parent
 * is 0, every uid and gid is 0.  Signal dispositions and masks are
 * recorded, never acted on: libos delivers no asynchronous signal.  A
 * signal sent with tkill/tgkill whose action is to terminate the process
 * (abort()'s SIGABRT, for one) ends it with status 128 + signal, after one
 * console line; a signal whose default is to be ignored, or which is
 * ignored, is dropped; one with a handler is dropped with a line the first
 * time (delivery is not implemented yet).  kill on this process (its pid,
 * 0, or its process group) is tkill of the main thread; any other pid is
 * -ESRCH.  sigaltstack is recorded per thread and reported back, never
 * used.
 *
 * Processes: there is one.  fork, vfork (musl makes it fork), execve,
 * wait4 and waitid return -ENOSYS silently: they are expected refusals,
 * listed in docs/posix.md, and erts's forker never gets that far (below).
 * socketpair returns -EAFNOSUPPORT until sockets exist; erts's forker
 * (forker_start) dies at boot on that, so erts needs its small forker
 * patch (docs/internals.md note 11).
 */
#include "libos.h"
#include "ext4_fs.h"
#include <signal.h>
#include <string.h>
#include <freebeam/kcall.h>

uint32_t libos_main_tid;
uint32_t libos_prio;

SYSCALL(getpid)
{
    UNUSED_ARGS();
    return (long)libos_main_tid;
}

SYSCALL(getppid)
{
    UNUSED_ARGS();
    return 0;
}

SYSCALL(getuid)     /* also geteuid, getgid, getegid (the *32 calls) */
{
    UNUSED_ARGS();
    return 0;
}

/* ---- signals ---- */

#define NSIG_LINUX 64

/* The kernel's struct sigaction on ARM EABI. */
struct k_sigaction {
    uintptr_t handler;
    unsigned long flags;
    uintptr_t restorer;
    uint32_t mask[2];
};

static struct k_sigaction actions[NSIG_LINUX + 1];
static uint64_t masks[LIBOS_MAX_THREADS + 1];    /* by libos_slot */
static struct libos_lock sig_lock;

SYSCALL(rt_sigaction)
{
    UNUSED_ARGS();
    long sig = a;
    const struct k_sigaction *act = (const struct k_sigaction *)b;
    struct k_sigaction *old = (struct k_sigaction *)c;
    if (d != 8 || sig < 1 || sig > NSIG_LINUX)
        return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    libos_lock(&sig_lock);
    struct k_sigaction prev = actions[sig];
    if (act)
        actions[sig] = *act;
    libos_unlock(&sig_lock);
    if (old)
        *old = prev;
    return 0;
}

SYSCALL(rt_sigprocmask)
{
    UNUSED_ARGS();
    const uint64_t *set = (const uint64_t *)b;
    uint64_t *old = (uint64_t *)c;
    if (d != 8)
        return -EINVAL;
    uint64_t *m = &masks[libos_slot(libos_tid())];
    uint64_t prev = *m;
    if (set) {
        uint64_t s;
        memcpy(&s, set, sizeof s);
        s &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
        switch (a) {
        case SIG_BLOCK:   *m = prev | s; break;
        case SIG_UNBLOCK: *m = prev & ~s; break;
        case SIG_SETMASK: *m = s; break;
        default: return -EINVAL;
        }
    }
    if (old)
        memcpy(old, &prev, sizeof prev);
    return 0;
}

#define SIGCANCEL_LINUX 33   /* musl's SIGCANCEL (src/internal/pthread_impl.h) */

static int default_ignored(long sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static long send_signal(long tid, long sig)
{
    if (sig < 0 || sig > NSIG_LINUX || tid <= 0)
        return -EINVAL;
    if (sig == 0)
        return 0;
    /* musl's pthread_cancel: interrupt the thread's blocking call (it then
     * returns -EINTR and musl acts on the cancel flag) */
    if (sig == SIGCANCEL_LINUX)
        return fb_thread_interrupt((uint32_t)tid) == 0 ? 0 : -ESRCH;
    uintptr_t h = actions[sig].handler;
    if (h == (uintptr_t)SIG_IGN || (h == (uintptr_t)SIG_DFL && default_ignored(sig)))
        return 0;
    if (h == (uintptr_t)SIG_DFL || sig == SIGKILL) {
        libos_log_num("terminated by signal", (unsigned long)sig);
        ext4_unmount();     /* what /data holds written back and marked clean, as at exit */
        libos_die(128 + (int)sig);
    }
    static uint64_t logged;
    if (!(__atomic_fetch_or(&logged, 1ull << (sig - 1), __ATOMIC_RELAXED) & (1ull << (sig - 1))))
        libos_log_num("signal has a handler but is not delivered (dropped):", (unsigned long)sig);
    return 0;
}

SYSCALL(tkill)
{
    UNUSED_ARGS();
    return send_signal(a, b);
}

SYSCALL(tgkill)
{
    UNUSED_ARGS();
    if (a <= 0 || b <= 0)
        return -EINVAL;
    if ((uint32_t)a != libos_main_tid)
        return -ESRCH;
    return send_signal(b, c);
}

SYSCALL(kill)
{
    UNUSED_ARGS();
    long pid = a, sig = b;
    if (sig < 0 || sig > NSIG_LINUX)
        return -EINVAL;
    /* This process: its pid, 0 (its group), -pid (its group: it leads one).
     * -1 means every process but the caller: there is none. */
    if (pid == 0 || pid == (long)libos_main_tid || pid == -(long)libos_main_tid)
        return send_signal((long)libos_main_tid, sig);
    return -ESRCH;
}

/* sigaltstack: the ARM stack_t, one per thread (by tid).  Linux clears it
 * for a new thread; here a thread that reuses a tid sees its predecessor's
 * until libos_sig_thread_reset(tid) is called at thread creation. */
struct k_stack {
    uintptr_t sp;
    int32_t flags;
    uint32_t size;
};

#define LINUX_SS_ONSTACK    1
#define LINUX_SS_DISABLE    2
#define LINUX_SS_AUTODISARM (1u << 31)
#define LINUX_MINSIGSTKSZ   2048

static struct k_stack altstacks[LIBOS_MAX_THREADS + 1];

hidden void libos_sig_thread_reset(uint32_t tid);

void libos_sig_thread_reset(uint32_t tid)
{
    uint32_t slot = libos_slot(tid);
    if (slot) {
        altstacks[slot] = (struct k_stack){ 0, 0, 0 };
        masks[slot] = 0;
    }
}

SYSCALL(sigaltstack)
{
    UNUSED_ARGS();
    const struct k_stack *ss = (const struct k_stack *)a;
    struct k_stack *old = (struct k_stack *)b;
    struct k_stack *mine = &altstacks[libos_slot(libos_tid())];
    struct k_stack prev = *mine;
    if (prev.size == 0)
        prev = (struct k_stack){ 0, LINUX_SS_DISABLE, 0 };
    if (ss) {
        struct k_stack n;
        memcpy(&n, ss, sizeof n);
        uint32_t mode = (uint32_t)n.flags & ~LINUX_SS_AUTODISARM;
        if (mode != 0 && mode != LINUX_SS_ONSTACK && mode != LINUX_SS_DISABLE)
            return -EINVAL;
        if (mode == LINUX_SS_DISABLE) {
            *mine = (struct k_stack){ 0, 0, 0 };
        } else {
            if (n.size < LINUX_MINSIGSTKSZ)
                return -ENOMEM;
            *mine = (struct k_stack){ n.sp, (int32_t)((uint32_t)n.flags & LINUX_SS_AUTODISARM), n.size };
        }
    }
    if (old)
        memcpy(old, &prev, sizeof prev);
    return 0;
}

/* ---- processes: there is one ---- */

SYSCALL(no_process)     /* fork, vfork, execve, wait4, waitid */
{
    UNUSED_ARGS();
    return -ENOSYS;
}

SYSCALL(socketpair)
{
    UNUSED_ARGS();
    return -EAFNOSUPPORT;   /* no sockets yet */
}

/* ---- scheduling facts ---- */

SYSCALL(sched_getaffinity)
{
    UNUSED_ARGS();
    /* One CPU; Linux returns the size of its cpumask (musl zeroes the rest). */
    if (b < 4)
        return -EINVAL;
    unsigned char *set = (unsigned char *)c;
    set[0] = 1;
    set[1] = set[2] = set[3] = 0;
    return 4;
}

SYSCALL(set_robust_list)
{
    UNUSED_ARGS();
    return 0;   /* recorded by nobody: robust mutexes of dead threads are not recovered */
}

/* prctl: the thread-name calls erts makes for each of its threads
 * (PR_SET_NAME, PR_GET_NAME), kept per tid; anything else is EINVAL, as Linux
 * answers an option it does not know. */
#define LINUX_PR_SET_NAME 15
#define LINUX_PR_GET_NAME 16
static char thread_names[LIBOS_MAX_THREADS + 1][16];

SYSCALL(prctl)
{
    UNUSED_ARGS();
    uint32_t slot = libos_slot(libos_tid());
    char *name = slot ? thread_names[slot] : NULL;
    switch (a) {
    case LINUX_PR_SET_NAME:
        if (!b)
            return -EFAULT;
        if (name) {
            strncpy(name, (const char *)b, 15);
            name[15] = 0;
        }
        return 0;
    case LINUX_PR_GET_NAME:
        if (!b)
            return -EFAULT;
        memcpy((char *)b, name ? name : "", 16);
        return 0;
    default:
        return -EINVAL;
    }
}
