/*
 * sys_ident.c - identity and limits: uname, getrlimit (ugetrlimit),
 * setrlimit, prlimit64, sysinfo, getrandom, getcpu; and what libos knows
 * of the PD's memory (the main stack, the ranges a system call may copy to
 * or from: libos_user_ok).
 *
 * uname: sysname "Linux" and a release of 6.1 (erts parses it and picks
 * its clock source from it: docs/internals.md note 13), machine "armv7l",
 * and a fully qualified nodename (so that erts never spawns inet_gethost:
 * item 12), from nodename() below, the one place that knows where the name
 * comes from.
 *
 * Limits: RLIMIT_NOFILE is 1024 = LIBOS_MAX_FDS (erts sizes its port and
 * poll tables from it: item 17) and cannot be raised; RLIMIT_STACK is the
 * main thread's stack as the image made it, fixed; the others are what a
 * Debian system reports (mostly RLIM_INFINITY).  setrlimit/prlimit64 record
 * new values within those ceilings; nothing else enforces them.
 *
 * getrandom: from libos's ChaCha20 CSPRNG, seeded from the entropy driver
 * PD when the image has one (entropy.c says what happens without).
 */
#include "libos.h"
#include "file.h"
#include <elf.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <freebeam/sysimage.h>
#include <freebeam/kcall.h>
#include "timeconv.h"
#include "entropy.h"

/* ---- the PD's memory ---- */

extern const Elf32_Ehdr __ehdr_start;               /* start of the program's image */
extern char _end[];                                  /* end of .bss */
extern char __libos_heap_start[], __libos_heap_end[];
extern void (*const __preinit_array_start[])(void);  /* the first writable bytes after TLS */

/* Can the PD read the word at page-aligned a?  A futex wait that cannot
 * sleep (deadline 1 has passed) answers -EFAULT only for memory the PD
 * cannot read. */
static bool page_readable(uintptr_t a)
{
    return fb_futex_wait((volatile void *)a, 0, 1) != -EFAULT;
}

/* The main thread's stack: [FB_STACK_TOP - size, FB_STACK_TOP), a guard
 * page below it and nothing else mapped within FB_STACK_RESERVE
 * (sysimage.h).  Found once by a binary search over pages: about 12 kernel
 * calls.  The PD info page will say it directly. */
static uint32_t main_stack_bytes(void)
{
    static uint32_t cached;
    uint32_t c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c)
        return c;
    uint32_t lo = 1, hi = FB_STACK_RESERVE / FB_PAGE - 1;   /* pages; the top one is in use */
    while (lo < hi) {
        uint32_t mid = (lo + hi + 1) / 2;
        if (page_readable(FB_STACK_TOP - mid * FB_PAGE))
            lo = mid;
        else
            hi = mid - 1;
    }
    c = lo * FB_PAGE;
    __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    return c;
}

static inline bool inside(uintptr_t a, uintptr_t end, uintptr_t lo, uintptr_t hi)
{
    return a >= lo && end <= hi;
}

/* May a system call read [p, p+len) (write = 0), or write it (write = 1)?
 * The program's image, the heap region and the main stack are known;
 * anything else (a region the image maps elsewhere) is probed page by
 * page, which checks readability only. */
bool libos_user_ok(const void *p, size_t len, int write)
{
    uintptr_t a = (uintptr_t)p, end = a + len;
    if (len == 0)
        return true;
    if (end < a || a < FB_USER_BASE || end > FB_USER_TOP)
        return false;
    int heap = libos_mm_access(a, end, write);
    if (heap >= 0)
        return heap == 1;
    uintptr_t image = write ? (uintptr_t)__preinit_array_start : (uintptr_t)&__ehdr_start;
    if (inside(a, end, image, (uintptr_t)_end))
        return true;
    if (inside(a, end, FB_STACK_TOP - main_stack_bytes(), FB_STACK_TOP))
        return true;
    for (uintptr_t pg = a & ~(uintptr_t)(FB_PAGE - 1); pg < end; pg += FB_PAGE)
        if (!page_readable(pg))
            return false;
    return true;
}

/* ---- uname ---- */

/* The host's name: the one place that knows where it comes from: the
 * description's environment (FREEBEAM_NODENAME, a fully qualified name),
 * else freebeam.local. */
static const char *nodename(void)
{
    const char *n = libos_boot_env("FREEBEAM_NODENAME");
    return n && *n ? n : "freebeam.local";
}

static void set_field(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n > 64)
        n = 64;
    memset(dst, 0, 65);
    memcpy(dst, src, n);
}

SYSCALL1(uname, struct utsname *, buf)
{
    if (!libos_user_ok(buf, sizeof *buf, 1))
        return -EFAULT;
    set_field(buf->sysname, "Linux");
    set_field(buf->nodename, nodename());
    set_field(buf->release, "6.1.0-freebeam");
    set_field(buf->version, "#1 SMP freebeam libos");
    set_field(buf->machine, "armv7l");
    set_field(buf->domainname, "(none)");
    return 0;
}

/* ---- limits ---- */

#define INF64 UINT64_MAX                 /* RLIM64_INFINITY */

struct lim {
    uint64_t cur, max;
};

static struct lim limits[RLIMIT_NLIMITS];
static bool limits_ready;
static struct libos_lock limits_lock;

