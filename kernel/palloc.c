/*
 * palloc.c - physical memory for PDs, handed out once at boot from the RAM
 * after the image.  There is no free: a PD's frames are reused when it
 * restarts, so the kernel never allocates after boot.
 */
#include "kernel.h"
#include "lib.h"

static uint32_t next, limit;

void palloc_init(uint32_t start, uint32_t end)
{
    next = start;
    limit = end;
}

uint32_t palloc(uint32_t size, uint32_t align)
{
    uint32_t a = (next + align - 1) & ~(align - 1);
    if (a < next || a > limit || size > limit - a)
        return 0;
    next = a + size;
    memset((void *)a, 0, size);
    return a;
}
