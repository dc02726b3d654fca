/*
 * test_blk_order.c - the virtio-blk driver's book of requests in flight
 * (drivers/blk/blk_order.c) on the host: reads of the same sectors go
 * together, a write waits for a read or write of the same sectors or of
 * the same bytes of blk_data, a flush waits for everything before it and
 * holds back everything after it, answers come in queue order whatever
 * order the device finishes in, a completion of an entry not at the device
 * is refused, and no more than BLK_ORDER_MAX are taken.
 */
#include <stdint.h>
#include "check.h"
#include "../../drivers/blk/blk_order.h"

static struct fb_blk_req rq(uint32_t op, uint64_t sector, uint32_t count, uint32_t offset)
{
    return (struct fb_blk_req){ .op = op, .count = count, .sector = sector, .offset = offset };
}

/* Take req for the device if the order allows it: its index, or -1. */
static int start(struct blk_order *o, struct fb_blk_req req, uint32_t pos)
{
    if (!blk_order_may_start(o, &req))
        return -1;
    return blk_order_take(o, &req, FB_BLK_OK, pos);
}

static void overlaps(void)
{
    struct blk_order o;
    blk_order_reset(&o);
    int r1 = start(&o, rq(FB_BLK_OP_READ, 100, 8, 0), 0);
    CHECK(r1 >= 0);
    /* Another read of the same sectors into other bytes: together. */
    CHECK(start(&o, rq(FB_BLK_OP_READ, 104, 8, 8192), 1) >= 0);
    /* A read into the same bytes of blk_data: waits. */
    struct fb_blk_req same_mem = rq(FB_BLK_OP_READ, 500, 1, 512);
    CHECK(!blk_order_may_start(&o, &same_mem));
    /* A write of those sectors: waits; of other sectors and bytes: goes. */
    struct fb_blk_req w = rq(FB_BLK_OP_WRITE, 107, 2, 65536);
    CHECK(!blk_order_may_start(&o, &w));
    struct fb_blk_req w2 = rq(FB_BLK_OP_WRITE, 112, 2, 65536);
    CHECK(blk_order_may_start(&o, &w2));
    /* Two writes from the same bytes to other sectors: together. */
    blk_order_reset(&o);
    CHECK(start(&o, rq(FB_BLK_OP_WRITE, 0, 8, 0), 0) >= 0);
    CHECK(start(&o, rq(FB_BLK_OP_WRITE, 8, 8, 0), 1) >= 0);
    /* A write of the same sectors as one at the device: waits until it is done. */
    struct fb_blk_req again = rq(FB_BLK_OP_WRITE, 4, 1, 4096);
    CHECK(!blk_order_may_start(&o, &again));
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) == 0);
    CHECK(blk_order_may_start(&o, &again));
    /* A read from sectors a write is writing: waits. */
    struct fb_blk_req rd = rq(FB_BLK_OP_READ, 15, 1, 4096);
    CHECK(!blk_order_may_start(&o, &rd));
    /* Ranges that touch but do not overlap: together. */
    struct fb_blk_req next = rq(FB_BLK_OP_READ, 16, 1, 4096);
    CHECK(blk_order_may_start(&o, &next));
}

static void flushes(void)
{
    struct blk_order o;
    blk_order_reset(&o);
    CHECK(start(&o, rq(FB_BLK_OP_WRITE, 0, 8, 0), 0) == 0);
    CHECK(start(&o, rq(FB_BLK_OP_WRITE, 64, 8, 4096), 1) == 1);
    struct fb_blk_req f = rq(FB_BLK_OP_FLUSH, 0, 0, 0);
    CHECK(!blk_order_may_start(&o, &f));
    CHECK(blk_order_finish(&o, 1, FB_BLK_OK) == 0);
    CHECK(!blk_order_may_start(&o, &f));          /* one write still at the device */
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) == 0);
    CHECK(blk_order_may_start(&o, &f));
    CHECK(start(&o, f, 2) == 2);
    /* Nothing goes while the flush is at the device, not even a read far away. */
    struct fb_blk_req far = rq(FB_BLK_OP_READ, 9999, 1, 32768);
    CHECK(!blk_order_may_start(&o, &far));
    CHECK(blk_order_finish(&o, 2, FB_BLK_OK) == 0);
    CHECK(blk_order_may_start(&o, &far));
}

