/*
 * palloc.c - physical memory for PDs, handed out once at boot from the RAM
 * after the image.  There is no free: a PD's frames are reused when it
 * restarts, so the kernel never allocates after boot.
 *
 * Frames are handed out zeroed.  Where the platform guarantees that RAM
 * above the loaded image is zero at boot (RAM_ZERO_AT_BOOT: QEMU gives a
 * machine fresh, zero-filled RAM and freebeam never warm-resets) nothing needs
 * writing; elsewhere the kernel clears them, eight words a store.
 */
#include "kernel.h"
#include "lib.h"
#include "plat/qemu-virt/platform.h"

static uint32_t next, limit;

void palloc_init(uint32_t start, uint32_t end)
{
    next = start;
    limit = end;
}

/* Clear whole pages quickly (size is a multiple of 1 KiB here). */
static void zero_frames(uint32_t a, uint32_t size)
{
    if ((a | size) & 31u) {
        memset((void *)a, 0, size);
        return;
    }
    uint64_t *p = (uint64_t *)a, *end = (uint64_t *)(a + size);
    while (p < end) {
        p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0;
        p += 4;
    }
}

/* Bytes still free after aligning to `align`. */
uint32_t palloc_left(uint32_t align)
{
    uint32_t a = (next + align - 1) & ~(align - 1);
    return a < next || a > limit ? 0 : limit - a;
}

uint32_t palloc(uint32_t size, uint32_t align)
{
    uint32_t a = (next + align - 1) & ~(align - 1);
    if (a < next || a > limit || size > limit - a)
        return 0;
    next = a + size;
    if (!RAM_ZERO_AT_BOOT)
        zero_frames(a, size);
    return a;
}
