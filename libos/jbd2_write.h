/*
 * jbd2_write.h - committing transactions to an ext4 journal (JBD2), the
 * writing side of jbd2_replay.h: a set of file-system blocks goes into the
 * log as one transaction (descriptor blocks, the block copies, a commit
 * block), then home.  What a Linux kernel, e2fsck or our own replay reads
 * back after a power cut is either the whole transaction or none of it.
 *
 * Like jbd2_replay.c this file knows nothing of libext2fs or the disk:
 * the caller (ext4_journal.c) gives callbacks that write one log block,
 * one home block, or flush the device, so that host tests run it on memory
 * and cut the power between any two writes.
 *
 * The order of one jbd2_commit (n blocks, at log position P):
 *   1. the descriptor blocks and block copies at P..; flush
 *      (this flush also makes the previous transaction's home writes
 *      durable, so the log may move past that transaction);
 *   2. the journal superblock with s_start = P, s_sequence = this
 *      transaction's, and the commit block; flush (the transaction is now
 *      durable);
 *   3. the blocks home, with no flush: the next commit's first flush, or
 *      jbd2_close's, covers them.  Until then the superblock still points
 *      at this transaction, and a replay writes it home again.
 * So at most two transactions are ever needed by a replay (the last one
 * and the one being written); each is bounded by half the log
 * (jbd2_max_blocks) so the second never overwrites the first.  No revoke
 * records are needed: every home write of a block comes after a copy of
 * it in the log, and a replay writes the newest copy last.
 */
#ifndef LIBOS_JBD2_WRITE_H
#define LIBOS_JBD2_WRITE_H

#include <stdbool.h>
#include <stdint.h>

struct jbd2_writer {
    uint32_t block_size;
    uint32_t first, maxlen;     /* the log: blocks first..maxlen-1 of the journal */
    uint32_t incompat;          /* the journal's incompatible features */
    uint32_t csum_seed;         /* CRC-32C of the journal's UUID (CSUM_V2/V3) */
    uint8_t uuid[16];           /* the journal's, after the first tag of a descriptor */
    uint32_t head;              /* where the next transaction starts */
    uint32_t sequence;          /* the next transaction's number */
    bool dirty;                 /* the superblock points at a transaction */
};

struct jbd2_wio {
    void *ctx;
    /* Block `pos` of the journal (0: its superblock): 0 or -errno. */
    int (*write_log)(void *ctx, uint32_t pos, const uint8_t *buf);
    /* Block `block` of the file system, home: 0 or -errno. */
    int (*write_fs)(void *ctx, uint64_t block, const uint8_t *buf);
    /* Everything written so far onto the medium: 0 or -errno. */
    int (*flush)(void *ctx);
    uint8_t *sb;                /* the journal superblock (a block), kept up to date here */
    uint8_t *scratch;           /* one block, ours during a call */
};

/* The writer for the journal whose superblock is sb (block 0, as read),
 * which must be empty (replayed: s_start 0).  0, or -EINVAL: not a JBD2 v2
 * superblock, a block size not block_size, longer than journal_blocks, a
 * log too short, or an incompatible feature we cannot write. */
int jbd2_writer_open(struct jbd2_writer *w, const uint8_t *sb, uint32_t block_size, uint64_t journal_blocks);

/* Turn on CSUM_V3 (and 64-bit tags when wide) in an empty journal's
 * superblock sb, as a Linux kernel does on a file system with
 * metadata_csum, with the superblock's own checksum; before
 * jbd2_writer_open.  False if sb is not an empty v2 superblock or already
 * has checksums (then nothing changes). */
bool jbd2_enable_csum_v3(uint8_t *sb, bool wide);

/* The most blocks one transaction may hold. */
uint32_t jbd2_max_blocks(const struct jbd2_writer *w);

/* Blocks homes[i] with contents datas[i] (i < n, n <= jbd2_max_blocks,
 * each home block once) as one transaction, in the order above.  now_s
 * goes into the commit block.  0, -EINVAL (n too large), or the error of a
 * callback (the journal must then not be used again). */
int jbd2_commit(struct jbd2_writer *w, const struct jbd2_wio *io, uint32_t n, const uint64_t *homes,
                uint8_t *const *datas, uint64_t now_s);

/* After the last commit: flush (the homes on the medium), then mark the
 * journal empty (s_start 0) and flush again.  0 or a callback's error. */
int jbd2_close(struct jbd2_writer *w, const struct jbd2_wio *io);

#endif
