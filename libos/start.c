/*
 * start.c - from the kernel's entry to musl's __libc_start_main.
 *
 * Sets up what libos needs (the thread's tid in TPIDRURW, the PD's
 * priority, the clock, the heap allocator), then builds, at the top of the
 * main thread's stack, the initial process stack Linux would have built:
 *
 *   argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs..., AT_NULL
 *
 * followed by the strings and AT_RANDOM's 16 bytes.  The aux vector
 * (docs/internals.md note 8): AT_PAGESZ (mallocng and sysconf need it),
 * AT_HWCAP with HWCAP_VFP (setjmp saves d8-d15 only then), AT_PHDR/PHENT/
 * PHNUM from the program's own ELF headers (musl finds PT_TLS there: the
 * linker script loads the headers and gives __ehdr_start), AT_RANDOM, the
 * uids (equal: not a secure-mode program), AT_ENTRY, AT_EXECFN.
 *
 * What the PD is comes from its info page (kapi.h, struct fb_pdinfo): its
 * priority, the region named `heap` that mmap hands out, a region named
 * `rootfs` (a cpio archive, mounted at /), and argv and the environment from
 * the system description.  Without them: the linker's heap symbols and a
 * fixed argv/environment.  With the regions console_rx/console_tx and
 * FREEBEAM_CONSOLE_CH, /dev/console is the serial driver's (console.h),
 * served by the event thread started here (events.h).
 */
#include "libos.h"
#include "release_state.h"
#include "ext4_fs.h"
#include <elf.h>
#include <freebeam/sysimage.h>
#include <string.h>
#include <freebeam/kcall.h>
#include "vfs.h"
#include "console.h"
#include "events.h"
#include "entropy.h"

#define LIBOS_START_AREA 16384  /* as in crt1.S: room for FB_MAX_ARGS_BYTES of strings and their pointers */

/* Linux's ARM HWCAP bits of a Cortex-A15 (what Linux reports on QEMU's
 * cortex-a15, without EVTSTRM): SWP HALF THUMB FAST_MULT VFP EDSP NEON
 * VFPv3 TLS VFPv4 IDIVA IDIVT VFPD32 LPAE. */
#define LIBOS_HWCAP 0x1fb0d7u
#define HWCAP_VFP   0x40u
_Static_assert(LIBOS_HWCAP & HWCAP_VFP, "setjmp needs HWCAP_VFP");

extern const Elf32_Ehdr __ehdr_start;          /* from the linker: the ELF header */
extern char _end[];                             /* end of .bss */
extern char __libos_heap_start[], __libos_heap_end[];   /* libos/program.ld */
extern void _start(void);

int main(int, char **, char **);
int __libc_start_main(int (*)(int, char **, char **), int, char **, void (*)(void),
                      void (*)(void), void (*)(void));

static const char *const fixed_argv[] = { "program" };
static const struct fb_pdinfo *const info = (const struct fb_pdinfo *)FB_PDINFO_VADDR;
static const char *const fixed_envp[] = {
    "PATH=/bin:/usr/bin", "HOME=/", "TERM=vt100", "TZ=UTC0",
};

#define N_ENVP (sizeof fixed_envp / sizeof fixed_envp[0])
#define N_AUX 17   /* the pairs below and AT_NULL */

/* The largest priority the PD may give its threads: the kernel refuses a
 * higher one (-EPERM); the main thread starts at it and ends there. */
