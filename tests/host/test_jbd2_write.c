/*
 * test_jbd2_write.c - libos/jbd2_write.c: transactions written into a
 * journal in memory (tests/host/jbd2_build.h makes its superblock) and read
 * back by our own replay (libos/jbd2_replay.c):
 *   - each tag format (plain, 64-bit, CSUM_V2, CSUM_V3), an escaped block
 *     (first word the JBD2 magic), a log that wraps around its end;
 *   - a torn transaction (no commit block, or a commit block whose
 *     checksum is wrong) is not applied;
 *   - the power cut at every point of a run of transactions: what reaches
 *     the medium is every write before the last flush and none, all or
 *     every other of the writes after it; after the replay the file system
 *     is exactly the state after some transaction, never older than the
 *     last one whose commit returned;
 *   - group commit (libos/jbd2_held.c, as ext4_journal.c uses it): several
 *     calls written into one held set (a block written twice keeps its
 *     newest contents), committed as one transaction; the power cut at
 *     every point leaves the state after some whole group of calls, never
 *     after part of one; a rename (a name leaving one directory block for
 *     another) is never half done nor doubled; a grouped transaction whose
 *     commit block is torn is not replayed; each group also appends into a
 *     newly allocated block written home before its commit
 *     (libos/jbd2_fresh.c says which blocks may be): free, so of no
 *     matter, in every state before that group;
 *   - what cannot be written: a journal not empty, an unknown feature, a
 *     transaction larger than half the log.
 */
#include <errno.h>
#include <stdlib.h>
#include "check.h"
#include "jbd2_build.h"
#include "../../libos/jbd2_fresh.h"
#include "../../libos/jbd2_held.h"
#include "../../libos/jbd2_replay.h"
#include "../../libos/jbd2_write.h"

#define FS_BLOCKS 64u
#define MAX_OPS 400u
#define TXNS 8u

/* The medium: the journal and the file system's blocks. */
struct disk {
    uint8_t log[JB_BLOCKS][JB_BS];
    uint8_t fs[FS_BLOCKS][JB_BS];
};

/* Every write and flush, in order, for the power cuts. */
enum op_kind { OP_LOG, OP_FS, OP_FLUSH };
struct op {
    enum op_kind kind;
    uint64_t where;
    uint8_t data[JB_BS];
};
static struct op ops[MAX_OPS];
static unsigned nops;
static struct disk live;         /* every write applied at once */

static int record(enum op_kind kind, uint64_t where, const uint8_t *buf)
{
    if (nops == MAX_OPS)
        return -ENOSPC;
    ops[nops].kind = kind;
    ops[nops].where = where;
    if (buf)
        memcpy(ops[nops].data, buf, JB_BS);
    nops++;
    return 0;
}

static int write_log(void *ctx, uint32_t pos, const uint8_t *buf)
{
    (void)ctx;
    if (pos >= JB_BLOCKS)
        return -EIO;
    memcpy(live.log[pos], buf, JB_BS);
    return record(OP_LOG, pos, buf);
}

static int write_fs(void *ctx, uint64_t block, const uint8_t *buf)
{
    (void)ctx;
    if (block >= FS_BLOCKS)
        return -EIO;
    memcpy(live.fs[block], buf, JB_BS);
    return record(OP_FS, block, buf);
}

static int flush(void *ctx)
{
    (void)ctx;
    return record(OP_FLUSH, 0, NULL);
}

static uint8_t sb[JB_BS], scratch[JB_BS];
static const struct jbd2_wio wio = { .write_log = write_log, .write_fs = write_fs, .flush = flush,
                                     .sb = sb, .scratch = scratch };

/* A fresh journal (empty, sequence 5) with the given features; the writer on it. */
static void start(struct jbd2_writer *w, uint32_t incompat)
{
    static struct jb j;
    jb_init(&j, 0, 5, incompat);
    for (unsigned i = 0; i < 16; i++)
        j.log[0][48 + i] = (uint8_t)(0x10 + i);     /* a UUID, so that the seed is not trivial */
    memset(&live, 0, sizeof live);
    memcpy(live.log, j.log, sizeof live.log);
    memcpy(sb, j.log[0], JB_BS);
    nops = 0;
    CHECK(jbd2_writer_open(w, sb, JB_BS, JB_BLOCKS) == 0);
}

