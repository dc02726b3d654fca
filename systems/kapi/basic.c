/*
 * basic.c - the kapi PD that checks the calls any PD can make, edge cases
 * and error paths: futexes, RECV deadlines and merged notifications,
 * scheduling (time slices, preemption), threads, channels and the rights a
 * plain PD lacks.  Started by mon's notification; tells mon when done.
 */
#include "kt.h"
#include <freebeam/sysimage.h>

#define STACK 2048
#define NSTACKS 4   /* max_threads is 4: the main thread and 3 more */

static uint8_t stacks[NSTACKS][STACK] __attribute__((aligned(8)));
static volatile uint32_t joins[NSTACKS];   /* 1 while thread i lives; its exit clears it */
static volatile uint32_t fword;            /* the futex word of the waiter tests */
static volatile uint32_t hold;             /* holder threads wait while it is 1 */
static volatile uint32_t arrived, woken;
static volatile int results[NSTACKS];
static volatile uint32_t spins[2], saw_other[2];
static uint64_t spin_limit;

static void *top(unsigned i)
{
    return stacks[i] + STACK;
}

/* Wait until thread i has exited (joins[i] == 0), at most ms. */
static bool join(unsigned i, uint64_t ms)
{
    uint64_t deadline = fb_clock_ticks() + kt_ms(ms);
    while (joins[i] != 0)
        if (fb_futex_wait(&joins[i], 1, deadline) == -FB_ETIMEDOUT)
            return joins[i] == 0;
    return true;
}

static int spawn(unsigned i, void (*fn)(void *), unsigned prio)
{
    joins[i] = 1;
    int tid = fb_thread_create(fn, (void *)(uintptr_t)i, top(i), 0, prio);
    if (tid < 0)
        joins[i] = 0;
    return tid;
}

/* ---- futexes ---- */

static void futex_basics(void)
{
    volatile uint32_t w = 5;
    KT_EQ(fb_futex_wait(&w, 6, 0), -FB_EAGAIN, "futex_wait with a mismatching value -> -EAGAIN");

    uint64_t t0 = fb_clock_ticks();
    int r = fb_futex_wait(&w, 5, t0 + kt_ms(20));
    uint64_t dt = fb_clock_ticks() - t0;
    KT_EQ(r, -FB_ETIMEDOUT, "futex_wait with a deadline 20 ms ahead -> -ETIMEDOUT");
    KT_CHECK(dt >= kt_ms(20) && dt < kt_ms(200), "futex_wait deadline: 20 ms <= elapsed < 200 ms",
             "elapsed %u us", kt_us(dt));

    t0 = fb_clock_ticks();
    r = fb_futex_wait(&w, 5, 1);
    dt = fb_clock_ticks() - t0;
    KT_EQ(r, -FB_ETIMEDOUT, "futex_wait with a deadline in the past -> -ETIMEDOUT");
    KT_CHECK(dt < kt_ms(10), "futex_wait with a past deadline returns at once", "elapsed %u us",
             kt_us(dt));

    uint32_t odd = (uint32_t)(uintptr_t)&w + 1;
    KT_EQ(fb_futex_wait((volatile uint32_t *)odd, 5, 0), -FB_EINVAL,
          "futex_wait on a misaligned address -> -EINVAL");
    KT_EQ(fb_futex_wake((volatile uint32_t *)odd, 1), -FB_EINVAL,
          "futex_wake on a misaligned address -> -EINVAL");
    KT_EQ(fb_futex_wait((volatile uint32_t *)0x40200000u, 0, 0), -FB_EFAULT,
          "futex_wait on kernel memory (0x40200000) -> -EFAULT");
    KT_EQ(fb_futex_wait((volatile uint32_t *)0x30000000u, 0, 0), -FB_EFAULT,
          "futex_wait on unmapped 0x30000000 -> -EFAULT");
    KT_EQ(fb_futex_wait((volatile uint32_t *)0, 0, 0), -FB_EFAULT,
          "futex_wait on NULL -> -EFAULT");
    KT_EQ(fb_futex_wake(&w, 1), 0, "futex_wake with no waiters -> 0");
}

