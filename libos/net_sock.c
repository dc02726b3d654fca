/*
 * net_sock.c - a socket as a libos file (net.h): the struct sock's life,
 * the copy cursor over a caller's iovec, and the file operations that
 * read, write, poll, ioctl and close use (the same machinery as pipes: a
 * blocked call sleeps on file.h's change counter, which net_unlock() bumps
 * when lwIP moved a socket's state).
 */
#include "net.h"
#include "net_sock.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

struct sock *net_sock_alloc(int type)
{
    struct sock *s = mem_calloc(1, sizeof *s);
    if (s)
        s->type = type;
    return s;
}

void net_sock_free(struct sock *s)
{
    if (s->rx)
        pbuf_free(s->rx);
    if (s->dq) {
        for (unsigned i = 0; i < s->dq_count; i++)
            pbuf_free(s->dq[(s->dq_head + i) % SOCK_DGRAM_SLOTS].p);
        mem_free(s->dq);
    }
    if (s->acceptq)
        mem_free(s->acceptq);
    mem_free(s);
}

size_t net_iov_piece(struct net_iov *c, const void **p, size_t max)
{
    while (c->at < c->cnt && c->off == c->iov[c->at].iov_len) {
        c->at++;
        c->off = 0;
    }
    if (c->at >= c->cnt)
        return 0;
    size_t n = c->iov[c->at].iov_len - c->off;
    if (n > max)
        n = max;
    if (n > 0xffff)
        n = 0xffff;
    *p = (const char *)c->iov[c->at].iov_base + c->off;
    return n;
}

void net_iov_advance(struct net_iov *c, size_t n)
{
    c->off += n;
}

bool net_iov_user_ok(const struct iovec *iov, long cnt, int write)
{
    if (cnt && !libos_user_ok(iov, (size_t)cnt * sizeof *iov, 0))
        return false;
    for (long i = 0; i < cnt; i++)
        if (iov[i].iov_len && !libos_user_ok(iov[i].iov_base, iov[i].iov_len, write))
            return false;
    return true;
}

/* ---- sending and receiving, blocking as the file and flags say ---- */

