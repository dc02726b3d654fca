/*
 * blk_order.c - which requests the virtio-blk driver may have at the device
 * at once, and the order of its answers (blk_order.h says the rules).
 */
#include <stddef.h>
#include "blk_order.h"

void blk_order_reset(struct blk_order *o)
{
    for (uint32_t i = 0; i < BLK_ORDER_MAX; i++)
        o->e[i].state = BLK_ENTRY_FREE;
    o->first = 0;
    o->n = 0;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* True if r and the request of entry e, both at the device at once, could
 * be served in either order with a different outcome. */
static bool conflict(const struct fb_blk_req *r, const struct blk_entry *e)
{
    if (r->op == FB_BLK_OP_FLUSH || e->op == FB_BLK_OP_FLUSH)
        return true;
    bool both_read = r->op == FB_BLK_OP_READ && e->op == FB_BLK_OP_READ;
    bool both_write = r->op == FB_BLK_OP_WRITE && e->op == FB_BLK_OP_WRITE;
    uint64_t bytes = (uint64_t)r->count * FB_BLK_SECTOR, ebytes = (uint64_t)e->count * FB_BLK_SECTOR;
    return (!both_read && overlap(r->sector, r->count, e->sector, e->count)) ||
           (!both_write && overlap(r->offset, bytes, e->offset, ebytes));
}

bool blk_order_may_start(const struct blk_order *o, const struct fb_blk_req *req)
{
    if (o->n >= BLK_ORDER_MAX)
        return false;
    for (uint32_t k = 0; k < o->n; k++) {
        const struct blk_entry *e = &o->e[(o->first + k) % BLK_ORDER_MAX];
        if (e->state == BLK_ENTRY_DEVICE && conflict(req, e))
            return false;
    }
    return true;
}

int blk_order_take(struct blk_order *o, const struct fb_blk_req *req, uint32_t status, uint32_t pos)
{
    if (o->n >= BLK_ORDER_MAX)
        return -1;
    uint32_t idx = (o->first + o->n) % BLK_ORDER_MAX;
    struct blk_entry *e = &o->e[idx];
    bool device = status == FB_BLK_OK && (req->op == FB_BLK_OP_READ || req->op == FB_BLK_OP_WRITE ||
                                         req->op == FB_BLK_OP_FLUSH);
    *e = (struct blk_entry){
        .state = device ? BLK_ENTRY_DEVICE : BLK_ENTRY_DONE, .op = req->op, .status = status, .pos = pos,
        .sector = req->sector, .count = req->count, .offset = req->offset,
    };
    o->n++;
    return (int)idx;
}

int blk_order_finish(struct blk_order *o, uint32_t idx, uint32_t status)
{
    if (idx >= BLK_ORDER_MAX || o->e[idx].state != BLK_ENTRY_DEVICE)
        return -1;
    o->e[idx].state = BLK_ENTRY_DONE;
    o->e[idx].status = status;
    return 0;
}

const struct blk_entry *blk_order_ready(const struct blk_order *o)
{
    if (o->n == 0 || o->e[o->first].state != BLK_ENTRY_DONE)
        return NULL;
    return &o->e[o->first];
}

void blk_order_pop(struct blk_order *o)
{
    if (o->n == 0)
        return;
    o->e[o->first].state = BLK_ENTRY_FREE;
    o->first = (o->first + 1) % BLK_ORDER_MAX;
    o->n--;
}
