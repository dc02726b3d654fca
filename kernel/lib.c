/*
 * lib.c - freestanding memcpy/memset/memmove/memcmp/strlen/strcmp/strncmp.
 *
 * Simple byte loops: the kernel copies little (page contents at boot and
 * small records), so clarity wins over speed here.  gcc may emit calls to
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

FB_NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
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
