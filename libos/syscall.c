/*
 * syscall.c - __libos_syscall, the one entry point musl calls (our
 * replacement of its arch/arm/syscall_arch.h): dispatch on the Linux ARM
 * EABI call number to one function per call.  A number with no function
 * returns -ENOSYS and prints one console line the first time it is seen.
 *
 * The table is the list of what libos implements; docs/posix.md will say
 * how fully each is done.
 */
#include "libos.h"

SYSCALL(write); SYSCALL(writev); SYSCALL(ioctl);
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(set_tid_address); SYSCALL(gettid);
SYSCALL(clone); SYSCALL(futex); SYSCALL(futex_time64); SYSCALL(sched_yield);
SYSCALL(set_tls); SYSCALL(get_tls);
SYSCALL(getpid); SYSCALL(getppid); SYSCALL(getuid);
SYSCALL(rt_sigaction); SYSCALL(rt_sigprocmask); SYSCALL(tkill); SYSCALL(tgkill);
SYSCALL(sched_getaffinity); SYSCALL(set_robust_list);
SYSCALL(mmap2); SYSCALL(munmap); SYSCALL(mremap); SYSCALL(mprotect); SYSCALL(madvise);
SYSCALL(brk);
SYSCALL(clock_gettime64); SYSCALL(clock_gettime32); SYSCALL(gettimeofday32);
SYSCALL(clock_getres_time64); SYSCALL(clock_getres32);
SYSCALL(clock_nanosleep_time64); SYSCALL(clock_nanosleep32); SYSCALL(nanosleep);

#define NR_TABLE 452    /* Linux 6.x's last ARM EABI number is below this */

static const sys_fn table[NR_TABLE] = {
    [SYS_exit] = sys_exit,
    [SYS_write] = sys_write,
    [SYS_getpid] = sys_getpid,
    [SYS_brk] = sys_brk,
    [SYS_ioctl] = sys_ioctl,
    [SYS_getppid] = sys_getppid,
    [SYS_gettimeofday32_nr] = sys_gettimeofday32,
    [SYS_munmap] = sys_munmap,
    [SYS_clone] = sys_clone,
    [SYS_mprotect] = sys_mprotect,
    [SYS_writev] = sys_writev,
    [SYS_sched_yield] = sys_sched_yield,
    [SYS_nanosleep] = sys_nanosleep,
    [SYS_mremap] = sys_mremap,
    [SYS_rt_sigaction] = sys_rt_sigaction,
    [SYS_rt_sigprocmask] = sys_rt_sigprocmask,
    [SYS_mmap2] = sys_mmap2,
    [SYS_getuid32] = sys_getuid,
    [SYS_getgid32] = sys_getuid,
    [SYS_geteuid32] = sys_getuid,
    [SYS_getegid32] = sys_getuid,
    [SYS_madvise] = sys_madvise,
    [SYS_gettid] = sys_gettid,
    [SYS_tkill] = sys_tkill,
    [SYS_futex] = sys_futex,
    [SYS_sched_getaffinity] = sys_sched_getaffinity,
    [SYS_exit_group] = sys_exit_group,
    [SYS_set_tid_address] = sys_set_tid_address,
    [SYS_clock_gettime32_nr] = sys_clock_gettime32,
    [SYS_clock_getres32_nr] = sys_clock_getres32,
    [SYS_clock_nanosleep32_nr] = sys_clock_nanosleep32,
    [SYS_tgkill] = sys_tgkill,
    [SYS_set_robust_list] = sys_set_robust_list,
    [SYS_clock_gettime64] = sys_clock_gettime64,
    [SYS_clock_getres_time64] = sys_clock_getres_time64,
    [SYS_clock_nanosleep_time64] = sys_clock_nanosleep_time64,
    [SYS_futex_time64] = sys_futex_time64,
};

/* One bit per number already reported: the table's range, then the ARM
 * private numbers 0xf0000..0xf001f in one more word; others share a bit. */
static uint32_t reported[NR_TABLE / 32 + 3];

static long unknown(long n)
{
    uint32_t bit;
    if ((unsigned long)n < NR_TABLE)
        bit = (uint32_t)n;
    else if ((unsigned long)n - 0xf0000ul < 32)
        bit = NR_TABLE + 32 - NR_TABLE % 32 + (uint32_t)(n - 0xf0000);
    else
        bit = (NR_TABLE / 32 + 2) * 32;
    uint32_t m = 1u << (bit & 31);
    if (!(__atomic_fetch_or(&reported[bit >> 5], m, __ATOMIC_RELAXED) & m))
        libos_log_num("unimplemented system call (ENOSYS), number", (unsigned long)n);
    return -ENOSYS;
}

hidden long __libos_syscall(long n, long a, long b, long c, long d, long e, long f);

long __libos_syscall(long n, long a, long b, long c, long d, long e, long f)
{
    if ((unsigned long)n < NR_TABLE) {
        sys_fn fn = table[n];
        if (fn)
            return fn(a, b, c, d, e, f);
    } else if (n == ARM_NR_set_tls) {
        return sys_set_tls(a, b, c, d, e, f);
    } else if (n == ARM_NR_get_tls) {
        return sys_get_tls(a, b, c, d, e, f);
    }
    return unknown(n);
}
