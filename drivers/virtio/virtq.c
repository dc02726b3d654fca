/*
 * virtq.c - the split virtqueue of virtq.h: setting it up, making buffers
 * available, and taking used ones back with every word the device wrote
 * checked before use.
 */
#include "virtq.h"

static void fence(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* dmb ish: the device is another observer */
}

bool virtq_init(struct virtq *q, void *mem, uint16_t size)
{
    if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)) != 0 ||
        ((uintptr_t)mem & (VIRTQ_ALIGN - 1)) != 0)
        return false;
    uint8_t *base = mem;
    for (uint32_t i = 0; i < VIRTQ_BYTES(size); i++)
        ((volatile uint8_t *)base)[i] = 0;
    q->size = size;
    q->desc = (volatile struct virtq_desc *)base;
    q->avail = (volatile uint16_t *)(base + 16u * size);
    q->used = (volatile uint16_t *)(base + VIRTQ_USED_OFFSET(size));
    q->avail_idx = q->last_used = q->in_flight = 0;
    for (uint32_t i = 0; i < VIRTQ_MAX_SIZE; i++) {
        q->chain_bytes[i] = 0;
        q->busy[i] = false;
    }
    return true;
}

static bool add_one(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len, bool device_writes)
{
    if (head >= q->size || q->busy[head] || len == 0)
        return false;
    q->desc[head].addr = paddr;
    q->desc[head].len = len;
    q->desc[head].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
    q->desc[head].next = 0;
    q->chain_bytes[head] = device_writes ? len : 0;
    q->busy[head] = true;
    q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
    fence();                                   /* the descriptor before the index that shows it */
    q->avail_idx++;
    q->avail[1] = q->avail_idx;
    q->in_flight++;
    fence();                                   /* the index before the notify */
    return true;
}

bool virtq_add_writable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len)
{
    return add_one(q, head, paddr, len, true);
}

bool virtq_add_readable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len)
{
    return add_one(q, head, paddr, len, false);
}

int virtq_get_used(struct virtq *q, uint16_t *head, uint32_t *len, const char **why)
{
    uint16_t used_idx = q->used[1];            /* read once */
    uint16_t pending = (uint16_t)(used_idx - q->last_used);
    if (pending == 0)
        return VIRTQ_NONE;
    if (pending > q->in_flight) {
        *why = "the used index ran ahead of the buffers made available";
        return VIRTQ_BROKEN;
    }
    fence();                                   /* the index before the element it shows */
    const volatile uint32_t *elem =
        (const volatile uint32_t *)(q->used + 2) + 2u * (q->last_used & (q->size - 1));
    uint32_t id = elem[0], written = elem[1];  /* read once each */
    if (id >= q->size || !q->busy[id]) {
        *why = "a used element names no buffer in flight";
        return VIRTQ_BROKEN;
    }
    if (written > q->chain_bytes[id]) {
        *why = "a used length is larger than its buffer";
        return VIRTQ_BROKEN;
    }
    q->chain_bytes[id] = 0;
    q->busy[id] = false;
    q->last_used++;
    q->in_flight--;
    *head = (uint16_t)id;
    *len = written;
    return VIRTQ_GOT;
}
