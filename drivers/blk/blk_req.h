/*
 * blk_req.h - the check of a client's request to the virtio-blk driver
 * (include/freebeam/blk.h) against the disk and the data region: the one
 * place where the driver parses bytes from its client.  Pure code, so that
 * the host tests (tests/host/test_blk.c) and the fuzzer
 * (tests/fuzz/fuzz_blkreq.c) run the same lines as the driver.
 */
#ifndef FREEBEAM_BLK_REQ_H
#define FREEBEAM_BLK_REQ_H

#include <stdbool.h>
#include <stdint.h>
#include <freebeam/blk.h>

/* What the driver knows of its disk and its client. */
struct blk_disk {
    bool present;             /* a device was found and started */
    bool read_only;           /* VIRTIO_BLK_F_RO */
    bool flush;               /* VIRTIO_BLK_F_FLUSH */
    uint64_t capacity;        /* sectors of 512 bytes */
    uint32_t data_bytes;      /* size of the blk_data region */
};

/* Check the len bytes at msg (copied first: the client may change them)
 * as a request: FB_BLK_OK with *req filled, or the status to answer with.
 * For FB_BLK_OK and a read or a write, sector + count <= capacity and
 * offset + 512 * count <= data_bytes hold. */
uint32_t blk_req_check(const volatile uint8_t *msg, uint32_t len, const struct blk_disk *disk,
                       struct fb_blk_req *req);

#endif
