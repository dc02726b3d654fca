/*
 * sys_net_opt.c - setsockopt and getsockopt on libos's sockets, with
 * Linux's numbers (musl's headers) and answers.  What is served, and how
 * far (docs/networking.md, docs/posix.md):
 *
 *   SOL_SOCKET   SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST: lwIP's pcb flags.
 *                SO_LINGER: recorded; l_linger 0 makes close reset the
 *                connection; otherwise close never waits (the data still goes).
 *                SO_SNDBUF, SO_RCVBUF: accepted, but lwIP's buffers are fixed:
 *                getsockopt reports the real sizes, not the request.
 *                SO_PRIORITY: recorded (no queueing discipline to use it).
 *                SO_TYPE, SO_ERROR (and clears it), SO_ACCEPTCONN, SO_DOMAIN,
 *                SO_PROTOCOL: read only.
 *   IPPROTO_TCP  TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT;
 *                TCP_MAXSEG read only.
 *   IPPROTO_IP   IP_TOS, IP_TTL; IP_RECVTOS, IP_RECVTTL, IP_PKTINFO read 0
 *                and may be set to 0 only (no ancillary data is delivered).
 *
 * Anything else is ENOPROTOOPT, logged once per PD on the console so that
 * a program's needs show (never accepted and ignored).
 */
#include "net.h"
#include "net_sock.h"
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#define OPT(level, name) (((uint32_t)(level) << 16) | (uint32_t)(name))

static int unsupported(long level, long name)
{
    static bool said;
    if (!said) {
        said = true;
        libos_log_num("net: socket option not supported (ENOPROTOOPT), level << 16 | name",
                      (unsigned long)OPT(level, name));
    }
    return -ENOPROTOOPT;
}

/* The pcb's IP-level options (so_options, tos, ttl), or NULL when the
 * connection is gone. */
static struct ip_pcb *ip_pcb_of(struct sock *s)
{
    return s->type == SOCK_STREAM ? (struct ip_pcb *)(void *)s->tcp : (struct ip_pcb *)(void *)s->udp;
}

static void set_flag(struct sock *s, uint8_t flag, int on)
{
    struct ip_pcb *p = ip_pcb_of(s);
    if (!p)
        return;
    if (on)
        p->so_options |= flag;
    else
        p->so_options &= (uint8_t)~flag;
}

static int get_flag(struct sock *s, uint8_t flag)
{
    struct ip_pcb *p = ip_pcb_of(s);
    return p && (p->so_options & flag) ? 1 : 0;
}

/* Under the lock.  val/len: the program's bytes, readable. */
static int set_opt(struct sock *s, long level, long name, const void *val, uint32_t len)
{
    bool tcp = s->type == SOCK_STREAM;
    int v = 0;
    if (OPT(level, name) == OPT(SOL_SOCKET, SO_LINGER)) {
        struct linger l;
        if (len < sizeof l)
            return -EINVAL;
        memcpy(&l, val, sizeof l);
        s->linger_on = l.l_onoff != 0;
        s->linger_s = l.l_linger < 0 ? 0 : l.l_linger;
        return 0;
    }
    int r = net_opt_int(val, len, &v);
    if (r)
        return r;
    struct ip_pcb *p = ip_pcb_of(s);
    switch (OPT(level, name)) {
    case OPT(SOL_SOCKET, SO_REUSEADDR): set_flag(s, SOF_REUSEADDR, v); return 0;
    case OPT(SOL_SOCKET, SO_KEEPALIVE): set_flag(s, SOF_KEEPALIVE, v); return 0;
    case OPT(SOL_SOCKET, SO_BROADCAST): set_flag(s, SOF_BROADCAST, v); return 0;
    case OPT(SOL_SOCKET, SO_SNDBUF):    s->sndbuf_set = v; return 0;
    case OPT(SOL_SOCKET, SO_RCVBUF):    s->rcvbuf_set = v; return 0;
    case OPT(SOL_SOCKET, SO_PRIORITY):  s->priority = v; return 0;
    case OPT(IPPROTO_IP, IP_TOS):
        if (p)
            p->tos = (uint8_t)(v & 0xfc);
        return 0;
    case OPT(IPPROTO_IP, IP_RECVTOS):
    case OPT(IPPROTO_IP, IP_RECVTTL):
    case OPT(IPPROTO_IP, IP_PKTINFO):
        return v ? unsupported(level, name) : 0;
    case OPT(IPPROTO_IP, IP_TTL):
        if (v < -1 || v == 0 || v > 255)
            return -EINVAL;
        if (p)
            p->ttl = (uint8_t)(v == -1 ? IP_DEFAULT_TTL : v);
        return 0;
    }
    if (!tcp || level != IPPROTO_TCP)
        return unsupported(level, name);
    switch (name) {
    case TCP_NODELAY:   s->nodelay = v != 0; break;
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
        if (v < 1 || v > 32767)
            return -EINVAL;
        *(name == TCP_KEEPIDLE ? &s->keep_idle : &s->keep_intvl) = v;
        break;
    case TCP_KEEPCNT:
        if (v < 1 || v > 127)
            return -EINVAL;
        s->keep_cnt = v;
        break;
    default:
        return unsupported(level, name);
    }
    net_tcp_apply_opts(s);
    return 0;
}