static void waiter(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    arrived++;
    results[i] = fb_futex_wait(&fword, 0, fb_clock_ticks() + kt_ms(2000));
    woken++;
    fb_thread_exit(&joins[i]);
}

/* Three waiters at priority 90 while main runs at 50: each blocks before
 * main goes on, and each one woken runs before main goes on. */
static void futex_waiters(void)
{
    int self = fb_thread_self();
    KT_EQ(fb_thread_set_prio(self, 50), 0, "thread_set_prio of ourselves to 50 -> 0");
    fword = 0;
    arrived = woken = 0;
    int made = 0;
    for (unsigned i = 0; i < 3; i++)
        if (spawn(i, waiter, 90) > 0)
            made++;
    KT_CHECK(made == 3 && arrived == 3, "3 higher-priority waiters ran at once and block",
             "created %d, arrived %u", made, arrived);
    int n = fb_futex_wake(&fword, 2);
    uint32_t w2 = woken;
    KT_EQ(n, 2, "futex_wake(max 2) with 3 waiters -> 2");
    KT_CHECK(w2 == 2, "woken higher-priority threads run before the waker continues",
             "%u of 2 had run", w2);
    n = fb_futex_wake(&fword, 1);
    KT_EQ(n, 1, "futex_wake(max 1) with 1 waiter left -> 1");
    KT_EQ(woken, 3, "the last waiter ran at once too");
    KT_EQ(fb_futex_wake(&fword, 5), 0, "futex_wake after all were woken -> 0");
    bool all = true;
    for (unsigned i = 0; i < 3; i++)
        all = all && join(i, 1000) && results[i] == 0;
    KT_CHECK(all, "each woken waiter's futex_wait returned 0 and it exited",
             "results %d %d %d", results[0], results[1], results[2]);
    KT_EQ(fb_thread_set_prio(self, KT_PRIO_BASIC), 0, "thread_set_prio of ourselves back to 100 -> 0");
}

/* ---- RECV and notifications ---- */

static void recv_checks(void)
{
    uint64_t t0 = fb_clock_ticks();
    struct fb_event ev = fb_wait(t0 + kt_ms(20));
    uint64_t dt = fb_clock_ticks() - t0;
    KT_EQ(ev.kind, FB_EV_TIMEOUT, "recv with a deadline and nothing pending -> FB_EV_TIMEOUT");
    KT_CHECK(dt >= kt_ms(20) && dt < kt_ms(200), "recv deadline: 20 ms <= elapsed < 200 ms",
             "elapsed %u us", kt_us(dt));
    ev = fb_wait(1);
    KT_EQ(ev.kind, FB_EV_TIMEOUT, "recv with a deadline in the past -> FB_EV_TIMEOUT");

    /* mon notifies us twice while we wait for its reply (not in RECV). */
    struct fb_msg m = { KT_LABEL_NOTIFY_TWICE, { 0, 0, 0, 0 } };
    struct fb_msg r = fb_ppcall(KT_BASIC_MON, m);
    KT_EQ(r.label, 0, "ppcall to mon (higher priority) -> its reply");
    ev = fb_wait(fb_clock_ticks() + kt_ms(20));
    KT_CHECK(ev.kind == FB_EV_NOTIFY && ev.w[0] == 1u << KT_BASIC_MON && ev.w[1] == 0,
             "two notifies while not receiving arrive as one event, bit set once",
             "kind %u mask %x:%x", ev.kind, ev.w[1], ev.w[0]);
    ev = fb_wait(fb_clock_ticks() + kt_ms(20));
    KT_EQ(ev.kind, FB_EV_TIMEOUT, "no second event for the merged notifications");
}

/* ---- scheduling ---- */

static void spinner(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    do   /* count first: the other may be waiting to see us */
        spins[i]++;
    while (spins[1 - i] == 0 && fb_clock_ticks() < spin_limit);
    saw_other[i] = spins[1 - i] != 0;
    fb_thread_exit(&joins[i]);
}

static void busy(void *arg)
{
    while (!hold && fb_clock_ticks() < spin_limit)
        spins[0]++;
    fb_thread_exit(&joins[(uintptr_t)arg]);
}

/* Our futex deadline passes while a lower-priority thread computes: the
 * timer interrupt must take the CPU back from it. */
