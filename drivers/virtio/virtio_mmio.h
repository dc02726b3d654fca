/*
 * virtio_mmio.h - the virtio-mmio transport (virtio 1.x section 4.2, and
 * the legacy interface of its section 4.2.4) for driver PDs: finding a
 * device among QEMU virt's transports, the status and feature handshake,
 * and setting up a split virtqueue (virtq.h).  Both versions: QEMU 7.2's
 * devices are legacy (version 1) unless it is run with
 * `-global virtio-mmio.force-legacy=false` (then version 2, "modern").
 *
 * QEMU virt has VIO_MMIO_SLOTS transports of VIO_MMIO_SLOT_BYTES each
 * from 0x0a000000; slot n raises GIC SPI 16+n, INTID 48+n.  QEMU fills
 * them from the highest slot down: the first -device is slot 31 (INTID
 * 79).  A driver maps the whole window (one device region of
 * VIO_MMIO_WINDOW_BYTES) and probes every slot by magic, version and
 * device id: nothing about which slot holds its device is assumed.
 *
 * Trust: whatever the device reports is checked before use (the magic and
 * version, a queue size of 0 or one above what we can set up, the feature
 * handshake's FEATURES_OK read-back).  The register access goes through
 * struct vio_mmio's base pointer, so the host tests run this code on plain
 * memory (tests/host/test_virtio.c).
 */
#ifndef FREEBEAM_VIRTIO_MMIO_H
#define FREEBEAM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include "virtq.h"

#define VIO_MMIO_BASE 0x0a000000u
#define VIO_MMIO_SLOTS 32u
#define VIO_MMIO_SLOT_BYTES 0x200u
#define VIO_MMIO_WINDOW_BYTES (VIO_MMIO_SLOTS * VIO_MMIO_SLOT_BYTES)   /* 16 KiB */
#define VIO_MMIO_FIRST_INTID 48u     /* slot n: INTID 48 + n */

#define VIO_MAGIC 0x74726976u        /* "virt" */

/* Register offsets (bytes) */
#define VIO_REG_MAGIC           0x000
#define VIO_REG_VERSION         0x004
#define VIO_REG_DEVICE_ID       0x008
#define VIO_REG_VENDOR_ID       0x00c
#define VIO_REG_DEVICE_FEATURES 0x010
#define VIO_REG_DEVICE_FEAT_SEL 0x014
#define VIO_REG_DRIVER_FEATURES 0x020
#define VIO_REG_DRIVER_FEAT_SEL 0x024
#define VIO_REG_GUEST_PAGE_SIZE 0x028   /* legacy */
#define VIO_REG_QUEUE_SEL       0x030
#define VIO_REG_QUEUE_NUM_MAX   0x034
#define VIO_REG_QUEUE_NUM       0x038
#define VIO_REG_QUEUE_ALIGN     0x03c   /* legacy */
#define VIO_REG_QUEUE_PFN       0x040   /* legacy */
#define VIO_REG_QUEUE_READY     0x044   /* modern */
#define VIO_REG_QUEUE_NOTIFY    0x050
#define VIO_REG_INT_STATUS      0x060
#define VIO_REG_INT_ACK         0x064
#define VIO_REG_STATUS          0x070
#define VIO_REG_QUEUE_DESC_LO   0x080   /* modern: the three parts' addresses */
#define VIO_REG_QUEUE_DESC_HI   0x084
#define VIO_REG_QUEUE_AVAIL_LO  0x090
#define VIO_REG_QUEUE_AVAIL_HI  0x094
#define VIO_REG_QUEUE_USED_LO   0x0a0
#define VIO_REG_QUEUE_USED_HI   0x0a4
#define VIO_REG_CONFIG_GEN      0x0fc   /* modern: changes while the config changes */
#define VIO_REG_CONFIG          0x100   /* the device-specific configuration */
#define VIO_CONFIG_BYTES (VIO_MMIO_SLOT_BYTES - VIO_REG_CONFIG)

/* Device status bits */
#define VIO_STATUS_ACKNOWLEDGE 1u
#define VIO_STATUS_DRIVER      2u
#define VIO_STATUS_DRIVER_OK   4u
#define VIO_STATUS_FEATURES_OK 8u
#define VIO_STATUS_NEEDS_RESET 64u
#define VIO_STATUS_FAILED      128u

#define VIO_F_VERSION_1 32u          /* feature bit: a modern device */

/* Device ids */
#define VIO_ID_NET     1u
#define VIO_ID_BLOCK   2u
#define VIO_ID_ENTROPY 4u

struct vio_mmio {
    volatile uint32_t *regs;         /* the slot's registers */
    uint32_t slot;                   /* 0..31 */
    uint32_t version;                /* 1 legacy, 2 modern */
    uint32_t device_id;
};

/* The first slot (from the highest down) in the window at `window` holding
 * a device with id device_id and a version we drive: 0 and *d filled, or
 * -1.  A slot with a bad magic or an unknown version is skipped. */
int vio_probe(struct vio_mmio *d, volatile void *window, uint32_t device_id);

/* Reset the device, acknowledge it and negotiate features: the device's
 * features & wanted (VIRTIO_F_VERSION_1 added for a modern device, which
 * must offer it).  0, or -1 with *why (the device is then marked FAILED). */
int vio_start(struct vio_mmio *d, uint64_t wanted, uint64_t *accepted, const char **why);

/* Set up queue `index` with the virtqueue in the block at mem (physical
 * address paddr, VIRTQ_BYTES(size) bytes; the size is cut to the device's
 * maximum, a power of two).  0, or -1 with *why. */
int vio_queue_setup(struct vio_mmio *d, uint32_t index, struct virtq *q, void *mem, uint32_t paddr,
                    uint16_t size, const char **why);

/* Tell the device the driver is ready (DRIVER_OK). */
void vio_ready(struct vio_mmio *d);

/* Mark the device FAILED (after it broke the protocol). */
void vio_fail(struct vio_mmio *d);

/* Tell the device queue `index` has new buffers. */
void vio_notify(struct vio_mmio *d, uint32_t index);

/* Read and acknowledge the interrupt status; true if the device needs a
 * reset (its status says so). */
bool vio_irq_take(struct vio_mmio *d, uint32_t *status);

/* The device's configuration space, read with the width of the field as
 * virtio-mmio asks: byte `off` (virtio-net: its MAC, bytes 0-5), 0
 * outside the space; */
uint8_t vio_config8(const struct vio_mmio *d, uint32_t off);

/* a 32-bit word at byte offset off (a multiple of 4 below
 * VIO_CONFIG_BYTES; 0 outside); */
uint32_t vio_config32(const struct vio_mmio *d, uint32_t off);

/* a 64-bit field (two words, low first), read until
 * it is stable: the config generation (modern) or the high word (legacy)
 * the same before and after. */
uint64_t vio_config64(const struct vio_mmio *d, uint32_t off);

#endif
