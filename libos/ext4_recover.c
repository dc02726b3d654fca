/*
 * ext4_recover.c - at mount, the journal's committed transactions written
 * home (jbd2_replay.c does the log; this file gives it the journal inode's
 * blocks through libext2fs and the disk), then the journal marked empty.
 * A disk a Linux kernel left after a crash, or one with transactions that
 * debugfs wrote, is then consistent and can be mounted read-write.
 */
#include "libos.h"
#include "ext4_fs.h"
#include "ext4_io.h"
#include "jbd2_replay.h"
#include <string.h>
/* libext2fs's helpers out of line (see ext4_io.c). */
#define NO_INLINE_FUNCS
#include "ext2fs/ext2fs.h"

struct journal {
    ext2_filsys fs;
    ext2_ino_t ino;
    struct ext2_inode inode;
};

static int read_log(void *ctx, uint64_t n, uint8_t *buf)
{
    struct journal *j = ctx;
    blk64_t pblk = 0;
    if (ext2fs_bmap2(j->fs, j->ino, &j->inode, NULL, 0, n, NULL, &pblk) || pblk == 0)
        return -EIO;
    return io_channel_read_blk64(j->fs->io, pblk, 1, buf) ? -EIO : 0;
}

static int write_home(void *ctx, uint64_t block, const uint8_t *buf)
{
    struct journal *j = ctx;
    return io_channel_write_blk64(j->fs->io, block, 1, buf) ? -EIO : 0;
}

int ext4_recover(ext2_filsys fs, uint32_t *transactions, uint32_t *blocks)
{
    struct journal j = { .fs = fs, .ino = fs->super->s_journal_inum };
    if (j.ino == 0 || ext2fs_read_inode(fs, j.ino, &j.inode))
        return -EINVAL;                  /* an external journal: not ours to replay */
    struct jbd2_io io = {
        .ctx = &j, .block_size = fs->blocksize,
        .journal_blocks = EXT2_I_SIZE(&j.inode) / fs->blocksize,
        .fs_blocks = ext2fs_blocks_count(fs->super),
        .read_log = read_log, .write_fs = write_home,
    };
    if (ext2fs_get_mem(fs->blocksize, &io.buf) || ext2fs_get_mem(fs->blocksize, &io.data) ||
        ext2fs_get_array(JBD2_MAX_REVOKES, sizeof *io.revokes, &io.revokes)) {
        ext2fs_free_mem(&io.buf);
        ext2fs_free_mem(&io.data);
        return -ENOMEM;
    }
    struct jbd2_result res;
    int r = jbd2_replay(&io, &res);
    /* The copies on the medium before the journal says they are home. */
    if (!r && ext4_disk_flush() == -EIO)
        r = -EIO;
    if (!r && read_log(&j, 0, io.buf) == 0) {
        jbd2_mark_empty(io.buf, res.next_sequence);
        blk64_t pblk = 0;
        if (ext2fs_bmap2(fs, j.ino, &j.inode, NULL, 0, 0, NULL, &pblk) ||
            io_channel_write_blk64(fs->io, pblk, 1, io.buf) || ext4_disk_flush() == -EIO)
            r = -EIO;
    }
    *transactions = res.transactions;
    *blocks = res.blocks;
    ext2fs_free_mem(&io.buf);
    ext2fs_free_mem(&io.data);
    ext2fs_free_mem(&io.revokes);
    return r;
}
