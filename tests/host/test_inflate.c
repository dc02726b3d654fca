/*
 * test_inflate.c - kernel/inflate.c against the host's zlib: streams zlib
 * makes (every level and strategy, stored/fixed/dynamic blocks, text,
 * code-like, random and empty data) must come back byte for byte; every
 * truncation, a too small output, trailing bytes and hand-made malformed
 * streams must be refused with the right code, never read or write outside
 * their buffers (ASan watches).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "check.h"
#include "inflate.h"

static struct fb_inflate_work work;

/* Raw DEFLATE of in[0..n) by zlib (windowBits -15) into a malloc'd buffer. */
static uint8_t *deflate_raw(const uint8_t *in, uint32_t n, int level, int strategy, uint32_t *out_n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 9, strategy) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, n) + 16;
    uint8_t *out = malloc(cap);
    z.next_in = (Bytef *)in;
    z.avail_in = n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    *out_n = (uint32_t)z.total_out;
    deflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* inflate into a buffer of exactly cap bytes (so ASan sees an overrun) */
static int run(const uint8_t *src, uint32_t n, uint32_t cap, uint8_t **dst, uint32_t *got)
{
    uint8_t *s = malloc(n ? n : 1);
    memcpy(s, src, n);
    *dst = malloc(cap ? cap : 1);
    int r = fb_inflate(&work, s, n, *dst, cap, got);
    free(s);
    return r;
}

static void fill_text(uint8_t *p, uint32_t n)
{
    static const char *words[] = {"the ", "beam ", "process ", "kernel ", "of ", "message ",
                                  "freebeam ", "and ", "a ", "image\n"};
    uint32_t seed = 7;
    for (uint32_t i = 0; i < n;) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 10];
        for (; *w && i < n; w++)
            p[i++] = (uint8_t)*w;
    }
}

static void fill_random(uint8_t *p, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (uint8_t)(seed >> 24);
    }
}

/* Code-like: little-endian words with a few common patterns and offsets. */
static void fill_code(uint8_t *p, uint32_t n)
{
    uint32_t seed = 99;
    for (uint32_t i = 0; i + 4 <= n; i += 4) {
        seed = seed * 1664525u + 1013904223u;
        uint32_t w = (seed >> 28) < 10 ? 0xe92d4000u | (seed >> 20 & 0xff) : 0xf8d00000u | (seed >> 8 & 0xfff);
        memcpy(p + i, &w, 4);
    }
}

static void round_trips(void)
{
    static const uint32_t sizes[] = {0, 1, 2, 3, 257, 4096, 70000, 140000};
    static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
    uint32_t bad = 0, cases = 0;
    for (unsigned kind = 0; kind < 4; kind++)
        for (unsigned si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            uint32_t n = sizes[si];
            uint8_t *in = malloc(n + 1);
            if (kind == 0) fill_text(in, n);
            else if (kind == 1) fill_random(in, n, n);
            else if (kind == 2) fill_code(in, n);
            else memset(in, 'z', n);
            for (int level = 0; level <= 9; level++)
                for (unsigned st = 0; st < sizeof strategies / sizeof strategies[0]; st++) {
                    uint32_t zn;
                    uint8_t *z = deflate_raw(in, n, level, strategies[st], &zn);
                    uint8_t *out = NULL;
                    uint32_t got = 0xdead;
                    cases++;
                    if (!z || run(z, zn, n, &out, &got) != 0 || got != n || memcmp(out, in, n)) {
                        bad++;
                        printf("  round trip failed: kind %u, %u bytes, level %d, strategy %u\n",
                               kind, n, level, st);
                    } else {
                        free(out);
                        /* room to spare is fine too */
                        if (run(z, zn, n + 100, &out, &got) != 0 || got != n)
                            bad++;
                    }
                    free(out);
                    free(z);
                }
            free(in);
        }
    CHECK(cases == 4 * 8 * 10 * 5);
    CHECK(bad == 0);
}