static void timeout_preempts(void)
{
    hold = 0;
    spins[0] = 0;
    uint64_t t0 = fb_clock_ticks();
    spin_limit = t0 + kt_ms(1000);
    int tid = spawn(0, busy, 80);
    volatile uint32_t w = 0;
    int r = fb_futex_wait(&w, 0, t0 + kt_ms(20));
    uint64_t dt = fb_clock_ticks() - t0;
    hold = 1;
    bool joined = join(0, 2000);
    KT_CHECK(tid > 0 && r == -FB_ETIMEDOUT && spins[0] > 0 && dt < kt_ms(200),
             "a deadline preempts a lower-priority thread that never blocks",
             "tid %d, futex_wait %d after %u us, %u spins, joined %d", tid, r, kt_us(dt), spins[0],
             joined);
    hold = 0;
}

static void time_slices(void)
{
    spins[0] = spins[1] = 0;
    saw_other[0] = saw_other[1] = 0;
    uint64_t t0 = fb_clock_ticks();
    spin_limit = t0 + kt_ms(1000);
    int a = spawn(0, spinner, 80), b = spawn(1, spinner, 80);   /* start when we block */
    bool joined = a > 0 && b > 0 && join(0, 3000) && join(1, 3000);
    uint64_t dt = fb_clock_ticks() - t0;
    KT_CHECK(joined && saw_other[0] && saw_other[1],
             "two equal-priority threads that never block both run (time slices)",
             "tids %d %d, joined %d, saw %u %u, spins %u %u", a, b, joined, saw_other[0],
             saw_other[1], spins[0], spins[1]);
    KT_CHECK(dt < kt_ms(100), "the second spinner got the CPU within a few 5 ms slices",
             "both done after %u us", kt_us(dt));
}

/* ---- threads ---- */

static void holder(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    while (hold)
        fb_futex_wait(&hold, 1, 0);
    fb_thread_exit(&joins[i]);
}

static void quitter(void *arg)
{
    fb_thread_exit(&joins[(uintptr_t)arg]);
}

static void thread_checks(void)
{
    KT_EQ(fb_thread_create(quitter, 0, top(0), 0, KT_PRIO_BASIC + 1), -FB_EPERM,
          "thread_create above the PD's priority -> -EPERM");
    KT_EQ(fb_thread_set_prio(fb_thread_self(), KT_PRIO_BASIC + 1), -FB_EPERM,
          "thread_set_prio above the PD's priority -> -EPERM");
    KT_EQ(fb_thread_set_prio((int)kt_board->mon_tid, 50), -FB_ESRCH,
          "thread_set_prio on a thread of another PD -> -ESRCH");
    KT_EQ(fb_thread_set_prio(0, 50), -FB_ESRCH, "thread_set_prio on tid 0 -> -ESRCH");
    KT_EQ(fb_thread_set_prio(100000, 50), -FB_ESRCH, "thread_set_prio on tid 100000 -> -ESRCH");

    /* max_threads is 4: three more threads, then -EAGAIN. */
    hold = 1;
    int made = 0;
    for (unsigned i = 0; i < 3; i++)
        if (spawn(i, holder, 90) > 0)   /* below us: they wait for hold = 0 */
            made++;
    KT_EQ(made, 3, "thread_create up to max_threads succeeds");
    int r = spawn(3, holder, 90);
    KT_EQ(r, -FB_EAGAIN, "thread_create beyond max_threads -> -EAGAIN");
    hold = 0;
    fb_futex_wake(&hold, 10);
    bool all = true;
    for (unsigned i = 0; i < NSTACKS; i++)
        all = join(i, 1000) && all;
    KT_CHECK(all, "the threads exited and freed their slots", "joins %u %u %u %u", joins[0],
             joins[1], joins[2], joins[3]);

    /* thread_exit(&word): 0 stored and we, waiting on the word, are woken. */
    joins[0] = 1;
    int tid = fb_thread_create(quitter, 0, top(0), 0, 90);   /* runs once we block */
    r = fb_futex_wait(&joins[0], 1, fb_clock_ticks() + kt_ms(1000));
    KT_CHECK(tid > 0 && r == 0 && joins[0] == 0,
             "thread_exit with a clear address stores 0 and wakes its futex waiter",
             "tid %d, futex_wait %d, word %u", tid, r, joins[0]);
}

