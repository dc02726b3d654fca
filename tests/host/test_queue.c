/*
 * test_queue.c - include/freebeam/queue.h on the host: parameters and
 * layout, empty, full, wrap of the free-running counters across 2^32,
 * too-long messages and too-small buffers, cookie read-back by a restarted
 * producer, the notification handshake step by step, corrupt shared words
 * rejected (the region is allocated to its exact size, so ASan sees any
 * stray access), the restart resynchronisation, and a two-thread stress
 * test in which each side waits on an emulated kernel notification only
 * after asking for it: no message lost, duplicated, reordered or altered,
 * and no wake-up lost.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <freebeam/queue.h>
#include "check.h"
#include "notif.h"

/* A zeroed region of exactly `bytes` (a multiple of 64), 64-byte aligned. */
static uint8_t *new_region(uint32_t bytes)
{
    uint8_t *p = aligned_alloc(64, bytes);
    memset(p, 0, bytes);
    return p;
}

/* The smallest region for depth and slot: two halves, rounded up to 128. */
static uint32_t region_for(uint32_t depth, uint32_t slot)
{
    uint32_t half = (uint32_t)FB_QUEUE_HALF_BYTES(depth, slot);
    return (2 * half + 127) / 128 * 128;
}

/* The two ends of one pair: a is end A, b end B. */
struct ends {
    uint8_t *mem;
    uint32_t bytes;
    struct fb_qpair a, b;
};

static void open_ends(struct ends *e, uint32_t depth, uint32_t slot)
{
    e->bytes = region_for(depth, slot);
    e->mem = new_region(e->bytes);
    CHECK(fb_qpair_attach(&e->a, e->mem, e->bytes, 0, depth, slot));
    CHECK(fb_qpair_attach(&e->b, e->mem, e->bytes, 1, depth, slot));
}

static void close_ends(struct ends *e)
{
    free(e->mem);
}

static void params_and_layout(void)
{
    CHECK(FB_QUEUE_HALF_BYTES(4, 64) == 128 + 64 + 256);
    CHECK(FB_QUEUE_HALF_BYTES(4096, 0xffffffffu) > 0xffffffffu);   /* no 32-bit overflow */
    CHECK(fb_queue_params_ok(1, 8) && fb_queue_params_ok(4096, 8) && fb_queue_params_ok(16, 2048));
    CHECK(!fb_queue_params_ok(0, 8) && !fb_queue_params_ok(3, 8) && !fb_queue_params_ok(8192, 8));
    CHECK(!fb_queue_params_ok(4, 0) && !fb_queue_params_ok(4, 4) && !fb_queue_params_ok(4, 12));
    CHECK(!fb_queue_params_ok(4096, 0x100000u));   /* a half over 2 GiB */

    uint32_t bytes = 2 * (uint32_t)FB_QUEUE_HALF_BYTES(8, 32);   /* 2 * 512: exact fit */
    uint8_t *mem = new_region(bytes + 128);
    struct fb_qpair a, b;
    CHECK(fb_qpair_attach(&a, mem, bytes, 0, 8, 32));
    CHECK(fb_qpair_attach(&b, mem, bytes, 1, 8, 32));
    CHECK((uint8_t *)a.tx.c == mem && (uint8_t *)a.rx.c == mem + bytes / 2);
    CHECK(b.tx.c == a.rx.c && b.rx.c == a.tx.c);
    CHECK((uint8_t *)a.tx.desc == mem + 128 && a.tx.data == mem + 128 + 16 * 8);
    CHECK(a.tx.data_bytes == 256 && a.tx.depth == 8 && a.tx.slot == 32 && a.tx.mask == 7);
    CHECK(fb_qpair_attach(&a, mem, bytes + 128, 1, 8, 32));         /* bigger is fine */
    CHECK((uint8_t *)a.tx.c == mem + (bytes + 128) / 2);
    CHECK(!fb_qpair_attach(&a, mem, bytes - 128, 0, 8, 32));        /* a half too small */
    CHECK(!fb_qpair_attach(&a, mem, bytes + 64, 0, 8, 32));         /* not a multiple of 128 */
    CHECK(!fb_qpair_attach(&a, mem + 8, bytes, 0, 8, 32));          /* misaligned */
    CHECK(!fb_qpair_attach(&a, mem, bytes, 2, 8, 32));              /* no such end */
    CHECK(!fb_qpair_attach(&a, mem, bytes, 0, 6, 32));
    CHECK(!fb_qpair_attach(&a, mem, 0, 0, 8, 32));
    free(mem);
}

