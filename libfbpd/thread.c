/*
 * thread.c - threads whose function may return: fb_thread_create puts
 * {fn, arg} on the new stack and starts the thread at start.S's
 * fb__thread_tramp, which calls fn(arg) and then fb__thread_return.
 */
#include <freebeam/fbpd.h>

void fb__thread_tramp(void);
void fb__thread_return(void) __attribute__((noreturn));

/* Where a thread goes when its function returns (fb_thread_exit is an
 * inline of kcall.h: start.S cannot call it). */
void fb__thread_return(void)
{
    fb_thread_exit(NULL);
}

int fb_thread_create(void (*fn)(void *), void *arg, void *stack_top, uintptr_t tls, unsigned prio)
{
    uint32_t *sp = (uint32_t *)((uintptr_t)stack_top & ~(uintptr_t)7);
    sp -= 2;
    sp[0] = (uint32_t)(uintptr_t)fn;
    sp[1] = (uint32_t)(uintptr_t)arg;
    return fb_thread_start((uintptr_t)fb__thread_tramp, (uintptr_t)sp, (uintptr_t)arg, tls, prio);
}
