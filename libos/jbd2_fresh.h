/*
 * jbd2_fresh.h - blocks that were free when the last transaction committed
 * and have been allocated since (private to libos; ext4_journal.c).  Such a
 * block may be written home at once instead of being logged: until the
 * running transaction commits, the committed state holds it free, so what
 * it holds does not matter after a power cut; the commit's first flush
 * puts it on the medium before the commit block that makes it used.  So
 * file data appended or written into new blocks is written once (as in
 * ext4's data=ordered), while a block that was in use (an overwrite) is
 * still logged, keeping every call whole.
 *
 * A block freed during the running transaction was in use when it began
 * (or was fresh itself): it is never fresh again until the next commit,
 * or a replay of the last transaction could write an old copy over it.
 * When the table is full nothing more is fresh until the next commit
 * (writes are then logged: always safe).
 */
#ifndef LIBOS_JBD2_FRESH_H
#define LIBOS_JBD2_FRESH_H

#include <stdbool.h>
#include <stdint.h>

#define JBD2_FRESH_SLOTS 8192u          /* a power of two */
#define JBD2_FRESH_MOST 6144u           /* blocks recorded at most per transaction */

struct jbd2_fresh {
    uint64_t slot[JBD2_FRESH_SLOTS];    /* 0 empty, else block + 1, bit 63 set: freed */
    uint16_t used[JBD2_FRESH_MOST];     /* the slots in use, to empty them quickly */
    uint32_t n;
    bool full;                          /* something could not be recorded: nothing is fresh */
};

/* Empty: at the start and after every commit. */
void jbd2_fresh_reset(struct jbd2_fresh *f);
/* libext2fs's block allocation statistics: inuse > 0 allocated, < 0 freed. */
void jbd2_fresh_note(struct jbd2_fresh *f, uint64_t block, int inuse);
/* May `block` be written home before the commit? */
bool jbd2_fresh_is(const struct jbd2_fresh *f, uint64_t block);

#endif
