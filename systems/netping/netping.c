/*
 * netping.c - a small client of the virtio-net driver PD (drivers/net),
 * the system test of the driver (tests/suites/net.sh): over the queue pair
 * of its channel `net` (include/freebeam/net.h) it asks for the MAC, sends
 * three messages the driver must refuse (an unknown cookie, a runt frame,
 * a descriptor whose offset leaves the data area), then on QEMU's user
 * network (guest 10.0.2.15, gateway 10.0.2.2):
 *   1. an ARP request for 10.0.2.2, and waits for the reply;
 *   2. an ICMP echo request to 10.0.2.2 (QEMU's slirp answers it itself),
 *      and waits for the matching echo reply;
 *   3. waits for one UDP datagram to port 5555 (a host peer through
 *      `--hostfwd udp:PORT-:5555`) and answers it with "pong " and its
 *      payload.
 * It answers ARP requests for 10.0.2.15 all along.  Each step prints a line;
 * at the end it asks the driver's counters again (until the device has
 * sent every frame, so that the UDP answer leaves before the power goes)
 * and checks the refusals.
 * Powers off with 0 if every step worked, 1 if one failed, 3 if the driver
 * never answered (no network device: the driver idles).
 */
#include <freebeam/fbpd.h>
#include <freebeam/net.h>
#include <freebeam/queue.h>

#define UDP_PORT 5555u
#define TRIES 5u                          /* ARP and ICMP: 5 tries, 1 s each */
#define UDP_WAIT_S 20u

static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static struct fb_qpair q;
static unsigned ch;
static uint8_t in[FB_NET_SLOT_MIN];       /* the message last received */
static uint8_t out[FB_NET_FRAME_MAX];     /* the frame being built */
static struct fb_net_info info;
static uint8_t gw_mac[6];

static __attribute__((noreturn)) void finish(int status, const char *what)
{
    fb_printf("netping: %s, status %d\n", what, status);
    fb_poweroff(status);
    fb_pd_exit(status);
}

static uint64_t after_ms(uint32_t ms)
{
    return fb_clock_ticks() + fb_ns_to_ticks((uint64_t)ms * 1000000u);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* The Internet checksum (RFC 1071) of n bytes. */
static uint32_t csum(const uint8_t *p, uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2)
        sum += get16(p + i);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return ~sum & 0xffff;
}

static void send_msg(const void *msg, uint32_t len, uint32_t cookie)
{
    int r;
    while ((r = fb_queue_send(&q.tx, msg, len, cookie)) == FB_QUEUE_FULL)
        if (fb_queue_want_space(&q.tx))
            fb_wait(after_ms(1000));
    if (r < 0)
        finish(1, "the net queue is broken");
    if (fb_queue_notify_data(&q.tx))
        fb_notify(ch);
}

/* The next message into `in` before the deadline: its length and *cookie,
 * or -1 at the deadline. */
static int next_msg(uint64_t deadline, uint32_t *cookie)
{
    for (;;) {
        int n = fb_queue_recv(&q.rx, in, sizeof in, cookie);
        if (n >= 0) {
            if (fb_queue_notify_space(&q.rx))
                fb_notify(ch);
            return n;
        }
        if (n != FB_QUEUE_EMPTY)
            finish(1, "the net queue is broken");
        if (fb_queue_want_data(&q.rx) && fb_wait(deadline).kind == FB_EV_TIMEOUT &&
            fb_queue_pending(&q.rx) == 0)
            return -1;
    }
}

/* Ethernet header to dst from us, of type `type`; the payload follows at out + 14. */
static void eth_header(const uint8_t *dst, uint32_t type)
{
    __builtin_memcpy(out, dst, 6);
    __builtin_memcpy(out + 6, info.mac, 6);
    put16(out + 12, type);
}

static void send_arp(uint32_t op, const uint8_t *dst_mac, const uint8_t *target_mac, const uint8_t *target_ip)
{
    eth_header(dst_mac, 0x0806);
    uint8_t *a = out + 14;
    put16(a, 1);                          /* Ethernet */
    put16(a + 2, 0x0800);                 /* IPv4 */
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    __builtin_memcpy(a + 8, info.mac, 6);
    __builtin_memcpy(a + 14, my_ip, 4);
    __builtin_memcpy(a + 18, target_mac, 6);
    __builtin_memcpy(a + 24, target_ip, 4);
    __builtin_memset(out + 42, 0, 18);    /* padded to the 60 bytes of a short frame */
    send_msg(out, 60, FB_NET_FRAME);
}

static bool same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    return __builtin_memcmp(a, b, n) == 0;
}

