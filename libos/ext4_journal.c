/*
 * ext4_journal.c - the journal layer of /data (ext4_journal.h): the held
 * set of blocks libext2fs wrote since the last commit (jbd2_held.h), and
 * its commit as a JBD2 transaction into the journal inode's blocks
 * (jbd2_write.c does the log's format and order; this file gives it the
 * disk).  Calls join the running transaction until ext4_fs.c commits it
 * (group commit: ext4_journal_due says when).
 *
 * The held set is kept in the file system's block size: a write of part
 * of a block (libext2fs writes the superblock as 1024 bytes) first reads
 * the rest of the block.  A read goes to the disk (unless every block it
 * covers is held), then the held blocks it covers are copied over what
 * came back.  The set is bounded by what one transaction may hold; an
 * operation that writes more than that (ext4_fs.c cuts large writes so
 * that none should) is committed in two transactions, and says so once on
 * the console.  The commit writes the log and then the homes in order of
 * block number through ext4_disk_stage, so that neighbours go to the disk
 * as one request.  A whole-block write to a block allocated since the
 * last commit (free in the committed state: jbd2_fresh.h) is not held but
 * staged home at once; the commit's first flush covers it.
 */
#include "libos.h"
#include "ext4_journal.h"
#include "ext4_io.h"
#include "jbd2_fresh.h"
#include "jbd2_held.h"
#include "jbd2_write.h"
#include "vfs.h"
#include <string.h>
/* libext2fs's helpers out of line (see ext4_io.c). */
#define NO_INLINE_FUNCS
#include "ext2fs/ext2fs.h"

#define MAX_HELD 1024u                  /* blocks held at most, whatever the journal's size */
#define COMMIT_AFTER_S 5u               /* a running transaction is committed at most this old */
#define MAX_RUNS 64u                    /* extents of the journal inode we follow */

struct run {                            /* journal blocks [log, log + len) at disk blocks [disk, ...) */
    uint64_t log, disk, len;
};

static struct run runs[MAX_RUNS];
static uint32_t nruns;
static uint32_t bs;                     /* the file system's block size */
static struct jbd2_writer writer;
static uint8_t *jsb, *scratch;          /* the journal superblock; the writer's scratch block */
static struct jbd2_held set;            /* the running transaction (set.cap: its most blocks) */
static uint32_t allocated;              /* block buffers in set.datas */
static struct jbd2_fresh *fresh;        /* blocks written home before the commit (jbd2_fresh.h) */
static uint64_t opened_at;              /* ticks: when the running transaction got its first block */
static bool holding, failed, said_split;

/* ---- the journal inode's blocks ---- */
static int add_block(ext2_filsys fs, blk64_t *blocknr, e2_blkcnt_t blockcnt, blk64_t ref_blk,
                     int ref_offset, void *priv)
{
    (void)fs;
    (void)ref_blk;
    (void)ref_offset;
    bool *bad = priv;
    if (blockcnt < 0)
        return 0;
    struct run *last = nruns ? &runs[nruns - 1] : NULL;
    if (last && last->log + last->len == (uint64_t)blockcnt && last->disk + last->len == *blocknr) {
        last->len++;
        return 0;
    }
    if (nruns == MAX_RUNS) {
        *bad = true;
        return BLOCK_ABORT;
    }
    runs[nruns++] = (struct run){ (uint64_t)blockcnt, *blocknr, 1 };
    return 0;
}

static uint64_t disk_block_of(uint32_t pos)
{
    for (uint32_t i = 0; i < nruns; i++)
        if (pos >= runs[i].log && pos - runs[i].log < runs[i].len)
            return runs[i].disk + (pos - runs[i].log);
    return 0;
}

/* ---- the writer's callbacks: straight to the disk ---- */
static int write_log(void *ctx, uint32_t pos, const uint8_t *buf)
{
    (void)ctx;
    uint64_t blk = disk_block_of(pos);
    if (!blk)
        return -EIO;
    return ext4_disk_stage(blk * bs, buf, bs) ? -EIO : 0;
}

static int write_home(void *ctx, uint64_t block, const uint8_t *buf)
{
    (void)ctx;
    return ext4_disk_stage(block * bs, buf, bs) ? -EIO : 0;
}

