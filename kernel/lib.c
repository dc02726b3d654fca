/*
 * lib.c - freestanding memcpy/memset/memmove/memcmp/strlen/strcmp/strncmp,
 * for the kernel and, through libfbpd (libfbpd/libfbpd.mk), for every PD.
 *
 * Plain loops, by words where alignment allows (memcpy, memset: the image
 * is copied at boot; drivers copy frames and sectors), 32 bytes a step with
 * ldm/stm when compiled for ARM (tests/programs/klib.c checks those), by halfwords for a
 * memcpy whose ends are only 2-aligned, else by bytes.  gcc may emit calls to
 * memcpy/memset on its own, and at -O2 it would also turn the loops below
 * back into calls to themselves (loop distribution); the attribute stops
 * that.  Comparisons use unsigned char, as the C standard requires.
 */
#include <stdint.h>
#include "lib.h"

#if defined(__GNUC__) && !defined(__clang__)
#define FB_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define FB_NO_LIBCALLS
#endif

/* Words for the bulk when both ends are word aligned: the kernel copies
 * the image's segments and regions (megabytes) at boot, where a byte loop
 * cost some 18 million instructions. */
typedef uint32_t __attribute__((may_alias)) word_t;
typedef uint16_t __attribute__((may_alias)) half_t;

FB_NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        word_t *dw = (word_t *)d;
        const word_t *sw = (const word_t *)s;
#if defined(__arm__)
        /* 32 bytes a step: one ldm and one stm of 8 registers, where the
         * loop below takes 8 loads and stores and its counting (the image's
         * 4 MB at boot: some 3 million instructions fewer). */
        for (; n >= 32; n -= 32)
            __asm__ volatile("ldmia %0!, {r3-r6, r8, r10, r12, lr}\n\t"
                             "stmia %1!, {r3-r6, r8, r10, r12, lr}"
                             : "+r"(sw), "+r"(dw) : : "r3", "r4", "r5", "r6", "r8", "r10", "r12", "lr", "memory");
#endif
        for (; n >= 16; n -= 16, dw += 4, sw += 4) {
            dw[0] = sw[0];
            dw[1] = sw[1];
            dw[2] = sw[2];
            dw[3] = sw[3];
        }
        for (; n >= 4; n -= 4)
            *dw++ = *sw++;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    } else if ((((uintptr_t)d | (uintptr_t)s) & 1u) == 0) {
        /* Halfwords: a network frame after its 10-byte virtio header
         * (drivers/net) is 2 bytes off a word; bytes cost twice as much. */
        half_t *dh = (half_t *)d;
        const half_t *sh = (const half_t *)s;
        for (; n >= 8; n -= 8, dh += 4, sh += 4) {
            dh[0] = sh[0];
            dh[1] = sh[1];
            dh[2] = sh[2];
            dh[3] = sh[3];
        }
        d = (unsigned char *)dh;
        s = (const unsigned char *)sh;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

FB_NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if ((uintptr_t)d - (uintptr_t)s >= n) {  /* d below s, or apart: forwards */
        while (n--)
            *d++ = *s++;
    } else {                      /* d inside [s, s+n): backwards */
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

FB_NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    for (; n && ((uintptr_t)d & 3u); n--)
        *d++ = (unsigned char)c;
    word_t *dw = (word_t *)d, w = (unsigned char)c * 0x01010101u;
#if defined(__arm__)
    /* 32 bytes a step: one stm of 8 registers holding w */
    if (n >= 32) {
        register word_t w0 __asm__("r4") = w, w1 __asm__("r5") = w, w2 __asm__("r6") = w, w3 __asm__("r8") = w;
        for (; n >= 32; n -= 32)
            __asm__ volatile("stmia %0!, {%1, %2, %3, %4}\n\t"
                             "stmia %0!, {%1, %2, %3, %4}"
                             : "+r"(dw) : "r"(w0), "r"(w1), "r"(w2), "r"(w3) : "memory");
    }
#endif
    for (; n >= 16; n -= 16, dw += 4) {
        dw[0] = w;
        dw[1] = w;
        dw[2] = w;
        dw[3] = w;
    }
    for (; n >= 4; n -= 4)
        *dw++ = w;
    d = (unsigned char *)dw;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return *x < *y ? -1 : *x > *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x < *y ? -1 : 1;
        if (!*x)
            return 0;
    }
    return 0;
}
