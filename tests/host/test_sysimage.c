/*
 * test_sysimage.c - kernel/sysimage_check.c: the reference blob passes and
 * its view is right; every refusal rule has a mutation of that blob that
 * must be refused with a telling message; edge values just inside the rules
 * pass; and random corruption never crashes (this runs under ASan/UBSan,
 * with each blob in a heap buffer of exactly its size).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <freebeam/kapi.h>
#include "check.h"
#include "sysblob.h"
#include "sysimage_check.h"

static struct sysblob B;            /* the blob under test, rebuilt per case */
static struct fb_sysimage img;
static char err[256];

#define H (sb_hdr(&B))
#define PD(i) (sb_pd(&B, (i)))
#define REG(i) (sb_region(&B, (i)))
#define MAP(i) (sb_map(&B, (i)))
#define CHAN(i) (sb_channel(&B, (i)))
#define IRQ(i) (sb_irq(&B, (i)))
#define EH(i) (sb_ehdr(&B, (i)))
#define PH(i, k) (sb_phdr(&B, (i), (k)))
#define USER_HI (FB_STACK_TOP - FB_STACK_RESERVE)

/* Check `len` bytes of B from an exactly sized heap copy. */
static int run(uint32_t len)
{
    void *copy = malloc(len ? len : 1);
    memcpy(copy, sb_bytes(&B), len);
    memset(err, 'Z', sizeof err);
    int r = fb_sysimage_check(copy, len, &img, err, sizeof err);
    if (r == 0 && sysblob_view_broken(copy, len, &img))
        r = -2;
    free(copy);
    return r;
}

static void expect_refused(const char *want, const char *what, int line)
{
    int r = run(B.len);
    int ok = r == -1 && memchr(err, '\0', sizeof err) && err[0] && !strchr(err, '\n') &&
             strstr(err, want);
    if (!check_record(ok, __FILE__, line, what))
        printf("    result %d, message \"%.*s\", expected it to contain \"%s\"\n",
               r, (int)sizeof err, err, want);
}

static void expect_accepted(const char *what, int line)
{
    int r = run(B.len);
    if (!check_record(r == 0, __FILE__, line, what))
        printf("    result %d, message \"%.*s\"\n", r, (int)sizeof err, err);
}

