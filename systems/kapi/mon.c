/*
 * mon.c - the kapi system's monitor and driver.  It checks the calls only a
 * high-priority PD with pd_control can try, then runs the phases one at a
 * time (basic, then drv, then each crash of the crash PD), each with a
 * deadline, checks every fault record it receives, prints the summary line
 * `kapi: N passed, N failed` and powers off with 0 only if none failed.
 *
 * It runs its own event loop inside init() (never returning to libfbpd's)
 * so that every wait has a deadline and a hung phase is a failure, not a
 * hang.  ppcalls from basic are answered inside that loop.
 */
#include "kt.h"

static uint64_t notes;             /* notification bits received, not yet consumed */
static bool server_faulted;        /* the server fault arrived and was checked */

static void finish(void)
{
    uint32_t p = kt_board->passed, f = kt_board->failed;
    fb_printf("kapi: %u passed, %u failed\n", p, f);
    fb_poweroff(f == 0 ? 0 : 1);
}

static struct fb_msg serve(const struct fb_event *ev)
{
    struct fb_msg r = { (uint32_t)-FB_ENOSYS, { 0, 0, 0, 0 } };
    if (ev->w[0] == KT_MON_BASIC && ev->w[1] == KT_LABEL_NOTIFY_TWICE) {
        int a = fb_notify(KT_MON_BASIC), b = fb_notify(KT_MON_BASIC);
        r.label = (uint32_t)(a != 0 ? a : b);
    }
    return r;
}

/* A fault nobody planned, or the server's (planned: basic's ppcall). */
static void unplanned_fault(const struct fb_event *ev)
{
    uint32_t pd = ev->w[0], kind = ev->w[2], addr = ev->w[3], pc = ev->w[4];
    if (pd == KT_PD_SERVER && !server_faulted) {
        server_faulted = true;
        KT_CHECK(kind == FB_FAULT_DATA_ABORT && addr == 0,
                 "server faulting inside a ppcall: its monitor gets the data abort at 0",
                 "kind %u addr %p pc %p", kind, (void *)addr, (void *)pc);
        return;
    }
    KT_CHECK(false, "no unexpected fault", "pd %u tid %u kind %u addr %p pc %p status %x", pd,
             ev->w[1], kind, (void *)addr, (void *)pc, ev->w[5]);
}

/* The next notification, fault or timeout; ppcalls are served on the way. */
static struct fb_event next_event(uint64_t deadline)
{
    struct fb_event ev = fb_wait(deadline);
    while (ev.kind == FB_EV_PPCALL)
        ev = fb_reply_wait(serve(&ev), deadline);
    if (ev.kind == FB_EV_NOTIFY)
        notes |= ev.w[0] | ((uint64_t)ev.w[1] << 32);
    return ev;
}

/* Wait for the "done" notification on channel ch. */
static bool wait_done(unsigned ch, uint64_t deadline)
{
    for (;;) {
        if (notes & (1ull << ch)) {
            notes &= ~(1ull << ch);
            return true;
        }
        struct fb_event ev = next_event(deadline);
        if (ev.kind == FB_EV_TIMEOUT)
            return false;
        if (ev.kind == FB_EV_FAULT)
            unplanned_fault(&ev);
        else if (ev.kind != FB_EV_NOTIFY)
            KT_CHECK(false, "mon: only expected events", "event kind %d", (int)ev.kind);
    }
}

static void phase(unsigned ch, const char *name, uint64_t ms)
{
    fb_printf("# kapi: phase %s\n", name);
    int r = fb_notify(ch);
    bool done = r == 0 && wait_done(ch, fb_clock_ticks() + kt_ms(ms));
    KT_CHECK(done, "phase finished in time", "phase %s, notify %d", name, r);
    if (!done)
        finish();
}

static void own_checks(void)
{
    struct fb_msg m = { 7, { 1, 2, 3, 4 } };
    struct fb_msg r = fb_ppcall(KT_MON_BASIC, m);
    KT_EQ(r.label, -FB_EPERM, "ppcall to a lower-priority PD -> -EPERM");
    KT_EQ(fb_pd_stop(KT_PD_DRV), -FB_EPERM, "pd_stop of a PD we do not monitor -> -EPERM");
    KT_EQ(fb_pd_restart(KT_PD_DRV), -FB_EPERM, "pd_restart of a PD we do not monitor -> -EPERM");
    KT_EQ(fb_pd_restart(KT_PD_MON), -FB_EPERM, "pd_restart of ourselves -> -EPERM");
    KT_EQ(fb_pd_stop(40), -FB_EPERM, "pd_stop of a PD index that does not exist -> -EPERM");
}

struct crash_step {
    uint32_t mode, kind;
    const char *name;
};

static const struct crash_step steps[] = {
    { KT_CRASH_BADCALL, FB_FAULT_BAD_SYSCALL, "svc with r7 = 999" },
    { KT_CRASH_UDF_ARM, FB_FAULT_UNDEFINED, "udf in ARM state" },
    { KT_CRASH_UDF_THUMB, FB_FAULT_UNDEFINED, "udf in Thumb state" },
    { KT_CRASH_LDRD, FB_FAULT_ALIGNMENT, "ldrd from an address 2 mod 4" },
    { KT_CRASH_LDM, FB_FAULT_ALIGNMENT, "ldm from an address 1 mod 4" },
    { KT_CRASH_EXIT, FB_FAULT_EXITED, "pd_exit(42)" },
};

