/*
 * jbd2_replay.c - recovery of an ext4 journal (jbd2_replay.h), written
 * from the JBD2 on-disk format: a journal superblock at block 0, then a
 * circular log from s_first to s_maxlen - 1 where each transaction is
 * descriptor blocks (each a list of tags: the home block number of each
 * block copy that follows), revoke blocks (home blocks whose older copies
 * must not be replayed) and one commit block.  Every block of the log
 * starts with a header: magic, type, the transaction's sequence.
 *
 * Three passes over the log from s_start: the first finds the last
 * committed transaction (and checks every tag of the committed ones
 * before anything is written); the second collects the revokes; the third
 * writes the block copies home, skipping those revoked by the same or a
 * later transaction.  All numbers in the log are big-endian.
 */
#include "jbd2_replay.h"
#include "ext4_crc.h"
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define JBD2_MAGIC 0xc03b3998u
#define T_DESCRIPTOR 1u
#define T_COMMIT 2u
#define T_SB_V1 3u
#define T_SB_V2 4u
#define T_REVOKE 5u

#define F_REVOKE 0x1u
#define F_64BIT 0x2u
#define F_ASYNC_COMMIT 0x4u
#define F_CSUM_V2 0x8u
#define F_CSUM_V3 0x10u
#define F_KNOWN (F_REVOKE | F_64BIT | F_ASYNC_COMMIT | F_CSUM_V2 | F_CSUM_V3)   /* not fast commits */

#define TAG_ESCAPE 1u
#define TAG_SAME_UUID 2u
#define TAG_LAST 8u

#define SB_BYTES 1024u          /* the journal superblock's size (its checksum covers it) */
#define SB_CHECKSUM 0xfcu       /* offset of s_checksum */
#define SB_UUID 0x30u
#define COMMIT_CSUM 16u         /* offset of a commit block's checksum */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

struct log {
    const struct jbd2_io *io;
    uint32_t first, maxlen, incompat;
    size_t tag_bytes, tail;     /* bytes per tag; checksum tail of descriptor and revoke blocks */
    uint32_t nrevokes;
    uint32_t csum_seed;         /* CRC-32C of the journal's UUID, with CSUM_V2/V3 */
};

enum pass { SCAN, REVOKES, REPLAY };

static uint32_t next_pos(const struct log *l, uint32_t pos)
{
    return pos + 1 >= l->maxlen ? l->first : pos + 1;
}

/* The tag at *off of descriptor block b: its home block and flags, *off
 * moved past it (and its UUID).  False when no whole tag is left. */
static bool next_tag(const struct log *l, const uint8_t *b, size_t *off, uint64_t *blk, uint32_t *flags)
{
    size_t end = l->io->block_size - l->tail;
    if (*off + l->tag_bytes > end)
        return false;
    const uint8_t *t = b + *off;
    bool wide = (l->incompat & F_64BIT) != 0;
    if (l->incompat & F_CSUM_V3) {
        *blk = be32(t) | (wide ? (uint64_t)be32(t + 8) << 32 : 0);
        *flags = be32(t + 4);
    } else {
        *blk = be32(t) | (wide ? (uint64_t)be32(t + 8) << 32 : 0);
        *flags = be16(t + 6);
    }
    *off += l->tag_bytes;
    if (!(*flags & TAG_SAME_UUID))
        *off += 16;
    return true;
}

/* A commit block's own checksum (CSUM_V2/V3: the CRC-32C of the block with
 * its checksum field zeroed, seeded with the UUID's); true without them. */
static bool commit_sound(const struct log *l, uint8_t *b)
{
    if (!l->tail)
        return true;
    uint32_t want = be32(b + COMMIT_CSUM);
    put_be32(b + COMMIT_CSUM, 0);
    bool ok = ext2fs_crc32c_le(l->csum_seed, b, l->io->block_size) == want;
    put_be32(b + COMMIT_CSUM, want);
    return ok;
}

static bool revoked(const struct log *l, uint64_t blk, uint32_t seq)
{
    for (uint32_t i = 0; i < l->nrevokes; i++)
        if (l->io->revokes[i].block == blk && (int32_t)(l->io->revokes[i].seq - seq) >= 0)
            return true;
    return false;
}

static int add_revokes(struct log *l, const uint8_t *b, uint32_t seq)
{
    uint32_t count = be32(b + 12);      /* bytes used, header included */
    size_t rec = (l->incompat & F_64BIT) ? 8 : 4;
    if (count < 16 || count > l->io->block_size - l->tail)
        return -EINVAL;
    for (size_t off = 16; off + rec <= count; off += rec) {
        uint64_t blk = rec == 8 ? (uint64_t)be32(b + off) << 32 | be32(b + off + 4) : be32(b + off);
        uint32_t i = 0;
        while (i < l->nrevokes && l->io->revokes[i].block != blk)
            i++;
        if (i == l->nrevokes) {
            if (l->nrevokes == JBD2_MAX_REVOKES)
                return -EINVAL;
            l->io->revokes[l->nrevokes++] = (struct jbd2_revoke){ blk, seq };
        } else if ((int32_t)(seq - l->io->revokes[i].seq) > 0) {
            l->io->revokes[i].seq = seq;
        }
    }
    return 0;
}

