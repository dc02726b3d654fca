/*
 * net_tcp.c - TCP sockets over lwIP's raw API (net.h), with Linux's
 * answers: everything here runs under net_lock() and never blocks; the
 * system call layer (sys_net.c, net_sock.c) waits and retries.
 *
 * Received data stays in lwIP's pbufs (s->rx) until the program reads it;
 * only then is lwIP told (tcp_recved), so the window the peer sees is the
 * room left in this socket, as on Linux.  A connection that lwIP drops
 * (reset, refused, timed out) calls tcp_err with the pcb already freed:
 * the socket becomes NS_DEAD and keeps the error for SO_ERROR or the next
 * call.  Once both FINs are out (ours after SHUT_WR, the peer's), the
 * socket lets go of its pcb (let_go): lwIP frees a pcb in TIME-WAIT
 * without a callback (its timer, or tcp_alloc short of pcbs), so a socket
 * that kept it would touch freed memory.  Accepted connections wait in the listener's queue, counted by
 * lwIP's backlog (tcp_backlog_delayed) until accept takes them.
 */
#include "net.h"
#include "lwip/priv/tcp_priv.h"     /* TCP_KEEP*_DEFAULT */
#include <poll.h>
#include <sys/socket.h>

static void tcp_set_callbacks(struct sock *s, struct tcp_pcb *pcb);

static void keep_addrs(struct sock *s)
{
    if (!s->tcp)
        return;
    s->local_ip = *ip_2_ip4(&s->tcp->local_ip);
    s->local_port = s->tcp->local_port;
    s->remote_ip = *ip_2_ip4(&s->tcp->remote_ip);
    s->remote_port = s->tcp->remote_port;
}

/* Stop lwIP from calling s about pcb, and s from touching it. */
static void detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
}

/* Both directions are finished: the peer's FIN came and ours is sent
 * (or queued).  What remains (acknowledging, retransmitting our FIN,
 * TIME-WAIT) is lwIP's alone, as after tcp_close, and lwIP may free the
 * pcb in TIME-WAIT without telling anyone: the socket gives it up now.
 * Unread data stays in s->rx; reads give it, then 0. */
static void let_go(struct sock *s)
{
    detach(s->tcp);
    s->tcp = NULL;
    s->state = NS_DEAD;
    net_changed();
}

/* ---- lwIP's callbacks (the lock is held) ---- */

static void cb_err(void *arg, err_t err)
{
    struct sock *s = arg;
    if (!s)
        return;
    s->tcp = NULL;                      /* lwIP freed it */
    if (s->state == NS_CONNECTING)
        s->error = err == ERR_RST ? ECONNREFUSED : err == ERR_ABRT ? ETIMEDOUT : net_err_to_errno(err);
    else if (err != ERR_CLSD)
        s->error = net_err_to_errno(err);
    s->state = NS_DEAD;
    s->rd_eof = true;
    net_changed();
}

static err_t cb_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    (void)err;
    if (!p) {
        s->rd_eof = true;
        s->peer_fin = true;
        if (s->wr_shut)
            let_go(s);                  /* TIME-WAIT, CLOSING: lwIP's from now on */
    } else if (s->rd_eof) {
        /* Data after SHUT_RD: taken and dropped, as Linux does. */
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
    } else if (!s->rx) {
        s->rx = p;
    } else {
        pbuf_cat(s->rx, p);
    }
    net_changed();
    return ERR_OK;
}

/* Room in the send buffer: news only for a sender or poller that found
 * none (most acknowledgements free room nobody waits for; waking every
 * poller for each would cost a scan of its descriptors). */
static err_t cb_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    struct sock *s = arg;
    (void)pcb, (void)len;
    if (s && s->wr_blocked) {
        s->wr_blocked = false;
        net_changed();
    }
    return ERR_OK;
}

static err_t cb_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)pcb, (void)err;
    s->state = NS_CONNECTED;
    keep_addrs(s);
    net_changed();
    return ERR_OK;
}

