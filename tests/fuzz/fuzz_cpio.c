/*
 * fuzz_cpio.c - libFuzzer target for libos's cpio newc reader
 * (libos/cpio.c): any bytes at all must give members inside the blob, the
 * trailer or -EINVAL, never a read outside it (ASan watches) and never a
 * loop.  Every member's name and data are read in full, as the archive
 * mount does.  Seeds: build/fuzz/cpio-corpus/ (made by tests/host/host.mk).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../libos/cpio.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;     /* keeps the reads of every byte */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any overrun. */
    uint8_t *blob = malloc(size ? size : 1);
    if (!blob)
        return 0;
    memcpy(blob, data, size);
    struct cpio_iter it;
    struct cpio_entry e;
    cpio_iter_init(&it, blob, size);
    unsigned sum = 0;
    size_t members = 0;
    int r;
    while ((r = cpio_next(&it, &e)) == 1) {
        if (strlen(e.name) != e.namelen)
            abort();
        const uint8_t *d = e.data;
        for (size_t i = 0; i < e.size; i++)
            sum += d[i];
        const char *p = e.name, *c;
        size_t n;
        while ((n = cpio_component(&p, e.name + e.namelen, &c)) > 0)
            sum += (unsigned)c[n - 1];
        if (++members > size)
            abort();            /* every member takes at least 110 bytes */
    }
    if (r != 0 && r != -EINVAL)
        abort();
    sink += sum;
    free(blob);
    return 0;
}