/* Under the lock: the value of an option into *out (an int or a linger). */
static int get_opt(struct sock *s, long level, long name, void *out, uint32_t *size)
{
    bool tcp = s->type == SOCK_STREAM;
    int v;
    struct ip_pcb *p = ip_pcb_of(s);
    switch (OPT(level, name)) {
    case OPT(SOL_SOCKET, SO_LINGER): {
        struct linger l = { s->linger_on, s->linger_s };
        memcpy(out, &l, sizeof l);
        *size = sizeof l;
        return 0;
    }
    case OPT(SOL_SOCKET, SO_REUSEADDR): v = get_flag(s, SOF_REUSEADDR); break;
    case OPT(SOL_SOCKET, SO_KEEPALIVE): v = get_flag(s, SOF_KEEPALIVE); break;
    case OPT(SOL_SOCKET, SO_BROADCAST): v = get_flag(s, SOF_BROADCAST); break;
    case OPT(SOL_SOCKET, SO_SNDBUF):    v = tcp ? TCP_SND_BUF : 65535; break;
    case OPT(SOL_SOCKET, SO_RCVBUF):    v = tcp ? TCP_WND : SOCK_UDP_RCVBUF; break;
    case OPT(SOL_SOCKET, SO_PRIORITY):  v = s->priority; break;
    case OPT(SOL_SOCKET, SO_TYPE):      v = s->type; break;
    case OPT(SOL_SOCKET, SO_ERROR):     v = s->error; s->error = 0; break;
    case OPT(SOL_SOCKET, SO_ACCEPTCONN): v = s->state == NS_LISTEN; break;
    case OPT(SOL_SOCKET, SO_DOMAIN):    v = AF_INET; break;
    case OPT(SOL_SOCKET, SO_PROTOCOL):  v = tcp ? IPPROTO_TCP : IPPROTO_UDP; break;
    case OPT(IPPROTO_IP, IP_TOS):       v = p ? p->tos : 0; break;
    case OPT(IPPROTO_IP, IP_TTL):       v = p ? p->ttl : IP_DEFAULT_TTL; break;
    case OPT(IPPROTO_IP, IP_RECVTOS):
    case OPT(IPPROTO_IP, IP_RECVTTL):
    case OPT(IPPROTO_IP, IP_PKTINFO):   v = 0; break;
    default:
        if (!tcp || level != IPPROTO_TCP)
            return unsupported(level, name);
        switch (name) {
        case TCP_NODELAY:   v = s->nodelay; break;
        case TCP_KEEPIDLE:  v = s->keep_idle; break;
        case TCP_KEEPINTVL: v = s->keep_intvl; break;
        case TCP_KEEPCNT:   v = s->keep_cnt; break;
        case TCP_MAXSEG:    v = s->tcp && s->state != NS_LISTEN ? s->tcp->mss : TCP_MSS; break;
        default:
            return unsupported(level, name);
        }
    }
    memcpy(out, &v, sizeof v);
    *size = sizeof v;
    return 0;
}

/* optlen: an int, as Linux takes it, so that a negative one is EINVAL. */
SYSCALL5(setsockopt, int, sockfd, int, level, int, optname, const void *, optval, int, optlen)
{
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    if (optlen < 0) {
        r = -EINVAL;
    } else if (optlen && !libos_user_ok(optval, (size_t)optlen, 0)) {
        r = -EFAULT;
    } else if ((r = net_lock()) == 0) {
        r = set_opt(fp->priv, level, optname, optval, (uint32_t)optlen);
        net_unlock();
    }
    libos_file_put(fp);
    return r;
}

SYSCALL5(getsockopt, int, sockfd, int, level, int, optname, void *, optval, socklen_t *, optlen)
{
    long r;
    struct file *fp = net_sock_file(sockfd, &r);
    if (!fp)
        return r;
    socklen_t len;
    union { int i; struct linger l; } val;
    uint32_t size = 0;
    if (!libos_user_ok(optlen, sizeof *optlen, 1)) {
        r = -EFAULT;
        goto out;
    }
    memcpy(&len, optlen, sizeof len);
    if ((int)len < 0) {
        r = -EINVAL;
        goto out;
    }
    if ((r = net_lock()) != 0)
        goto out;
    r = get_opt(fp->priv, level, optname, &val, &size);
    net_unlock();
    if (r)
        goto out;
    if (len > size)
        len = size;
    if (!libos_user_ok(optval, len, 1)) {
        r = -EFAULT;
        goto out;
    }
    memcpy(optval, &val, len);
    memcpy(optlen, &len, sizeof len);
out:
    libos_file_put(fp);
    return r;
}
