/*
 * loop.c - the event loop every libfbpd PD runs after init(), and the weak
 * default callbacks (they say which event the PD did not expect).
 *
 * Kept in one file on purpose: start.S pulls this object out of libfbpd.a,
 * and with it the weak defaults, which a PD's own strong definitions
 * override at link time.
 */
#include <freebeam/fbpd.h>

void fb__main(uint32_t pd_index) __attribute__((noreturn));

__attribute__((weak)) void notified(unsigned ch)
{
    fb_printf("pd %u: notification on channel %u not handled\n", fb_pd_self(), ch);
}

__attribute__((weak)) struct fb_msg protected(unsigned ch, struct fb_msg msg)
{
    fb_printf("pd %u: ppcall (label %u) on channel %u not handled\n", fb_pd_self(),
              msg.label, ch);
    struct fb_msg r = { (uint32_t)-FB_ENOSYS, { 0, 0, 0, 0 } };
    return r;
}

__attribute__((weak)) void fault(unsigned pd, const struct fb_fault *f)
{
    fb_printf("pd %u: fault of pd %u (kind %u, addr %p, pc %p) not handled\n", fb_pd_self(),
              pd, f->kind, (void *)f->addr, (void *)f->pc);
}

void fb__main(uint32_t pd_index)
{
    (void)pd_index;
    init();
    struct fb_event ev = fb_wait(0);
    for (;;) {
        switch (ev.kind) {
        case FB_EV_NOTIFY: {
            uint64_t mask = ev.w[0] | ((uint64_t)ev.w[1] << 32);
            for (unsigned ch = 0; mask != 0; ch++, mask >>= 1)
                if (mask & 1)
                    notified(ch);
            ev = fb_wait(0);
            break;
        }
        case FB_EV_PPCALL: {
            struct fb_msg m = { ev.w[1], { ev.w[2], ev.w[3], ev.w[4], ev.w[5] } };
            struct fb_msg r = protected(ev.w[0], m);
            ev = fb_reply_wait(r, 0);
            break;
        }
        case FB_EV_FAULT: {
            struct fb_fault f = { ev.w[0], ev.w[1], ev.w[2], ev.w[3], ev.w[4], ev.w[5] };
            fault(f.pd, &f);
            ev = fb_wait(0);
            break;
        }
        case FB_EV_TIMEOUT:
            ev = fb_wait(0);
            break;
        default:
            fb_printf("pd %u: unexpected event kind %d from RECV\n", fb_pd_self(), (int)ev.kind);
            fb_yield();
            ev = fb_wait(0);
            break;
        }
    }
}
