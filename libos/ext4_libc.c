/*
 * ext4_libc.c - the C library functions libext2fs calls, served by libos
 * itself (third_party/e2fsprogs/build.sh renames libext2fs's references to
 * these ext4_libc_* names).  libos may not call musl's malloc (musl calls
 * libos from inside it), so memory comes from libos's own allocators: a
 * block of up to 512 bytes (with our 8-byte header) from vfs_small_alloc,
 * anything larger as whole pages.  The header keeps the block's size so
 * that free and realloc need no table.  The rest: a heap sort for qsort,
 * the wall clock for time(), no environment, no NLS tables (casefolded
 * directories are refused at mount), and no SHA-512 (only used by
 * e2image's block sharing, which we never turn on).
 *
 * Everything here runs with the ext4 lock held (ext4_fs.c), so none of it
 * needs its own lock beyond what the allocators take.
 */
#include "libos.h"
#include "file.h"
#include "vfs.h"
#include <string.h>
#include <freebeam/sysimage.h>

#define HDR 8u
#define SMALL_MAX 512u

void *ext4_libc_malloc(size_t n);
void *ext4_libc_calloc(size_t n, size_t size);
void *ext4_libc_realloc(void *p, size_t n);
void ext4_libc_free(void *p);
void ext4_libc_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int64_t ext4_libc_time(int64_t *t);
char *ext4_libc_getenv(const char *name);
unsigned long ext4_libc_strtoul(const char *s, char **end, int base);
void ext4_libc_com_err(const char *who, long code, const char *fmt, ...);
void *ext4_libc_load_nls_table(int encoding);
void ext4_libc_sha512(const unsigned char *in, unsigned long len, unsigned char out[64]);

static size_t block_bytes(size_t n)
{
    size_t total = n + HDR;
    return total <= SMALL_MAX ? total : (total + FB_PAGE - 1) & ~(size_t)(FB_PAGE - 1);
}

void *ext4_libc_malloc(size_t n)
{
    if (n > ((size_t)1 << 30))
        return NULL;
    size_t total = block_bytes(n);
    uint8_t *p = total <= SMALL_MAX ? vfs_small_alloc(total) : libos_pages_alloc(total);
    if (!p)
        return NULL;
    *(size_t *)p = n;
    return p + HDR;
}

void ext4_libc_free(void *ptr)
{
    if (!ptr)
        return;
    uint8_t *p = (uint8_t *)ptr - HDR;
    size_t total = block_bytes(*(size_t *)p);
    if (total <= SMALL_MAX)
        vfs_small_free(p, total);
    else
        libos_pages_free(p, total);
}

/* Both allocators hand out zeroed memory. */
void *ext4_libc_calloc(size_t n, size_t size)
{
    if (size && n > ((size_t)1 << 30) / size)
        return NULL;
    return ext4_libc_malloc(n * size);
}

void *ext4_libc_realloc(void *ptr, size_t n)
{
    if (!ptr)
        return ext4_libc_malloc(n);
    size_t old = *(size_t *)((uint8_t *)ptr - HDR);
    if (block_bytes(old) == block_bytes(n)) {
        if (n > old)
            memset((uint8_t *)ptr + old, 0, n - old);
        *(size_t *)((uint8_t *)ptr - HDR) = n;
        return ptr;
    }
    void *q = ext4_libc_malloc(n);
    if (!q)
        return NULL;
    memcpy(q, ptr, old < n ? old : n);
    ext4_libc_free(ptr);
    return q;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void sift_down(uint8_t *base, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

/* Heap sort: O(n log n), no recursion, no memory. */
void ext4_libc_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    uint8_t *b = base;
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(b, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}

int64_t ext4_libc_time(int64_t *t)
{
    int64_t s = vfs_now_ns() / 1000000000;
    if (t)
        *t = s;
    return s;
}

char *ext4_libc_getenv(const char *name)
{
    (void)name;
    return NULL;
}

unsigned long ext4_libc_strtoul(const char *s, char **end, int base)
{
    (void)base;
    if (end)
        *end = (char *)s;
    return 0;
}

/* libext2fs's complaints about inconsistent metadata: one console line
 * with who said it and the code (the message's arguments are dropped). */
void ext4_libc_com_err(const char *who, long code, const char *fmt, ...)
{
    (void)fmt;
    libos_puts("libos: ext4: libext2fs reports a problem in ");
    libos_puts(who ? who : "?");
    libos_log_num(": ext2fs error", (unsigned long)code);
}

void *ext4_libc_load_nls_table(int encoding)
{
    (void)encoding;
    return NULL;
}

void ext4_libc_sha512(const unsigned char *in, unsigned long len, unsigned char out[64])
{
    (void)in;
    (void)len;
    memset(out, 0, 64);
}
