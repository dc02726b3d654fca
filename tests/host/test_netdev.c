/*
 * test_netdev.c - the virtio-net driver's frame path (drivers/net/netdev.c)
 * on the host, with this test playing the device and the client
 * (netdev_rig.h): frame lengths, receive buffers handed out and given
 * back, received frames copied to the client (header skipped, 10 or 12
 * bytes), dropped and counted when the client's queue is full (never
 * overwritten) or when too short or long, frames from the client copied
 * behind a zeroed header into device-readable buffers, held back while
 * no transmit buffer is free, refusals of bad client messages (cookie,
 * length, a descriptor outside the data area), the FB_NET_INFO answer,
 * the FB_NET_HELLO each instance owes before anything else, the test
 * argument fault_udp_port, and a broken device or client queue.
 */
#include "check.h"
#include "netdev_rig.h"

static struct netdev_rig rig;

/* The device receives a frame of len bytes (bytes i*3+seed) into rx head. */
static void device_receives(uint16_t head, uint32_t len, uint8_t seed)
{
    uint8_t *b = rig_rx_buf + head * NETDEV_BUF_BYTES;
    memset(b, 0xee, rig.nd.hdr_bytes);                  /* a header the driver must skip */
    for (uint32_t i = 0; i < len; i++)
        b[rig.nd.hdr_bytes + i] = (uint8_t)(i * 3 + seed);
    device_use(&rig.nd.rxq, head, rig.nd.hdr_bytes + len);
}

static bool frame_ok(const uint8_t *p, uint32_t len, uint8_t seed)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != (uint8_t)(i * 3 + seed))
            return false;
    return true;
}

/* The client's next message is the driver's HELLO. */
static bool got_hello(void)
{
    struct fb_net_info got;
    uint32_t cookie;
    return fb_queue_recv(&rig.cli.rx, &got, sizeof got, &cookie) == (int)sizeof got && cookie == FB_NET_HELLO &&
           memcmp(got.mac, rig.nd.info.mac, 6) == 0;
}

static void lengths(void)
{
    CHECK(netdev_rx_frame_len(9, 10) == 0 && netdev_rx_frame_len(10 + 13, 10) == 0);
    CHECK(netdev_rx_frame_len(10 + 14, 10) == 14 && netdev_rx_frame_len(12 + 1518, 12) == 1518);
    CHECK(netdev_rx_frame_len(12 + 1519, 12) == 0 && netdev_rx_frame_len(0xffffffffu, 12) == 0);
}

static void receive(uint32_t hdr)
{
    const char *why = "";
    uint8_t got[RIG_SLOT];
    uint32_t cookie;
    rig_init(&rig, hdr);
    CHECK(netdev_start(&rig.nd) == NETDEV_KICK_RX && rig.nd.rxq.in_flight == RIG_QSIZE);
    CHECK(rig.nd.rxq.desc[3].addr == RIG_RX_PA + 3 * NETDEV_BUF_BYTES &&
          rig.nd.rxq.desc[3].len == NETDEV_BUF_BYTES && rig.nd.rxq.desc[3].flags == VIRTQ_DESC_F_WRITE);
    CHECK(fb_queue_want_data(&rig.cli.rx));              /* the client waits for frames */
    device_receives(3, 60, 1);
    CHECK(netdev_device_done(&rig.nd, &why) == (NETDEV_KICK_RX | NETDEV_KICK_CLIENT));
    CHECK(got_hello());                                  /* before the first frame */
    CHECK(fb_queue_recv(&rig.cli.rx, got, sizeof got, &cookie) == 60 && cookie == FB_NET_FRAME &&
          frame_ok(got, 60, 1));
    CHECK(rig.nd.rxq.in_flight == RIG_QSIZE && rig.nd.info.rx_frames == 1);   /* buffer given back */
    /* too short, too long: dropped, counted, buffer given back */
    device_receives(4, 13, 2);
    device_receives(5, 1519, 2);
    CHECK(netdev_device_done(&rig.nd, &why) == NETDEV_KICK_RX && rig.nd.info.rx_bad == 2);
    CHECK(fb_queue_pending(&rig.cli.rx) == 0 && rig.nd.rxq.in_flight == RIG_QSIZE);
    /* the client's queue holds RIG_DEPTH frames: the next ones are dropped */
    for (uint16_t h = 0; h < RIG_DEPTH + 2; h++)
        device_receives(h, 100 + h, (uint8_t)(10 + h));
    netdev_device_done(&rig.nd, &why);
    CHECK(rig.nd.info.rx_frames == 1 + RIG_DEPTH && rig.nd.info.rx_dropped == 2);
    for (uint16_t h = 0; h < RIG_DEPTH; h++)                 /* none overwritten */
        CHECK(fb_queue_recv(&rig.cli.rx, got, sizeof got, &cookie) == (int)(100 + h) &&
              frame_ok(got, 100 + h, (uint8_t)(10 + h)));
    CHECK(fb_queue_pending(&rig.cli.rx) == 0 && rig.nd.rxq.in_flight == RIG_QSIZE);
    /* a device that lies: more bytes than the buffer */
    device_use(&rig.nd.rxq, 1, NETDEV_BUF_BYTES + 1);
    CHECK(netdev_device_done(&rig.nd, &why) & NETDEV_DEVICE_BROKEN);
    CHECK(strstr(why, "larger than its buffer") != NULL);
}

