/*
 * kstubs.c - see kstubs.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kstubs.h"

#ifndef KSTUBS_WITH_PD_C                /* test_kpd links pd.c, which has them */
struct pd pds[FB_MAX_PDS];
uint32_t npds;
#endif
struct tcb *cur;

uint64_t kstub_now;
uint64_t kstub_timer;
unsigned kstub_poweroffs;
uint32_t kstub_poweroff_status;
jmp_buf *kstub_poweroff_jmp;
unsigned kstub_kprintfs;
char kstub_kprintf_last[256];

uint64_t timer_now(void) { return kstub_now; }
void timer_set(uint64_t deadline) { kstub_timer = deadline; }

void power_off(uint32_t status)
{
    kstub_poweroffs++;
    kstub_poweroff_status = status;
    if (kstub_poweroff_jmp)
        longjmp(*kstub_poweroff_jmp, 1);
    printf("kstubs: unexpected power_off(%u)\n", (unsigned)status);
    abort();
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    kstub_kprintfs++;
    va_start(ap, fmt);
    vsnprintf(kstub_kprintf_last, sizeof kstub_kprintf_last, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  [kernel panic] ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    power_off(255);
}

struct pd *kstub_pd(uint32_t index, uint32_t prio, uint32_t max_threads)
{
    struct pd *pd = &pds[index];
    memset(pd, 0, sizeof *pd);
    pd->index = index;
    pd->asid = index + 1;
    pd->name = "test";
    pd->prio = prio;
    pd->max_threads = max_threads;
    thread_pool_init(pd, calloc(max_threads ? max_threads : 1, sizeof(struct tcb)),
                     index * FB_MAX_THREADS_PD);
    pd->running = 1;
    for (uint32_t c = 0; c < FB_MAX_CHANNELS; c++)
        pd->ch[c].peer = -1;
    if (npds <= index)
        npds = index + 1;
    return pd;
}

void kstub_channel(uint32_t a, uint32_t ida, uint32_t b, uint32_t idb)
{
    pds[a].ch[ida].peer = (int16_t)b;
    pds[a].ch[ida].peer_id = (uint16_t)idb;
    pds[b].ch[idb].peer = (int16_t)a;
    pds[b].ch[idb].peer_id = (uint16_t)ida;
}

struct tcb *kstub_thread(struct pd *pd, uint32_t prio, int run)
{
    struct tcb *t = thread_alloc(pd);
    if (!t)
        return NULL;
    thread_init_user(t, 0x10000, 0x80000, 0, 0, prio);
    if (run)
        thread_make_runnable(t);
    return t;
}

int kstub_reset(void)
{
    for (uint32_t p = 0; p < npds; p++)
        for (uint32_t i = 0; pds[p].tcbs && i < pds[p].max_threads; i++)
            if (pds[p].tcbs[i].state != T_FREE)
                thread_free(&pds[p].tcbs[i]);
    int clean = sched_pick() == NULL && timeout_next() == 0;
    for (uint32_t p = 0; p < npds; p++)
        free(pds[p].tcbs);
    memset(pds, 0, sizeof pds);
    npds = 0;
    cur = NULL;
    vfp_owner = NULL;
    kstub_now = 0;
    kstub_timer = 0;
    return clean;
}

int kstub_tq_is(const struct tqueue *q, struct tcb *const *want, unsigned n)
{
    struct tcb *prev = NULL, *t = q->head;
    for (unsigned i = 0; i < n; i++, prev = t, t = t->next)
        if (t != want[i] || t->prev != prev)
            return 0;
    return t == NULL && q->tail == prev;
}

int kstub_rq_is(struct tcb *const *want, unsigned n)
{
    struct tcb *t = sched_pick(), *prev = NULL;
    if (n == 0)
        return t == NULL;
    for (unsigned i = 0; i < n; i++, prev = t, t = t->next)
        if (t != want[i] || t->prev != prev || t->state != T_RUNNABLE)
            return 0;
    return t == NULL;
}

/* ---- what pd.c needs besides the logic above (its tests never load an
 * image, so these only count or refuse) ---- */
uint32_t ram_size = 0x08000000u;
uint32_t rtc_boot_seconds;          /* kernel/plat/qemu-virt/rtc.c: no RTC in host tests */
uint64_t rtc_boot_ticks;
unsigned kstub_irq_resets;
struct pd *kstub_irq_reset_pd;

uint32_t *mmu_new_space(void) { return NULL; }
int mmu_map(uint32_t *l1, uint32_t vaddr, uint32_t paddr, uint32_t size, uint32_t perms, int device)
{
    (void)l1; (void)vaddr; (void)paddr; (void)size; (void)perms; (void)device;
    return -FB_ENOMEM;
}
void cache_sync_code(uint32_t paddr, uint32_t size) { (void)paddr; (void)size; }
unsigned kstub_protects;
uint32_t kstub_protect_perms;
void mmu_protect(uint32_t *l1, uint32_t asid, uint32_t vaddr, uint32_t size, uint32_t perms)
{
    (void)l1; (void)asid; (void)vaddr; (void)size;
    kstub_protects++;
    kstub_protect_perms = perms;
}
void palloc_init(uint32_t start, uint32_t end) { (void)start; (void)end; }
uint32_t palloc(uint32_t size, uint32_t align) { (void)size; (void)align; return 0; }
uint32_t palloc_left(uint32_t align) { (void)align; return 0; }
void irq_bind(uint32_t irq, struct pd *pd, uint32_t id, int edge) { (void)irq; (void)pd; (void)id; (void)edge; }
void irq_reset_pd(struct pd *pd)
{
    kstub_irq_resets++;
    kstub_irq_reset_pd = pd;
}
