/*
 * queue.h - the descriptor queue pair drivers and their clients exchange
 * messages through (issue 11, the shape of seL4's sDDF): in each direction
 * a single-producer/single-consumer ring of fixed-size descriptors
 * (offset, length, cookie) over a data area of fixed-size slots, in a region
 * both PDs map read-write, plus a notification on their channel.  The byte
 * ring (ring.h) stays for byte streams such as the console.  Header-only
 * and freestanding, so libfbpd PDs, libos and the host tests
 * (tests/host/test_queue.c, tests/fuzz/fuzz_queue.c) compile the same lines.
 * docs/native-components.md, "The queue", says it in prose.
 *
 * Parameters (from the PD's info page, struct fb_pdinfo_chan in kapi.h):
 *   depth  descriptors per direction, a power of two, 1..FB_QUEUE_MAX_DEPTH
 *   slot   bytes per message slot, a multiple of 8, at least 8
 *   end    0 (end A) or 1 (end B)
 *
 * Layout of a queue-pair region of S bytes (S a multiple of 128, the base
 * 64-byte aligned): the first half [0, S/2) carries end A -> end B, the
 * second half [S/2, S) end B -> end A.  Each half is
 *     offset 0                  control block, 128 bytes (two cache lines)
 *     offset 128                depth descriptors of 16 bytes
 *     offset 128 + 16*depth     data area, depth * slot bytes
 * so one half needs FB_QUEUE_HALF_BYTES(depth, slot)
 *     = 128 + 16*depth + depth*slot bytes,
 * and the region at least twice that; bytes beyond are unused.  A region of
 * zeroes is an empty queue pair with no notification requested.
 *
 * Who writes what (each word has one writer, the other side only reads):
 *   producer: tail       messages ever published (free-running, wraps at 2^32)
 *             space_req  bumped to ask for a notification when space frees
 *             data_ack   the last data_req it answered
 *             the descriptors and the data slots
 *   consumer: head       messages ever consumed (free-running)
 *             data_req   bumped to ask for a notification when data arrives
 *             space_ack  the last space_req it answered
 * Message number p (p = tail when it is sent) uses descriptor p % depth and
 * the slot at data offset (p % depth) * slot.
 *
 * Safety against the peer: the producer's writes stay in its own slot
 * (its tail is masked).  The consumer reads every shared word once per
 * operation and checks it before use: tail - head <= depth, offset and
 * length inside the data area and length <= slot; anything else is
 * FB_QUEUE_CORRUPT, never an access outside the region.  A hostile peer can
 * still change a message's bytes while they are read in place: copy before
 * parsing (fb_queue_recv does).
 *
 * Ordering: as ring.h (every fence a `dmb ish`): data and descriptor before
 * tail, tail before reading them; reads before head, head before overwrite;
 * the notification handshake is handshake.h's.
 */
#ifndef FREEBEAM_QUEUE_H
#define FREEBEAM_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <freebeam/handshake.h>

#define FB_QUEUE_LINE 64u
#define FB_QUEUE_CTRL_BYTES (2u * FB_QUEUE_LINE)
#define FB_QUEUE_DESC_BYTES 16u
#define FB_QUEUE_MAX_DEPTH 4096u

/* Bytes one half (one direction) needs; the region needs twice as many.
 * Computed in 64 bits so that no parameters overflow it. */
#define FB_QUEUE_HALF_BYTES(depth, slot)                                       \
    ((uint64_t)FB_QUEUE_CTRL_BYTES + (uint64_t)FB_QUEUE_DESC_BYTES * (depth) + \
     (uint64_t)(depth) * (slot))

/* Results: >= 0 success (fb_queue_recv: the message length), else one of
 * these (the POSIX errno a caller would map it to in brackets). */
#define FB_QUEUE_FULL      (-1)   /* send: depth messages waiting (EAGAIN) */
#define FB_QUEUE_EMPTY     (-2)   /* receive: nothing waiting (EAGAIN) */
#define FB_QUEUE_TOO_BIG   (-3)   /* send: longer than a slot, nothing sent (EMSGSIZE) */
#define FB_QUEUE_SHORT_BUF (-4)   /* receive: buffer too small, the message stays (EMSGSIZE) */
#define FB_QUEUE_CORRUPT   (-5)   /* shared words that cannot be: the peer is broken (EPROTO) */