/* ---- channels, rights, pointers ---- */

static void channel_checks(void)
{
    KT_EQ(fb_notify(5), -FB_EINVAL, "notify on an unconnected channel id -> -EINVAL");
    KT_EQ(fb_notify(63), -FB_EINVAL, "notify on channel 63 -> -EINVAL");
    KT_EQ(fb_notify(1000), -FB_EINVAL, "notify on channel 1000 -> -EINVAL");
    struct fb_msg m = { 3, { 0, 0, 0, 0 } };
    KT_EQ(fb_ppcall(KT_BASIC_DRV, m).label, -FB_EPERM, "ppcall to an equal-priority PD -> -EPERM");
    KT_EQ(fb_ppcall(5, m).label, -FB_EINVAL, "ppcall on an unconnected channel id -> -EINVAL");
    KT_EQ(fb_irq_ack(KT_BASIC_MON), -FB_EINVAL, "irq_ack on a channel that is not an IRQ -> -EINVAL");
    KT_EQ(fb_irq_ack(5), -FB_EINVAL, "irq_ack on an unconnected channel id -> -EINVAL");
    KT_EQ(fb_irq_ack(63), -FB_EINVAL, "irq_ack on channel 63 -> -EINVAL");
    KT_EQ(fb_pd_restart(KT_PD_CRASH), -FB_EPERM, "pd_restart without pd_control -> -EPERM");
    KT_EQ(fb_pd_stop(KT_PD_MON), -FB_EPERM, "pd_stop without pd_control -> -EPERM");
    KT_EQ(kt_svc2(FB_SYS_POWEROFF, 3, 0), -FB_EPERM, "poweroff without the right -> -EPERM");
    KT_EQ(kt_svc2(FB_SYS_DEBUG_PUTS, 0x30000000u, 4), -FB_EFAULT,
          "debug_puts from unmapped 0x30000000 -> -EFAULT");
    KT_EQ(kt_svc2(FB_SYS_DEBUG_PUTS, 0x40200000u, 4), -FB_EFAULT,
          "debug_puts from kernel memory -> -EFAULT");
    KT_EQ(kt_svc2(FB_SYS_DEBUG_PUTS, (uint32_t)(uintptr_t)"", 0), 0, "debug_puts of 0 bytes -> 0");
}

/* ---- THREAD_INTERRUPT ---- */

static volatile uint32_t never;    /* nobody ever wakes a futex wait on it */

static void interruptee(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    results[i] = fb_futex_wait(&never, 0, 0);
    fb_thread_exit(&joins[i]);
}

static void interrupt_checks(void)
{
    int tid = spawn(0, interruptee, 90);     /* lower: it runs and blocks once we wait */
    fb_futex_wait(&never, 0, fb_clock_ticks() + kt_ms(20));
    KT_EQ(kt_svc2(FB_SYS_THREAD_INTERRUPT, (uint32_t)tid, 0), 0, "thread_interrupt of a waiting thread -> 0");
    KT_CHECK(join(0, 1000) && results[0] == -FB_EINTR, "its futex_wait returns -EINTR",
             "joined %u, futex_wait %d", joins[0] == 0, results[0]);
    KT_EQ(kt_svc2(FB_SYS_THREAD_INTERRUPT, (uint32_t)fb_thread_self(), 0), 0, "thread_interrupt of itself -> 0");
    KT_EQ(fb_futex_wait(&never, 0, 0), -FB_EINTR, "the next futex_wait returns -EINTR at once");
    KT_EQ(fb_futex_wait(&never, 0, fb_clock_ticks() + kt_ms(5)), -FB_ETIMEDOUT,
          "and only that one: the following wait times out");
    KT_EQ(kt_svc2(FB_SYS_THREAD_INTERRUPT, kt_board->mon_tid, 0), -FB_ESRCH,
          "thread_interrupt of another PD's thread -> -ESRCH");
}

/* ---- the info page ---- */

