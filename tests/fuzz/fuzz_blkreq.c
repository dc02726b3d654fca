/*
 * fuzz_blkreq.c - libFuzzer target of the virtio-blk driver's consumer
 * side (drivers/blk): the request queue of its channel, filled with
 * arbitrary bytes by a hostile client, read the way blk.c reads it
 * (fb_queue_peek, then blk_req_check on the message in place, then
 * fb_queue_consume) against an arbitrary disk.  Checked for every request
 * accepted: a read or a write lies inside the disk (sector + count <=
 * capacity, no wrap) and its data inside blk_data (offset a multiple of
 * 512, offset + 512 * count <= the region), a flush only on a disk that can
 * flush, a write never on a read-only disk; and every status is one blk.h
 * defines.  ASan/UBSan catch any access outside the queue region.
 *
 * Input: byte 0 the disk (bit 0 present, bit 1 read-only, bit 2 flush),
 * bytes 1-8 its capacity and 9-12 the size of blk_data (little-endian),
 * then the queue-pair region's first half (the client's requests; depth 8,
 * slot 64, as systems/blkcheck.config), zero-padded or cut to its size.
 */
#include <stdlib.h>
#include <string.h>
#include <freebeam/queue.h>
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
    for (unsigned n = 0; n <= DEPTH; n++) {
        struct fb_qmsg m;
        if (fb_queue_peek(&q.rx, &m) < 0)
            break;
        struct fb_blk_req req;
        uint32_t status = blk_req_check(m.data, m.len, &disk, &req);
        if (status > FB_BLK_NO_DEVICE)
            abort();
        if (status == FB_BLK_READ_ONLY && (req.op != FB_BLK_OP_WRITE || !disk.read_only))
            abort();
        if (status == FB_BLK_OK) {
            if (!disk.present || req.reserved != 0 || req.op > FB_BLK_OP_FLUSH)
                abort();
            if (req.op == FB_BLK_OP_FLUSH && (!disk.flush || req.count || req.sector || req.offset))
                abort();
            if (req.op == FB_BLK_OP_WRITE && disk.read_only)
                abort();
            if (req.op == FB_BLK_OP_READ || req.op == FB_BLK_OP_WRITE) {
                uint64_t end = req.sector + req.count, bytes = (uint64_t)req.count * FB_BLK_SECTOR;
                if (req.count == 0 || end < req.sector || end > disk.capacity || req.offset % FB_BLK_SECTOR ||
                    (uint64_t)req.offset + bytes > disk.data_bytes)
                    abort();
            }
        }
        fb_queue_consume(&q.rx, &m);
    }
    free(region);
    return 0;
}
