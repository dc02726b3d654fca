/*
 * fbdev.h - the devices through which a POSIX program on freebeam (the BEAM
 * PD's erts and its `freebeam` NIF, or any C program on libos) talks to the
 * native components of its system: `/dev/chan/NAME`, one per named channel
 * of the PD, and `/dev/pd/NAME`, one per other PD of the system.  Only
 * open/read/write/ioctl/poll/close are used on them, so the Erlang side can
 * be tested against a fake.  Semantics: docs/native-components.md.
 *
 * ioctl numbers follow Linux's generic encoding (direction << 30 | size << 16
 * | type << 8 | number) with type 'F' (0x46), written out here because
 * freebeam code does not include Linux's headers.
 */
#ifndef FREEBEAM_FBDEV_H
#define FREEBEAM_FBDEV_H

#include <stdint.h>

#define FBDEV_IOC_TYPE 0x46u
#define FBDEV_IO(nr)       ((FBDEV_IOC_TYPE << 8) | (nr))
#define FBDEV_IOR(nr, sz)  ((2u << 30) | ((uint32_t)(sz) << 16) | (FBDEV_IOC_TYPE << 8) | (nr))

/* ---- /dev/chan/NAME ----
 * A channel with a queue pair (include/freebeam/queue.h):
 *   read   one whole message; EAGAIN when none (O_NONBLOCK, else it blocks),
 *          EMSGSIZE when the buffer is smaller than the message (which stays),
 *          EBADMSG when the peer left the queue in an impossible state
 *   write  one whole message; EAGAIN when the queue is full (O_NONBLOCK, else
 *          it blocks), EMSGSIZE when longer than a slot
 * A bare channel (no queue):
 *   read   8 bytes: the number of notifications since the last read (uint64)
 *   write  8 bytes (any value): one notification to the peer
 * Both: after the peer PD was restarted (by this PD, through /dev/pd), the
 * next read of every open descriptor fails once with ECONNRESET.
 * poll: POLLIN when a read would not block, POLLOUT when a write would not. */
struct fbdev_chan_info {
    uint32_t queue;        /* 1: a queue pair, 0: a bare channel */
    uint32_t depth;        /* messages each way (queue only) */
    uint32_t slot;         /* largest message in bytes (queue only) */
    uint32_t peer_pd;      /* index of the PD at the other end */
    uint32_t id;           /* this PD's channel id */
};
#define FBDEV_CHAN_INFO FBDEV_IOR(1u, sizeof(struct fbdev_chan_info))

/* ---- /dev/pd/NAME ----
 *   ioctl FBDEV_PD_STATUS   returns one of FBDEV_PD_* (EPERM: not monitored by this PD)
 *   ioctl FBDEV_PD_STOP     stops it                  (EPERM: not this PD's to control)
 *   ioctl FBDEV_PD_RESTART  restarts it from a fresh copy of its program; the
 *                           queues shared with it keep their messages (their
 *                           notification handshake is reset), and every
 *                           descriptor of a channel to it gets ECONNRESET once
 *   ioctl FBDEV_PD_INFO     fills struct fbdev_pd_info
 *   read   whole struct fbdev_pd_event records of what happened to the PD
 *          after the descriptor was opened; EAGAIN when none (O_NONBLOCK,
 *          else it blocks).  seq numbers are consecutive: a gap means older
 *          records were overwritten before they were read.
 *   poll   POLLIN when a record is waiting
 * Control needs the PD's monitor to be this PD and this PD to have the
 * pd_control right in the system description. */
#define FBDEV_PD_RUNNING 1
#define FBDEV_PD_STOPPED 2   /* stopped through FBDEV_PD_STOP */
#define FBDEV_PD_FAULTED 3   /* a fault stopped it */
#define FBDEV_PD_EXITED  4   /* it ended itself (its last record has the status) */

struct fbdev_pd_event {
    uint32_t seq;          /* 1, 2, ... per PD */
    uint32_t kind;         /* FB_FAULT_* of kapi.h; FB_FAULT_EXITED for an exit */
    uint32_t tid;          /* the thread that faulted */
    uint32_t addr;         /* the faulting address (see kapi.h) */
    uint32_t pc;
    uint32_t status;       /* fault status register, or the exit status */
};

struct fbdev_pd_info {
    uint32_t index;        /* the PD's index in the system */
    uint32_t monitored;    /* 1: this PD is its monitor */
    uint32_t control;      /* 1: and may stop/restart it (pd_control) */
    uint32_t restarts;     /* restarts done through this PD since boot */
};

#define FBDEV_PD_STATUS  FBDEV_IO(2u)
#define FBDEV_PD_STOP    FBDEV_IO(3u)
#define FBDEV_PD_RESTART FBDEV_IO(4u)
#define FBDEV_PD_INFO    FBDEV_IOR(5u, sizeof(struct fbdev_pd_info))

#endif
