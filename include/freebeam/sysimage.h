/*
 * sysimage.h - the system blob inside a freebeam image.
 *
 * `tools/freebeam image` turns a system description (systems/NAME.config)
 * into one ELF that QEMU loads with -kernel: the kernel's own segments plus
 * one more PT_LOAD segment holding this blob.  The blob is the description
 * in a form the kernel can read without parsing Erlang terms, followed by
 * the PD ELF files themselves.  The kernel trusts nothing in it: it checks
 * every count, offset, size and alignment (kernel/sysimage_check.c) before
 * it loads anything, and refuses a malformed blob with a clear message.
 *
 * Placement: the blob starts at the first 4 KiB boundary after the
 * kernel's highest loaded byte (the kernel's `_end` symbol, rounded up).
 * All fields are little-endian uint32_t; all offsets are from the start of
 * the blob; names are offsets into the string table (NUL-terminated).
 */
#ifndef FREEBEAM_SYSIMAGE_H
#define FREEBEAM_SYSIMAGE_H

#include <stdint.h>
#include <freebeam/kapi.h>

#define FB_SYS_MAGIC    0x59534246u  /* "FBSY" as little-endian bytes */
#define FB_SYS_VERSION  3u
#define FB_NO_PD        0xffffffffu  /* fb_sys_pd.monitor when the PD has none */
#define FB_NO_REGION    0xffffffffu  /* fb_sys_channel.queue_region: no queue */

/* Physical layout of QEMU virt as the kernel uses it. */
#define FB_KERNEL_PADDR 0x40200000u  /* the kernel ELF is linked and loaded here: QEMU puts the device tree below it */
#define FB_RAM_BASE     0x40000000u

/* A PD's address space (FB_USER_*, FB_STACK_*, FB_PAGE): kapi.h. */

/* Limits a blob may not exceed (kernel tables are static). */
#define FB_MAX_PDS         32
#define FB_MAX_REGIONS     64
#define FB_MAX_MAPS       128
#define FB_MAX_CHANNELS_SYS 128
#define FB_MAX_IRQS        32
#define FB_MAX_THREADS_PD 4096   /* TCBs come from RAM at boot: the real limit is memory */
#define FB_MAX_SEGMENTS     8   /* PT_LOAD segments per PD ELF */
#define FB_MAX_ARGS_BYTES 2048u  /* argv + environment of one PD */
#define FB_MAX_NAME        24u   /* characters of a PD, region or channel name (NUL
                                    not counted): bounds each PD's info area (kapi.h) */

/* A channel's queue pair (include/freebeam/queue.h): its region is split in
 * two halves, the first carrying A->B, the second B->A.  Each half holds a
 * FB_QUEUE_HEAD_BYTES header, `depth` descriptors of FB_QUEUE_DESC_BYTES and
 * `depth` message slots of `slot` bytes, so it needs
 * FB_QUEUE_HEAD_BYTES + depth * (FB_QUEUE_DESC_BYTES + slot) bytes. */
#define FB_QUEUE_HEAD_BYTES 128u
#define FB_QUEUE_DESC_BYTES  16u
#define FB_QUEUE_MAX_DEPTH 4096u  /* depth: a power of two, 1..this */
#define FB_QUEUE_MAX_SLOT 65536u  /* slot: a multiple of 8, 8..this */

/* Permissions (FB_PERM_R, W, X): kapi.h, which PROTECT shares them with. */

/* fb_sys_region.flags */
#define FB_REGION_DEVICE 1u   /* paddr names device memory (uncached, XN) */
#define FB_REGION_DMA    2u   /* RAM (paddr 0) whose physical address the PDs that map
                                 it are told (kapi.h fb_pdinfo_map.paddr): memory a
                                 driver hands to its device.  Contiguous, as every
                                 region.  Not with FB_REGION_DEVICE. */
#define FB_REGION_REST   4u   /* RAM sized at boot: all the RAM left after every
                                 other allocation, up to the next mapping of each
                                 PD that maps it (or the stack reserve); `size` is
                                 the least it accepts.  At most one per blob; no
                                 initial data, no queue (docs/kernel.md) */
