/*
 * net_stack.c - lwIP inside libos: its start, its one lock, its clock and
 * its timer thread (net.h; docs/networking.md).
 *
 * Start: at the first socket call, never before, so a program without
 * sockets pays no memory and no thread: lwIP's heap (MEM_SIZE bytes, which
 * also holds its pools) is taken from libos pages, lwip_init() runs, the
 * interfaces come up (net_if.c), and the timer thread starts.
 *
 * Timers: lwIP keeps a sorted list of timeouts (TCP's 250 ms timer only
 * while a connection is open; nothing at all when idle).  The timer thread
 * runs the due ones and sleeps on its futex word until the next one is due
 * (no deadline when there is none: an idle stack wakes nobody).  Anyone who
 * drove lwIP and so may have armed an earlier timeout checks, in
 * net_unlock(), whether it is earlier than the thread's alarm and, if so,
 * wakes it to re-plan.  net_unlock() also runs due timeouts itself, which
 * is cheap (the head of a list) and keeps a busy stack timely.
 *
 * Corking: a small TCP send that took all it was given leaves its data in
 * lwIP's unsent queue (net_tcp.c) rather than sending them at once, so
 * that the small writes of a burst (erts writes each distribution message
 * on its own) leave as one segment, and the peer acknowledges one segment,
 * not each.  Linux gets the same from its autocorking (small writes wait
 * while the previous segment is still in the device's queue).  The corked
 * data goes out at the next net_unlock() that is not a send's (a socket
 * call, a frame in, the timer thread), and at the next system call of any
 * thread that is not a send or a socket receive (syscall.c; a receive
 * sends it in its own net_unlock): so before any thread can block,
 * and the data is in the peer's hands as soon as the sender does anything
 * else.  A thread that computes without a system call after its send
 * delays the data by at most one TCP timer tick (250 ms), if no frame
 * comes in before.
 *
 * Loopback: lwIP's loopback interface queues what it sends to itself;
 * net_unlock() delivers that queue (netif_poll_all) before dropping the
 * lock, so by the time the sender's next call returns the peer socket has
 * the data, as on Linux.
 */
#include "net.h"
#include <freebeam/kcall.h>
#include "timeconv.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "lwip/priv/tcp_priv.h"   /* tcp_active_pcbs */

#define TIMER_STACK 16384u

unsigned char *libos_net_heap;      /* lwIP's heap (LWIP_RAM_HEAP_POINTER) */

static struct libos_lock net_big_lock;
static bool net_started;
static bool net_dirty;              /* net_changed() since the lock was taken */
static volatile uint32_t timer_seq; /* the timer thread's futex word */
static uint64_t timer_alarm;        /* when the timer thread will wake (ticks); UINT64_MAX: never */
volatile bool libos_net_tx_corked;  /* TCP data waits in some pcb's unsent queue */
static bool cork_kept;              /* this lock's holder corked: its net_unlock keeps it */

uint32_t sys_now(void)
{
    return (uint32_t)tc_div_1e6(libos_ticks_to_ns(libos_ticks()));
}

