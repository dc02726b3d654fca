/*
 * jbd2_fresh.c - the blocks allocated since the last commit that were free
 * before it (jbd2_fresh.h): open addressing on the block number, with a
 * list of the slots used so that emptying costs what was recorded.
 */
#include "jbd2_fresh.h"

#define FREED (1ull << 63)

static uint32_t slot_of(uint64_t block)
{
    return (uint32_t)((block * 0x9e3779b97f4a7c15ull) >> 51) & (JBD2_FRESH_SLOTS - 1);
}

void jbd2_fresh_reset(struct jbd2_fresh *f)
{
    for (uint32_t i = 0; i < f->n; i++)
        f->slot[f->used[i]] = 0;
    f->n = 0;
    f->full = false;
}

/* The slot holding block, or the empty one where it would go; UINT32_MAX: none. */
static uint32_t find(const struct jbd2_fresh *f, uint64_t block)
{
    uint32_t s = slot_of(block);
    for (uint32_t tries = 0; tries < JBD2_FRESH_SLOTS; tries++, s = (s + 1) & (JBD2_FRESH_SLOTS - 1))
        if (f->slot[s] == 0 || (f->slot[s] & ~FREED) == block + 1)
            return s;
    return UINT32_MAX;
}

void jbd2_fresh_note(struct jbd2_fresh *f, uint64_t block, int inuse)
{
    if (f->full || inuse == 0)
        return;
    uint32_t s = find(f, block);
    if (s == UINT32_MAX || (f->slot[s] == 0 && f->n == JBD2_FRESH_MOST)) {
        f->full = true;                 /* a free we cannot record: trust nothing */
        return;
    }
    if (f->slot[s] == 0)
        f->used[f->n++] = (uint16_t)s;
    if (inuse < 0)
        f->slot[s] = (block + 1) | FREED;
    else if (!(f->slot[s] & FREED))
        f->slot[s] = block + 1;         /* a freed one stays freed until the commit */
}

bool jbd2_fresh_is(const struct jbd2_fresh *f, uint64_t block)
{
    if (f->full)
        return false;
    uint32_t s = find(f, block);
    return s != UINT32_MAX && f->slot[s] == block + 1;
}
