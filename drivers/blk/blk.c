/*
 * blk.c - the virtio-blk driver PD: serves the sectors of QEMU's virtio
 * block device (-device virtio-blk-device, a disk image file on the host)
 * to its one client over the queue pair of its channel `blk`, with the
 * data in the region `blk_data` both map (include/freebeam/blk.h gives the
 * request format, docs/native-components.md "The virtio-blk driver" the
 * contract, docs/storage.md what a flush promises).
 *
 * Up to BLK_ORDER_MAX requests are at the device at once, each checked
 * first (blk_req.c) and then one virtio-blk request (header, data,
 * status: a chain of three descriptors, two for a flush).  blk_order.c
 * says which may go while others are there (none that the order could
 * change: same sectors, same bytes of blk_data, a flush) and answers them
 * in queue order, so the client sees them served one at a time, in order.
 * The device's completions are matched by the chain's head (virtq.c
 * checks it names a chain in flight; blk_order.c that it is at the
 * device).  A request stays in the queue until its answer is published,
 * so a restarted driver answers what its dead instance was asked (it
 * sends it to the device again).  Each entry's header and status byte live
 * in the driver's own DMA region, where the client cannot change them; the
 * data goes straight between the device and blk_data.
 *
 * Without a device the driver says so once and answers every request with
 * FB_BLK_NO_DEVICE.  What the device says is checked (virtq.h); a device
 * that breaks the protocol is marked FAILED and the driver exits with
 * status 3.
 */
#include <freebeam/blk.h>
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>
#include "../virtio/virtio_pd.h"
#include "blk_order.h"
#include "blk_req.h"

/* virtio-blk (virtio 1.x section 5.2) */
#define VIRTIO_BLK_F_RO       5u
#define VIRTIO_BLK_F_BLK_SIZE 6u
#define VIRTIO_BLK_F_FLUSH    9u
#define VIRTIO_BLK_T_IN    0u
#define VIRTIO_BLK_T_OUT   1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_S_OK     0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u
#define CFG_CAPACITY 0u                        /* config offsets */
#define CFG_BLK_SIZE 20u

struct virtio_blk_hdr {
    uint32_t type, reserved;
    uint64_t sector;
};

#define QUEUE_SIZE 32u                         /* virtqueue entries we ask for: 3 per request */
#define DESCS_PER_REQ 3u                       /* entry i uses descriptors 3i .. 3i+2 */
#define HDR_OFFSET VIRTQ_BYTES(QUEUE_SIZE)     /* entry i's header at HDR_OFFSET + 16i, after the queue */
#define STATUS_OFFSET (HDR_OFFSET + 16u * BLK_ORDER_MAX)   /* entry i's status byte at STATUS_OFFSET + i */
#define DMA_BYTES_NEEDED (STATUS_OFFSET + BLK_ORDER_MAX)
#define STATUS_UNSET 0xffu                     /* not a status the device may write */
_Static_assert(DESCS_PER_REQ * BLK_ORDER_MAX <= QUEUE_SIZE, "descriptors for every request in flight");

static struct vio_pd vp;                       /* the device, the driver's DMA region, irq channel */
static struct vio_mmio *const dev = &vp.dev;
static struct virtq vq;
static struct fb_qpair q;
static struct blk_disk disk;
static uint32_t block_size = FB_BLK_SECTOR;
static unsigned client_ch;
static uint32_t data_pa;                       /* blk_data's physical address */
static struct blk_order order;                 /* requests taken and not answered */

static __attribute__((noreturn)) void give_up(int status, const char *what)
{
    fb_printf("blk: %s\n", what);
    fb_pd_exit(status);
}