/* ---- replay of a disk image ---- */
static struct disk replayed;
static uint8_t rbuf[JB_BS], rdata[JB_BS];
static struct jbd2_revoke revokes[JBD2_MAX_REVOKES];

static int read_log_r(void *ctx, uint64_t n, uint8_t *buf)
{
    (void)ctx;
    if (n >= JB_BLOCKS)
        return -EIO;
    memcpy(buf, replayed.log[n], JB_BS);
    return 0;
}

static int write_fs_r(void *ctx, uint64_t block, const uint8_t *buf)
{
    (void)ctx;
    if (block >= FS_BLOCKS)
        return -EIO;
    memcpy(replayed.fs[block], buf, JB_BS);
    return 0;
}

/* Replay `replayed` in place: jbd2_replay's result. */
static int replay(struct jbd2_result *res)
{
    struct jbd2_io io = { .block_size = JB_BS, .journal_blocks = JB_BLOCKS, .fs_blocks = FS_BLOCKS,
                          .read_log = read_log_r, .write_fs = write_fs_r, .buf = rbuf, .data = rdata,
                          .revokes = revokes };
    return jbd2_replay(&io, res);
}

/* ---- transactions ---- */
static uint8_t bufs[16][JB_BS];
static uint8_t *datas[16];
static uint64_t homes[16];

/* Transaction t: n blocks (home t*3 + 2*i mod FS_BLOCKS), each filled with
 * a value of t and i; block 0 of transaction 1 starts with the magic. */
static unsigned make_txn(unsigned t, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        homes[i] = (t * 3 + 2 * i) % FS_BLOCKS;
        memset(bufs[i], (int)(t * 16 + i + 1), JB_BS);
        if (t == 1 && i == 0)
            jb_be32(bufs[i], JB_MAGIC);
        datas[i] = bufs[i];
    }
    return n;
}

static void formats(void)
{
    static const uint32_t features[] = { 0, 0x1, 0x2, 0x2 | 0x8, 0x8, 0x10, 0x10 | 0x2 | 0x1 };
    for (unsigned k = 0; k < sizeof features / sizeof features[0]; k++) {
        struct jbd2_writer w;
        start(&w, features[k]);
        CHECK(jbd2_max_blocks(&w) == 13);   /* (31 / 2) - descriptor - commit */
        struct disk want;
        memset(&want, 0, sizeof want);
        for (unsigned t = 0; t < TXNS; t++) {   /* 8 transactions of up to 6 blocks: the log wraps */
            unsigned n = make_txn(t, 1 + t % 6);
            CHECK(jbd2_commit(&w, &wio, n, homes, datas, 1000 + t) == 0);
            for (unsigned i = 0; i < n; i++)
                memcpy(want.fs[homes[i]], datas[i], JB_BS);
        }
        CHECK(memcmp(live.fs, want.fs, sizeof want.fs) == 0);
        /* The homes lost (a power cut before any reached the medium): the replay restores the last. */
        memcpy(replayed.log, live.log, sizeof live.log);
        memset(replayed.fs, 0, sizeof replayed.fs);
        struct jbd2_result res;
        CHECK(replay(&res) == 0 && res.transactions == 1 && res.next_sequence == 5 + TXNS);
        unsigned n = make_txn(TXNS - 1, 1 + (TXNS - 1) % 6);
        for (unsigned i = 0; i < n; i++)
            CHECK(memcmp(replayed.fs[homes[i]], datas[i], JB_BS) == 0);
        /* The escaped block of transaction 1 comes back with its magic. */
        start(&w, features[k]);
        n = make_txn(1, 2);
        CHECK(jbd2_commit(&w, &wio, n, homes, datas, 7) == 0);
        memcpy(replayed.log, live.log, sizeof live.log);
        memset(replayed.fs, 0, sizeof replayed.fs);
        CHECK(replay(&res) == 0 && res.blocks == 2 && memcmp(replayed.fs[homes[0]], bufs[0], JB_BS) == 0);
        CHECK(bufs[0][0] == 0xc0 && bufs[0][3] == 0x98);   /* the caller's block left as it was */
        /* Closed: the journal is empty, nothing to replay. */
        CHECK(jbd2_close(&w, &wio) == 0);
        memcpy(replayed.log, live.log, sizeof live.log);
        CHECK(replay(&res) == 0 && res.transactions == 0 && res.next_sequence == 6);
    }
}

