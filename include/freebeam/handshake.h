/*
 * handshake.h - what the byte ring (ring.h) and the descriptor queue
 * (queue.h) share word for word: access to a single-writer word in shared
 * memory, the full fence, and the notification request/answer handshake
 * (docs/drivers.md, "Notifications").  Header-only, freestanding.
 *
 * A side that wants a notification bumps its request word `req` unless a
 * request is still open (req != ack); the other side, after it made the
 * progress asked for, answers an open request (ack = req) and notifies.
 * Each word has one writer: req belongs to the asking side, ack to the
 * answering one.  Together with the index stores the fences make Dekker's
 * pattern ("store my index, fence, load your request" against "store my
 * request, fence, load your index"), so no wake-up is lost.
 */
#ifndef FREEBEAM_HANDSHAKE_H
#define FREEBEAM_HANDSHAKE_H

#include <stdbool.h>
#include <stdint.h>

/* One load of a shared word (a plain ldr: never torn, never repeated). */
static inline uint32_t fb_shm_get(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* One store of a shared word this side owns. */
static inline void fb_shm_set(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* A full barrier (store-load included): `dmb ish` on ARMv7. */
static inline void fb_shm_fence(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* After making progress (the caller's index store precedes this call):
 * true if the other side had a request open, which is now answered, so the
 * caller must notify it. */
static inline bool fb_hs_answer(const uint32_t *req, uint32_t *ack)
{
    fb_shm_fence();   /* our index store before reading its request */
    uint32_t open = fb_shm_get(req);
    if (open == fb_shm_get(ack))
        return false;
    fb_shm_set(ack, open);
    return true;
}

/* Ask for a notification (one request: asking again while it is open
 * changes nothing).  The caller then looks at the other side's index once
 * more before it waits. */
static inline void fb_hs_ask(uint32_t *req, const uint32_t *ack)
{
    uint32_t cur = fb_shm_get(req);
    if (cur == fb_shm_get(ack))
        fb_shm_set(req, cur + 1);
    fb_shm_fence();   /* our request before reading its index */
}

#endif
