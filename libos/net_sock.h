/*
 * net_sock.h - the blocking send and receive of a socket file and the
 * checks of a caller's iovec (net_sock.c), for the system calls of
 * sys_net.c.
 */
#ifndef LIBOS_NET_SOCK_H
#define LIBOS_NET_SOCK_H

#include "net.h"
#include "net_addr.h"

/* The socket file of descriptor fd, with a reference (sys_net.c); NULL and
 * *err = -EBADF (no such descriptor) or -ENOTSOCK (not a socket). */
struct file *net_sock_file(long fd, long *err);

/* Is every buffer of the iovec (and the array itself) the caller's, for
 * reading (write = 0) or writing (write = 1)? */
bool net_iov_user_ok(const struct iovec *iov, long cnt, int write);

/* Run step(f's sock, arg) under the lock until it says something else than
 * -EAGAIN, sleeping on file.h's change counter in between; -EAGAIN at once
 * if the file is O_NONBLOCK or flags has MSG_DONTWAIT. */
long net_block(struct file *f, int flags, long (*step)(struct sock *s, void *arg), void *arg);

/* Send len bytes from the cursor (to: a UDP destination, or NULL):
 * blocks unless the file is O_NONBLOCK or flags has MSG_DONTWAIT. */
long net_sock_send(struct file *f, struct net_iov *c, size_t len, int flags, const struct net_inaddr *to);
/* Receive up to len bytes (from: the sender; msg_flags: MSG_TRUNC). */
long net_sock_recv(struct file *f, struct net_iov *c, size_t len, int flags,
                   struct net_inaddr *from, int *msg_flags);

#endif
