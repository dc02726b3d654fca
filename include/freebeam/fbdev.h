/* fbdev.h - the device files through which a freebeam program (the BEAM's
 * freebeam_nif, or any C program on libos) talks to native components:
 * channels at /dev/chan/NAME and protection domains at /dev/pd/NAME.  One
 * header for both sides, libos (which serves the devices) and its users, so
 * the ioctl numbers and record layouts cannot drift apart.  Plain C11 with
 * <stdint.h> only: it is included freestanding (libos) and hosted (musl).
 *
 * /dev/chan/NAME (open O_RDWR|O_NONBLOCK):
 *   a channel with a queue: read() returns one whole message (EAGAIN when
 *   the queue is empty, EMSGSIZE when the buffer is smaller than the
 *   message, which then stays queued; EPROTO when the peer left the queue
 *   in a state that cannot be: reported once, then readable again when the
 *   peer notifies or is restarted); write() sends one whole message
 *   (EAGAIN when the queue is full, EMSGSIZE when longer than a slot).
 *   Without O_NONBLOCK, read and write wait instead of EAGAIN.
 *   a bare channel: read() of FBDEV_NOTIFY_SIZE bytes returns a uint64_t
 *   count of notifications since the last read (EAGAIN if none); write() of
 *   FBDEV_NOTIFY_SIZE bytes (any value) notifies the peer once.
 *   poll/select: readable when data or a notification is pending, writable
 *   when there is room.  After the peer PD restarted, the next read()
 *   fails once with ECONNRESET.
 *   ioctl FBDEV_CHAN_INFO fills a struct fbdev_chan_info.
 *
 * /dev/pd/NAME:
 *   ioctl FBDEV_PD_STATUS returns FBDEV_PD_RUNNING/STOPPED/FAULTED/EXITED;
 *   (EPERM when the caller is not the PD's monitor: it cannot know);
 *   ioctl FBDEV_PD_STOP and FBDEV_PD_RESTART return 0, or fail with EPERM
 *   when the caller is not the PD's monitor or lacks the pd_control right.
 *   A restart keeps the messages of the queues shared with the PD (a queue
 *   it left broken is emptied) and makes every descriptor of a channel to
 *   it report ECONNRESET once.
 *   ioctl FBDEV_PD_INFO fills a struct fbdev_pd_info (any PD).
 *   read() returns whole struct fbdev_pd_event records of the faults and
 *   exits that happened after the open (EAGAIN if none); poll: readable
 *   when one is pending.
 */
#ifndef FREEBEAM_FBDEV_H
#define FREEBEAM_FBDEV_H

#include <stdint.h>

#define FBDEV_CHAN_DIR "/dev/chan/"
#define FBDEV_PD_DIR "/dev/pd/"

/* The size of a bare channel's read and write: one uint64_t. */
#define FBDEV_NOTIFY_SIZE 8u

/* ioctl request numbers, encoded as Linux's generic _IO/_IOR do (direction
 * in bits 30-31, argument size in bits 16-29, type in bits 8-15, number in
 * bits 0-7), written out here so no Linux header is needed.  Type 0xFB is
 * freebeam's. */
#define FBDEV_IOC_NONE 0u
#define FBDEV_IOC_WRITE 1u
#define FBDEV_IOC_READ 2u
#define FBDEV_IOC(dir, nr, size) \
  (((uint32_t)(dir) << 30) | ((uint32_t)(size) << 16) | (0xFBu << 8) | (uint32_t)(nr))
#define FBDEV_IOC_SIZE(req) (((uint32_t)(req) >> 16) & 0x3FFFu)
#define FBDEV_IOC_DIR(req) ((uint32_t)(req) >> 30)

struct fbdev_chan_info {
  uint32_t queue;   /* 1: a queue pair carries messages; 0: a bare channel */
  uint32_t depth;   /* messages the queue holds (0 for a bare channel) */
  uint32_t slot;    /* the largest message in bytes (0 for a bare channel) */
  uint32_t peer_pd; /* the PD at the other end (its index in the system) */
};

/* One fault or exit of a PD, as read() from /dev/pd/NAME returns it. */
struct fbdev_pd_event {
  uint32_t seq;    /* counts the PD's events from 1 */
  uint32_t kind;   /* FB_FAULT_* of kapi.h (FB_FAULT_EXITED for an exit) */
  uint32_t tid;    /* the thread that faulted */
  uint32_t addr;   /* the faulting address (kapi.h says per kind) */
  uint32_t pc;     /* the faulting instruction */
  uint32_t status; /* the fault status register, or the exit status */
};

/* What FBDEV_PD_INFO fills. */
struct fbdev_pd_info {
  uint32_t index;     /* the PD's index in the system */
  uint32_t monitored; /* 1: the caller is its monitor */
  uint32_t control;   /* 1: and may stop and restart it (pd_control) */
  uint32_t restarts;  /* restarts the caller made of it since boot */
};

_Static_assert(sizeof(struct fbdev_chan_info) == 16, "fbdev_chan_info is 4 words");
_Static_assert(sizeof(struct fbdev_pd_info) == 16, "fbdev_pd_info is 4 words");
_Static_assert(sizeof(struct fbdev_pd_event) == 24, "fbdev_pd_event is 6 words");

#define FBDEV_CHAN_INFO FBDEV_IOC(FBDEV_IOC_READ, 1, sizeof(struct fbdev_chan_info))
#define FBDEV_PD_STATUS FBDEV_IOC(FBDEV_IOC_NONE, 2, 0)
#define FBDEV_PD_STOP FBDEV_IOC(FBDEV_IOC_NONE, 3, 0)
#define FBDEV_PD_RESTART FBDEV_IOC(FBDEV_IOC_NONE, 4, 0)
#define FBDEV_PD_INFO FBDEV_IOC(FBDEV_IOC_READ, 5, sizeof(struct fbdev_pd_info))

/* What FBDEV_PD_STATUS returns. */
#define FBDEV_PD_RUNNING 1
#define FBDEV_PD_STOPPED 2
#define FBDEV_PD_FAULTED 3
#define FBDEV_PD_EXITED 4

#endif
