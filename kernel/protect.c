/*
 * protect.c - PROTECT: a PD changes the permissions of pages of its own
 * mappings, for mprotect and guard pages.  Never more than the mapping was
 * given by the description, never writable and executable together; perms
 * 0 takes every user access away.  A restart gives every page its
 * mapping's permissions back (pd_unprotect).  The kernel's own checks of a
 * PD's pointers (uaccess.c) still go by the mappings.
 */
#include "kernel.h"

static const struct seg_map *map_at(const struct pd *pd, uint32_t addr)
{
    for (uint32_t i = 0; i < pd->nmaps; i++) {
        const struct seg_map *m = &pd->maps[i];
        if (addr >= m->vaddr && addr - m->vaddr < m->size)
            return m;
    }
    return NULL;
}

int pd_protect(struct pd *pd, uint32_t vaddr, uint32_t len, uint32_t perms)
{
    if (((vaddr | len) & (FB_PAGE - 1u)) || !len || (uint64_t)vaddr + len > FB_USER_TOP ||
        (perms & ~(FB_PERM_R | FB_PERM_W | FB_PERM_X)) ||
        ((perms & FB_PERM_W) && (perms & FB_PERM_X)) || (perms && !(perms & FB_PERM_R)))
        return -FB_EINVAL;
    /* Every page in a mapping that allows perms: mappings never overlap,
     * so walk them from one to the next. */
    for (uint64_t a = vaddr; a < (uint64_t)vaddr + len;) {
        const struct seg_map *m = map_at(pd, (uint32_t)a);
        if (!m)
            return -FB_EINVAL;
        if (perms & ~m->perms)
            return -FB_EPERM;
        a = (uint64_t)m->vaddr + m->size;
    }
    mmu_protect(pd->l1, pd->asid, vaddr, len, perms);
    pd->protected = 1;
    return 0;
}

void pd_unprotect(struct pd *pd)
{
    if (!pd->protected)
        return;
    for (uint32_t i = 0; i < pd->nmaps; i++)
        mmu_protect(pd->l1, pd->asid, pd->maps[i].vaddr, pd->maps[i].size, pd->maps[i].perms);
    pd->protected = 0;
}
