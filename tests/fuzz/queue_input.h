/*
 * queue_input.h - how fuzz_queue.c reads its input, and how
 * gen_queue_seeds.c writes seeds in that form:
 *   byte 0   depth = 1 << (b % 9)          (1..256)
 *   byte 1   slot = 8 * (1 + b % 64)       (8..512)
 *   byte 2   bit 0: the end the target plays; bits 1-2: 128-byte units of
 *            region beyond the smallest that fits
 *   byte 3   L, the length of the script
 *   L bytes  the script (operations, see fuzz_queue.c)
 *   rest     the region's initial contents (zero-padded, or cut, to its size)
 */
#ifndef FB_FUZZ_QUEUE_INPUT_H
#define FB_FUZZ_QUEUE_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <freebeam/queue.h>

#define QIN_HEADER 4u

struct qin {
    uint32_t depth, slot, end, region_bytes;
    const uint8_t *script, *image;
    size_t script_len, image_len;
};

/* The smallest region for depth and slot, rounded up to 128. */
static inline uint32_t qin_region_for(uint32_t depth, uint32_t slot)
{
    return (uint32_t)(2 * FB_QUEUE_HALF_BYTES(depth, slot) + 127) / 128 * 128;
}

/* Decode; 0 if the input is too short for the header. */
static inline int qin_decode(const uint8_t *in, size_t n, struct qin *q)
{
    if (n < QIN_HEADER)
        return 0;
    q->depth = 1u << (in[0] % 9);
    q->slot = 8u * (1u + in[1] % 64);
    q->end = in[2] & 1u;
    q->region_bytes = qin_region_for(q->depth, q->slot) + 128u * ((in[2] >> 1) & 3u);
    q->script = in + QIN_HEADER;
    q->script_len = in[3] < n - QIN_HEADER ? in[3] : n - QIN_HEADER;
    q->image = q->script + q->script_len;
    q->image_len = n - QIN_HEADER - q->script_len;
    return 1;
}

#endif