static void fill(uint8_t *buf, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(seed * 31 + i * 7 + 1);
}

static void empty_and_full(void)
{
    struct ends e;
    open_ends(&e, 4, 16);
    struct fb_queue *p = &e.a.tx, *c = &e.b.rx;
    uint8_t msg[16], buf[16];
    struct fb_qmsg m;
    uint32_t cookie = 0;
    CHECK(fb_queue_pending(c) == 0 && fb_queue_free(p) == 4);
    CHECK(fb_queue_recv(c, buf, sizeof buf, &cookie) == FB_QUEUE_EMPTY);
    CHECK(fb_queue_peek(c, &m) == FB_QUEUE_EMPTY);
    CHECK(fb_queue_recv(&e.a.rx, buf, sizeof buf, NULL) == FB_QUEUE_EMPTY);   /* other direction */

    for (uint32_t i = 0; i < 4; i++) {
        fill(msg, 16, i);
        CHECK(fb_queue_send(p, msg, 10 + i, 100 + i) == 0);
    }
    CHECK(fb_queue_free(p) == 0 && fb_queue_pending(c) == 4);
    CHECK(fb_queue_send(p, msg, 1, 0) == FB_QUEUE_FULL);   /* bounded: pushes back */
    CHECK(p->c->tail == 4);
    CHECK(fb_queue_pending(&e.b.tx) == 0);                 /* directions are independent */
    /* message p is in slot p % depth, described by descriptor p % depth */
    CHECK(p->desc[2].offset == 2 * 16 && p->desc[2].len == 12 && p->desc[2].cookie == 102);

    unsigned bad = 0;
    for (uint32_t i = 0; i < 4; i++) {
        int n = fb_queue_recv(c, buf, sizeof buf, &cookie);
        fill(msg, 16, i);
        if (n != (int)(10 + i) || cookie != 100 + i || memcmp(buf, msg, (size_t)n) != 0)
            bad++;
        if (i == 0)
            CHECK(fb_queue_send(p, msg, 3, 7) == 0);   /* one slot freed: one more fits */
    }
    CHECK(bad == 0);
    CHECK(fb_queue_peek(c, &m) == 0 && m.len == 3 && m.cookie == 7 && m.pos == 4);
    CHECK(m.data == c->data + 0);                         /* message 4 reuses slot 0 */
    fb_queue_consume(c, &m);
    CHECK(fb_queue_pending(c) == 0 && fb_queue_free(p) == 4);
    close_ends(&e);
}

/* Writing in place: reserve gives the slot the next message goes to, a
 * reserve without publish publishes nothing, publish refuses more than a
 * slot, and a full queue reserves nothing. */
