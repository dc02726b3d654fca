/*
 * sensor.c - the sensor PD of the sensor demo (systems/sensor.config): it
 * produces numbered readings into the queue pair of its channel `readings`
 * (include/freebeam/queue.h) for an Erlang gen_server, which acknowledges
 * them, and it crashes on purpose after every N readings (N is its first
 * argument) so that the Erlang supervisor restarts it.
 *
 * Nothing it produced may be lost or duplicated by a crash.  A reading is
 * a message {number, value} whose cookie is its number; the queue keeps
 * what was published, and a restarted sensor numbers on from the cookie
 * of the last message it published (fb_queue_last_cookie), whatever its
 * fresh private memory says.  Two ways of crashing take turns: right after
 * publishing reading k (k a multiple of N), and after writing reading k+1
 * into its slot without publishing it (the restarted sensor writes it
 * again): neither may show as a gap or a repeat on the Erlang side.
 *
 * The Erlang side sends cumulative acknowledgements (the number of the
 * last reading it has handled) the other way; the sensor keeps at most
 * WINDOW unacknowledged readings in flight beyond what the queue holds.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

#define WINDOW 256u

struct reading {
    uint32_t number;
    uint32_t value;
};

static struct fb_qpair q;
static unsigned ch;
static uint32_t every = 100;     /* readings between crashes */
static uint32_t next = 1;        /* the number of the next reading */
static uint32_t acked;           /* the last number acknowledged */

static uint32_t parse_uint(const char *s, uint32_t dflt)
{
    uint32_t v = 0;
    if (!s || !*s)
        return dflt;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000u)
            return dflt;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    return v ? v : dflt;
}

static uint32_t measure(uint32_t n)
{
    return n * 2654435761u >> 16;   /* a made-up reading, checkable */
}

static volatile uint32_t *volatile null_ptr;   /* 0, unknown to the compiler */

static __attribute__((noreturn)) void crash(void)
{
    *null_ptr = next;           /* a data abort at address 0 */
    for (;;)
        ;
}

/* Take the acknowledgements the Erlang side sent. */
static bool take_acks(void)
{
    bool freed = false;
    uint32_t a, cookie;
    while (fb_queue_recv(&q.rx, &a, sizeof a, &cookie) == (int)sizeof a) {
        if (a - acked < 0x80000000u)
            acked = a;
        freed = true;
    }
    return freed && fb_queue_notify_space(&q.rx);
}

static void produce(void)
{
    bool kick = take_acks();
    for (;;) {
        if (next - acked > WINDOW + q.tx.depth) {
            if (fb_queue_want_data(&q.rx))
                break;          /* an ack notifies us */
            kick |= take_acks();
            continue;
        }
        struct reading r = { next, measure(next) };
        int s = fb_queue_send(&q.tx, &r, sizeof r, next);
        if (s == FB_QUEUE_FULL) {
            if (fb_queue_want_space(&q.tx))
                break;          /* the consumer notifies us */
            continue;
        }
        if (s < 0) {
            fb_printf("sensor: the queue is broken (%d): stopping\n", s);
            fb_pd_exit(2);
        }
        kick |= fb_queue_notify_data(&q.tx);
        uint32_t done = next++;
        if (done % every == 0) {
            if (kick)
                fb_notify(ch);
            if ((done / every) % 2 == 0 && fb_queue_free(&q.tx) > 0) {
                /* Reading done+1 written into its free slot, not published. */
                struct reading half = { next, measure(next) };
                uint32_t i = fb_shm_get(&q.tx.c->tail) & q.tx.mask;
                __builtin_memcpy(q.tx.data + i * q.tx.slot, &half, sizeof half);
            }
            crash();
        }
    }
    if (kick)
        fb_notify(ch);
}

void init(void)
{
    int id = fb_queue_channel("readings", &q);
    if (id < 0) {
        fb_printf("sensor: no queue pair named readings\n");
        fb_pd_exit(2);
    }
    ch = (unsigned)id;
    every = parse_uint(fb_arg(1), 100);
    uint32_t last;
    if (fb_queue_last_cookie(&q.tx, &last))
        next = last + 1;
    acked = next - 1;           /* what the queue holds counts as in flight */
    if (fb_qpair_resync(&q))
        fb_notify(ch);
    produce();
}

void notified(unsigned c)
{
    if (c == ch)
        produce();
}