static void truncations_and_room(void)
{
    uint32_t n = 20000, zn;
    uint8_t *in = malloc(n);
    fill_text(in, n);
    uint8_t *z = deflate_raw(in, n, 6, Z_DEFAULT_STRATEGY, &zn);
    uint32_t wrong = 0;
    for (uint32_t cut = 0; cut < zn; cut++) {       /* every proper prefix is refused */
        uint8_t *out;
        uint32_t got;
        int r = run(z, cut, n, &out, &got);
        if (r == 0)
            wrong++;
        free(out);
    }
    CHECK(wrong == 0);

    uint8_t *out;
    uint32_t got;
    CHECK(run(z, zn, n - 1, &out, &got) == FB_INFLATE_TOO_LONG);   /* one byte short */
    free(out);
    CHECK(run(z, zn, 0, &out, &got) == FB_INFLATE_TOO_LONG);
    free(out);

    uint8_t *longer = malloc(zn + 1);
    memcpy(longer, z, zn);
    longer[zn] = 0;
    CHECK(run(longer, zn + 1, n, &out, &got) == FB_INFLATE_TRAILING);
    free(out);

    /* the stored-block path too: every prefix refused, one byte short refused */
    uint8_t *st = deflate_raw(in, 3000, 0, Z_DEFAULT_STRATEGY, &zn);
    wrong = 0;
    for (uint32_t cut = 0; cut < zn; cut++) {
        int r = run(st, cut, 3000, &out, &got);
        wrong += r == 0;
        free(out);
    }
    CHECK(wrong == 0);
    CHECK(run(st, zn, 2999, &out, &got) == FB_INFLATE_TOO_LONG);
    free(out);
    free(st);
    free(longer);
    free(z);
    free(in);
}

/* Hand-made streams, written bit by bit (LSB first). */
struct writer { uint8_t b[64]; uint32_t bit; };

static void put(struct writer *w, uint32_t v, uint32_t n)   /* n bits of v, lowest first */
{
    for (uint32_t i = 0; i < n; i++, w->bit++)
        if (v >> i & 1)
            w->b[w->bit / 8] |= (uint8_t)(1u << (w->bit % 8));
}

static void put_code(struct writer *w, uint32_t code, uint32_t n)   /* Huffman: highest first */
{
    for (uint32_t i = n; i-- > 0; w->bit++)
        if (code >> i & 1)
            w->b[w->bit / 8] |= (uint8_t)(1u << (w->bit % 8));
}

static int run_writer(const struct writer *w, uint32_t cap, uint32_t *got)
{
    uint8_t *out;
    int r = run(w->b, (w->bit + 7) / 8, cap, &out, got);
    free(out);
    return r;
}

/* A final fixed-code block: literal 'A' (0x41: 8-bit code 0x30 + 0x41),
 * length 3 (symbol 257: 7-bit code 1) at the distance of 5-bit code
 * dist_code (0: 1, 1: 2), end of block (7-bit code 0). */
static void fixed_a_match(struct writer *w, uint32_t dist_code)
{
    memset(w, 0, sizeof *w);
    put(w, 1, 1); put(w, 1, 2);
    put_code(w, 0x30 + 'A', 8);
    put_code(w, 1, 7); put_code(w, dist_code, 5);
    put_code(w, 0, 7);
}