static void reserve_in_place(void)
{
    struct ends e;
    open_ends(&e, 2, 16);
    struct fb_queue *p = &e.a.tx, *c = &e.b.rx;
    uint8_t buf[16];
    void *slot = NULL;
    uint32_t cookie = 0;
    CHECK(fb_queue_reserve(p, &slot) == 0 && slot == p->data);
    CHECK(fb_queue_pending(c) == 0);                       /* nothing shown yet */
    CHECK(fb_queue_reserve(p, &slot) == 0 && slot == p->data);   /* unpublished: the same slot */
    fill(slot, 16, 5);
    CHECK(fb_queue_publish(p, 17, 9) == FB_QUEUE_TOO_BIG && p->c->tail == 0);
    CHECK(fb_queue_publish(p, 16, 9) == 0 && p->c->tail == 1);
    CHECK(fb_queue_reserve(p, &slot) == 0 && slot == p->data + 16);
    memcpy(slot, "abc", 3);
    CHECK(fb_queue_publish(p, 3, 10) == 0);
    void *none = NULL;
    CHECK(fb_queue_reserve(p, &none) == FB_QUEUE_FULL && none == NULL);
    uint8_t want[16];
    fill(want, 16, 5);
    CHECK(fb_queue_recv(c, buf, sizeof buf, &cookie) == 16 && cookie == 9 && memcmp(buf, want, 16) == 0);
    CHECK(fb_queue_recv(c, buf, sizeof buf, &cookie) == 3 && cookie == 10 && memcmp(buf, "abc", 3) == 0);
    CHECK(fb_queue_reserve(p, &slot) == 0 && slot == p->data);   /* wrapped to slot 0 */
    p->c->head = 7;                                         /* a peer that breaks the indices */
    CHECK(fb_queue_reserve(p, &slot) == FB_QUEUE_CORRUPT);
    close_ends(&e);
}

static void sizes_of_messages(void)
{
    struct ends e;
    open_ends(&e, 2, 24);
    struct fb_queue *p = &e.b.tx, *c = &e.a.rx;   /* B -> A this time */
    uint8_t msg[32], buf[32];
    fill(msg, 32, 9);
    CHECK(fb_queue_send(p, msg, 25, 1) == FB_QUEUE_TOO_BIG);   /* never truncated */
    CHECK(fb_queue_send(p, msg, 0xffffffffu, 1) == FB_QUEUE_TOO_BIG);
    CHECK(p->c->tail == 0);
    CHECK(fb_queue_send(p, msg, 24, 2) == 0);                  /* exactly a slot */
    CHECK(fb_queue_send(p, msg, 0, 3) == 0);                   /* an empty message */

    uint32_t cookie = 0;
    CHECK(fb_queue_recv(c, buf, 23, &cookie) == FB_QUEUE_SHORT_BUF);
    CHECK(fb_queue_recv(c, buf, 0, &cookie) == FB_QUEUE_SHORT_BUF);
    CHECK(fb_queue_pending(c) == 2 && cookie == 0);            /* still there */
    struct fb_qmsg m;
    CHECK(fb_queue_peek(c, &m) == 0 && m.len == 24);           /* how big a buffer it needs */
    CHECK(fb_queue_recv(c, buf, 24, &cookie) == 24 && cookie == 2 && memcmp(buf, msg, 24) == 0);
    CHECK(fb_queue_recv(c, buf, 0, &cookie) == 0 && cookie == 3);
    CHECK(fb_queue_recv(c, buf, 0, &cookie) == FB_QUEUE_EMPTY);
    close_ends(&e);
}

