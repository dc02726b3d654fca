/*
 * sys.c - one thin C wrapper per system call of kapi.h (see svc.h for how
 * the kernel is entered).  No policy here: errors come back as the kernel
 * gives them, negative errno values.
 */
#include <freebeam/fbpd.h>
#include "svc.h"

void fb__thread_tramp(void);

#define LO(x) ((uint32_t)(x))
#define HI(x) ((uint32_t)((uint64_t)(x) >> 32))

int fb_notify(unsigned ch)
{
    return (int)fb__sys4(FB_SYS_NOTIFY, ch, 0, 0, 0);
}

struct fb_msg fb_ppcall(unsigned ch, struct fb_msg msg)
{
    struct fb_kregs io = { { ch, msg.label, msg.mr[0], msg.mr[1], msg.mr[2], msg.mr[3], 0 } };
    fb_ksvc(FB_SYS_PPCALL, &io);
    struct fb_msg r = { io.r[0], { io.r[1], io.r[2], io.r[3], io.r[4] } };
    return r;
}

int fb_irq_ack(unsigned ch)
{
    return (int)fb__sys4(FB_SYS_IRQ_ACK, ch, 0, 0, 0);
}

static struct fb_event to_event(const struct fb_kregs *io)
{
    struct fb_event ev = { io->r[0], { io->r[1], io->r[2], io->r[3], io->r[4], io->r[5], io->r[6] } };
    return ev;
}

struct fb_event fb_wait(uint64_t deadline)
{
    struct fb_kregs io = { { LO(deadline), HI(deadline), 0, 0, 0, 0, 0 } };
    fb_ksvc(FB_SYS_RECV, &io);
    return to_event(&io);
}

struct fb_event fb_reply_wait(struct fb_msg reply, uint64_t deadline)
{
    struct fb_kregs io = { { reply.label, reply.mr[0], reply.mr[1], reply.mr[2], reply.mr[3],
                            LO(deadline), HI(deadline) } };
    fb_ksvc(FB_SYS_REPLY_RECV, &io);
    return to_event(&io);
}

int fb_pd_restart(unsigned pd)
{
    return (int)fb__sys4(FB_SYS_PD_RESTART, pd, 0, 0, 0);
}

int fb_pd_stop(unsigned pd)
{
    return (int)fb__sys4(FB_SYS_PD_STOP, pd, 0, 0, 0);
}

int fb_protect(void *addr, size_t len, unsigned perms)
{
    return (int)fb__sys4(FB_SYS_PROTECT, (uint32_t)(uintptr_t)addr, (uint32_t)len, perms, 0);
}

unsigned fb_pd_self(void)
{
    return fb__sys4(FB_SYS_PD_SELF, 0, 0, 0, 0);
}

void fb_poweroff(int status)
{
    fb__sys4(FB_SYS_POWEROFF, (uint32_t)status, 0, 0, 0);
}

void fb_pd_exit(int status)
{
    fb__sys4(FB_SYS_PD_EXIT, (uint32_t)status, 0, 0, 0);
    for (;;)
        ;   /* not reached: the kernel stopped this PD */
}

int fb_thread_create(void (*fn)(void *), void *arg, void *stack_top, uintptr_t tls, unsigned prio)
{
    uint32_t *sp = (uint32_t *)((uintptr_t)stack_top & ~(uintptr_t)7);
    sp -= 2;
    sp[0] = (uint32_t)(uintptr_t)fn;
    sp[1] = (uint32_t)(uintptr_t)arg;
    struct fb_kregs io = { { (uint32_t)(uintptr_t)fb__thread_tramp, (uint32_t)(uintptr_t)sp,
                            (uint32_t)(uintptr_t)arg, tls, prio, 0, 0 } };
    fb_ksvc(FB_SYS_THREAD_CREATE, &io);
    return (int)io.r[0];
}

void fb_thread_exit(volatile uint32_t *clear_addr)
{
    fb__sys4(FB_SYS_THREAD_EXIT, (uint32_t)(uintptr_t)clear_addr, 0, 0, 0);
    for (;;)
        __builtin_trap();
}

int fb_thread_self(void)
{
    return (int)fb__sys4(FB_SYS_THREAD_SELF, 0, 0, 0, 0);
}

int fb_thread_set_prio(int tid, unsigned prio)
{
    return (int)fb__sys4(FB_SYS_THREAD_SET_PRIO, (uint32_t)tid, prio, 0, 0);
}

void fb_yield(void)
{
    fb__sys4(FB_SYS_YIELD, 0, 0, 0, 0);
}

int fb_set_tls(uintptr_t value)
{
    return (int)fb__sys4(FB_SYS_SET_TLS, value, 0, 0, 0);
}

int fb_futex_wait(volatile uint32_t *addr, uint32_t expected, uint64_t deadline)
{
    return (int)fb__sys4(FB_SYS_FUTEX_WAIT, (uint32_t)(uintptr_t)addr, expected, LO(deadline),
                         HI(deadline));
}

int fb_futex_wake(volatile uint32_t *addr, unsigned max)
{
    return (int)fb__sys4(FB_SYS_FUTEX_WAKE, (uint32_t)(uintptr_t)addr, max, 0, 0);
}

void fb__debug_puts(const char *s, size_t len)
{
    fb__sys4(FB_SYS_DEBUG_PUTS, (uint32_t)(uintptr_t)s, len, 0, 0);
}
