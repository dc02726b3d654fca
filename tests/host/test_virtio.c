/*
 * test_virtio.c - drivers/virtio on the host: the split virtqueue's layout
 * and its checks of what a device writes into the used ring (an index that
 * runs ahead, an element naming no buffer in flight, a length larger than
 * the buffer), and the virtio-mmio transport on plain memory standing in
 * for QEMU's registers: probing the 32 slots by magic, version and device
 * id, the feature handshake of both versions, and queue setup (size cut to
 * the device's maximum, legacy PFN or modern addresses, refusals); chains
 * of descriptors (virtio-blk's header, data, status), buffers the device
 * only reads (virtio-net's frames to send), and reads of the device's
 * configuration by byte, word and 64-bit field.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../../drivers/virtio/virtio_mmio.h"
#include "virtq_device.h"

static _Alignas(4096) uint8_t qmem[VIRTQ_BYTES(8)];
static _Alignas(4096) uint32_t window[VIO_MMIO_WINDOW_BYTES / 4];

static void layout(void)
{
    struct virtq q;
    CHECK(VIRTQ_USED_OFFSET(8) == 4096 && VIRTQ_BYTES(8) == 8192);
    CHECK(VIRTQ_USED_OFFSET(256) == 8192 && VIRTQ_BYTES(256) == 8192 + 4096);
    CHECK(!virtq_init(&q, qmem, 0) && !virtq_init(&q, qmem, 6) && !virtq_init(&q, qmem, 512));
    CHECK(!virtq_init(&q, qmem + 64, 8));
    CHECK(virtq_init(&q, qmem, 8) && q.size == 8 && (uint8_t *)q.used == qmem + 4096 &&
          (uint8_t *)q.avail == qmem + 128);
}

static void used_ring(void)
{
    struct virtq q;
    uint16_t head;
    uint32_t len;
    const char *why = "";
    virtq_init(&q, qmem, 8);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_NONE);
    CHECK(!virtq_add_writable(&q, 8, 0x40001000, 16));      /* no such head */
    CHECK(!virtq_add_writable(&q, 0, 0x40001000, 0));       /* empty buffer */
    CHECK(virtq_add_writable(&q, 0, 0x40001000, 64));
    CHECK(!virtq_add_writable(&q, 0, 0x40001000, 64));      /* already in flight */
    CHECK(q.avail[1] == 1 && q.avail[2] == 0 && q.desc[0].addr == 0x40001000 && q.desc[0].len == 64 &&
          q.desc[0].flags == VIRTQ_DESC_F_WRITE);
    device_use(&q, 0, 64);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_GOT && head == 0 && len == 64);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_NONE && q.in_flight == 0);
    /* the buffer is free again; indices wrap at 2^16 */
    for (unsigned i = 0; i < 70000; i++) {
        virtq_add_writable(&q, 3, 0x40002000, 8);
        device_use(&q, 3, (uint32_t)(i % 9));
        if (virtq_get_used(&q, &head, &len, &why) != VIRTQ_GOT || head != 3 || len != i % 9) {
            CHECK(!"a wrapped round trip");
            break;
        }
    }
    CHECK(q.last_used == (uint16_t)(1 + 70000));

    /* a device that lies */
    virtq_init(&q, qmem, 8);
    q.used[1] = 1;                                           /* nothing was made available */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "ran ahead"));
    virtq_init(&q, qmem, 8);
    virtq_add_writable(&q, 1, 0x40001000, 32);
    device_use(&q, 9, 1);                                    /* no such head */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "no buffer in flight"));
    virtq_init(&q, qmem, 8);
    virtq_add_writable(&q, 1, 0x40001000, 32);
    device_use(&q, 2, 1);                                    /* a head not in flight */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "no buffer in flight"));
    virtq_init(&q, qmem, 8);
    virtq_add_writable(&q, 1, 0x40001000, 32);
    device_use(&q, 1, 33);                                   /* more than the buffer holds */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "larger than its buffer"));
    virtq_init(&q, qmem, 8);
    virtq_add_writable(&q, 1, 0x40001000, 32);
    device_use(&q, 1, 32);
    device_use(&q, 1, 32);                                   /* the same buffer twice */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "ran ahead"));
    virtq_init(&q, qmem, 8);
    virtq_add_writable(&q, 1, 0x40001000, 32);
    virtq_add_writable(&q, 2, 0x40002000, 32);
    device_use(&q, 1, 32);
    device_use(&q, 1, 32);                                   /* twice, with two in flight */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_GOT && head == 1);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "no buffer in flight"));

    /* a buffer the device only reads: no WRITE flag, a used length of 0 only */
    virtq_init(&q, qmem, 8);
    CHECK(!virtq_add_readable(&q, 2, 0x40003000, 0));
    CHECK(virtq_add_readable(&q, 2, 0x40003000, 60) && !virtq_add_writable(&q, 2, 0x40003000, 60));
    CHECK(q.desc[2].flags == 0 && q.desc[2].len == 60 && q.in_flight == 1);
    device_use(&q, 2, 0);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_GOT && head == 2 && len == 0 && q.in_flight == 0);
    CHECK(virtq_add_readable(&q, 2, 0x40003000, 60));
    device_use(&q, 2, 1);                                    /* it claims to have written */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "larger than its buffer"));
}

