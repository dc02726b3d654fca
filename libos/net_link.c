/*
 * net_link.c - NETLINK_ROUTE sockets, just enough for getifaddrs and
 * if_nameindex (musl asks the kernel for them over netlink): a program
 * writes an RTM_GETLINK or RTM_GETADDR dump request and reads the answer,
 * built at once from a snapshot of the interfaces (net_ifinfo.h, net_if.c).
 * Other requests are answered with NLMSG_ERROR -EOPNOTSUPP, as a kernel
 * without that family would; nothing is ever sent to other sockets, there
 * are no multicast groups.  The answer waits in one page per socket until
 * read; a read takes it whole (or what fits, whole messages first: a
 * datagram socket never splits a message).
 */
#include "net.h"
#include "net_ifinfo.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#define ANSWER_BYTES 4096u

struct nl_sock {
    uint8_t *answer;            /* a page */
    uint32_t len, off;          /* the answer's bytes, and those already read */
    struct libos_lock lock;
};

static void nl_release(struct file *f)
{
    struct nl_sock *s = f->priv;
    libos_pages_free(s->answer, ANSWER_BYTES);
    libos_pages_free(s, sizeof *s);
}

static unsigned nl_poll(struct file *f)
{
    struct nl_sock *s = f->priv;
    return POLLOUT | (__atomic_load_n(&s->len, __ATOMIC_ACQUIRE) > s->off ? POLLIN : 0);
}

long net_link_send(struct file *f, const void *msg, size_t len)
{
    struct nl_sock *s = f->priv;
    uint16_t type;
    uint32_t seq;
    uint8_t family;
    int r = net_nl_request(msg, len, &type, &seq, &family);
    if (r == -EINVAL)
        return -EINVAL;
    struct net_ifinfo ifs[NET_IF_MAX];
    int n = r == 0 ? net_if_list(ifs, NET_IF_MAX) : 0;
    libos_lock(&s->lock);
    long out;
    if (r == 0) {
        out = net_nl_dump(ifs, n, type, family, seq, s->answer, ANSWER_BYTES);
    } else {
        struct net_nlmsghdr h;
        memcpy(&h, msg, sizeof h);
        out = net_nl_error(&h, r, s->answer, ANSWER_BYTES);
    }
    s->off = 0;
    __atomic_store_n(&s->len, out < 0 ? 0 : (uint32_t)out, __ATOMIC_RELEASE);
    libos_unlock(&s->lock);
    libos_file_changed();
    return out < 0 ? out : (long)len;
}

long net_link_recv(struct file *f, void *buf, size_t len, int flags, int *msg_flags)
{
    struct nl_sock *s = f->priv;
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&s->lock);
        if (s->off < s->len) {
            /* Whole messages that fit (the lengths are ours: checked when built). */
            uint32_t take = 0;
            while (s->off + take < s->len) {
                uint32_t mlen;
                memcpy(&mlen, s->answer + s->off + take, sizeof mlen);
                mlen = (mlen + 3u) & ~3u;
                if (take + mlen > len)
                    break;
                take += mlen;
            }
            if (take == 0 && msg_flags)
                *msg_flags |= MSG_TRUNC;          /* the next message alone is too big: cut it */
            uint32_t n = take ? take : (uint32_t)len;
            memcpy(buf, s->answer + s->off, n);
            if (!(flags & MSG_PEEK))
                s->off += take ? take : s->len - s->off;
            libos_unlock(&s->lock);
            return n;
        }
        libos_unlock(&s->lock);
        if ((f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static long nl_read(struct file *f, void *buf, size_t len)
{
    return net_link_recv(f, buf, len, 0, NULL);
}

static long nl_write(struct file *f, const void *buf, size_t len)
{
    return net_link_send(f, buf, len);
}

const struct file_ops net_link_ops = {
    .read = nl_read,
    .write = nl_write,
    .poll = nl_poll,
    .fstat = net_sock_fstat,
    .release = nl_release,
};

long net_link_socket(int type, int proto, int flags)
{
    if (type != SOCK_RAW && type != SOCK_DGRAM)
        return -ESOCKTNOSUPPORT;
    if (proto != 0)                       /* NETLINK_ROUTE */
        return -EPROTONOSUPPORT;
    struct nl_sock *s = libos_pages_alloc(sizeof *s);
    uint8_t *answer = s ? libos_pages_alloc(ANSWER_BYTES) : NULL;
    if (!answer) {
        if (s)
            libos_pages_free(s, sizeof *s);
        return -ENOBUFS;
    }
    memset(s, 0, sizeof *s);
    s->answer = answer;
    struct file *fp = libos_file_new(&net_link_ops, O_RDWR | ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0), s);
    if (!fp) {
        libos_pages_free(answer, ANSWER_BYTES);
        libos_pages_free(s, sizeof *s);
        return -ENFILE;
    }
    int fd = libos_fd_install(fp, 0, (flags & SOCK_CLOEXEC) != 0);
    if (fd < 0)
        libos_file_put(fp);
    return fd;
}
