/*
 * fuzz_virtq.c - libFuzzer target of the virtqueue's used-ring reader
 * (drivers/virtio/virtq.c), the part of a virtio driver that parses what a
 * device writes.  The input drives a queue of 8 entries: each step either
 * makes a buffer available (head and length from the input) or lets the
 * "device" write any used index and element words (from the input), then
 * the driver takes used elements until none or broken.  A buffer made
 * available may also be a chain of descriptors (virtq_add_chain), whose
 * descriptors are freed when the device uses it, or a buffer or chain the
 * device only reads (virtq_add_readable, as virtio-net sends), which it
 * must use with a length of 0.  Checked: an element taken names a head
 * that was in flight, with a length within its writable buffers; in_flight never exceeds the queue size; after VIRTQ_BROKEN the
 * driver would stop, so the run ends there.  ASan/UBSan catch any access
 * outside the queue's memory.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "../../drivers/virtio/virtq.h"

static _Alignas(4096) uint8_t qmem[VIRTQ_BYTES(8)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct virtq q;
    uint32_t lens[8] = { 0 };                 /* per head in flight: writable bytes */
    bool live[8] = { false };                 /* per head: in flight */
    if (!virtq_init(&q, qmem, 8))
        abort();
    size_t i = 0;
    while (i + 10 <= size) {
        const uint8_t *p = data + i;
        i += 10;
        if (p[0] & 1) {                       /* driver: make a buffer available */
            uint16_t head = p[1] & 7;
            uint32_t len = (uint32_t)p[2] | (uint32_t)p[3] << 8;
            bool added;
            if (p[0] & 2) {                   /* a chain: a readable buffer, then 0, 1 or 2 writable */
                bool writes = (p[4] & 2) == 0;
                uint16_t n = (uint16_t)(2 + (p[4] & 1));
                struct virtq_buf b[3] = {
                    { .paddr = 0x40000000u, .len = p[5] },
                    { .paddr = 0x40001000u, .len = len, .device_writes = writes },
                    { .paddr = 0x40002000u, .len = p[6], .device_writes = writes },
                };
                added = virtq_add_chain(&q, head, b, n);
                if (added)
                    lens[head] = writes ? len + (n == 3 ? p[6] : 0) : 0;
            } else if (p[0] & 4) {            /* one buffer the device only reads */
                added = virtq_add_readable(&q, head, 0x40000000u + head * 0x1000u, len);
                if (added)
                    lens[head] = 0;
            } else {
                added = virtq_add_writable(&q, head, 0x40000000u + head * 0x1000u, len);
                if (added)
                    lens[head] = len;
            }
            if (added)
                live[head] = true;
            continue;
        }
        /* device: write the used index and one element anywhere in the ring */
        uint16_t idx = (uint16_t)(p[1] | p[2] << 8);
        uint32_t slot = p[3] & 7;
        volatile uint32_t *e = (volatile uint32_t *)(q.used + 2) + 2u * slot;
        e[0] = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16;
        e[1] = (uint32_t)p[7] | (uint32_t)p[8] << 8 | (uint32_t)p[9] << 16;
        q.used[1] = idx;
        for (;;) {
            uint16_t head;
            uint32_t len;
            const char *why = NULL;
            int r = virtq_get_used(&q, &head, &len, &why);
            if (r == VIRTQ_NONE)
                break;
            if (r == VIRTQ_BROKEN) {
                if (!why)
                    abort();
                return 0;                     /* the driver stops using the device */
            }
            if (r != VIRTQ_GOT || head >= 8 || !live[head] || len > lens[head])
                abort();
            lens[head] = 0;
            live[head] = false;
        }
        if (q.in_flight > 8)
            abort();
    }
    return 0;
}
