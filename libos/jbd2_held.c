/*
 * jbd2_held.c - the running transaction's set of blocks (jbd2_held.h):
 * open addressing on a multiplicative hash of the home block number, and
 * a shell sort of the set by home before its commit.
 */
#include "jbd2_held.h"
#include <string.h>

static uint32_t slot_of(uint64_t block)
{
    return (uint32_t)((block * 0x9e3779b97f4a7c15ull) >> 53) & (JBD2_HELD_SLOTS - 1);
}

void jbd2_held_clear(struct jbd2_held *h)
{
    h->n = 0;
    memset(h->index, 0, JBD2_HELD_SLOTS * sizeof *h->index);
}

uint8_t *jbd2_held_find(const struct jbd2_held *h, uint64_t block)
{
    for (uint32_t s = slot_of(block); h->index[s]; s = (s + 1) & (JBD2_HELD_SLOTS - 1))
        if (h->homes[h->index[s] - 1] == block)
            return h->datas[h->index[s] - 1];
    return NULL;
}

uint8_t *jbd2_held_add(struct jbd2_held *h, uint64_t block)
{
    uint32_t s = slot_of(block);
    while (h->index[s])
        s = (s + 1) & (JBD2_HELD_SLOTS - 1);
    h->index[s] = (uint16_t)(h->n + 1);
    h->homes[h->n] = block;
    return h->datas[h->n++];
}

void jbd2_held_sort(struct jbd2_held *h)
{
    for (uint32_t gap = h->n / 2; gap > 0; gap /= 2)
        for (uint32_t i = gap; i < h->n; i++) {
            uint64_t home = h->homes[i];
            uint8_t *d = h->datas[i];
            uint32_t j = i;
            for (; j >= gap && h->homes[j - gap] > home; j -= gap) {
                h->homes[j] = h->homes[j - gap];
                h->datas[j] = h->datas[j - gap];
            }
            h->homes[j] = home;
            h->datas[j] = d;
        }
}
