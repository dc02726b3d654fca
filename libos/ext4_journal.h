/*
 * ext4_journal.h - the journal layer of /data (private to libos;
 * docs/storage.md, "What a write promises"): while it is on, every block
 * libext2fs writes is held in memory instead of going home, reads see the
 * held blocks, and ext4_journal_commit puts the held set into the disk's
 * JBD2 journal as one transaction (jbd2_write.h), then home.  ext4_fs.c
 * commits at the end of each operation, so that a power cut leaves the
 * file system as it was before or after every operation, never between.
 *
 * Everything is journalled, file data included (data=journal): no block
 * reaches its home before a committed copy of it is in the log.
 * All calls are made with the ext4 lock held.
 */
#ifndef LIBOS_EXT4_JOURNAL_H
#define LIBOS_EXT4_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

struct struct_ext2_filsys;

/* After the mount (the journal replayed and empty): the writer on fs's
 * internal journal.  0, or -EINVAL (no journal we can write: an external
 * one, a feature we do not know), -EIO, -ENOMEM.  Holding starts with
 * ext4_journal_hold(). */
int ext4_journal_open(struct struct_ext2_filsys *fs);
/* Hold every write from now on (after ext4_journal_open returned 0). */
void ext4_journal_hold(void);
bool ext4_journal_on(void);
/* The most blocks one operation should write (a large write is cut into
 * pieces of this many blocks, less room for the metadata). */
uint32_t ext4_journal_room(void);

/* ext4_io.c's reads and writes while holding: bytes [off, off + len) of
 * the disk.  0 or a libext2fs error code. */
long ext4_journal_read(uint64_t off, uint8_t *buf, uint64_t len);
long ext4_journal_write(uint64_t off, const uint8_t *buf, uint64_t len);

/* The held blocks as one transaction, then home: 0, or -EIO (the journal
 * is then given up: every later write fails). */
int ext4_journal_commit(void);
/* The last commit, its homes flushed, the journal marked empty; holding
 * stops (the unmount).  0 or -EIO. */
int ext4_journal_close(void);

#endif