/* The last transaction's commit block missing or damaged: not applied.
 * The superblock is set back to the first transaction, as a power cut
 * before the second's superblock write reached the medium leaves it. */
static void torn(void)
{
    static const uint32_t features[] = { 0, 0x10, 0x8 | 0x2 };
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned damage = 0; damage < (features[k] ? 2u : 1u); damage++) {
            struct jbd2_writer w;
            start(&w, features[k]);
            unsigned n = make_txn(0, 3);
            CHECK(jbd2_commit(&w, &wio, n, homes, datas, 1) == 0);
            n = make_txn(2, 4);
            CHECK(jbd2_commit(&w, &wio, n, homes, datas, 2) == 0);
            uint32_t second_commit = w.head - 1;
            memcpy(replayed.log, live.log, sizeof live.log);
            memset(replayed.fs, 0, sizeof replayed.fs);
            if (damage)
                replayed.log[second_commit][100] ^= 1;      /* torn inside */
            else
                memset(replayed.log[second_commit], 0, JB_BS);  /* never written */
            jbd2_set_log_start(replayed.log[0], 1, 5);
            struct jbd2_result res;
            CHECK(replay(&res) == 0 && res.transactions == 1 && res.blocks == 3 && res.next_sequence == 6);
            CHECK(replayed.fs[homes[0]][0] == 0);           /* block 6: only the second wrote it */
            make_txn(0, 3);
            CHECK(memcmp(replayed.fs[homes[0]], bufs[0], JB_BS) == 0);
        }
    }
}

/* ---- power cuts ---- */
static struct disk states[TXNS + 1];   /* the file system after each transaction */

/* The medium after a cut before op `cut`: every op before the last flush,
 * and of the later ones none (mode 0), all (1) or every other (2). */
static void medium_at(unsigned cut, unsigned mode, const struct disk *before)
{
    unsigned last_flush = 0;
    for (unsigned i = 0; i < cut; i++)
        if (ops[i].kind == OP_FLUSH)
            last_flush = i + 1;
    replayed = *before;
    for (unsigned i = 0; i < cut; i++) {
        if (ops[i].kind == OP_FLUSH)
            continue;
        if (i >= last_flush && (mode == 0 || (mode == 2 && (i - last_flush) % 2)))
            continue;
        if (ops[i].kind == OP_LOG)
            memcpy(replayed.log[ops[i].where], ops[i].data, JB_BS);
        else
            memcpy(replayed.fs[ops[i].where], ops[i].data, JB_BS);
    }
}

/* Blocks FRESH_BASE + g are allocated by group g of grouped() and written
 * home before its commit (jbd2_fresh.h): free, so any contents, in the
 * states before it.  fresh_groups: how many groups do that (0 elsewhere). */
#define FRESH_BASE 50u
static unsigned fresh_groups;

static bool same_state(const struct disk *d, unsigned s)
{
    for (unsigned b = 0; b < FS_BLOCKS; b++) {
        bool free_then = b >= FRESH_BASE + s && b < FRESH_BASE + fresh_groups;
        if (!free_then && memcmp(d->fs[b], states[s].fs[b], JB_BS) != 0)
            return false;
    }
    return true;
}

/* The power cut before every op, each with the three fates of the
 * unflushed writes (medium_at), replayed: the count of cuts that left a
 * state no transaction made (states[0..txns]), or one older than the last
 * transaction whose commit returned (done_at[t]: ops recorded then).
 * *cuts: how many were tried; names (when not NULL): a per-cut check of
 * the replayed disk given how many transactions were durable, counting its
 * failures. */
