/*
 * fuzz_sysimage.c - libFuzzer target for fb_sysimage_check: any byte string
 * (copied into a 4-byte aligned heap buffer of exactly its size, as the
 * kernel guarantees alignment) must be refused with a terminated one-line
 * message or accepted with a view that keeps the loader's invariants, and
 * whose every PD's info area (kernel/pdinfo.c) fits: the kernel would
 * panic at boot otherwise.
 * A crash, a sanitizer report or an abort() here is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pdinfo.h"
#include "sysblob.h"
#include "sysimage_check.h"

/* Every PD of an accepted blob gets its info area written (one whose maps
 * exceed PD_MAX_MAPS is the loader's own refusal, not the writer's). */
static void info_areas_fit(const struct fb_sysimage *img)
{
    static struct pd pd;
    static _Alignas(8) uint8_t area[FB_PDINFO_BYTES];
    for (uint32_t i = 0; i < img->hdr->n_pds; i++) {
        const char *why;
        if (sysblob_make_pd(img, i, &pd) == 0 && pdinfo_write(area, img, &pd, &why) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fb_sysimage img;
    char err[128], tiny[8];
    if (size > (1u << 20))
        return 0;
    void *blob = malloc(size ? size : 1);   /* malloc: 16-byte aligned */
    if (!blob)
        return 0;
    memcpy(blob, data, size);
    int r = fb_sysimage_check(blob, (uint32_t)size, &img, err, sizeof err);
    if (r == 0) {
        if (err[0] != '\0' || sysblob_view_broken(blob, (uint32_t)size, &img))
            abort();
        info_areas_fit(&img);
    } else {
        if (r != -1 || !memchr(err, '\0', sizeof err) || err[0] == '\0' || strchr(err, '\n'))
            abort();
    }
    /* the same verdict with a tiny message buffer and with none */
    memset(tiny, 'Z', sizeof tiny);
    if (fb_sysimage_check(blob, (uint32_t)size, &img, tiny, sizeof tiny) != r ||
        !memchr(tiny, '\0', sizeof tiny))
        abort();
    if (fb_sysimage_check(blob, (uint32_t)size, &img, NULL, 0) != r)
        abort();
    free(blob);
    return 0;
}
