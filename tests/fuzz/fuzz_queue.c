/*
 * fuzz_queue.c - libFuzzer target for the consumer side of
 * include/freebeam/queue.h against a hostile peer: a queue-pair region
 * (allocated to its exact size, so ASan sees any overrun) filled with
 * arbitrary bytes, then a script of operations of this end (receive, peek,
 * send, the handshake, a restart) mixed with the peer rewriting shared
 * words between them, then the consumer draining the queue.  Every message
 * returned must lie inside the data area of its direction and fit a slot,
 * every result must be one the header documents, or the target aborts.
 * Input format: queue_input.h; seeds from gen_queue_seeds.c.
 */
#include <stdlib.h>
#include <string.h>
#include "queue_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;   /* keeps the reads of every message byte */

struct script {
    const uint8_t *p;
    size_t left;
};

static uint32_t next(struct script *s, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8 | (s->left ? *s->p : 0);
        if (s->left) {
            s->p++;
            s->left--;
        }
    }
    return v;
}

static void check(int ok)
{
    if (!ok)
        abort();
}

/* A message the header handed out: inside q's data area, at most a slot. */
static void check_msg(const struct fb_queue *q, const uint8_t *p, uint32_t len)
{
    check(len <= q->slot);
    check(p >= q->data && p <= q->data + q->data_bytes && len <= q->data + q->data_bytes - p);
    unsigned sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum += p[i];
    sink += sum;
}

static void peek_one(struct fb_queue *q, int consume)
{
    struct fb_qmsg m;
    uint32_t head = q->c->head;
    int rc = fb_queue_peek(q, &m);
    check(rc == 0 || rc == FB_QUEUE_EMPTY || rc == FB_QUEUE_CORRUPT);
    if (rc != 0)
        return;
    check(m.pos == head);
    check_msg(q, m.data, m.len);
    if (consume) {
        fb_queue_consume(q, &m);
        check(q->c->head == head + 1);
    }
}

static int recv_one(struct fb_queue *q, uint8_t *buf, uint32_t cap)
{
    struct fb_qmsg m;
    int peeked = fb_queue_peek(q, &m);
    uint32_t head = q->c->head, cookie = 0;
    int rc = fb_queue_recv(q, buf, cap, &cookie);
    if (rc >= 0) {
        /* nothing changed the region in between: the same message */
        check(peeked == 0 && (uint32_t)rc == m.len && cookie == m.cookie && (uint32_t)rc <= cap);
        check(memcmp(buf, m.data, m.len) == 0 && q->c->head == head + 1);
    } else {
        check(rc == FB_QUEUE_EMPTY || rc == FB_QUEUE_CORRUPT || rc == FB_QUEUE_SHORT_BUF);
        check(q->c->head == head);   /* nothing consumed */
        check(rc != FB_QUEUE_SHORT_BUF || (peeked == 0 && m.len > cap));
    }
    return rc;
}

static void send_one(struct fb_queue *q, const uint8_t *msg, uint32_t len, uint32_t cookie)
{
    uint32_t tail = q->c->tail;
    int rc = fb_queue_send(q, msg, len, cookie);
    check(rc == 0 || rc == FB_QUEUE_FULL || rc == FB_QUEUE_CORRUPT || rc == FB_QUEUE_TOO_BIG);
    check(rc != FB_QUEUE_TOO_BIG || len > q->slot);
    check(q->c->tail == (rc == 0 ? tail + 1 : tail));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qin in;
    if (!qin_decode(data, size, &in))
        return 0;
    uint8_t *mem = aligned_alloc(64, in.region_bytes);
    if (!mem)
        return 0;
    size_t copy = in.image_len < in.region_bytes ? in.image_len : in.region_bytes;
    memset(mem, 0, in.region_bytes);
    memcpy(mem, in.image, copy);
    struct fb_qpair qp;
    check(fb_qpair_attach(&qp, mem, in.region_bytes, in.end, in.depth, in.slot));

    static uint8_t buf[1024], msg[1024];
    struct script s = { in.script, in.script_len };
    while (s.left) {
        uint32_t op = next(&s, 1);
        switch (op % 8) {
        case 0:
            recv_one(&qp.rx, buf, next(&s, 1) * 4);
            break;
        case 1:
            peek_one(&qp.rx, op & 8);
            break;
        case 2: {
            uint32_t len = next(&s, 1) * 4;
            memset(msg, (int)op, len);
            send_one(&qp.tx, msg, len, op);
            break;
        }
        case 3:
            sink += fb_queue_want_data(&qp.rx) + fb_queue_want_space(&qp.tx);
            break;
        case 4:
            sink += fb_queue_notify_data(&qp.tx) + fb_queue_notify_space(&qp.rx) +
                    fb_qpair_resync(&qp);
            break;
        case 5: {   /* the peer writes a word anywhere in the region */
            uint32_t at = next(&s, 2) % (in.region_bytes / 4), v = next(&s, 4);
            memcpy(mem + 4 * at, &v, 4);
            break;
        }
        case 6: {
            uint32_t cookie;
            int pending = fb_queue_pending(&qp.rx), free_ = fb_queue_free(&qp.tx);
            check(pending == FB_QUEUE_CORRUPT || (pending >= 0 && (uint32_t)pending <= in.depth));
            check(free_ == FB_QUEUE_CORRUPT || (free_ >= 0 && (uint32_t)free_ <= in.depth));
            sink += fb_queue_last_cookie(&qp.tx, &cookie) ? cookie : 0;
            break;
        }
        case 7:   /* this end restarts: a fresh handle on the same region */
            check(fb_qpair_attach(&qp, mem, in.region_bytes, in.end, in.depth, in.slot));
            sink += fb_qpair_resync(&qp);
            break;
        }
    }
    /* Drain: at most depth messages, then empty or an error. */
    uint32_t got = 0;
    int rc;
    while ((rc = recv_one(&qp.rx, buf, sizeof buf)) >= 0)
        check(++got <= in.depth);
    free(mem);
    return 0;
}