static uint32_t find_prio(uint32_t tid)
{
    uint32_t lo = 0, hi = FB_MAX_PRIO;
    while (lo < hi) {
        uint32_t mid = (lo + hi + 1) / 2;
        if (fb_thread_set_prio(tid, mid) == 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    fb_thread_set_prio(tid, lo);
    return lo;
}

/* 16 bytes for AT_RANDOM: the counter, mixed (not secret yet; fixed under
 * --det, where the counter itself is). */
static void fill_random(uint8_t out[16])
{
    uint64_t x = libos_ticks() ^ 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 2; i++) {
        x += 0x9e3779b97f4a7c15ull;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        memcpy(out + 8 * i, &z, 8);
    }
}

static int info_ok(void)
{
    return info->magic == FB_PDINFO_MAGIC && info->version == FB_PDINFO_VERSION &&
           info->n_maps <= FB_PDINFO_MAX_MAPS;
}

static const char *info_str(uint32_t off)
{
    return off && off < FB_PDINFO_BYTES ? (const char *)info + off : "";
}

const struct fb_pdinfo *libos_info(void)
{
    return info_ok() ? info : NULL;
}

const char *libos_info_str(uint32_t off)
{
    return info_str(off);
}

/* The mapping of the region with this name, or NULL. */
const struct fb_pdinfo_map *libos_region(const char *name)
{
    if (!info_ok())
        return NULL;
    for (uint32_t i = 0; i < info->n_maps; i++)
        if (info->maps[i].kind == FB_MAP_REGION && strcmp(info_str(info->maps[i].name_off), name) == 0)
            return &info->maps[i];
    return NULL;
}

/* The strings of the description's args/env block: argv, "", env. */
static const char *args_block(uint32_t *len)
{
    if (!info_ok() || !info->args_len || info->args_off + info->args_len > FB_PDINFO_BYTES)
        return NULL;
    *len = info->args_len;
    return (const char *)info + info->args_off;
}

/* An environment entry of the description (before main runs too), or NULL. */
const char *libos_boot_env(const char *key)
{
    uint32_t len;
    const char *p = args_block(&len), *end;
    if (!p)
        return NULL;
    end = p + len;
    while (p < end && *p)            /* skip argv */
        p += strlen(p) + 1;
    p++;
    size_t kl = strlen(key);
    for (; p < end && *p; p += strlen(p) + 1)
        if (strncmp(p, key, kl) == 0 && p[kl] == '=')
            return p + kl + 1;
    return NULL;
}

static __attribute__((noreturn)) void too_small(void)
{
    libos_puts("libos: the initial stack area is too small\n");
    libos_die(127);
}

hidden __attribute__((noreturn, used)) void __libos_start(uint32_t *area, uintptr_t top, uint32_t pd);

void __libos_start(uint32_t *area, uintptr_t top, uint32_t pd)
{
    (void)pd;
    uint32_t tid = (uint32_t)fb_thread_self();
    libos_set_tid(tid);
    libos_main_tid = tid;
    libos_prio = info_ok() ? info->priority : find_prio(tid);
    libos_time_init();
    const struct fb_pdinfo_map *heap = libos_region("heap");
    if (heap && (heap->perms & 6) == 6)
        libos_mm_init(heap->vaddr, heap->size, (uintptr_t)_end);
    else
        libos_mm_init((uintptr_t)__libos_heap_start,
                      (size_t)(__libos_heap_end - __libos_heap_start), (uintptr_t)_end);
    libos_console_init();   /* the serial driver's rings, if the PD has them (console.h) */
    libos_entropy_init();   /* the rng driver's channel `entropy`, if it has one (entropy.h) */
    libos_net_eth_init();   /* the net driver's channel `net`, if it has one: eth0 (net_eth.c) */
    libos_files_init();     /* / (tmpfs), /tmp, /dev; fds 0-2 on /dev/console */
    const struct fb_pdinfo_map *root = libos_region("rootfs");
    if (root) {
        int r = libos_mount_archive((const void *)(uintptr_t)root->vaddr, root->size, "/");
        if (r < 0)
            libos_log_num("the rootfs region is not a valid cpio archive; not mounted, error", (unsigned long)-r);
    }
    ext4_init();            /* the blk driver's channel `blk`, if it has one (ext4_fs.h) */
    libos_events_start();   /* the event thread, if a channel has a handler (events.h) */
    libos_ext4_mount();     /* /data on the disk, if there is one */

    /* argv and envp: the description's, or the fixed ones.  The block is at
     * most FB_MAX_ARGS_BYTES (the image builder and the kernel check it) and
     * every string in it takes at least two bytes, so MAX_STRINGS pointers
     * hold all of it: no argument is ever dropped.  The release boot adds at
     * most 2 arguments and 3 variables (release_boot.c). */
    enum { MAX_STRINGS = FB_MAX_ARGS_BYTES / 2 + 4 };
    const char *argvs[MAX_STRINGS], *envs[MAX_STRINGS];
    size_t n_argv = 0, n_envp = 0;
    uint32_t alen;
    const char *p = args_block(&alen);
    if (p) {
        const char *end = p + alen;
        for (; p < end && *p; p += strlen(p) + 1)
            argvs[n_argv++] = p;
        for (p++; p < end && *p; p += strlen(p) + 1)
            envs[n_envp++] = p;
    }
    if (!n_argv)
        argvs[n_argv++] = fixed_argv[0];
    if (!n_envp)
        for (size_t i = 0; i < N_ENVP; i++)
            envs[n_envp++] = fixed_envp[i];
    libos_release_boot(argvs, &n_argv, MAX_STRINGS, envs, &n_envp, MAX_STRINGS);   /* an update on /data (release_state.h) */

    /* Vectors first, then strings. */
    uint32_t nwords = 1 + (n_argv + 1) + (n_envp + 1) + 2 * N_AUX;
    char *str = (char *)(area + nwords);
    char *end = (char *)top;
    uint32_t *w = area;

    uint8_t *random = (uint8_t *)str;
    str += 16;
    fill_random(random);

    *w++ = n_argv;
    uint32_t argv0 = 0;
    for (size_t i = 0; i < n_argv; i++) {
        size_t l = strlen(argvs[i]) + 1;
        if (str + l > end)
            too_small();
        memcpy(str, argvs[i], l);
        if (i == 0)
            argv0 = (uint32_t)(uintptr_t)str;
        *w++ = (uint32_t)(uintptr_t)str;
        str += l;
    }
    *w++ = 0;
    for (size_t i = 0; i < n_envp; i++) {
        size_t l = strlen(envs[i]) + 1;
        if (str + l > end)
            too_small();
        memcpy(str, envs[i], l);
        *w++ = (uint32_t)(uintptr_t)str;
        str += l;
    }
    *w++ = 0;

    const Elf32_Ehdr *eh = &__ehdr_start;
    uint32_t aux[][2] = {
        { AT_PHDR, (uint32_t)(uintptr_t)eh + eh->e_phoff },
        { AT_PHENT, eh->e_phentsize },
        { AT_PHNUM, eh->e_phnum },
        { AT_PAGESZ, 4096 },
        { AT_BASE, 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, (uint32_t)(uintptr_t)_start },
        { AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
        { AT_SECURE, 0 },
        { AT_HWCAP, LIBOS_HWCAP },
        { AT_CLKTCK, 100 },
        { AT_RANDOM, (uint32_t)(uintptr_t)random },
        { AT_EXECFN, argv0 },
    };
    _Static_assert(sizeof aux / sizeof aux[0] == N_AUX - 1, "room for AT_NULL");
    for (size_t i = 0; i < N_AUX - 1; i++) {
        *w++ = aux[i][0];
        *w++ = aux[i][1];
    }
    *w++ = AT_NULL;
    *w++ = 0;
    if (str > end || w != area + nwords || end - (char *)area > LIBOS_START_AREA)
        too_small();

    char **argv = (char **)(area + 1);
    __libc_start_main(main, (int)area[0], argv, 0, 0, 0);
    libos_die(127);      /* __libc_start_main does not return */
}
