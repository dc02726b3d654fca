/*
 * test_pdinfo.c - kernel/pdinfo.c: the info area of each PD of the
 * reference blob (tests/host/sysblob.h) holds its maps, its channel ends and
 * irqs by id with names and queue parameters, and the PD table; and the
 * largest system sysimage.h allows still fits in FB_PDINFO_BYTES.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "pdinfo.h"
#include "sysblob.h"

static struct sysblob B;
static struct fb_sysimage img;
static _Alignas(8) uint8_t area[FB_PDINFO_BYTES];

#define INFO ((const struct fb_pdinfo *)area)

static const char *str(uint32_t off)
{
    return off && off < FB_PDINFO_BYTES && memchr(area + off, '\0', FB_PDINFO_BYTES - off)
           ? (const char *)area + off : "<bad offset>";
}

static const struct fb_pdinfo_chan *chans(void) { return (const void *)(area + INFO->chans_off); }
static const struct fb_pdinfo_pd *pdtab(void) { return (const void *)(area + INFO->pds_off); }

static int write_for(uint32_t i)
{
    static struct pd pd;
    if (!CHECK(sysblob_make_pd(&img, i, &pd) == 0))
        return -1;
    const char *why = "unset";
    memset(area, 0xee, sizeof area);
    int r = pdinfo_write(area, &img, &pd, &why);
    if (r)
        printf("    pd %u: %s do not fit\n", i, why);
    return r;
}

static void common(uint32_t i, const char *name)
{
    CHECK(INFO->magic == FB_PDINFO_MAGIC && INFO->version == FB_PDINFO_VERSION && INFO->pd == i);
    CHECK_STR(str(INFO->name_off), name);
    CHECK(INFO->n_pds == 3 && INFO->pds_off % 4 == 0 && INFO->chans_off % 4 == 0);
    CHECK_STR(str(pdtab()[0].name_off), "ping");
    CHECK_STR(str(pdtab()[1].name_off), "pong");
    CHECK_STR(str(pdtab()[2].name_off), "root");
    CHECK(pdtab()[0].monitor == 2 && pdtab()[1].monitor == 2 && pdtab()[2].monitor == FB_PD_NO_MONITOR);
    CHECK(INFO->rtc_seconds == 0);
}

static void reference(void)
{
    sysblob_build(&B);
    if (!CHECK(fb_sysimage_check(B.words, B.len, &img, NULL, 0) == 0))
        return;

    /* ping: maps text, data, stack, shared, uart, q, info (sysblob_make_pd); ids 0 (pp), 1 (ctl, queue, end A), 2 (irq 33) */
    CHECK(write_for(0) == 0);
    common(0, "ping");
    CHECK(INFO->priority == 100 && INFO->max_threads == 4 && INFO->n_maps == 7);
    CHECK_STR(str(INFO->maps[3].name_off), "shared");
    CHECK_STR(str(INFO->maps[5].name_off), "q");
    CHECK(INFO->maps[5].vaddr == SB_Q_VA_PING && INFO->maps[6].kind == FB_MAP_INFO && INFO->maps[6].name_off == 0);
    CHECK(INFO->args_len == sizeof SB_ARGS_PING && memcmp(area + INFO->args_off, SB_ARGS_PING, sizeof SB_ARGS_PING) == 0);
    const struct fb_pdinfo_chan *c = chans();
    CHECK(INFO->n_chans == 3);
    CHECK(c[0].id == 0 && c[0].kind == FB_CHAN_PD && c[0].peer == 1 && c[0].queue_map == FB_CHAN_NO_QUEUE &&
          c[0].queue_depth == 0 && c[0].queue_slot == 0);
    CHECK_STR(str(c[0].name_off), "pp");
    CHECK(c[1].id == 1 && c[1].kind == FB_CHAN_PD && c[1].peer == 2 && c[1].queue_map == 5 &&
          c[1].queue_end == 0 && c[1].queue_depth == SB_Q_DEPTH && c[1].queue_slot == SB_Q_SLOT);
    CHECK_STR(str(c[1].name_off), "ctl");
    CHECK(c[2].id == 2 && c[2].kind == FB_CHAN_IRQ && c[2].peer == 33 && c[2].name_off == 0 &&
          c[2].queue_map == FB_CHAN_NO_QUEUE);

    /* pong: ids 0 (pp), 1 (irq 1019), 62 (unnamed to root) */
    CHECK(write_for(1) == 0);
    common(1, "pong");
    c = chans();
    CHECK(INFO->n_chans == 3);
    CHECK(c[0].id == 0 && c[0].peer == 0 && c[1].id == 1 && c[1].kind == FB_CHAN_IRQ && c[1].peer == 1019);
    CHECK(c[2].id == 62 && c[2].kind == FB_CHAN_PD && c[2].peer == 2 && c[2].name_off == 0);
    CHECK(INFO->args_len == sizeof SB_ARGS_PONG);

    /* root: ids 5 (ctl, end B: its q map is its second map after the stack) and 62 */
    CHECK(write_for(2) == 0);
    common(2, "root");
    c = chans();
    CHECK(INFO->n_chans == 2 && INFO->args_off == 0 && INFO->args_len == 0);
    CHECK(INFO->rights == (FB_RIGHT_POWEROFF | FB_RIGHT_PD_CONTROL));
    CHECK(c[0].id == 5 && c[0].peer == 0 && c[0].queue_end == 1 && c[0].queue_map == 3 &&
          c[0].queue_depth == SB_Q_DEPTH);
    CHECK(INFO->maps[3].vaddr == SB_Q_VA_ROOT);
    CHECK_STR(str(c[0].name_off), "ctl");
    CHECK(c[1].id == 62 && c[1].peer == 1);
}

