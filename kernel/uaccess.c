/*
 * uaccess.c - may a PD's pointer be used?  Every address a PD hands the
 * kernel (strings, futex words, clear addresses) is checked against the
 * PD's own list of mappings and their permissions before the kernel
 * touches it, so a bad pointer is an error code, never a kernel fault.
 */
#include "kernel.h"

int uaccess_ok(const struct pd *pd, uint32_t addr, uint32_t len, uint32_t perms)
{
    uint64_t a = addr, end = (uint64_t)addr + len;
    while (a < end) {
        const struct seg_map *hit = NULL;
        for (uint32_t i = 0; i < pd->nmaps; i++) {
            const struct seg_map *m = &pd->maps[i];
            if (a >= m->vaddr && a < (uint64_t)m->vaddr + m->size) {
                hit = m;
                break;
            }
        }
        if (!hit || (hit->perms & perms) != perms)
            return 0;
        a = (uint64_t)hit->vaddr + hit->size;
    }
    return 1;
}