/* An ARP frame of op `op` from ip to us?  Answers requests for our address. */
static bool arp_from(uint32_t len, uint32_t op, const uint8_t *ip)
{
    const uint8_t *a = in + 14;
    if (len < 42 || get16(in + 12) != 0x0806 || get16(a) != 1 || get16(a + 2) != 0x0800 || a[4] != 6 ||
        a[5] != 4 || !same(a + 24, my_ip, 4))
        return false;
    if (get16(a + 6) == 1) {
        uint8_t mac[6], ip_of[4];
        __builtin_memcpy(mac, a + 8, 6);
        __builtin_memcpy(ip_of, a + 14, 4);
        send_arp(2, mac, mac, ip_of);     /* who has 10.0.2.15: we do */
    }
    return get16(a + 6) == op && (!ip || same(a + 14, ip, 4));
}

/* The IPv4 packet of protocol proto to us in `in`: its header length, or 0. */
static uint32_t ipv4_to_us(uint32_t len, uint32_t proto)
{
    const uint8_t *ip = in + 14;
    if (len < 34 || get16(in + 12) != 0x0800 || (ip[0] >> 4) != 4)
        return 0;
    uint32_t hl = (ip[0] & 15u) * 4, total = get16(ip + 2);
    if (hl < 20 || total < hl || total > len - 14 || ip[9] != proto || !same(ip + 16, my_ip, 4) ||
        csum(ip, hl) != 0)
        return 0;
    return hl;
}

/* The next IPv4 packet of protocol proto to us, into `in` before the
 * deadline (other frames skipped, ARP requests answered): its IP header
 * length, or 0 at the deadline. */
static uint32_t next_ipv4(uint64_t deadline, uint32_t proto)
{
    uint32_t cookie, hl;
    int n;
    while ((n = next_msg(deadline, &cookie)) >= 0)
        if (cookie == FB_NET_FRAME && !arp_from((uint32_t)n, 0, NULL) && (hl = ipv4_to_us((uint32_t)n, proto)))
            return hl;
    return 0;
}

/* An IPv4 header from us to dst_ip for a payload of n bytes, at out + 14. */
static void ipv4_header(const uint8_t *dst_ip, uint32_t proto, uint32_t n, uint32_t id)
{
    uint8_t *ip = out + 14;
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, 20 + n);
    put16(ip + 4, id);
    put16(ip + 6, 0);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    put16(ip + 10, 0);
    __builtin_memcpy(ip + 12, my_ip, 4);
    __builtin_memcpy(ip + 16, dst_ip, 4);
    put16(ip + 10, csum(ip, 20));
}

static void ask_info(void)
{
    send_msg("", 0, FB_NET_INFO);
    uint64_t deadline = after_ms(2000);
    uint32_t cookie;
    int n;
    while ((n = next_msg(deadline, &cookie)) >= 0)
        if (cookie == FB_NET_INFO && n == (int)sizeof info) {
            __builtin_memcpy(&info, in, sizeof info);
            return;
        }
    finish(3, "no answer from the net driver");
}

/* Three messages the driver must refuse; the last one by hand, as a
 * broken producer would publish it. */
static void send_bad(void)
{
    send_msg("abc", 3, 7);                               /* an unknown cookie */
    send_msg("0123456789", 10, FB_NET_FRAME);            /* shorter than a header */
    uint32_t tail = fb_shm_get(&q.tx.c->tail);
    while (fb_queue_free(&q.tx) == 0)
        fb_wait(after_ms(100));
    struct fb_qdesc *d = &q.tx.desc[tail & q.tx.mask];
    fb_shm_set(&d->offset, q.tx.data_bytes - 8);          /* 64 bytes from there leave the area */
    fb_shm_set(&d->len, 64);
    fb_shm_set(&d->cookie, FB_NET_FRAME);
    fb_shm_fence();
    fb_shm_set(&q.tx.c->tail, tail + 1);
    if (fb_queue_notify_data(&q.tx))
        fb_notify(ch);
}

static bool arp_gateway(void)
{
    static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6] = { 0 };
    for (uint32_t t = 0; t < TRIES; t++) {
        send_arp(1, broadcast, zero, gw_ip);
        uint64_t deadline = after_ms(1000);
        uint32_t cookie;
        int n;
        while ((n = next_msg(deadline, &cookie)) >= 0)
            if (cookie == FB_NET_FRAME && arp_from((uint32_t)n, 2, gw_ip)) {
                __builtin_memcpy(gw_mac, in + 22, 6);
                fb_printf("netping: arp: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n", gw_mac[0],
                          gw_mac[1], gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5]);
                return true;
            }
    }
    fb_printf("netping: arp: no reply from 10.0.2.2\n");
    return false;
}

#define PING_ID 0x4662u
#define PING_DATA 56u

