/*
 * events.c - the event thread: kernel notifications to libos (events.h).
 */
#include "libos.h"
#include "events.h"
#include "file.h"
#include <freebeam/kcall.h>
#include "native.h"

/* 16 KiB: handlers run lwIP's input path (net_eth.c), TCP and DHCP
 * included, which is deeper than the rings' handlers. */
#define EV_STACK 16384u

static libos_event_fn handlers[FB_MAX_CHANNELS];
static uint64_t self_waking;        /* channels whose handlers wake waiters themselves */
static uint64_t pending;
static bool any_handler;

int libos_events_on(unsigned ch, libos_event_fn fn)
{
    if (ch >= FB_MAX_CHANNELS)
        return -EINVAL;
    handlers[ch] = fn;
    any_handler = true;
    return 0;
}

void libos_events_self_waking(unsigned ch)
{
    if (ch < FB_MAX_CHANNELS)
        self_waking |= 1ull << ch;
}

void libos_events_want(void)
{
    any_handler = true;
}

bool libos_events_has(unsigned ch)
{
    return ch < FB_MAX_CHANNELS && handlers[ch];
}

uint64_t libos_events_take(uint64_t mask)
{
    return __atomic_fetch_and(&pending, ~mask, __ATOMIC_SEQ_CST) & mask;
}

static void run_handlers(uint64_t mask)
{
    uint64_t orphans = 0;
    for (unsigned ch = 0; ch < FB_MAX_CHANNELS && mask; ch++, mask >>= 1) {
        if (!(mask & 1))
            continue;
        if (handlers[ch])
            handlers[ch](ch);
        else
            orphans |= 1ull << ch;
    }
    if (orphans)
        __atomic_fetch_or(&pending, orphans, __ATOMIC_SEQ_CST);
}

static __attribute__((noreturn, used)) void event_loop(void *arg)
{
    (void)arg;
    libos_set_tid((uint32_t)fb_thread_self());
    /* Once at start: a handler arms its rings (asks for notifications). */
    uint64_t all = 0;
    for (unsigned ch = 0; ch < FB_MAX_CHANNELS; ch++)
        if (handlers[ch])
            all |= 1ull << ch;
    run_handlers(all);
    libos_file_changed();

    struct fb_event ev;
    bool reply = false;
    unsigned logged = 0;
    for (;;) {
        if (reply) {
            struct fb_msg enosys = { (uint32_t)-ENOSYS, { 0, 0, 0, 0 } };
            ev = fb_reply_wait(enosys, 0);
        } else {
            ev = fb_wait(0);
        }
        reply = false;
        int32_t kind = (int32_t)ev.kind;
        uint64_t mask;
        switch (kind) {
        case FB_EV_NOTIFY:
            mask = (uint64_t)ev.w[0] | (uint64_t)ev.w[1] << 32;
            run_handlers(mask);
            if (mask && !(mask & ~self_waking))
                continue;                /* the handlers woke whom they had to */
            break;
        case FB_EV_PPCALL:
            if (!(logged & 1)) {
                logged |= 1;
                libos_log_num("no ppcall server in a POSIX PD: answered -ENOSYS, channel", ev.w[0]);
            }
            reply = true;
            break;
        case FB_EV_FAULT:
            libos_pd_event(ev.w[0], ev.w[1], ev.w[2], ev.w[3], ev.w[4], ev.w[5]);
            break;
        case FB_EV_TIMEOUT:
        case -EINTR:
            break;
        default:
            libos_log_num("event thread: RECV failed; notifications stop, error", (unsigned long)-kind);
            fb_thread_exit(0);
        }
        libos_file_changed();
    }
}

int libos_helper_thread(void (*entry)(void *), uint32_t stack_bytes)
{
    uint8_t *stack = libos_pages_alloc(stack_bytes);
    if (!stack)
        return -ENOMEM;
    int32_t tid = fb_thread_start((uintptr_t)entry, (uintptr_t)(stack + stack_bytes), 0, 0, libos_prio);
    if (tid < 0)
        libos_pages_free(stack, stack_bytes);
    return tid < 0 ? tid : 0;
}

int libos_events_start(void)
{
    if (!any_handler)
        return 0;
    int r = libos_helper_thread(event_loop, EV_STACK);
    if (r)
        libos_log_num("cannot start the event thread, error", (unsigned long)-r);
    return r;
}
