/*
 * inflate.c - raw DEFLATE (RFC 1951) decoding, for the image's compressed
 * PD segments and region contents (inflate.h says what it promises).
 *
 * Plain and bounded: a bit buffer filled a byte at a time from the input
 * (never past its end), canonical Huffman codes decoded with one table
 * look-up for codes of up to FB_INFLATE_FAST_BITS bits and a bit-by-bit
 * walk for longer ones, and every length, distance and count checked
 * against what the stream, the output and the format allow.
 */
#include <stdint.h>
#include "inflate.h"
#include "lib.h"

#define FAST_MASK ((1u << FB_INFLATE_FAST_BITS) - 1)
#define MAX_LIT 286    /* literal/length symbols a dynamic block may describe */
#define MAX_DIST 30    /* distance symbols */

struct bits {
    const uint8_t *src;
    uint32_t len;      /* bytes of src */
    uint32_t pos;      /* next byte to load */
    uint32_t buf;      /* loaded bits not yet used, the next one lowest */
    uint32_t cnt;      /* how many bits buf holds */
};

/* The hot helpers are always inlined, so that a caller's local copy of
 * its bit buffer stays in registers (stores to the output could otherwise
 * alias it). */
#define HOT static inline __attribute__((always_inline))

/* Load whole bytes while they fit: at least 25 bits unless the input ends.
 * With 4 bytes left, in one go: the bits above cnt may then hold the start
 * of the next byte, which its own load later ORs in again unchanged. */
HOT void refill(struct bits *b)
{
    if (b->cnt > 24)
        return;
    if (b->len - b->pos >= 4) {
        const uint8_t *p = b->src + b->pos;
        uint32_t w = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        b->buf |= w << b->cnt;
        b->pos += (31 - b->cnt) >> 3;
        b->cnt |= 24;
        return;
    }
    while (b->cnt <= 24 && b->pos < b->len) {
        b->buf |= (uint32_t)b->src[b->pos++] << b->cnt;
        b->cnt += 8;
    }
}

/* The next n (0..16) bits as a number, first bit lowest. */
HOT int getbits(struct bits *b, uint32_t n, uint32_t *v)
{
    if (b->cnt < n) {
        refill(b);
        if (b->cnt < n)
            return FB_INFLATE_TRUNCATED;
    }
    *v = b->buf & ((1u << n) - 1);
    b->buf >>= n;
    b->cnt -= n;
    return 0;
}

static uint32_t reverse(uint32_t code, uint32_t len)
{
    uint32_t r = 0;
    for (uint32_t i = 0; i < len; i++, code >>= 1)
        r = (r << 1) | (code & 1);
    return r;
}

/* The canonical code of lengths[0..n) (each 0..15; 0: symbol unused).
 * An incomplete code is accepted (a missing code is found when decoded);
 * an over-subscribed one is not. */
static int build(struct fb_huffman *h, const uint8_t *lengths, uint32_t n)
{
    uint16_t next[16];
    memset(h->count, 0, sizeof h->count);
    for (uint32_t i = 0; i < n; i++)
        h->count[lengths[i]]++;
    h->count[0] = 0;
    int32_t left = 1;                  /* codes of the current length still free */
    for (uint32_t len = 1; len < 16; len++) {
        left = left * 2 - h->count[len];
        if (left < 0)
            return FB_INFLATE_BAD_CODE;
    }
    next[1] = 0;
    for (uint32_t len = 1; len < 15; len++)
        next[len + 1] = (uint16_t)(next[len] + h->count[len]);
    h->coded = (uint16_t)(next[15] + h->count[15]);
    for (uint32_t i = 0; i < n; i++)
        if (lengths[i])
            h->symbol[next[lengths[i]]++] = (uint16_t)i;

    memset(h->fast, 0, sizeof h->fast);
    uint32_t code = 0, idx = 0;
    for (uint32_t len = 1; len <= FB_INFLATE_FAST_BITS; len++, code <<= 1)
        for (uint32_t k = 0; k < h->count[len]; k++, code++) {
            uint16_t entry = (uint16_t)(h->symbol[idx++] << 4 | len);
            for (uint32_t j = reverse(code, len); j <= FAST_MASK; j += 1u << len)
                h->fast[j] = entry;
        }
    return 0;
}