/* Channels by name (systems/kapi.config), their queue, the PD table. */
static void channel_table_checks(void)
{
    const struct fb_pdinfo *pi = fb_info();
    KT_CHECK(pi && pi->n_chans == 3 && pi->n_pds == 5, "info area: 3 channel ends, 5 PDs",
             "info %p chans %u pds %u", (const void *)pi, pi ? pi->n_chans : 0, pi ? pi->n_pds : 0);
    if (!pi)
        return;
    const struct fb_pdinfo_chan *c = (const void *)((const char *)pi + pi->chans_off);
    KT_CHECK(c[0].id == KT_BASIC_MON && c[1].id == KT_BASIC_SERVER && c[2].id == KT_BASIC_DRV,
             "info area: channel ends by id ascending", "%u %u %u", c[0].id, c[1].id, c[2].id);
    KT_CHECK(c[1].name_off == 0 && c[1].kind == FB_CHAN_PD && c[1].peer == KT_PD_SERVER &&
             c[1].queue_map == FB_CHAN_NO_QUEUE && fb_map_vaddr(&c[1]) == NULL,
             "info area: the unnamed channel to server, no queue", "name %u peer %u queue %u",
             c[1].name_off, c[1].peer, c[1].queue_map);
    const struct fb_pdinfo_chan *m = fb_channel_by_name("mon_basic");
    KT_CHECK(m == &c[0] && m->peer == KT_PD_MON && m->queue_map == FB_CHAN_NO_QUEUE && m->queue_depth == 0,
             "fb_channel_by_name(mon_basic): id 0, peer mon, no queue", "%p", (const void *)m);
    const struct fb_pdinfo_chan *q = fb_channel_by_name("basic_drv");
    KT_CHECK(q == &c[2] && q->kind == FB_CHAN_PD && q->peer == KT_PD_DRV && q->queue_end == 0 &&
             q->queue_depth == KT_Q_DEPTH && q->queue_slot == KT_Q_SLOT,
             "fb_channel_by_name(basic_drv): peer drv, end A, depth 8, slot 256", "end %u depth %u slot %u",
             q ? q->queue_end : 9, q ? q->queue_depth : 0, q ? q->queue_slot : 0);
    const struct fb_pdinfo_map *qm = q && q->queue_map < pi->n_maps ? &pi->maps[q->queue_map] : NULL;
    KT_CHECK(qm && kt_streq(fb_info_str(qm->name_off), "basic_q") && qm->size == 8192 &&
             qm->perms == (FB_PERM_R | FB_PERM_W) && fb_map_vaddr(q) == (void *)KT_BASIC_Q_VADDR,
             "the queue map: region basic_q, 8 KiB, rw, at its address in this PD", "map %u",
             q ? q->queue_map : 99);
    KT_CHECK(fb_channel_by_name("basic") == NULL && fb_channel_by_name("") == NULL &&
             fb_channel_by_name("basic_dr") == NULL, "fb_channel_by_name: unknown names -> NULL", "%d", 0);
    KT_CHECK(fb_pd_by_name("mon") == KT_PD_MON && fb_pd_by_name("server") == KT_PD_SERVER &&
             fb_pd_by_name("basic") == KT_PD_BASIC && fb_pd_by_name("nope") == -1,
             "fb_pd_by_name: mon 0, server 4, basic 1, nope -1", "%d", fb_pd_by_name("server"));
    const struct fb_pdinfo_pd *p = (const void *)((const char *)pi + pi->pds_off);
    KT_CHECK(p[KT_PD_BASIC].monitor == KT_PD_MON && p[KT_PD_DRV].monitor == FB_PD_NO_MONITOR &&
             p[KT_PD_MON].monitor == FB_PD_NO_MONITOR && p[KT_PD_SERVER].monitor == KT_PD_MON &&
             kt_streq(fb_info_str(p[KT_PD_CRASH].name_off), "crash"),
             "info area: the PD table's names and monitors", "basic's monitor %u", p[KT_PD_BASIC].monitor);
    /* the queue region is really shared: drv checks this word */
    if (fb_map_vaddr(q))
        *(volatile uint32_t *)fb_map_vaddr(q) = KT_Q_MARK;
}

