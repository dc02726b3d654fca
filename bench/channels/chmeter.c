/*
 * chmeter.c - the meter PD of bench/channels (README.md there), next to the
 * native echo PD.  It answers on the queue pair of its channel `meter`:
 *   "pmu"    -> <<Insns:32/little>>: PMU counter 0 (instructions executed
 *               since boot, every PD and the kernel: main.c starts it), so
 *               that the Erlang side can count the instructions of a loop;
 *   "crash"  -> writes the PMU count into its region `keep` (not reset by a
 *               restart) and then faults (a write through NULL).
 * When it starts and `keep` holds such a count, its first message is
 * <<"up", Fault:32/little, Now:32/little>>: the instructions from its fault
 * to its restarted init, all of it the supervisor's work.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

#define KEEP_VADDR 0x21000000u     /* region `keep` (bench/channels/channels.config) */
#define KEEP_MAGIC 0x6b656570u

struct keep {
    uint32_t magic;
    uint32_t fault_insns;
};

static struct fb_qpair q;
static unsigned meter_ch;
static volatile uint32_t *volatile null_ptr;   /* 0, unknown to the compiler */

static uint32_t pmu_insns(void)
{
    uint32_t v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 2"
                     : "=r"(v) : "r"(0) : "memory");
    return v;
}

static bool is(const uint8_t *data, uint32_t len, const char *word)
{
    uint32_t i = 0;
    for (; word[i]; i++)
        if (i >= len || data[i] != (uint8_t)word[i])
            return false;
    return i == len;
}

static bool reply(const void *data, uint32_t len)
{
    return fb_queue_send(&q.tx, data, len, 0) == 0 && fb_queue_notify_data(&q.tx);
}

static void serve(void)
{
    bool kick = false;
    uint8_t msg[16];
    uint32_t cookie;
    int n;
    for (;;) {
        n = fb_queue_recv(&q.rx, msg, sizeof msg, &cookie);
        if (n == FB_QUEUE_EMPTY) {
            if (fb_queue_want_data(&q.rx))
                break;          /* the next message notifies us */
            continue;
        }
        if (n < 0) {
            fb_printf("chmeter: its queue is broken (%d)\n", n);
            fb_pd_exit(2);
        }
        kick |= fb_queue_notify_space(&q.rx);
        if (is(msg, (uint32_t)n, "pmu")) {
            uint32_t v = pmu_insns();
            kick |= reply(&v, sizeof v);
        } else if (is(msg, (uint32_t)n, "crash")) {
            if (kick)
                fb_notify(meter_ch);
            volatile struct keep *k = (volatile struct keep *)KEEP_VADDR;
            k->magic = KEEP_MAGIC;
            k->fault_insns = pmu_insns();
            *null_ptr = 1;
        }
    }
    if (kick)
        fb_notify(meter_ch);
}

void init(void)
{
    int ch = fb_queue_channel("meter", &q);
    if (ch < 0) {
        fb_printf("chmeter: no queue pair named meter\n");
        fb_pd_exit(2);
    }
    meter_ch = (unsigned)ch;
    volatile struct keep *k = (volatile struct keep *)KEEP_VADDR;
    if (k->magic == KEEP_MAGIC) {
        uint32_t up[3] = { 0, k->fault_insns, pmu_insns() };
        __builtin_memcpy(up, "up\0\0", 4);
        k->magic = 0;
        fb_qpair_resync(&q);
        reply(up, sizeof up);
        fb_notify(meter_ch);
    } else if (fb_qpair_resync(&q)) {
        fb_notify(meter_ch);
    }
    serve();
}

void notified(unsigned ch)
{
    if (ch == meter_ch)
        serve();
}
