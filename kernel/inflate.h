/*
 * inflate.h - a raw DEFLATE (RFC 1951) decoder for the image's compressed
 * PD segments and region contents (sysimage.h, FB_PF_DEFLATE and
 * FB_REGION_DEFLATE).
 *
 * The image is read before anything checks it came from a trusted build,
 * so the decoder takes any bytes: it never reads outside [src, src+src_len),
 * never writes outside [dst, dst+dst_cap), always ends (every step consumes
 * input or stops) and reports a malformed stream with an error code.  It
 * allocates nothing: its tables live in a caller-given work area.
 */
#ifndef FB_KERNEL_INFLATE_H
#define FB_KERNEL_INFLATE_H

#include <stdint.h>

#define FB_INFLATE_FAST_BITS 10  /* codes this long or shorter: one table look-up */

/* One canonical Huffman code: the look-up table of its short codes, and
 * the counts and sorted symbols that decode the longer ones. */
struct fb_huffman {
    uint16_t fast[1u << FB_INFLATE_FAST_BITS];  /* symbol << 4 | length; 0: longer code */
    uint16_t count[16];                         /* codes of each length 1..15 */
    uint16_t coded;                             /* symbols that have a code */
    uint16_t symbol[288];                       /* symbols ordered by (length, value) */
};

struct fb_inflate_work {
    struct fb_huffman lit;    /* literals, end of block, lengths */
    struct fb_huffman dist;   /* distances */
    struct fb_huffman lens;   /* a dynamic block's code length code */
};

/* Errors (negative); 0 is success. */
#define FB_INFLATE_TRUNCATED   (-1)   /* the input ends inside the stream */
#define FB_INFLATE_BAD_BLOCK   (-2)   /* block type 3 */
#define FB_INFLATE_BAD_STORED  (-3)   /* a stored block's length and its complement differ */
#define FB_INFLATE_BAD_CODE    (-4)   /* over-subscribed or unusable code lengths */
#define FB_INFLATE_BAD_SYMBOL  (-5)   /* a code that is not in the code, or symbol 286..287, 30..31 */
#define FB_INFLATE_BAD_DIST    (-6)   /* a distance reaching before the output's start */
#define FB_INFLATE_TOO_LONG    (-7)   /* the output does not fit in dst_cap bytes */
#define FB_INFLATE_TRAILING    (-8)   /* whole bytes follow the final block */

/*
 * Decode the raw DEFLATE stream src[0..src_len) into dst[0..dst_cap).
 * 0 and *out_len = bytes written if the stream is well formed, ends with
 * its final block in the last byte of src and fits; else a negative
 * FB_INFLATE_* code (dst may then hold part of the output).
 */
int fb_inflate(struct fb_inflate_work *w, const uint8_t *src, uint32_t src_len,
               uint8_t *dst, uint32_t dst_cap, uint32_t *out_len);

/* A short English phrase for an FB_INFLATE_* code. */
const char *fb_inflate_strerror(int err);

#endif
