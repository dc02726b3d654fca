/*
 * test_blk_inflight.c - libos's book of its requests to the virtio-blk
 * driver in flight (libos/blk_inflight.c) on the host: cookies are never
 * 0 and differ, answers are taken only oldest first (an unknown cookie, one
 * out of order, an answer with nothing in flight are refused and change
 * nothing), the cap (the queue's depth) is kept, and a slot is busy while
 * any request using it is in flight.
 */
#include <stdint.h>
#include "check.h"
#include "../../libos/blk_inflight.h"

static void in_order(void)
{
    struct blk_inflight t = { 0 };
    blk_if_reset(&t, 8);
    uint32_t slot = 99;
    CHECK(blk_if_answer(&t, 1, &slot) < 0 && slot == 99);   /* nothing in flight */
    uint32_t a = blk_if_add(&t, 0), b = blk_if_add(&t, 1), f = blk_if_add(&t, BLK_IF_NO_SLOT);
    CHECK(a && b && f && a != b && b != f && a != f);
    CHECK(blk_if_count(&t) == 3);
    CHECK(blk_if_slot_busy(&t, 0) && blk_if_slot_busy(&t, 1) && !blk_if_slot_busy(&t, 2));
    CHECK(blk_if_answer(&t, b, &slot) < 0);                 /* out of order */
    CHECK(blk_if_answer(&t, f, &slot) < 0);
    CHECK(blk_if_answer(&t, 12345, &slot) < 0);             /* unknown */
    CHECK(blk_if_count(&t) == 3 && blk_if_slot_busy(&t, 0));
    CHECK(blk_if_answer(&t, a, &slot) == 0 && slot == 0);
    CHECK(!blk_if_slot_busy(&t, 0) && blk_if_slot_busy(&t, 1));
    CHECK(blk_if_answer(&t, a, &slot) < 0);                 /* twice */
    CHECK(blk_if_answer(&t, b, &slot) == 0 && slot == 1);
    CHECK(blk_if_answer(&t, f, &slot) == 0 && slot == BLK_IF_NO_SLOT);
    CHECK(blk_if_count(&t) == 0 && !blk_if_slot_busy(&t, 1));
}

static void cap_and_slots(void)
{
    struct blk_inflight t = { 0 };
    blk_if_reset(&t, 3);
    CHECK(blk_if_add(&t, BLK_IF_SLOTS) == 0);               /* no such slot */
    CHECK(blk_if_add(&t, 2) && blk_if_add(&t, 2) && !blk_if_full(&t));
    uint32_t c = blk_if_add(&t, 3);
    CHECK(c && blk_if_full(&t));
    CHECK(blk_if_add(&t, 0) == 0);                          /* the cap */
    CHECK(blk_if_slot_busy(&t, 2) && !blk_if_slot_busy(&t, 0) && !blk_if_slot_busy(&t, BLK_IF_SLOTS + 5));
    blk_if_reset(&t, 0);
    CHECK(t.cap == 1 && blk_if_count(&t) == 0 && !blk_if_slot_busy(&t, 2));
    blk_if_reset(&t, 1000);
    CHECK(t.cap == BLK_IF_MAX);
    /* Around the ring many times, with a slot per request. */
    uint32_t cookies[BLK_IF_MAX];
    for (uint32_t i = 0; i < BLK_IF_MAX; i++)
        cookies[i] = blk_if_add(&t, i % BLK_IF_SLOTS);
    CHECK(blk_if_full(&t));
    int bad = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t k = i % BLK_IF_MAX, slot;
        bad += blk_if_answer(&t, cookies[k], &slot) != 0 || slot != k % BLK_IF_SLOTS;
        cookies[k] = blk_if_add(&t, k % BLK_IF_SLOTS);
        bad += cookies[k] == 0;
    }
    CHECK(bad == 0);
}

static void cookie_wrap(void)
{
    struct blk_inflight t = { 0 };
    blk_if_reset(&t, 2);
    t.last_cookie = 0xfffffffeu;
    uint32_t a = blk_if_add(&t, 0), b = blk_if_add(&t, 0), slot;
    CHECK(a == 0xffffffffu && b == 1);                      /* 0 is skipped */
    CHECK(blk_if_answer(&t, a, &slot) == 0 && blk_if_slot_busy(&t, 0));
    CHECK(blk_if_answer(&t, b, &slot) == 0 && !blk_if_slot_busy(&t, 0));
}

int main(void)
{
    in_order();
    cap_and_slots();
    cookie_wrap();
    return check_report("test_blk_inflight");
}
