/*
 * irq.c - interrupts.  The kernel owns the virtual timer; every other IRQ
 * belongs to the PD the description names and arrives there as a
 * notification on its channel.  The line stays masked from then until the
 * PD acknowledges it.  Interrupts are only taken from user mode or polled
 * by the idle loop, so the kernel never nests.
 */
#include "kernel.h"
#include "arch/armv7/cpu.h"
#include "plat/qemu-virt/platform.h"

static struct irq_bind {
    struct pd *pd;
    uint32_t irq, id;
} binds[FB_MAX_IRQS];
static uint32_t nbinds;

void irq_bind(uint32_t irq, struct pd *pd, uint32_t id, int edge)
{
    binds[nbinds].pd = pd;
    binds[nbinds].irq = irq;
    binds[nbinds].id = id;
    nbinds++;
    gic_enable(irq, edge);
}

void irq_handle_pending(void)
{
    for (;;) {
        uint32_t iar = gic_ack();
        uint32_t id = iar & 0x3ffu;
        if (id >= 1020)
            return;
        if (id == IRQ_VTIMER) {
            prof_tick(timer_now());
            timer_set(0);           /* off until kernel_exit picks the next deadline */
            gic_eoi(iar);
            continue;
        }
        gic_mask(id);
        gic_eoi(iar);
        for (uint32_t i = 0; i < nbinds; i++)
            if (binds[i].irq == id && binds[i].pd->running)
                ipc_notify_pd(binds[i].pd, binds[i].id);
    }
}

int irq_ack(struct pd *pd, uint32_t ch)
{
    if (ch >= FB_MAX_CHANNELS || pd->ch[ch].peer != -2)
        return -FB_EINVAL;
    gic_unmask(pd->ch[ch].peer_id);
    return 0;
}

void irq_reset_pd(struct pd *pd)
{
    for (uint32_t i = 0; i < nbinds; i++)
        if (binds[i].pd == pd)
            gic_unmask(binds[i].irq);
}

void handle_irq(void);
void handle_irq(void)
{
    irq_handle_pending();
}
