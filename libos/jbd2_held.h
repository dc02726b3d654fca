/*
 * jbd2_held.h - the running transaction's blocks (private to libos): the
 * newest contents of every file-system block written since the last
 * commit, each block once, found by its home block number through a hash
 * index.  Several calls write into one set (group commit, ext4_journal.c):
 * a block written twice keeps only its newest contents, so the commit
 * (jbd2_write.h) logs the state after the last call, never one between.
 *
 * No libext2fs and no memory of its own (the caller gives the arrays), so
 * host tests (tests/host/test_jbd2_write.c) run the same code as libos.
 */
#ifndef LIBOS_JBD2_HELD_H
#define LIBOS_JBD2_HELD_H

#include <stdint.h>

#define JBD2_HELD_SLOTS 2048u           /* index slots: a power of two, at least twice cap */

struct jbd2_held {
    uint32_t cap;                       /* blocks at most (<= JBD2_HELD_SLOTS / 2) */
    uint32_t n;                         /* blocks held */
    uint64_t *homes;                    /* [cap]: homes[i] is the home of datas[i] */
    uint8_t **datas;                    /* [cap]: the caller's block buffers */
    uint16_t *index;                    /* [JBD2_HELD_SLOTS]: 1 + a place in homes, 0 empty */
};

/* Empty the set (after its commit, or at the start). */
void jbd2_held_clear(struct jbd2_held *h);
/* The held contents of `block`, or NULL. */
uint8_t *jbd2_held_find(const struct jbd2_held *h, uint64_t block);
/* `block` held from now on, in datas[n] (which the caller allocated,
 * n < cap, block not held yet): that buffer, its contents the caller's to
 * fill. */
uint8_t *jbd2_held_add(struct jbd2_held *h, uint64_t block);
/* homes (and datas with them) in increasing order, so that neighbours on
 * the disk are written together; the index is stale until the next clear. */
void jbd2_held_sort(struct jbd2_held *h);

#endif
