/*
 * jbd2_replay.h - recovery of an ext4 journal (JBD2) at mount: the
 * committed transactions still in the log are written to their home
 * blocks, as a Linux kernel or e2fsck would before using the file system.
 *
 * The journal's bytes come from the disk and are not trusted: every field
 * is checked against the journal's size and the block size, every loop is
 * bounded by the log's length, and what we cannot do (an external journal,
 * fast commits, an unknown incompatible feature, a revoke table beyond
 * JBD2_MAX_REVOKES) is refused with an error before anything is written.
 *
 * The caller (ext4_fs.c) gives the journal's blocks by their logical number
 * inside the journal and writes the file system's blocks; this file knows
 * nothing of libext2fs, so that host tests and a fuzzer run it on memory.
 * A transaction counts as committed when its commit block is there and,
 * with CSUM_V2/V3, that block's own checksum is right (a commit block torn
 * by a power cut ends the log, as in e2fsck); the descriptors' and block
 * copies' checksums are not verified: JBD2's ordering (a flush before the
 * commit block is written) makes a committed transaction's blocks whole.
 */
#ifndef LIBOS_JBD2_REPLAY_H
#define LIBOS_JBD2_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#define JBD2_MAX_REVOKES 65536u

struct jbd2_io {
    void *ctx;
    uint32_t block_size;        /* the file system's; the journal's must match */
    uint64_t journal_blocks;    /* the journal inode's size in blocks */
    uint64_t fs_blocks;         /* replayed blocks must lie below this */
    /* Read block `n` (0 = the journal superblock) of the journal: 0 or -errno. */
    int (*read_log)(void *ctx, uint64_t n, uint8_t *buf);
    /* Write one block of the file system: 0 or -errno. */
    int (*write_fs)(void *ctx, uint64_t block, const uint8_t *buf);
    /* Scratch: two block buffers and room for JBD2_MAX_REVOKES revoke
     * records (ours to use for the call). */
    uint8_t *buf, *data;
    struct jbd2_revoke { uint64_t block; uint32_t seq; } *revokes;
};

struct jbd2_result {
    uint32_t transactions;      /* committed transactions replayed */
    uint32_t blocks;            /* blocks written home */
    uint32_t revoked;           /* blocks skipped because a later revoke named them */
    uint32_t next_sequence;     /* the sequence the journal goes on with */
};

/* Replay the log into the file system.  0 (nothing to do when the journal
 * is empty), -EINVAL (the journal is malformed, or something we cannot
 * replay: nothing was written), -EIO (a read or write failed on the way).
 * On 0 the caller writes the journal superblock back with
 * jbd2_mark_empty() and clears the file system's needs_recovery flag. */
int jbd2_replay(const struct jbd2_io *io, struct jbd2_result *res);

/* The journal superblock in sb (block 0 of the journal, as read) made empty
 * (s_start 0) with the given next sequence. */
void jbd2_mark_empty(uint8_t *sb, uint32_t next_sequence);
/* The same with the log starting at block `start` with `sequence` (its
 * checksum updated when the journal has CSUM_V2/V3): jbd2_write.c. */
void jbd2_set_log_start(uint8_t *sb, uint32_t start, uint32_t sequence);

#endif
