/*
 * e2fs_stubs.h - the io_channel plumbing that the host programs' own
 * libext2fs io_managers share (tests/host/e2fs_stubs.c): each manager keeps
 * only its reads and writes.
 */
#ifndef E2FS_STUBS_H
#define E2FS_STUBS_H

#include "ext2fs/ext2fs.h"

/* A new channel of manager m named name (1 KiB blocks until set). */
errcode_t e2fs_channel_open(io_manager m, const char *name, io_channel *out);
/* Drops a reference; frees the channel with the last one. */
errcode_t e2fs_channel_close(io_channel io);
errcode_t e2fs_channel_set_blksize(io_channel io, int blksize);

#endif
