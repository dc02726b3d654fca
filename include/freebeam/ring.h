/*
 * ring.h - the shared-memory ring every driver PD and its client use: one
 * single-producer/single-consumer byte ring per direction, in a region both
 * PDs map, plus a notification on their channel (the seL4 sDDF shape, see
 * docs/drivers.md).  Header-only so that PD code, libos and the host unit
 * tests (tests/host/test_ring.c, two real threads) compile the same lines.
 *
 * Layout of a ring in shared memory: a control block of FB_RING_CTRL_BYTES
 * (two 64-byte cache lines, one per writer) at the start of the region, the
 * data area right after it, its size the largest power of two that fits.
 * A region of all zeroes (what the kernel hands out) is an empty ring with
 * no notification requested.
 *
 * Who writes what (each word has exactly one writer; the other side only
 * reads it):
 *   producer: tail      bytes ever produced (free-running, wraps at 2^32)
 *             space_req bumped when the producer found the ring full and
 *                       wants a notification once the consumer frees space
 *             data_ack  the last data_req it answered with a notification
 *             overruns  data the producer knows was lost *before* it got
 *                       to the ring (e.g. a UART's overrun flag), a count
 *   consumer: head      bytes ever consumed (free-running)
 *             data_req  bumped when the consumer found the ring empty and
 *                       wants a notification once data arrives
 *             space_ack the last space_req it answered with a notification
 * A side wants a notification while req != ack.  Whoever makes progress
 * the other side waits for answers it (ack = req) and notifies, so there is
 * one notification per request and none while the other side is busy.
 *
 * Ordering (ARMv7: every fence below is a `dmb ish`, the rest plain ldr/str):
 *   - data before tail (release), tail before data reads (acquire);
 *   - data reads before head (release), head before data overwrite (acquire);
 *   - the request/answer handshake is Dekker's: "write my index, full fence,
 *     read your request" against "write my request, full fence, read your
 *     index", so at least one side sees the other: no lost wake-up (the
 *     handshake and the word accessors are handshake.h, shared with the
 *     descriptor queue, queue.h).
 * Indices from the other side are never trusted for memory safety: every
 * access is masked into the data area and a count that cannot be is clamped,
 * so a corrupt peer yields wrong bytes, never a stray access.
 */
#ifndef FREEBEAM_RING_H
#define FREEBEAM_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <freebeam/handshake.h>

#define FB_RING_LINE 64u                         /* Cortex-A15 cache line */
#define FB_RING_CTRL_BYTES (2u * FB_RING_LINE)

struct fb_ring_ctrl {
    /* cache line 0: written by the producer only */
    uint32_t tail;
    uint32_t space_req;
    uint32_t data_ack;
    uint32_t overruns;
    uint32_t prod_pad[FB_RING_LINE / 4 - 4];
    /* cache line 1: written by the consumer only */
    uint32_t head;
    uint32_t data_req;
    uint32_t space_ack;
    uint32_t cons_pad[FB_RING_LINE / 4 - 3];
};
_Static_assert(sizeof(struct fb_ring_ctrl) == FB_RING_CTRL_BYTES, "ring control block size");

/* One side's handle (private memory): where the shared parts are. */
struct fb_ring {
    struct fb_ring_ctrl *c;
    uint8_t *data;
    uint32_t size;   /* power of two */
    uint32_t mask;   /* size - 1 */
};

/* The data area size for a region of `region_bytes`: the largest power of
 * two that fits after the control block (0 if the region is too small). */
static inline uint32_t fb_ring_data_size(uint32_t region_bytes)
{
    if (region_bytes < FB_RING_CTRL_BYTES + 1)
        return 0;
    uint32_t room = region_bytes - FB_RING_CTRL_BYTES, size = 1;
    while (size <= room / 2)
        size *= 2;
    return size;
}

/* Attach to the ring in the region at `base` (both sides call it with the
 * same region size).  Does not touch shared memory.  Returns false if the
 * region is too small or base is not 64-byte aligned. */
static inline bool fb_ring_attach(struct fb_ring *r, void *base, uint32_t region_bytes)
{
    uint32_t size = fb_ring_data_size(region_bytes);
    if (size == 0 || ((uintptr_t)base & (FB_RING_LINE - 1)) != 0)
        return false;
    r->c = (struct fb_ring_ctrl *)base;
    r->data = (uint8_t *)base + FB_RING_CTRL_BYTES;
    r->size = size;
    r->mask = size - 1;
    return true;
}

/* ---- producer side ---- */

