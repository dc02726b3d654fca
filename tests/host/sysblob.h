/*
 * sysblob.h - builds a valid system blob in memory for the host tests and
 * the fuzzer's seed corpus: header, every table, strings, and one small
 * static ARM ELF32 per PD, laid out as tools/freebeam would.  Tests then
 * mutate single fields through the accessors and expect a refusal.
 *
 * The reference system ("sysblob_build"):
 *   pd 0 ping  prio 100, stack 16K, 4 threads, monitor root
 *   pd 1 pong  prio 150, stack 4K, 1 thread, monitor root, Thumb entry
 *   pd 2 root  prio 254, stack 8K, 2 threads, no monitor, POWEROFF|PD_CONTROL
 *   arguments: ping SB_ARGS_PING (argv and environment), pong SB_ARGS_PONG
 *             (environment only), root none (0/0); after the ELFs
 *   each ELF: phdr 0 PT_LOAD text R+X at 0x10000 (64 bytes),
 *             phdr 1 PT_LOAD data R+W at 0x20000 (16 file bytes, 0x2000 memory),
 *             phdr 2 PT_GNU_STACK, phdr 3 PT_LOAD with memsz 0 (ignored),
 *             phdrs 4..9 PT_NULL (spare slots for tests)
 *   region 0 shared (RAM, 0x2000, initial data: SB_DATA_LEN bytes
 *            sb_data_byte(0..), after the arguments),
 *   region 1 uart (device 0x09000000, 0x1000, no data),
 *   region 2 q (RAM, SB_Q_SIZE, no data: a queue pair)
 *   map 0 ping/shared 0x100000 RW, map 1 pong/shared 0x100000 R,
 *   map 2 ping/uart 0x300000 RW, map 3 ping/q SB_Q_VA_PING RW,
 *   map 4 root/q SB_Q_VA_ROOT RW
 *   channel 0 "pp" ping:0 <-> pong:0, channel 1 "ctl" ping:1 <-> root:5
 *   with its queue in region 2 (SB_Q_DEPTH, SB_Q_SLOT: the halves exactly
 *   full), channel 2 unnamed pong:62 <-> root:62
 *   irq entry 0: 33 -> ping:2 level, irq entry 1: 1019 -> pong:1 edge
 */
#ifndef FB_TEST_SYSBLOB_H
#define FB_TEST_SYSBLOB_H

#include <stdint.h>
#include <freebeam/sysimage.h>
#include "elf32.h"

#define SB_CAP      16384
#define SB_NPD      3
#define SB_PHNUM    10
#define SB_TEXT_VA  0x10000u
#define SB_DATA_VA  0x20000u
#define SB_TEXT_LEN 64u
#define SB_DATA_FILE 16u
#define SB_DATA_MEM 0x2000u

/* Argument blocks as string literals: sizeof counts the final NUL. */
#define SB_ARGS_PING "ping\0-v\0\0TERM=vt100\0HOME=/"
#define SB_ARGS_PONG "\0X=1"
#define SB_DATA_LEN 300u
#define SB_Q_SIZE    0x4000u
#define SB_Q_VA_PING 0x400000u
#define SB_Q_VA_ROOT 0x500000u
#define SB_Q_DEPTH   16u
#define SB_Q_SLOT    488u    /* 128 + 16 * (16 + 488) = 8192 = SB_Q_SIZE / 2 */

struct sysblob {
    uint32_t words[SB_CAP / 4];     /* 4-byte aligned storage */
    uint32_t len;                   /* bytes used == header total_len */
};

/* Fill b with the reference system above; returns its length. */
uint32_t sysblob_build(struct sysblob *b);

/* A smaller valid system: one PD, no regions, maps, channels or IRQs. */
uint32_t sysblob_build_minimal(struct sysblob *b);

uint8_t *sb_bytes(struct sysblob *b);
struct fb_sys_header *sb_hdr(struct sysblob *b);
struct fb_sys_pd *sb_pd(struct sysblob *b, uint32_t i);
struct fb_sys_region *sb_region(struct sysblob *b, uint32_t i);
struct fb_sys_map *sb_map(struct sysblob *b, uint32_t i);
struct fb_sys_channel *sb_channel(struct sysblob *b, uint32_t i);
struct fb_sys_irq *sb_irq(struct sysblob *b, uint32_t i);
Elf32_Ehdr *sb_ehdr(struct sysblob *b, uint32_t pd);
Elf32_Phdr *sb_phdr(struct sysblob *b, uint32_t pd, uint32_t k);
/* Offset of a name already in the string table, or ~0u. */
uint32_t sb_stroff(struct sysblob *b, const char *name);

/* Append len bytes (NULL: zeros) at the next 4-byte boundary past the end
 * of the blob, grow total_len to cover them, and return their offset.
 * Aborts if the blob would exceed SB_CAP. */
uint32_t sb_append(struct sysblob *b, const void *bytes, uint32_t len);

/* Byte k of region 0's initial data in the reference blob. */
uint8_t sb_data_byte(uint32_t k);

/* The first byte of PD i's text segment in the reference ELF. */
uint8_t sb_text_byte(uint32_t pd);

struct fb_sysimage;
/* Invariants a checked view must satisfy (for the fuzzer and the tests):
 * 0 if all hold, else a number naming the first broken one. */
int sysblob_view_broken(const void *blob, uint32_t len, const struct fb_sysimage *img);

struct pd;
/* The PD as kernel/pd.c's load_pd makes it from a checked view (its index,
 * name, limits and maps: segments, stack, regions in map order, then the
 * info area), for kernel/pdinfo.c; -1 if it has more maps than a PD may. */
int sysblob_make_pd(const struct fb_sysimage *img, uint32_t i, struct pd *pd);

#endif
