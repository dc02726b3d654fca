/*
 * jbd2_build.h - makes JBD2 journals in memory for the tests of
 * libos/jbd2_replay.c (tests/host/test_jbd2_replay.c) and the seed of its
 * fuzzer (tests/fuzz/gen_jbd2_seed.c): a journal of JB_BLOCKS blocks of
 * JB_BS bytes, a superblock (v2) and log blocks written one after the other.
 */
#ifndef JBD2_BUILD_H
#define JBD2_BUILD_H

#include <stdint.h>
#include <string.h>

#define JB_BS 1024u
#define JB_BLOCKS 32u
#define JB_MAGIC 0xc03b3998u

struct jb {
    uint8_t log[JB_BLOCKS][JB_BS];
    uint32_t pos, maxlen, first, incompat;
};

static inline void jb_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static inline void jb_hdr(uint8_t *b, uint32_t type, uint32_t seq)
{
    jb_be32(b, JB_MAGIC);
    jb_be32(b + 4, type);
    jb_be32(b + 8, seq);
}

/* A journal with its log starting at block `start` with sequence seq
 * (start 0: empty). */
static inline void jb_init(struct jb *j, uint32_t start, uint32_t seq, uint32_t incompat)
{
    memset(j, 0, sizeof *j);
    j->maxlen = JB_BLOCKS;
    j->first = 1;
    j->incompat = incompat;
    j->pos = start ? start : 1;
    uint8_t *sb = j->log[0];
    jb_hdr(sb, 4, 0);
    jb_be32(sb + 12, JB_BS);
    jb_be32(sb + 16, j->maxlen);
    jb_be32(sb + 20, j->first);
    jb_be32(sb + 24, seq);
    jb_be32(sb + 28, start);
    jb_be32(sb + 40, incompat);
}

static inline uint8_t *jb_next(struct jb *j)
{
    uint8_t *b = j->log[j->pos];
    j->pos = j->pos + 1 >= j->maxlen ? j->first : j->pos + 1;
    return b;
}

/* A descriptor naming n home blocks, then n copies of `fill` (first four
 * bytes: the magic when escape, which the tag then flags). */
static inline void jb_desc(struct jb *j, uint32_t seq, const uint64_t *blocks, unsigned n, uint8_t fill, int escape)
{
    uint8_t *d = jb_next(j);
    jb_hdr(d, 1, seq);
    size_t off = 12;
    int v3 = (j->incompat & 0x10) != 0, wide = (j->incompat & 0x2) != 0;
    size_t tag = v3 ? 16 : 8 + (wide ? 4 : 0) + ((j->incompat & 0x8) ? 2 : 0);
    for (unsigned i = 0; i < n; i++) {
        uint32_t flags = (i > 0 ? 2u : 0u) | (i + 1 == n ? 8u : 0u) | (escape ? 1u : 0u);
        jb_be32(d + off, (uint32_t)blocks[i]);
        if (v3) {
            jb_be32(d + off + 4, flags);
            jb_be32(d + off + 8, (uint32_t)(blocks[i] >> 32));
        } else {
            d[off + 6] = (uint8_t)(flags >> 8);
            d[off + 7] = (uint8_t)flags;
            if (wide)
                jb_be32(d + off + 8, (uint32_t)(blocks[i] >> 32));
        }
        off += tag + (i == 0 ? 16 : 0);
    }
    for (unsigned i = 0; i < n; i++) {
        uint8_t *b = jb_next(j);
        memset(b, fill, JB_BS);
        if (escape)
            jb_be32(b, 0);      /* the escaped magic is stored as zeroes */
    }
}

/* CRC-32C bit by bit, no inversion (as ext2fs_crc32c_le): an independent
 * copy, so that the tests do not check libos's CRC against itself. */
static inline uint32_t jb_crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
    }
    return crc;
}

/* A commit block; with CSUM_V2/V3 its checksum (seeded with the UUID's). */
static inline void jb_commit(struct jb *j, uint32_t seq)
{
    uint8_t *c = jb_next(j);
    jb_hdr(c, 2, seq);
    if (j->incompat & 0x18)
        jb_be32(c + 16, jb_crc32c(jb_crc32c(~0u, j->log[0] + 48, 16), c, JB_BS));
}

static inline void jb_revoke(struct jb *j, uint32_t seq, const uint64_t *blocks, unsigned n)
{
    uint8_t *r = jb_next(j);
    jb_hdr(r, 5, seq);
    int wide = (j->incompat & 0x2) != 0;
    size_t off = 16;
    for (unsigned i = 0; i < n; i++) {
        if (wide) {
            jb_be32(r + off, (uint32_t)(blocks[i] >> 32));
            jb_be32(r + off + 4, (uint32_t)blocks[i]);
            off += 8;
        } else {
            jb_be32(r + off, (uint32_t)blocks[i]);
            off += 4;
        }
    }
    jb_be32(r + 12, (uint32_t)off);
}

#endif