static int flush(void *ctx)
{
    (void)ctx;
    return ext4_disk_flush() == -EIO ? -EIO : 0;    /* -EOPNOTSUPP: the driver said durability is not claimed */
}

static const struct jbd2_wio wio_template = { .write_log = write_log, .write_fs = write_home, .flush = flush };

static int commit_held(void)
{
    if (set.n == 0)
        return 0;
    jbd2_held_sort(&set);
    struct jbd2_wio io = wio_template;
    io.sb = jsb;
    io.scratch = scratch;
    int r = jbd2_commit(&writer, &io, set.n, set.homes, set.datas, (uint64_t)(vfs_now_ns() / 1000000000));
    jbd2_held_clear(&set);
    jbd2_fresh_reset(fresh);
    if (r) {
        failed = true;
        libos_log_num("ext4: a journal commit failed: /data takes no more writes; error", (unsigned long)-r);
        return -EIO;
    }
    return 0;
}

/* ---- open and close ---- */
int ext4_journal_open(ext2_filsys fs)
{
    ext2_ino_t ino = fs->super->s_journal_inum;
    struct ext2_inode inode;
    if (!ext2fs_has_feature_journal(fs->super) || ino == 0 || ext2fs_read_inode(fs, ino, &inode))
        return -EINVAL;
    bs = fs->blocksize;
    nruns = 0;
    bool bad = false;
    if (ext2fs_block_iterate3(fs, ino, BLOCK_FLAG_DATA_ONLY | BLOCK_FLAG_READ_ONLY, NULL, add_block, &bad) || bad)
        return -EINVAL;
    if ((!jsb && ext2fs_get_mem(bs, &jsb)) || (!scratch && ext2fs_get_mem(bs, &scratch)))
        return -ENOMEM;
    uint64_t blk = disk_block_of(0);
    if (!blk || ext4_disk_bytes(false, blk * bs, jsb, bs))
        return -EIO;
    /* Checksums in the log when the file system has them, as Linux does. */
    if (ext2fs_has_feature_metadata_csum(fs->super) &&
        jbd2_enable_csum_v3(jsb, ext2fs_has_feature_64bit(fs->super)) &&
        (ext4_disk_bytes(true, blk * bs, jsb, bs) || ext4_disk_flush() == -EIO))
        return -EIO;
    if (jbd2_writer_open(&writer, jsb, bs, EXT2_I_SIZE(&inode) / bs))
        return -EINVAL;
    for (uint64_t p = writer.first; p < writer.maxlen; p++)
        if (!disk_block_of((uint32_t)p))
            return -EINVAL;             /* a hole in the journal */
    set.cap = jbd2_max_blocks(&writer);
    if (set.cap > MAX_HELD)
        set.cap = MAX_HELD;
    if (set.cap < 16)
        return -EINVAL;
    if (!set.homes && (ext2fs_get_array(MAX_HELD, sizeof *set.homes, &set.homes) ||
                       ext2fs_get_array(MAX_HELD, sizeof *set.datas, &set.datas) ||
                       ext2fs_get_array(JBD2_HELD_SLOTS, sizeof *set.index, &set.index) ||
                       ext2fs_get_memzero(sizeof *fresh, &fresh)))
        return -ENOMEM;
    jbd2_held_clear(&set);
    jbd2_fresh_reset(fresh);
    failed = false;
    return 0;
}

void ext4_journal_hold(void)
{
    holding = true;
}

bool ext4_journal_on(void)
{
    return holding;
}

uint32_t ext4_journal_room(void)
{
    return set.cap;
}

uint64_t ext4_journal_deadline(void)
{
    if (!holding || set.n == 0 || failed)
        return UINT64_MAX;
    return opened_at + (uint64_t)COMMIT_AFTER_S * libos_freq();
}

bool ext4_journal_due(uint32_t reserve)
{
    if (!holding || set.n == 0)
        return false;
    return failed || set.n + reserve >= set.cap / 2 || libos_ticks() >= ext4_journal_deadline();
}

int ext4_journal_commit(void)
{
    if (!holding)
        return 0;
    return failed ? -EIO : commit_held();
}

