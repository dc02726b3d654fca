/*
 * freebeam replacement for musl's src/thread/arm/clone.s.
 *
 * Why: the original traps into Linux's clone, which returns twice (once
 * on the new stack).  Starting a thread in freebeam is a kernel call made
 * by the library OS, which knows the function to run: __libos_clone
 * (libos/sys_thread.c) creates the thread on `stack` with TLS `tls`, writes
 * the tid to *ptid before the child can run (CLONE_PARENT_SETTID), records
 * ctid for CLONE_CHILD_CLEARTID, and makes the child call func(arg) and
 * exit with its result.  Process-like clones (no CLONE_VM|CLONE_THREAD, as
 * from posix_spawn or faccessat) get -ENOSYS.
 */
#include <stdarg.h>
#include "pthread_impl.h"

hidden int __libos_clone(int (*func)(void *), void *stack, int flags, void *arg,
                         int *ptid, void *tls, int *ctid);

int __clone(int (*func)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	void *tls = va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);
	return __libos_clone(func, stack, flags, arg, ptid, tls, ctid);
}
