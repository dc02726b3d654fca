/*
 * ext4_timer.c - the commit timer of /data (ext4_journal.h): calls that
 * change /data join one running transaction, committed at fsync, when it
 * fills, or at the latest COMMIT_AFTER_S seconds after its first block
 * (as ext4's 5 s commit interval).  That last commit must come even when
 * no call follows, so a thread of its own sleeps until the running
 * transaction's deadline and then commits it (ext4_commit_due, under the
 * ext4 lock, so always between two calls).  It sleeps without a deadline
 * while nothing is held; the first held block wakes it (ext4_timer_kick).
 *
 * Like the event thread it is a libos_helper_thread (events.h), unknown
 * to musl: what it runs (libext2fs through our C library shims,
 * the journal, the blk requests) touches no TLS.
 */
#include "libos.h"
#include "ext4_fs.h"
#include "ext4_journal.h"
#include "events.h"
#include <freebeam/kcall.h>

#define TIMER_STACK 32768u

static volatile uint32_t timer_seq;     /* the thread's futex word */
static bool started;

static __attribute__((noreturn, used)) void timer_loop(void *arg)
{
    (void)arg;
    libos_set_tid((uint32_t)fb_thread_self());
    for (;;) {
        uint32_t seen = __atomic_load_n(&timer_seq, __ATOMIC_SEQ_CST);
        uint64_t deadline = ext4_commit_due();
        fb_futex_wait(&timer_seq, seen, deadline == UINT64_MAX ? 0 : deadline);
    }
}

void ext4_timer_start(void)
{
    if (started)
        return;
    int r = libos_helper_thread(timer_loop, TIMER_STACK);
    if (r) {
        libos_log_num("ext4: cannot start the commit timer; a transaction waits for the next fsync or call, error",
                      (unsigned long)-r);
        return;
    }
    started = true;
}

void ext4_timer_kick(void)
{
    if (!started)
        return;
    __atomic_add_fetch(&timer_seq, 1, __ATOMIC_SEQ_CST);
    fb_futex_wake(&timer_seq, 1);
}