static err_t cb_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
    struct sock *l = arg;
    if (err != ERR_OK || !newpcb || !l)
        return ERR_VAL;
    if (l->aq_count >= l->aq_max)
        return ERR_MEM;                 /* lwIP aborts it: the queue is full */
    struct sock *s = net_sock_alloc(SOCK_STREAM);
    if (!s)
        return ERR_MEM;
    s->tcp = newpcb;
    s->state = NS_CONNECTED;
    /* Linux: an accepted socket inherits the listener's options. */
    s->linger_on = l->linger_on;
    s->linger_s = l->linger_s;
    s->sndbuf_set = l->sndbuf_set;
    s->rcvbuf_set = l->rcvbuf_set;
    s->priority = l->priority;
    s->nodelay = l->nodelay;
    s->keep_idle = l->keep_idle;
    s->keep_intvl = l->keep_intvl;
    s->keep_cnt = l->keep_cnt;
    net_tcp_apply_opts(s);
    tcp_set_callbacks(s, newpcb);
    keep_addrs(s);
    tcp_backlog_delayed(newpcb);
    l->acceptq[(l->aq_head + l->aq_count) % l->aq_max] = s;
    l->aq_count++;
    net_changed();
    return ERR_OK;
}

static void tcp_set_callbacks(struct sock *s, struct tcp_pcb *pcb)
{
    tcp_arg(pcb, s);
    tcp_recv(pcb, cb_recv);
    tcp_sent(pcb, cb_sent);
    tcp_err(pcb, cb_err);
}

/* ---- the operations ---- */

int net_tcp_open(struct sock *s)
{
    s->tcp = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!s->tcp)
        return -ENOMEM;
    s->keep_idle = TCP_KEEPIDLE_DEFAULT / 1000;     /* Linux's defaults too */
    s->keep_intvl = TCP_KEEPINTVL_DEFAULT / 1000;
    s->keep_cnt = TCP_KEEPCNT_DEFAULT;
    tcp_set_callbacks(s, s->tcp);
    return 0;
}

void net_tcp_apply_opts(struct sock *s)
{
    if (!s->tcp || s->state == NS_LISTEN)
        return;                         /* a listener's pcb has none: accept applies them */
    if (s->nodelay)
        tcp_nagle_disable(s->tcp);
    else
        tcp_nagle_enable(s->tcp);
    s->tcp->keep_idle = (u32_t)s->keep_idle * 1000u;
    s->tcp->keep_intvl = (u32_t)s->keep_intvl * 1000u;
    s->tcp->keep_cnt = (u32_t)s->keep_cnt;
}

int net_tcp_bind(struct sock *s, const ip4_addr_t *a, uint16_t port)
{
    if (s->state != NS_NEW || !s->tcp)
        return -EINVAL;
    if (s->tcp->local_port)
        return -EINVAL;                 /* bound already */
    ip_addr_t addr;
    ip_addr_copy_from_ip4(addr, *a);
    err_t e = tcp_bind(s->tcp, &addr, port);
    if (e != ERR_OK)
        return -net_err_to_errno(e);
    keep_addrs(s);
    return 0;
}

int net_tcp_listen(struct sock *s, int backlog)
{
    if (s->state == NS_LISTEN)
        return 0;                       /* Linux: a new backlog; ours stays */
    if (s->state != NS_NEW || !s->tcp)
        return -EINVAL;
    if (backlog < 1)
        backlog = 1;
    if (backlog > SOCK_ACCEPT_MAX)
        backlog = SOCK_ACCEPT_MAX;
    if (!s->tcp->local_port) {          /* Linux binds an unbound listener to a free port */
        err_t e = tcp_bind(s->tcp, IP4_ADDR_ANY, 0);
        if (e != ERR_OK)
            return -net_err_to_errno(e);
    }
    s->acceptq = mem_calloc((mem_size_t)backlog, sizeof *s->acceptq);
    if (!s->acceptq)
        return -ENOMEM;
    err_t e = ERR_OK;
    struct tcp_pcb *lpcb = tcp_listen_with_backlog_and_err(s->tcp, (u8_t)backlog, &e);
    if (!lpcb) {
        mem_free(s->acceptq);
        s->acceptq = NULL;
        return -net_err_to_errno(e);
    }
    s->tcp = lpcb;                      /* the old pcb is freed */
    s->aq_max = (unsigned)backlog;
    s->state = NS_LISTEN;
    tcp_arg(lpcb, s);
    tcp_accept(lpcb, cb_accept);
    keep_addrs(s);
    return 0;
}

