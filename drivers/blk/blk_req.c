/*
 * blk_req.c - the request check of blk_req.h.  The order of the checks
 * fixes which status a request with several faults gets: shape first
 * (length, reserved word, op), then the device's presence, then ranges,
 * then what the device can do.
 */
#include "blk_req.h"

uint32_t blk_req_check(const volatile uint8_t *msg, uint32_t len, const struct blk_disk *disk,
                       struct fb_blk_req *req)
{
    if (len != sizeof *req)
        return FB_BLK_BAD_REQUEST;
    uint8_t *copy = (uint8_t *)req;
    for (uint32_t i = 0; i < sizeof *req; i++)
        copy[i] = msg[i];                      /* each byte read once */
    if (req->reserved != 0)
        return FB_BLK_BAD_REQUEST;
    if (req->op > FB_BLK_OP_FLUSH)
        return FB_BLK_UNSUPPORTED;
    bool data = req->op == FB_BLK_OP_READ || req->op == FB_BLK_OP_WRITE;
    if (!data && (req->count != 0 || req->sector != 0 || req->offset != 0))
        return FB_BLK_BAD_REQUEST;
    if (!disk->present)
        return FB_BLK_NO_DEVICE;
    if (req->op == FB_BLK_OP_FLUSH && !disk->flush)
        return FB_BLK_UNSUPPORTED;
    if (!data)
        return FB_BLK_OK;
    uint64_t bytes = (uint64_t)req->count * FB_BLK_SECTOR;
    if (req->count == 0 || req->offset % FB_BLK_SECTOR != 0 || bytes > disk->data_bytes ||
        req->offset > disk->data_bytes - bytes)
        return FB_BLK_BAD_REQUEST;
    if (req->sector > disk->capacity || req->count > disk->capacity - req->sector)
        return FB_BLK_BAD_REQUEST;
    if (req->op == FB_BLK_OP_WRITE && disk->read_only)
        return FB_BLK_READ_ONLY;
    return FB_BLK_OK;
}