static void chains(void)
{
    struct virtq_buf blk[3] = {
        { .paddr = 0x40001000, .len = 16 },                          /* header: the device reads */
        { .paddr = 0x40100000, .len = 1024, .device_writes = true }, /* data of a read */
        { .paddr = 0x40001010, .len = 1, .device_writes = true },    /* status */
    };
    struct virtq q;
    uint16_t head;
    uint32_t len;
    const char *why = "";
    virtq_init(&q, qmem, 8);
    CHECK(virtq_add_chain(&q, 2, blk, 3));
    CHECK(q.desc[2].addr == 0x40001000 && q.desc[2].len == 16 && q.desc[2].flags == VIRTQ_DESC_F_NEXT &&
          q.desc[2].next == 3);
    CHECK(q.desc[3].flags == (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE) && q.desc[3].next == 4);
    CHECK(q.desc[4].flags == VIRTQ_DESC_F_WRITE && q.desc[4].len == 1 && q.avail[2] == 2 && q.avail[1] == 1);
    /* its descriptors are taken, whichever way one asks for them */
    CHECK(!virtq_add_writable(&q, 3, 0x40002000, 8) && !virtq_add_writable(&q, 4, 0x40002000, 8));
    CHECK(!virtq_add_chain(&q, 1, blk, 3) && !virtq_add_chain(&q, 4, blk, 3));
    CHECK(virtq_add_writable(&q, 5, 0x40002000, 8));             /* the next one is free */
    device_use(&q, 3, 1);                                        /* a member, not a head */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "no buffer in flight"));
    virtq_init(&q, qmem, 8);
    CHECK(virtq_add_chain(&q, 2, blk, 3));
    device_use(&q, 2, 1025);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_GOT && head == 2 && len == 1025);
    CHECK(virtq_add_writable(&q, 3, 0x40002000, 8) && virtq_add_writable(&q, 4, 0x40002000, 8));  /* freed */
    virtq_init(&q, qmem, 8);
    CHECK(virtq_add_chain(&q, 2, blk, 3));
    device_use(&q, 2, 1026);                                     /* more than its writable buffers */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "larger than its buffer"));
    /* refused chains leave everything as it was */
    virtq_init(&q, qmem, 8);
    CHECK(!virtq_add_chain(&q, 0, blk, 0));                      /* empty */
    CHECK(!virtq_add_chain(&q, 6, blk, 3) && !virtq_add_chain(&q, 8, blk, 1));   /* past the table */
    struct virtq_buf bad[2] = { blk[2], blk[0] };                /* writable before readable */
    CHECK(!virtq_add_chain(&q, 0, bad, 2));
    struct virtq_buf zero[2] = { { .paddr = 1, .len = 0 }, blk[2] };
    CHECK(!virtq_add_chain(&q, 0, zero, 2));
    struct virtq_buf huge[2] = { { .paddr = 1, .len = 0xffffffffu, .device_writes = true }, blk[2] };
    CHECK(!virtq_add_chain(&q, 0, huge, 2));                     /* writable bytes overflow */
    CHECK(q.avail[1] == 0 && q.in_flight == 0 && !q.desc_busy[0] && !q.desc_busy[1]);
    /* a chain with nothing writable (a blk write's header and data): in
     * flight like any other, used with a length of 0 only */
    struct virtq_buf out[2] = { blk[0], { .paddr = 0x40100000, .len = 512 } };
    CHECK(virtq_add_chain(&q, 0, out, 2) && q.desc[0].flags == VIRTQ_DESC_F_NEXT && q.desc[1].flags == 0);
    CHECK(q.desc_busy[0] && q.desc_busy[1] && !virtq_add_readable(&q, 1, 0x40002000, 8));
    device_use(&q, 0, 0);
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_GOT && head == 0 && len == 0);
    CHECK(!q.desc_busy[0] && !q.desc_busy[1] && q.in_flight == 0);
    CHECK(virtq_add_chain(&q, 0, out, 2));
    device_use(&q, 0, 1);                                        /* it claims to have written */
    CHECK(virtq_get_used(&q, &head, &len, &why) == VIRTQ_BROKEN && strstr(why, "larger than its buffer"));
}

