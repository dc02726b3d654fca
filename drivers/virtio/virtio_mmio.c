/*
 * virtio_mmio.c - the virtio-mmio transport of virtio_mmio.h: probe,
 * feature negotiation, queue setup, for legacy (version 1) and modern
 * (version 2) devices.
 */
#include "virtio_mmio.h"

static uint32_t rd(const struct vio_mmio *d, uint32_t off)
{
    return d->regs[off / 4];
}

static void wr(struct vio_mmio *d, uint32_t off, uint32_t v)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* memory the device reads before the register */
    d->regs[off / 4] = v;
}

int vio_probe(struct vio_mmio *d, volatile void *window, uint32_t device_id)
{
    for (uint32_t n = VIO_MMIO_SLOTS; n-- > 0;) {
        struct vio_mmio s = {
            .regs = (volatile uint32_t *)((volatile uint8_t *)window + n * VIO_MMIO_SLOT_BYTES),
            .slot = n,
        };
        if (rd(&s, VIO_REG_MAGIC) != VIO_MAGIC)
            continue;
        s.version = rd(&s, VIO_REG_VERSION);
        s.device_id = rd(&s, VIO_REG_DEVICE_ID);
        if ((s.version != 1 && s.version != 2) || s.device_id != device_id)
            continue;
        *d = s;
        return 0;
    }
    return -1;
}

static int fail(struct vio_mmio *d, const char **why, const char *what)
{
    *why = what;
    vio_fail(d);
    return -1;
}

int vio_start(struct vio_mmio *d, uint64_t wanted, uint64_t *accepted, const char **why)
{
    wr(d, VIO_REG_STATUS, 0);                  /* reset */
    if (rd(d, VIO_REG_STATUS) != 0)
        return fail(d, why, "the device did not reset");
    wr(d, VIO_REG_STATUS, VIO_STATUS_ACKNOWLEDGE);
    wr(d, VIO_REG_STATUS, VIO_STATUS_ACKNOWLEDGE | VIO_STATUS_DRIVER);
    uint64_t offered = 0;
    for (uint32_t sel = 0; sel < 2; sel++) {
        wr(d, VIO_REG_DEVICE_FEAT_SEL, sel);
        offered |= (uint64_t)rd(d, VIO_REG_DEVICE_FEATURES) << (32 * sel);
    }
    uint64_t want = wanted & ~(1ull << VIO_F_VERSION_1);
    if (d->version == 2) {
        if (!(offered & (1ull << VIO_F_VERSION_1)))
            return fail(d, why, "a version 2 device that does not offer VIRTIO_F_VERSION_1");
        want |= 1ull << VIO_F_VERSION_1;
    }
    uint64_t take = offered & want;
    for (uint32_t sel = 0; sel < 2; sel++) {
        wr(d, VIO_REG_DRIVER_FEAT_SEL, sel);
        wr(d, VIO_REG_DRIVER_FEATURES, (uint32_t)(take >> (32 * sel)));
    }
    if (d->version == 2) {
        wr(d, VIO_REG_STATUS, VIO_STATUS_ACKNOWLEDGE | VIO_STATUS_DRIVER | VIO_STATUS_FEATURES_OK);
        if (!(rd(d, VIO_REG_STATUS) & VIO_STATUS_FEATURES_OK))
            return fail(d, why, "the device refused the features (FEATURES_OK not kept)");
    } else {
        wr(d, VIO_REG_GUEST_PAGE_SIZE, VIRTQ_ALIGN);
    }
    *accepted = take;
    return 0;
}

int vio_queue_setup(struct vio_mmio *d, uint32_t index, struct virtq *q, void *mem, uint32_t paddr,
                    uint16_t size, const char **why)
{
    if (paddr & (VIRTQ_ALIGN - 1))
        return fail(d, why, "the queue memory is not page aligned");
    wr(d, VIO_REG_QUEUE_SEL, index);
    bool busy = d->version == 2 ? rd(d, VIO_REG_QUEUE_READY) != 0 : rd(d, VIO_REG_QUEUE_PFN) != 0;
    if (busy)
        return fail(d, why, "the queue is already in use");
    uint32_t max = rd(d, VIO_REG_QUEUE_NUM_MAX);
    if (max == 0)
        return fail(d, why, "the queue does not exist (QueueNumMax 0)");
    while (size > max)
        size /= 2;                             /* size stays a power of two */
    if (size == 0 || !virtq_init(q, mem, size))
        return fail(d, why, "no usable queue size");
    wr(d, VIO_REG_QUEUE_NUM, size);
    if (d->version == 2) {
        wr(d, VIO_REG_QUEUE_DESC_LO, paddr);
        wr(d, VIO_REG_QUEUE_DESC_HI, 0);
        wr(d, VIO_REG_QUEUE_AVAIL_LO, paddr + 16u * size);
        wr(d, VIO_REG_QUEUE_AVAIL_HI, 0);
        wr(d, VIO_REG_QUEUE_USED_LO, paddr + VIRTQ_USED_OFFSET(size));
        wr(d, VIO_REG_QUEUE_USED_HI, 0);
        wr(d, VIO_REG_QUEUE_READY, 1);
    } else {
        wr(d, VIO_REG_QUEUE_ALIGN, VIRTQ_ALIGN);
        wr(d, VIO_REG_QUEUE_PFN, paddr / VIRTQ_ALIGN);
    }
    return 0;
}

void vio_ready(struct vio_mmio *d)
{
    uint32_t s = VIO_STATUS_ACKNOWLEDGE | VIO_STATUS_DRIVER | VIO_STATUS_DRIVER_OK;
    wr(d, VIO_REG_STATUS, d->version == 2 ? s | VIO_STATUS_FEATURES_OK : s);
}

void vio_fail(struct vio_mmio *d)
{
    wr(d, VIO_REG_STATUS, rd(d, VIO_REG_STATUS) | VIO_STATUS_FAILED);
}

void vio_notify(struct vio_mmio *d, uint32_t index)
{
    wr(d, VIO_REG_QUEUE_NOTIFY, index);
}

bool vio_irq_take(struct vio_mmio *d, uint32_t *status)
{
    uint32_t s = rd(d, VIO_REG_INT_STATUS);
    wr(d, VIO_REG_INT_ACK, s & 3u);            /* bit 0: used buffer, bit 1: configuration change */
    *status = s;
    return (rd(d, VIO_REG_STATUS) & VIO_STATUS_NEEDS_RESET) != 0;
}

uint8_t vio_config8(const struct vio_mmio *d, uint32_t off)
{
    if (off >= VIO_CONFIG_BYTES)
        return 0;
    return ((const volatile uint8_t *)d->regs)[VIO_REG_CONFIG + off];
}

uint32_t vio_config32(const struct vio_mmio *d, uint32_t off)
{
    if (off % 4 != 0 || off >= VIO_CONFIG_BYTES)
        return 0;
    return rd(d, VIO_REG_CONFIG + off);
}

uint64_t vio_config64(const struct vio_mmio *d, uint32_t off)
{
    uint32_t lo = 0, hi = 0;
    for (int tries = 0; tries < 16; tries++) { /* a device that never settles gets the last read */
        uint32_t before = d->version == 2 ? rd(d, VIO_REG_CONFIG_GEN) : vio_config32(d, off + 4);
        lo = vio_config32(d, off);
        hi = vio_config32(d, off + 4);
        uint32_t after = d->version == 2 ? rd(d, VIO_REG_CONFIG_GEN) : hi;
        if (before == after)
            break;
    }
    return (uint64_t)hi << 32 | lo;
}