/* Messages through a small queue while tail and head cross 2^32. */
static void wrap_around(void)
{
    struct ends e;
    open_ends(&e, 4, 32);
    struct fb_queue *p = &e.a.tx, *c = &e.b.rx;
    p->c->tail = p->c->head = 0xffffffffu - 9;
    uint8_t msg[32], buf[32];
    unsigned bad = 0;
    uint32_t next_w = 0, next_r = 0;
    for (unsigned round = 0; round < 60; round++) {
        uint32_t batch = 1 + round % 5;   /* sometimes more than fits */
        for (uint32_t i = 0; i < batch; i++) {
            fill(msg, 32, next_w);
            int rc = fb_queue_send(p, msg, next_w % 33, next_w);
            if (rc == 0)
                next_w++;
            else if (rc != FB_QUEUE_FULL || next_w - next_r != 4)
                bad++;
        }
        uint32_t take = 1 + round % 3;
        for (uint32_t i = 0; i < take; i++) {
            uint32_t cookie;
            int n = fb_queue_recv(c, buf, sizeof buf, &cookie);
            if (n == FB_QUEUE_EMPTY && next_r == next_w)
                break;
            fill(msg, 32, next_r);
            if (n != (int)(next_r % 33) || cookie != next_r || memcmp(buf, msg, (size_t)n) != 0)
                bad++;
            next_r++;
        }
        if (p->c->tail - p->c->head != next_w - next_r)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(next_w > 50 && p->c->tail < 0x1000u);   /* the counters did wrap */
    close_ends(&e);
}

/* A restarted producer (fresh private memory) finds its numbering. */
static void cookie_read_back(void)
{
    struct ends e;
    open_ends(&e, 4, 8);
    uint32_t cookie = 12345;
    uint8_t buf[8] = { 0 };
    CHECK(!fb_queue_last_cookie(&e.a.tx, &cookie) && cookie == 12345);
    for (uint32_t seq = 1; seq <= 6; seq++) {
        CHECK(fb_queue_send(&e.a.tx, &seq, sizeof seq, seq) == 0);
        CHECK(fb_queue_recv(&e.b.rx, buf, sizeof buf, NULL) == 4);
    }
    CHECK(fb_queue_send(&e.a.tx, buf, 1, 7) == 0);   /* 7 published, not consumed */

    struct fb_qpair fresh;   /* the restarted producer's new handle */
    CHECK(fb_qpair_attach(&fresh, e.mem, e.bytes, 0, 4, 8));
    CHECK(fb_queue_last_cookie(&fresh.tx, &cookie) && cookie == 7);
    CHECK(fb_queue_send(&fresh.tx, buf, 1, cookie + 1) == 0);   /* resumes where the queue is */
    CHECK(fb_queue_recv(&e.b.rx, buf, sizeof buf, &cookie) == 1 && cookie == 7);
    CHECK(fb_queue_recv(&e.b.rx, buf, sizeof buf, &cookie) == 1 && cookie == 8);
    CHECK(fb_queue_last_cookie(&e.a.tx, &cookie) && cookie == 8);   /* consumed: still known */
    CHECK(!fb_queue_last_cookie(&e.b.tx, &cookie));                 /* B never sent */
    close_ends(&e);
}

/* The notification handshake, step by step on one thread. */
static void handshake(void)
{
    struct ends e;
    open_ends(&e, 2, 8);
    struct fb_queue *p = &e.a.tx, *c = &e.b.rx;
    uint8_t b = 'x', buf[8];

    /* Nobody asked: a busy pair does not notify. */
    CHECK(fb_queue_send(p, &b, 1, 0) == 0);
    CHECK(!fb_queue_notify_data(p));
    CHECK(fb_queue_recv(c, buf, 8, NULL) == 1);
    CHECK(!fb_queue_notify_space(c));

    /* The consumer finds it empty and asks. */
    CHECK(fb_queue_want_data(c));
    CHECK(fb_queue_want_data(c));   /* asking twice is one request */
    CHECK(c->c->data_req == 1);
    CHECK(fb_queue_send(p, &b, 1, 0) == 0);
    CHECK(fb_queue_notify_data(p));    /* answered once ... */
    CHECK(fb_queue_send(p, &b, 1, 0) == 0);
    CHECK(!fb_queue_notify_data(p));   /* ... and only once */
    CHECK(!fb_queue_want_data(c));     /* data there: do not wait */
    CHECK(c->c->data_req == 2);
    CHECK(fb_queue_notify_data(p));    /* that request is answered (spuriously) */

    /* The producer finds it full and asks for space. */
    CHECK(fb_queue_send(p, &b, 1, 0) == FB_QUEUE_FULL);
    CHECK(fb_queue_want_space(p));
    CHECK(fb_queue_want_space(p));
    CHECK(p->c->space_req == 1);
    CHECK(fb_queue_recv(c, buf, 8, NULL) == 1);
    CHECK(fb_queue_notify_space(c));
    CHECK(fb_queue_recv(c, buf, 8, NULL) == 1);
    CHECK(!fb_queue_notify_space(c));
    CHECK(!fb_queue_want_space(p));    /* space there: do not wait */
    CHECK(fb_queue_notify_space(c) && !fb_queue_notify_space(c));
    CHECK(c->c->space_ack == 2 && p->c->data_ack == 2);
    /* the other direction saw none of it */
    CHECK(e.b.tx.c->data_req == 0 && e.b.tx.c->space_req == 0);
    close_ends(&e);
}

/* Shared words a broken or hostile peer wrote: errors, no stray access. */
static void corrupt_peer(void)
{
    struct ends e;
    open_ends(&e, 4, 16);
    struct fb_queue *p = &e.a.tx, *c = &e.b.rx;
    uint8_t msg[16] = "0123456789abcdef", buf[64];
    struct fb_qmsg m;
    CHECK(fb_queue_send(p, msg, 16, 1) == 0);

    p->c->tail = 5;   /* 5 waiting in a queue of 4 */
    CHECK(fb_queue_pending(c) == FB_QUEUE_CORRUPT && fb_queue_free(p) == FB_QUEUE_CORRUPT);
    CHECK(fb_queue_recv(c, buf, sizeof buf, NULL) == FB_QUEUE_CORRUPT);
    CHECK(fb_queue_send(p, msg, 1, 0) == FB_QUEUE_CORRUPT);
    CHECK(!fb_queue_want_data(c) && !fb_queue_want_space(p));   /* no waiting forever */
    p->c->tail = 0xffffffffu;   /* head ahead of tail */
    CHECK(fb_queue_peek(c, &m) == FB_QUEUE_CORRUPT);
    p->c->tail = 1;
    CHECK(c->c->head == 0);

    struct fb_qdesc *d = &p->desc[0];
    struct { uint32_t offset, len; int ok; } cases[] = {
        { 0, 17, 0 },                 /* longer than a slot */
        { 65, 0, 0 },                 /* offset past the data area */
        { 60, 8, 0 },                 /* runs off its end */
        { 0xfffffff8u, 16, 0 },       /* offset + len wraps 2^32 */
        { 0xffffffffu, 0xffffffffu, 0 },
        { 48, 16, 1 },                /* another slot: inside the area, allowed */
        { 52, 12, 1 },                /* unaligned but inside */
        { 64, 0, 1 },                 /* empty, at the very end */
    };
    unsigned bad = 0;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        d->offset = cases[i].offset;
        d->len = cases[i].len;
        int rc = fb_queue_peek(c, &m);
        if (cases[i].ok ? rc != 0 || m.data != c->data + cases[i].offset || m.len != cases[i].len
                        : rc != FB_QUEUE_CORRUPT)
            bad++;
        rc = fb_queue_recv(c, buf, sizeof buf, NULL);   /* the copy reads the whole area */
        if (cases[i].ok ? rc != (int)cases[i].len : rc != FB_QUEUE_CORRUPT)
            bad++;
        if (cases[i].ok)
            c->c->head = 0;   /* put it back for the next case */
        else if (c->c->head != 0)
            bad++;            /* a rejected message is not consumed */
    }
    CHECK(bad == 0);
    d->offset = 0;
    d->len = 16;
    CHECK(fb_queue_recv(c, buf, sizeof buf, NULL) == 16 && memcmp(buf, msg, 16) == 0);
    close_ends(&e);
}