int net_tcp_connect_start(struct sock *s, const ip4_addr_t *a, uint16_t port)
{
    switch (s->state) {
    case NS_CONNECTING: return -EALREADY;
    case NS_CONNECTED:  return -EISCONN;
    case NS_LISTEN:     return -EINVAL;
    case NS_DEAD:       return s->error ? -s->error : -EISCONN;
    case NS_NEW:        break;
    }
    if (!s->tcp)
        return -EINVAL;
    ip_addr_t addr;
    ip_addr_copy_from_ip4(addr, *a);
    err_t e = tcp_connect(s->tcp, &addr, port, cb_connected);
    if (e != ERR_OK)
        return -net_err_to_errno(e);
    s->state = NS_CONNECTING;
    keep_addrs(s);
    return 0;
}

int net_tcp_connect_result(struct sock *s)
{
    if (s->state == NS_CONNECTING)
        return -EINPROGRESS;
    if (s->state == NS_CONNECTED)
        return 0;
    int e = s->error ? s->error : ECONNABORTED;
    s->error = 0;
    return -e;
}

int net_tcp_accept(struct sock *s, struct sock **out)
{
    if (s->state != NS_LISTEN)
        return -EINVAL;
    if (!s->aq_count)
        return -EAGAIN;
    struct sock *n = s->acceptq[s->aq_head];
    s->aq_head = (s->aq_head + 1) % s->aq_max;
    s->aq_count--;
    if (n->tcp)
        tcp_backlog_accepted(n->tcp);
    *out = n;
    return 0;
}

/* The error a send or receive reports once, then forgets (Linux's sk_err). */
static int take_error(struct sock *s)
{
    int e = s->error;
    s->error = 0;
    return -e;
}

long net_tcp_send(struct sock *s, struct net_iov *c, size_t len, int flags)
{
    (void)flags;
    if (s->error)
        return take_error(s);
    if (s->state == NS_CONNECTING)
        return -EAGAIN;
    if (s->state != NS_CONNECTED || s->wr_shut || !s->tcp)
        return -EPIPE;                  /* Linux: unconnected, shut or closed; never SIGPIPE */
    if (len == 0)
        return 0;
    size_t done = 0;
    while (done < len) {
        size_t room = tcp_sndbuf(s->tcp);
        if (tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN - 1)
            room = 0;
        size_t n = len - done < room ? len - done : room;
        const void *piece;
        n = net_iov_piece(c, &piece, n);
        if (n == 0)
            break;
        /* TCP_WRITE_FLAG_COPY: lwIP copies the caller's bytes at once. */
        err_t e = tcp_write(s->tcp, piece, (u16_t)n,
                            TCP_WRITE_FLAG_COPY | (done + n < len ? TCP_WRITE_FLAG_MORE : 0));
        if (e == ERR_MEM)
            break;                      /* no room after all: what went so far counts */
        if (e != ERR_OK)
            return done ? (long)done : -net_err_to_errno(e);
        net_iov_advance(c, n);
        done += n;
    }
    /* A small write, all taken: corked until the sender's next call that
     * is not a send (net_stack.c, "Corking").  A write of a segment or
     * more goes out now (full segments gain nothing from waiting), and so
     * does one short of room, as the sender will wait for the
     * acknowledgements that make room. */
    if (done < len)
        s->wr_blocked = true;
    if (done == len && done < TCP_MSS)
        net_tx_cork();
    else
        tcp_output(s->tcp);
    return done ? (long)done : -EAGAIN;
}

long net_tcp_recv(struct sock *s, struct net_iov *c, size_t len, int flags)
{
    if (s->state == NS_LISTEN || s->state == NS_NEW)
        return -ENOTCONN;
    if (len == 0)
        return 0;
    size_t have = s->rx ? s->rx->tot_len : 0;
    size_t done = 0;
    while (done < len && done < have) {
        void *piece;
        size_t n = net_iov_piece(c, (const void **)&piece, len - done < have - done ? len - done : have - done);
        if (n == 0)
            break;
        pbuf_copy_partial(s->rx, piece, (u16_t)n, (u16_t)done);
        net_iov_advance(c, n);
        done += n;
    }
    if (done && !(flags & MSG_PEEK)) {
        s->rx = pbuf_free_header(s->rx, (u16_t)done);
        if (s->tcp)
            tcp_recved(s->tcp, (u16_t)done);
    }
    if (done)
        return (long)done;
    if (s->error)
        return take_error(s);
    if (s->rd_eof || s->state == NS_DEAD)
        return 0;
    return -EAGAIN;
}