uint32_t libos_net_rand(void)
{
    /* lwIP draws its first ephemeral ports and similar from this: a mix of
     * the counter is enough (not a secret; must never block). */
    static uint32_t x;
    x ^= (uint32_t)libos_ticks() * 2654435761u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

void libos_net_assert(const char *msg, int line, const char *file)
{
    libos_puts("libos: lwIP assertion failed: ");
    libos_puts(msg);
    libos_puts(" at ");
    libos_puts(file);
    libos_log_num(" line", (unsigned long)line);
    libos_die(134);
}

void net_changed(void)
{
    net_dirty = true;
}

void net_tx_cork(void)
{
    libos_net_tx_corked = true;
    cork_kept = true;
}

/* Under the lock: send what corked sends left in the unsent queues. */
static void tx_uncork(void)
{
    libos_net_tx_corked = false;
    for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
        if (pcb->unsent)
            tcp_output(pcb);
}

void libos_net_tx_flush(void)
{
    if (net_lock() == 0)
        net_unlock();
}

/* Ticks of the counter from now until lwIP's next timeout, or UINT64_MAX. */
static uint64_t next_timeout_ticks(void)
{
    uint32_t ms = sys_timeouts_sleeptime();
    if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
        return UINT64_MAX;
    return libos_ticks() + tc_ns_to_ticks((uint64_t)ms * 1000000u, libos_freq()) + 1;
}

static __attribute__((noreturn, used)) void timer_loop(void *arg)
{
    (void)arg;
    libos_set_tid((uint32_t)fb_thread_self());
    for (;;) {
        uint32_t seen = __atomic_load_n(&timer_seq, __ATOMIC_SEQ_CST);
        libos_lock(&net_big_lock);
        sys_check_timeouts();
        timer_alarm = next_timeout_ticks();
        uint64_t alarm = timer_alarm;
        net_unlock();
        fb_futex_wait(&timer_seq, seen, alarm == UINT64_MAX ? 0 : alarm);
    }
}

static int net_start(void)
{
    libos_net_heap = libos_pages_alloc(MEM_SIZE + 4096);
    if (!libos_net_heap)
        return -ENOMEM;
    lwip_init();
    net_if_init();
    timer_alarm = UINT64_MAX;
    uint8_t *stack = libos_pages_alloc(TIMER_STACK);
    int32_t tid = stack ? fb_thread_start((uintptr_t)timer_loop, (uintptr_t)(stack + TIMER_STACK), 0, 0,
                                          libos_prio)
                        : -ENOMEM;
    if (tid < 0) {
        /* Timers then run only when a socket call passes by: say so. */
        if (stack)
            libos_pages_free(stack, TIMER_STACK);
        libos_log_num("net: cannot start the timer thread; TCP timers run only during socket calls, error",
                      (unsigned long)-tid);
    }
    net_started = true;
    return 0;
}

int net_lock(void)
{
    libos_lock(&net_big_lock);
    if (!net_started) {
        int r = net_start();
        if (r) {
            libos_unlock(&net_big_lock);
            return r;
        }
    }
    return 0;
}

void net_unlock(void)
{
    if (cork_kept)
        cork_kept = false;
    else if (libos_net_tx_corked)
        tx_uncork();
    netif_poll_all();
    sys_check_timeouts();
    netif_poll_all();
    uint64_t want = next_timeout_ticks();
    if (want < timer_alarm) {
        timer_alarm = want;
        __atomic_fetch_add(&timer_seq, 1, __ATOMIC_SEQ_CST);
        fb_futex_wake(&timer_seq, 1);
    }
    bool dirty = net_dirty;
    net_dirty = false;
    libos_unlock(&net_big_lock);
    if (dirty)
        libos_file_changed();
}

int net_err_to_errno(err_t e)
{
    switch (e) {
    case ERR_OK:         return 0;
    case ERR_MEM:        return ENOMEM;
    case ERR_BUF:        return ENOBUFS;
    case ERR_TIMEOUT:    return ETIMEDOUT;
    case ERR_RTE:        return ENETUNREACH;
    case ERR_INPROGRESS: return EINPROGRESS;
    case ERR_VAL:        return EINVAL;
    case ERR_WOULDBLOCK: return EAGAIN;
    case ERR_USE:        return EADDRINUSE;
    case ERR_ALREADY:    return EALREADY;
    case ERR_ISCONN:     return EISCONN;
    case ERR_CONN:       return ENOTCONN;
    case ERR_IF:         return ENETDOWN;
    case ERR_ABRT:       return ECONNABORTED;
    case ERR_RST:        return ECONNRESET;
    case ERR_CLSD:       return ENOTCONN;
    case ERR_ARG:        return EINVAL;
    default:             return EIO;
    }
}