/* The caller holds limits_lock. */
static void limits_init_locked(void)
{
    if (limits_ready)
        return;
    for (int i = 0; i < RLIMIT_NLIMITS; i++)
        limits[i] = (struct lim){ INF64, INF64 };
    uint64_t stack = main_stack_bytes();
    limits[RLIMIT_STACK] = (struct lim){ stack, stack };
    limits[RLIMIT_CORE] = (struct lim){ 0, INF64 };
    limits[RLIMIT_NOFILE] = (struct lim){ LIBOS_MAX_FDS, LIBOS_MAX_FDS };
    limits[RLIMIT_MEMLOCK] = (struct lim){ 8u << 20, 8u << 20 };
    limits[RLIMIT_SIGPENDING] = (struct lim){ 1024, 1024 };
    limits[RLIMIT_MSGQUEUE] = (struct lim){ 819200, 819200 };
    limits[RLIMIT_NICE] = (struct lim){ 0, 0 };
    limits[RLIMIT_RTPRIO] = (struct lim){ 0, 0 };
    limits_ready = true;
}

/* A hard limit nobody can raise: what libos really has. */
static uint64_t ceiling(int res)
{
    switch (res) {
    case RLIMIT_NOFILE: return LIBOS_MAX_FDS;
    case RLIMIT_STACK:  return main_stack_bytes();
    default:            return INF64;
    }
}

static long do_prlimit(long pid, long res, const struct lim *newl, struct lim *oldl)
{
    if (pid != 0 && (uint32_t)pid != libos_main_tid && (uint32_t)pid != libos_tid())
        return -ESRCH;
    if (res < 0 || res >= RLIMIT_NLIMITS)
        return -EINVAL;
    if (newl) {
        if (newl->cur > newl->max)
            return -EINVAL;
        if (newl->max > ceiling((int)res))
            return -EPERM;
    }
    libos_lock(&limits_lock);
    limits_init_locked();
    struct lim prev = limits[res];
    if (newl)
        limits[res] = *newl;
    libos_unlock(&limits_lock);
    if (oldl)
        *oldl = prev;
    return 0;
}

/* new_limit and old_limit: struct rlimit64 {cur, max} (struct lim). */
SYSCALL4(prlimit64, pid_t, pid, int, resource, const struct lim *, new_limit, struct lim *, old_limit)
{
    struct lim n;
    if (new_limit) {
        if (!libos_user_ok(new_limit, sizeof *new_limit, 0))
            return -EFAULT;
        memcpy(&n, new_limit, sizeof n);
    }
    if (old_limit && !libos_user_ok(old_limit, sizeof *old_limit, 1))
        return -EFAULT;
    struct lim o;
    long r = do_prlimit(pid, resource, new_limit ? &n : NULL, &o);
    if (r == 0 && old_limit)
        memcpy(old_limit, &o, sizeof o);
    return r;
}

/* The old 32-bit calls: rlim is struct rlimit {cur, max} of 32-bit words,
 * and RLIM_INFINITY is ~0UL there. */
SYSCALL2(ugetrlimit, int, resource, uint32_t *, rlim)
{
    if (!libos_user_ok(rlim, 2 * sizeof *rlim, 1))
        return -EFAULT;
    struct lim o;
    long r = do_prlimit(0, resource, NULL, &o);
    if (r)
        return r;
    rlim[0] = o.cur >= UINT32_MAX ? UINT32_MAX : (uint32_t)o.cur;
    rlim[1] = o.max >= UINT32_MAX ? UINT32_MAX : (uint32_t)o.max;
    return 0;
}

SYSCALL2(setrlimit, int, resource, const uint32_t *, rlim)
{
    if (!libos_user_ok(rlim, 2 * sizeof *rlim, 0))
        return -EFAULT;
    struct lim n = { rlim[0] == UINT32_MAX ? INF64 : rlim[0],
                     rlim[1] == UINT32_MAX ? INF64 : rlim[1] };
    return do_prlimit(0, resource, &n, NULL);
}

/* ---- sysinfo ---- */

/* The kernel's struct sysinfo on 32-bit ARM (musl's is longer: its tail
 * is reserved and left alone). */
struct k_sysinfo {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char reserved[8];
};
_Static_assert(sizeof(struct k_sysinfo) == 64, "Linux's 32-bit struct sysinfo");

SYSCALL1(sysinfo, struct k_sysinfo *, info)
{
    if (!libos_user_ok(info, sizeof *info, 1))
        return -EFAULT;
    struct k_sysinfo s;
    memset(&s, 0, sizeof s);
    uint64_t ns = libos_ticks_to_ns(libos_ticks());
    s.uptime = (int32_t)(ns / TC_NS_PER_S + (ns % TC_NS_PER_S != 0));   /* rounded up, as Linux */
    s.totalram = (uint32_t)libos_mm_total_bytes();
    s.freeram = (uint32_t)libos_mm_free_bytes();
    s.procs = 1;
    s.mem_unit = 1;
    memcpy(info, &s, sizeof s);
    return 0;
}

/* ---- getrandom: the CSPRNG of entropy.c ---- */

SYSCALL3(getrandom, void *, buf, size_t, buflen, unsigned int, flags)
{
    if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return -EINVAL;
    if (buflen > 0x1ffffffu)
        buflen = 0x1ffffffu;            /* Linux gives at most 32 MiB - 1 a call */
    if (!libos_user_ok(buf, buflen, 1))
        return -EFAULT;
    return libos_random_fill(buf, buflen, (flags & GRND_NONBLOCK) != 0, (flags & GRND_INSECURE) != 0);
}

/* The third argument (tcache) is unused since Linux 2.6.24. */
SYSCALL2(getcpu, unsigned int *, cpu, unsigned int *, node)
{
    if ((cpu && !libos_user_ok(cpu, sizeof *cpu, 1)) || (node && !libos_user_ok(node, sizeof *node, 1)))
        return -EFAULT;
    if (cpu)
        *cpu = 0;
    if (node)
        *node = 0;
    return 0;
}
