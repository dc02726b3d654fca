/*
 * blk.h - the request format of the virtio-blk driver PD (drivers/blk):
 * what a client puts on the request queue of its channel `blk` (a queue
 * pair, queue.h) and what the driver answers on the response queue.
 * docs/native-components.md, "The virtio-blk driver", says it in prose;
 * docs/storage.md says what a flush promises.
 *
 * The data of reads and writes travels in a region the client and the
 * driver both map, `blk_data` ({dma, true}: the device reads and writes it
 * directly); a request names a byte offset in it.  Sectors are 512 bytes
 * whatever the device's block size.
 *
 * Every request is one message of exactly sizeof(struct fb_blk_req) bytes
 * with a cookie of the client's choice; every answer is one message of
 * sizeof(struct fb_blk_resp) bytes with the same cookie.  Several
 * requests may be at the device at once, but they are served as if one at
 * a time, in order, and answered in the order they were sent: a flush
 * covers every write sent before it (answered yet or not), a read sees
 * every write sent before it.  A client may so send requests without
 * waiting, as long as it leaves their data in blk_data alone until their
 * answers come.  Fields are little-endian (both ends are).
 */
#ifndef FREEBEAM_BLK_H
#define FREEBEAM_BLK_H

#include <stdint.h>

#define FB_BLK_SECTOR 512u

/* Operations (fb_blk_req.op) */
#define FB_BLK_OP_INFO  0u    /* no data: the answer tells the disk's size and flags */
#define FB_BLK_OP_READ  1u    /* count sectors from `sector` into blk_data at `offset` */
#define FB_BLK_OP_WRITE 2u    /* count sectors from blk_data at `offset` to `sector` */
#define FB_BLK_OP_FLUSH 3u    /* every write sent before: on the medium (count, sector, offset 0) */

struct fb_blk_req {
    uint32_t op;
    uint32_t count;           /* sectors, 1 or more for read and write */
    uint64_t sector;          /* the first sector: sector + count <= capacity */
    uint32_t offset;          /* bytes into blk_data, a multiple of 512; the data fits the region */
    uint32_t reserved;        /* 0 */
};
_Static_assert(sizeof(struct fb_blk_req) == 24, "blk request size");

/* Statuses (fb_blk_resp.status) */
#define FB_BLK_OK          0u
#define FB_BLK_IO_ERROR    1u   /* the device failed the request */
#define FB_BLK_BAD_REQUEST 2u   /* malformed: length, reserved, range, offset, count */
#define FB_BLK_UNSUPPORTED 3u   /* an unknown op, or a flush the device cannot do */
#define FB_BLK_READ_ONLY   4u   /* a write to a read-only disk */
#define FB_BLK_NO_DEVICE   5u   /* the driver found no virtio-blk device */

/* Flags (fb_blk_resp.flags) */
#define FB_BLK_F_READ_ONLY 1u   /* the device refuses writes (VIRTIO_BLK_F_RO) */
#define FB_BLK_F_FLUSH     2u   /* flushes are real (VIRTIO_BLK_F_FLUSH): durability is claimed */

struct fb_blk_resp {
    uint32_t status;
    uint32_t flags;
    uint64_t capacity;        /* sectors of 512 bytes (0 without a device) */
    uint32_t block_size;      /* the device's block size in bytes (512 unless it says) */
    uint32_t reserved;        /* 0 */
};
_Static_assert(sizeof(struct fb_blk_resp) == 24, "blk response size");

#endif
