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

SYSCALL0(getpid)
{
    return (long)libos_main_tid;
}

SYSCALL0(getppid)
{
    return 0;
}

SYSCALL0(getuid)     /* also geteuid, getgid, getegid (the *32 calls) */
{
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

SYSCALL4(rt_sigaction, int, signum, const struct k_sigaction *, act, struct k_sigaction *, oldact,
         size_t, sigsetsize)
{
    if (sigsetsize != 8 || signum < 1 || signum > NSIG_LINUX)
        return -EINVAL;
    if (act && (signum == SIGKILL || signum == SIGSTOP))
        return -EINVAL;
    libos_lock(&sig_lock);
    struct k_sigaction prev = actions[signum];
    if (act)
        actions[signum] = *act;
    libos_unlock(&sig_lock);
    if (oldact)
        *oldact = prev;
    return 0;
}

SYSCALL4(rt_sigprocmask, int, how, const uint64_t *, set, uint64_t *, oldset, size_t, sigsetsize)
{
    if (sigsetsize != 8)
        return -EINVAL;
    uint64_t *m = &masks[libos_slot(libos_tid())];
    uint64_t prev = *m;
    if (set) {
        uint64_t s;
        memcpy(&s, set, sizeof s);
        s &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
        switch (how) {
        case SIG_BLOCK:   *m = prev | s; break;
        case SIG_UNBLOCK: *m = prev & ~s; break;
        case SIG_SETMASK: *m = s; break;
        default: return -EINVAL;
        }
    }
    if (oldset)
        memcpy(oldset, &prev, sizeof prev);
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

SYSCALL2(tkill, pid_t, tid, int, sig)
{
    return send_signal(tid, sig);
}

SYSCALL3(tgkill, pid_t, tgid, pid_t, tid, int, sig)
{
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    if ((uint32_t)tgid != libos_main_tid)
        return -ESRCH;
    return send_signal(tid, sig);
}

SYSCALL2(kill, pid_t, pid, int, sig)
{
    if (sig < 0 || sig > NSIG_LINUX)
        return -EINVAL;
    /* This process: its pid, 0 (its group), -pid (its group: it leads one).
     * -1 means every process but the caller: there is none. */
    if (pid == 0 || pid == (long)libos_main_tid || pid == -(long)libos_main_tid)
        return send_signal((long)libos_main_tid, sig);
    return -ESRCH;
}

/* sigaltstack: the ARM stack_t, one per thread (by slot).  A new thread
 * starts without one, as on Linux, and with its creator's signal mask:
 * libos_sig_thread_start sets both before the thread runs, so a thread that
 * reuses a slot never sees its predecessor's. */
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

void libos_sig_thread_start(uint32_t slot)
{
    altstacks[slot] = (struct k_stack){ 0, 0, 0 };
    masks[slot] = masks[libos_slot(libos_tid())];
}

SYSCALL2(sigaltstack, const struct k_stack *, ss, struct k_stack *, old_ss)
{
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
    if (old_ss)
        memcpy(old_ss, &prev, sizeof prev);
    return 0;
}

/* ---- processes: there is one ---- */

SYSCALL0(no_process)     /* fork, vfork, execve, wait4, waitid */
{
    return -ENOSYS;
}

SYSCALL0(socketpair)
{
    return -EAFNOSUPPORT;   /* no sockets yet */
}

/* ---- scheduling facts ---- */

/* One CPU, whatever pid names; Linux returns the size of its cpumask (musl
 * zeroes the rest). */
SYSCALL3(sched_getaffinity, pid_t, pid, long, cpusetsize, unsigned char *, mask)
{
    (void)pid;
    if (cpusetsize < 4)
        return -EINVAL;
    mask[0] = 1;
    mask[1] = mask[2] = mask[3] = 0;
    return 4;
}

SYSCALL0(set_robust_list)
{
    return 0;   /* recorded by nobody: robust mutexes of dead threads are not recovered */
}

/* prctl: the thread-name calls erts makes for each of its threads
 * (PR_SET_NAME, PR_GET_NAME), kept per tid; anything else is EINVAL, as Linux
 * answers an option it does not know. */
#define LINUX_PR_SET_NAME 15
#define LINUX_PR_GET_NAME 16
static char thread_names[LIBOS_MAX_THREADS + 1][16];

/* The name calls take a char * as arg2; the others are not read. */
SYSCALL2(prctl, int, option, unsigned long, arg2)
{
    uint32_t slot = libos_slot(libos_tid());
    char *name = slot ? thread_names[slot] : NULL;
    switch (option) {
    case LINUX_PR_SET_NAME:
        if (!arg2)
            return -EFAULT;
        if (name) {
            strncpy(name, (const char *)arg2, 15);
            name[15] = 0;
        }
        return 0;
    case LINUX_PR_GET_NAME:
        if (!arg2)
            return -EFAULT;
        memcpy((char *)arg2, name ? name : "", 16);
        return 0;
    default:
        return -EINVAL;
    }
}
