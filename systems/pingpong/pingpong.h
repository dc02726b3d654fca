/*
 * pingpong.h - what ping and pong agree on: the channel, the round count
 * and how pong transforms a ppcall message (so ping can check the reply).
 */
#ifndef PINGPONG_H
#define PINGPONG_H

#include <freebeam/fbpd.h>

#define PP_CH      0
#define PP_ROUNDS  1000
#define PP_LABEL_CALL   0x50u  /* a numbered call: mr = pp_request(seq) */
#define PP_LABEL_REPORT 0x52u  /* pong's counters: mr0 notes, mr1 calls, mr2 errors */

static inline struct fb_msg pp_request(uint32_t seq)
{
    struct fb_msg m = { PP_LABEL_CALL, { seq, seq * 3u, ~seq, 0xdeadbeefu ^ seq } };
    return m;
}

static inline struct fb_msg pp_reply(struct fb_msg req)
{
    struct fb_msg m = { req.mr[0] + 1u,
                        { req.mr[0] + 1u, req.mr[1] * 2u, ~req.mr[2], (req.mr[3] << 8) | (req.mr[3] >> 24) } };
    return m;
}

#endif
