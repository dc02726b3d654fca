/*
 * blk_inflight.h - libos's book of its requests to the virtio-blk driver
 * that are not answered yet (ext4_io.c), and of which slot of the region
 * blk_data each one uses.  Pure logic, tested on the host
 * (tests/host/test_blk_inflight.c).
 *
 * The driver answers in the order it was asked (include/freebeam/blk.h),
 * so an answer must carry the cookie of the oldest request in flight:
 * anything else (an unknown cookie, one out of order, an answer with
 * nothing in flight) is refused, and the caller gives up on the disk.  A
 * slot may be filled again only once no request in flight uses it.
 */
#ifndef LIBOS_BLK_INFLIGHT_H
#define LIBOS_BLK_INFLIGHT_H

#include <stdbool.h>
#include <stdint.h>

#define BLK_IF_MAX 8u                   /* requests in flight at most */
#define BLK_IF_SLOTS 8u                 /* slots of blk_data at most */
#define BLK_IF_NO_SLOT 0xffu            /* a request without data (info, flush) */

struct blk_inflight {
    uint32_t cookie[BLK_IF_MAX];        /* oldest at first */
    uint8_t slot[BLK_IF_MAX];
    uint32_t first, n, cap;             /* cap: at most this many in flight */
    uint32_t last_cookie;
    uint8_t users[BLK_IF_SLOTS];        /* requests in flight per slot */
};

/* Empty, with at most cap in flight (1 .. BLK_IF_MAX; the queue's depth). */
void blk_if_reset(struct blk_inflight *t, uint32_t cap);
/* A new request using slot (or BLK_IF_NO_SLOT): its cookie (never 0), or 0
 * if cap are in flight or slot is out of range. */
uint32_t blk_if_add(struct blk_inflight *t, uint32_t slot);
/* An answer with cookie came: 0 and *slot the slot its request used, or
 * -1 if cookie is not the oldest request's (nothing changed). */
int blk_if_answer(struct blk_inflight *t, uint32_t cookie, uint32_t *slot);
bool blk_if_full(const struct blk_inflight *t);
bool blk_if_slot_busy(const struct blk_inflight *t, uint32_t slot);
uint32_t blk_if_count(const struct blk_inflight *t);

#endif
