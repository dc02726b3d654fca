/*
 * jbd2_write.c - transactions into an ext4 journal (jbd2_write.h), written
 * from the JBD2 on-disk format as jbd2_replay.c reads it: a descriptor
 * block is a header (magic, type 1, sequence) then one tag per block copy
 * that follows it (the copy's home block number and flags; the first tag
 * is followed by the journal's UUID, the others say "same UUID"); the
 * last tag is flagged.  A copy whose first word is the JBD2 magic is
 * logged with that word zeroed and its tag flagged "escaped".  The commit
 * block is a header (type 2) and the time.  With CSUM_V2/V3 each tag holds
 * the CRC-32C of the sequence and its copy, and the descriptor and commit
 * blocks end with (or hold) the CRC-32C of themselves, all seeded with the
 * CRC-32C of the journal's UUID.  All numbers are big-endian.
 */
#include "jbd2_write.h"
#include "jbd2_replay.h"
#include "ext4_crc.h"
#include <errno.h>
#include <string.h>

#define JBD2_MAGIC 0xc03b3998u
#define T_DESCRIPTOR 1u
#define T_COMMIT 2u
#define T_SB_V1 3u
#define T_SB_V2 4u

#define F_REVOKE 0x1u
#define F_64BIT 0x2u
#define F_ASYNC_COMMIT 0x4u
#define F_CSUM_V2 0x8u
#define F_CSUM_V3 0x10u
#define F_WRITABLE (F_REVOKE | F_64BIT | F_ASYNC_COMMIT | F_CSUM_V2 | F_CSUM_V3)
#define COMPAT_CHECKSUM 0x1u    /* JBD2's v1 checksums: not written here */

#define TAG_ESCAPE 1u
#define TAG_SAME_UUID 2u
#define TAG_LAST 8u

#define HEADER_BYTES 12u
#define COMMIT_SEC 48u          /* offsets in the commit block */
#define COMMIT_NSEC 56u
#define COMMIT_CSUM 16u
#define SB_CHECKSUM_TYPE 0x50u  /* s_checksum_type in the journal superblock */
#define CHECKSUM_CRC32C 4u

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static bool has_csum(const struct jbd2_writer *w)
{
    return (w->incompat & (F_CSUM_V2 | F_CSUM_V3)) != 0;
}

static uint32_t tag_bytes(const struct jbd2_writer *w)
{
    if (w->incompat & F_CSUM_V3)
        return 16;
    return 8 + ((w->incompat & F_64BIT) ? 4 : 0) + ((w->incompat & F_CSUM_V2) ? 2 : 0);
}

/* Tags one descriptor block holds. */
static uint32_t tags_per_descriptor(const struct jbd2_writer *w)
{
    uint32_t space = w->block_size - HEADER_BYTES - (has_csum(w) ? 4 : 0);
    return 1 + (space - tag_bytes(w) - 16) / tag_bytes(w);
}

/* Log blocks of a transaction of n blocks: descriptors, copies, commit. */
static uint32_t txn_len(const struct jbd2_writer *w, uint32_t n)
{
    uint32_t per = tags_per_descriptor(w);
    return (n + per - 1) / per + n + 1;
}

uint32_t jbd2_max_blocks(const struct jbd2_writer *w)
{
    uint32_t half = (w->maxlen - w->first) / 2;
    uint32_t n = half;
    while (n > 0 && txn_len(w, n) > half)
        n--;
    return n;
}

int jbd2_writer_open(struct jbd2_writer *w, const uint8_t *sb, uint32_t block_size, uint64_t journal_blocks)
{
    memset(w, 0, sizeof *w);
    uint32_t type = be32(sb + 4);
    if (be32(sb) != JBD2_MAGIC || (type != T_SB_V1 && type != T_SB_V2) || block_size < 1024)
        return -EINVAL;
    w->block_size = block_size;
    w->maxlen = be32(sb + 16);
    w->first = be32(sb + 20);
    w->sequence = be32(sb + 24);
    w->incompat = type == T_SB_V2 ? be32(sb + 40) : 0;
    uint32_t compat = type == T_SB_V2 ? be32(sb + 36) : 0;
    if (be32(sb + 12) != block_size || w->maxlen > journal_blocks || w->first == 0 ||
        w->first >= w->maxlen || w->maxlen - w->first < 8 || be32(sb + 28) != 0 ||
        (w->incompat & ~F_WRITABLE) || (compat & COMPAT_CHECKSUM))
        return -EINVAL;
    memcpy(w->uuid, sb + 48, 16);
    w->csum_seed = ext2fs_crc32c_le(~0u, w->uuid, 16);
    w->head = w->first;
    return 0;
}

bool jbd2_enable_csum_v3(uint8_t *sb, bool wide)
{
    uint32_t incompat = be32(sb + 40);
    if (be32(sb) != JBD2_MAGIC || be32(sb + 4) != T_SB_V2 || be32(sb + 28) != 0 ||
        (incompat & (F_CSUM_V2 | F_CSUM_V3)) || (be32(sb + 36) & COMPAT_CHECKSUM))
        return false;
    put_be32(sb + 40, incompat | F_CSUM_V3 | (wide ? F_64BIT : 0));
    sb[SB_CHECKSUM_TYPE] = CHECKSUM_CRC32C;
    jbd2_set_log_start(sb, 0, be32(sb + 24));       /* the superblock's checksum */
    return true;
}

static uint32_t next_pos(const struct jbd2_writer *w, uint32_t pos)
{
    return pos + 1 >= w->maxlen ? w->first : pos + 1;
}