#define REG(slot, off) window[((slot) * VIO_MMIO_SLOT_BYTES + (off)) / 4]

static void make_device(unsigned slot, uint32_t version, uint32_t id)
{
    REG(slot, VIO_REG_MAGIC) = VIO_MAGIC;
    REG(slot, VIO_REG_VERSION) = version;
    REG(slot, VIO_REG_DEVICE_ID) = id;
    REG(slot, VIO_REG_QUEUE_NUM_MAX) = 4;
}

static void probe(void)
{
    struct vio_mmio d;
    memset(window, 0, sizeof window);
    CHECK(vio_probe(&d, window, VIO_ID_ENTROPY) == -1);
    make_device(31, 3, VIO_ID_ENTROPY);                      /* an unknown version */
    make_device(30, 1, VIO_ID_NET);                          /* another kind */
    REG(29, VIO_REG_MAGIC) = 0x12345678;                     /* no magic */
    REG(29, VIO_REG_DEVICE_ID) = VIO_ID_ENTROPY;
    CHECK(vio_probe(&d, window, VIO_ID_ENTROPY) == -1);
    make_device(5, 1, VIO_ID_ENTROPY);
    make_device(7, 2, VIO_ID_ENTROPY);
    CHECK(vio_probe(&d, window, VIO_ID_ENTROPY) == 0 && d.slot == 7 && d.version == 2);  /* highest first */
    CHECK(vio_probe(&d, window, VIO_ID_NET) == 0 && d.slot == 30 && d.version == 1);
    CHECK(d.regs == &REG(30, 0));
}

