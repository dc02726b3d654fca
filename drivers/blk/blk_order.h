/*
 * blk_order.h - the virtio-blk driver's book of the requests it has taken
 * from its client's queue and not answered yet (at most BLK_ORDER_MAX), in
 * queue order: which of them may go to the device while others are there,
 * and which answer is next.  Pure logic, tested on the host
 * (tests/host/test_blk_order.c).
 *
 * The client sees its requests served as if one at a time, in order
 * (include/freebeam/blk.h), while several are at the device at once:
 *   - a read or write waits while a request at the device touches the same
 *     sectors, unless both are reads, or the same bytes of blk_data, unless
 *     both are writes (the device reads blk_data for a write, writes it for
 *     a read);
 *   - a flush waits until nothing is at the device, and nothing goes to the
 *     device while a flush is there: a flush covers every write before it
 *     and none after;
 *   - requests go to the device in queue order (a request that must wait
 *     holds back the ones after it), and are answered in queue order,
 *     whatever order the device finishes them in.
 * An entry's index is also its place in the driver's DMA area and its
 * descriptors in the virtqueue (blk.c).
 */
#ifndef FREEBEAM_BLK_ORDER_H
#define FREEBEAM_BLK_ORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <freebeam/blk.h>

#define BLK_ORDER_MAX 8u              /* requests taken and not answered, at most */

#define BLK_ENTRY_FREE   0u
#define BLK_ENTRY_DEVICE 1u           /* at the device */
#define BLK_ENTRY_DONE   2u           /* status known, not answered yet */

struct blk_entry {
    uint8_t state;
    uint32_t op, status;
    uint32_t pos;                     /* the request's place in the client's queue */
    uint64_t sector;
    uint32_t count, offset;
};

struct blk_order {
    struct blk_entry e[BLK_ORDER_MAX];
    uint32_t first, n;                /* the oldest entry's index; entries taken */
};

void blk_order_reset(struct blk_order *o);
/* True if the checked request req may go to the device now. */
bool blk_order_may_start(const struct blk_order *o, const struct fb_blk_req *req);
/* Take the next request of the queue (at pos): to the device if status is
 * FB_BLK_OK and req is a read, write or flush (the caller checked
 * blk_order_may_start), else done at once with status.  Its index, or -1
 * if BLK_ORDER_MAX are taken. */
int blk_order_take(struct blk_order *o, const struct fb_blk_req *req, uint32_t status, uint32_t pos);
/* The device finished entry idx with status: 0, or -1 if idx is not at the
 * device (a device that says so is broken). */
int blk_order_finish(struct blk_order *o, uint32_t idx, uint32_t status);
/* The oldest entry if it may be answered now, else NULL; blk_order_pop
 * frees it once answered. */
const struct blk_entry *blk_order_ready(const struct blk_order *o);
void blk_order_pop(struct blk_order *o);

#endif