int ext4_journal_close(void)
{
    if (!holding)
        return 0;
    int r = ext4_journal_commit();
    struct jbd2_wio io = wio_template;
    io.sb = jsb;
    io.scratch = scratch;
    if (!r && jbd2_close(&writer, &io))
        r = -EIO;
    holding = false;
    return r;
}

/* ---- reads and writes while holding ---- */
static uint8_t *held(uint64_t block)
{
    return jbd2_held_find(&set, block);
}

long ext4_journal_read(uint64_t off, uint8_t *buf, uint64_t len)
{
    uint64_t first = off / bs, last = (off + len - 1) / bs;
    bool all_held = len > 0;
    for (uint64_t b = first; b <= last && all_held; b++)
        all_held = held(b) != NULL;
    if (!all_held) {
        errcode_t e = ext4_disk_bytes(false, off, buf, len);
        if (e)
            return e;
    }
    for (uint64_t b = first; len > 0 && b <= last; b++) {
        const uint8_t *d = held(b);
        if (!d)
            continue;
        uint64_t start = b * bs, end = start + bs;
        uint64_t from = start > off ? start : off;
        uint64_t to = end < off + len ? end : off + len;
        memcpy(buf + (from - off), d + (from - start), to - from);
    }
    return 0;
}

/* A new held block for `block`, its bytes from the disk when `whole` is false. */
static errcode_t hold_new(uint64_t block, bool whole, uint8_t **out)
{
    if (failed)
        return EXT2_ET_SHORT_WRITE;
    if (set.n == set.cap) {
        if (!said_split) {
            said_split = true;
            libos_puts("libos: ext4: an operation wrote more than one transaction holds: "
                       "it is committed in parts\n");
        }
        if (commit_held())
            return EXT2_ET_SHORT_WRITE;
    }
    if (set.n == allocated) {
        if (ext2fs_get_mem(bs, &set.datas[set.n]))
            return EXT2_ET_NO_MEMORY;
        allocated++;
    }
    uint8_t *d = set.datas[set.n];
    if (!whole) {
        errcode_t e = ext4_disk_bytes(false, block * bs, d, bs);
        if (e)
            return e;
    }
    if (set.n == 0)
        opened_at = libos_ticks();
    *out = jbd2_held_add(&set, block);
    if (set.n == 1)
        ext4_timer_kick();              /* a transaction runs: its commit is due in COMMIT_AFTER_S */
    return 0;
}

long ext4_journal_alloc_block(struct struct_ext2_filsys *fs, unsigned long long goal, unsigned long long *ret,
                              struct blk_alloc_ctx *ctx)
{
    errcode_t e = ext2fs_new_block3(fs, goal, fs->block_map, ret, ctx);
    if (!e && holding && fresh)
        jbd2_fresh_note(fresh, *ret, +1);   /* before libext2fs writes its zeroes into it */
    return e;
}

void ext4_journal_block_stats(struct struct_ext2_filsys *fs, unsigned long long block, int inuse)
{
    (void)fs;
    if (holding && fresh)
        jbd2_fresh_note(fresh, block, inuse);
}

void ext4_journal_block_stats_range(struct struct_ext2_filsys *fs, unsigned long long block, unsigned int num,
                                    int inuse)
{
    for (unsigned int i = 0; i < num; i++)
        ext4_journal_block_stats(fs, block + i, inuse);
}

long ext4_journal_write(uint64_t off, const uint8_t *buf, uint64_t len)
{
    while (len > 0) {
        uint64_t block = off / bs, in = off % bs;
        uint64_t n = bs - in < len ? bs - in : len;
        uint8_t *d = held(block);
        if (!d && n == bs && jbd2_fresh_is(fresh, block)) {
            /* Free at the last commit: home now, flushed before the next
             * commit block (jbd2_fresh.h). */
            if (failed || ext4_disk_stage(off, buf, bs))
                return EXT2_ET_SHORT_WRITE;
            off += n;
            buf += n;
            len -= n;
            continue;
        }
        if (!d) {
            errcode_t e = hold_new(block, in == 0 && n == bs, &d);
            if (e)
                return e;
        }
        memcpy(d + in, buf, n);
        off += n;
        buf += n;
        len -= n;
    }
    return 0;
}
