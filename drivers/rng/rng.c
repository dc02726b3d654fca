/*
 * rng.c - the virtio-rng driver PD: serves random bytes from QEMU's
 * virtio entropy device (-device virtio-rng-device, which reads the host's
 * /dev/urandom) to its one client over the queue pair of its channel
 * `entropy` (include/freebeam/queue.h).  libos seeds its CSPRNG from it
 * (libos/entropy.c); docs/drivers.md, "The virtio-rng driver", gives the
 * contract.
 *
 * Protocol: the client sends a request of 4 bytes, the number of bytes it
 * wants (little-endian, 1 to the queue's slot size), with a cookie of its
 * choice; the driver answers with one message of 1 to that many random
 * bytes and the same cookie.  A request of any other shape is answered
 * with an empty message (the client's error).  Requests are served one at
 * a time, in order; a request stays in the queue until its answer is
 * published, so a restarted driver answers what its dead instance was
 * asked.
 *
 * What the device says is checked (virtq.h); a device that breaks the
 * protocol is marked FAILED and the driver exits with status 3: its monitor
 * hears of it, and a restart resets the device.
 */
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>
#include "../virtio/virtio_pd.h"

#define QUEUE_SIZE 8u                          /* virtqueue entries we ask for */
#define BUF_OFFSET VIRTQ_BYTES(QUEUE_SIZE)     /* the one buffer, after the queue */
#define BUF_BYTES 1024u
#define DMA_BYTES_NEEDED (BUF_OFFSET + BUF_BYTES)

static struct vio_pd vp;                       /* the device, its DMA region and irq channel */
static struct vio_mmio *const dev = &vp.dev;
static struct virtq vq;
static struct fb_qpair q;
static unsigned client_ch;
static bool busy;                              /* a device request is in flight */
static uint32_t busy_pos;                      /* for the client request at this head */

static __attribute__((noreturn)) void give_up(int status, const char *what)
{
    fb_printf("rng: %s\n", what);
    fb_pd_exit(status);
}

/* Bytes the request asks for, or 0 if it is malformed. */
static uint32_t wanted(const struct fb_qmsg *m)
{
    uint8_t b[4];
    if (m->len != 4)
        return 0;
    __builtin_memcpy(b, m->data, 4);           /* copy before use: the client may change it */
    uint32_t n = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return n <= q.tx.slot ? n : 0;
}

/* Answer the request at the head of rx with len bytes and consume it. */
static bool answer(const void *bytes, uint32_t len)
{
    struct fb_qmsg m;
    if (fb_queue_peek(&q.rx, &m) < 0)
        give_up(2, "the client broke the entropy queue");
    bool kick = false;
    if (fb_queue_send(&q.tx, bytes, len, m.cookie) == 0)   /* room was checked before */
        kick = fb_queue_notify_data(&q.tx);
    fb_queue_consume(&q.rx, &m);
    return fb_queue_notify_space(&q.rx) || kick;
}

/* Start on the next request while the device is idle and the client has
 * room for the answer. */
static void pump(void)
{
    bool kick = false;
    struct fb_qmsg m;
    while (!busy && vio_pd_next_request(&q, "rng", &m)) {
        uint32_t n = wanted(&m);
        if (n == 0) {
            kick |= answer("", 0);
            continue;
        }
        if (n > BUF_BYTES)
            n = BUF_BYTES;
        if (!virtq_add_writable(&vq, 0, vp.dma_pa + BUF_OFFSET, n))
            give_up(3, "the virtqueue has no free buffer");
        busy = true;
        busy_pos = m.pos;
        vio_notify(dev, 0);
    }
    if (kick)
        fb_notify(client_ch);
}

static void device_done(void)
{
    vio_pd_irq(dev, "rng");
    bool kick = false;
    uint16_t head;
    uint32_t len;
    while (vio_pd_next_used(dev, &vq, "rng", &head, &len)) {
        struct fb_qmsg m;
        if (!busy || fb_queue_peek(&q.rx, &m) < 0 || m.pos != busy_pos)
            give_up(2, "the client broke the entropy queue");
        busy = false;
        if (len > 0)                           /* 0 bytes: ask the device again */
            kick |= answer(vp.dma + BUF_OFFSET, len);
    }
    if (kick)
        fb_notify(client_ch);
}

void notified(unsigned ch)
{
    if (ch == vp.irq_ch) {
        device_done();
        fb_irq_ack(vp.irq_ch);
    }
    pump();
}

void init(void)
{
    int c = fb_queue_channel("entropy", &q);
    if (c < 0)
        give_up(2, "no queue pair named entropy");
    client_ch = (unsigned)c;
    if (vio_pd_find(&vp, "rng", VIO_ID_ENTROPY, "rng_dma", DMA_BYTES_NEEDED) < 0)
        give_up(4, "no virtio entropy device (run QEMU with -device virtio-rng-device)");
    uint64_t features;
    const char *why = "";
    if (vio_start(dev, 0, &features, &why) < 0 ||
        vio_queue_setup(dev, 0, &vq, vp.dma, vp.dma_pa, QUEUE_SIZE, &why) < 0) {
        fb_printf("rng: device refused: %s\n", why);
        fb_pd_exit(3);
    }
    vio_ready(dev);
    fb_printf("rng: virtio-rng (%s) in slot %u, irq %u\n", dev->version == 1 ? "legacy" : "modern",
              (unsigned)dev->slot, (unsigned)(VIO_MMIO_FIRST_INTID + dev->slot));
    busy = false;
    if (fb_qpair_resync(&q))
        fb_notify(client_ch);
    pump();
}