/* One block copy of a descriptor: replayed home unless revoked. */
static int replay_one(struct log *l, uint32_t pos, uint64_t blk, uint32_t flags, uint32_t seq,
                      struct jbd2_result *res)
{
    const struct jbd2_io *io = l->io;
    if (revoked(l, blk, seq)) {
        res->revoked++;
        return 0;
    }
    if (io->read_log(io->ctx, pos, io->data))
        return -EIO;
    if (flags & TAG_ESCAPE)
        put_be32(io->data, JBD2_MAGIC);
    if (io->write_fs(io->ctx, blk, io->data))
        return -EIO;
    res->blocks++;
    return 0;
}

/* One pass from (start, seq0).  SCAN sets *end_seq to one past the last
 * committed transaction and fails if a committed one has a bad tag; the
 * other passes stop at *end_seq. */
static int walk(struct log *l, enum pass pass, uint32_t start, uint32_t seq0, uint32_t *end_seq,
                struct jbd2_result *res)
{
    const struct jbd2_io *io = l->io;
    uint32_t pos = start, seq = seq0, bad_seq = 0;
    bool bad = false;
    uint64_t steps = 0;
    while (steps < l->maxlen) {
        if (pass != SCAN && seq == *end_seq)
            break;
        if (io->read_log(io->ctx, pos, io->buf))
            return -EIO;
        if (be32(io->buf) != JBD2_MAGIC || be32(io->buf + 8) != seq)
            break;
        uint32_t type = be32(io->buf + 4);
        pos = next_pos(l, pos);
        steps++;
        if (type == T_COMMIT) {
            if (pass == SCAN && !commit_sound(l, io->buf))
                break;          /* torn: this transaction and the rest do not count */
            seq++;
            if (pass == SCAN)
                *end_seq = seq;
            else if (pass == REPLAY)
                res->transactions++;
        } else if (type == T_REVOKE) {
            if (pass == REVOKES) {
                int r = add_revokes(l, io->buf, seq);
                if (r)
                    return r;
            }
        } else if (type == T_DESCRIPTOR) {
            size_t off = 12;
            uint64_t blk;
            uint32_t flags;
            while (steps < l->maxlen && next_tag(l, io->buf, &off, &blk, &flags)) {
                if (blk >= io->fs_blocks) {
                    if (!bad)
                        bad_seq = seq;
                    bad = true;
                } else if (pass == REPLAY) {
                    int r = replay_one(l, pos, blk, flags, seq, res);
                    if (r)
                        return r;
                }
                pos = next_pos(l, pos);
                steps++;
                if (flags & TAG_LAST)
                    break;
            }
        } else {
            break;              /* a superblock or an unknown type inside the log: its end */
        }
    }
    if (pass == SCAN && bad && (int32_t)(bad_seq - *end_seq) < 0)
        return -EINVAL;         /* a committed transaction names a block outside the file system */
    return 0;
}

int jbd2_replay(const struct jbd2_io *io, struct jbd2_result *res)
{
    memset(res, 0, sizeof *res);
    if (io->block_size < SB_BYTES || io->journal_blocks < 2)
        return -EINVAL;
    if (io->read_log(io->ctx, 0, io->buf))
        return -EIO;
    const uint8_t *sb = io->buf;
    uint32_t type = be32(sb + 4);
    if (be32(sb) != JBD2_MAGIC || (type != T_SB_V1 && type != T_SB_V2))
        return -EINVAL;
    struct log l = { .io = io };
    uint32_t bs = be32(sb + 12), seq = be32(sb + 24), start = be32(sb + 28);
    l.maxlen = be32(sb + 16);
    l.first = be32(sb + 20);
    l.incompat = type == T_SB_V2 ? be32(sb + 40) : 0;
    res->next_sequence = seq;
    if (bs != io->block_size || l.maxlen > io->journal_blocks || l.first == 0 || l.first >= l.maxlen)
        return -EINVAL;
    if (start == 0)
        return 0;               /* empty: nothing to replay */
    if (start < l.first || start >= l.maxlen || (l.incompat & ~F_KNOWN))
        return -EINVAL;
    bool csum = (l.incompat & (F_CSUM_V2 | F_CSUM_V3)) != 0;
    l.tail = csum ? 4 : 0;
    l.csum_seed = ext2fs_crc32c_le(~0u, sb + SB_UUID, 16);
    if (l.incompat & F_CSUM_V3)
        l.tag_bytes = 16;
    else
        l.tag_bytes = 8 + ((l.incompat & F_64BIT) ? 4 : 0) + ((l.incompat & F_CSUM_V2) ? 2 : 0);

    uint32_t end_seq = seq;
    int r = walk(&l, SCAN, start, seq, &end_seq, res);
    if (!r)
        r = walk(&l, REVOKES, start, seq, &end_seq, res);
    if (!r)
        r = walk(&l, REPLAY, start, seq, &end_seq, res);
    if (!r)
        res->next_sequence = end_seq;
    return r;
}

void jbd2_mark_empty(uint8_t *sb, uint32_t next_sequence)
{
    jbd2_set_log_start(sb, 0, next_sequence);
}

void jbd2_set_log_start(uint8_t *sb, uint32_t start, uint32_t sequence)
{
    put_be32(sb + 24, sequence);
    put_be32(sb + 28, start);
    if (be32(sb + 4) == T_SB_V2 && (be32(sb + 40) & (F_CSUM_V2 | F_CSUM_V3))) {
        put_be32(sb + SB_CHECKSUM, 0);
        put_be32(sb + SB_CHECKSUM, ext2fs_crc32c_le(~0u, sb, SB_BYTES));
    }
}