/* Answer the oldest request of rx (taken at pos) with status and consume it. */
static bool answer(uint32_t status, uint32_t pos)
{
    struct fb_qmsg m;
    if (fb_queue_peek(&q.rx, &m) < 0 || m.pos != pos)
        give_up(2, "the client broke the blk queue");
    struct fb_blk_resp r = {
        .status = status,
        .flags = (disk.read_only ? FB_BLK_F_READ_ONLY : 0u) | (disk.flush ? FB_BLK_F_FLUSH : 0u),
        .capacity = disk.capacity,
        .block_size = block_size,
    };
    bool kick = false;
    if (fb_queue_send(&q.tx, &r, sizeof r, m.cookie) == 0)   /* room was checked before taking it */
        kick = fb_queue_notify_data(&q.tx);
    fb_queue_consume(&q.rx, &m);
    return fb_queue_notify_space(&q.rx) || kick;
}

/* Answer every oldest request that is done; true if the client needs a notification. */
static bool answer_ready(void)
{
    bool kick = false;
    const struct blk_entry *e;
    while ((e = blk_order_ready(&order)) != NULL) {
        kick |= answer(e->status, e->pos);
        blk_order_pop(&order);
    }
    return kick;
}

/* Hand a checked read, write or flush to the device as entry idx. */
static void submit(const struct fb_blk_req *req, uint32_t idx)
{
    uint32_t hdr = HDR_OFFSET + 16u * idx, status = STATUS_OFFSET + idx;
    volatile struct virtio_blk_hdr *h = (volatile struct virtio_blk_hdr *)(vp.dma + hdr);
    h->type = req->op == FB_BLK_OP_READ ? VIRTIO_BLK_T_IN
            : req->op == FB_BLK_OP_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
    h->reserved = 0;
    h->sector = req->sector;
    vp.dma[status] = STATUS_UNSET;
    struct virtq_buf bufs[3] = { { .paddr = vp.dma_pa + hdr, .len = 16 } };
    uint16_t n = 1;
    if (req->op != FB_BLK_OP_FLUSH)
        bufs[n++] = (struct virtq_buf){ .paddr = (uint64_t)data_pa + req->offset,
                                        .len = req->count * FB_BLK_SECTOR,
                                        .device_writes = req->op == FB_BLK_OP_READ };
    bufs[n++] = (struct virtq_buf){ .paddr = vp.dma_pa + status, .len = 1, .device_writes = true };
    if (!virtq_add_chain(&vq, (uint16_t)(DESCS_PER_REQ * idx), bufs, n))
        give_up(3, "the virtqueue has no free descriptors");
}

/* Take the client's next requests while the order allows them and the
 * client has room for all their answers; hand them to the device. */
static void pump(void)
{
    bool kick = false, sent = false;
    for (;;) {
        int room = fb_queue_free(&q.tx);
        if (room < 0)
            give_up(2, "the client broke the blk queue");
        if ((uint32_t)room <= order.n) {          /* no room for one more answer */
            if (room > 0 || fb_queue_want_space(&q.tx))
                break;                             /* a completion or the client's space brings us back */
            continue;
        }
        struct fb_qmsg m;
        int r = fb_queue_peek_nth(&q.rx, order.n, &m);
        if (r == FB_QUEUE_EMPTY) {
            fb_queue_want_data(&q.rx);
            if (fb_queue_pending(&q.rx) > (int)order.n)
                continue;                          /* it came meanwhile */
            break;
        }
        if (r < 0)
            give_up(2, "the client broke the blk queue");
        struct fb_blk_req req;
        uint32_t status = blk_req_check(m.data, m.len, &disk, &req);
        bool device = status == FB_BLK_OK && req.op != FB_BLK_OP_INFO;
        if (device && !blk_order_may_start(&order, &req))
            break;                                 /* a completion brings us back */
        int idx = blk_order_take(&order, &req, status, m.pos);
        if (idx < 0)
            break;
        if (device) {
            submit(&req, (uint32_t)idx);
            sent = true;
        } else {
            kick |= answer_ready();               /* done at once: answered if nothing older waits */
        }
    }
    if (sent)
        vio_notify(dev, 0);
    kick |= answer_ready();
    if (kick)
        fb_notify(client_ch);
}

