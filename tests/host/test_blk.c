/*
 * test_blk.c - the virtio-blk driver's check of its client's requests
 * (drivers/blk/blk_req.c) on the host: the message's length and reserved
 * word, unknown ops, the fields info and flush must leave 0, the sector
 * range against the capacity (at the last sector, across the end, where
 * sector + count wraps), the data against the blk_data region (offset
 * alignment, past the end, where offset + length wraps), a read-only disk,
 * a disk that cannot flush, and no disk at all.
 */
#include <stdint.h>
#include "check.h"
#include "../../drivers/blk/blk_req.h"

static const struct blk_disk disk = {
    .present = true, .flush = true, .capacity = 2051, .data_bytes = 65536,
};

static uint32_t try(const struct blk_disk *d, uint32_t op, uint64_t sector, uint32_t count, uint32_t offset)
{
    struct fb_blk_req req = { .op = op, .count = count, .sector = sector, .offset = offset }, out;
    return blk_req_check((const uint8_t *)&req, sizeof req, d, &out);
}

static void shape(void)
{
    struct fb_blk_req req = { .op = FB_BLK_OP_READ, .count = 1, .sector = 9, .offset = 512 }, out;
    CHECK(blk_req_check((const uint8_t *)&req, sizeof req, &disk, &out) == FB_BLK_OK);
    CHECK(out.op == FB_BLK_OP_READ && out.count == 1 && out.sector == 9 && out.offset == 512);
    CHECK(blk_req_check((const uint8_t *)&req, sizeof req - 1, &disk, &out) == FB_BLK_BAD_REQUEST);
    CHECK(blk_req_check((const uint8_t *)&req, 0, &disk, &out) == FB_BLK_BAD_REQUEST);
    uint8_t longer[32] = { 0 };
    memcpy(longer, &req, sizeof req);
    CHECK(blk_req_check(longer, sizeof longer, &disk, &out) == FB_BLK_BAD_REQUEST);
    req.reserved = 0x80000000u;
    CHECK(blk_req_check((const uint8_t *)&req, sizeof req, &disk, &out) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, 4, 0, 0, 0) == FB_BLK_UNSUPPORTED && try(&disk, 0xffffffffu, 0, 1, 0) == FB_BLK_UNSUPPORTED);
    CHECK(try(&disk, FB_BLK_OP_INFO, 0, 0, 0) == FB_BLK_OK);
    CHECK(try(&disk, FB_BLK_OP_INFO, 1, 0, 0) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, FB_BLK_OP_FLUSH, 0, 0, 0) == FB_BLK_OK);
    CHECK(try(&disk, FB_BLK_OP_FLUSH, 0, 1, 0) == FB_BLK_BAD_REQUEST &&
          try(&disk, FB_BLK_OP_FLUSH, 0, 0, 512) == FB_BLK_BAD_REQUEST);
}

static void ranges(void)
{
    CHECK(try(&disk, FB_BLK_OP_WRITE, 2050, 1, 0) == FB_BLK_OK);           /* the last sector */
    CHECK(try(&disk, FB_BLK_OP_READ, 2051, 1, 0) == FB_BLK_BAD_REQUEST);   /* the one after */
    CHECK(try(&disk, FB_BLK_OP_READ, 2050, 2, 0) == FB_BLK_BAD_REQUEST);   /* across the end */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 128, 0) == FB_BLK_OK);             /* the whole region */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 0, 0) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, FB_BLK_OP_READ, UINT64_MAX, 2, 0) == FB_BLK_BAD_REQUEST);   /* sector + count wraps */
    CHECK(try(&disk, FB_BLK_OP_READ, UINT64_MAX - 1, 2, 0) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 1, 511) == FB_BLK_BAD_REQUEST);    /* offset not aligned */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 1, 65024) == FB_BLK_OK);           /* the region's last sector */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 1, 65536) == FB_BLK_BAD_REQUEST);  /* past the region */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 2, 65024) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 129, 0) == FB_BLK_BAD_REQUEST);
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 0x800000u, 512) == FB_BLK_BAD_REQUEST);   /* 2^32 bytes */
    CHECK(try(&disk, FB_BLK_OP_READ, 0, 0xffffffffu, 0xfffffe00u) == FB_BLK_BAD_REQUEST);
    struct blk_disk empty = disk;
    empty.capacity = 0;
    CHECK(try(&empty, FB_BLK_OP_READ, 0, 1, 0) == FB_BLK_BAD_REQUEST);
}

static void disks(void)
{
    struct blk_disk ro = disk, noflush = disk, none = { .data_bytes = 65536 };
    ro.read_only = true;
    noflush.flush = false;
    CHECK(try(&ro, FB_BLK_OP_WRITE, 0, 1, 0) == FB_BLK_READ_ONLY && try(&ro, FB_BLK_OP_READ, 0, 1, 0) == FB_BLK_OK);
    CHECK(try(&ro, FB_BLK_OP_WRITE, 2051, 1, 0) == FB_BLK_BAD_REQUEST);   /* the range first */
    CHECK(try(&noflush, FB_BLK_OP_FLUSH, 0, 0, 0) == FB_BLK_UNSUPPORTED &&
          try(&noflush, FB_BLK_OP_WRITE, 0, 1, 0) == FB_BLK_OK);
    CHECK(try(&none, FB_BLK_OP_READ, 0, 1, 0) == FB_BLK_NO_DEVICE && try(&none, FB_BLK_OP_INFO, 0, 0, 0) == FB_BLK_NO_DEVICE &&
          try(&none, FB_BLK_OP_FLUSH, 0, 0, 0) == FB_BLK_NO_DEVICE);
    CHECK(try(&none, FB_BLK_OP_FLUSH, 0, 1, 0) == FB_BLK_BAD_REQUEST);    /* the shape first */
}

int main(void)
{
    shape();
    ranges();
    disks();
    return check_report("test_blk");
}
