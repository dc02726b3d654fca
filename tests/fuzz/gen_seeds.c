/*
 * gen_seeds.c - writes the fuzzer's seed corpus: the reference blob, the
 * minimal blob, and a few valid variants (so the fuzzer starts from inputs
 * that reach the deepest checks).  Each seed is checked before it is
 * written: a seed that is not accepted is a bug in the builder.
 * Usage: gen_seeds DIR
 */
#include <stdio.h>
#include <string.h>
#include "sysblob.h"
#include "sysimage_check.h"

static struct sysblob b;
static struct fb_sysimage img;

static int write_seed(const char *dir, const char *name)
{
    char path[512], err[160];
    if (fb_sysimage_check(b.words, b.len, &img, err, sizeof err) != 0) {
        fprintf(stderr, "gen_seeds: seed %s is refused: %s\n", name, err);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b.words, 1, b.len, f) != b.len || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_seeds DIR\n");
        return 2;
    }
    int bad = 0;
    sysblob_build(&b);
    bad |= write_seed(argv[1], "reference");
    sysblob_build_minimal(&b);
    bad |= write_seed(argv[1], "minimal");
    sysblob_build(&b);
    sb_hdr(&b)->n_irqs = 0;
    sb_hdr(&b)->n_channels = 0;
    bad |= write_seed(argv[1], "no-channels");
    sysblob_build(&b);
    for (uint32_t k = 3; k < 9; k++)          /* eight loadable segments */
        *sb_phdr(&b, 2, k) = (Elf32_Phdr){ PT_LOAD, 0, 0x40000 + 0x1000 * k, 0, 0, 8, PF_R, 0 };
    bad |= write_seed(argv[1], "eight-segments");
    return bad;
}
