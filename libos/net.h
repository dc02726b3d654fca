/*
 * net.h - what libos's socket files share (private to libos/net_*.c and
 * sys_net.c; docs/networking.md says why the design is what it is).
 *
 * The stack is lwIP's core with its raw (callback) API and NO_SYS=1
 * (third_party/lwip/port/lwipopts.h).  Every call into lwIP, and every
 * look at a socket's state, happens between net_lock() and net_unlock():
 * one lock for the whole stack, so lwIP needs no locking of its own and its
 * callbacks (data in, connection up, reset) run with the lock held, from
 * whichever thread drove lwIP at the time: a system call, or the timer
 * thread (net_stack.c).  Callbacks change socket state and call
 * net_changed(); net_unlock() then wakes every thread blocked in a read,
 * write, accept, connect or poll (file.h's change counter), and each
 * re-checks its socket.  Blocking calls never hold the lock while they
 * sleep.
 *
 * A socket is a file of kind net_sock_ops whose priv is a struct sock,
 * allocated from lwIP's heap (so no malloc; the heap is libos pages).
 */
#ifndef LIBOS_NET_H
#define LIBOS_NET_H

#include "libos.h"
#include "file.h"
#include <sys/uio.h>
#include "lwip/tcp.h"
#include "lwip/udp.h"

/* ---- the stack (net_stack.c) ---- */
/* Take the stack's lock, starting lwIP (and its interfaces and timer thread)
 * the first time: 0, or -ENOMEM (nothing is locked then). */
int net_lock(void);
/* Deliver what the loopback interface queued, run due timers, wake the timer
 * thread if lwIP now wants an earlier tick, drop the lock, and wake blocked
 * threads if something changed. */
void net_unlock(void);
void net_changed(void);             /* under the lock: a socket's state moved */
/* Under the lock: a send left its data in lwIP's unsent queue; this
 * holder's net_unlock keeps it there, the next one sends it (net_stack.c,
 * "Corking"). */
void net_tx_cork(void);
void net_if_init(void);             /* net_if.c: the interfaces, at start */
/* Is a a local address of this host (on an interface, or 127/8)? */
bool net_if_is_local(const ip4_addr_t *a);
struct netif;
/* net_if.c, under the lock: net_eth.c added eth0; make it the default
 * interface, give it its address (FREEBEAM_IPV4: DHCP or static), start
 * the periodic timers. */
void net_if_eth_added(struct netif *n);
struct net_ifinfo;
/* net_if.c, under the lock: the interfaces as net_ifinfo.h describes
 * them, at most max; their count. */
int net_if_snapshot(struct net_ifinfo *out, int max);
/* net_if.c: the same, taking the lock (0 interfaces if the stack cannot start). */
int net_if_list(struct net_ifinfo *out, int max);
/* net_link.c: a NETLINK_ROUTE socket (sys_net.c's socket() for AF_NETLINK). */
extern const struct file_ops net_link_ops;
long net_link_socket(int type, int proto, int flags);
long net_link_send(struct file *f, const void *msg, size_t len);
long net_link_recv(struct file *f, void *buf, size_t len, int flags, int *msg_flags);
/* net_if.c: SIOCGIF* on any socket (arg: the caller's struct ifreq or ifconf). */
long net_if_ioctl(unsigned long req, unsigned long arg);
struct fb_net_info;
/* net_eth.c, under the lock: the driver's last info answer and our
 * counters; false if there is no eth0. */
bool net_eth_counters(struct fb_net_info *drv, uint32_t *refused, uint32_t *full);

/* ---- sockets (net_sock.c, net_tcp.c, net_udp.c) ---- */
enum sock_state {
    NS_NEW,           /* TCP: not connected or listening (maybe bound) */
    NS_LISTEN,
    NS_CONNECTING,
    NS_CONNECTED,
    NS_DEAD,          /* TCP: the pcb is gone (reset, refused, closed) or let go
                         to lwIP once both FINs were out (net_tcp.c) */
};

struct sock_dgram {     /* a received datagram waiting in a UDP socket */
    struct pbuf *p;
    ip4_addr_t from;
    uint16_t port;
};

#define SOCK_DGRAM_SLOTS   64       /* datagrams queued per UDP socket, at most */
#define SOCK_UDP_RCVBUF    (256 * 1024)  /* and bytes */
#define SOCK_ACCEPT_MAX    128      /* connections queued per listener, at most */

