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

#define NR_TABLE 452    /* Linux 6.x's last ARM EABI number is below this */

/* The table is assembled from one fragment per area (systab_*.inc), so that
 * areas can grow independently; the SYSCALL() declarations live there too. */
#define SYSTAB_DECLARE
#include "systab_all.inc"
#undef SYSTAB_DECLARE

static const sys_fn table[NR_TABLE] = {
#include "systab_all.inc"
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

/* n: the call's number; r0..r5: its argument registers, passed on as they
 * are (each sys_ function names and types the ones it reads). */
hidden long __libos_syscall(long n, long r0, long r1, long r2, long r3, long r4, long r5);

/* The calls that leave corked TCP data (net.h) to themselves: the ones
 * that may send on a socket, so that a burst of small writes leaves as few
 * segments, and the socket receives, whose own net_unlock sends it. */
static bool keeps_cork(long n)
{
    return n == SYS_write || n == SYS_writev || n == SYS_send || n == SYS_sendto || n == SYS_sendmsg ||
           n == SYS_sendmmsg || n == SYS_recvfrom || n == SYS_recvmsg;
}

long __libos_syscall(long n, long r0, long r1, long r2, long r3, long r4, long r5)
{
    if (libos_net_tx_corked && !keeps_cork(n))
        libos_net_tx_flush();
    if ((unsigned long)n < NR_TABLE) {
        sys_fn fn = table[n];
        if (fn)
            return fn(r0, r1, r2, r3, r4, r5);
    } else if (n == ARM_NR_set_tls) {
        return sys_set_tls(r0, r1, r2, r3, r4, r5);
    } else if (n == ARM_NR_get_tls) {
        return sys_get_tls(r0, r1, r2, r3, r4, r5);
    }
    return unknown(n);
}
