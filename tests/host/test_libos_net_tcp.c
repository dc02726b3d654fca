/*
 * test_libos_net_tcp.c - libos's TCP socket files (libos/net_sock.c,
 * net_tcp.c) over lwIP compiled for the host, with a peer that plays the
 * other side at the IP level (lwip_peer.h): the ends of a connection where
 * lwIP frees a pcb on its own.  lwIP frees a pcb in TIME-WAIT without a
 * callback (its 2 * TCP_MSL timer, tcp_kill_timewait, a new SYN from the
 * same port), so a socket shut for writing only must have let go of it
 * by then: its read, poll and close run after each such end, under
 * AddressSanitizer with lwIP's memory from malloc (host.mk), so that a
 * touch of a freed pcb fails the test.
 */
#include "libos_host.h"
#include "check.h"
#include "lwip_peer.h"
#include "../../libos/net.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

/* ---- what net_sock.c and net_tcp.c need of the rest of libos ---- */
int net_lock(void) { return 0; }
void net_unlock(void) {}
void net_changed(void) {}
void net_tx_cork(void) {}
int net_err_to_errno(err_t e)
{
    return e == ERR_RST ? ECONNRESET : e == ERR_ABRT ? ECONNABORTED : e == ERR_CLSD ? ENOTCONN : EIO;
}
long net_if_ioctl(unsigned long req, unsigned long arg) { (void)req, (void)arg; return -ENOTTY; }
uint32_t libos_change_seq(void) { return 0; }
long libos_wait_change(uint32_t seen, uint64_t deadline)
{
    (void)seen, (void)deadline;
    abort();                             /* every file here is O_NONBLOCK */
}
void libos_file_changed(void) {}
bool libos_user_ok(const void *p, size_t len, int write) { (void)p, (void)len, (void)write; return true; }
/* net_sock.c's UDP side: no UDP socket here. */
long net_udp_send(struct sock *s, struct net_iov *c, size_t len, const ip4_addr_t *to, uint16_t port)
{
    (void)s, (void)c, (void)len, (void)to, (void)port;
    abort();
}
long net_udp_recv(struct sock *s, struct net_iov *c, size_t len, int flags,
                  ip4_addr_t *from, uint16_t *port, int *msg_flags)
{
    (void)s, (void)c, (void)len, (void)flags, (void)from, (void)port, (void)msg_flags;
    abort();
}
unsigned net_udp_poll(struct sock *s) { (void)s; abort(); }
void net_udp_close(struct sock *s) { (void)s; abort(); }
uint32_t net_udp_readable(struct sock *s) { (void)s; abort(); }

#include "../../libos/net_sock.c"
#include "../../libos/net_tcp.c"

#define PORT 7000

static struct sock *listener;

/* The peer opens a connection from port (its first sequence number iss):
 * our side's next sequence number, 0 if the handshake went wrong. */
static uint32_t handshake(uint16_t port, uint32_t iss)
{
    nsent = 0;
    peer_sends(port, PORT, TCP_SYN, iss, 0, NULL, 0);
    if (nsent != 1 || sent[0].flags != (TCP_SYN | TCP_ACK) || sent[0].ack != iss + 1)
        return 0;
    uint32_t our = sent[0].seq + 1;
    peer_sends(port, PORT, TCP_ACK, iss + 1, our, NULL, 0);
    return our;
}

/* The accepted connection as a non-blocking socket file, or NULL. */
static struct file *accept_file(void)
{
    struct sock *s;
    if (net_tcp_accept(listener, &s))
        return NULL;
    struct file *f = calloc(1, sizeof *f);
    f->ops = &net_sock_ops;
    f->flags = O_RDWR | O_NONBLOCK;
    f->priv = s;
    return f;
}

static void close_file(struct file *f)
{
    f->ops->release(f);
    free(f);
}

/* What a program sees of a connection both sides ended: the data left,
 * then end of file; readable with a hang-up, no error; it closes. */
static void check_finished(struct file *f, const char *left)
{
    char buf[64];
    unsigned m = f->ops->poll(f);
    CHECK((m & (POLLIN | POLLHUP)) == (POLLIN | POLLHUP));
    CHECK(!(m & POLLERR));
    long n = f->ops->read(f, buf, sizeof buf);
    CHECK(n == (long)strlen(left) && memcmp(buf, left, (size_t)n) == 0);
    CHECK(f->ops->read(f, buf, sizeof buf) == 0);
    CHECK(f->ops->write(f, "x", 1) == -EPIPE);
    close_file(f);
}

/* Our side shuts for writing (its FIN goes out); the socket stays open. */
static bool shut_wr(struct file *f)
{
    nsent = 0;
    return net_tcp_shutdown(f->priv, SHUT_WR) == 0 && nsent == 1 && (sent[0].flags & TCP_FIN);
}

