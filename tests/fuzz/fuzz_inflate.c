/*
 * fuzz_inflate.c - libFuzzer target for the kernel's DEFLATE decoder
 * (kernel/inflate.c), which reads the image's compressed segments and
 * region contents: any bytes must give an error code or an output inside
 * the room given, never a read or write outside the buffers (ASan) nor a
 * hang.  Checked against the host's zlib too: when zlib decodes the whole
 * input and the output fits, the decoder must give the same bytes (it may
 * accept more than zlib: an incomplete Huffman code, as long as the stream
 * never uses a missing code).  The first two bytes give the
 * output's room (0..65535), the rest is the stream.  Seeds:
 * build/fuzz/inflate-corpus/ (made by tests/host/host.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fb_inflate_work work;

/* zlib's raw inflate: 1 and *n if the stream ends exactly at the end of
 * src and fits in cap bytes; 0 otherwise. */
static int zlib_inflate(const uint8_t *src, uint32_t len, uint8_t *dst, uint32_t cap, uint32_t *n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -15) != Z_OK)
        return 0;
    z.next_in = (Bytef *)src;
    z.avail_in = len;
    z.next_out = dst;
    z.avail_out = cap;
    int r = inflate(&z, Z_FINISH);
    int ok = r == Z_STREAM_END && z.avail_in == 0;
    *n = (uint32_t)z.total_out;
    inflateEnd(&z);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > (1u << 20))
        return 0;
    uint32_t cap = data[0] | (uint32_t)data[1] << 8, len = (uint32_t)(size - 2);
    /* Exact-size copies, so that ASan sees any overrun. */
    uint8_t *src = malloc(len ? len : 1), *dst = malloc(cap ? cap : 1), *ref = malloc(cap ? cap : 1);
    if (!src || !dst || !ref)
        abort();
    memcpy(src, data + 2, len);
    uint32_t got = 0, want = 0;
    int r = fb_inflate(&work, src, len, dst, cap, &got);
    int zr = zlib_inflate(src, len, ref, cap, &want);
    if (r == 0 && got > cap)
        abort();
    if (zr && (r != 0 || got != want || memcmp(dst, ref, got)))
        abort();                 /* zlib decoded it: so must we, identically */
    free(src);
    free(dst);
    free(ref);
    return 0;
}
