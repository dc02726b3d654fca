/*
 * ipc.c - channels in the shape of seL4 Microkit: notifications (bits that
 * merge until the PD receives them), protected procedure calls into a PD of
 * strictly higher priority (a few words each way, in registers), and the one
 * receive operation that hands a PD its next event: a child's fault first,
 * then a waiting ppcall, then the pending notification bits.
 */
#include "kernel.h"

static void set_event(struct tcb *t, uint32_t kind, uint32_t a, uint32_t b, uint32_t c,
                      uint32_t d, uint32_t e, uint32_t f)
{
    uint32_t *r = t->ctx.r;
    r[0] = kind; r[1] = a; r[2] = b; r[3] = c; r[4] = d; r[5] = e; r[6] = f;
}

int ev_deliver(struct tcb *t)
{
    struct pd *pd = t->pd;
    if (pd->fault_pending) {
        uint32_t i = (uint32_t)__builtin_ctz(pd->fault_pending);
        pd->fault_pending &= ~(1u << i);
        const uint32_t *f = pds[i].fault_rec;
        set_event(t, FB_EV_FAULT, i, f[0], f[1], f[2], f[3], f[4]);
        return 1;
    }
    struct tcb *c = tq_pop(&pd->callq);
    if (c) {
        const uint32_t *cr = c->ctx.r;
        c->state = T_CALL_REPLY;
        c->callee = t;
        c->callee_pd = NULL;
        t->caller = c;
        set_event(t, FB_EV_PPCALL, c->pd->ch[cr[0]].peer_id, cr[1], cr[2], cr[3], cr[4], cr[5]);
        return 1;
    }
    if (pd->pending) {
        uint64_t m = pd->pending;
        pd->pending = 0;
        set_event(t, FB_EV_NOTIFY, (uint32_t)m, (uint32_t)(m >> 32), 0, 0, 0, 0);
        return 1;
    }
    return 0;
}

/* Hand the PD's waiting receiver its next event, if it has one. */
void ipc_kick(struct pd *pd)
{
    struct tcb *r = pd->receiver;
    if (!r || !pd->running)
        return;
    if (!ev_deliver(r))
        return;
    pd->receiver = NULL;
    timeout_cancel(r);
    thread_make_runnable(r);
}

void ipc_recv(struct tcb *t, uint64_t deadline)
{
    struct pd *pd = t->pd;
    if (t->caller)                  /* a ppcall left unanswered fails */
        ipc_abort_caller(t->caller);
    if (ev_deliver(t))
        return;
    if (t->interrupted) {
        t->interrupted = 0;
        t->ctx.r[0] = (uint32_t)-FB_EINTR;
        return;
    }
    if (pd->receiver) {
        t->ctx.r[0] = (uint32_t)-FB_EBUSY;
        return;
    }
    if (deadline && deadline <= timer_now()) {
        t->ctx.r[0] = FB_EV_TIMEOUT;
        return;
    }
    pd->receiver = t;
    thread_block(t, T_RECV, deadline);
}

static int chan_peer(const struct pd *pd, uint32_t ch)
{
    if (ch >= FB_MAX_CHANNELS || pd->ch[ch].peer < 0)
        return -1;
    return pd->ch[ch].peer;
}

void ipc_notify_pd(struct pd *to, uint32_t id)
{
    to->pending |= 1ull << id;
    ipc_kick(to);
}

void ipc_notify(struct pd *from, uint32_t ch)
{
    int peer = chan_peer(from, ch);
    struct tcb *t = cur;
    if (peer < 0) {
        t->ctx.r[0] = (uint32_t)-FB_EINVAL;
        return;
    }
    t->ctx.r[0] = 0;
    ipc_notify_pd(&pds[peer], from->ch[ch].peer_id);
}

void ipc_ppcall(struct tcb *t)
{
    int peer = chan_peer(t->pd, t->ctx.r[0]);
    if (peer < 0) {
        t->ctx.r[0] = (uint32_t)-FB_EINVAL;
        return;
    }
    struct pd *to = &pds[peer];
    if (to->prio <= t->pd->prio) {
        t->ctx.r[0] = (uint32_t)-FB_EPERM;
        return;
    }
    if (!to->running) {
        t->ctx.r[0] = (uint32_t)-FB_ESRCH;
        return;
    }
    thread_block(t, T_CALL_SEND, 0);
    t->callee_pd = to;
    tq_push(&to->callq, t);
    ipc_kick(to);
}

void ipc_reply(struct tcb *t)
{
    struct tcb *c = t->caller;
    if (!c)
        return;
    for (int i = 0; i <= FB_MSG_WORDS; i++)
        c->ctx.r[i] = t->ctx.r[i];
    c->callee = NULL;
    t->caller = NULL;
    thread_make_runnable(c);
}

void ipc_abort_caller(struct tcb *c)
{
    if (c->callee)
        c->callee->caller = NULL;
    thread_detach(c);
    c->callee = NULL;
    c->ctx.r[0] = (uint32_t)-FB_ESRCH;
    thread_make_runnable(c);
}