/* A code longer than the table's, from the buffered bits (cnt of them):
 * symbol << 4 | length, or a negative FB_INFLATE_* code.  Codes of each
 * length are consecutive numbers from `first`, their symbols from `index`. */
static int decode_long(uint32_t buf, uint32_t cnt, const struct fb_huffman *h)
{
    int32_t code = 0, first = 0, index = 0;
    for (uint32_t len = 1; len < 16; len++) {
        if (len > cnt)
            return FB_INFLATE_TRUNCATED;
        code |= (int32_t)((buf >> (len - 1)) & 1);
        int32_t count = h->count[len];
        if (code - first < count)
            return h->symbol[index + code - first] << 4 | (int)len;
        index += count;
        if (index >= h->coded)             /* no longer codes: not a code at all */
            return FB_INFLATE_BAD_SYMBOL;
        first = (first + count) << 1;
        code <<= 1;
    }
    return FB_INFLATE_BAD_SYMBOL;
}

/* The next symbol of code h, or a negative FB_INFLATE_* code. */
HOT int decode(struct bits *b, const struct fb_huffman *h)
{
    refill(b);
    uint32_t e = h->fast[b->buf & FAST_MASK];
    if (!e) {
        int r = decode_long(b->buf, b->cnt, h);
        if (r < 0)
            return r;
        e = (uint32_t)r;
    }
    uint32_t len = e & 15;
    if (len > b->cnt)
        return FB_INFLATE_TRUNCATED;
    b->buf >>= len;
    b->cnt -= len;
    return (int)(e >> 4);
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* One Huffman-coded block's symbols, appended at dst[*out]; the bit
 * buffer is a local copy meanwhile (see HOT). */
static int symbols(struct bits *bp, const struct fb_inflate_work *w, uint8_t *dst, uint32_t cap,
                   uint32_t *out)
{
    struct bits bl = *bp, *b = &bl;
    uint32_t o = *out;
    int r = 0;
    for (;;) {
        int sym = decode(b, &w->lit);
        if (sym < 256) {
            if (sym < 0) {
                r = sym;
                break;
            }
            if (o == cap) {
                r = FB_INFLATE_TOO_LONG;
                break;
            }
            dst[o++] = (uint8_t)sym;
            continue;
        }
        if (sym == 256)
            break;
        sym -= 257;
        if (sym >= 29) {
            r = FB_INFLATE_BAD_SYMBOL;
            break;
        }
        uint32_t x, n;
        if ((r = getbits(b, len_extra[sym], &x)))
            break;
        n = len_base[sym] + x;
        int ds = decode(b, &w->dist);
        if (ds < 0 || ds >= MAX_DIST) {
            r = ds < 0 ? ds : FB_INFLATE_BAD_SYMBOL;
            break;
        }
        if ((r = getbits(b, dist_extra[ds], &x)))
            break;
        uint32_t d = dist_base[ds] + x;
        if (d > o) {
            r = FB_INFLATE_BAD_DIST;
            break;
        }
        if (n > cap - o) {
            r = FB_INFLATE_TOO_LONG;
            break;
        }
        uint8_t *p = dst + o;
        const uint8_t *q = p - d;           /* may overlap p: byte by byte */
        for (uint32_t i = 0; i < n; i++)
            p[i] = q[i];
        o += n;
    }
    *bp = bl;
    *out = o;
    return r;
}

static int stored(struct bits *b, uint8_t *dst, uint32_t cap, uint32_t *out)
{
    /* To the byte boundary, then give back the whole bytes buffered. */
    b->cnt -= b->cnt & 7;
    b->pos -= b->cnt / 8;
    b->buf = 0;
    b->cnt = 0;
    if (b->len - b->pos < 4)
        return FB_INFLATE_TRUNCATED;
    const uint8_t *s = b->src + b->pos;
    uint32_t n = s[0] | (uint32_t)s[1] << 8, inv = s[2] | (uint32_t)s[3] << 8;
    if (n != (~inv & 0xffffu))
        return FB_INFLATE_BAD_STORED;
    b->pos += 4;
    if (n > b->len - b->pos)
        return FB_INFLATE_TRUNCATED;
    if (n > cap - *out)
        return FB_INFLATE_TOO_LONG;
    memcpy(dst + *out, b->src + b->pos, n);
    b->pos += n;
    *out += n;
    return 0;
}

static int fixed(struct fb_inflate_work *w)
{
    uint8_t lengths[288];
    uint32_t i = 0;
    for (; i < 144; i++) lengths[i] = 8;
    for (; i < 256; i++) lengths[i] = 9;
    for (; i < 280; i++) lengths[i] = 7;
    for (; i < 288; i++) lengths[i] = 8;
    int r = build(&w->lit, lengths, 288);
    for (i = 0; i < MAX_DIST; i++)
        lengths[i] = 5;
    return r ? r : build(&w->dist, lengths, MAX_DIST);
}

static int dynamic(struct bits *b, struct fb_inflate_work *w)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    uint8_t lengths[MAX_LIT + MAX_DIST];
    uint32_t hlit, hdist, hclen, x;
    int r;
    if ((r = getbits(b, 5, &hlit)) || (r = getbits(b, 5, &hdist)) || (r = getbits(b, 4, &hclen)))
        return r;
    uint32_t nlit = hlit + 257, ndist = hdist + 1, total = nlit + ndist;
    if (nlit > MAX_LIT || ndist > MAX_DIST)
        return FB_INFLATE_BAD_CODE;
    for (uint32_t i = 0; i < 19; i++) {
        x = 0;
        if (i < hclen + 4 && (r = getbits(b, 3, &x)))
            return r;
        lengths[order[i]] = (uint8_t)x;
    }
    if ((r = build(&w->lens, lengths, 19)))
        return r;
    for (uint32_t i = 0; i < total;) {
        int sym = decode(b, &w->lens);
        if (sym < 0)
            return sym;
        if (sym < 16) {
            lengths[i++] = (uint8_t)sym;
            continue;
        }
        uint8_t value = 0;
        uint32_t repeat;
        if (sym == 16) {                       /* the previous length, 3..6 times */
            if (i == 0)
                return FB_INFLATE_BAD_CODE;
            value = lengths[i - 1];
            r = getbits(b, 2, &x);
            repeat = 3 + x;
        } else if (sym == 17) {                /* zero, 3..10 times */
            r = getbits(b, 3, &x);
            repeat = 3 + x;
        } else {                               /* zero, 11..138 times */
            r = getbits(b, 7, &x);
            repeat = 11 + x;
        }
        if (r)
            return r;
        if (repeat > total - i)
            return FB_INFLATE_BAD_CODE;
        while (repeat--)
            lengths[i++] = value;
    }
    if (lengths[256] == 0)                     /* no end of block: the block cannot end */
        return FB_INFLATE_BAD_CODE;
    if ((r = build(&w->lit, lengths, nlit)))
        return r;
    return build(&w->dist, lengths + nlit, ndist);
}

