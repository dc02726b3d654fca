/*
 * net_udp.c - UDP sockets over lwIP's raw API (net.h), with Linux's
 * answers; under net_lock(), never blocking.
 *
 * Received datagrams wait in a ring of SOCK_DGRAM_SLOTS (the pbuf lwIP
 * handed us, with the sender's address); past that many, or past
 * SOCK_UDP_RCVBUF bytes, a datagram is dropped, as Linux drops on a full
 * receive buffer.  A read takes one datagram whole: what does not fit the
 * caller's buffer is lost (MSG_TRUNC says so), MSG_PEEK leaves it queued.
 */
#include "net.h"
#include <poll.h>
#include <sys/socket.h>

#define UDP_MAX_PAYLOAD 65507u      /* 65535 - IPv4 header - UDP header */

static void cb_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (!s || s->dq_count >= SOCK_DGRAM_SLOTS || s->dq_bytes + p->tot_len > SOCK_UDP_RCVBUF) {
        pbuf_free(p);
        return;
    }
    struct sock_dgram *d = &s->dq[(s->dq_head + s->dq_count) % SOCK_DGRAM_SLOTS];
    d->p = p;
    d->from = *ip_2_ip4(addr);
    d->port = port;
    s->dq_count++;
    s->dq_bytes += p->tot_len;
    net_changed();
}

static void keep_addrs(struct sock *s)
{
    s->local_ip = *ip_2_ip4(&s->udp->local_ip);
    s->local_port = s->udp->local_port;
    s->remote_ip = *ip_2_ip4(&s->udp->remote_ip);
    s->remote_port = s->udp->remote_port;
}

int net_udp_open(struct sock *s)
{
    s->dq = mem_calloc(SOCK_DGRAM_SLOTS, sizeof *s->dq);
    if (!s->dq)
        return -ENOMEM;
    s->udp = udp_new_ip_type(IPADDR_TYPE_V4);
    if (!s->udp)
        return -ENOMEM;             /* net_sock_free frees dq */
    udp_recv(s->udp, cb_recv, s);
    s->state = NS_NEW;
    return 0;
}

int net_udp_bind(struct sock *s, const ip4_addr_t *a, uint16_t port)
{
    if (s->udp->local_port)
        return -EINVAL;             /* bound already */
    ip_addr_t addr;
    ip_addr_copy_from_ip4(addr, *a);
    err_t e = udp_bind(s->udp, &addr, port);
    if (e != ERR_OK)
        return -net_err_to_errno(e);
    keep_addrs(s);
    return 0;
}

int net_udp_connect(struct sock *s, const ip4_addr_t *a, uint16_t port)
{
    if (!a) {                       /* AF_UNSPEC: forget the peer */
        udp_disconnect(s->udp);
        s->state = NS_NEW;
        keep_addrs(s);
        return 0;
    }
    ip_addr_t addr;
    ip_addr_copy_from_ip4(addr, *a);
    err_t e = udp_connect(s->udp, &addr, port);     /* binds an unbound socket */
    if (e != ERR_OK)
        return -net_err_to_errno(e);
    s->state = NS_CONNECTED;
    keep_addrs(s);
    return 0;
}

long net_udp_send(struct sock *s, struct net_iov *c, size_t len, const ip4_addr_t *to, uint16_t port)
{
    if (!to && s->state != NS_CONNECTED)
        return -EDESTADDRREQ;
    if (len > UDP_MAX_PAYLOAD)
        return -EMSGSIZE;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (!p)
        return -ENOBUFS;
    size_t done = 0;
    while (done < len) {
        const void *piece;
        size_t n = net_iov_piece(c, &piece, len - done);
        if (n == 0)
            break;
        pbuf_take_at(p, piece, (u16_t)n, (u16_t)done);
        net_iov_advance(c, n);
        done += n;
    }
    err_t e;
    if (to) {
        ip_addr_t addr;
        ip_addr_copy_from_ip4(addr, *to);
        e = udp_sendto(s->udp, p, &addr, port);
    } else {
        e = udp_send(s->udp, p);
    }
    pbuf_free(p);
    keep_addrs(s);                  /* sendto binds an unbound socket */
    if (e != ERR_OK)
        return -net_err_to_errno(e);
    return (long)len;
}

long net_udp_recv(struct sock *s, struct net_iov *c, size_t len, int flags,
                  ip4_addr_t *from, uint16_t *port, int *msg_flags)
{
    if (!s->dq_count)
        return -EAGAIN;
    struct sock_dgram *d = &s->dq[s->dq_head];
    size_t size = d->p->tot_len;
    size_t done = 0;
    while (done < len && done < size) {
        void *piece;
        size_t n = net_iov_piece(c, (const void **)&piece, (len < size ? len : size) - done);
        if (n == 0)
            break;
        pbuf_copy_partial(d->p, piece, (u16_t)n, (u16_t)done);
        net_iov_advance(c, n);
        done += n;
    }
    if (from)
        *from = d->from;
    if (port)
        *port = d->port;
    if (msg_flags)
        *msg_flags = done < size ? MSG_TRUNC : 0;
    if (!(flags & MSG_PEEK)) {
        s->dq_bytes -= d->p->tot_len;
        pbuf_free(d->p);
        d->p = NULL;
        s->dq_head = (s->dq_head + 1) % SOCK_DGRAM_SLOTS;
        s->dq_count--;
    }
    return (flags & MSG_TRUNC) ? (long)size : (long)done;
}

unsigned net_udp_poll(struct sock *s)
{
    return POLLOUT | (s->dq_count ? POLLIN : 0);
}

uint32_t net_udp_readable(struct sock *s)
{
    return s->dq_count ? s->dq[s->dq_head].p->tot_len : 0;
}

void net_udp_close(struct sock *s)
{
    if (s->udp) {
        udp_remove(s->udp);
        s->udp = NULL;
    }
    net_sock_free(s);
}