struct fb_qctrl {
    /* cache line 0: written by the producer only */
    uint32_t tail;
    uint32_t space_req;
    uint32_t data_ack;
    uint32_t prod_pad[FB_QUEUE_LINE / 4 - 3];
    /* cache line 1: written by the consumer only */
    uint32_t head;
    uint32_t data_req;
    uint32_t space_ack;
    uint32_t cons_pad[FB_QUEUE_LINE / 4 - 3];
};
_Static_assert(sizeof(struct fb_qctrl) == FB_QUEUE_CTRL_BYTES, "queue control block size");

/* A descriptor: where message p lies in the data area (offset from its
 * start), its length, and a word the producer chooses (a sequence number,
 * a request id).  reserved is written 0 and ignored. */
struct fb_qdesc {
    uint32_t offset, len, cookie, reserved;
};
_Static_assert(sizeof(struct fb_qdesc) == FB_QUEUE_DESC_BYTES, "queue descriptor size");

/* One direction as one side sees it (private memory). */
struct fb_queue {
    struct fb_qctrl *c;
    struct fb_qdesc *desc;
    uint8_t *data;
    uint32_t depth, mask, slot, data_bytes;
};

/* Both directions of a pair as one end sees them. */
struct fb_qpair {
    struct fb_queue tx;   /* this end produces */
    struct fb_queue rx;   /* this end consumes */
};

/* A message the consumer looked at (fb_queue_peek). */
struct fb_qmsg {
    const uint8_t *data;   /* inside the data area, len bytes */
    uint32_t len, cookie;
    uint32_t pos;          /* its number: the head it was read at */
};

/* True if depth and slot are valid parameters (whatever the region). */
static inline bool fb_queue_params_ok(uint32_t depth, uint32_t slot)
{
    return depth >= 1 && depth <= FB_QUEUE_MAX_DEPTH && (depth & (depth - 1)) == 0 &&
           slot >= 8 && slot % 8 == 0 && FB_QUEUE_HALF_BYTES(depth, slot) <= 0x80000000u;
}

/* Attach to one direction whose half starts at `half` (64-byte aligned)
 * and has half_bytes bytes.  Does not touch shared memory.  False if the
 * parameters are invalid or the half is too small. */
static inline bool fb_queue_attach(struct fb_queue *q, void *half, uint32_t half_bytes,
                                   uint32_t depth, uint32_t slot)
{
    if (!fb_queue_params_ok(depth, slot) || FB_QUEUE_HALF_BYTES(depth, slot) > half_bytes ||
        ((uintptr_t)half & (FB_QUEUE_LINE - 1)) != 0)
        return false;
    q->c = (struct fb_qctrl *)half;
    q->desc = (struct fb_qdesc *)((uint8_t *)half + FB_QUEUE_CTRL_BYTES);
    q->data = (uint8_t *)half + FB_QUEUE_CTRL_BYTES + FB_QUEUE_DESC_BYTES * depth;
    q->depth = depth;
    q->mask = depth - 1;
    q->slot = slot;
    q->data_bytes = depth * slot;
    return true;
}

/* Attach to the pair in the region at base (both ends pass the same region
 * size, depth and slot, and their own end).  False if the region size is
 * not a multiple of 128, base is not 64-byte aligned, end is not 0 or 1,
 * or the parameters are invalid or do not fit. */
static inline bool fb_qpair_attach(struct fb_qpair *qp, void *base, uint32_t region_bytes,
                                   uint32_t end, uint32_t depth, uint32_t slot)
{
    uint32_t half = region_bytes / 2;
    uint8_t *first = (uint8_t *)base, *second = first + half;
    if (region_bytes % (2 * FB_QUEUE_LINE) != 0 || end > 1)
        return false;
    return fb_queue_attach(&qp->tx, end == 0 ? first : second, half, depth, slot) &&
           fb_queue_attach(&qp->rx, end == 0 ? second : first, half, depth, slot);
}

/* Messages waiting (the consumer's view: tail read after head), or
 * FB_QUEUE_CORRUPT.  After it, the producer's data up to tail is visible. */
static inline int fb_queue__used(const struct fb_queue *q, uint32_t head, uint32_t tail)
{
    uint32_t used = tail - head;
    fb_shm_fence();   /* acquire: what the other side did before its index */
    return used > q->depth ? FB_QUEUE_CORRUPT : (int)used;
}

/* ---- producer side ---- */

/* Free descriptors now (0: full), or FB_QUEUE_CORRUPT. */
static inline int fb_queue_free(const struct fb_queue *q)
{
    uint32_t tail = fb_shm_get(&q->c->tail);
    int used = fb_queue__used(q, fb_shm_get(&q->c->head), tail);
    return used < 0 ? used : (int)q->depth - used;
}

