/*
 * sys_net.c - the socket system calls, with Linux's constants and answers,
 * over libos's own socket files (net_sock.c) and lwIP (net_tcp.c,
 * net_udp.c); docs/networking.md and the rows of docs/posix.md say what is
 * served.  IPv4 TCP and UDP only: other families give EAFNOSUPPORT, other
 * types and protocols EPROTONOSUPPORT.  Options are sys_net_opt.c's.
 *
 * Every pointer the program passes is checked (libos_user_ok) before it is
 * read or written: a bad one gives EFAULT, never a fault of the PD.
 */
#include "net.h"
#include "net_sock.h"
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#define SOCKADDR_MAX 128u           /* sizeof(struct sockaddr_storage): Linux's limit */

struct file *net_sock_file(long fd, long *err)
{
    struct file *fp = libos_fd_get((int)fd);
    if (!fp) {
        *err = -EBADF;
        return NULL;
    }
    if (fp->ops != &net_sock_ops) {
        libos_file_put(fp);
        *err = -ENOTSOCK;
        return NULL;
    }
    return fp;
}

/* Read the program's socket address (addr, len). */
static long read_addr(long addr, long len, struct net_inaddr *out)
{
    if (len < 0 || (unsigned long)len > SOCKADDR_MAX)
        return -EINVAL;
    if (!libos_user_ok((const void *)addr, (size_t)len, 0))
        return -EFAULT;
    return net_addr_parse((const void *)addr, (uint32_t)len, out);
}

/* Write an address back to the program's (addr, *lenp), Linux's way:
 * truncated to the room it gave, *lenp set to the full size. */
static long write_addr(long addr, long lenp, const struct net_inaddr *in)
{
    if (!addr)
        return 0;
    socklen_t *lp = (socklen_t *)lenp;
    socklen_t len;
    if (!libos_user_ok(lp, sizeof *lp, 1))
        return -EFAULT;
    memcpy(&len, lp, sizeof len);
    if ((int)len < 0)
        return -EINVAL;
    uint32_t room = len < NET_SOCKADDR_IN_LEN ? len : NET_SOCKADDR_IN_LEN;
    if (!libos_user_ok((void *)addr, room, 1))
        return -EFAULT;
    len = net_addr_format((void *)addr, room, in);
    memcpy(lp, &len, sizeof len);
    return 0;
}