static void malformed(void)
{
    struct writer w;
    uint32_t got;

    memset(&w, 0, sizeof w);                   /* final, type 3 */
    put(&w, 1, 1); put(&w, 3, 2);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_BLOCK);

    memset(&w, 0, sizeof w);                   /* stored, LEN 5, NLEN not its complement */
    put(&w, 1, 1); put(&w, 0, 2); w.bit = 8;
    put(&w, 5, 16); put(&w, 0xfffb, 16);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_STORED);

    memset(&w, 0, sizeof w);                   /* stored, empty: fine */
    put(&w, 1, 1); put(&w, 0, 2); w.bit = 8;
    put(&w, 0, 16); put(&w, 0xffff, 16);
    CHECK(run_writer(&w, 0, &got) == 0 && got == 0);

    /* Fixed block: literal 'A', a match of length 3 at distance 2: it
     * reaches before the output's start. */
    fixed_a_match(&w, 1);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_DIST);

    /* The same at distance 1: "AAAA". */
    fixed_a_match(&w, 0);
    CHECK(run_writer(&w, 4, &got) == 0 && got == 4);
    CHECK(run_writer(&w, 3, &got) == FB_INFLATE_TOO_LONG);

    /* The same with distance symbol 30 (5-bit code 30). */
    fixed_a_match(&w, 30);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_SYMBOL);

    /* Fixed block with length symbol 286 (8-bit code 0xc6). */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 1, 2);
    put_code(&w, 0xc0 + 286 - 280, 8);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_SYMBOL);

    /* Dynamic block with HLIT 30 (287 literal/length codes): too many. */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 2, 2); put(&w, 30, 5); put(&w, 0, 5); put(&w, 0, 4);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_CODE);

    /* Dynamic block whose code length code is over-subscribed: three
     * symbols (16, 17, 18) of length 1. */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 2, 2); put(&w, 0, 5); put(&w, 0, 5); put(&w, 0, 4);
    put(&w, 1, 3); put(&w, 1, 3); put(&w, 1, 3); put(&w, 0, 3);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_CODE);

    /* Dynamic block starting its lengths with "repeat the previous" (16):
     * code length code: symbols 16 and 0 of length 1 (codes 0 and 1). */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 2, 2); put(&w, 0, 5); put(&w, 0, 5); put(&w, 0, 4);
    put(&w, 1, 3); put(&w, 0, 3); put(&w, 0, 3); put(&w, 1, 3);   /* 16: 1, 17: 0, 18: 0, 0: 1 */
    put_code(&w, 1, 1);                                          /* 16 (code 1; 0 is code 0) first */
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_CODE);

    /* Lengths repeated past their count (257 + 1): 138 + 121 zeros. */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 2, 2); put(&w, 0, 5); put(&w, 0, 5); put(&w, 0, 4);
    put(&w, 0, 3); put(&w, 0, 3); put(&w, 1, 3); put(&w, 1, 3);   /* 18: 1, 0: 1 */
    put_code(&w, 1, 1); put(&w, 127, 7);                         /* 18: 138 zeros */
    put_code(&w, 1, 1); put(&w, 110, 7);                         /* 18: 121 zeros */
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_CODE);
    /* Exactly 258 zeros: no end-of-block code, so the block cannot end. */
    memset(&w, 0, sizeof w);
    put(&w, 1, 1); put(&w, 2, 2); put(&w, 0, 5); put(&w, 0, 5); put(&w, 0, 4);
    put(&w, 0, 3); put(&w, 0, 3); put(&w, 1, 3); put(&w, 1, 3);
    put_code(&w, 1, 1); put(&w, 127, 7);
    put_code(&w, 1, 1); put(&w, 109, 7);
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_BAD_CODE);

    memset(&w, 0, sizeof w);                   /* nothing at all */
    CHECK(run_writer(&w, 10, &got) == FB_INFLATE_TRUNCATED);

    CHECK_STR(fb_inflate_strerror(FB_INFLATE_TRAILING), "bytes after the final block");
    CHECK_STR(fb_inflate_strerror(12345), "unknown error");
}

/* Flipped bits in a real stream: any result but a crash (ASan) is fine. */
static void corruptions(void)
{
    uint32_t n = 8000, zn;
    uint8_t *in = malloc(n);
    fill_code(in, n);
    uint8_t *z = deflate_raw(in, n, 9, Z_DEFAULT_STRATEGY, &zn);
    uint32_t refused = 0, runs = 0;
    for (uint32_t i = 0; i < zn; i += 3) {
        z[i] ^= (uint8_t)(1u << (i % 8));
        uint8_t *out;
        uint32_t got;
        refused += run(z, zn, n, &out, &got) != 0;
        runs++;
        free(out);
        z[i] ^= (uint8_t)(1u << (i % 8));
    }
    printf("  %u of %u corrupted streams refused\n", refused, runs);
    CHECK(runs > 100 && refused > 0);
    free(z);
    free(in);
}

int main(void)
{
    round_trips();
    truncations_and_room();
    malformed();
    corruptions();
    return check_report("test_inflate");
}