static void info_checks(void)
{
    const struct fb_pdinfo *pi = (const struct fb_pdinfo *)FB_PDINFO_VADDR;
    const char *page = (const char *)pi;
    KT_CHECK(pi->magic == FB_PDINFO_MAGIC && pi->version == FB_PDINFO_VERSION, "info page: magic and version",
             "magic %x version %u", pi->magic, pi->version);
    KT_CHECK(pi->pd == KT_PD_BASIC && pi->priority == KT_PRIO_BASIC && pi->max_threads == 4 && pi->rights == 0,
             "info page: index, priority, max_threads, rights", "pd %u prio %u threads %u rights %u",
             pi->pd, pi->priority, pi->max_threads, pi->rights);
    KT_CHECK(kt_streq(page + pi->name_off, "basic"), "info page: the PD's name", "%s", page + pi->name_off);
    bool board = false, info = false, stack = false;
    for (unsigned i = 0; i < pi->n_maps && i < FB_PDINFO_MAX_MAPS; i++) {
        const struct fb_pdinfo_map *m = &pi->maps[i];
        if (m->kind == FB_MAP_REGION && kt_streq(page + m->name_off, "board"))
            board = m->vaddr == KT_BOARD_VADDR && m->size == 4096 && m->perms == (FB_PERM_R | FB_PERM_W);
        if (m->kind == FB_MAP_INFO)
            info = m->vaddr == FB_PDINFO_VADDR && m->perms == FB_PERM_R;
        if (m->kind == FB_MAP_STACK)
            stack = m->vaddr + m->size == FB_STACK_TOP;
    }
    KT_CHECK(board && info && stack, "info page: the board region, the stack and the page itself are listed",
             "board %d info %d stack %d", board, info, stack);
    /* systems/kapi.config: {args, ["basic", "-v"]}, {env, ["KAPI=1"]} */
    static const char want[] = "basic\0-v\0\0KAPI=1";
    bool args = pi->args_len == sizeof want;
    for (unsigned i = 0; args && i < sizeof want; i++)
        args = page[pi->args_off + i] == want[i];
    KT_CHECK(args, "info page: argv and environment from the description", "args_len %u", pi->args_len);
    KT_EQ(kt_svc2(FB_SYS_DEBUG_PUTS, FB_PDINFO_VADDR, 0), 0, "the info page is mapped");
    uint8_t last = *(const volatile uint8_t *)(FB_PDINFO_VADDR + FB_PDINFO_BYTES - 1);  /* faults if not mapped */
    KT_CHECK(last == 0 || last >= 0x20, "the info area's last byte (of two pages) reads", "%u", last);
    KT_EQ(kt_svc2(FB_SYS_DEBUG_PUTS, FB_PDINFO_VADDR + FB_PDINFO_BYTES, 1), -FB_EFAULT,
          "the byte after the info area is not");
    channel_table_checks();
    KT_EQ(fb_futex_wake((volatile uint32_t *)FB_PDINFO_VADDR, 1), 0, "futex_wake on the info page (read-only) -> 0 woken");
}

/* A ppcall into a PD that faults while serving it fails, it does not hang. */
static void faulting_callee(void)
{
    struct fb_msg m = { 9, { 0, 0, 0, 0 } };
    int label = (int)fb_ppcall(KT_BASIC_SERVER, m).label;
    KT_CHECK(label == -FB_ESRCH, "ppcall into a PD that faults while serving it -> -ESRCH",
             "label %d", label);
    label = (int)fb_ppcall(KT_BASIC_SERVER, m).label;
    KT_CHECK(label == -FB_ESRCH, "ppcall into the stopped PD -> -ESRCH", "label %d", label);
}

void init(void)
{
    for (;;) {   /* mon says when */
        struct fb_event ev = fb_wait(0);
        if (ev.kind == FB_EV_NOTIFY && (ev.w[0] & (1u << KT_BASIC_MON)))
            break;
    }
    futex_basics();
    futex_waiters();
    recv_checks();
    timeout_preempts();
    time_slices();
    thread_checks();
    channel_checks();
    interrupt_checks();
    info_checks();
    faulting_callee();
    fb_notify(KT_BASIC_MON);
}