/* The client sends len bytes (i*3+seed) with a cookie. */
static void client_sends(uint32_t len, uint32_t cookie, uint8_t seed)
{
    uint8_t b[RIG_SLOT];
    for (uint32_t i = 0; i < len && i < sizeof b; i++)
        b[i] = (uint8_t)(i * 3 + seed);
    CHECK(fb_queue_send(&rig.cli.tx, b, len, cookie) == 0);
}

static bool sent_ok(uint16_t head, uint32_t len, uint8_t seed)
{
    const uint8_t *b = rig_tx_buf + head * NETDEV_BUF_BYTES;
    for (uint32_t i = 0; i < rig.nd.hdr_bytes; i++)
        if (b[i] != 0)
            return false;
    return rig.nd.txq.desc[head].flags == 0 && rig.nd.txq.desc[head].len == rig.nd.hdr_bytes + len &&
           rig.nd.txq.desc[head].addr == RIG_TX_PA + head * NETDEV_BUF_BYTES &&
           frame_ok(b + rig.nd.hdr_bytes, len, seed);
}

static void transmit(uint32_t hdr)
{
    const char *why = "";
    rig_init(&rig, hdr);
    memset(rig_tx_buf, 0x55, sizeof rig_tx_buf);             /* the header must be zeroed */
    client_sends(60, FB_NET_FRAME, 7);
    CHECK(netdev_client_pump(&rig.nd) == NETDEV_KICK_TX && sent_ok(0, 60, 7));
    CHECK(rig.nd.info.tx_frames == 1 && fb_queue_pending(&rig.drv.rx) == 0);
    /* refused: a bad cookie, too short, too long, a descriptor outside the data area */
    client_sends(60, 9, 0);
    client_sends(13, FB_NET_FRAME, 0);
    client_sends(1519, FB_NET_FRAME, 0);
    uint32_t tail = rig.cli.tx.c->tail;
    rig.cli.tx.desc[tail & rig.cli.tx.mask] = (struct fb_qdesc){ rig.cli.tx.data_bytes - 8, 60, FB_NET_FRAME, 0 };
    rig.cli.tx.c->tail = tail + 1;
    netdev_client_pump(&rig.nd);
    CHECK(rig.nd.info.tx_refused == 4 && rig.nd.info.tx_frames == 1 && fb_queue_pending(&rig.drv.rx) == 0);
    /* the largest frame; then every buffer busy: the next frame waits */
    client_sends(FB_NET_FRAME_MAX, FB_NET_FRAME, 1);
    netdev_client_pump(&rig.nd);
    CHECK(sent_ok(1, FB_NET_FRAME_MAX, 1));
    for (uint8_t i = 2; i < RIG_QSIZE; i++) {
        client_sends(100, FB_NET_FRAME, i);
        netdev_client_pump(&rig.nd);
    }
    CHECK(rig.nd.txq.in_flight == RIG_QSIZE && sent_ok(7, 100, 7));
    client_sends(80, FB_NET_FRAME, 42);
    CHECK(netdev_client_pump(&rig.nd) == 0 && fb_queue_pending(&rig.drv.rx) == 1);
    device_use(&rig.nd.txq, 5, 0);                           /* the device is done with head 5 */
    CHECK(netdev_device_done(&rig.nd, &why) == 0 && rig.nd.info.tx_done == 1);
    CHECK(netdev_client_pump(&rig.nd) == NETDEV_KICK_TX && sent_ok(5, 80, 42));
    CHECK(fb_queue_pending(&rig.drv.rx) == 0 && rig.nd.info.tx_frames == RIG_QSIZE + 1);
    /* a device that says it wrote into a frame it should only read */
    device_use(&rig.nd.txq, 5, 1);
    CHECK(netdev_device_done(&rig.nd, &why) & NETDEV_DEVICE_BROKEN);
}