static unsigned cut_everywhere(const struct disk *before, const unsigned *done_at, unsigned txns,
                               unsigned *cuts, unsigned (*names)(const struct disk *, unsigned))
{
    unsigned bad = 0;
    for (unsigned cut = 0; cut <= nops; cut++) {
        for (unsigned mode = 0; mode < 3; mode++) {
            medium_at(cut, mode, before);
            struct jbd2_result res;
            if (replay(&res) != 0) {
                bad++;
                continue;
            }
            unsigned durable = 0;       /* transactions whose commit returned before the cut */
            while (durable < txns && done_at[durable] <= cut)
                durable++;
            bool found = false;
            for (unsigned s = durable; s <= txns && !found; s++)
                found = same_state(&replayed, s);
            bad += !found + (names ? names(&replayed, durable) : 0);
            ++*cuts;
        }
    }
    return bad;
}

static void power_cuts(uint32_t incompat)
{
    struct jbd2_writer w;
    start(&w, incompat);
    struct disk before = live;
    memset(&states[0], 0, sizeof states[0]);
    unsigned done_at[TXNS];            /* ops recorded when transaction t returned */
    for (unsigned t = 0; t < TXNS; t++) {
        unsigned n = make_txn(t, 1 + (t * 5) % 13);     /* up to the largest transaction */
        CHECK(jbd2_commit(&w, &wio, n, homes, datas, t) == 0);
        done_at[t] = nops;
        states[t + 1] = states[t];
        for (unsigned i = 0; i < n; i++)
            memcpy(states[t + 1].fs[homes[i]], datas[i], JB_BS);
    }
    CHECK(jbd2_close(&w, &wio) == 0);
    unsigned cuts = 0, bad = cut_everywhere(&before, done_at, TXNS, &cuts, NULL);
    if (!CHECK(bad == 0 && cuts == 3 * (nops + 1)))
        printf("    features %#x: %u of %u cuts left a state that no transaction made\n", incompat, bad, cuts);
}

/* ---- group commit ---- */
#define GROUPS 6u
#define NAME 0x4eu                      /* a directory block holding the name starts with this */
#define DIR_OLD 40u
#define DIR_NEW 41u
#define DIR_INODE 42u

static uint8_t held_bufs[13][JB_BS];
static uint8_t *held_datas[13];
static uint64_t held_homes[13];
static uint16_t held_index[JBD2_HELD_SLOTS];
static struct jbd2_held set = { .cap = 13, .homes = held_homes, .datas = held_datas, .index = held_index };

/* One call's write of a whole block into the running transaction, and
 * into `after` (the state once the group is committed). */
static void call_write(uint64_t block, uint8_t value, struct disk *after)
{
    uint8_t *d = jbd2_held_find(&set, block);
    if (!d)
        d = jbd2_held_add(&set, block);
    memset(d, value, JB_BS);
    memset(after->fs[block], value, JB_BS);
}

/* A rename: the name leaves one directory block for the other; the inode
 * changes too. */
static void call_rename(unsigned g, struct disk *after)
{
    bool to_new = g % 2 == 1;
    call_write(to_new ? DIR_OLD : DIR_NEW, 0, after);
    call_write(to_new ? DIR_NEW : DIR_OLD, NAME, after);
    call_write(DIR_INODE, (uint8_t)(0x80 + g), after);
}

/* Group g's calls: file writes (block 3 written by two calls of each
 * group: the later must win) and, from group 1 on, a rename; group 0
 * creates the name in DIR_OLD. */