static void device_done(void)
{
    vio_pd_irq(dev, "blk");
    uint16_t head;
    uint32_t len;
    while (vio_pd_next_used(dev, &vq, "blk", &head, &len)) {
        uint32_t idx = head / DESCS_PER_REQ;
        uint8_t s = idx < BLK_ORDER_MAX ? ((volatile uint8_t *)vp.dma)[STATUS_OFFSET + idx] : STATUS_UNSET;
        uint32_t status = s == VIRTIO_BLK_S_OK ? FB_BLK_OK
                        : s == VIRTIO_BLK_S_UNSUPP ? FB_BLK_UNSUPPORTED : FB_BLK_IO_ERROR;
        if (head % DESCS_PER_REQ != 0 || blk_order_finish(&order, idx, status) < 0) {
            vio_fail(dev);
            give_up(3, "the device completed a request it was not given");
        }
    }
}

void notified(unsigned ch)
{
    if (disk.present && ch == vp.irq_ch) {
        device_done();
        fb_irq_ack(vp.irq_ch);
    }
    pump();
}

/* Negotiate, set up the queue, read the configuration; say what we found. */
static void start_device(void)
{
    uint64_t wanted = 1ull << VIRTIO_BLK_F_RO | 1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_FLUSH;
    uint64_t features;
    const char *why = "";
    if (vio_start(dev, wanted, &features, &why) < 0 ||
        vio_queue_setup(dev, 0, &vq, vp.dma, vp.dma_pa, QUEUE_SIZE, &why) < 0) {
        fb_printf("blk: device refused: %s\n", why);
        fb_pd_exit(3);
    }
    disk.capacity = vio_config64(dev, CFG_CAPACITY);
    disk.read_only = (features >> VIRTIO_BLK_F_RO) & 1;
    disk.flush = (features >> VIRTIO_BLK_F_FLUSH) & 1;
    if ((features >> VIRTIO_BLK_F_BLK_SIZE) & 1) {
        uint32_t b = vio_config32(dev, CFG_BLK_SIZE);
        if (b >= FB_BLK_SECTOR && b <= 65536 && (b & (b - 1)) == 0)   /* else: keep 512 */
            block_size = b;
    }
    vio_ready(dev);
    disk.present = true;
    fb_printf("blk: virtio-blk (%s) in slot %u, irq %u: %llu sectors of 512 bytes (%llu KiB), block size %u%s\n",
              dev->version == 1 ? "legacy" : "modern", (unsigned)dev->slot,
              (unsigned)(VIO_MMIO_FIRST_INTID + dev->slot), (unsigned long long)disk.capacity,
              (unsigned long long)(disk.capacity / 2), (unsigned)block_size,
              disk.read_only ? ", read-only" : "");
    if (disk.flush)
        fb_printf("blk: flush supported: an acknowledged flush means data on the medium\n");
    else
        fb_printf("blk: the device cannot flush (no VIRTIO_BLK_F_FLUSH): durability NOT claimed, "
                  "flushes answered unsupported\n");
}

void init(void)
{
    int c = fb_queue_channel("blk", &q);
    if (c < 0)
        give_up(2, "no queue pair named blk");
    client_ch = (unsigned)c;
    const struct fb_pdinfo_map *data = vio_pd_dma_region("blk_data", FB_BLK_SECTOR);
    if (!data)
        give_up(2, "no blk_data region (RAM marked {dma, true}, rw, shared with the client)");
    data_pa = data->paddr;
    disk.data_bytes = data->size;
    if (vio_pd_find(&vp, "blk", VIO_ID_BLOCK, "blk_dma", DMA_BYTES_NEEDED) == 0)
        start_device();
    else
        fb_printf("blk: no virtio-blk device: requests are answered with no-device\n");
    blk_order_reset(&order);
    if (fb_qpair_resync(&q))
        fb_notify(client_ch);
    pump();
}
