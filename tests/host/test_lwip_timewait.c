/*
 * test_lwip_timewait.c - lwIP (Debian's 2.1.3 with our patches and our
 * lwipopts.h, compiled for the host) against a client that reuses its port
 * while our side of its last connection is still in TIME-WAIT
 * (third_party/lwip/patches/0003-timewait-new-syn.patch): a new SYN with a
 * higher sequence number opens a new connection, as on Linux; an old one
 * does not.  bench/net saw HTTP GETs stall for a minute without it.
 *
 * The test plays the client at the IP level (lwip_peer.h).
 */
#include "lwip_peer.h"

static int passes, failures;
#define CHECK(cond, what)                                                    \
    do {                                                                     \
        bool ok_ = (cond);                                                   \
        printf("%s: %s\n", ok_ ? "ok" : "FAIL", what);                       \
        failures += !ok_;                                                    \
        passes += ok_;                                                       \
    } while (0)

#define SERVER_PORT 8080
#define CLIENT_PORT 54190

/* The client sends a TCP segment without data to SERVER_PORT. */
static void client_sends(uint8_t flags, uint32_t seq, uint32_t ack)
{
    peer_sends(CLIENT_PORT, SERVER_PORT, flags, seq, ack, NULL, 0);
}

static struct tcp_pcb *accepted;
static int accepts;

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg, (void)err;
    accepted = pcb;
    accepts++;
    return ERR_OK;
}

static int tw_count(void)
{
    int n = 0;
    for (struct tcp_pcb *p = tcp_tw_pcbs; p; p = p->next)
        n++;
    return n;
}

/* One connection from CLIENT_PORT with the client's first sequence number
 * iss, closed by our side first (held: only shut for writing, still ours):
 * TIME-WAIT afterwards.  True if it went so. */
static bool connect_and_end(uint32_t iss, bool held)
{
    nsent = 0;
    int before = accepts;
    client_sends(TCP_SYN, iss, 0);
    if (nsent != 1 || sent[0].flags != (TCP_SYN | TCP_ACK) || sent[0].ack != iss + 1)
        return false;
    uint32_t our = sent[0].seq + 1;
    client_sends(TCP_ACK, iss + 1, our);
    if (accepts != before + 1)
        return false;
    nsent = 0;
    static int owner;
    if (held) {
        tcp_arg(accepted, &owner);
        tcp_shutdown(accepted, 0, 1);    /* our FIN, the pcb still ours */
    } else {
        tcp_close(accepted);             /* our FIN */
    }
    if (nsent != 1 || !(sent[0].flags & TCP_FIN))
        return false;
    client_sends(TCP_FIN | TCP_ACK, iss + 1, our + 1);
    return tcp_tw_pcbs != NULL;
}

int main(void)
{
    peer_setup();
    struct tcp_pcb *l = tcp_new();
    tcp_bind(l, IP_ADDR_ANY, SERVER_PORT);
    l = tcp_listen(l);
    tcp_accept(l, on_accept);

    CHECK(connect_and_end(1000, false), "a connection our side closed first is in TIME-WAIT");

    /* The client's port again, its sequence numbers far above the old ones
     * (outside the old window, as QEMU's network picks them). */
    nsent = 0;
    client_sends(TCP_SYN, 1000 + 36000000u, 0);
    CHECK(nsent == 1 && sent[0].flags == (TCP_SYN | TCP_ACK) && sent[0].ack == 1000 + 36000000u + 1,
          "a new SYN from the same port is answered with a SYN-ACK");
    CHECK(tw_count() == 0, "... and the TIME-WAIT connection is gone");
    client_sends(TCP_ACK, 1000 + 36000001u, sent[0].seq + 1);
    CHECK(accepts == 2, "... and the new connection is accepted");
    tcp_abort(accepted);

    /* Just above the old window's start, too (in the old window: lwIP
     * used to reset). */
    CHECK(connect_and_end(5000, false), "a second connection closed first is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 5000 + 10, 0);
    CHECK(nsent == 1 && sent[0].flags == (TCP_SYN | TCP_ACK), "a new SYN inside the old window opens one too");
    client_sends(TCP_ACK, 5000 + 11, sent[0].seq + 1);
    CHECK(accepts == 4, "... and it is accepted");
    tcp_abort(accepted);

    /* A SYN that is not above the old connection's numbers (an old
     * duplicate) leaves TIME-WAIT as it is. */
    CHECK(connect_and_end(900000, false), "a third connection closed first is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 900000 - 50, 0);
    CHECK(tw_count() == 1 && accepts == 5, "an old SYN does not open a connection");
    CHECK(nsent == 1 && !(sent[0].flags & TCP_SYN), "... and is answered with an ACK of the old one");

    /* A TIME-WAIT pcb the application still holds (shut, not closed) is
     * not freed under it, whatever the SYN. */
    tcp_abort(tcp_tw_pcbs);              /* the old duplicate's connection: gone */
    CHECK(connect_and_end(2000000, true), "a connection shut for writing, still held, is in TIME-WAIT");
    nsent = 0;
    client_sends(TCP_SYN, 2000000 + 36000000u, 0);
    CHECK(tw_count() == 1 && accepts == 6, "a new SYN leaves a held TIME-WAIT connection alone");

    printf("test_lwip_timewait: %d passed, %d failed\n", passes, failures);
    return failures != 0;
}
