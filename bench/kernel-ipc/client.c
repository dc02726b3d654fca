/*
 * client.c - drives the kernel-ipc benchmark.  Each figure is the PMU
 * instruction count (kernel and user, event 0x08) over many iterations
 * divided by the iterations: a notify round trip to the server, a ppcall
 * to it, and a yield from one thread of this PD to another.  Prints
 * NAME=N lines (bench/kernel-ipc/run.sh collects them) and powers off.
 */
#include "pmu.h"

#define WARMUP 100
#define N      10000

static uint8_t stack[4096] __attribute__((aligned(8)));
static volatile uint32_t t_count;

static void fail(const char *what, int v)
{
    fb_printf("kernel-ipc: FAIL %s (%d)\n", what, v);
    fb_poweroff(1);
}

static void notify_rtt(void)
{
    struct fb_event ev;
    uint32_t p0 = 0;
    for (unsigned i = 0; i < WARMUP + N; i++) {
        if (i == WARMUP)
            p0 = pmu_insns();
        fb_notify(KIPC_CH);
        ev = fb_wait(0);
        if (ev.kind != FB_EV_NOTIFY || ev.w[0] != 1u << KIPC_CH)
            fail("notify round trip: event kind", (int)ev.kind);
    }
    uint32_t d = pmu_insns() - p0;
    fb_printf("notify_rtt_insns=%u\n", (d + N / 2) / N);
}

static void ppcall_rtt(void)
{
    struct fb_msg m = { 7, { 1, 2, 3, 4 } };
    uint32_t p0 = 0;
    for (unsigned i = 0; i < WARMUP + N; i++) {
        if (i == WARMUP)
            p0 = pmu_insns();
        struct fb_msg r = fb_ppcall(KIPC_CH, m);
        if (r.label != 7)
            fail("ppcall reply label", (int)r.label);
    }
    uint32_t d = pmu_insns() - p0;
    fb_printf("ppcall_rtt_insns=%u\n", (d + N / 2) / N);
}

static void yielder(void *arg)
{
    (void)arg;
    for (;;) {
        t_count++;
        fb_yield();
    }
}

/* Two threads of equal priority yield to each other: 2N switches. */
static void thread_switch(void)
{
    int tid = fb_thread_create(yielder, NULL, stack + sizeof stack, 0, 100);
    if (tid < 0)
        fail("thread_create", tid);
    for (unsigned i = 0; i < WARMUP; i++)
        fb_yield();
    uint32_t c0 = t_count;
    uint32_t p0 = pmu_insns();
    for (unsigned i = 0; i < N; i++)
        fb_yield();
    uint32_t d = pmu_insns() - p0;
    if (t_count - c0 != N)
        fail("yield did not alternate the two threads: other thread ran", (int)(t_count - c0));
    fb_printf("thread_switch_insns=%u\n", (d + N) / (2 * N));
}

void init(void)
{
    uint32_t boot = bench_boot[0];
    bool counted = pmu_counts_insns();
    if (!counted) {
        fb_printf("kernel-ipc: note: PMU counter 0 is not counting instructions; "
                  "boot figure from the cycle counter, starting counter 0 here\n");
        boot = bench_boot[1];
        pmu_start_insns();
    }
    struct fb_msg q = { KIPC_LABEL_BOOT, { 0, 0, 0, 0 } };
    struct fb_msg r = fb_ppcall(KIPC_CH, q);
    if (r.label != KIPC_LABEL_BOOT)
        fail("boot count query", (int)r.label);
    uint32_t server_boot = counted ? r.mr[0] : r.mr[1];
    uint32_t first = boot < server_boot ? boot : server_boot;

    notify_rtt();
    ppcall_rtt();
    thread_switch();
    fb_printf("boot_to_first_pd_insns=%u\n", first);
    fb_printf("kernel-ipc: done\n");
    fb_poweroff(0);
    fail("poweroff returned", 0);
}
