/*
 * ext4_io.h - libos's disk (private to libos): the virtio-blk driver PD's
 * channel `blk` (a queue pair, include/freebeam/blk.h) and the region
 * `blk_data` the data travels in, as a libext2fs io_manager.
 *
 * ext4_disk_init finds the channel and registers for its notifications
 * (before the event thread starts); ext4_disk_info asks the driver for the
 * disk's size once the event thread runs.  Several requests may be in
 * flight (staged writes sent and not waited for, read-ahead), but the
 * driver serves them as if one at a time, in order: every call here is
 * made with the ext4 lock held (ext4_fs.c).
 */
#ifndef LIBOS_EXT4_IO_H
#define LIBOS_EXT4_IO_H

#include <stdbool.h>
#include <stdint.h>

struct struct_io_manager;

/* Before libos_events_start: the channel `blk` and region `blk_data`; false
 * if the PD has none (no disk in this image: nothing said). */
bool ext4_disk_init(void);
/* The driver's INFO: 0 with *sectors and *flags (FB_BLK_F_*), or -ENODEV
 * (no device), -EIO (no answer or a broken queue). */
int ext4_disk_info(uint64_t *sectors, uint32_t *flags);
/* A flush of the disk: 0, -EIO, or -EOPNOTSUPP (the device cannot). */
int ext4_disk_flush(void);
/* Bytes [off, off + len) of the disk (off a multiple of the sector size)
 * into buf (write false) or from it, straight to the driver: 0 or a
 * libext2fs error code. */
long ext4_disk_bytes(bool write, uint64_t off, uint8_t *buf, uint64_t len);
/* A write of bytes [off, off + len) that may wait: writes staged one
 * after the other at consecutive offsets go to the driver as one request
 * (up to a slot of the region; a write inside the run replaces what it
 * covers), sent before any other request of this file (a read, a flush, a
 * write not following them) and not waited for.  So a flush covers every
 * write staged before it, and a read sees it.  0 or a libext2fs error
 * code; an error of the delayed request (or its answer) gives up on the
 * disk, and the next call that waits for the driver (at the latest the
 * next flush) fails. */
long ext4_disk_stage(uint64_t off, const uint8_t *buf, uint32_t len);

extern struct struct_io_manager *ext4_io_manager;

#endif