static void check_crash(const struct crash_step *s, const struct fb_event *ev)
{
    uint32_t pd = ev->w[0], kind = ev->w[2], addr = ev->w[3], pc = ev->w[4], st = ev->w[5];
    uint32_t insn = kt_board->crash_insn, data = kt_board->crash_data;
    fb_printf("# kapi: crash %s: pd %u tid %u kind %u addr %p pc %p status %x\n", s->name, pd,
              ev->w[1], kind, (void *)addr, (void *)pc, st);
    switch (s->mode) {
    case KT_CRASH_BADCALL:
        KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_BAD_SYSCALL && st == 999,
                 "bad kernel call 999 -> FB_FAULT_BAD_SYSCALL, status 999",
                 "pd %u kind %u status %u", pd, kind, st);
        KT_CHECK(pc == insn + 2, "bad kernel call: pc is just after the svc",
                 "pc %p, svc at %p", (void *)pc, (void *)insn);
        break;
    case KT_CRASH_UDF_ARM:
    case KT_CRASH_UDF_THUMB:
        if (s->mode == KT_CRASH_UDF_ARM)
            KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_UNDEFINED && addr == insn && pc == insn,
                     "udf (ARM) -> FB_FAULT_UNDEFINED, addr = pc = the udf",
                     "pd %u kind %u addr %p pc %p, udf at %p", pd, kind, (void *)addr,
                     (void *)pc, (void *)insn);
        else
            KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_UNDEFINED && addr == insn && pc == insn,
                     "udf (Thumb) -> FB_FAULT_UNDEFINED, addr = pc = the udf",
                     "pd %u kind %u addr %p pc %p, udf at %p", pd, kind, (void *)addr,
                     (void *)pc, (void *)insn);
        break;
    case KT_CRASH_LDRD:
        KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_ALIGNMENT && addr == data && pc == insn,
                 "unaligned ldrd -> FB_FAULT_ALIGNMENT at its address and pc",
                 "pd %u kind %u addr %p pc %p, want addr %p pc %p", pd, kind, (void *)addr,
                 (void *)pc, (void *)data, (void *)insn);
        break;
    case KT_CRASH_LDM:
        KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_ALIGNMENT && addr == data && pc == insn,
                 "unaligned ldm -> FB_FAULT_ALIGNMENT at its address and pc",
                 "pd %u kind %u addr %p pc %p, want addr %p pc %p", pd, kind, (void *)addr,
                 (void *)pc, (void *)data, (void *)insn);
        break;
    case KT_CRASH_EXIT:
        KT_CHECK(pd == KT_PD_CRASH && kind == FB_FAULT_EXITED && st == 42,
                 "pd_exit(42) -> its monitor gets FB_FAULT_EXITED with status 42",
                 "pd %u kind %u status %u", pd, kind, st);
        break;
    default:
        break;
    }
}

/* Restart the crash PD (unless it is its first run) in the given mode and
 * wait for its fault, or for its "done" notification. */
static struct fb_event crash_run(uint32_t mode, bool restart)
{
    kt_board->crash_mode = mode;
    if (restart)
        KT_EQ(fb_pd_restart(KT_PD_CRASH), 0, "pd_restart of the crash PD we monitor -> 0");
    fb_notify(KT_MON_CRASH);
    uint64_t deadline = fb_clock_ticks() + kt_ms(3000);
    for (;;) {
        if (notes & (1ull << KT_MON_CRASH)) {
            notes &= ~(1ull << KT_MON_CRASH);
            struct fb_event done = { FB_EV_NOTIFY, { 1u << KT_MON_CRASH, 0, 0, 0, 0, 0 } };
            return done;
        }
        struct fb_event ev = next_event(deadline);
        if (ev.kind == FB_EV_TIMEOUT)
            return ev;
        if (ev.kind == FB_EV_FAULT && ev.w[0] == KT_PD_CRASH)
            return ev;
        if (ev.kind == FB_EV_FAULT)
            unplanned_fault(&ev);
    }
}

static void crashes(void)
{
    fb_printf("# kapi: phase crash\n");
    unsigned n = sizeof steps / sizeof steps[0];
    for (unsigned i = 0; i < n; i++) {
        struct fb_event ev = crash_run(steps[i].mode, i > 0);
        if (ev.kind == FB_EV_FAULT)
            check_crash(&steps[i], &ev);
        else
            KT_CHECK(false, "crash PD faulted", "%s: event kind %u", steps[i].name, ev.kind);
    }
    struct fb_event ev = crash_run(KT_CRASH_LDR, true);
    if (ev.kind == FB_EV_FAULT)
        fb_printf("# kapi: unaligned ldr faulted: kind %u addr %p pc %p status %x\n", ev.w[2],
                  (void *)ev.w[3], (void *)ev.w[4], ev.w[5]);
    KT_CHECK(ev.kind == FB_EV_NOTIFY && kt_board->ldr_got == kt_board->ldr_want,
             "unaligned ldr does not fault (SCTLR.A = 0) and reads the right bytes",
             "event kind %u, read %x, want %x", ev.kind, kt_board->ldr_got, kt_board->ldr_want);
}

void init(void)
{
    kt_board->mon_tid = (uint32_t)fb_thread_self();
    fb_printf("# kapi: mon is pd %u, tid %u\n", fb_pd_self(), kt_board->mon_tid);
    own_checks();
    phase(KT_MON_BASIC, "basic", 20000);
    KT_CHECK(server_faulted, "the server's fault reached its monitor", "%s", "no fault event");
    phase(KT_MON_DRV, "drv (PL031 RTC interrupt)", 15000);
    crashes();
    finish();
}
