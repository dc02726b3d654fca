/*
 * fastpath.c - the common shape of a protected procedure call, done in one
 * short pass: a client calls a server whose thread waits in RECV, and the
 * server answers with REPLY_RECV while its client is the thread to run
 * next.  Each function checks that the general path (ipc.c, then
 * kernel_exit) would reach exactly the same state and pick the same thread,
 * does the state change without the detours (no trip through the call
 * queue, no scheduler scan), and switches straight to that thread
 * (kernel_switch_direct).  Anything else, errors included, returns 0 before
 * changing anything: the general path then handles the call.
 */
#include "kernel.h"

/* Would `next`, made runnable now, be the only thread at the highest
 * runnable priority?  Then kernel_exit would pick it, with no time slice. */
static int runs_alone(const struct tcb *next)
{
    return (int)next->prio > sched_top_prio();
}

int fastpath_ppcall(struct tcb *t)
{
    uint32_t *r = t->ctx.r;
    struct pd *pd = t->pd;
    uint32_t ch = r[0];
    if (ch >= FB_MAX_CHANNELS || pd->ch[ch].peer < 0)
        return 0;
    struct pd *to = &pds[pd->ch[ch].peer];
    struct tcb *s = to->receiver;
    /* ev_deliver's order: a fault or an earlier call would go first. */
    if (to->prio <= pd->prio || !to->running || !s || to->fault_pending || to->callq.head)
        return 0;
    /* t is still in its run queue, alone there; s must outrank it and
     * everything else (so s's queue is empty). */
    if (t->next || t->prev || !runs_alone(s))
        return 0;
    sched_remove_sole(t);
    t->state = T_CALL_REPLY;
    t->callee = s;
    t->callee_pd = NULL;
    s->caller = t;
    uint32_t *sr = s->ctx.r;
    sr[0] = FB_EV_PPCALL;
    sr[1] = pd->ch[ch].peer_id;
    sr[2] = r[1]; sr[3] = r[2]; sr[4] = r[3]; sr[5] = r[4]; sr[6] = r[5];
    to->receiver = NULL;
    timeout_cancel(s);
    s->state = T_RUNNABLE;
    sched_add_sole(s);
    kernel_switch_direct(s);
    return 1;
}

int fastpath_reply_recv(struct tcb *t)
{
    uint32_t *r = t->ctx.r;
    struct pd *pd = t->pd;
    struct tcb *c = t->caller;
    /* RECV must block: no event waiting, no deadline, nothing pending. */
    if (!c || r[5] || r[6] || pd->fault_pending || pd->callq.head || pd->pending ||
        t->interrupted || pd->receiver)
        return 0;
    /* t blocks before c is judged (c competes with the rest); alone in its
     * queue, t goes back as it was if c would not run next. */
    if (t->next || t->prev)
        return 0;
    sched_remove_sole(t);
    if (!runs_alone(c)) {
        sched_add_sole(t);
        return 0;
    }
    uint32_t *cr = c->ctx.r;
    for (int i = 0; i <= FB_MSG_WORDS; i++)
        cr[i] = r[i];
    c->callee = NULL;
    t->caller = NULL;
    t->state = T_RECV;
    pd->receiver = t;
    c->state = T_RUNNABLE;
    sched_add_sole(c);
    kernel_switch_direct(c);
    return 1;
}
