/*
 * freebeam replacement for musl's arch/arm/syscall_arch.h.
 *
 * Why: musl's original enters the Linux kernel with `svc 0` (number in r7).
 * freebeam has no Linux kernel underneath: every system call becomes a plain
 * function call into the library OS, which implements the Linux ARM EABI
 * call numbers with Linux semantics (libos/syscall.c).  No trap per POSIX
 * call.  The results keep the Linux convention: a value in [-4095, -1] is
 * -errno, and musl's __syscall_ret turns it into errno as usual.
 *
 * Kept from the original: how 64-bit arguments are split into register
 * pairs.  The ARM EABI puts a 64-bit argument in an even/odd register pair,
 * so calls like pread64 and ftruncate64 insert a padding word
 * (__SYSCALL_LL_O), and fadvise takes its 6-argument form.  libos decodes
 * every call with exactly that layout.
 */
#define __SYSCALL_LL_E(x) \
((union { long long ll; long l[2]; }){ .ll = x }).l[0], \
((union { long long ll; long l[2]; }){ .ll = x }).l[1]
#define __SYSCALL_LL_O(x) 0, __SYSCALL_LL_E((x))

/* The one entry point of the library OS (libos/syscall.c). */
hidden long __libos_syscall(long n, long a, long b, long c, long d, long e, long f);

static inline long __syscall0(long n)
{
	return __libos_syscall(n, 0, 0, 0, 0, 0, 0);
}

static inline long __syscall1(long n, long a)
{
	return __libos_syscall(n, a, 0, 0, 0, 0, 0);
}

static inline long __syscall2(long n, long a, long b)
{
	return __libos_syscall(n, a, b, 0, 0, 0, 0);
}

static inline long __syscall3(long n, long a, long b, long c)
{
	return __libos_syscall(n, a, b, c, 0, 0, 0);
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	return __libos_syscall(n, a, b, c, d, 0, 0);
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	return __libos_syscall(n, a, b, c, d, e, 0);
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	return __libos_syscall(n, a, b, c, d, e, f);
}

#define SYSCALL_FADVISE_6_ARG

#define SYSCALL_IPC_BROKEN_MODE