/* The next slot, for a producer that writes its message in place (one
 * copy less than fb_queue_send): 0 with *slot set (q->slot bytes there
 * are ours until published), or FB_QUEUE_FULL, FB_QUEUE_CORRUPT.  Then
 * fb_queue_publish; a slot reserved but not published is simply reused. */
static inline int fb_queue_reserve(struct fb_queue *q, void **slot)
{
    uint32_t tail = fb_shm_get(&q->c->tail);
    int used = fb_queue__used(q, fb_shm_get(&q->c->head), tail);
    if (used < 0)
        return used;
    if ((uint32_t)used == q->depth)
        return FB_QUEUE_FULL;
    *slot = q->data + (tail & q->mask) * q->slot;
    return 0;
}

/* Publish the len bytes written into the slot fb_queue_reserve gave, with
 * their cookie: 0, or FB_QUEUE_TOO_BIG (nothing published). */
static inline int fb_queue_publish(struct fb_queue *q, uint32_t len, uint32_t cookie)
{
    if (len > q->slot)
        return FB_QUEUE_TOO_BIG;
    uint32_t tail = fb_shm_get(&q->c->tail);
    uint32_t i = tail & q->mask;
    struct fb_qdesc *d = &q->desc[i];
    fb_shm_set(&d->offset, i * q->slot);
    fb_shm_set(&d->len, len);
    fb_shm_set(&d->cookie, cookie);
    fb_shm_set(&d->reserved, 0);
    fb_shm_fence();   /* release: slot and descriptor before the tail that shows them */
    fb_shm_set(&q->c->tail, tail + 1);
    return 0;
}

/* Copy a message of len bytes into the next slot and publish it with its
 * cookie.  0, or FB_QUEUE_TOO_BIG, FB_QUEUE_FULL, FB_QUEUE_CORRUPT (then
 * nothing was written).  Follow with fb_queue_notify_data (after one send
 * or a batch). */
static inline int fb_queue_send(struct fb_queue *q, const void *msg, uint32_t len,
                                uint32_t cookie)
{
    if (len > q->slot)
        return FB_QUEUE_TOO_BIG;
    void *slot;
    int r = fb_queue_reserve(q, &slot);
    if (r < 0)
        return r;
    __builtin_memcpy(slot, msg, len);
    return fb_queue_publish(q, len, cookie);
}

/* The cookie of the last message published (number tail - 1), for a
 * restarted producer that numbers its messages on.  False if tail is 0
 * (nothing published yet, or exactly a multiple of 2^32 messages). */
static inline bool fb_queue_last_cookie(const struct fb_queue *q, uint32_t *cookie)
{
    uint32_t tail = fb_shm_get(&q->c->tail);
    if (tail == 0)
        return false;
    *cookie = fb_shm_get(&q->desc[(tail - 1) & q->mask].cookie);
    return true;
}

/* After publishing: true if the consumer asked to be told, in which case
 * the request is now answered and the caller must notify it. */
static inline bool fb_queue_notify_data(struct fb_queue *q)
{
    return fb_hs_answer(&q->c->data_req, &q->c->data_ack);
}

/* The queue was full: ask for a notification when space frees.  True if it
 * is still full (wait for the notification), false if space appeared
 * meanwhile or the queue is corrupt (send again; a spurious notification
 * may still come). */
static inline bool fb_queue_want_space(struct fb_queue *q)
{
    fb_hs_ask(&q->c->space_req, &q->c->space_ack);
    return fb_queue_free(q) == 0;
}

/* ---- consumer side ---- */

/* Messages waiting, or FB_QUEUE_CORRUPT. */
static inline int fb_queue_pending(const struct fb_queue *q)
{
    uint32_t head = fb_shm_get(&q->c->head);
    return fb_queue__used(q, head, fb_shm_get(&q->c->tail));
}

/* Look at the message n places after the oldest (n = 0: the oldest) in
 * place (m->data points into the data area; copy before trusting its
 * bytes).  0, or FB_QUEUE_EMPTY (fewer than n + 1 wait), FB_QUEUE_CORRUPT.
 * A server that works on several requests at once looks ahead with it;
 * messages are still consumed oldest first. */