#define FB_REGION_DEFLATE 8u  /* data_off/data_len hold a raw DEFLATE stream (RFC
                                 1951) of the initial contents, inflated at boot:
                                 at most `size` bytes.  Only with initial data */

/* A PD ELF's PT_LOAD p_flags bit (in ELF's OS-specific range, 0x0ff00000):
 * the segment's p_filesz file bytes are a raw DEFLATE stream (RFC 1951) of
 * its contents, inflated at load (and at each restart for a writable
 * segment): at most p_memsz bytes, the rest zero.  `tools/freebeam image
 * --compress` writes such segments (docs/system-description.md). */
#define FB_PF_DEFLATE 0x00100000u

/* fb_sys_irq.flags */
#define FB_IRQ_EDGE 1u        /* edge-triggered (default: level) */

struct fb_sys_header {
    uint32_t magic;        /* FB_SYS_MAGIC */
    uint32_t version;      /* FB_SYS_VERSION */
    uint32_t total_len;    /* bytes of the whole blob, header included */
    uint32_t n_pds,      pds_off;       /* struct fb_sys_pd[n_pds] */
    uint32_t n_regions,  regions_off;   /* struct fb_sys_region[] */
    uint32_t n_maps,     maps_off;      /* struct fb_sys_map[] */
    uint32_t n_channels, channels_off;  /* struct fb_sys_channel[] */
    uint32_t n_irqs,     irqs_off;      /* struct fb_sys_irq[] */
    uint32_t strings_off, strings_len;  /* NUL-terminated names */
    uint32_t reserved[2];               /* zero */
};

struct fb_sys_pd {
    uint32_t name;         /* string offset; unique */
    uint32_t elf_off;      /* the PD's ELF file inside the blob, 4-byte aligned */
    uint32_t elf_len;
    uint32_t priority;     /* 0..FB_MAX_PRIO: the main thread's and the PD's maximum */
    uint32_t stack_bytes;  /* main thread stack: a non-zero multiple of FB_PAGE */
    uint32_t max_threads;  /* 1..FB_MAX_THREADS_PD, main thread included */
    uint32_t monitor;      /* index of the monitor PD, or FB_NO_PD */
    uint32_t rights;       /* FB_RIGHT_* from kapi.h */
    uint32_t args_off;     /* the program's arguments and environment: args_len */
    uint32_t args_len;     /* bytes of NUL-terminated strings, argv first, then one
                              empty string, then the environment (KEY=value);
                              0/0: none.  At most FB_MAX_ARGS_BYTES. */
};

struct fb_sys_region {
    uint32_t name;         /* string offset; unique */
    uint32_t size;         /* a non-zero multiple of FB_PAGE (FB_REGION_REST:
                              the least size the kernel accepts) */
    uint32_t paddr;        /* 0: RAM the kernel allocates and zeroes; else
                              with FB_REGION_DEVICE: device memory here */
    uint32_t flags;        /* FB_REGION_* */
    uint32_t data_off;     /* RAM regions: initial contents, data_len bytes copied */
    uint32_t data_len;     /* in at boot (the rest is zero); 0/0: all zero. <= size */
};

struct fb_sys_map {
    uint32_t pd;           /* PD index */
    uint32_t region;       /* region index */
    uint32_t vaddr;        /* page aligned, inside the user window */
    uint32_t perms;        /* FB_PERM_*; R required; never W|X */
};

struct fb_sys_channel {
    uint32_t pd_a, id_a;   /* one end: PD index and its channel id (0..62) */
    uint32_t pd_b, id_b;   /* the other end */
    uint32_t name;         /* string offset, unique among channels; 0: unnamed
                              (offset 0 is always the first PD's name) */
    uint32_t queue_region; /* region index of the channel's queue pair, or
                              FB_NO_REGION: a RAM region that pd_a and pd_b
                              each map exactly once, read-write */
    uint32_t queue_depth;  /* descriptors per direction; 0 without a queue */
    uint32_t queue_slot;   /* bytes per message slot; 0 without a queue */
};

struct fb_sys_irq {
    uint32_t irq;          /* GIC interrupt id, 32..1019 (SPIs) */
    uint32_t pd;           /* PD index that receives it */
    uint32_t id;           /* the PD's channel id for it (0..62) */
    uint32_t flags;        /* FB_IRQ_* */
};

#endif