static void group_calls(unsigned g, struct disk *after)
{
    call_write(3, (uint8_t)(0x10 + g), after);
    call_write(10 + g, (uint8_t)(0x20 + g), after);
    if (g == 0)
        call_write(DIR_OLD, NAME, after);
    else
        call_rename(g, after);
    call_write(3, (uint8_t)(0x30 + g), after);
    /* An append into a block allocated in this group: home at once, and
     * the block that points at it (FRESH_BASE - 1) logged. */
    uint8_t appended[JB_BS];
    memset(appended, 0x60 + (int)g, JB_BS);
    CHECK(write_fs(NULL, FRESH_BASE + g, appended) == 0);
    memcpy(after->fs[FRESH_BASE + g], appended, JB_BS);
    call_write(FRESH_BASE - 1, (uint8_t)(0x70 + g), after);
    for (unsigned i = 0; i < g % 3; i++)
        call_write(20 + 2 * g + i, (uint8_t)(0x40 + g), after);
}

static unsigned names(const struct disk *d)
{
    return (d->fs[DIR_OLD][0] == NAME) + (d->fs[DIR_NEW][0] == NAME);
}

/* 1 if the name is in neither directory block or in both, once group 0
 * (which creates it) is durable or the name is where it was made. */
static unsigned rename_broken(const struct disk *d, unsigned durable)
{
    return names(d) != (durable > 0 || d->fs[DIR_OLD][0] == NAME ? 1u : 0u);
}

static void grouped(uint32_t incompat)
{
    fresh_groups = GROUPS;
    for (unsigned i = 0; i < 13; i++)
        held_datas[i] = held_bufs[i];
    jbd2_held_clear(&set);
    struct jbd2_writer w;
    start(&w, incompat);
    struct disk before = live;
    memset(&states[0], 0, sizeof states[0]);
    unsigned done_at[GROUPS];
    for (unsigned g = 0; g < GROUPS; g++) {
        states[g + 1] = states[g];
        group_calls(g, &states[g + 1]);
        CHECK(jbd2_held_find(&set, 3)[0] == 0x30 + g);     /* the later call's contents */
        jbd2_held_sort(&set);
        for (unsigned i = 1; i < set.n; i++)
            CHECK(set.homes[i - 1] < set.homes[i]);
        CHECK(jbd2_commit(&w, &wio, set.n, set.homes, set.datas, g) == 0);
        jbd2_held_clear(&set);
        done_at[g] = nops;
    }
    CHECK(memcmp(live.fs, states[GROUPS].fs, sizeof live.fs) == 0);
    unsigned cuts = 0, bad = cut_everywhere(&before, done_at, GROUPS, &cuts, rename_broken);
    if (!CHECK(bad == 0 && cuts == 3 * (nops + 1)))
        printf("    grouped, features %#x: %u of %u cuts left a state no group made or a rename half done\n",
               incompat, bad, cuts);
    /* The last group's commit block torn (its superblock write did reach
     * the medium; its homes, written only after the commit's flush, did
     * not): nothing is replayed, the state is the group before's. */
    memset(&replayed, 0, sizeof replayed);
    memcpy(replayed.log, live.log, sizeof live.log);
    replayed.log[w.head - 1][incompat ? 100 : 0] ^= 1;
    memcpy(replayed.fs, states[GROUPS - 1].fs, sizeof replayed.fs);
    struct jbd2_result res;
    CHECK(replay(&res) == 0 && res.transactions == 0);
    CHECK(memcmp(replayed.fs, states[GROUPS - 1].fs, sizeof replayed.fs) == 0 && names(&replayed) == 1);
    fresh_groups = 0;
}

