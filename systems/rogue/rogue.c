/*
 * rogue.c - the rogue PD of the isolation demo (systems/rogue/): a native
 * component gone bad.  It shares the queue pair of its channel `junk` with
 * the BEAM PD and, in turns, sends good messages and breaks the queue in the
 * ways a buggy or hostile peer can: an impossible tail (more messages than
 * the queue holds), a descriptor whose offset points outside the data area,
 * one whose length exceeds the slot.  After each break it waits until the
 * Erlang side says it saw the damage (a message back), repairs it and goes
 * on.  Last it tries to write into the BEAM PD's memory (the BEAM's heap
 * address, which is not mapped here): the kernel stops it with a fault that
 * the BEAM PD, its monitor, receives.
 *
 * Good messages are {number, 0x600DF00D}; the Erlang side fails the demo if
 * it ever receives anything else as data.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

#define GOOD_MAGIC 0x600df00du
#define PER_ROUND 5u
#define BEAM_HEAP 0x08000000u   /* where the BEAM PD's heap is, in the BEAM PD (beam/shell.config) */

static struct fb_qpair q;
static unsigned ch;
static uint32_t sent, round;   /* round: which break comes next (0..2), then 3: the write */
static bool waiting;           /* a break is out; wait for the Erlang side's word */
static uint32_t saved;         /* what the break overwrote */

static void send_good(void)
{
    for (uint32_t i = 0; i < PER_ROUND; i++) {
        uint32_t m[2] = { ++sent, GOOD_MAGIC };
        if (fb_queue_send(&q.tx, m, sizeof m, sent) != 0) {
            fb_printf("rogue: cannot send a good message\n");
            fb_pd_exit(2);
        }
    }
}

static struct fb_qdesc *last_desc(void)
{
    return &q.tx.desc[(fb_shm_get(&q.tx.c->tail) - 1) & q.tx.mask];
}

/* Break the queue in the way of this round (after good messages). */
static void do_break(void)
{
    switch (round) {
    case 0:     /* tail: far more messages than the queue can hold */
        saved = fb_shm_get(&q.tx.c->tail);
        fb_shm_set(&q.tx.c->tail, saved + 1000u * q.tx.depth);
        fb_printf("rogue: break 1: tail moved by %u\n", 1000u * q.tx.depth);
        break;
    case 1: {   /* one more message whose offset points past the data area */
        uint32_t m[2] = { sent + 1, GOOD_MAGIC };
        fb_queue_send(&q.tx, m, sizeof m, sent + 1);
        struct fb_qdesc *d = last_desc();
        saved = fb_shm_get(&d->offset);
        fb_shm_set(&d->offset, 0xfffff000u);
        fb_printf("rogue: break 2: a descriptor's offset 0x%08x\n", 0xfffff000u);
        break;
    }
    case 2: {   /* one more message longer than a slot */
        struct fb_qdesc *d = last_desc();
        saved = fb_shm_get(&d->len);
        fb_shm_set(&d->len, q.tx.slot + 64u);
        fb_printf("rogue: break 3: a descriptor's length %u (slot %u)\n", q.tx.slot + 64u, q.tx.slot);
        break;
    }
    }
    waiting = true;
}

/* The Erlang side saw the break: repair it. */
static void repair(void)
{
    switch (round) {
    case 0:
        fb_shm_set(&q.tx.c->tail, saved);
        break;
    case 1:
        fb_shm_set(&last_desc()->offset, saved);
        sent++;                 /* the message behind it is good now */
        break;
    case 2:
        fb_shm_set(&last_desc()->len, saved);
        break;
    }
    waiting = false;
    round++;
}

static void step(void)
{
    uint32_t word, cookie;
    bool repaired = false;
    while (fb_queue_recv(&q.rx, &word, sizeof word, &cookie) == (int)sizeof word) {
        fb_queue_notify_space(&q.rx);
        if (waiting) {
            repair();
            repaired = true;
        }
    }
    fb_queue_want_data(&q.rx);
    if (repaired)
        fb_notify(ch);          /* the Erlang side reads what the repair made good */
    if (waiting)
        return;
    if (round == 3) {
        fb_printf("rogue: writing into the BEAM PD's heap at 0x%08x\n", BEAM_HEAP);
        *(volatile uint32_t *)BEAM_HEAP = 0xbad;
        fb_printf("rogue: FAIL the write did not fault\n");
        fb_pd_exit(3);
    }
    send_good();
    if (round == 2)             /* break 3 needs a published message to shorten */
        send_good();
    do_break();
    fb_notify(ch);
}

void init(void)
{
    int id = fb_queue_channel("junk", &q);
    if (id < 0) {
        fb_printf("rogue: no queue pair named junk\n");
        fb_pd_exit(2);
    }
    ch = (unsigned)id;
    step();
}

void notified(unsigned c)
{
    if (c == ch)
        step();
}