static inline int fb_queue_peek_nth(const struct fb_queue *q, uint32_t n, struct fb_qmsg *m)
{
    uint32_t head = fb_shm_get(&q->c->head);
    int used = fb_queue__used(q, head, fb_shm_get(&q->c->tail));
    if (used <= 0 || (uint32_t)used <= n)
        return used < 0 ? used : FB_QUEUE_EMPTY;
    const struct fb_qdesc *d = &q->desc[(head + n) & q->mask];
    uint32_t offset = fb_shm_get(&d->offset), len = fb_shm_get(&d->len);
    if (len > q->slot || offset > q->data_bytes || len > q->data_bytes - offset)
        return FB_QUEUE_CORRUPT;
    m->data = q->data + offset;
    m->len = len;
    m->cookie = fb_shm_get(&d->cookie);
    m->pos = head + n;
    return 0;
}

/* Look at the oldest message in place: fb_queue_peek_nth(q, 0, m).
 * Follow with fb_queue_consume(q, m) once done with it. */
static inline int fb_queue_peek(const struct fb_queue *q, struct fb_qmsg *m)
{
    return fb_queue_peek_nth(q, 0, m);
}

/* Give the message m (from fb_queue_peek) back to the producer.  Follow
 * with fb_queue_notify_space (after one or a batch). */
static inline void fb_queue_consume(struct fb_queue *q, const struct fb_qmsg *m)
{
    fb_shm_fence();   /* release: our reads of the slot before we free it */
    fb_shm_set(&q->c->head, m->pos + 1);
}

/* Copy the oldest message into buf (cap bytes) and consume it: its length,
 * or FB_QUEUE_EMPTY, FB_QUEUE_CORRUPT, FB_QUEUE_SHORT_BUF (the message
 * stays; fb_queue_peek tells its length).  *cookie gets its cookie if
 * cookie is not NULL. */
static inline int fb_queue_recv(struct fb_queue *q, void *buf, uint32_t cap, uint32_t *cookie)
{
    struct fb_qmsg m;
    int rc = fb_queue_peek(q, &m);
    if (rc < 0)
        return rc;
    if (m.len > cap)
        return FB_QUEUE_SHORT_BUF;
    __builtin_memcpy(buf, m.data, m.len);
    if (cookie)
        *cookie = m.cookie;
    fb_queue_consume(q, &m);
    return (int)m.len;
}

/* After consuming: true if the producer asked to be told about space, in
 * which case the request is now answered and the caller must notify it. */
static inline bool fb_queue_notify_space(struct fb_queue *q)
{
    return fb_hs_answer(&q->c->space_req, &q->c->space_ack);
}

/* The queue was empty: ask for a notification when data arrives.  True if
 * it is still empty (wait for the notification), false if data appeared
 * meanwhile or the queue is corrupt (receive again; a spurious
 * notification may still come). */
static inline bool fb_queue_want_data(struct fb_queue *q)
{
    fb_hs_ask(&q->c->data_req, &q->c->data_ack);
    return fb_queue_pending(q) == 0;
}

/* ---- servers: one answer per request ---- */

/* For a PD that answers each message of qp->rx with one on qp->tx: the
 * next request, when there is one and room for its answer.  0 and *m set
 * (handle it, fb_queue_consume it, send the answer); FB_QUEUE_FULL or
 * FB_QUEUE_EMPTY once a notification is asked for and still needed (wait
 * for it); FB_QUEUE_CORRUPT when the request queue is broken. */
static inline int fb_qpair_next_request(struct fb_qpair *qp, struct fb_qmsg *m)
{
    for (;;) {
        if (fb_queue_free(&qp->tx) <= 0) {
            if (fb_queue_want_space(&qp->tx))
                return FB_QUEUE_FULL;
            continue;
        }
        int r = fb_queue_peek(&qp->rx, m);
        if (r == FB_QUEUE_EMPTY) {
            if (fb_queue_want_data(&qp->rx))
                return FB_QUEUE_EMPTY;
            continue;
        }
        return r < 0 ? r : 0;
    }
}

/* ---- restart ---- */

/* Resynchronise the handshake after a restart: call it in a PD that has
 * just started (fresh or restarted) and in the survivor when it learns that
 * its peer restarted, then look at both queues before waiting.  It answers
 * every request the peer has open, as if this end had just made progress in
 * both directions, so that no request made by a dead instance (or answered
 * to one) leaves either side waiting for a notification that nobody owes;
 * head, tail, descriptors and data are kept: messages published and not yet
 * consumed are delivered after the restart.  True if the caller must
 * notify the peer (then the peer looks at its queues too). */
static inline bool fb_qpair_resync(struct fb_qpair *qp)
{
    bool data = fb_queue_notify_data(&qp->tx);
    bool space = fb_queue_notify_space(&qp->rx);
    return data || space;
}

#endif
