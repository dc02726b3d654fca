/*
 * ext4_journal.h - the journal layer of /data (private to libos;
 * docs/storage.md, "What a write promises"): while it is on, every block
 * libext2fs writes is held in memory instead of going home, reads see the
 * held blocks, and ext4_journal_commit puts the held set into the disk's
 * JBD2 journal as one transaction (jbd2_write.h), then home.  Calls join
 * the running transaction; ext4_fs.c commits it between two calls (never
 * inside one), at fsync, when it is half full, or when it is
 * COMMIT_AFTER_S old (ext4_timer.c), so that a power cut leaves the file
 * system as it was after some call, never in the middle of one.
 *
 * Every block that was in use at the last commit is journalled, file data
 * included: none reaches its home before a committed copy of it is in the
 * log.  A block allocated since, free in the committed state, goes home
 * at once (jbd2_fresh.h), before the commit that makes it used.
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
/* The most blocks one transaction holds (a large write is cut into
 * pieces of a quarter of this, so that a piece always fits beside a
 * transaction that is not yet due). */
uint32_t ext4_journal_room(void);

/* When the running transaction must be committed (libos_ticks), or
 * UINT64_MAX if nothing is held. */
uint64_t ext4_journal_deadline(void);
/* Should the running transaction be committed now, with `reserve` blocks
 * still to be written into it by the commit (the metadata libext2fs keeps
 * in memory)?  True when its deadline passed or it is half full. */
bool ext4_journal_due(uint32_t reserve);

/* ext4_timer.c: the thread that commits a transaction at its deadline
 * (started at the mount), and its wake-up when a transaction opens. */
void ext4_timer_start(void);
void ext4_timer_kick(void);

/* libext2fs's block allocation callback (ext2fs_set_block_alloc_stats_callback):
 * a block allocated while holding, free when the last transaction
 * committed, is written home at once rather than logged (jbd2_fresh.h). */
void ext4_journal_block_stats(struct struct_ext2_filsys *fs, unsigned long long block, int inuse);
/* The same for a run of blocks (ext2fs_set_block_alloc_stats_range_callback;
 * ext4_append.c reports its runs through it). */
void ext4_journal_block_stats_range(struct struct_ext2_filsys *fs, unsigned long long block, unsigned int num,
                                    int inuse);
/* libext2fs's block allocator (fs->get_alloc_block2): its own choice, noted
 * as new before libext2fs zeroes the block, so that the zeroes and the data
 * after them go home at once too. */
struct blk_alloc_ctx;
long ext4_journal_alloc_block(struct struct_ext2_filsys *fs, unsigned long long goal, unsigned long long *ret,
                              struct blk_alloc_ctx *ctx);

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