/* A restart between progress and its notification: resync unblocks. */
static void restart_resync(void)
{
    struct ends e;
    open_ends(&e, 2, 8);
    struct fb_queue *p = &e.a.tx;
    uint8_t b = 0, buf[8];
    CHECK(!fb_qpair_resync(&e.a) && !fb_qpair_resync(&e.b));   /* nothing open */

    /* A fills the queue and waits for space; B drains it and dies before
     * notifying.  The restarted B finds the queue empty, asks for data and
     * would wait: both wait forever unless someone resynchronises. */
    CHECK(fb_queue_send(p, &b, 1, 1) == 0 && fb_queue_send(p, &b, 1, 2) == 0);
    CHECK(fb_queue_want_space(p));
    CHECK(fb_queue_recv(&e.b.rx, buf, 8, NULL) == 1 && fb_queue_recv(&e.b.rx, buf, 8, NULL) == 1);
    struct fb_qpair b2;
    CHECK(fb_qpair_attach(&b2, e.mem, e.bytes, 1, 2, 8));
    CHECK(fb_qpair_resync(&b2));           /* the new B answers A's open request */
    CHECK(!fb_qpair_resync(&b2));          /* once */
    CHECK(fb_queue_free(p) == 2);          /* and A, woken, finds space */
    CHECK(fb_queue_want_data(&b2.rx));

    /* The survivor's side: B had asked for data and died; A, told of the
     * restart, answers (one spurious notification to the new B) and the
     * messages published meanwhile are kept. */
    CHECK(fb_queue_send(p, &b, 1, 3) == 0);
    CHECK(fb_qpair_resync(&e.a));
    CHECK(p->c->data_ack == p->c->data_req);
    struct fb_qpair b3;
    CHECK(fb_qpair_attach(&b3, e.mem, e.bytes, 1, 2, 8));
    uint32_t cookie = 0;
    CHECK(fb_queue_recv(&b3.rx, buf, 8, &cookie) == 1 && cookie == 3);
    CHECK(fb_queue_want_data(&b3.rx));     /* a fresh request ... */
    CHECK(fb_queue_send(p, &b, 1, 4) == 0);
    CHECK(fb_queue_notify_data(p));        /* ... is answered as usual */
    close_ends(&e);
}

