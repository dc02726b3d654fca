/*
 * sys_cputime.c - CPU time: the CPU-time clocks (process, thread, and the
 * per-process and per-thread clock ids of clock_getcpuclockid and
 * pthread_getcpuclockid), getrusage and times, from the time the kernel
 * charges to each thread and to the PD (FB_SYS_THREAD_CPU, FB_SYS_PD_CPU).
 *
 * The kernel does not tell time in user mode from time in the kernel: all
 * of it is user time, and system time is 0.  A PD has no child processes:
 * their figures are 0.  Resource counts other than the times are 0.
 */
#include "libos.h"
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <freebeam/kcall.h>

/* Linux's encoding of a CPU clock id (clock_getcpuclockid,
 * pthread_getcpuclockid): ~pid << 3, bit 2 set for a thread, the low two
 * bits the kind (0 PROF, 1 VIRT, 2 SCHED; 3 is invalid).  All kinds count
 * the same time here, since it is all user time. */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_KIND_MASK 3

bool libos_is_cpu_clock(long clk)
{
    return clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID || clk < 0;
}

/* The CPU time of a clock libos_is_cpu_clock accepts, in counter ticks:
 * 0, or -EINVAL when it names no thread of this PD or another process. */
int libos_cpu_clock_ticks(long clk, uint64_t *ticks)
{
    if (clk == CLOCK_PROCESS_CPUTIME_ID)
        return fb_pd_cpu(ticks);
    if (clk == CLOCK_THREAD_CPUTIME_ID)
        return fb_thread_cpu(0, ticks);
    if (clk >= 0 || (clk & CPUCLOCK_KIND_MASK) == CPUCLOCK_KIND_MASK)
        return -EINVAL;
    uint32_t id = (uint32_t)~(clk >> 3);        /* the pid or tid; 0 is the caller */
    if (clk & CPUCLOCK_PERTHREAD)
        return fb_thread_cpu(id, ticks) ? -EINVAL : 0;
    if (id != 0 && id != libos_main_tid)
        return -EINVAL;                         /* another process: there is none */
    return fb_pd_cpu(ticks);
}

/* Linux's 32-bit struct rusage, as SYS_getrusage writes it. */
struct k_rusage32 {
    int32_t utime_sec, utime_usec, stime_sec, stime_usec;
    int32_t counts[14];                         /* ru_maxrss .. ru_nivcsw */
};

SYSCALL2(getrusage, int, who, struct k_rusage32 *, usage)
{
    uint64_t ticks = 0;
    switch (who) {
    case RUSAGE_SELF:     fb_pd_cpu(&ticks); break;
    case RUSAGE_THREAD:   fb_thread_cpu(0, &ticks); break;
    case RUSAGE_CHILDREN: break;
    default:              return -EINVAL;
    }
    if (!libos_user_ok(usage, sizeof *usage, 1))
        return -EFAULT;
    uint64_t us = libos_ticks_to_ns(ticks) / 1000;
    memset(usage, 0, sizeof *usage);
    usage->utime_sec = (int32_t)(us / 1000000);
    usage->utime_usec = (int32_t)(us % 1000000);
    return 0;
}

/* times(): the PD's CPU time in clock ticks of 1/100 s (musl's
 * sysconf(_SC_CLK_TCK)), and the time since power-on in the same unit. */
#define LIBOS_CLK_TCK 100

struct k_tms32 {
    int32_t utime, stime, cutime, cstime;
};

SYSCALL1(times, struct k_tms32 *, buf)
{
    if (buf) {
        if (!libos_user_ok(buf, sizeof *buf, 1))
            return -EFAULT;
        uint64_t ticks;
        fb_pd_cpu(&ticks);
        memset(buf, 0, sizeof *buf);
        buf->utime = (int32_t)(libos_ticks_to_ns(ticks) / (1000000000u / LIBOS_CLK_TCK));
    }
    return (long)(libos_ticks_to_ns(libos_ticks()) / (1000000000u / LIBOS_CLK_TCK));
}
