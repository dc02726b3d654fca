/*
 * virtq.h - a split virtqueue (virtio 1.x, section 2.7) as a driver sees
 * it, in memory the driver shares with its device: the descriptor table,
 * the available ring (driver -> device) and the used ring (device ->
 * driver).  Shared by every virtio driver PD (drivers/rng, drivers/blk and
 * drivers/net).  Pure code on memory the caller hands over, so that the host
 * tests (tests/host/test_virtio.c) and the fuzzer (tests/fuzz/fuzz_virtq.c)
 * run the same lines as the driver.
 *
 * Layout in one block of VIRTQ_BYTES(size) bytes, 4096-aligned, which both
 * transports accept (legacy needs exactly this, with QueueAlign 4096):
 *     0                              size descriptors of 16 bytes
 *     16*size                        available ring: flags, idx, ring[size], used_event
 *     align4096(16*size + 6+2*size)  used ring: flags, idx, {id, len}[size], avail_event
 *
 * Trust: the device writes only the used ring, and the driver reads each
 * used entry once and checks it before acting on it: the used index may not
 * run ahead of what was made available, an entry must name the head of a
 * chain the driver has in flight, and the length written must fit the
 * buffers of that chain.  Anything else is VIRTQ_BROKEN: the driver stops
 * using the device (it cannot know what the device did) and never touches
 * memory outside its buffers.
 */
#ifndef FREEBEAM_VIRTQ_H
#define FREEBEAM_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 256u          /* the largest queue this code sets up */
#define VIRTQ_ALIGN 4096u

#define VIRTQ_DESC_F_NEXT  1u
#define VIRTQ_DESC_F_WRITE 2u        /* the device writes this buffer */

struct virtq_desc {
    uint64_t addr;                   /* physical address of the buffer */
    uint32_t len;
    uint16_t flags, next;
};

struct virtq_used_elem {
    uint32_t id;                     /* head of the chain the device used */
    uint32_t len;                    /* bytes it wrote into the chain */
};

#define VIRTQ_ALIGN_UP(x) (((uint32_t)(x) + VIRTQ_ALIGN - 1) & ~(VIRTQ_ALIGN - 1))
#define VIRTQ_USED_OFFSET(size) VIRTQ_ALIGN_UP(16u * (size) + 6u + 2u * (size))
#define VIRTQ_BYTES(size) (VIRTQ_USED_OFFSET(size) + VIRTQ_ALIGN_UP(6u + 8u * (size)))

/* Results of virtq_get_used. */
#define VIRTQ_NONE   0               /* nothing new */
#define VIRTQ_GOT    1               /* *id, *len filled */
#define VIRTQ_BROKEN (-1)            /* the device broke the protocol (*why says how) */

struct virtq {
    uint16_t size;                   /* entries, a power of two, <= VIRTQ_MAX_SIZE */
    volatile struct virtq_desc *desc;
    volatile uint16_t *avail;        /* [0] flags, [1] idx, [2 ..] ring */
    volatile uint16_t *used;         /* [0] flags, [1] idx, then the elements */
    uint16_t avail_idx;              /* our next available index (what we published) */
    uint16_t last_used;              /* the used index we have consumed up to */
    uint16_t in_flight;              /* chains made available and not yet used */
    /* In flight, per head: the descriptors of its chain (0: no chain in
     * flight has this head) and the bytes the device may write into it
     * (0 for a chain the device only reads); per descriptor: whether a
     * chain in flight holds it.  One scheme for every kind of chain. */
    uint16_t chain_descs[VIRTQ_MAX_SIZE];
    uint32_t chain_bytes[VIRTQ_MAX_SIZE];
    bool desc_busy[VIRTQ_MAX_SIZE];
};

/* One buffer of a chain (virtq_add_chain). */
struct virtq_buf {
    uint64_t paddr;
    uint32_t len;
    bool device_writes;              /* the device writes it (else it reads it) */
};

/* Attach to the block at mem (VIRTQ_BYTES(size), 4096-aligned) and zero it.
 * False if size is not a power of two from 1 to VIRTQ_MAX_SIZE or mem is
 * not aligned. */
bool virtq_init(struct virtq *q, void *mem, uint16_t size);

/* Make one device-writable buffer (physical address, len bytes) available
 * as the one-descriptor chain with head `head` (< size, not in flight).
 * False if head is not free or len is 0.  Follow with the transport's
 * notify. */
bool virtq_add_writable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len);

/* The same for a buffer the device only reads (a frame to send): the
 * device must report a used length of 0 for it. */
bool virtq_add_readable(struct virtq *q, uint16_t head, uint64_t paddr, uint32_t len);

/* Make a chain of n buffers available, in descriptors head .. head+n-1
 * (all < size and free), with head `head`.  The device-readable buffers
 * must come before the writable ones (virtio's rule); a chain without a
 * writable buffer must be used with a length of 0.  False, and nothing
 * changed, otherwise or if a len is 0.  Follow with the transport's
 * notify. */
bool virtq_add_chain(struct virtq *q, uint16_t head, const struct virtq_buf *bufs, uint16_t n);

/* The next used chain: VIRTQ_GOT with its head and the length the device
 * wrote (checked against the chain), VIRTQ_NONE, or VIRTQ_BROKEN. */
int virtq_get_used(struct virtq *q, uint16_t *head, uint32_t *len, const char **why);

#endif
