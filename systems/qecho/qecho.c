/*
 * qecho.c - a native echo PD: every message that arrives on the queue pair
 * of its channel `echo` (or the channel its first argument names) goes back
 * the same way, whole, with its cookie; a
 * notification on its bare channel `ping` is answered with one.  Two
 * messages are orders, for tests of supervision: "crash" makes it write
 * through a NULL pointer, "exit" ends it with status 5.  Used by the
 * posix-native test (tests/posix/native.c: a plain C program on libos) and
 * by bench/channels (the Erlang-to-native round trip).
 *
 * When its reply queue is full it stops taking messages (they wait in the
 * queue: back-pressure, nothing dropped) and asks to be told when space
 * frees up.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

static struct fb_qpair q;
static unsigned echo_ch, ping_ch = ~0u;
static volatile uint32_t *volatile null_ptr;   /* 0, unknown to the compiler */
static uint8_t buf[4096];

static bool is(const struct fb_qmsg *m, const char *word)
{
    uint32_t i = 0;
    for (; word[i]; i++)
        if (i >= m->len || m->data[i] != (uint8_t)word[i])
            return false;
    return i == m->len;
}

static void pump(void)
{
    bool kick = false;
    struct fb_qmsg m;
    int r;
    while ((r = fb_qpair_next_request(&q, &m)) == 0) {
        if (is(&m, "crash") || is(&m, "exit")) {
            /* Consumed first: a restarted instance must not obey it again. */
            bool crash = is(&m, "crash");
            fb_queue_consume(&q.rx, &m);
            if (fb_queue_notify_space(&q.rx))
                fb_notify(echo_ch);
            if (crash)
                *null_ptr = 1;
            fb_pd_exit(5);
        }
        uint32_t len = m.len <= sizeof buf ? m.len : sizeof buf;
        __builtin_memcpy(buf, m.data, len);   /* copy before use: the peer may change it */
        fb_queue_consume(&q.rx, &m);
        kick |= fb_queue_notify_space(&q.rx);
        if (fb_queue_send(&q.tx, buf, len, m.cookie) == 0)
            kick |= fb_queue_notify_data(&q.tx);
    }
    if (r == FB_QUEUE_CORRUPT) {
        fb_printf("qecho: its queue is broken (%d)\n", r);
        fb_pd_exit(2);
    }
    if (kick)
        fb_notify(echo_ch);
}

void init(void)
{
    const char *name = fb_arg(1) ? fb_arg(1) : "echo";
    int id = fb_queue_channel(name, &q);
    if (id < 0) {
        fb_printf("qecho: no queue pair named %s\n", name);
        fb_pd_exit(2);
    }
    echo_ch = (unsigned)id;
    const struct fb_pdinfo_chan *p = fb_channel_by_name("ping");
    if (p)
        ping_ch = p->id;
    if (fb_qpair_resync(&q))
        fb_notify(echo_ch);
    pump();
}

void notified(unsigned ch)
{
    if (ch == echo_ch)
        pump();
    else if (ch == ping_ch)
        fb_notify(ping_ch);
}
