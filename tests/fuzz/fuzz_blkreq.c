/*
 * fuzz_blkreq.c - libFuzzer target of the virtio-blk driver's consumer
 * side (drivers/blk): the request queue of its channel, filled with
 * arbitrary bytes by a hostile client, read the way blk.c reads it
 * (fb_queue_peek_nth ahead of the oldest, blk_req_check on the message in
 * place, blk_order.c to decide what goes to the device together, answers
 * oldest first with fb_queue_consume) against an arbitrary disk, the
 * device finishing what it has in the reverse order.  Checked for every request
 * accepted: a read or a write lies inside the disk (sector + count <=
 * capacity, no wrap) and its data inside blk_data (offset a multiple of
 * 512, offset + 512 * count <= the region), a flush only on a disk that can
 * flush, a write never on a read-only disk; and every status is one blk.h
 * defines; no two requests at the device at once that blk_order.h says
 * must not be (same sectors unless both read, same bytes of blk_data
 * unless both write, a flush with anything), never more than
 * BLK_ORDER_MAX, and the answers in queue order.  ASan/UBSan catch any
 * access outside the queue region.
 *
 * Input: byte 0 the disk (bit 0 present, bit 1 read-only, bit 2 flush),
 * bytes 1-8 its capacity and 9-12 the size of blk_data (little-endian),
 * then the queue-pair region's first half (the client's requests; depth 8,
 * slot 64, as systems/blkcheck.config), zero-padded or cut to its size.
 */
#include <stdlib.h>
#include <string.h>
#include <freebeam/queue.h>
#include "../../drivers/blk/blk_order.h"
#include "../../drivers/blk/blk_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEPTH 8u
#define SLOT 64u
#define REGION_BYTES 4096u
#define HEADER 13u

static uint64_t le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* What the check says of one request must hold of it. */
static void check(const struct blk_disk *disk, const struct fb_blk_req *req, uint32_t status)
{
    if (status > FB_BLK_NO_DEVICE)
        abort();
    if (status == FB_BLK_READ_ONLY && (req->op != FB_BLK_OP_WRITE || !disk->read_only))
        abort();
    if (status != FB_BLK_OK)
        return;
    if (!disk->present || req->reserved != 0 || req->op > FB_BLK_OP_FLUSH)
        abort();
    if (req->op == FB_BLK_OP_FLUSH && (!disk->flush || req->count || req->sector || req->offset))
        abort();
    if (req->op == FB_BLK_OP_WRITE && disk->read_only)
        abort();
    if (req->op == FB_BLK_OP_READ || req->op == FB_BLK_OP_WRITE) {
        uint64_t end = req->sector + req->count, bytes = (uint64_t)req->count * FB_BLK_SECTOR;
        if (req->count == 0 || end < req->sector || end > disk->capacity || req->offset % FB_BLK_SECTOR ||
            (uint64_t)req->offset + bytes > disk->data_bytes)
            abort();
    }
}

/* req goes to the device: nothing there may conflict with it. */
static void at_device(const struct blk_order *o, const struct fb_blk_req *req)
{
    if (o->n >= BLK_ORDER_MAX)
        abort();
    for (uint32_t k = 0; k < o->n; k++) {
        const struct blk_entry *e = &o->e[(o->first + k) % BLK_ORDER_MAX];
        if (e->state != BLK_ENTRY_DEVICE)
            continue;
        if (req->op == FB_BLK_OP_FLUSH || e->op == FB_BLK_OP_FLUSH)
            abort();
        bool sectors = req->sector < e->sector + e->count && e->sector < req->sector + req->count;
        bool bytes = req->offset < e->offset + e->count * FB_BLK_SECTOR &&
                     e->offset < req->offset + req->count * FB_BLK_SECTOR;
        if ((sectors && !(req->op == FB_BLK_OP_READ && e->op == FB_BLK_OP_READ)) ||
            (bytes && !(req->op == FB_BLK_OP_WRITE && e->op == FB_BLK_OP_WRITE)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER)
        return 0;
    struct blk_disk disk = {
        .present = data[0] & 1, .read_only = data[0] & 2, .flush = data[0] & 4,
        .capacity = le(data + 1, 8), .data_bytes = (uint32_t)le(data + 9, 4),
    };
    uint8_t *region = aligned_alloc(64, REGION_BYTES);
    if (!region)
        abort();
    size_t image = size - HEADER < REGION_BYTES / 2 ? size - HEADER : REGION_BYTES / 2;
    memset(region, 0, REGION_BYTES);
    memcpy(region, data + HEADER, image);
    struct fb_qpair q;
    if (!fb_qpair_attach(&q, region, REGION_BYTES, 1, DEPTH, SLOT))
        abort();
    struct blk_order order;
    blk_order_reset(&order);
    uint32_t last = 0;                   /* the last answer's place in the queue */
    bool any = false;
    for (unsigned n = 0; n <= 2 * DEPTH; n++) {
        struct fb_qmsg m;
        bool more = fb_queue_peek_nth(&q.rx, order.n, &m) == 0;
        struct fb_blk_req req;
        uint32_t status = more ? blk_req_check(m.data, m.len, &disk, &req) : FB_BLK_OK;
        bool device = more && status == FB_BLK_OK && req.op != FB_BLK_OP_INFO;
        if (more && (!device || blk_order_may_start(&order, &req))) {
            check(&disk, &req, status);
            if (device)
                at_device(&order, &req);
            if (blk_order_take(&order, &req, status, m.pos) < 0)
                abort();
            continue;
        }
        if (order.n == 0)
            break;
        /* Blocked or at the end: the device finishes all it has, newest first. */
        for (uint32_t k = order.n; k-- > 0;) {
            uint32_t idx = (order.first + k) % BLK_ORDER_MAX;
            if (order.e[idx].state == BLK_ENTRY_DEVICE && blk_order_finish(&order, idx, FB_BLK_OK) < 0)
                abort();
        }
        const struct blk_entry *e;
        while ((e = blk_order_ready(&order)) != NULL) {
            struct fb_qmsg head;
            if (fb_queue_peek(&q.rx, &head) < 0 || head.pos != e->pos || (any && e->pos != last + 1))
                abort();
            last = e->pos;
            any = true;
            fb_queue_consume(&q.rx, &head);
            blk_order_pop(&order);
        }
        if (order.n != 0)
            abort();
    }
    free(region);
    return 0;
}