/* The CRC of a tag: the sequence, then the copy as logged. */
static uint32_t copy_csum(const struct jbd2_writer *w, uint32_t seq, const uint8_t *copy)
{
    uint8_t s[4];
    put_be32(s, seq);
    return ext2fs_crc32c_le(ext2fs_crc32c_le(w->csum_seed, s, 4), copy, w->block_size);
}

/* The tag of block `home` (copy `copy` as logged) at d + off; its size. */
static uint32_t put_tag(const struct jbd2_writer *w, uint8_t *d, uint32_t off, uint64_t home,
                        uint32_t flags, const uint8_t *copy)
{
    uint8_t *t = d + off;
    uint32_t csum = has_csum(w) ? copy_csum(w, w->sequence, copy) : 0;
    put_be32(t, (uint32_t)home);
    if (w->incompat & F_CSUM_V3) {
        put_be32(t + 4, flags);
        put_be32(t + 8, (uint32_t)(home >> 32));
        put_be32(t + 12, csum);
    } else {
        t[4] = (uint8_t)(csum >> 8);    /* CSUM_V2: the CRC's low 16 bits */
        t[5] = (uint8_t)csum;
        t[6] = (uint8_t)(flags >> 8);
        t[7] = (uint8_t)flags;
        if (w->incompat & F_64BIT)
            put_be32(t + 8, (uint32_t)(home >> 32));
    }
    uint32_t used = tag_bytes(w);
    if (!(flags & TAG_SAME_UUID)) {
        memcpy(t + used, w->uuid, 16);
        used += 16;
    }
    return used;
}

/* The checksum at the end of a descriptor block, or in a commit block. */
static void seal(const struct jbd2_writer *w, uint8_t *b, uint32_t at)
{
    if (!has_csum(w))
        return;
    put_be32(b + at, 0);
    put_be32(b + at, ext2fs_crc32c_le(w->csum_seed, b, w->block_size));
}

static void header(const struct jbd2_writer *w, uint8_t *b, uint32_t type)
{
    memset(b, 0, w->block_size);
    put_be32(b, JBD2_MAGIC);
    put_be32(b + 4, type);
    put_be32(b + 8, w->sequence);
}

/* Copies [from, to) after their descriptor, which starts at *pos.  The
 * descriptor is written first, so that the log is written in order (one
 * run of consecutive blocks the caller may send as one request). */
static int write_group(struct jbd2_writer *w, const struct jbd2_wio *io, uint32_t *pos, uint32_t from,
                       uint32_t to, const uint64_t *homes, uint8_t *const *datas)
{
    uint8_t *d = io->scratch;
    header(w, d, T_DESCRIPTOR);
    uint32_t off = HEADER_BYTES;
    for (uint32_t i = from; i < to; i++) {
        uint8_t *copy = datas[i];
        bool escape = be32(copy) == JBD2_MAGIC;
        if (escape)
            put_be32(copy, 0);          /* logged escaped; restored below */
        uint32_t flags = (i > from ? TAG_SAME_UUID : 0) | (i + 1 == to ? TAG_LAST : 0) |
                         (escape ? TAG_ESCAPE : 0);
        off += put_tag(w, d, off, homes[i], flags, copy);
        if (escape)
            put_be32(copy, JBD2_MAGIC);
    }
    seal(w, d, w->block_size - 4);
    int r = io->write_log(io->ctx, *pos, d);
    uint32_t p = next_pos(w, *pos);
    for (uint32_t i = from; i < to && !r; i++) {
        uint8_t *copy = datas[i];
        bool escape = be32(copy) == JBD2_MAGIC;
        if (escape)
            put_be32(copy, 0);
        r = io->write_log(io->ctx, p, copy);
        if (escape)
            put_be32(copy, JBD2_MAGIC);
        p = next_pos(w, p);
    }
    *pos = p;
    return r;
}

int jbd2_commit(struct jbd2_writer *w, const struct jbd2_wio *io, uint32_t n, const uint64_t *homes,
                uint8_t *const *datas, uint64_t now_s)
{
    if (n == 0)
        return 0;
    if (n > jbd2_max_blocks(w))
        return -EINVAL;
    for (uint32_t i = 0; i < n; i++)
        if (!(w->incompat & F_64BIT) && homes[i] >> 32)
            return -EINVAL;
    uint32_t start = w->head, pos = start, per = tags_per_descriptor(w);
    for (uint32_t i = 0; i < n; i += per) {
        int r = write_group(w, io, &pos, i, n - i < per ? n : i + per, homes, datas);
        if (r)
            return r;
    }
    int r = io->flush(io->ctx);
    if (r)
        return r;
    jbd2_set_log_start(io->sb, start, w->sequence);
    w->dirty = true;
    uint8_t *c = io->scratch;
    header(w, c, T_COMMIT);
    put_be32(c + COMMIT_SEC, (uint32_t)(now_s >> 32));
    put_be32(c + COMMIT_SEC + 4, (uint32_t)now_s);
    put_be32(c + COMMIT_NSEC, 0);
    seal(w, c, COMMIT_CSUM);
    if ((r = io->write_log(io->ctx, 0, io->sb)) || (r = io->write_log(io->ctx, pos, c)) ||
        (r = io->flush(io->ctx)))
        return r;
    w->head = next_pos(w, pos);
    w->sequence++;
    for (uint32_t i = 0; i < n; i++)
        if ((r = io->write_fs(io->ctx, homes[i], datas[i])))
            return r;
    return 0;
}

int jbd2_close(struct jbd2_writer *w, const struct jbd2_wio *io)
{
    int r = io->flush(io->ctx);
    if (r || !w->dirty)
        return r;
    jbd2_mark_empty(io->sb, w->sequence);
    if ((r = io->write_log(io->ctx, 0, io->sb)) || (r = io->flush(io->ctx)))
        return r;
    w->dirty = false;
    w->head = w->first;
    return 0;
}