int fb_inflate(struct fb_inflate_work *w, const uint8_t *src, uint32_t src_len,
               uint8_t *dst, uint32_t dst_cap, uint32_t *out_len)
{
    struct bits b = {src, src_len, 0, 0, 0};
    uint32_t out = 0, last, type;
    do {
        int r;
        if ((r = getbits(&b, 1, &last)) || (r = getbits(&b, 2, &type)))
            return r;
        if (type == 0)
            r = stored(&b, dst, dst_cap, &out);
        else if (type == 1)
            r = fixed(w);
        else if (type == 2)
            r = dynamic(&b, w);
        else
            return FB_INFLATE_BAD_BLOCK;
        if (!r && type != 0)
            r = symbols(&b, w, dst, dst_cap, &out);
        if (r)
            return r;
    } while (!last);
    /* Only the final byte's unused bits may remain. */
    if (b.len - b.pos + b.cnt / 8 != 0)
        return FB_INFLATE_TRAILING;
    *out_len = out;
    return 0;
}

const char *fb_inflate_strerror(int err)
{
    switch (err) {
    case 0: return "no error";
    case FB_INFLATE_TRUNCATED: return "the compressed data ends early";
    case FB_INFLATE_BAD_BLOCK: return "a block of the reserved type 3";
    case FB_INFLATE_BAD_STORED: return "a stored block's length does not match its complement";
    case FB_INFLATE_BAD_CODE: return "bad Huffman code lengths";
    case FB_INFLATE_BAD_SYMBOL: return "a code that is not in its Huffman code";
    case FB_INFLATE_BAD_DIST: return "a distance before the start of the output";
    case FB_INFLATE_TOO_LONG: return "more output than its room";
    case FB_INFLATE_TRAILING: return "bytes after the final block";
    default: return "unknown error";
    }
}