static bool ping_gateway(void)
{
    for (uint32_t seq = 1; seq <= TRIES; seq++) {
        eth_header(gw_mac, 0x0800);
        uint8_t *icmp = out + 34;
        icmp[0] = 8;                      /* echo request */
        icmp[1] = 0;
        put16(icmp + 2, 0);
        put16(icmp + 4, PING_ID);
        put16(icmp + 6, seq);
        for (uint32_t i = 0; i < PING_DATA; i++)
            icmp[8 + i] = (uint8_t)(i * 7 + seq);
        put16(icmp + 2, csum(icmp, 8 + PING_DATA));
        ipv4_header(gw_ip, 1, 8 + PING_DATA, seq);
        send_msg(out, 34 + 8 + PING_DATA, FB_NET_FRAME);
        uint64_t deadline = after_ms(1000);
        uint32_t hl;
        while ((hl = next_ipv4(deadline, 1)) != 0) {
            const uint8_t *r = in + 14 + hl;
            if (!same(in + 26, gw_ip, 4) || get16(in + 16) != 20 + 8 + PING_DATA || r[0] != 0 ||
                get16(r + 4) != PING_ID || get16(r + 6) != seq || !same(r + 8, icmp + 8, PING_DATA) ||
                csum(r, 8 + PING_DATA) != 0)
                continue;
            fb_printf("netping: ping 10.0.2.2: echo reply seq %u, %u bytes\n", (unsigned)seq,
                      (unsigned)PING_DATA);
            return true;
        }
    }
    fb_printf("netping: ping 10.0.2.2: no echo reply\n");
    return false;
}

/* Wait for one UDP datagram to UDP_PORT and answer it with "pong " + its payload. */
static bool answer_udp(void)
{
    fb_printf("netping: udp: waiting on port %u\n", (unsigned)UDP_PORT);
    uint64_t deadline = after_ms(UDP_WAIT_S * 1000);
    uint32_t hl;
    while ((hl = next_ipv4(deadline, 17)) != 0) {
        const uint8_t *u = in + 14 + hl;
        uint32_t total = get16(in + 16);
        if (total < hl + 8 || get16(u + 2) != UDP_PORT || get16(u + 4) < 8 ||
            get16(u + 4) > total - hl)
            continue;
        uint32_t data = get16(u + 4) - 8;
        if (data > 64)
            data = 64;
        uint8_t src_ip[4], src_mac[6];
        __builtin_memcpy(src_ip, in + 26, 4);
        __builtin_memcpy(src_mac, in + 6, 6);
        uint32_t src_port = get16(u);
        eth_header(src_mac, 0x0800);
        uint8_t *r = out + 34;
        put16(r, UDP_PORT);
        put16(r + 2, src_port);
        put16(r + 4, 8 + 5 + data);
        put16(r + 6, 0);                  /* no checksum (allowed over IPv4) */
        __builtin_memcpy(r + 8, "pong ", 5);
        __builtin_memcpy(r + 13, u + 8, data);
        ipv4_header(src_ip, 17, 8 + 5 + data, 1);
        send_msg(out, 34 + 8 + 5 + data, FB_NET_FRAME);
        char text[65];
        for (uint32_t i = 0; i < data; i++)
            text[i] = u[8 + i] >= 0x20 && u[8 + i] < 0x7f ? (char)u[8 + i] : '.';
        text[data] = 0;
        fb_printf("netping: udp: from %u.%u.%u.%u:%u \"%s\", answered\n", src_ip[0], src_ip[1], src_ip[2],
                  src_ip[3], (unsigned)src_port, text);
        return true;
    }
    fb_printf("netping: udp: no datagram in %u s\n", (unsigned)UDP_WAIT_S);
    return false;
}

void init(void)
{
    int c = fb_queue_channel("net", &q);
    if (c < 0)
        finish(1, "no queue pair named net");
    ch = (unsigned)c;
    if (fb_qpair_resync(&q))
        fb_notify(ch);
    ask_info();
    const uint8_t *m = info.mac;
    fb_printf("netping: mac %02x:%02x:%02x:%02x:%02x:%02x (%s transport, slot %u)\n", m[0], m[1], m[2], m[3],
              m[4], m[5], info.transport == 2 ? "modern" : "legacy", (unsigned)info.slot);
    send_bad();
    bool ok = arp_gateway();
    ok = ok && ping_gateway();
    ok = answer_udp() && ok;
    uint32_t refused_before = info.tx_refused;
    ask_info();
    for (uint32_t i = 0; i < 20 && info.tx_done != info.tx_frames; i++) {
        fb_wait(after_ms(100));           /* the answer must leave before the power goes */
        ask_info();
    }
    fb_printf("netping: driver: rx %u frames, %u dropped, %u bad; tx %u frames, %u sent, %u refused\n",
              (unsigned)info.rx_frames, (unsigned)info.rx_dropped, (unsigned)info.rx_bad,
              (unsigned)info.tx_frames, (unsigned)info.tx_done, (unsigned)info.tx_refused);
    if (info.tx_refused - refused_before != 3) {
        fb_printf("netping: the driver refused %u of the 3 bad messages\n",
                  (unsigned)(info.tx_refused - refused_before));
        ok = false;
    }
    finish(ok ? 0 : 1, ok ? "all done" : "failed");
}

void notified(unsigned c)
{
    (void)c;                              /* everything happens in init's waits */
}
