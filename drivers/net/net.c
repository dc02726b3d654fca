/*
 * net.c - the virtio-net driver PD: moves Ethernet frames between QEMU's
 * virtio network device (-device virtio-net-device, legacy or modern
 * transport, any virtio-mmio slot) and its one client over the queue pair
 * of its channel `net` (include/freebeam/net.h gives the protocol; the
 * frame path itself is netdev.c).  docs/native-components.md, "The
 * virtio-net driver", gives its contract with the description.
 *
 * Without a device (QEMU run without a network) it says so once and stays
 * idle, so that an image without a NIC boots and the PD's status stays
 * `running`.  A description that lacks what it needs: exit status 2.  A
 * device that refuses the handshake or breaks the virtqueue protocol is
 * marked FAILED: exit status 3 (its monitor hears of it; a restart resets
 * the device).  A client whose queue indices are corrupt: exit status 2.
 * Every instance that found a device greets its client with FB_NET_HELLO
 * (net.h) before anything else: that is how a client learns of a restart.
 *
 * For tests of its supervision (tests/suites/eth.sh), the argument
 * `fault-udp-port=N` (1..65535) makes a UDP datagram the client sends to
 * port N crash the driver (a data abort), instead of going out.
 */
#include <freebeam/fbpd.h>
#include "../virtio/virtio_pd.h"
#include "netdev.h"

#define VIRTIO_NET_F_MAC 5u               /* feature bit: the MAC is in the config space */

#define QUEUE_SIZE 16u                    /* entries per virtqueue we ask for */
#define RXQ_OFFSET 0u                     /* the layout of the region net_dma */
#define TXQ_OFFSET VIRTQ_BYTES(QUEUE_SIZE)
#define RX_BUF_OFFSET (2u * VIRTQ_BYTES(QUEUE_SIZE))
#define TX_BUF_OFFSET (RX_BUF_OFFSET + QUEUE_SIZE * NETDEV_BUF_BYTES)
#define DMA_BYTES_NEEDED (TX_BUF_OFFSET + QUEUE_SIZE * NETDEV_BUF_BYTES)   /* 80 KiB */

static struct vio_pd vp;
static struct vio_mmio *const dev = &vp.dev;
static struct netdev nd;
static struct fb_qpair q;
static unsigned client_ch;
static bool running;                      /* false: no device, idle */
static volatile uint32_t *volatile null_ptr;   /* 0, unknown to the compiler */

/* The port of "fault-udp-port=N" (decimal, 1..65535) in a, else 0. */
static uint16_t fault_port_arg(const char *a)
{
    static const char key[] = "fault-udp-port=";
    uint32_t port = 0, i = 0;
    for (; a && key[i]; i++)
        if (a[i] != key[i])
            return 0;
    for (a = a ? a + i : "x"; *a >= '0' && *a <= '9' && port <= 65535; a++)
        port = port * 10 + (uint32_t)(*a - '0');
    return *a == 0 && port <= 65535 ? (uint16_t)port : 0;
}

static __attribute__((noreturn)) void give_up(int status, const char *what)
{
    fb_printf("net: %s\n", what);
    fb_pd_exit(status);
}

/* Do what a netdev call asks for. */
static void act(unsigned r, const char *why)
{
    if (r & NETDEV_DEVICE_BROKEN) {
        vio_fail(dev);
        fb_printf("net: the device broke the virtqueue protocol: %s\n", why);
        fb_pd_exit(3);
    }
    if (r & NETDEV_CLIENT_BROKEN)
        give_up(2, "the client broke the net queue");
    if (r & NETDEV_FAULT_ASKED) {
        fb_printf("net: a datagram to port %u: the crash asked for\n", (unsigned)nd.fault_udp_port);
        *null_ptr = 0;                    /* a data abort at 0 */
    }
    if (r & NETDEV_KICK_RX)
        vio_notify(dev, 0);
    if (r & NETDEV_KICK_TX)
        vio_notify(dev, 1);
    if (r & NETDEV_KICK_CLIENT)
        fb_notify(client_ch);
}

void notified(unsigned ch)
{
    if (!running)
        return;
    const char *why = "";
    unsigned r = 0;
    if (ch == vp.irq_ch) {
        vio_pd_irq(dev, "net");
        r = netdev_device_done(&nd, &why);
        fb_irq_ack(vp.irq_ch);
    }
    if (!(r & (NETDEV_DEVICE_BROKEN | NETDEV_CLIENT_BROKEN | NETDEV_FAULT_ASKED)))
        r |= netdev_client_pump(&nd);
    act(r, why);
}

static void read_mac(uint64_t features)
{
    for (uint32_t i = 0; i < 6; i++)
        nd.info.mac[i] = vio_config8(dev, i);
    if (!(features & (1ull << VIRTIO_NET_F_MAC))) {
        /* A device without a MAC of its own: a fixed, locally administered one. */
        static const uint8_t fixed[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
        __builtin_memcpy(nd.info.mac, fixed, 6);
    }
}

void init(void)
{
    int c = fb_queue_channel("net", &q);
    if (c < 0)
        give_up(2, "no queue pair named net");
    if (q.tx.slot < FB_NET_SLOT_MIN)
        give_up(2, "the net queue's slots are smaller than a frame (1520 bytes at least)");
    client_ch = (unsigned)c;
    nd.fault_udp_port = fault_port_arg(fb_arg(1));
    if (vio_pd_find(&vp, "net", VIO_ID_NET, "net_dma", DMA_BYTES_NEEDED) < 0) {
        fb_printf("net: no virtio-net device\n");
        return;                           /* idle: an image without a network still boots */
    }
    uint64_t features;
    const char *why = "";
    if (vio_start(dev, 1ull << VIRTIO_NET_F_MAC, &features, &why) < 0 ||
        vio_queue_setup(dev, 0, &nd.rxq, vp.dma + RXQ_OFFSET, vp.dma_pa + RXQ_OFFSET, QUEUE_SIZE, &why) < 0 ||
        vio_queue_setup(dev, 1, &nd.txq, vp.dma + TXQ_OFFSET, vp.dma_pa + TXQ_OFFSET, QUEUE_SIZE, &why) < 0) {
        fb_printf("net: device refused: %s\n", why);
        fb_pd_exit(3);
    }
    nd.rx_buf = vp.dma + RX_BUF_OFFSET;
    nd.rx_buf_pa = vp.dma_pa + RX_BUF_OFFSET;
    nd.tx_buf = vp.dma + TX_BUF_OFFSET;
    nd.tx_buf_pa = vp.dma_pa + TX_BUF_OFFSET;
    nd.hdr_bytes = dev->version == 2 ? NETDEV_HDR_MODERN : NETDEV_HDR_LEGACY;
    nd.client = &q;
    read_mac(features);
    nd.info.transport = (uint8_t)dev->version;
    nd.info.slot = (uint8_t)dev->slot;
    vio_ready(dev);
    const uint8_t *m = nd.info.mac;
    fb_printf("net: virtio-net (%s) in slot %u, irq %u, mac %02x:%02x:%02x:%02x:%02x:%02x\n",
              dev->version == 1 ? "legacy" : "modern", (unsigned)dev->slot,
              (unsigned)(VIO_MMIO_FIRST_INTID + dev->slot), m[0], m[1], m[2], m[3], m[4], m[5]);
    running = true;
    unsigned r = netdev_start(&nd);
    if (fb_qpair_resync(&q))
        r |= NETDEV_KICK_CLIENT;
    act(r | netdev_client_pump(&nd), why);
}
