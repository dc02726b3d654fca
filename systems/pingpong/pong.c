/*
 * pong.c - the higher-priority side of pingpong: answers each
 * notification with one back, and each ppcall with the transformed message
 * after checking it is the next one in sequence.  It has no poweroff right,
 * so it reports what it saw to ping (label PP_LABEL_REPORT).
 */
#include "pingpong.h"

static uint32_t notes, calls, errors;

void init(void)
{
    fb_printf("pong: pd %u ready\n", fb_pd_self());
}

void notified(unsigned ch)
{
    if (ch != PP_CH) {
        fb_printf("pong: notification on unexpected channel %u\n", ch);
        errors++;
        return;
    }
    notes++;
    fb_notify(PP_CH);
}

struct fb_msg protected(unsigned ch, struct fb_msg msg)
{
    if (ch == PP_CH && msg.label == PP_LABEL_REPORT) {
        struct fb_msg r = { 0, { notes, calls, errors, 0 } };
        return r;
    }
    struct fb_msg want = pp_request(calls);
    bool ok = ch == PP_CH && msg.label == want.label;
    for (unsigned i = 0; i < FB_MSG_WORDS; i++)
        ok = ok && msg.mr[i] == want.mr[i];
    if (!ok) {
        fb_printf("pong: ppcall %u on channel %u has wrong contents (label %x mr0 %x)\n", calls,
                  ch, msg.label, msg.mr[0]);
        errors++;
        struct fb_msg bad = { 0xbad, { 0, 0, 0, 0 } };
        calls++;
        return bad;
    }
    calls++;
    return pp_reply(msg);
}