/* Bytes the producer may write now. */
static inline uint32_t fb_ring_free(const struct fb_ring *r)
{
    uint32_t used = fb_shm_get(&r->c->tail) - fb_shm_get(&r->c->head);
    fb_shm_fence();   /* acquire: the consumer's reads of that space are done */
    return used >= r->size ? 0 : r->size - used;
}

/* Copy up to n bytes in and publish them; returns how many fitted. */
static inline uint32_t fb_ring_write(struct fb_ring *r, const void *src, uint32_t n)
{
    uint32_t room = fb_ring_free(r);
    if (n > room)
        n = room;
    if (n == 0)
        return 0;
    uint32_t tail = fb_shm_get(&r->c->tail);
    uint32_t at = tail & r->mask, first = r->size - at;
    if (first > n)
        first = n;
    __builtin_memcpy(r->data + at, src, first);
    __builtin_memcpy(r->data, (const uint8_t *)src + first, n - first);
    fb_shm_fence();   /* release: the bytes before the index that shows them */
    fb_shm_set(&r->c->tail, tail + n);
    return n;
}

/* After publishing: true if the consumer asked to be told, in which case
 * the request is now answered and the caller must notify it. */
static inline bool fb_ring_notify_data(struct fb_ring *r)
{
    return fb_hs_answer(&r->c->data_req, &r->c->data_ack);
}

/* The ring was full: ask for a notification when space frees (the
 * consumer's next consumption answers it, so it also serves to wait for the
 * ring to drain).  Returns true if it is still full (wait for the
 * notification), false if space appeared meanwhile (write again; a spurious
 * notification may still come). */
static inline bool fb_ring_want_space(struct fb_ring *r)
{
    fb_hs_ask(&r->c->space_req, &r->c->space_ack);
    return fb_ring_free(r) == 0;
}

/* Record n overrun events: data lost before it reached the ring. */
static inline void fb_ring_add_overruns(struct fb_ring *r, uint32_t n)
{
    fb_shm_set(&r->c->overruns, fb_shm_get(&r->c->overruns) + n);
}

/* ---- consumer side ---- */

/* Bytes the consumer may read now (clamped to the ring size). */
static inline uint32_t fb_ring_used(const struct fb_ring *r)
{
    uint32_t used = fb_shm_get(&r->c->tail) - fb_shm_get(&r->c->head);
    fb_shm_fence();   /* acquire: the producer's bytes are visible */
    return used > r->size ? r->size : used;
}

/* Zero-copy read: *p points at the first readable byte; returns how many
 * are readable contiguously from there (up to the wrap).  Follow with
 * fb_ring_consume. */
static inline uint32_t fb_ring_peek(const struct fb_ring *r, const uint8_t **p)
{
    uint32_t used = fb_ring_used(r);
    uint32_t at = fb_shm_get(&r->c->head) & r->mask;
    *p = r->data + at;
    return used < r->size - at ? used : r->size - at;
}

/* Give n bytes (at most what peek/used said) back to the producer. */
static inline void fb_ring_consume(struct fb_ring *r, uint32_t n)
{
    fb_shm_fence();   /* release: our reads of the bytes before we free them */
    fb_shm_set(&r->c->head, fb_shm_get(&r->c->head) + n);
}

/* Copy out up to n bytes and free them; returns how many. */
static inline uint32_t fb_ring_read(struct fb_ring *r, void *dst, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        const uint8_t *p;
        uint32_t k = fb_ring_peek(r, &p);
        if (k == 0)
            break;
        if (k > n - done)
            k = n - done;
        __builtin_memcpy((uint8_t *)dst + done, p, k);
        fb_ring_consume(r, k);
        done += k;
    }
    return done;
}

/* After consuming: true if the producer asked to be told about space, in
 * which case the request is now answered and the caller must notify it. */
static inline bool fb_ring_notify_space(struct fb_ring *r)
{
    return fb_hs_answer(&r->c->space_req, &r->c->space_ack);
}

/* The ring was empty: ask for a notification when data arrives.  Returns
 * true if it is still empty (wait for the notification), false if data
 * appeared meanwhile (read again; a spurious notification may still come). */
static inline bool fb_ring_want_data(struct fb_ring *r)
{
    fb_hs_ask(&r->c->data_req, &r->c->data_ack);
    return fb_ring_used(r) == 0;
}

/* Overrun events the producer reported (data lost before the ring). */
static inline uint32_t fb_ring_overruns(const struct fb_ring *r)
{
    return fb_shm_get(&r->c->overruns);
}

#endif
