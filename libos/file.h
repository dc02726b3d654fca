/*
 * file.h - open files, the descriptor table and readiness, shared by every
 * kind of file libos serves (archive and tmpfs files, directories, devices,
 * pipes, eventfds).  A kind of file is a `struct file_ops`; an open file is
 * a `struct file` that descriptors point at (dup shares one).
 *
 * Blocking: a call that must wait (a read on an empty pipe, poll with
 * nothing ready) blocks only its own thread, on one global change counter:
 * it samples libos_change_seq(), re-checks its condition, then sleeps in
 * libos_wait_change(seen, deadline).  Any state change that could make
 * something ready (data written, a reader or writer closed, space freed)
 * calls libos_file_changed(), which bumps the counter and wakes every
 * waiter; each re-checks.  Simple and obviously free of lost wake-ups;
 * at the scale of one PD the extra wake-ups cost little.
 *
 * Memory: nothing here or in a file kind may call malloc (musl calls libos
 * from inside malloc).  Fixed tables, or pages from libos's own page
 * allocator (libos_pages_alloc/free, sys_mm.c).
 */
#ifndef LIBOS_FILE_H
#define LIBOS_FILE_H

#include "libos.h"
#include <sys/types.h>

#define LIBOS_MAX_FDS   1024    /* RLIMIT_NOFILE reports this */
#define LIBOS_MAX_FILES 1024    /* open file objects, all descriptors together */

/* What fstat reports, before the syscall layer converts it to the layout
 * musl asked for (stat64 or statx). */
struct libos_stat {
    uint64_t dev, ino, rdev, size, blocks;
    uint32_t mode, nlink, uid, gid, blksize;
    int64_t atime_ns, mtime_ns, ctime_ns;
};

struct file;
struct iovec;

struct file_ops {
    /* NULL members mean: read/write EINVAL, pread/pwrite/lseek ESPIPE,
     * ioctl ENOTTY, getdents ENOTDIR, poll "always ready for what the file
     * was opened for". */
    long (*read)(struct file *f, void *buf, size_t len);
    long (*write)(struct file *f, const void *buf, size_t len);
    /* A whole vector of LEN bytes in one write, for kinds where writing it
     * buffer by buffer would show (a socket: Linux's writev there is one
     * sendmsg, one TCP send or one datagram).  NULL: writev calls write
     * once per buffer.  The vector is the caller's, not yet checked. */
    long (*writev)(struct file *f, const struct iovec *iov, long cnt, size_t len);
    long (*pread)(struct file *f, void *buf, size_t len, uint64_t off);
    long (*pwrite)(struct file *f, const void *buf, size_t len, uint64_t off);
    int64_t (*lseek)(struct file *f, int64_t off, int whence);
    long (*ioctl)(struct file *f, unsigned long req, unsigned long arg);
    long (*fstat)(struct file *f, struct libos_stat *st);
    long (*getdents64)(struct file *f, void *buf, size_t len);
    long (*ftruncate)(struct file *f, uint64_t len);
    long (*fsync)(struct file *f);
    /* Readiness now: a mask of POLLIN, POLLOUT, POLLHUP, POLLERR.  Must not block. */
    unsigned (*poll)(struct file *f);
    /* Devices: a file of this kind was just opened (its state set up). */
    void (*opened)(struct file *f);
    /* The last descriptor to it closed. */
    void (*release)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    uint32_t refs;          /* descriptors (and in-flight calls) holding it */
    int flags;              /* O_ACCMODE | O_APPEND | O_NONBLOCK as set by open/fcntl */
    uint64_t pos;           /* for kinds that seek */
    void *priv;             /* the kind's own state */
    uint32_t priv2;
};

/* Descriptors.  All take libos's file lock themselves. */
struct file *libos_file_new(const struct file_ops *ops, int flags, void *priv);  /* refs = 1; NULL: ENFILE */
int libos_fd_install(struct file *f, int min_fd, int cloexec);  /* lowest free fd >= min_fd; takes over the
                                                                  caller's reference; -EMFILE (then the
                                                                  caller still holds it) */
/* Install at exactly fd (dup2/dup3), closing what was there; takes over the
 * caller's reference.  fd or -EBADF (out of range: the reference stays). */
int libos_fd_install_at(struct file *f, int fd, int cloexec);
void libos_file_get(struct file *f);    /* one more reference to a file already held */
struct file *libos_fd_get(int fd);      /* a new reference, or NULL (EBADF) */
void libos_file_put(struct file *f);    /* drop a reference; release on the last */
int libos_fd_close(int fd);             /* 0 or -EBADF */
int libos_fd_get_cloexec(int fd);       /* 0/1, or -EBADF */
int libos_fd_set_cloexec(int fd, int on);
unsigned libos_files_in_use(void);      /* pool slots taken (tests, leak checks) */

/* Whole pages for libos's own buffers (pipe rings, tmpfs data), from the
 * same page allocator as mmap: zeroed, page-aligned, NULL when out of memory. */
void *libos_pages_alloc(size_t len);
void libos_pages_free(void *p, size_t len);

/* Readiness and blocking (see the top of this file). */
uint32_t libos_change_seq(void);
void libos_file_changed(void);
/* Sleep until the counter moves from `seen` or the deadline (CNTVCT ticks,
 * 0 = none) passes: 0, or -ETIMEDOUT (or -EINTR, once the kernel can
 * interrupt a wait).  No kernel call when nobody waits. */
long libos_wait_change(uint32_t seen, uint64_t deadline);

#endif
