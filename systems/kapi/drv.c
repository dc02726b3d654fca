/*
 * drv.c - the kapi PD that drives a real device interrupt: QEMU virt's
 * PL031 RTC (mapped at 0x20100000, GIC INTID 34, level-triggered) raises
 * its interrupt when the seconds counter reaches the match register, with
 * no host input.  Checks that the interrupt arrives as a notification on
 * the IRQ channel, that the line stays masked until irq_ack, that clearing
 * the device and acknowledging gives no second notification for the same
 * event, and that after the ack a new event is delivered again.
 */
#include "kt.h"

#define RTC ((volatile uint32_t *)0x20100000u)
enum { RTCDR = 0, RTCMR = 1, RTCLR = 2, RTCCR = 3, RTCIMSC = 4, RTCRIS = 5, RTCMIS = 6, RTCICR = 7 };

/* Its end of channel basic_drv (end B) and its irq in the info area; basic
 * (which ran first) left a mark in the shared queue region. */
static void info_checks(void)
{
    const struct fb_pdinfo_chan *q = fb_channel_by_name("basic_drv");
    KT_CHECK(q && q->id == KT_DRV_BASIC && q->peer == KT_PD_BASIC && q->queue_end == 1 &&
             q->queue_depth == KT_Q_DEPTH && q->queue_slot == KT_Q_SLOT &&
             fb_map_vaddr(q) == (void *)KT_DRV_Q_VADDR,
             "drv: fb_channel_by_name(basic_drv): end B, depth 8, slot 256, its own queue address",
             "%p", q ? fb_map_vaddr(q) : NULL);
    KT_CHECK(q && *(volatile uint32_t *)KT_DRV_Q_VADDR == KT_Q_MARK,
             "drv: the queue region holds basic's mark (one region, two addresses)", "%x",
             *(volatile uint32_t *)KT_DRV_Q_VADDR);
    const struct fb_pdinfo *pi = fb_info();
    const struct fb_pdinfo_chan *c = pi ? (const void *)((const char *)pi + pi->chans_off) : NULL;
    KT_CHECK(c && pi->n_chans == 3 && c[1].id == KT_DRV_IRQ && c[1].kind == FB_CHAN_IRQ && c[1].peer == 34 &&
             c[1].name_off == 0, "drv: its irq is in the channel table (kind irq, number 34)", "%u",
             pi ? pi->n_chans : 0);
}

/* Arm the alarm `secs` seconds ahead and wait for its notification. */
static bool alarm_round(unsigned round, uint32_t secs)
{
    RTC[RTCMR] = RTC[RTCDR] + secs;
    RTC[RTCIMSC] = 1;
    uint64_t t0 = fb_clock_ticks();
    struct fb_event ev = fb_wait(t0 + kt_ms(1000ull * secs + 3000));
    uint64_t dt = fb_clock_ticks() - t0;
    bool got = ev.kind == FB_EV_NOTIFY && ev.w[0] == 1u << KT_DRV_IRQ && ev.w[1] == 0;
    if (round == 1)
        KT_CHECK(got, "RTC match interrupt arrives as a notification on its IRQ channel",
                 "event kind %u mask %x:%x after %u us", ev.kind, ev.w[1], ev.w[0], kt_us(dt));
    else
        KT_CHECK(got, "after irq_ack the next RTC interrupt is delivered again",
                 "event kind %u mask %x:%x after %u us", ev.kind, ev.w[1], ev.w[0], kt_us(dt));
    fb_printf("# kapi: drv: RTC interrupt %u after %u ms\n", round, kt_us(dt) / 1000);
    return got;
}

static void clear_and_ack(void)
{
    RTC[RTCICR] = 1;
    KT_EQ(RTC[RTCRIS] & 1, 0, "RTC interrupt cleared at the device");
    KT_EQ(fb_irq_ack(KT_DRV_IRQ), 0, "irq_ack on the IRQ channel -> 0");
    struct fb_event ev = fb_wait(fb_clock_ticks() + kt_ms(100));
    KT_CHECK(ev.kind == FB_EV_TIMEOUT, "no second notification for the same interrupt",
             "event kind %u mask %x", ev.kind, ev.w[0]);
}

void init(void)
{
    for (;;) {   /* mon says when */
        struct fb_event ev = fb_wait(0);
        if (ev.kind == FB_EV_NOTIFY && (ev.w[0] & (1u << KT_DRV_MON)))
            break;
    }
    info_checks();
    RTC[RTCIMSC] = 0;
    RTC[RTCICR] = 1;
    fb_printf("# kapi: drv: RTC reads %u s, control %x\n", RTC[RTCDR], RTC[RTCCR]);

    if (alarm_round(1, 2)) {
        KT_EQ(RTC[RTCMIS] & 1, 1, "the RTC shows its interrupt pending");
        /* Not yet cleared nor acknowledged: the line is high but masked. */
        struct fb_event ev = fb_wait(fb_clock_ticks() + kt_ms(100));
        KT_CHECK(ev.kind == FB_EV_TIMEOUT, "no notification while the IRQ is not acknowledged",
                 "event kind %u mask %x", ev.kind, ev.w[0]);
        clear_and_ack();
        if (alarm_round(2, 1))
            clear_and_ack();
    }
    RTC[RTCIMSC] = 0;
    fb_notify(KT_DRV_MON);
}