static void start_and_queue(void)
{
    struct vio_mmio d;
    struct virtq q;
    uint64_t acc;
    const char *why = "";
    memset(window, 0, sizeof window);
    make_device(31, 2, VIO_ID_ENTROPY);
    vio_probe(&d, window, VIO_ID_ENTROPY);
    /* Plain memory answers both feature words with the same value: 0x4 has
     * bit 0 clear, so word 1 lacks VERSION_1 (bit 32); 0x5 has it. */
    REG(31, VIO_REG_DEVICE_FEATURES) = 0x4;
    CHECK(vio_start(&d, 0, &acc, &why) == -1 && strstr(why, "VIRTIO_F_VERSION_1"));
    CHECK(REG(31, VIO_REG_STATUS) & VIO_STATUS_FAILED);
    REG(31, VIO_REG_DEVICE_FEATURES) = 0x5;                  /* word 1 bit 0: VERSION_1 */
    CHECK(vio_start(&d, 0x4, &acc, &why) == 0);
    CHECK(acc == ((1ull << VIO_F_VERSION_1) | 0x4));         /* what we want of what it offers */
    CHECK(REG(31, VIO_REG_STATUS) == (VIO_STATUS_ACKNOWLEDGE | VIO_STATUS_DRIVER | VIO_STATUS_FEATURES_OK));
    /* queue: cut to the device's maximum of 4, modern addresses */
    CHECK(vio_queue_setup(&d, 0, &q, qmem, 0x40100000, 8, &why) == 0 && q.size == 4);
    CHECK(REG(31, VIO_REG_QUEUE_NUM) == 4 && REG(31, VIO_REG_QUEUE_READY) == 1);
    CHECK(REG(31, VIO_REG_QUEUE_DESC_LO) == 0x40100000 && REG(31, VIO_REG_QUEUE_AVAIL_LO) == 0x40100000 + 64 &&
          REG(31, VIO_REG_QUEUE_USED_LO) == 0x40100000 + VIRTQ_USED_OFFSET(4));
    CHECK(vio_queue_setup(&d, 0, &q, qmem, 0x40100000, 8, &why) == -1 && strstr(why, "already in use"));
    vio_ready(&d);
    CHECK(REG(31, VIO_REG_STATUS) & VIO_STATUS_DRIVER_OK);

    /* legacy: page size and PFN; a missing queue; unaligned memory */
    memset(window, 0, sizeof window);
    make_device(31, 1, VIO_ID_ENTROPY);
    vio_probe(&d, window, VIO_ID_ENTROPY);
    CHECK(vio_start(&d, 0, &acc, &why) == 0 && acc == 0 && REG(31, VIO_REG_GUEST_PAGE_SIZE) == 4096);
    CHECK(vio_queue_setup(&d, 0, &q, qmem, 0x40100800, 8, &why) == -1 && strstr(why, "page aligned"));
    REG(31, VIO_REG_STATUS) = 0;
    REG(31, VIO_REG_QUEUE_NUM_MAX) = 0;
    CHECK(vio_queue_setup(&d, 0, &q, qmem, 0x40100000, 8, &why) == -1 && strstr(why, "does not exist"));
    REG(31, VIO_REG_QUEUE_NUM_MAX) = 256;
    CHECK(vio_queue_setup(&d, 0, &q, qmem, 0x40100000, 8, &why) == 0 && q.size == 8);
    CHECK(REG(31, VIO_REG_QUEUE_PFN) == 0x40100 && REG(31, VIO_REG_QUEUE_ALIGN) == 4096);
    vio_ready(&d);
    CHECK(REG(31, VIO_REG_STATUS) == (VIO_STATUS_ACKNOWLEDGE | VIO_STATUS_DRIVER | VIO_STATUS_DRIVER_OK));
    /* interrupt: acknowledged as read; a device that needs a reset says so */
    uint32_t st;
    REG(31, VIO_REG_INT_STATUS) = 1;
    CHECK(!vio_irq_take(&d, &st) && st == 1 && REG(31, VIO_REG_INT_ACK) == 1);
    REG(31, VIO_REG_STATUS) |= VIO_STATUS_NEEDS_RESET;
    CHECK(vio_irq_take(&d, &st));
}

static void config(void)
{
    struct vio_mmio d;
    memset(window, 0, sizeof window);
    make_device(30, 1, VIO_ID_BLOCK);
    vio_probe(&d, window, VIO_ID_BLOCK);
    REG(30, VIO_REG_CONFIG) = 0x89abcdef;                    /* virtio-blk: capacity, then ... */
    REG(30, VIO_REG_CONFIG + 4) = 0x1;
    REG(30, VIO_REG_CONFIG + 20) = 4096;                     /* ... blk_size at 20 */
    CHECK(vio_config64(&d, 0) == 0x189abcdefull && vio_config32(&d, 20) == 4096);
    CHECK(vio_config32(&d, 2) == 0 && vio_config32(&d, VIO_CONFIG_BYTES) == 0);   /* unaligned, outside */
    d.version = 2;
    REG(30, VIO_REG_CONFIG_GEN) = 7;
    CHECK(vio_config64(&d, 0) == 0x189abcdefull);
    /* bytes (virtio-net's MAC): from offset 0x100 of the slot, nothing beyond it */
    REG(30, VIO_REG_CONFIG) = 0x00545452;                    /* 52:54:54:00 little-endian */
    REG(30, VIO_REG_CONFIG + 0xfc) = 0x7f000000;
    CHECK(vio_config8(&d, 0) == 0x52 && vio_config8(&d, 1) == 0x54 && vio_config8(&d, 3) == 0);
    CHECK(vio_config8(&d, 0xff) == 0x7f && vio_config8(&d, 0x100) == 0);
}

int main(void)
{
    layout();
    used_ring();
    probe();
    start_and_queue();
    chains();
    config();
    return check_report("test_virtio");
}
