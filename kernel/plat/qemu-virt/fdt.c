/*
 * fdt.c - how much RAM the machine has, from the device tree QEMU leaves at
 * the start of RAM (below the kernel, when it fits there).  Only the
 * /memory node's first "reg" range is read; every offset is bounds-checked
 * against the blob's own header.  Without a device tree the kernel falls
 * back to RAM_SIZE.
 */
#include "kernel.h"
#include "lib.h"
#include "plat/qemu-virt/platform.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Read a value of `cells` 32-bit cells (1 or 2); 0 if it does not fit in 32 bits. */
static uint32_t cells_val(const uint8_t *p, uint32_t cells)
{
    if (cells == 1)
        return be32(p);
    if (cells == 2 && be32(p) == 0)
        return be32(p + 4);
    return 0;
}

uint32_t fdt_ram_size(const void *fdt, uint32_t max_len)
{
    const uint8_t *b = fdt;
    if (max_len < 40 || be32(b) != FDT_MAGIC)
        return 0;
    uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_str = be32(b + 12);
    uint32_t size_str = be32(b + 32), size_struct = be32(b + 36);
    if (total > max_len || off_struct > total || size_struct > total - off_struct ||
        off_str > total || size_str > total - off_str)
        return 0;
    const uint8_t *s = b + off_struct, *end = s + size_struct;
    uint32_t depth = 0, acells = 2, scells = 1, in_memory = 0;
    while (s + 4 <= end) {
        uint32_t tok = be32(s);
        s += 4;
        if (tok == FDT_BEGIN_NODE) {
            const uint8_t *n = s;
            while (n < end && *n)
                n++;
            if (n >= end)
                return 0;
            depth++;
            in_memory = depth == 2 && strncmp((const char *)s, "memory", 6) == 0 &&
                        (s[6] == 0 || s[6] == '@');
            s += ((uint32_t)(n - s) + 1 + 3) & ~3u;
        } else if (tok == FDT_END_NODE) {
            if (depth == 0)
                return 0;
            depth--;
            in_memory = 0;
        } else if (tok == FDT_PROP) {
            if (s + 8 > end)
                return 0;
            uint32_t len = be32(s), nameoff = be32(s + 4);
            s += 8;
            if (len > (uint32_t)(end - s) || nameoff >= size_str)
                return 0;
            const char *name = (const char *)b + off_str + nameoff;
            if (depth == 1 && len == 4 && strncmp(name, "#address-cells", 15) == 0)
                acells = be32(s);
            else if (depth == 1 && len == 4 && strncmp(name, "#size-cells", 12) == 0)
                scells = be32(s);
            else if (in_memory && strncmp(name, "reg", 4) == 0 && len >= 4 * (acells + scells))
                return cells_val(s + 4 * acells, scells) && cells_val(s, acells) == FB_RAM_BASE
                           ? cells_val(s + 4 * acells, scells) : 0;
            s += (len + 3) & ~3u;
        } else if (tok != FDT_NOP) {
            return 0;
        }
    }
    return 0;
}