static int tw_count(void)
{
    int n = 0;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p; p = p->next)
        n++;
    return n;
}

/* lwIP's pcbs of the peer's port, in any state. */
static int pcbs_of(uint16_t port)
{
    int n = 0;
    for (struct tcp_pcb *p = tcp_active_pcbs; p; p = p->next)
        n += p->remote_port == port;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p; p = p->next)
        n += p->remote_port == port;
    return n;
}

/* Shut for writing, then the peer's data and FIN: TIME-WAIT, held by
 * nobody; then lwIP ends it (end: how) before the program looks. */
static void shut_then_peer_fin(uint16_t port, void (*end)(uint16_t port))
{
    uint32_t our = handshake(port, 1000);
    struct file *f = accept_file();
    CHECK(our && f);
    if (!f)
        return;
    CHECK(shut_wr(f));
    peer_sends(port, PORT, TCP_ACK | TCP_PSH, 1001, our + 1, "hello", 5);
    peer_sends(port, PORT, TCP_FIN | TCP_ACK, 1006, our + 1, NULL, 0);
    CHECK(tw_count() == 1);
    end(port);
    CHECK(tw_count() == 0);
    check_finished(f, "hello");
}

static void timewait_times_out(uint16_t port)
{
    (void)port;
    time_passes(2 * TCP_MSL + 2 * TCP_SLOW_INTERVAL);
}

static void timewait_taken_for_a_new_pcb(uint16_t port)
{
    (void)port;
    tcp_abort(tcp_tw_pcbs);              /* what tcp_alloc's tcp_kill_timewait does when short */
}

static void timewait_reopened_by_syn(uint16_t port)
{
    uint32_t our = handshake(port, 1000 + 36000000u);   /* patch 0003: a new connection */
    struct file *g = accept_file();
    CHECK(our && g);
    if (g)
        close_file(g);
}

int main(void)
{
    peer_setup();
    listener = net_sock_alloc(SOCK_STREAM);
    ip4_addr_t any = { 0 };
    CHECK(listener && net_tcp_open(listener) == 0 && net_tcp_bind(listener, &any, PORT) == 0 &&
          net_tcp_listen(listener, 4) == 0);

    shut_then_peer_fin(50001, timewait_times_out);
    shut_then_peer_fin(50002, timewait_taken_for_a_new_pcb);
    shut_then_peer_fin(50003, timewait_reopened_by_syn);

    /* Both FINs cross (CLOSING), then the peer acknowledges ours:
     * TIME-WAIT, which ends. */
    uint32_t our = handshake(50004, 1000);
    struct file *f = accept_file();
    CHECK(our && f && shut_wr(f));
    peer_sends(50004, PORT, TCP_FIN | TCP_ACK, 1001, our, NULL, 0);
    peer_sends(50004, PORT, TCP_ACK, 1002, our + 1, NULL, 0);
    CHECK(tw_count() == 1);
    timewait_times_out(50004);
    if (f)
        check_finished(f, "");

    /* The peer's FIN first, then ours (LAST-ACK), then the peer's ACK:
     * lwIP frees the pcb at once. */
    our = handshake(50005, 1000);
    f = accept_file();
    CHECK(our && f);
    peer_sends(50005, PORT, TCP_FIN | TCP_ACK, 1001, our, NULL, 0);
    CHECK(f && shut_wr(f));
    peer_sends(50005, PORT, TCP_ACK, 1002, our + 1, NULL, 0);
    CHECK(pcbs_of(50005) == 0);
    if (f)
        check_finished(f, "");

    /* Reset by the peer before accept: the program still gets the
     * connection, and its reset. */
    our = handshake(50006, 1000);
    peer_sends(50006, PORT, TCP_RST | TCP_ACK, 1001, our, NULL, 0);
    f = accept_file();
    CHECK(our && f);
    if (f) {
        char buf[8];
        CHECK(f->ops->poll(f) & POLLERR);
        CHECK(f->ops->read(f, buf, sizeof buf) == -ECONNRESET);
        close_file(f);
    }

    /* And a new connection works: data in, our close out. */
    our = handshake(50007, 1000);
    f = accept_file();
    CHECK(our && f);
    if (f) {
        char buf[8];
        peer_sends(50007, PORT, TCP_ACK | TCP_PSH, 1001, our, "ping", 4);
        CHECK(f->ops->poll(f) & POLLIN);
        CHECK(f->ops->read(f, buf, sizeof buf) == 4 && memcmp(buf, "ping", 4) == 0);
        nsent = 0;
        close_file(f);
        CHECK(nsent >= 1 && (sent[nsent - 1].flags & TCP_FIN));
    }

    net_tcp_close(listener);
    return check_report("test_libos_net_tcp");
}