static bool nonblocking(struct file *f, int flags)
{
    return (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

long net_block(struct file *f, int flags, long (*step)(struct sock *s, void *arg), void *arg)
{
    for (;;) {
        uint32_t seen = libos_change_seq();
        if (net_lock())
            return -ENOMEM;
        long r = step(f->priv, arg);
        net_unlock();
        if (r != -EAGAIN)
            return r;
        if (nonblocking(f, flags))
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

struct xfer {
    struct net_iov *c;
    size_t len;
    int flags;
    const struct net_inaddr *to;    /* send: a UDP destination, or NULL */
    struct net_inaddr *from;        /* receive: the sender, or NULL */
    int *msg_flags;
};

static long step_send(struct sock *s, void *arg)
{
    struct xfer *x = arg;
    if (s->type == SOCK_STREAM)
        return net_tcp_send(s, x->c, x->len, x->flags);
    ip4_addr_t a;
    if (x->to)
        ip4_addr_set_u32(&a, x->to->addr);
    return net_udp_send(s, x->c, x->len, x->to ? &a : NULL, x->to ? x->to->port : 0);
}

static long step_recv(struct sock *s, void *arg)
{
    struct xfer *x = arg;
    ip4_addr_t a;
    uint16_t port;
    long r;
    if (s->type == SOCK_STREAM) {
        r = net_tcp_recv(s, x->c, x->len, x->flags);
        a = s->remote_ip;
        port = s->remote_port;
    } else {
        r = net_udp_recv(s, x->c, x->len, x->flags, &a, &port, x->msg_flags);
    }
    if (x->from && r >= 0) {
        x->from->addr = ip4_addr_get_u32(&a);
        x->from->port = port;
    }
    return r;
}

/* A stream moves what it can per step: repeat until all of len is done
 * (send; receive with MSG_WAITALL), unless non-blocking.  A datagram is
 * one step. */
static long transfer(struct file *f, struct xfer *x, long (*step)(struct sock *s, void *arg), bool whole)
{
    size_t len = x->len, done = 0;
    do {
        x->len = len - done;
        long r = net_block(f, x->flags, step, x);
        if (r <= 0)
            return done ? (long)done : r;
        done += (size_t)r;
    } while (whole && done < len && !nonblocking(f, x->flags));
    return (long)done;
}

long net_sock_send(struct file *f, struct net_iov *c, size_t len, int flags, const struct net_inaddr *to)
{
    struct sock *s = f->priv;
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    struct xfer x = { c, len, flags, to, NULL, NULL };
    return transfer(f, &x, step_send, s->type == SOCK_STREAM);
}

long net_sock_recv(struct file *f, struct net_iov *c, size_t len, int flags,
                   struct net_inaddr *from, int *msg_flags)
{
    struct sock *s = f->priv;
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (msg_flags)
        *msg_flags = 0;
    struct xfer x = { c, len, flags, NULL, from, msg_flags };
    bool waitall = s->type == SOCK_STREAM && (flags & MSG_WAITALL) && !(flags & MSG_PEEK);
    return transfer(f, &x, step_recv, waitall);
}

/* ---- the file operations ---- */

static long sock_read(struct file *f, void *buf, size_t len)
{
    if (!libos_user_ok(buf, len, 1))
        return -EFAULT;
    struct iovec v = { buf, len };
    struct net_iov c = { &v, 1, 0, 0 };
    return net_sock_recv(f, &c, len, 0, NULL, NULL);
}

/* The whole vector in one send (file.h's writev). */
static long sock_writev(struct file *f, const struct iovec *iov, long cnt, size_t len)
{
    if (!net_iov_user_ok(iov, cnt, 0))
        return -EFAULT;
    struct net_iov c = { iov, (int)cnt, 0, 0 };
    return net_sock_send(f, &c, len, 0, NULL);
}

static long sock_write(struct file *f, const void *buf, size_t len)
{
    if (!libos_user_ok(buf, len, 0))
        return -EFAULT;
    struct iovec v = { (void *)buf, len };
    struct net_iov c = { &v, 1, 0, 0 };
    return net_sock_send(f, &c, len, 0, NULL);
}

static unsigned sock_poll(struct file *f)
{
    struct sock *s = f->priv;
    if (net_lock())
        return POLLERR;
    unsigned m = s->type == SOCK_STREAM ? net_tcp_poll(s) : net_udp_poll(s);
    net_unlock();
    return m;
}

static long sock_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    struct sock *s = f->priv;
    int *val = (int *)arg;
    switch (req) {
    case FIONREAD: {
        if (!libos_user_ok(val, sizeof *val, 1))
            return -EFAULT;
        if (net_lock())
            return -ENOMEM;
        int n = (int)(s->type == SOCK_STREAM ? net_tcp_readable(s) : net_udp_readable(s));
        net_unlock();
        memcpy(val, &n, sizeof n);
        return 0;
    }
    case FIONBIO: {
        int on;
        if (!libos_user_ok(val, sizeof *val, 0))
            return -EFAULT;
        memcpy(&on, val, sizeof on);
        int fl = __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
        __atomic_store_n(&f->flags, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK, __ATOMIC_RELAXED);
        libos_file_changed();
        return 0;
    }
    case SIOCGIFCONF:
    case SIOCGIFNAME:
    case SIOCGIFINDEX:
    case SIOCGIFFLAGS:
    case SIOCGIFMTU:
    case SIOCGIFHWADDR:
    case SIOCGIFADDR:
    case SIOCGIFDSTADDR:
    case SIOCGIFBRDADDR:
    case SIOCGIFNETMASK:
        return net_if_ioctl(req, arg);  /* the interfaces (net_if.c): any socket may ask */
    default:
        return -ENOTTY;
    }
}

long net_sock_fstat(struct file *f, struct libos_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = 8;                        /* Linux's sockfs is an anonymous device too */
    st->ino = (uint64_t)(uintptr_t)f->priv;
    st->mode = S_IFSOCK | 0777;
    st->nlink = 1;
    st->blksize = 4096;
    return 0;
}

static void sock_release(struct file *f)
{
    struct sock *s = f->priv;
    if (net_lock())
        return;     /* cannot happen: the stack started when this socket was made */
    if (s->type == SOCK_STREAM)
        net_tcp_close(s);
    else
        net_udp_close(s);
    net_changed();
    net_unlock();
}

const struct file_ops net_sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .writev = sock_writev,
    .poll = sock_poll,
    .ioctl = sock_ioctl,
    .fstat = net_sock_fstat,
    .release = sock_release,
};
