/*
 * virtq_device.h - the device's side of a virtqueue (drivers/virtio/virtq.h)
 * for host tests and fuzzers: publish a used element as a device would.
 */
#ifndef FB_TEST_VIRTQ_DEVICE_H
#define FB_TEST_VIRTQ_DEVICE_H

#include <stdint.h>
#include "../../drivers/virtio/virtq.h"

/* Put element (id, len) in q's used ring and publish it. */
static inline void device_use(struct virtq *q, uint32_t id, uint32_t len)
{
    uint16_t idx = q->used[1];
    volatile uint32_t *e = (volatile uint32_t *)(q->used + 2) + 2u * (idx & (q->size - 1));
    e[0] = id;
    e[1] = len;
    q->used[1] = (uint16_t)(idx + 1);
}

#endif