static void answers_in_order(void)
{
    struct blk_order o;
    blk_order_reset(&o);
    CHECK(blk_order_ready(&o) == NULL);
    CHECK(start(&o, rq(FB_BLK_OP_READ, 0, 1, 0), 10) == 0);
    struct fb_blk_req info = rq(FB_BLK_OP_INFO, 0, 0, 0);
    CHECK(blk_order_take(&o, &info, FB_BLK_OK, 11) == 1);        /* no device work: done at once */
    struct fb_blk_req bad = rq(FB_BLK_OP_READ, 1, 0, 0);
    CHECK(blk_order_take(&o, &bad, FB_BLK_BAD_REQUEST, 12) == 2);
    CHECK(start(&o, rq(FB_BLK_OP_READ, 8, 1, 512), 13) == 3);
    /* The device finishes the last first: nothing may be answered yet. */
    CHECK(blk_order_finish(&o, 3, FB_BLK_IO_ERROR) == 0);
    CHECK(blk_order_ready(&o) == NULL);
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) == 0);
    const struct blk_entry *e = blk_order_ready(&o);
    CHECK(e && e->pos == 10 && e->status == FB_BLK_OK);
    blk_order_pop(&o);
    e = blk_order_ready(&o);
    CHECK(e && e->pos == 11 && e->op == FB_BLK_OP_INFO);
    blk_order_pop(&o);
    e = blk_order_ready(&o);
    CHECK(e && e->pos == 12 && e->status == FB_BLK_BAD_REQUEST);
    blk_order_pop(&o);
    e = blk_order_ready(&o);
    CHECK(e && e->pos == 13 && e->status == FB_BLK_IO_ERROR);
    blk_order_pop(&o);
    CHECK(blk_order_ready(&o) == NULL && o.n == 0);
    blk_order_pop(&o);                            /* nothing: no harm */
    CHECK(o.n == 0);
}

static void bad_completions(void)
{
    struct blk_order o;
    blk_order_reset(&o);
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) < 0);          /* nothing in flight */
    CHECK(start(&o, rq(FB_BLK_OP_READ, 0, 1, 0), 0) == 0);
    CHECK(blk_order_finish(&o, 1, FB_BLK_OK) < 0);          /* not taken */
    CHECK(blk_order_finish(&o, BLK_ORDER_MAX, FB_BLK_OK) < 0);
    CHECK(blk_order_finish(&o, 0xffffffffu, FB_BLK_OK) < 0);
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) == 0);
    CHECK(blk_order_finish(&o, 0, FB_BLK_OK) < 0);          /* twice */
    struct fb_blk_req info = rq(FB_BLK_OP_INFO, 0, 0, 0);
    CHECK(blk_order_take(&o, &info, FB_BLK_OK, 1) == 1);
    CHECK(blk_order_finish(&o, 1, FB_BLK_OK) < 0);          /* never at the device */
}

static void full(void)
{
    struct blk_order o;
    blk_order_reset(&o);
    for (uint32_t i = 0; i < BLK_ORDER_MAX; i++)
        CHECK(start(&o, rq(FB_BLK_OP_WRITE, 8 * i, 8, 4096 * i), i) == (int)i);
    struct fb_blk_req one = rq(FB_BLK_OP_WRITE, 9999, 1, 0);
    CHECK(!blk_order_may_start(&o, &one));
    CHECK(blk_order_take(&o, &one, FB_BLK_OK, 99) < 0);
    /* Around the ring: finish and answer the oldest, take one more, many times. */
    for (uint32_t i = 0; i < 3 * BLK_ORDER_MAX; i++) {
        uint32_t oldest = o.first;
        CHECK(blk_order_finish(&o, oldest, FB_BLK_OK) == 0);
        const struct blk_entry *e = blk_order_ready(&o);
        CHECK(e && e->pos == i);
        blk_order_pop(&o);
        CHECK(start(&o, rq(FB_BLK_OP_WRITE, 8 * (i + BLK_ORDER_MAX), 8, 0), i + BLK_ORDER_MAX) == (int)oldest);
    }
    CHECK(o.n == BLK_ORDER_MAX);
}

int main(void)
{
    overlaps();
    flushes();
    answers_in_order();
    bad_completions();
    full();
    return check_report("test_blk_order");
}
