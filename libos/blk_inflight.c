/*
 * blk_inflight.c - libos's requests to the virtio-blk driver in flight and
 * the slots of blk_data they use (blk_inflight.h).
 */
#include "blk_inflight.h"

void blk_if_reset(struct blk_inflight *t, uint32_t cap)
{
    t->first = 0;
    t->n = 0;
    t->cap = cap < 1 ? 1 : cap > BLK_IF_MAX ? BLK_IF_MAX : cap;
    for (uint32_t i = 0; i < BLK_IF_SLOTS; i++)
        t->users[i] = 0;
}

uint32_t blk_if_add(struct blk_inflight *t, uint32_t slot)
{
    if (t->n >= t->cap || (slot != BLK_IF_NO_SLOT && slot >= BLK_IF_SLOTS))
        return 0;
    if (++t->last_cookie == 0)
        t->last_cookie = 1;
    uint32_t i = (t->first + t->n) % BLK_IF_MAX;
    t->cookie[i] = t->last_cookie;
    t->slot[i] = (uint8_t)slot;
    if (slot != BLK_IF_NO_SLOT)
        t->users[slot]++;
    t->n++;
    return t->last_cookie;
}

int blk_if_answer(struct blk_inflight *t, uint32_t cookie, uint32_t *slot)
{
    if (t->n == 0 || t->cookie[t->first] != cookie)
        return -1;
    uint32_t s = t->slot[t->first];
    if (s != BLK_IF_NO_SLOT)
        t->users[s]--;
    t->first = (t->first + 1) % BLK_IF_MAX;
    t->n--;
    *slot = s;
    return 0;
}

bool blk_if_full(const struct blk_inflight *t)
{
    return t->n >= t->cap;
}

bool blk_if_slot_busy(const struct blk_inflight *t, uint32_t slot)
{
    return slot < BLK_IF_SLOTS && t->users[slot] > 0;
}

uint32_t blk_if_count(const struct blk_inflight *t)
{
    return t->n;
}