/* ---- the two-thread stress test ---- */

#define STRESS_MAX_SLOT 512u

struct stress {
    uint8_t *mem;
    uint32_t bytes, depth, slot;
    uint32_t total;
    struct notif to_b, to_a;
    unsigned long waits_p, waits_c, lost_p, lost_c, bad, errors, batches;
    uint32_t received;
};

/* Message seq: its length and its bytes, from the number mixed so that a
 * shifted, repeated or dropped message never matches by chance. */
static uint32_t msg_len(uint32_t seq, uint32_t slot)
{
    return (seq * 2654435761u >> 7) % (slot + 1);
}

static uint8_t msg_byte(uint32_t seq, uint32_t i)
{
    uint32_t v = (seq * 40503u + i) * 2654435761u;
    return (uint8_t)(v >> 24 ^ seq);
}

static void *producer(void *arg)
{
    struct stress *s = arg;
    struct fb_qpair qp;
    if (!fb_qpair_attach(&qp, s->mem, s->bytes, 0, s->depth, s->slot))
        return NULL;
    uint8_t msg[STRESS_MAX_SLOT];
    uint32_t seed = 4321, seq = 0;
    while (seq < s->total) {
        uint32_t batch = xorshift(&seed) & 1 ? 1 : 1 + xorshift(&seed) % 8, sent = 0;
        while (sent < batch && seq < s->total) {
            uint32_t len = msg_len(seq, s->slot);
            for (uint32_t i = 0; i < len; i++)
                msg[i] = msg_byte(seq, i);
            int rc = fb_queue_send(&qp.tx, msg, len, seq);
            if (rc == 0) {
                seq++;
                sent++;
                continue;
            }
            if (rc != FB_QUEUE_FULL) {
                s->errors++;
                return NULL;
            }
            if (sent && fb_queue_notify_data(&qp.tx))
                notif_signal(&s->to_b);
            sent = 0;
            if (fb_queue_want_space(&qp.tx)) {
                s->waits_p++;
                if (notif_wait(&s->to_a) < 0) {
                    s->lost_p++;
                    return NULL;
                }
            }
        }
        s->batches++;
        if (sent && fb_queue_notify_data(&qp.tx))   /* one check per batch */
            notif_signal(&s->to_b);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct stress *s = arg;
    struct fb_qpair qp;
    if (!fb_qpair_attach(&qp, s->mem, s->bytes, 1, s->depth, s->slot))
        return NULL;
    uint8_t buf[STRESS_MAX_SLOT];
    uint32_t seed = 777;
    while (s->received < s->total) {
        uint32_t seq = s->received, len = msg_len(seq, s->slot), cookie = 0;
        int n;
        const uint8_t *data = buf;
        struct fb_qmsg m;
        if (xorshift(&seed) & 1) {
            n = fb_queue_recv(&qp.rx, buf, s->slot, &cookie);
        } else {
            n = fb_queue_peek(&qp.rx, &m);
            if (n == 0) {
                n = (int)m.len;
                cookie = m.cookie;
                data = m.data;
            }
        }
        if (n == FB_QUEUE_EMPTY) {
            if (fb_queue_want_data(&qp.rx)) {
                s->waits_c++;
                if (notif_wait(&s->to_b) < 0) {
                    s->lost_c++;
                    return NULL;
                }
            }
            continue;
        }
        if (n < 0) {
            s->errors++;
            return NULL;
        }
        if ((uint32_t)n != len || cookie != seq)
            s->bad++;
        else
            for (uint32_t i = 0; i < len; i++)
                if (data[i] != msg_byte(seq, i)) {
                    s->bad++;
                    break;
                }
        if (data != buf)
            fb_queue_consume(&qp.rx, &m);
        s->received++;
        if (fb_queue_notify_space(&qp.rx))
            notif_signal(&s->to_a);
    }
    return NULL;
}

static void stress(uint32_t depth, uint32_t slot, uint32_t total)
{
    if (!CHECK(slot <= STRESS_MAX_SLOT))
        return;
    struct stress *s = calloc(1, sizeof *s);
    s->depth = depth;
    s->slot = slot;
    s->bytes = region_for(depth, slot);
    s->mem = new_region(s->bytes);
    s->total = total;
    notif_init(&s->to_b);
    notif_init(&s->to_a);
    CHECK(run_pair(producer, consumer, s) == 0);
    struct fb_qpair qp;
    CHECK(fb_qpair_attach(&qp, s->mem, s->bytes, 0, depth, slot));
    printf("  stress: depth %u slot %u, %u messages through, waits p %lu c %lu, notifications "
           "a->b %lu b->a %lu\n", depth, slot, s->received, s->waits_p, s->waits_c, s->to_b.sent,
           s->to_a.sent);
    CHECK(s->lost_p == 0 && s->lost_c == 0 && s->errors == 0);
    CHECK(s->received == total);
    CHECK(s->bad == 0);
    CHECK(qp.tx.c->tail == total && qp.tx.c->head == total);
    /* at most one notification per request; with room for more than one
     * message, fewer than one per message */
    CHECK(s->to_b.sent <= qp.tx.c->data_req && s->to_a.sent <= qp.tx.c->space_req);
    CHECK(depth == 1 || s->to_b.sent + s->to_a.sent < total);
    CHECK(fb_queue_pending(&qp.rx) == 0);   /* B -> A untouched */
    free(s->mem);
    free(s);
}

int main(void)
{
    params_and_layout();
    empty_and_full();
    sizes_of_messages();
    reserve_in_place();
    wrap_around();
    cookie_read_back();
    handshake();
    corrupt_peer();
    restart_resync();
    stress(1, 8, 200000);       /* one slot: full and empty all the time */
    stress(4, 64, 1000000);
    stress(64, 512, 1000000);
    return check_report("test_queue");
}
