/*
 * sys_net.c - sockets, until a network stack exists: every socket call is
 * refused with Linux's answer for an address family the kernel lacks
 * (socket: EAFNOSUPPORT) or for a descriptor that is not a socket
 * (ENOTSOCK, EBADF).  erts copes: inet_config reads the host name through a
 * UDP socket and falls back to "nohost" when socket() fails (docs/internals.md
 * note 12), so it never spawns inet_gethost.  Refused quietly: these are
 * expected answers, not missing pieces of libos.
 */
#include "libos.h"
#include "file.h"

SYSCALL(socket)
{
    UNUSED_ARGS();
    return -EAFNOSUPPORT;
}

/* Calls on a socket descriptor: there is none, so EBADF for a closed fd
 * and ENOTSOCK for any open one. */
SYSCALL(on_socket)
{
    UNUSED_ARGS();
    struct file *file = libos_fd_get((int)a);
    if (!file)
        return -EBADF;
    libos_file_put(file);
    return -ENOTSOCK;
}