int net_tcp_shutdown(struct sock *s, int how)
{
    if (s->state != NS_CONNECTED && s->state != NS_DEAD)
        return -ENOTCONN;
    bool rd = how == SHUT_RD || how == SHUT_RDWR;
    bool wr = how == SHUT_WR || how == SHUT_RDWR;
    if (s->tcp && (wr && !s->wr_shut)) {
        err_t e = tcp_shutdown(s->tcp, 0, 1);
        if (e != ERR_OK)
            return -net_err_to_errno(e);
    }
    if (rd)
        s->rd_eof = true;
    if (wr)
        s->wr_shut = true;
    if (wr && s->peer_fin && s->tcp)
        let_go(s);                      /* LAST-ACK: lwIP's from now on */
    net_changed();
    return 0;
}

unsigned net_tcp_poll(struct sock *s)
{
    unsigned m = 0;
    switch (s->state) {
    case NS_NEW:
        return POLLOUT | POLLHUP;
    case NS_LISTEN:
        return s->aq_count ? POLLIN : 0;
    case NS_CONNECTING:
        return 0;
    case NS_DEAD:
        return POLLIN | POLLOUT | POLLHUP | (s->error ? POLLERR : 0);
    case NS_CONNECTED:
        break;
    }
    if (s->rx || s->rd_eof)
        m |= POLLIN;
    if (s->error)
        m |= POLLERR;
    if (s->wr_shut)
        m |= POLLOUT;                   /* a write would not block: it fails at once */
    else if (s->tcp && tcp_sndbuf(s->tcp) >= TCP_SNDLOWAT && tcp_sndqueuelen(s->tcp) < TCP_SNDQUEUELOWAT)
        m |= POLLOUT;
    else
        s->wr_blocked = true;           /* cb_sent says when room comes */
    if (s->rd_eof && s->wr_shut)
        m |= POLLHUP;
    return m;
}

uint32_t net_tcp_readable(struct sock *s)
{
    return s->rx ? s->rx->tot_len : 0;
}

/* Drop a pcb nobody will read from: lwIP's own handlers take over, and
 * tcp_close resets the connection if unread data is left (as Linux does). */
static void close_pcb(struct tcp_pcb *pcb, bool abort)
{
    if (pcb->state == LISTEN) {
        tcp_arg(pcb, NULL);
        tcp_close(pcb);
        return;
    }
    detach(pcb);
    if (abort || tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

void net_tcp_close(struct sock *s)
{
    while (s->aq_count) {               /* connections nobody accepted: reset */
        struct sock *n = s->acceptq[s->aq_head];
        s->aq_head = (s->aq_head + 1) % s->aq_max;
        s->aq_count--;
        if (n->tcp)
            close_pcb(n->tcp, true);
        n->tcp = NULL;
        net_sock_free(n);
    }
    if (s->tcp) {
        /* Unread data makes tcp_close send a reset, so tell lwIP first only
         * of what was read: the rest is still outside the window. */
        bool unread = s->rx != NULL;
        close_pcb(s->tcp, (s->linger_on && s->linger_s == 0) || unread);
        s->tcp = NULL;
    }
    net_sock_free(s);
}

void net_tcp_reset_local(const ip4_addr_t *local)
{
    struct tcp_pcb *next;
    for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = next) {
        next = pcb->next;                  /* tcp_abort frees pcb; cb_err only marks the socket */
        if (!ip4_addr_cmp(ip_2_ip4(&pcb->local_ip), local))
            continue;
        struct sock *s = pcb->callback_arg;
        tcp_abort(pcb);
        if (s)
            s->error = ECONNRESET;         /* what its reads and writes say, once (cb_err said ECONNABORTED) */
    }
}
