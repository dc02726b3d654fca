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

/* Read the program's socket address (addr, addrlen: an int, as Linux
 * takes it, so that a negative one is EINVAL). */
static long read_addr(const void *addr, int addrlen, struct net_inaddr *out)
{
    if (addrlen < 0 || (unsigned long)addrlen > SOCKADDR_MAX)
        return -EINVAL;
    if (!libos_user_ok(addr, (size_t)addrlen, 0))
        return -EFAULT;
    return net_addr_parse(addr, (uint32_t)addrlen, out);
}

/* Write an address back to the program's (addr, *addrlen), Linux's way:
 * truncated to the room it gave, *addrlen set to the full size. */
static long write_addr(void *addr, socklen_t *addrlen, const struct net_inaddr *in)
{
    if (!addr)
        return 0;
    socklen_t len;
    if (!libos_user_ok(addrlen, sizeof *addrlen, 1))
        return -EFAULT;
    memcpy(&len, addrlen, sizeof len);
    if ((int)len < 0)
        return -EINVAL;
    uint32_t room = len < NET_SOCKADDR_IN_LEN ? len : NET_SOCKADDR_IN_LEN;
    if (!libos_user_ok(addr, room, 1))
        return -EFAULT;
    len = net_addr_format(addr, room, in);
    memcpy(addrlen, &len, sizeof len);
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

/* type: the socket type with SOCK_NONBLOCK and SOCK_CLOEXEC or'ed in. */
SYSCALL3(socket, int, domain, int, type, int, protocol)
{
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (domain == AF_NETLINK)
        return net_link_socket(kind, protocol, type);
    if (domain != AF_INET)
        return -EAFNOSUPPORT;
    if (kind == SOCK_STREAM) {
        if (protocol != 0 && protocol != IPPROTO_TCP)
            return -EPROTONOSUPPORT;
    } else if (kind == SOCK_DGRAM) {
        if (protocol != 0 && protocol != IPPROTO_UDP)
            return -EPROTONOSUPPORT;
    } else {
        return -EPROTONOSUPPORT;
    }
    if (net_lock())
        return -ENOMEM;
    struct sock *s = net_sock_alloc(kind);
    int r = s ? (kind == SOCK_STREAM ? net_tcp_open(s) : net_udp_open(s)) : -ENOMEM;
    if (r && s) {
        if (s->tcp)
            kind == SOCK_STREAM ? net_tcp_close(s) : net_udp_close(s);
        else
            net_sock_free(s);
    }
    net_unlock();
    if (r)
        return r == -ENOMEM ? -ENOBUFS : r;
    return install_sock(s, type);
}

SYSCALL3(bind, int, sockfd, const struct sockaddr *, addr, int, addrlen)
{
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    struct net_inaddr in;
    r = read_addr(addr, addrlen, &in);
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

SYSCALL2(listen, int, sockfd, int, backlog)
{
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    if (s->type != SOCK_STREAM) {
        r = -EOPNOTSUPP;
    } else if ((r = net_lock()) == 0) {
        r = net_tcp_listen(s, backlog);
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}

static long step_accept(struct sock *s, void *arg)
{
    return net_tcp_accept(s, arg);
}

SYSCALL4(accept4, int, sockfd, struct sockaddr *, addr, socklen_t *, addrlen, int, flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
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
    r = install_sock(n, flags);
    if (r >= 0) {
        long w = write_addr(addr, addrlen, &peer);
        if (w)
            return w;       /* Linux too: the connection is taken, the fd stays */
    }
    return r;
}

SYSCALL3(accept, int, sockfd, struct sockaddr *, addr, socklen_t *, addrlen)
{
    return do_sys_accept4(sockfd, addr, addrlen, 0);
}

static long step_connect(struct sock *s, void *arg)
{
    (void)arg;
    long r = net_tcp_connect_result(s);
    return r == -EINPROGRESS ? -EAGAIN : r;
}

SYSCALL3(connect, int, sockfd, const struct sockaddr *, addr, int, addrlen)
{
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    struct net_inaddr in;
    r = read_addr(addr, addrlen, &in);
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

static long name_of(int fd, struct sockaddr *addr, socklen_t *addrlen, bool peer)
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
    return write_addr(addr, addrlen, &in);
}

SYSCALL3(getsockname, int, sockfd, struct sockaddr *, addr, socklen_t *, addrlen)
{
    return name_of(sockfd, addr, addrlen, false);
}

SYSCALL3(getpeername, int, sockfd, struct sockaddr *, addr, socklen_t *, addrlen)
{
    return name_of(sockfd, addr, addrlen, true);
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

static long do_send(long fd, const struct iovec *iov, long cnt, int flags, const void *addr, int addrlen)
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
        r = read_addr(addr, addrlen, &to);
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

SYSCALL6(sendto, int, sockfd, const void *, buf, size_t, len, int, flags,
         const struct sockaddr *, dest_addr, int, addrlen)
{
    struct iovec v = { (void *)buf, len };
    return do_send(sockfd, &v, 1, flags, dest_addr, addrlen);
}

SYSCALL6(recvfrom, int, sockfd, void *, buf, size_t, len, int, flags,
         struct sockaddr *, src_addr, socklen_t *, addrlen)
{
    struct iovec v = { buf, len };
    struct net_inaddr from = { 0, 0 };
    long r = do_recv(sockfd, &v, 1, flags, &from, NULL);
    if (r >= 0 && src_addr) {
        long w = write_addr(src_addr, addrlen, &from);
        if (w)
            return w;
    }
    return r;
}

SYSCALL3(sendmsg, int, sockfd, const struct msghdr *, msg, int, flags)
{
    if (!libos_user_ok(msg, sizeof *msg, 0))
        return -EFAULT;
    struct msghdr h;
    memcpy(&h, msg, sizeof h);
    if (h.msg_controllen)
        return -EINVAL;                 /* no ancillary data is understood */
    return do_send(sockfd, h.msg_iov, h.msg_iovlen, flags, h.msg_name, (int)h.msg_namelen);
}

SYSCALL3(recvmsg, int, sockfd, struct msghdr *, msg, int, flags)
{
    if (!libos_user_ok(msg, sizeof *msg, 1))
        return -EFAULT;
    struct msghdr h;
    memcpy(&h, msg, sizeof h);
    struct net_inaddr from = { 0, 0 };
    int msg_flags = 0;
    long r = do_recv(sockfd, h.msg_iov, h.msg_iovlen, flags, &from, &msg_flags);
    if (r < 0)
        return r;
    if (h.msg_name) {
        long w = write_addr(h.msg_name, &msg->msg_namelen, &from);
        if (w)
            return w;
    }
    msg->msg_controllen = 0;            /* no ancillary data is produced */
    msg->msg_flags = msg_flags;
    return r;
}

SYSCALL2(shutdown, int, sockfd, int, how)
{
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return -EINVAL;
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    struct sock *s = fp->priv;
    if ((r = net_lock()) == 0) {
        if (s->type == SOCK_STREAM)
            r = net_tcp_shutdown(s, how);
        else
            r = s->state == NS_CONNECTED ? 0 : -ENOTCONN;
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}