struct sock {
    int type;                   /* SOCK_STREAM or SOCK_DGRAM */
    enum sock_state state;
    int error;                  /* pending SO_ERROR (a positive errno), 0: none */
    bool rd_eof;                /* TCP: the peer's FIN came, or SHUT_RD */
    bool peer_fin;              /* TCP: the peer's FIN came */
    bool wr_shut;               /* TCP: SHUT_WR done */
    bool wr_blocked;            /* TCP: a send or poll found no room since the last acknowledgement */
    bool linger_on;
    int linger_s;
    int sndbuf_set, rcvbuf_set; /* what the program asked for (lwIP's are fixed) */
    int priority;               /* SO_PRIORITY, recorded */
    bool nodelay;               /* TCP_NODELAY */
    int keep_idle, keep_intvl, keep_cnt;   /* TCP_KEEPIDLE (s), TCP_KEEPINTVL (s), TCP_KEEPCNT */
    union {
        struct tcp_pcb *tcp;
        struct udp_pcb *udp;
    };
    /* TCP: received bytes not yet read, a pbuf chain (at most TCP_WND
     * bytes: lwIP learns of a read only when it happens). */
    struct pbuf *rx;
    /* NS_LISTEN: accepted connections not yet taken by accept. */
    struct sock **acceptq;
    unsigned aq_head, aq_count, aq_max;
    /* SOCK_DGRAM: the queue of received datagrams. */
    struct sock_dgram *dq;
    unsigned dq_head, dq_count;
    uint32_t dq_bytes;
    /* The addresses, kept when the pcb goes away. */
    ip4_addr_t local_ip, remote_ip;
    uint16_t local_port, remote_port;
};

extern const struct file_ops net_sock_ops;
/* What fstat says of a socket (any kind: net_sock.c, net_link.c). */
long net_sock_fstat(struct file *f, struct libos_stat *st);

/* Under the lock. */
struct sock *net_sock_alloc(int type);          /* NULL: no memory */
void net_sock_free(struct sock *s);             /* frees queues; the pcb is gone already */
int net_err_to_errno(err_t e);                  /* a positive errno */

/* A copy cursor over a caller's iovec (already checked with libos_user_ok). */
struct net_iov {
    const struct iovec *iov;
    int cnt;
    int at;             /* current entry */
    size_t off;         /* bytes of it done */
};
/* The caller's next contiguous bytes, at most max (and at most 0xffff, what
 * lwIP moves at once): their count, 0 at the end; then advance past n. */
size_t net_iov_piece(struct net_iov *c, const void **p, size_t max);
void net_iov_advance(struct net_iov *c, size_t n);

/* The socket's kind (net_tcp.c / net_udp.c), all under the lock;
 * these return -errno, never block: EAGAIN means "would block". */
int net_tcp_open(struct sock *s);
int net_tcp_bind(struct sock *s, const ip4_addr_t *a, uint16_t port);
int net_tcp_listen(struct sock *s, int backlog);
int net_tcp_connect_start(struct sock *s, const ip4_addr_t *a, uint16_t port);
int net_tcp_connect_result(struct sock *s);     /* 0, -EINPROGRESS, or the error */
int net_tcp_accept(struct sock *s, struct sock **out);
long net_tcp_send(struct sock *s, struct net_iov *c, size_t len, int flags);
long net_tcp_recv(struct sock *s, struct net_iov *c, size_t len, int flags);
int net_tcp_shutdown(struct sock *s, int how);
unsigned net_tcp_poll(struct sock *s);
void net_tcp_close(struct sock *s);
uint32_t net_tcp_readable(struct sock *s);      /* FIONREAD */
void net_tcp_apply_opts(struct sock *s);        /* s's TCP options to its pcb */
/* Abort (RST) every TCP connection whose local address is local: its
 * socket reports ECONNRESET, as after a reset from its peer.  Listeners
 * stay.  net_eth.c calls it when the net driver restarted. */
void net_tcp_reset_local(const ip4_addr_t *local);

int net_udp_open(struct sock *s);
int net_udp_bind(struct sock *s, const ip4_addr_t *a, uint16_t port);
int net_udp_connect(struct sock *s, const ip4_addr_t *a, uint16_t port);   /* a NULL: disconnect */
long net_udp_send(struct sock *s, struct net_iov *c, size_t len, const ip4_addr_t *to, uint16_t port);
long net_udp_recv(struct sock *s, struct net_iov *c, size_t len, int flags,
                  ip4_addr_t *from, uint16_t *port, int *msg_flags);
unsigned net_udp_poll(struct sock *s);
void net_udp_close(struct sock *s);
uint32_t net_udp_readable(struct sock *s);      /* FIONREAD: the next datagram's size */

#endif
