/*
 * freebeam replacement for musl's src/thread/arm/__unmapself.s.
 *
 * Why: a detached thread frees its own stack and exits.  The original
 * traps (munmap, then exit) without touching the stack in between; the
 * generic C version borrows a 256-byte static stack, too small for a
 * library OS call.  With function-call syscalls the unmap code runs on the
 * very stack it frees, so the library OS does it: __libos_unmapself
 * (libos/sys_thread.c) releases the pages under its memory lock and lets
 * the kernel drop that lock only once the thread is off the stack.
 */
#include "pthread_impl.h"

hidden _Noreturn void __libos_unmapself(void *base, size_t size);

void __unmapself(void *base, size_t size)
{
	__libos_unmapself(base, size);
}
