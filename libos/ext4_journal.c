/*
 * ext4_journal.c - the journal layer of /data (ext4_journal.h): the held
 * set of blocks libext2fs wrote during an operation, and its commit as a
 * JBD2 transaction into the journal inode's blocks (jbd2_write.c does the
 * log's format and order; this file gives it the disk).
 *
 * The held set is kept in the file system's block size: a write of part
 * of a block (libext2fs writes the superblock as 1024 bytes) first reads
 * the rest of the block.  A read goes to the disk, then the held blocks
 * it covers are copied over what came back.  The set is bounded by what
 * one transaction may hold; an operation that writes more than that
 * (ext4_fs.c cuts large writes so that none should) is committed in two
 * transactions, and says so once on the console.
 */
#include "libos.h"
#include "ext4_journal.h"
#include "ext4_io.h"
#include "jbd2_write.h"
#include "vfs.h"
#include <string.h>
/* libext2fs's helpers out of line (see ext4_io.c). */
#define NO_INLINE_FUNCS
#include "ext2fs/ext2fs.h"

#define MAX_HELD 1024u                  /* blocks held at most, whatever the journal's size */
#define MAX_RUNS 64u                    /* extents of the journal inode we follow */

struct run {                            /* journal blocks [log, log + len) at disk blocks [disk, ...) */
    uint64_t log, disk, len;
};

static struct run runs[MAX_RUNS];
static uint32_t nruns;
static uint32_t bs;                     /* the file system's block size */
static struct jbd2_writer writer;
static uint8_t *jsb, *scratch;          /* the journal superblock; the writer's scratch block */
static uint64_t *homes;                 /* the held set: homes[i] holds datas[i] */
static uint8_t **datas;
static uint32_t nheld, cap, allocated;
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
    return ext4_disk_bytes(true, blk * bs, (uint8_t *)buf, bs) ? -EIO : 0;
}

static int write_home(void *ctx, uint64_t block, const uint8_t *buf)
{
    (void)ctx;
    return ext4_disk_bytes(true, block * bs, (uint8_t *)buf, bs) ? -EIO : 0;
}

static int flush(void *ctx)
{
    (void)ctx;
    return ext4_disk_flush() == -EIO ? -EIO : 0;    /* -EOPNOTSUPP: the driver said durability is not claimed */
}

static const struct jbd2_wio wio_template = { .write_log = write_log, .write_fs = write_home, .flush = flush };

static int commit_held(void)
{
    if (nheld == 0)
        return 0;
    struct jbd2_wio io = wio_template;
    io.sb = jsb;
    io.scratch = scratch;
    int r = jbd2_commit(&writer, &io, nheld, homes, datas, (uint64_t)(vfs_now_ns() / 1000000000));
    nheld = 0;
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
    cap = jbd2_max_blocks(&writer);
    if (cap > MAX_HELD)
        cap = MAX_HELD;
    if (cap < 16)
        return -EINVAL;
    if (!homes && (ext2fs_get_array(MAX_HELD, sizeof *homes, &homes) ||
                   ext2fs_get_array(MAX_HELD, sizeof *datas, &datas)))
        return -ENOMEM;
    nheld = 0;
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
    return cap;
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
    for (uint32_t i = 0; i < nheld; i++)
        if (homes[i] == block)
            return datas[i];
    return NULL;
}

long ext4_journal_read(uint64_t off, uint8_t *buf, uint64_t len)
{
    errcode_t e = ext4_disk_bytes(false, off, buf, len);
    if (e)
        return e;
    for (uint32_t i = 0; i < nheld; i++) {
        uint64_t start = homes[i] * bs, end = start + bs;
        if (end <= off || start >= off + len)
            continue;
        uint64_t from = start > off ? start : off;
        uint64_t to = end < off + len ? end : off + len;
        memcpy(buf + (from - off), datas[i] + (from - start), to - from);
    }
    return 0;
}

/* A new held block for `block`, its bytes from the disk when `whole` is false. */
static errcode_t hold_new(uint64_t block, bool whole, uint8_t **out)
{
    if (failed)
        return EXT2_ET_SHORT_WRITE;
    if (nheld == cap) {
        if (!said_split) {
            said_split = true;
            libos_puts("libos: ext4: an operation wrote more than one transaction holds: "
                       "it is committed in parts\n");
        }
        if (commit_held())
            return EXT2_ET_SHORT_WRITE;
    }
    if (nheld == allocated) {
        if (ext2fs_get_mem(bs, &datas[nheld]))
            return EXT2_ET_NO_MEMORY;
        allocated++;
    }
    uint8_t *d = datas[nheld];
    if (!whole) {
        errcode_t e = ext4_disk_bytes(false, block * bs, d, bs);
        if (e)
            return e;
    }
    homes[nheld++] = block;
    *out = d;
    return 0;
}

long ext4_journal_write(uint64_t off, const uint8_t *buf, uint64_t len)
{
    while (len > 0) {
        uint64_t block = off / bs, in = off % bs;
        uint64_t n = bs - in < len ? bs - in : len;
        uint8_t *d = held(block);
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