static void info(void)
{
    const char *why = "";
    struct fb_net_info got;
    uint32_t cookie;
    rig_init(&rig, NETDEV_HDR_MODERN);
    memcpy(rig.nd.info.mac, "\x52\x54\x00\x12\x34\x56", 6);
    rig.nd.info.transport = 2;
    rig.nd.info.slot = 31;
    rig.nd.info.rx_dropped = 5;
    client_sends(0, FB_NET_INFO, 0);
    CHECK(fb_queue_want_data(&rig.cli.rx));
    CHECK(netdev_client_pump(&rig.nd) == NETDEV_KICK_CLIENT);
    CHECK(fb_queue_recv(&rig.cli.rx, &got, sizeof got, &cookie) == (int)sizeof got && cookie == FB_NET_INFO);
    CHECK(memcmp(got.mac, "\x52\x54\x00\x12\x34\x56", 6) == 0 && got.transport == 2 && got.slot == 31 &&
          got.rx_dropped == 5);
    client_sends(4, FB_NET_INFO, 0);                         /* a request is empty */
    netdev_client_pump(&rig.nd);
    CHECK(rig.nd.info.tx_refused == 1 && fb_queue_pending(&rig.cli.rx) == 0);
    /* no room for the answer: the request waits, and so does what follows it */
    netdev_start(&rig.nd);
    for (uint16_t h = 0; h < RIG_DEPTH; h++)
        device_receives(h, 60, 0);
    netdev_device_done(&rig.nd, &why);
    client_sends(0, FB_NET_INFO, 0);
    client_sends(60, FB_NET_FRAME, 0);
    netdev_client_pump(&rig.nd);
    CHECK(fb_queue_pending(&rig.drv.rx) == 2 && rig.nd.info.tx_frames == 0);
    CHECK(got_hello() && rig.nd.info.rx_dropped == 6);       /* HELLO, 3 frames; one dropped */
    CHECK(fb_queue_notify_space(&rig.cli.rx));               /* the driver asked for room */
    netdev_client_pump(&rig.nd);
    CHECK(fb_queue_pending(&rig.drv.rx) == 0 && rig.nd.info.tx_frames == 1);
}

/* A restarted instance whose client's queue is full: its HELLO waits for
 * room, and nothing (frames, an INFO answer) overtakes it. */
static void hello_waits(void)
{
    const char *why = "";
    struct fb_net_info got;
    uint32_t cookie;
    rig_init(&rig, NETDEV_HDR_LEGACY);
    rig.nd.info.mac[5] = 0x77;
    for (uint32_t i = 0; i < RIG_DEPTH; i++)                 /* left by the dead instance */
        CHECK(fb_queue_send(&rig.drv.tx, "old", 3, FB_NET_FRAME) == 0);
    netdev_start(&rig.nd);
    client_sends(0, FB_NET_INFO, 0);
    CHECK(netdev_client_pump(&rig.nd) == 0 && fb_queue_pending(&rig.drv.rx) == 1);
    device_receives(0, 60, 0);
    netdev_device_done(&rig.nd, &why);
    CHECK(rig.nd.info.rx_dropped == 1 && rig.nd.hello_owed);
    uint8_t old[8];
    CHECK(fb_queue_recv(&rig.cli.rx, old, sizeof old, &cookie) == 3);
    CHECK(fb_queue_notify_space(&rig.cli.rx));               /* the driver asked for room */
    netdev_client_pump(&rig.nd);                             /* HELLO; the INFO answer waits */
    CHECK(!rig.nd.hello_owed && fb_queue_pending(&rig.drv.rx) == 1);
    for (uint32_t i = 1; i < RIG_DEPTH; i++)
        CHECK(fb_queue_recv(&rig.cli.rx, old, sizeof old, &cookie) == 3);
    CHECK(got_hello());
    netdev_client_pump(&rig.nd);
    CHECK(fb_queue_recv(&rig.cli.rx, &got, sizeof got, &cookie) == (int)sizeof got && cookie == FB_NET_INFO);
    CHECK(fb_queue_pending(&rig.cli.rx) == 0 && fb_queue_pending(&rig.drv.rx) == 0);
}