/* A region marked FB_REGION_DMA: its map entry carries the physical
 * address, every other map entry 0 (a PD learns no other address). */
static void dma_paddr(void)
{
    static struct pd pd;
    const char *why = "unset";
    if (!CHECK(sysblob_make_pd(&img, 0, &pd) == 0))
        return;
    CHECK(pdinfo_write(area, &img, &pd, &why) == 0);
    for (uint32_t m = 0; m < INFO->n_maps; m++)
        CHECK(INFO->maps[m].paddr == 0);
    struct fb_sys_region *rg = (struct fb_sys_region *)&img.regions[pd.maps[3].region];
    rg->flags |= FB_REGION_DMA;
    pd.maps[3].paddr = 0x40123000u;
    CHECK(pdinfo_write(area, &img, &pd, &why) == 0);
    CHECK_STR(str(INFO->maps[3].name_off), "shared");
    CHECK(INFO->maps[3].paddr == 0x40123000u);
    for (uint32_t m = 0; m < INFO->n_maps; m++)
        CHECK(m == 3 || INFO->maps[m].paddr == 0);
    rg->flags &= ~FB_REGION_DMA;
}

/* The largest system: FB_MAX_PDS PDs, one of them with FB_MAX_CHANNELS
 * named channels, FB_PDINFO_MAX_MAPS maps (all but two named regions) and
 * the largest argument block; every name FB_MAX_NAME characters long.  The
 * view is made by hand (pdinfo_write trusts a checked one). */
