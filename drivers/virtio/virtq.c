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
        q->chain_descs[i] = 0;
        q->desc_busy[i] = false;
    }
    return true;
}

bool virtq_add_writable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len)
{
    struct virtq_buf one = { .paddr = paddr, .len = len, .device_writes = true };
    return virtq_add_chain(q, head, &one, 1);
}

bool virtq_add_readable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len)
{
    struct virtq_buf one = { .paddr = paddr, .len = len, .device_writes = false };
    return virtq_add_chain(q, head, &one, 1);
}

bool virtq_add_chain(struct virtq *q, uint16_t head, const struct virtq_buf *bufs, uint16_t n)
{
    if (n == 0 || head >= q->size || n > q->size - head)
        return false;
    uint32_t writable = 0;
    for (uint16_t i = 0; i < n; i++) {
        if (q->desc_busy[head + i] || bufs[i].len == 0 ||
            (i > 0 && bufs[i - 1].device_writes && !bufs[i].device_writes))
            return false;
        if (bufs[i].device_writes) {
            if (bufs[i].len > UINT32_MAX - writable)
                return false;
            writable += bufs[i].len;
        }
    }
    for (uint16_t i = 0; i < n; i++) {
        volatile struct virtq_desc *d = &q->desc[head + i];
        d->addr = bufs[i].paddr;
        d->len = bufs[i].len;
        d->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0u) |
                              (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0u));
        d->next = (uint16_t)(i + 1 < n ? head + i + 1 : 0);
        q->desc_busy[head + i] = true;
    }
    q->chain_bytes[head] = writable;
    q->chain_descs[head] = n;
    q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
    fence();                                   /* the descriptors before the index that shows them */
    q->avail_idx++;
    q->avail[1] = q->avail_idx;
    q->in_flight++;
    fence();                                   /* the index before the notify */
    return true;
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
    if (id >= q->size || q->chain_descs[id] == 0) {
        *why = "a used element names no buffer in flight";
        return VIRTQ_BROKEN;
    }
    if (written > q->chain_bytes[id]) {
        *why = "a used length is larger than its buffer";
        return VIRTQ_BROKEN;
    }
    q->chain_bytes[id] = 0;
    for (uint32_t i = 0; i < q->chain_descs[id]; i++)
        q->desc_busy[id + i] = false;
    q->chain_descs[id] = 0;
    q->last_used++;
    q->in_flight--;
    *head = (uint16_t)id;
    *len = written;
    return VIRTQ_GOT;
}