/* jbd2_fresh.c: which blocks may go home before the commit. */
static void fresh_set(void)
{
    static struct jbd2_fresh f;
    jbd2_fresh_reset(&f);
    jbd2_fresh_note(&f, 100, +1);
    CHECK(jbd2_fresh_is(&f, 100) && !jbd2_fresh_is(&f, 101));
    jbd2_fresh_note(&f, 100, -1);           /* freed again: logged from now on */
    jbd2_fresh_note(&f, 100, +1);
    CHECK(!jbd2_fresh_is(&f, 100));
    jbd2_fresh_note(&f, 200, -1);           /* in use at the commit, freed, allocated again */
    jbd2_fresh_note(&f, 200, +1);
    CHECK(!jbd2_fresh_is(&f, 200));
    jbd2_fresh_reset(&f);                   /* the commit: nothing fresh, nothing freed */
    CHECK(!jbd2_fresh_is(&f, 100) && f.n == 0);
    jbd2_fresh_note(&f, 200, +1);
    CHECK(jbd2_fresh_is(&f, 200));
    unsigned fresh = 0;
    for (uint64_t b = 1000; b < 1000 + JBD2_FRESH_MOST; b++)
        jbd2_fresh_note(&f, b, +1);
    for (uint64_t b = 1000; b < 1000 + JBD2_FRESH_MOST; b++)
        fresh += jbd2_fresh_is(&f, b);
    CHECK(f.full && fresh == 0 && !jbd2_fresh_is(&f, 200));   /* full: nothing is trusted */
    jbd2_fresh_reset(&f);
    jbd2_fresh_note(&f, 7, +1);
    CHECK(!f.full && jbd2_fresh_is(&f, 7));
}

static void refused(void)
{
    struct jbd2_writer w;
    static struct jb j;
    jb_init(&j, 3, 5, 0);                   /* not empty: replay first */
    CHECK(jbd2_writer_open(&w, j.log[0], JB_BS, JB_BLOCKS) == -EINVAL);
    jb_init(&j, 0, 5, 0x20);                /* fast commits */
    CHECK(jbd2_writer_open(&w, j.log[0], JB_BS, JB_BLOCKS) == -EINVAL);
    jb_init(&j, 0, 5, 0);
    CHECK(jbd2_writer_open(&w, j.log[0], 4096, JB_BLOCKS) == -EINVAL);
    CHECK(jbd2_writer_open(&w, j.log[0], JB_BS, JB_BLOCKS - 1) == -EINVAL);
    j.log[0][3] = 0;
    CHECK(jbd2_writer_open(&w, j.log[0], JB_BS, JB_BLOCKS) == -EINVAL);
    start(&w, 0);
    static uint8_t big[14][JB_BS];
    uint8_t *many[14];
    uint64_t where[14];
    for (unsigned i = 0; i < 14; i++) {
        many[i] = big[i];
        where[i] = i;
    }
    CHECK(jbd2_commit(&w, &wio, 14, where, many, 0) == -EINVAL && nops == 0);
    where[0] = 1ull << 32;                  /* a 64-bit block number without the 64-bit feature */
    CHECK(jbd2_commit(&w, &wio, 1, where, many, 0) == -EINVAL && nops == 0);
}

/* CSUM_V3 turned on in an empty journal: written and replayed with it. */
static void enable_csum(void)
{
    static struct jb j;
    jb_init(&j, 0, 9, 0x1);
    CHECK(jbd2_enable_csum_v3(j.log[0], true));
    CHECK(!jbd2_enable_csum_v3(j.log[0], true));     /* already on */
    CHECK(j.log[0][43] == (0x1 | 0x2 | 0x10) && j.log[0][0x50] == 4);
    uint32_t want = (uint32_t)j.log[0][0xfc] << 24 | (uint32_t)j.log[0][0xfd] << 16 |
                    (uint32_t)j.log[0][0xfe] << 8 | j.log[0][0xff];
    memset(j.log[0] + 0xfc, 0, 4);
    CHECK(jb_crc32c(~0u, j.log[0], 1024) == want);
    struct jbd2_writer w;
    memcpy(sb, j.log[0], JB_BS);
    CHECK(jbd2_writer_open(&w, sb, JB_BS, JB_BLOCKS) == 0 && w.incompat == (0x1 | 0x2 | 0x10));
    jb_init(&j, 4, 9, 0);                   /* not empty: left alone */
    CHECK(!jbd2_enable_csum_v3(j.log[0], false) && j.log[0][43] == 0);
}

int main(void)
{
    enable_csum();
    formats();
    torn();
    power_cuts(0);
    power_cuts(0x10 | 0x2);
    power_cuts(0x8);
    grouped(0);
    grouped(0x10 | 0x2);
    fresh_set();
    refused();
    return check_report("test_jbd2_write");
}
