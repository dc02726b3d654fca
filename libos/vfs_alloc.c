/*
 * vfs_alloc.c - the file system's allocator for nodes, names and mount
 * records: small blocks carved from libos pages, kept on free lists.
 */
#include "vfs_impl.h"

/* ---- small blocks: power-of-two classes from 32 to 512 bytes ---- */
#define SMALL_MIN_SHIFT 5
#define SMALL_CLASSES 5
#define SMALL_PAGE 4096u
static void *small_free[SMALL_CLASSES];
static struct libos_lock small_lock;

static int small_class(size_t n)
{
    for (int c = 0; c < SMALL_CLASSES; c++)
        if (n <= (size_t)1 << (SMALL_MIN_SHIFT + c))
            return c;
    return -1;
}

void *vfs_small_alloc(size_t n)
{
    int c = small_class(n);
    if (c < 0)
        return NULL;
    size_t sz = (size_t)1 << (SMALL_MIN_SHIFT + c);
    libos_lock(&small_lock);
    if (!small_free[c]) {
        uint8_t *pg = libos_pages_alloc(SMALL_PAGE);
        if (pg) {
            for (size_t off = 0; off + sz <= SMALL_PAGE; off += sz) {
                *(void **)(pg + off) = small_free[c];
                small_free[c] = pg + off;
            }
        }
    }
    void *p = small_free[c];
    if (p)
        small_free[c] = *(void **)p;
    libos_unlock(&small_lock);
    if (p)
        memset(p, 0, sz);
    return p;
}

void vfs_small_free(void *p, size_t n)
{
    int c = small_class(n);
    if (!p || c < 0)
        return;
    libos_lock(&small_lock);
    *(void **)p = small_free[c];
    small_free[c] = p;
    libos_unlock(&small_lock);
}