/* REFUSE("part of the message", mutation...): one test of one rule. */
#define REFUSE(want, ...)                                                      \
    do {                                                                       \
        sysblob_build(&B);                                                     \
        __VA_ARGS__;                                                           \
        expect_refused(want, #__VA_ARGS__, __LINE__);                          \
    } while (0)

/* ACCEPT(mutation...): a value just inside a rule still passes. */
#define ACCEPT(...)                                                            \
    do {                                                                       \
        sysblob_build(&B);                                                     \
        __VA_ARGS__;                                                           \
        expect_accepted(#__VA_ARGS__, __LINE__);                               \
    } while (0)

static void valid_blob(void)
{
    sysblob_build(&B);
    CHECK(run(B.len) == 0);
    CHECK(err[0] == '\0');
    /* the view, from a copy that stays alive */
    static struct sysblob keep;
    keep = B;
    CHECK(fb_sysimage_check(keep.words, keep.len, &img, err, sizeof err) == 0);
    CHECK(img.hdr == (const void *)keep.words);
    CHECK(img.hdr->n_pds == 3 && img.hdr->n_regions == 3 && img.hdr->n_maps == 5);
    CHECK_STR(fb_sysimage_str(&img, img.pds[0].name), "ping");
    CHECK_STR(fb_sysimage_str(&img, img.pds[1].name), "pong");
    CHECK_STR(fb_sysimage_str(&img, img.pds[2].name), "root");
    CHECK_STR(fb_sysimage_str(&img, img.regions[1].name), "uart");
    CHECK_STR(fb_sysimage_str(&img, img.hdr->strings_len), "?");
    CHECK(img.regions[1].paddr == 0x09000000 && img.maps[2].vaddr == 0x300000);
    CHECK(img.channels[2].id_a == 62 && img.irqs[1].irq == 1019);
    CHECK_STR(fb_sysimage_str(&img, img.channels[0].name), "pp");
    CHECK_STR(fb_sysimage_str(&img, img.channels[1].name), "ctl");
    CHECK(img.channels[2].name == 0 && img.channels[2].queue_region == FB_NO_REGION);
    CHECK(img.channels[1].queue_region == 2 && img.channels[1].queue_depth == SB_Q_DEPTH &&
          img.channels[1].queue_slot == SB_Q_SLOT);
    for (uint32_t i = 0; i < SB_NPD; i++) {
        const struct fb_pd_layout *lay = &img.layout[i];
        const uint8_t *base = (const uint8_t *)keep.words;
        /* phdr 3 is PT_LOAD with memsz 0: ignored */
        CHECK(lay->n_segs == 2);
        CHECK(lay->segs[0].vaddr == SB_TEXT_VA && lay->segs[0].memsz == SB_TEXT_LEN &&
              lay->segs[0].filesz == SB_TEXT_LEN &&
              lay->segs[0].perms == (FB_PERM_R | FB_PERM_X));
        CHECK(lay->segs[1].vaddr == SB_DATA_VA && lay->segs[1].memsz == SB_DATA_MEM &&
              lay->segs[1].filesz == SB_DATA_FILE &&
              lay->segs[1].perms == (FB_PERM_R | FB_PERM_W));
        CHECK(lay->segs[0].deflated == 0 && lay->segs[1].deflated == 0);
        CHECK(base[lay->segs[0].offset] == sb_text_byte(i) &&
              base[lay->segs[0].offset + SB_TEXT_LEN - 1] == sb_text_byte(i));
        CHECK(base[lay->segs[1].offset] == 0xd0 + i);
        CHECK(lay->segs[0].offset == img.pds[i].elf_off + 0x200);
    }
    CHECK(img.layout[0].entry == SB_TEXT_VA);
    CHECK(img.layout[1].entry == SB_TEXT_VA + 9);     /* Thumb bit kept */
    /* arguments and region data pass through unchanged */
    const uint8_t *kb = (const uint8_t *)keep.words;
    CHECK(img.pds[0].args_len == sizeof SB_ARGS_PING &&
          memcmp(kb + img.pds[0].args_off, SB_ARGS_PING, sizeof SB_ARGS_PING) == 0);
    CHECK(img.pds[1].args_len == sizeof SB_ARGS_PONG &&
          memcmp(kb + img.pds[1].args_off, SB_ARGS_PONG, sizeof SB_ARGS_PONG) == 0);
    CHECK(img.pds[2].args_off == 0 && img.pds[2].args_len == 0);
    CHECK(img.regions[0].data_len == SB_DATA_LEN && img.regions[0].data_off % 4 == 0);
    int same = 1;
    for (uint32_t k = 0; k < SB_DATA_LEN; k++)
        same &= kb[img.regions[0].data_off + k] == sb_data_byte(k);
    CHECK(same);
    CHECK(img.regions[1].data_off == 0 && img.regions[1].data_len == 0);

    sysblob_build_minimal(&B);
    CHECK(run(B.len) == 0);
}

static void header_rules(void)
{
    sysblob_build(&B);
    CHECK(run(sizeof(struct fb_sys_header) - 1) == -1 && strstr(err, "truncated"));
    CHECK(run(0) == -1 && strstr(err, "truncated"));
    REFUSE("magic", H->magic ^= 1);
    REFUSE("unsupported version 2 (expected 3)", H->version = 2);
    REFUSE("unsupported version 4", H->version = 4);
    REFUSE("total_len", H->total_len = B.len + 4);
    REFUSE("total_len", H->total_len = sizeof(struct fb_sys_header) - 4);
    REFUSE("total_len", H->total_len = 0xffffffffu);
    REFUSE("reserved", H->reserved[0] = 1);
    REFUSE("reserved", H->reserved[1] = 0x80000000u);
    REFUSE("no protection domains", H->n_pds = 0);
}

static void table_rules(void)
{
    REFUSE("pd table: 33 entries", H->n_pds = FB_MAX_PDS + 1);
    REFUSE("region table: 65 entries", H->n_regions = FB_MAX_REGIONS + 1);
    REFUSE("map table: 129 entries", H->n_maps = FB_MAX_MAPS + 1);
    REFUSE("channel table: 129 entries", H->n_channels = FB_MAX_CHANNELS_SYS + 1);
    REFUSE("irq table: 33 entries", H->n_irqs = FB_MAX_IRQS + 1);
    REFUSE("pd table: offset 0x", H->pds_off += 2);
    REFUSE("region table: offset 0x", H->regions_off += 1);
    REFUSE("map table: offset 0x", H->maps_off += 3);
    REFUSE("channel table: offset 0x", H->channels_off += 2);
    REFUSE("irq table: offset 0x", H->irqs_off += 2);
    REFUSE("pd table (offset", H->pds_off = B.len - 4);
    REFUSE("region table (offset", H->regions_off = B.len - 4);
    REFUSE("map table (offset", H->maps_off = B.len);
    REFUSE("channel table (offset", H->channels_off = B.len - 16);
    REFUSE("irq table (offset", H->irqs_off = B.len - 16);
    REFUSE("pd table (offset", H->pds_off = 0xfffffffcu);        /* would wrap */
    REFUSE("irq table (offset", H->n_irqs = 32, H->irqs_off = B.len - 16 * 31);
    /* an empty table may sit anywhere inside */
    ACCEPT(H->n_irqs = 0, H->irqs_off = 0);
    ACCEPT(H->n_maps = 0, H->maps_off = B.len,                    /* (the queue needs maps) */
           CHAN(1)->queue_region = FB_NO_REGION, CHAN(1)->queue_depth = 0, CHAN(1)->queue_slot = 0);
    REFUSE("map table (offset", H->n_maps = 0, H->maps_off = B.len + 4);
}

static void string_rules(void)
{
    REFUSE("string table is empty", H->strings_len = 0);
    REFUSE("string table (offset", H->strings_off = B.len - 2);
    REFUSE("string table (offset", H->strings_len = B.len);
    REFUSE("string table (offset", H->strings_off = 0xffffff00u);   /* would wrap */
    REFUSE("does not end with NUL",
           sb_bytes(&B)[H->strings_off + H->strings_len - 1] = 'x');
    REFUSE("pd 1: name offset", PD(1)->name = H->strings_len);
    REFUSE("pd 0: name offset", PD(0)->name = 0xffffffffu);
    REFUSE("region 1: name offset", REG(1)->name = H->strings_len + 100);
    REFUSE("pd 2: empty name", PD(2)->name = H->strings_len - 1);
    REFUSE("non-printable", sb_bytes(&B)[H->strings_off + 1] = '\n');
    REFUSE("non-printable", sb_bytes(&B)[H->strings_off + 1] = (char)0xc3);
    REFUSE("pd 0 and pd 2 have the same name \"ping\"", PD(2)->name = PD(0)->name);
    REFUSE("region 0 and region 1 have the same name", REG(1)->name = REG(0)->name);
    /* a PD and a region may share a name; a suffix of a name is a name */
    ACCEPT(REG(0)->name = PD(0)->name);
    ACCEPT(PD(0)->name += 1);
}

static void pd_rules(void)
{
    REFUSE("pd 1 (pong): ELF offset 0x", PD(1)->elf_off += 2);
    REFUSE("pd 2 (root): ELF (offset", PD(2)->elf_len = B.len - PD(2)->elf_off + 4);
    REFUSE("pd 0 (ping): ELF (offset", PD(0)->elf_off = 0xfffffff0u);
    REFUSE("pd 0 (ping): ELF (offset", PD(0)->elf_len = 0xffffff00u);
    REFUSE("pd 0 (ping): priority 255", PD(0)->priority = FB_MAX_PRIO + 1);
    REFUSE("stack size 0", PD(1)->stack_bytes = 0);
    REFUSE("stack size 4100", PD(1)->stack_bytes = 4100);
    REFUSE("guard page", PD(1)->stack_bytes = FB_STACK_RESERVE);
    REFUSE("guard page", PD(1)->stack_bytes = 0xfffff000u);
    REFUSE("max_threads 0", PD(0)->max_threads = 0);
    REFUSE("max_threads 4097", PD(0)->max_threads = FB_MAX_THREADS_PD + 1);
    REFUSE("pd 1 (pong): monitor 3 is not a PD", PD(1)->monitor = 3);
    REFUSE("monitor 4294967294", PD(1)->monitor = FB_NO_PD - 1);
    REFUSE("pd 2 (root): is its own monitor", PD(2)->monitor = 2);
    REFUSE("monitors form a cycle", PD(2)->monitor = 0);          /* 0->2->0 */
    REFUSE("monitors form a cycle", PD(0)->monitor = 1, PD(1)->monitor = 2,
           PD(2)->monitor = 0);
    REFUSE("unknown rights bits 0x4", PD(2)->rights |= 4);
    REFUSE("unknown rights bits 0x80000000", PD(0)->rights = 0x80000000u);
    ACCEPT(PD(0)->priority = FB_MAX_PRIO);
    ACCEPT(PD(0)->stack_bytes = FB_STACK_RESERVE - FB_PAGE);
    ACCEPT(PD(0)->max_threads = FB_MAX_THREADS_PD);
    ACCEPT(PD(1)->monitor = 0);                                   /* a chain */
}

/* A block of len bytes for PD 2's arguments, appended to the blob. */
static void root_args(const void *bytes, uint32_t len)
{
    PD(2)->args_off = sb_append(&B, bytes, len);
    PD(2)->args_len = len;
}

static void args_rules(void)
{
    static char big[FB_MAX_ARGS_BYTES + 1];
    memset(big, 'a', sizeof big);
    big[FB_MAX_ARGS_BYTES - 2] = big[FB_MAX_ARGS_BYTES - 1] = '\0';  /* argv "aa..a" */
    REFUSE("pd 2 (root): arguments at offset 0x10 with a length of 0", PD(2)->args_off = 16);
    REFUSE("pd 0 (ping): arguments of 2049 bytes exceed the limit 2048",
           PD(0)->args_len = FB_MAX_ARGS_BYTES + 1);
    REFUSE("pd 2 (root): arguments of 2049 bytes exceed the limit 2048",
           big[FB_MAX_ARGS_BYTES] = '\0', root_args(big, FB_MAX_ARGS_BYTES + 1),
           big[FB_MAX_ARGS_BYTES] = 'a');
    REFUSE("pd 0 (ping): arguments (offset", PD(0)->args_off = B.len - 4);
    REFUSE("pd 1 (pong): arguments (offset", PD(1)->args_len = B.len - PD(1)->args_off + 1);
    REFUSE("arguments (offset 0xfffffff0", PD(0)->args_off = 0xfffffff0u);  /* would wrap */
    REFUSE("pd 0 (ping): arguments do not end with NUL", PD(0)->args_len -= 1);
    REFUSE("pd 2 (root): arguments do not end with NUL", root_args("x", 1));
    REFUSE("pd 0 (ping): arguments lack the empty string that ends argv",
           PD(0)->args_len = sizeof "ping\0-v");
    REFUSE("lack the empty string that ends argv", root_args("a\0b", 4));
    REFUSE("pd 0 (ping): arguments: empty environment string at byte 9",
           sb_bytes(&B)[PD(0)->args_off + 9] = '\0');
    REFUSE("pd 0 (ping): arguments: empty environment string at byte 26",
           sb_bytes(&B)[PD(0)->args_off + 25] = '\0');                  /* "HOME=" "" */
    REFUSE("pd 1 (pong): arguments: empty environment string at byte 1",
           sb_bytes(&B)[PD(1)->args_off + 1] = '\0');
    ACCEPT(root_args(big, FB_MAX_ARGS_BYTES));                           /* at the limit */
    ACCEPT(root_args("", 1));                                            /* argc 0, no env */
    ACCEPT(root_args("x\0\0", 3));                                      /* argv only */
    ACCEPT(root_args("Z\0X=1", 6), PD(2)->args_off += 1, PD(2)->args_len -= 1);  /* odd offset */
    REFUSE("pd 2 (root): arguments: empty environment string at byte 1",  /* "" "" */
           PD(2)->args_off = PD(0)->args_off + 7, PD(2)->args_len = 2);
    ACCEPT(PD(2)->args_off = PD(0)->args_off + 8,                       /* env only */
           PD(2)->args_len = sizeof SB_ARGS_PING - 8);
    ACCEPT(PD(1)->args_off = PD(0)->args_off, PD(1)->args_len = PD(0)->args_len);  /* shared */
}

static void elf_rules(void)
{
    REFUSE("pd 0 (ping): ELF of 51 bytes", PD(0)->elf_len = 51);
    REFUSE("pd 1 (pong): not an ELF file", EH(1)->e_ident[EI_MAG1] = 'e');
    REFUSE("ELFCLASS32", EH(0)->e_ident[EI_CLASS] = 2);
    REFUSE("little-endian", EH(0)->e_ident[EI_DATA] = 2);
    REFUSE("EV_CURRENT", EH(0)->e_ident[EI_VERSION] = 0);
    REFUSE("EV_CURRENT", EH(0)->e_version = 2);
    REFUSE("machine 3 is not ARM", EH(0)->e_machine = 3);
    REFUSE("type 3 is not an executable", EH(2)->e_type = 3);
    REFUSE("program header size 56", EH(0)->e_phentsize = 56);
    REFUSE("program header offset 0x36", EH(0)->e_phoff = 54);
    REFUSE("program headers (offset", EH(0)->e_phnum = 0xffff);
    REFUSE("program headers (offset", EH(0)->e_phoff = 0xfffffff0u);
    REFUSE("program headers (offset", PD(0)->elf_len = 52 + 32 * 9);
    REFUSE("dynamically linked (PT_INTERP)", PH(1, 5)->p_type = PT_INTERP);
    REFUSE("dynamically linked (PT_DYNAMIC)", PH(2, 9)->p_type = PT_DYNAMIC);
    /* nine loadable segments, each on its own page */
    REFUSE("more than 8 loadable segments",
           for (uint32_t k = 3; k < 10; k++)
               *PH(0, k) = (Elf32_Phdr){ PT_LOAD, 0, 0x40000 + 0x1000 * k, 0, 0, 8, PF_R, 0 });
    ACCEPT(for (uint32_t k = 3; k < 9; k++)
               *PH(0, k) = (Elf32_Phdr){ PT_LOAD, 0, 0x40000 + 0x1000 * k, 0, 0, 8, PF_R, 0 });
    REFUSE("ELF segment 1: file size 8193 exceeds memory size 8192",
           PH(0, 1)->p_filesz = SB_DATA_MEM + 1);
    REFUSE("ELF segment 0: file bytes", PH(0, 0)->p_offset = PD(0)->elf_len - 8);
    REFUSE("ELF segment 0: file bytes", PH(0, 0)->p_offset = 0xfffffff0u);
    REFUSE("ELF segment 1 [0x0, 0x2000) outside the user window", PH(1, 1)->p_vaddr = 0);
    REFUSE("outside the user window",
           PH(1, 1)->p_vaddr = USER_HI - 0x1000);                 /* ends past */
    REFUSE("outside the user window",
           PH(1, 1)->p_vaddr = 0xfffff000u);                      /* would wrap */
    REFUSE("outside the user window", PH(1, 1)->p_memsz = 0xffffffffu);
    REFUSE("ELF segment 0 is not readable", PH(0, 0)->p_flags = PF_X);
    REFUSE("pd 2 (root): ELF segment 1 is writable and executable",
           PH(2, 1)->p_flags = PF_R | PF_W | PF_X);
    REFUSE("ELF segments 0 and 1 share a page", PH(0, 1)->p_vaddr = SB_TEXT_VA + 0x800);
    REFUSE("ELF segments 0 and 1 share a page",                   /* data ends on text page */
           PH(0, 1)->p_vaddr = SB_TEXT_VA - SB_DATA_MEM + 1);
    REFUSE("ELF entry 0x30000 is not inside an executable", EH(0)->e_entry = 0x30000);
    REFUSE("ELF entry 0x20001 is not inside an executable", EH(1)->e_entry = SB_DATA_VA + 1);
    REFUSE("ELF entry 0x10040 is not inside", EH(0)->e_entry = SB_TEXT_VA + SB_TEXT_LEN);
    REFUSE("is not inside an executable", PH(0, 0)->p_memsz = 0);  /* no text at all */
    ACCEPT(PH(0, 1)->p_vaddr = SB_TEXT_VA + 0x1000);              /* next page */
    ACCEPT(PH(0, 1)->p_vaddr = USER_HI - SB_DATA_MEM);            /* ends at the top */
    ACCEPT(PH(0, 0)->p_vaddr = FB_USER_BASE, EH(0)->e_entry = FB_USER_BASE);
    ACCEPT(EH(0)->e_entry = SB_TEXT_VA + SB_TEXT_LEN - 1);        /* Thumb, last byte */
    ACCEPT(PH(0, 0)->p_flags = PF_R | PF_X | 0xf0000000u);        /* other OS bits ignored */
    ACCEPT(PH(0, 1)->p_flags = PF_R | PF_W | FB_PF_DEFLATE);      /* a compressed segment */
    CHECK(img.layout[0].segs[1].deflated == 1 && img.layout[0].segs[0].deflated == 0 &&
          img.layout[0].segs[1].perms == (FB_PERM_R | FB_PERM_W));
    REFUSE("ELF segment 1: file size", PH(0, 1)->p_flags |= FB_PF_DEFLATE,
           PH(0, 1)->p_filesz = PH(0, 1)->p_memsz + 1);           /* the stream too: <= memsz */
    ACCEPT(PH(0, 4)->p_type = PT_NOTE, PH(0, 5)->p_type = PT_TLS);
}

static void region_rules(void)
{
    REFUSE("region 0 (shared): size 0 is not", REG(0)->size = 0);
    REFUSE("region 1 (uart): size 4097 is not", REG(1)->size = 4097);
    REFUSE("unknown flag bits 0x10", REG(0)->flags = 0x10);
    /* compressed initial contents: only with some (the stream is checked when inflated) */
    ACCEPT(REG(0)->flags = FB_REGION_DEFLATE);
    REFUSE("region 0 (shared): compressed (FB_REGION_DEFLATE) without initial data",
           REG(0)->flags = FB_REGION_DEFLATE, REG(0)->data_off = 0, REG(0)->data_len = 0);
    REFUSE("region 1 (uart): compressed (FB_REGION_DEFLATE) without initial data",
           REG(1)->flags |= FB_REGION_DEFLATE);
    REFUSE("a device region cannot be a DMA region", REG(1)->flags |= FB_REGION_DMA);
    ACCEPT(REG(0)->flags = FB_REGION_DMA);
    /* the rest of RAM (FB_REGION_REST): RAM, no data, one at most, no queue */
    ACCEPT(REG(0)->flags = FB_REGION_REST, REG(0)->data_off = 0, REG(0)->data_len = 0);
    REFUSE("region 1 (uart): the rest of RAM cannot be device memory",
           REG(1)->flags = FB_REGION_DEVICE | FB_REGION_REST);
    REFUSE("region 0 (shared): the rest of RAM cannot have initial data", REG(0)->flags = FB_REGION_REST);
    REFUSE("region 2 (q): a second rest-of-RAM region (region 0 is one)",
           REG(0)->flags = FB_REGION_REST, REG(0)->data_off = 0, REG(0)->data_len = 0,
           REG(2)->flags = FB_REGION_REST);
    REFUSE("channel 1 (ctl): queue region q is the rest of RAM", REG(2)->flags = FB_REGION_REST);
    REFUSE("device region without a physical address", REG(1)->paddr = 0);
    REFUSE("physical address 0x9000000 without FB_REGION_DEVICE", REG(1)->flags = 0);
    REFUSE("physical address 0x40000000 without", REG(0)->paddr = FB_RAM_BASE);
    REFUSE("device address 0x9000800 is not page aligned", REG(1)->paddr += 0x800);
    REFUSE("is not below RAM", REG(1)->paddr = FB_RAM_BASE);
    REFUSE("is not below RAM", REG(1)->paddr = FB_RAM_BASE - 0x1000, REG(1)->size = 0x2000);
    REFUSE("is not below RAM", REG(1)->paddr = 0xfffff000u, REG(1)->size = 0x2000);
    ACCEPT(REG(1)->paddr = FB_RAM_BASE - 0x1000);                 /* ends at RAM */
    /* initial data */
    REFUSE("region 1 (uart): device region with initial data (offset 0x",
           REG(1)->data_off = REG(0)->data_off, REG(1)->data_len = 4);
    REFUSE("region 1 (uart): device region with initial data", REG(1)->data_off = 4);
    REFUSE("region 1 (uart): device region with initial data", REG(1)->data_len = 1);
    REFUSE("region 0 (shared): data (offset", REG(0)->data_off = B.len - 4);
    REFUSE("region 0 (shared): data (offset", REG(0)->data_len = B.len);
    REFUSE("data (offset 0xffffff00", REG(0)->data_off = 0xffffff00u);    /* would wrap */
    REFUSE("data (offset", REG(0)->data_len = 0xffffffffu);
    REFUSE("region 0 (shared): data of 8193 bytes larger than the region (8192 bytes)",
           REG(0)->data_off = sb_append(&B, NULL, 0x2001), REG(0)->data_len = 0x2001);
    ACCEPT(REG(0)->data_off = sb_append(&B, NULL, 0x2000), REG(0)->data_len = 0x2000);
    ACCEPT(REG(0)->data_off += 1, REG(0)->data_len -= 1);                /* any offset */
    ACCEPT(REG(0)->data_off = 0, REG(0)->data_len = 0);                 /* all zero */
    ACCEPT(REG(0)->data_len = 0);                                       /* nothing to copy */
    ACCEPT(REG(0)->data_off = 0);                                       /* the blob's start */
}

static void map_rules(void)
{
    REFUSE("map 1: pd 3 is not a PD", MAP(1)->pd = 3);
    REFUSE("map 2: region 3 is not a region", MAP(2)->region = 3);
    REFUSE("map 0 (pd ping, region shared): address 0x100800 is not page aligned",
           MAP(0)->vaddr += 0x800);
    REFUSE("map 0 (pd ping, region shared): range [0x0, 0x2000) outside the user window",
           MAP(0)->vaddr = 0);
    REFUSE("outside the user window", MAP(0)->vaddr = USER_HI - 0x1000);
    REFUSE("outside the user window", MAP(0)->vaddr = FB_STACK_TOP - 0x1000);
    REFUSE("outside the user window", MAP(0)->vaddr = 0xfffff000u);   /* would wrap */
    REFUSE("unknown permission bits 0x8", MAP(0)->perms |= 8);
    REFUSE("map 1 (pd pong, region shared): not readable", MAP(1)->perms = FB_PERM_W);
    REFUSE("writable and executable", MAP(0)->perms = FB_PERM_R | FB_PERM_W | FB_PERM_X);
    REFUSE("map 2 (pd ping, region uart): device memory mapped executable",
           MAP(2)->perms = FB_PERM_R | FB_PERM_X);
    REFUSE("map 2 (pd ping, region uart): overlaps map 0", MAP(2)->vaddr = 0x101000);
    REFUSE("overlaps map 0", MAP(2)->vaddr = 0x100000);
    REFUSE("overlaps the ELF segment at 0x20000", MAP(0)->vaddr = SB_DATA_VA + 0x1000);
    REFUSE("overlaps the ELF segment at 0x10000", MAP(1)->vaddr = SB_TEXT_VA);
    REFUSE("overlaps the ELF segment at 0x20000",                 /* page of the bss end */
           PH(0, 1)->p_memsz = 0x3001, MAP(0)->vaddr = SB_DATA_VA + 0x3000);
    ACCEPT(MAP(2)->vaddr = 0x102000);                             /* just after map 0 */
    ACCEPT(MAP(0)->vaddr = SB_DATA_VA + SB_DATA_MEM);             /* just after bss */
    ACCEPT(MAP(0)->vaddr = SB_TEXT_VA + 0x1000);                  /* between segments */
    ACCEPT(MAP(1)->vaddr = USER_HI - 0x2000);                     /* ends at the top */
    ACCEPT(MAP(1)->perms = FB_PERM_R | FB_PERM_X);                /* RAM may be X */
}

static void channel_irq_rules(void)
{
    REFUSE("channel 0: pd 3 is not a PD", CHAN(0)->pd_a = 3);
    REFUSE("channel 1: pd 7 is not a PD", CHAN(1)->pd_b = 7);
    REFUSE("channel 2 connects pd 1 (pong) to itself", CHAN(2)->pd_b = 1);
    REFUSE("channel 0: id 63 above 62", CHAN(0)->id_a = 63);
    REFUSE("channel 2: id 64 above 62", CHAN(2)->id_b = 64);
    REFUSE("channel 2: id 4294967295 above 62", CHAN(2)->id_b = 0xffffffffu);
    REFUSE("pd 0 (ping): channel id 0 used twice (again by channel 1)", CHAN(1)->id_a = 0);
    REFUSE("pd 1 (pong): channel id 0 used twice", CHAN(2)->id_a = 0);
    REFUSE("irq entry 0: interrupt 31 is not an SPI", IRQ(0)->irq = 31);
    REFUSE("irq entry 1: interrupt 1020 is not an SPI", IRQ(1)->irq = 1020);
    REFUSE("irq entry 1: pd 3 is not a PD", IRQ(1)->pd = 3);
    REFUSE("irq entry 0: id 63 above 62", IRQ(0)->id = 63);
    REFUSE("irq entry 1: unknown flag bits 0x2", IRQ(1)->flags = 3);
    REFUSE("irq entry 1: interrupt 33 already claimed by entry 0", IRQ(1)->irq = 33);
    REFUSE("pd 0 (ping): channel id 1 used twice (again by irq entry 0)", IRQ(0)->id = 1);
    REFUSE("pd 1 (pong): channel id 62 used twice (again by irq entry 1)", IRQ(1)->id = 62);
    REFUSE("pd 1 (pong): channel id 1 used twice (again by irq entry 1)",
           IRQ(0)->pd = 1, IRQ(0)->id = 1);
    ACCEPT(IRQ(0)->irq = 32);
    ACCEPT(IRQ(0)->id = 62);                                      /* ping has no 62 */
    ACCEPT(CHAN(1)->id_b = 0);                                    /* root's own 0 */
}

/* Channel names (their own name space) and queue pairs. */
static void channel_name_queue_rules(void)
{
    REFUSE("channel 2: name offset", CHAN(2)->name = H->strings_len);
    REFUSE("channel 1: empty name", CHAN(1)->name = H->strings_len - 1);
    REFUSE("channel 0: name has a non-printable byte 0x09",
           sb_bytes(&B)[H->strings_off + CHAN(0)->name + 1] = '\t');
    REFUSE("channel 0 and channel 1 have the same name \"pp\"", CHAN(1)->name = CHAN(0)->name);
    REFUSE("channel 0 and channel 2 have the same name", CHAN(2)->name = CHAN(0)->name);
    REFUSE("pd 0: name of 25 characters is longer than 24",
           PD(0)->name = sb_append(&B, "abcdefghijklmnopqrstuvwxy", 26) - H->strings_off,
           H->strings_len = PD(0)->name + 26);
    ACCEPT(PD(0)->name = sb_append(&B, "abcdefghijklmnopqrstuvwx", 25) - H->strings_off,
           H->strings_len = PD(0)->name + 25);
    ACCEPT(CHAN(0)->name = PD(0)->name);                          /* like a PD: fine */
    ACCEPT(CHAN(0)->name = 0, CHAN(1)->name = 0);                 /* two unnamed */

    REFUSE("channel 0 (pp): queue depth 4 and slot 0 without a queue region", CHAN(0)->queue_depth = 4);
    REFUSE("channel 2: queue depth 0 and slot 8 without", CHAN(2)->queue_slot = 8);
    REFUSE("channel 1 (ctl): queue region 3 is not a region", CHAN(1)->queue_region = 3);
    REFUSE("queue region 4294967294 is not a region", CHAN(1)->queue_region = 0xfffffffeu);
    REFUSE("channel 1 (ctl): queue region uart is device memory", CHAN(1)->queue_region = 1);
    REFUSE("queue depth 0 is not a power of two in 1..4096", CHAN(1)->queue_depth = 0);
    REFUSE("queue depth 12 is not a power of two", CHAN(1)->queue_depth = 12);
    REFUSE("queue depth 8192 is not", CHAN(1)->queue_depth = 8192);
    REFUSE("queue depth 2147483648 is not", CHAN(1)->queue_depth = 0x80000000u);
    REFUSE("queue slot 0 is not a multiple of 8 in 8..65536", CHAN(1)->queue_slot = 0);
    REFUSE("queue slot 4 is not", CHAN(1)->queue_slot = 4);
    REFUSE("queue slot 492 is not", CHAN(1)->queue_slot = 492);
    REFUSE("queue slot 65544 is not", CHAN(1)->queue_depth = 1, CHAN(1)->queue_slot = 65544);
    REFUSE("queue region q: a half of 8192 bytes is less than the 8320 that depth 16 and slot 496 need",
           CHAN(1)->queue_slot = 496);
    REFUSE("less than the 268501120 that depth 4096 and slot 65536",
           CHAN(1)->queue_depth = 4096, CHAN(1)->queue_slot = 65536);
    ACCEPT(CHAN(1)->queue_depth = 1, CHAN(1)->queue_slot = 8);
    ACCEPT(CHAN(1)->queue_depth = 32, CHAN(1)->queue_slot = 232);  /* 128 + 32 * 248 = 8064 */
    ACCEPT(REG(2)->size = 0x40000, CHAN(1)->queue_depth = 1, CHAN(1)->queue_slot = 65536);
    REFUSE("channel 1 (ctl): pd root maps queue region q 0 times, not exactly once", MAP(4)->region = 0);
    REFUSE("pd ping maps queue region q 2 times", MAP(2)->region = 2, MAP(2)->vaddr = 0x600000);
    REFUSE("pd root maps queue region q read-only", MAP(4)->perms = FB_PERM_R);
    REFUSE("pd ping maps queue region q read-only", MAP(3)->perms = FB_PERM_R | FB_PERM_X);
    REFUSE("channel 2: queue region q already carries the queue of channel 1",
           CHAN(2)->queue_region = 2, CHAN(2)->queue_depth = 1, CHAN(2)->queue_slot = 8);
    REFUSE("channel 0 (pp): pd pong maps queue region shared read-only",
           CHAN(0)->queue_region = 0, CHAN(0)->queue_depth = 1, CHAN(0)->queue_slot = 8);
    ACCEPT(MAP(1)->perms = FB_PERM_R | FB_PERM_W,                 /* now both rw */
           CHAN(0)->queue_region = 0, CHAN(0)->queue_depth = 1, CHAN(0)->queue_slot = 8);
}

/* The message buffer: any size, always terminated, never overrun. */
static void error_buffer(void)
{
    char small[16];
    sysblob_build(&B);
    PD(2)->monitor = 2;
    for (uint32_t n = 1; n <= sizeof small; n++) {
        memset(small, 'Z', sizeof small);
        int r = fb_sysimage_check(B.words, B.len, &img, small, n);
        /* the message is longer than 16: cut at n - 1, nothing after */
        if (!CHECK(r == -1 && small[n - 1] == '\0' && strlen(small) == n - 1 &&
                   (n == sizeof small || small[n] == 'Z')))
            break;
    }
    CHECK(fb_sysimage_check(B.words, B.len, &img, NULL, 0) == -1);
    CHECK(fb_sysimage_check(B.words, B.len, &img, small, sizeof small) == -1);
    CHECK_STR(small, "pd 2 (root): is");
}

/* Random corruption: never a crash, never a view that breaks an invariant.
 * Some edits aim at the argument and data fields and at the argument bytes. */
static void random_corruption(unsigned rounds)
{
    static const uint32_t vals[] = { 0, 1, 2, 3, 4, 31, 32, 62, 63, 0xfff, 0x1000, 0x1001,
                                     FB_MAX_ARGS_BYTES, FB_MAX_ARGS_BYTES + 1, 0x7fffffff,
                                     0x80000000u, 0xfffff000u, 0xfffffffcu, 0xffffffffu,
                                     FB_USER_BASE, USER_HI, FB_RAM_BASE };
    uint64_t x = 0x2545f4914f6cdd1dULL;
    unsigned accepted = 0, broken = 0;
    for (unsigned r = 0; r < rounds; r++) {
        sysblob_build(&B);
        /* word indexes and byte ranges taken before any edit moves the tables */
        const uint32_t fields[] = {
            (uint32_t)(&PD(0)->args_off - B.words), (uint32_t)(&PD(1)->args_len - B.words),
            (uint32_t)(&PD(2)->args_off - B.words), (uint32_t)(&PD(2)->args_len - B.words),
            (uint32_t)(&REG(0)->data_off - B.words), (uint32_t)(&REG(0)->data_len - B.words),
            (uint32_t)(&REG(1)->data_off - B.words), (uint32_t)(&REG(1)->data_len - B.words),
            (uint32_t)(&CHAN(0)->name - B.words), (uint32_t)(&CHAN(1)->queue_region - B.words),
            (uint32_t)(&CHAN(1)->queue_depth - B.words), (uint32_t)(&CHAN(1)->queue_slot - B.words),
            (uint32_t)(&CHAN(2)->queue_region - B.words) };
        const uint32_t args_at[2] = { PD(0)->args_off, PD(1)->args_off };
        const uint32_t args_len[2] = { PD(0)->args_len, PD(1)->args_len };
        unsigned edits = 1 + (unsigned)(r % 4);
        for (unsigned e = 0; e < edits; e++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint32_t w = (uint32_t)(x % (B.len / 4));
            uint32_t val = vals[(x >> 40) % (sizeof vals / sizeof vals[0])];
            uint32_t *f = &B.words[fields[(x >> 45) % (sizeof fields / sizeof fields[0])]];
            uint32_t p = (uint32_t)((x >> 44) & 1);
            switch ((x >> 32) % 5) {
            case 0: B.words[w] = val; break;
            case 1: B.words[w] ^= 1u << ((x >> 40) % 32); break;
            case 2: sb_bytes(&B)[w * 4 + (x >> 50) % 4] = (uint8_t)(x >> 54); break;
            case 3:                     /* an argument/data field: an edge value or a nudge */
                *f = (x >> 60) & 1 ? val : *f + (uint32_t)((x >> 52) % 9) - 4u;
                break;
            default:                    /* a byte of ping's or pong's arguments: NUL or not */
                sb_bytes(&B)[args_at[p] + (x >> 50) % args_len[p]] =
                    (x >> 58) & 1 ? '\0' : (uint8_t)(x >> 24);
                break;
            }
        }
        uint32_t len = B.len;
        if ((r & 63) == 0)
            len = (uint32_t)((x >> 20) % (B.len + 1));          /* short buffer too */
        int res = run(len);
        if (res == 0)
            accepted++;
        if (res == -2)
            broken++;
    }
    CHECK(broken == 0);
    printf("    random corruption: %u rounds, %u still accepted\n", rounds, accepted);
}

int main(void)
{
    valid_blob();
    header_rules();
    table_rules();
    string_rules();
    pd_rules();
    args_rules();
    elf_rules();
    region_rules();
    map_rules();
    channel_irq_rules();
    channel_name_queue_rules();
    error_buffer();
    random_corruption(100000);
    return check_report("test_sysimage");
}
