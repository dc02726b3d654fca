/*
 * gen_seeds.c - writes the fuzzer's seed corpus: the reference blob, the
 * minimal blob, and a few valid variants (so the fuzzer starts from inputs
 * that reach the deepest checks: eight segments, no arguments or region
 * data, arguments and data at their limits, queue pairs and channel names
 * at their limits).  Each seed is checked before it is
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
    /* arguments and region data: none at all, and each at its limit */
    sysblob_build(&b);
    for (uint32_t i = 0; i < SB_NPD; i++)
        sb_pd(&b, i)->args_off = sb_pd(&b, i)->args_len = 0;
    sb_region(&b, 0)->data_off = sb_region(&b, 0)->data_len = 0;
    bad |= write_seed(argv[1], "no-args-no-data");
    sysblob_build(&b);
    static char args[FB_MAX_ARGS_BYTES];       /* argv "a" x 512, "", env "K=v" x 255, "K=" */
    uint32_t n = 0;
    for (uint32_t k = 0; k < 512; k++, n += 2)
        memcpy(args + n, "a", 2);
    args[n++] = '\0';
    for (uint32_t k = 0; k < 255; k++, n += 4)
        memcpy(args + n, "K=v", 4);
    memcpy(args + n, "K=", 3);
    if (n + 3 != sizeof args) {
        fprintf(stderr, "gen_seeds: argument block of %u bytes\n", n + 3);
        return 1;
    }
    sb_pd(&b, 2)->args_off = sb_append(&b, args, sizeof args);
    sb_pd(&b, 2)->args_len = sizeof args;
    sb_region(&b, 0)->data_off = sb_append(&b, NULL, 0x2000);
    sb_region(&b, 0)->data_len = 0x2000;
    bad |= write_seed(argv[1], "args-data-at-limit");
    /* queues: the deepest one in a region just big enough, and a second one
     * with the smallest slot; names of FB_MAX_NAME characters */
    sysblob_build(&b);
    struct fb_sys_channel *c = sb_channel(&b, 0);
    c[1].queue_depth = FB_QUEUE_MAX_DEPTH;
    c[1].queue_slot = 8;
    sb_region(&b, 2)->size = 2 * 0x19000;        /* 128 + 4096 * 24 = 98432 <= 0x19000 */
    sb_map(&b, 1)->perms = FB_PERM_R | FB_PERM_W;
    c[0].queue_region = 0;
    c[0].queue_depth = 1;
    c[0].queue_slot = 8;
    uint32_t long_name = sb_append(&b, "abcdefghijklmnopqrstuvwx", 25) - sb_hdr(&b)->strings_off;
    sb_hdr(&b)->strings_len = long_name + 25;
    c[2].name = long_name;
    bad |= write_seed(argv[1], "queues-names-at-limit");
    return bad;
}
