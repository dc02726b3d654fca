/*
 * ping.c - the lower-priority side of pingpong: drives the notification
 * round trips from notified(), then makes the ppcalls, checks each reply
 * and pong's own counters, and powers off with 0 only if all was right.
 */
#include "pingpong.h"

static unsigned notes;

static void fail(const char *what, uint32_t a, uint32_t b)
{
    fb_printf("pingpong: FAIL %s (%u, expected %u)\n", what, a, b);
    fb_poweroff(1);
}

static void do_ppcalls(void)
{
    for (uint32_t seq = 0; seq < PP_ROUNDS; seq++) {
        struct fb_msg req = pp_request(seq);
        struct fb_msg want = pp_reply(req);
        struct fb_msg got = fb_ppcall(PP_CH, req);
        if (got.label != want.label)
            fail("ppcall reply label", got.label, want.label);
        for (unsigned i = 0; i < FB_MSG_WORDS; i++)
            if (got.mr[i] != want.mr[i])
                fail("ppcall reply word", got.mr[i], want.mr[i]);
    }
    fb_printf("pingpong: %u ppcalls checked\n", PP_ROUNDS);

    struct fb_msg rep = { PP_LABEL_REPORT, { 0, 0, 0, 0 } };
    rep = fb_ppcall(PP_CH, rep);
    if (rep.label != 0)
        fail("report label", rep.label, 0);
    if (rep.mr[0] != PP_ROUNDS)
        fail("pong's notification count", rep.mr[0], PP_ROUNDS);
    if (rep.mr[1] != PP_ROUNDS)
        fail("pong's ppcall count", rep.mr[1], PP_ROUNDS);
    if (rep.mr[2] != 0)
        fail("pong's error count", rep.mr[2], 0);
    fb_printf("pingpong: %u notifications, %u ppcalls, ok\n", notes, PP_ROUNDS);
    fb_poweroff(0);
    fail("poweroff returned", 0, 0);
}

void init(void)
{
    fb_printf("ping: pd %u starting %u notification round trips\n", fb_pd_self(), PP_ROUNDS);
    if (fb_notify(PP_CH) != 0)
        fail("notify", 1, 0);
}

void notified(unsigned ch)
{
    if (ch != PP_CH)
        fail("notification channel", ch, PP_CH);
    notes++;
    if (notes < PP_ROUNDS) {
        if (fb_notify(PP_CH) != 0)
            fail("notify", 1, 0);
        return;
    }
    fb_printf("pingpong: %u notification round trips done\n", notes);
    do_ppcalls();
}
