/*
 * netdev.c - the frame path of netdev.h: received frames to the client,
 * the client's frames to the device, each length checked on the way.
 */
#include "netdev.h"

uint32_t netdev_rx_frame_len(uint32_t used_len, uint32_t hdr_bytes)
{
    if (used_len < hdr_bytes)
        return 0;
    uint32_t len = used_len - hdr_bytes;
    return len >= FB_NET_FRAME_MIN && len <= FB_NET_FRAME_MAX ? len : 0;
}

/* Send the info to the client with cookie (FB_NET_INFO or FB_NET_HELLO);
 * false if its queue has no room. */
static bool send_info(struct netdev *nd, uint32_t cookie, unsigned *r)
{
    int sent = fb_queue_send(&nd->client->tx, &nd->info, sizeof nd->info, cookie);
    if (sent == FB_QUEUE_FULL)
        return false;
    if (sent == 0 && fb_queue_notify_data(&nd->client->tx))
        *r |= NETDEV_KICK_CLIENT;
    return true;                               /* CORRUPT: the next send finds it too */
}

/* This instance's FB_NET_HELLO, if still owed; false while it cannot go
 * (then nothing else may go to the client before it). */
static bool say_hello(struct netdev *nd, unsigned *r)
{
    if (nd->hello_owed && send_info(nd, FB_NET_HELLO, r))
        nd->hello_owed = false;
    return !nd->hello_owed;
}

static bool give_rx(struct netdev *nd, uint16_t head)
{
    return virtq_add_writable(&nd->rxq, head, nd->rx_buf_pa + (uint32_t)head * NETDEV_BUF_BYTES,
                              NETDEV_BUF_BYTES);
}

unsigned netdev_start(struct netdev *nd)
{
    unsigned r = 0;
    nd->hello_owed = true;
    for (uint16_t h = 0; h < nd->rxq.size; h++)
        if (give_rx(nd, h))
            r = NETDEV_KICK_RX;
    return r;
}

unsigned netdev_device_done(struct netdev *nd, const char **why)
{
    unsigned r = 0;
    uint16_t head;
    uint32_t used_len;
    int got;
    while ((got = virtq_get_used(&nd->rxq, &head, &used_len, why)) == VIRTQ_GOT) {
        uint32_t len = netdev_rx_frame_len(used_len, nd->hdr_bytes);
        const uint8_t *frame = nd->rx_buf + (uint32_t)head * NETDEV_BUF_BYTES + nd->hdr_bytes;
        int sent = !len ? FB_QUEUE_TOO_BIG
                   : !say_hello(nd, &r) ? FB_QUEUE_FULL
                   : fb_queue_send(&nd->client->tx, frame, len, FB_NET_FRAME);
        if (sent == 0) {
            nd->info.rx_frames++;
            if (fb_queue_notify_data(&nd->client->tx))
                r |= NETDEV_KICK_CLIENT;
        } else if (sent == FB_QUEUE_FULL) {
            nd->info.rx_dropped++;
        } else if (sent == FB_QUEUE_CORRUPT) {
            return r | NETDEV_CLIENT_BROKEN;
        } else {
            nd->info.rx_bad++;
        }
        if (give_rx(nd, head))
            r |= NETDEV_KICK_RX;
    }
    if (got == VIRTQ_BROKEN)
        return r | NETDEV_DEVICE_BROKEN;
    while ((got = virtq_get_used(&nd->txq, &head, &used_len, why)) == VIRTQ_GOT)
        nd->info.tx_done++;                    /* and the buffer is free again (txq.desc_busy) */
    return got == VIRTQ_BROKEN ? r | NETDEV_DEVICE_BROKEN : r;
}

/* A transmit head not in flight, or -1. */
static int free_tx_head(const struct netdev *nd)
{
    for (uint16_t h = 0; h < nd->txq.size; h++)
        if (!nd->txq.desc_busy[h])
            return h;
    return -1;
}

/* Send the frame of message m; false if no transmit buffer is free. */
static bool transmit(struct netdev *nd, const struct fb_qmsg *m, unsigned *r)
{
    int head = free_tx_head(nd);
    if (head < 0)
        return false;
    uint8_t *buf = nd->tx_buf + (uint32_t)head * NETDEV_BUF_BYTES;
    for (uint32_t i = 0; i < nd->hdr_bytes; i++)
        buf[i] = 0;                            /* no checksum or segmentation offload */
    __builtin_memcpy(buf + nd->hdr_bytes, m->data, m->len);
    if (virtq_add_readable(&nd->txq, (uint16_t)head, nd->tx_buf_pa + (uint32_t)head * NETDEV_BUF_BYTES,
                           nd->hdr_bytes + m->len)) {
        nd->info.tx_frames++;
        *r |= NETDEV_KICK_TX;
    }
    return true;
}


bool netdev_is_udp_to(const uint8_t *frame, uint32_t len, uint16_t port)
{
    if (len < 14 + 20 || frame[12] != 0x08 || frame[13] != 0x00)
        return false;                          /* not IPv4 */
    const uint8_t *ip = frame + 14;
    uint32_t ihl = (ip[0] & 0xfu) * 4u;
    bool first_fragment = ((ip[6] & 0x1fu) | ip[7]) == 0;
    if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || !first_fragment || len < 14 + ihl + 8)
        return false;
    const uint8_t *udp = ip + ihl;
    return (uint16_t)(udp[2] << 8 | udp[3]) == port;
}

unsigned netdev_client_pump(struct netdev *nd)
{
    struct fb_queue *in = &nd->client->rx;
    unsigned r = 0;
    while (!say_hello(nd, &r) && !fb_queue_want_space(&nd->client->tx))
        ;                                      /* room appeared meanwhile: try again */
    for (;;) {
        int pending = fb_queue_pending(in);
        if (pending < 0)
            return r | NETDEV_CLIENT_BROKEN;
        if (pending == 0) {
            if (fb_queue_want_data(in))
                break;
            continue;
        }
        struct fb_qmsg m;
        int peeked = fb_queue_peek(in, &m);
        if (peeked == FB_QUEUE_EMPTY)
            continue;                          /* the client moved its tail back: pending says */
        if (peeked < 0) {
            /* The indices are fine (pending > 0), so the descriptor's offset
             * or length is not: refuse that one message and go on. */
            m.pos = fb_shm_get(&in->c->head);
            nd->info.tx_refused++;
        } else if (m.cookie == FB_NET_FRAME && m.len >= FB_NET_FRAME_MIN && m.len <= FB_NET_FRAME_MAX &&
                   m.len <= NETDEV_BUF_BYTES - nd->hdr_bytes) {
            if (nd->fault_udp_port && netdev_is_udp_to(m.data, m.len, nd->fault_udp_port)) {
                fb_queue_consume(in, &m);      /* a restarted instance must not see it again */
                return r | NETDEV_FAULT_ASKED;
            }
            if (!transmit(nd, &m, &r))
                break;                         /* stays queued until the device frees a buffer */
        } else if (m.cookie == FB_NET_INFO && m.len == 0) {
            if (!say_hello(nd, &r) || !send_info(nd, FB_NET_INFO, &r)) {
                if (fb_queue_want_space(&nd->client->tx))
                    break;
                continue;
            }
        } else {
            nd->info.tx_refused++;
        }
        fb_queue_consume(in, &m);
        if (fb_queue_notify_space(in))
            r |= NETDEV_KICK_CLIENT;
    }
    return r;
}