/* An IPv4 UDP frame of 42 bytes to port, with IP flags/fragment bytes frag. */
static void udp_frame(uint8_t *f, uint16_t port, uint16_t frag)
{
    memset(f, 0, 42);
    f[12] = 0x08;
    f[14] = 0x45;
    f[20] = (uint8_t)(frag >> 8);
    f[21] = (uint8_t)frag;
    f[23] = 17;
    f[36] = (uint8_t)(port >> 8);
    f[37] = (uint8_t)port;
}

static void fault_port(void)
{
    uint8_t f[42];
    udp_frame(f, 9999, 0);
    CHECK(netdev_is_udp_to(f, 42, 9999) && !netdev_is_udp_to(f, 42, 9998) && !netdev_is_udp_to(f, 41, 9999));
    udp_frame(f, 9999, 0x4000);                              /* DF: still a first fragment */
    CHECK(netdev_is_udp_to(f, 42, 9999));
    udp_frame(f, 9999, 0x0010);                              /* a later fragment: no UDP header */
    CHECK(!netdev_is_udp_to(f, 42, 9999));
    udp_frame(f, 9999, 0);
    f[23] = 6;                                               /* TCP */
    CHECK(!netdev_is_udp_to(f, 42, 9999));
    udp_frame(f, 9999, 0);
    f[14] = 0x4f;                                            /* options past the frame's end */
    CHECK(!netdev_is_udp_to(f, 42, 9999));
    /* the driver: off by default; with the port set, consumed and asked to crash */
    rig_init(&rig, NETDEV_HDR_LEGACY);
    udp_frame(f, 9999, 0);
    CHECK(fb_queue_send(&rig.cli.tx, f, 42, FB_NET_FRAME) == 0);
    CHECK(netdev_client_pump(&rig.nd) == NETDEV_KICK_TX && rig.nd.info.tx_frames == 1);
    rig.nd.fault_udp_port = 9999;
    CHECK(fb_queue_send(&rig.cli.tx, f, 42, FB_NET_FRAME) == 0);
    CHECK((netdev_client_pump(&rig.nd) & NETDEV_FAULT_ASKED) && rig.nd.info.tx_frames == 1 &&
          fb_queue_pending(&rig.drv.rx) == 0);
}

static void broken_client(void)
{
    const char *why = "";
    rig_init(&rig, NETDEV_HDR_LEGACY);
    rig.cli.tx.c->tail = RIG_DEPTH + 1;                      /* more messages than the queue holds */
    CHECK(netdev_client_pump(&rig.nd) & NETDEV_CLIENT_BROKEN);
    rig_init(&rig, NETDEV_HDR_LEGACY);
    netdev_start(&rig.nd);
    rig.cli.rx.c->head = 100;                                /* the client's head ran past our tail */
    device_receives(0, 60, 0);
    CHECK(netdev_device_done(&rig.nd, &why) & NETDEV_CLIENT_BROKEN);
}

int main(void)
{
    lengths();
    receive(NETDEV_HDR_LEGACY);
    receive(NETDEV_HDR_MODERN);
    transmit(NETDEV_HDR_LEGACY);
    transmit(NETDEV_HDR_MODERN);
    info();
    hello_waits();
    fault_port();
    broken_client();
    return check_report("test_netdev");
}