/* A new file and descriptor for s; on failure s is closed. */
static long install_sock(struct sock *s, int type_flags)
{
    int flags = O_RDWR | ((type_flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
    struct file *fp = libos_file_new(&net_sock_ops, flags, s);
    if (!fp) {
        net_lock();
        if (s->type == SOCK_STREAM)
            net_tcp_close(s);
        else
            net_udp_close(s);
        net_unlock();
        return -ENFILE;
    }
    int fd = libos_fd_install(fp, 0, (type_flags & SOCK_CLOEXEC) != 0);
    if (fd < 0)
        libos_file_put(fp);              /* releases s */
    return fd;
}

SYSCALL(socket)
{
    UNUSED_ARGS();
    int type = (int)b & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (a == AF_NETLINK)
        return net_link_socket(type, (int)c, (int)b);
    if (a != AF_INET)
        return -EAFNOSUPPORT;
    if (type == SOCK_STREAM) {
        if (c != 0 && c != IPPROTO_TCP)
            return -EPROTONOSUPPORT;
    } else if (type == SOCK_DGRAM) {
        if (c != 0 && c != IPPROTO_UDP)
            return -EPROTONOSUPPORT;
    } else {
        return -EPROTONOSUPPORT;
    }
    if (net_lock())
        return -ENOMEM;
    struct sock *s = net_sock_alloc(type);
    int r = s ? (type == SOCK_STREAM ? net_tcp_open(s) : net_udp_open(s)) : -ENOMEM;
    if (r && s) {
        if (s->tcp)
            type == SOCK_STREAM ? net_tcp_close(s) : net_udp_close(s);
        else
            net_sock_free(s);
    }
    net_unlock();
    if (r)
        return r == -ENOMEM ? -ENOBUFS : r;
    return install_sock(s, (int)b);
}

SYSCALL(bind)
{
    UNUSED_ARGS();
    long r;
    struct file *fp = net_sock_file(a, &r);
    if (!fp)
        return r;
    struct net_inaddr in;
    r = read_addr(b, c, &in);
    if (r >= 0 && r != AF_INET)
        r = -EAFNOSUPPORT;
    if (r >= 0 && (r = net_lock()) == 0) {
        struct sock *s = fp->priv;
        ip4_addr_t ip;
        ip4_addr_set_u32(&ip, in.addr);
        if (!ip4_addr_isany_val(ip) && !net_if_is_local(&ip))
            r = -EADDRNOTAVAIL;
        else
            r = s->type == SOCK_STREAM ? net_tcp_bind(s, &ip, in.port) : net_udp_bind(s, &ip, in.port);
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}

SYSCALL(listen)
{
    UNUSED_ARGS();
    long r;
    struct file *fp = net_sock_file(a, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    if (s->type != SOCK_STREAM) {
        r = -EOPNOTSUPP;
    } else if ((r = net_lock()) == 0) {
        r = net_tcp_listen(s, (int)b);
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}

static long step_accept(struct sock *s, void *arg)
{
    return net_tcp_accept(s, arg);
}

SYSCALL(accept4)
{
    UNUSED_ARGS();
    if (d & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    long r;
    struct file *fp = net_sock_file(a, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv, *n = NULL;
    if (s->type != SOCK_STREAM) {
        libos_file_put(fp);
        return -EOPNOTSUPP;
    }
    r = net_block(fp, 0, step_accept, &n);
    libos_file_put(fp);
    if (r)
        return r;
    struct net_inaddr peer = { ip4_addr_get_u32(&n->remote_ip), n->remote_port };
    r = install_sock(n, (int)d);
    if (r >= 0) {
        long w = write_addr(b, c, &peer);
        if (w)
            return w;       /* Linux too: the connection is taken, the fd stays */
    }
    return r;
}

SYSCALL(accept)
{
    (void)d;
    return sys_accept4(a, b, c, 0, e, f);
}

static long step_connect(struct sock *s, void *arg)
{
    (void)arg;
    long r = net_tcp_connect_result(s);
    return r == -EINPROGRESS ? -EAGAIN : r;
}

SYSCALL(connect)
{
    UNUSED_ARGS();
    long r;
    struct file *fp = net_sock_file(a, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    struct net_inaddr in;
    r = read_addr(b, c, &in);
    if (r < 0)
        goto out;
    long family = r;
    ip4_addr_t ip;
    ip4_addr_set_u32(&ip, in.addr);
    if (ip4_addr_isany_val(ip))
        ip4_addr_set_loopback(&ip);     /* Linux: 0.0.0.0 means this host */
    if (s->type == SOCK_DGRAM) {
        if ((r = net_lock()) == 0) {
            r = net_udp_connect(s, family == AF_UNSPEC ? NULL : &ip, in.port);
            net_unlock();
        }
        goto out;
    }
    if (family != AF_INET) {
        r = -EAFNOSUPPORT;
        goto out;
    }
    if ((r = net_lock()) != 0)
        goto out;
    r = net_tcp_connect_start(s, &ip, in.port);
    net_unlock();
    if (r)
        goto out;
    if (fp->flags & O_NONBLOCK) {
        r = -EINPROGRESS;               /* as Linux, even when loopback already answered */
        goto out;
    }
    r = net_block(fp, 0, step_connect, NULL);
out:
    libos_file_put(fp);
    return r;
}

static long name_of(long fd, long addr, long lenp, bool peer)
{
    long r;
    struct file *fp = net_sock_file(fd, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    struct net_inaddr in;
    if ((r = net_lock()) == 0) {
        bool connected = s->state == NS_CONNECTED || (s->state == NS_DEAD && s->type == SOCK_STREAM);
        if (peer && !connected) {
            r = -ENOTCONN;
        } else {
            in.addr = ip4_addr_get_u32(peer ? &s->remote_ip : &s->local_ip);
            in.port = peer ? s->remote_port : s->local_port;
        }
        net_unlock();
    }
    libos_file_put(fp);
    if (r)
        return r;
    if (!addr)
        return -EFAULT;
    return write_addr(addr, lenp, &in);
}

SYSCALL(getsockname)
{
    UNUSED_ARGS();
    return name_of(a, b, c, false);
}

SYSCALL(getpeername)
{
    UNUSED_ARGS();
    return name_of(a, b, c, true);
}

/* sendmsg and sendto, recvmsg and recvfrom share these. */
/* The socket of fd and the length of a caller's iovec, checked for reading
 * from (write = 0) or writing to (write = 1); NULL and *err on failure. */
static struct file *iov_sock(long fd, const struct iovec *iov, long cnt, int write, size_t *len, long *err)
{
    *err = net_iov_total(iov, cnt, len);
    if (*err)
        return NULL;
    if (!net_iov_user_ok(iov, cnt, write)) {
        *err = -EFAULT;
        return NULL;
    }
    return net_sock_file(fd, err);
}

/* A netlink socket's file (net_link.c) with a reference, or NULL. */
static struct file *link_file(long fd)
{
    struct file *fp = libos_fd_get((int)fd);
    if (fp && fp->ops != &net_link_ops) {
        libos_file_put(fp);
        fp = NULL;
    }
    return fp;
}

#define LINK_MSG_MAX 4096u          /* a netlink message through sendmsg/recvmsg, at most */

/* send* on a netlink socket: the request gathered from the iovec. */
static long link_send(struct file *fp, const struct iovec *iov, long cnt)
{
    size_t len;
    long r = net_iov_total(iov, cnt, &len);
    if (r)
        return r;
    if (!net_iov_user_ok(iov, cnt, 0))
        return -EFAULT;
    if (len > LINK_MSG_MAX)
        return -EMSGSIZE;
    uint8_t msg[LINK_MSG_MAX];
    struct net_iov c = { iov, (int)cnt, 0, 0 };
    size_t got = 0, n;
    const void *p;
    while ((n = net_iov_piece(&c, &p, len - got)) > 0) {
        memcpy(msg + got, p, n);
        net_iov_advance(&c, n);
        got += n;
    }
    return net_link_send(fp, msg, got);
}

/* recv* on a netlink socket: the answer scattered into the iovec. */
static long link_recv(struct file *fp, const struct iovec *iov, long cnt, int flags, int *msg_flags)
{
    size_t len;
    long r = net_iov_total(iov, cnt, &len);
    if (r)
        return r;
    if (!net_iov_user_ok(iov, cnt, 1))
        return -EFAULT;
    uint8_t msg[LINK_MSG_MAX];
    int mf = 0;
    r = net_link_recv(fp, msg, len < sizeof msg ? len : sizeof msg, flags, &mf);
    if (r < 0)
        return r;
    struct net_iov c = { iov, (int)cnt, 0, 0 };
    size_t put = 0, n;
    const void *p;
    while (put < (size_t)r && (n = net_iov_piece(&c, &p, (size_t)r - put)) > 0) {
        memcpy((void *)p, msg + put, n);
        net_iov_advance(&c, n);
        put += n;
    }
    if (msg_flags)
        *msg_flags = mf;
    return r;
}

static long do_send(long fd, const struct iovec *iov, long cnt, int flags, long addr, long alen)
{
    size_t len;
    long r;
    struct file *fp = link_file(fd);
    if (fp) {
        r = link_send(fp, iov, cnt);
        libos_file_put(fp);
        return r;
    }
    fp = iov_sock(fd, iov, cnt, 0, &len, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    struct net_inaddr to, *top = NULL;
    if (addr && s->type == SOCK_DGRAM) {    /* TCP ignores a destination, as Linux */
        r = read_addr(addr, alen, &to);
        if (r < 0)
            goto out;
        if (r != AF_INET) {
            r = -EAFNOSUPPORT;
            goto out;
        }
        top = &to;
    }
    struct net_iov c = { iov, (int)cnt, 0, 0 };
    r = net_sock_send(fp, &c, len, flags, top);
out:
    libos_file_put(fp);
    return r;
}

static long do_recv(long fd, const struct iovec *iov, long cnt, int flags, struct net_inaddr *from,
                    int *msg_flags)
{
    size_t len;
    long r;
    struct file *fp = link_file(fd);
    if (fp) {
        r = link_recv(fp, iov, cnt, flags, msg_flags);
        libos_file_put(fp);
        return r;                       /* from stays 0.0.0.0:0: see docs/posix.md, recvfrom */
    }
    fp = iov_sock(fd, iov, cnt, 1, &len, &r);
    if (!fp)
        return r;
    struct net_iov c = { iov, (int)cnt, 0, 0 };
    r = net_sock_recv(fp, &c, len, flags, from, msg_flags);
    libos_file_put(fp);
    return r;
}

SYSCALL(sendto)
{
    UNUSED_ARGS();
    struct iovec v = { (void *)b, (size_t)c };
    return do_send(a, &v, 1, (int)d, e, f);
}

SYSCALL(recvfrom)
{
    UNUSED_ARGS();
    struct iovec v = { (void *)b, (size_t)c };
    struct net_inaddr from = { 0, 0 };
    long r = do_recv(a, &v, 1, (int)d, &from, NULL);
    if (r >= 0 && e) {
        long w = write_addr(e, f, &from);
        if (w)
            return w;
    }
    return r;
}

SYSCALL(sendmsg)
{
    UNUSED_ARGS();
    const struct msghdr *m = (const struct msghdr *)b;
    if (!libos_user_ok(m, sizeof *m, 0))
        return -EFAULT;
    struct msghdr h;
    memcpy(&h, m, sizeof h);
    if (h.msg_controllen)
        return -EINVAL;                 /* no ancillary data is understood */
    return do_send(a, h.msg_iov, h.msg_iovlen, (int)c, (long)h.msg_name, (long)h.msg_namelen);
}

SYSCALL(recvmsg)
{
    UNUSED_ARGS();
    struct msghdr *m = (struct msghdr *)b;
    if (!libos_user_ok(m, sizeof *m, 1))
        return -EFAULT;
    struct msghdr h;
    memcpy(&h, m, sizeof h);
    struct net_inaddr from = { 0, 0 };
    int msg_flags = 0;
    long r = do_recv(a, h.msg_iov, h.msg_iovlen, (int)c, &from, &msg_flags);
    if (r < 0)
        return r;
    if (h.msg_name) {
        long w = write_addr((long)h.msg_name, (long)&m->msg_namelen, &from);
        if (w)
            return w;
    }
    m->msg_controllen = 0;              /* no ancillary data is produced */
    m->msg_flags = msg_flags;
    return r;
}

SYSCALL(shutdown)
{
    UNUSED_ARGS();
    if (b != SHUT_RD && b != SHUT_WR && b != SHUT_RDWR)
        return -EINVAL;
    long r;
    struct file *fp = net_sock_file(a, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    if ((r = net_lock()) == 0) {
        if (s->type == SOCK_STREAM)
            r = net_tcp_shutdown(s, (int)b);
        else
            r = s->state == NS_CONNECTED ? 0 : -ENOTCONN;
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}