static void largest(void)
{
    static uint32_t blob[16384];
    static struct fb_sys_header h;
    static struct fb_sys_pd pds[FB_MAX_PDS];
    static struct fb_sys_channel chs[FB_MAX_CHANNELS];
    static struct fb_sys_region regs[FB_PDINFO_MAX_MAPS];
    char *strings = (char *)blob + 4096;
    uint32_t slen = 0;
    char name[FB_MAX_NAME + 1];
    memset(name, 'n', FB_MAX_NAME);
    name[FB_MAX_NAME] = '\0';
    for (uint32_t i = 0; i < FB_MAX_PDS + FB_MAX_CHANNELS + FB_PDINFO_MAX_MAPS; i++) {
        name[0] = (char)('A' + i % 26); name[1] = (char)('A' + i / 26);
        memcpy(strings + slen, name, sizeof name);
        slen += sizeof name;
    }
    memcpy(&blob[0], &h, sizeof h);
    struct fb_sys_header *hp = (struct fb_sys_header *)blob;
    hp->n_pds = FB_MAX_PDS;
    hp->n_channels = FB_MAX_CHANNELS;
    hp->strings_len = slen;
    uint32_t args_off = 4096 + slen;
    memset((char *)blob + args_off, 'a', FB_MAX_ARGS_BYTES);
    img.hdr = hp;
    img.strings = strings;
    img.pds = pds;
    img.channels = chs;
    img.regions = regs;
    img.irqs = NULL;
    for (uint32_t i = 0; i < FB_MAX_PDS; i++)
        pds[i] = (struct fb_sys_pd){ .name = i * (FB_MAX_NAME + 1), .monitor = FB_NO_PD };
    pds[0].args_off = args_off;
    pds[0].args_len = FB_MAX_ARGS_BYTES;
    for (uint32_t k = 0; k < FB_MAX_CHANNELS; k++)
        chs[k] = (struct fb_sys_channel){ 0, k, 1 + k % (FB_MAX_PDS - 1), k,
                                          (FB_MAX_PDS + k) * (FB_MAX_NAME + 1), FB_NO_REGION, 0, 0 };
    static struct pd pd;
    memset(&pd, 0, sizeof pd);
    pd.name = strings;
    pd.nmaps = FB_PDINFO_MAX_MAPS;
    for (uint32_t m = 0; m < FB_PDINFO_MAX_MAPS - 2; m++)
        pd.maps[m] = (struct seg_map){ .kind = FB_MAP_REGION, .region = (uint8_t)m,
                                       .name = strings + (FB_MAX_PDS + FB_MAX_CHANNELS + m) * (FB_MAX_NAME + 1) };
    pd.maps[FB_PDINFO_MAX_MAPS - 2].kind = FB_MAP_STACK;
    pd.maps[FB_PDINFO_MAX_MAPS - 1].kind = FB_MAP_INFO;
    const char *why = "unset";
    int r = pdinfo_write(area, &img, &pd, &why);
    if (!CHECK(r == 0))
        printf("    %s do not fit\n", why);
    CHECK(INFO->n_chans == FB_MAX_CHANNELS && INFO->n_pds == FB_MAX_PDS);
    CHECK(strlen(str(chans()[62].name_off)) == FB_MAX_NAME);
    CHECK(strlen(str(INFO->maps[FB_PDINFO_MAX_MAPS - 3].name_off)) == FB_MAX_NAME);
    CHECK(INFO->args_len == FB_MAX_ARGS_BYTES && INFO->args_off + FB_MAX_ARGS_BYTES <= FB_PDINFO_BYTES);

    /* one more name than the limits allow does not fit: a clear refusal, no overrun */
    pd.maps[FB_PDINFO_MAX_MAPS - 2] = pd.maps[0];
    pd.maps[FB_PDINFO_MAX_MAPS - 1] = pd.maps[0];
    pds[0].args_len = FB_MAX_ARGS_BYTES;
    for (uint32_t i = 0; i < FB_MAX_PDS; i++)   /* PD names that alone fill the area */
        pds[i].name = 0;
    static char big[FB_PDINFO_BYTES / FB_MAX_PDS + 1];
    memset(big, 'x', sizeof big - 1);
    memcpy(strings, big, sizeof big);
    hp->strings_len = slen > sizeof big ? slen : sizeof big;
    r = pdinfo_write(area, &img, &pd, &why);
    CHECK(r == -1 && why && strstr(why, "names"));
}

int main(void)
{
    reference();
    dma_paddr();
    largest();
    return check_report("test_pdinfo");
}
