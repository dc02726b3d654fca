/*
 * rights.c - who may act on what: a PD controls only the PDs it monitors,
 * and only with the pd_control right; a tid names a thread only inside
 * the caller's own PD.
 */
#include "kernel.h"

struct pd *pd_child(const struct pd *caller, uint32_t index)
{
    if (index >= npds || pds[index].monitor != caller || !(caller->rights & FB_RIGHT_PD_CONTROL))
        return NULL;
    return &pds[index];
}

struct tcb *thread_of_pd(const struct pd *pd, uint32_t tid)
{
    uint32_t slot = tid - pd->tid_base - 1;     /* wraps for tids below the PD's */
    if (tid == 0 || slot >= pd->max_threads)
        return NULL;
    struct tcb *t = &pd->tcbs[slot];
    return t->state != T_FREE ? t : NULL;
}
