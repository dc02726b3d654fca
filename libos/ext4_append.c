/*
 * ext4_append.c - whole blocks appended to a file as extents
 * (ext4_append.h): the run's blocks taken in free runs from after the
 * file's last block (ext2fs_new_range), each run mapped by lengthening the
 * file's last extent when it follows on (else a new one), then the data
 * written one io_manager request per extent it landed in.  (libext2fs's
 * ext2fs_fallocate would not lengthen an initialised extent without
 * zeroing the blocks first.)
 * Only for what is surely an append (nothing mapped at or after the run),
 * so no block of the file changes but the new ones, and libext2fs's
 * one-block buffer of the handle never holds one of them (it holds a
 * block below the file's size, or none).
 */
#include "ext4_append.h"
#include <string.h>
#include <sys/types.h>                  /* dev_t, mode_t for ext2fs.h */
#define NO_INLINE_FUNCS                 /* libext2fs's helpers out of line (see ext4_io.c) */
#include "ext2fs/ext2fs.h"

#define SPARE_BLOCKS 64u                /* left free for the extent tree's own blocks */
#define MAX_LBLK 0xffffffffull          /* an extent's logical block numbers are 32 bits */
#define MAX_EXTENT_LEN 32768u           /* blocks of one initialised extent */

/* True when no block of the file at or after logical block `first` is mapped. */
static bool nothing_from(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *inode, blk64_t first)
{
    ext2_extent_handle_t h;
    if (ext2fs_extent_open2(fs, ino, inode, &h))
        return false;
    struct ext2_extent_info info;
    struct ext2fs_extent last;
    bool none = false;
    if (!ext2fs_extent_get_info(h, &info)) {
        if (info.num_entries == 0)
            none = true;                 /* an empty tree */
        else if (!ext2fs_extent_get(h, EXT2_EXTENT_LAST_LEAF, &last))
            none = last.e_lblk + last.e_len <= first;
    }
    ext2fs_extent_free(h);
    return none;
}

/* The new blocks [pblk, pblk + n) reported to the allocation callback that
 * the caller registered (ext4_journal.c's notes of new blocks): libext2fs
 * 1.47.0's ext2fs_block_alloc_stats_range calls it after its loop has used
 * up the range (with 0 blocks), so the range is reported here again. */
static void report_new(ext2_filsys fs, blk64_t pblk, blk64_t n)
{
    if (fs->block_alloc_stats_range)
        fs->block_alloc_stats_range(fs, pblk, (blk_t)n, +1);
}

/* The extent that ends at logical block l - 1 and physical block pblk - 1,
 * initialised and not full, in *ex (the handle on it): true if there is one. */
static bool ends_before(ext2_extent_handle_t h, blk64_t l, blk64_t pblk, struct ext2fs_extent *ex)
{
    return l > 0 && !ext2fs_extent_goto(h, l - 1) && !ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, ex) &&
           ex->e_lblk + ex->e_len == l && ex->e_pblk + ex->e_len == pblk &&
           !(ex->e_flags & EXT2_EXTENT_FLAGS_UNINIT) && ex->e_len < MAX_EXTENT_LEN;
}

/* Logical blocks [l, l + n) mapped to the new blocks [pblk, pblk + n): the
 * extent ending just before lengthened (a stream's usual case), else the
 * first block mapped by ext2fs_extent_set_bmap (which inserts an extent,
 * splitting nodes as it must) and its extent lengthened over the rest, as
 * far as an extent may go. */
static errcode_t map_blocks(ext2_extent_handle_t h, blk64_t l, blk64_t pblk, blk64_t n)
{
    while (n > 0) {
        struct ext2fs_extent ex;
        blk64_t done = 0;
        if (!ends_before(h, l, pblk, &ex)) {
            errcode_t e = ext2fs_extent_set_bmap(h, l, pblk, 0);
            if (!e)
                e = ext2fs_extent_goto(h, l);
            if (!e)
                e = ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &ex);
            if (e)
                return e;
            if (ex.e_lblk + ex.e_len != l + 1 || ex.e_pblk + ex.e_len != pblk + 1 ||
                (ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT))
                return EXT2_ET_EXTENT_NOT_FOUND;  /* not the extent set_bmap made: cannot be */
            done = 1;
        }
        blk64_t more = n - done;
        if (more > MAX_EXTENT_LEN - ex.e_len)
            more = MAX_EXTENT_LEN - ex.e_len;
        if (more > 0) {
            ex.e_len += (uint32_t)more;
            errcode_t e = ext2fs_extent_replace(h, 0, &ex);
            if (e)
                return e;
        }
        l += done + more;
        pblk += done + more;
        n -= done + more;
    }
    return 0;
}

/* Blocks for [first, first + n) of the file, taken in runs from after the
 * file's last block on, mapped and counted in the inode. */
static errcode_t allocate(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *inode, blk64_t first, blk64_t n)
{
    ext2_extent_handle_t h;
    errcode_t e = ext2fs_extent_open2(fs, ino, inode, &h);
    if (e)
        return e;
    blk64_t goal = ext2fs_find_inode_goal(fs, ino, inode, first);
    for (blk64_t l = first; !e && l < first + n;) {
        blk64_t pblk, got;
        e = ext2fs_new_range(fs, 0, goal, first + n - l, NULL, &pblk, &got);
        if (e)
            break;
        ext2fs_block_alloc_stats_range(fs, pblk, (blk_t)got, +1);
        report_new(fs, pblk, got);
        e = ext2fs_iblk_add_blocks(fs, inode, got);
        if (!e)
            e = map_blocks(h, l, pblk, got);
        l += got;
        goal = pblk + got;
    }
    ext2fs_extent_free(h);
    return e;
}

/* Blocks [first, first + n) of the file, all mapped and initialised, written
 * from buf, one request per extent. */
static errcode_t write_run(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *inode, blk64_t first,
                           const uint8_t *buf, blk64_t n)
{
    ext2_extent_handle_t h;
    errcode_t e = ext2fs_extent_open2(fs, ino, inode, &h);
    if (e)
        return e;
    for (blk64_t l = first; !e && l < first + n;) {
        struct ext2fs_extent ex;
        e = ext2fs_extent_goto(h, l);
        if (!e)
            e = ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &ex);
        if (!e && (l < ex.e_lblk || l - ex.e_lblk >= ex.e_len || (ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT)))
            e = EXT2_ET_EXTENT_NOT_FOUND;   /* allocate() left a hole: cannot be */
        if (e)
            break;
        blk64_t len = ex.e_lblk + ex.e_len - l;
        if (len > first + n - l)
            len = first + n - l;
        e = io_channel_write_blk64(fs->io, ex.e_pblk + (l - ex.e_lblk), (int)len,
                                   buf + (size_t)(l - first) * fs->blocksize);
        l += len;
    }
    ext2fs_extent_free(h);
    return e;
}

bool ext4_append_blocks(ext2_filsys fs, uint32_t ino, ext2_file_t file, uint64_t pos, const void *buf,
                        uint32_t nblocks, long *err)
{
    struct ext2_inode *inode = ext2fs_file_get_inode(file);
    uint32_t bs = fs->blocksize;
    blk64_t first = pos / bs;
    *err = 0;
    if (nblocks < EXT4_APPEND_MIN_BLOCKS || pos % bs || pos < EXT2_I_SIZE(inode) || !ino ||
        !(inode->i_flags & EXT4_EXTENTS_FL) || (inode->i_flags & EXT4_INLINE_DATA_FL) ||
        EXT2FS_CLUSTER_RATIO(fs) != 1 || ext2fs_free_blocks_count(fs->super) < (blk64_t)nblocks + SPARE_BLOCKS ||
        first + nblocks > MAX_LBLK ||
        !nothing_from(fs, ino, inode, first))
        return false;
    /* The handle's buffer holds no block of the run (above), but a dirty
     * one goes out first, as libext2fs would before moving on. */
    errcode_t e = ext2fs_file_flush(file);
    if (e) {
        *err = (long)e;
        return true;
    }
    /* Initialised extents past the size: the size covers them before this
     * call ends, and no commit comes inside a call (ext4_journal.h). */
    e = allocate(fs, ino, inode, first, nblocks);
    if (e) {
        /* Give back whatever it took (nothing was mapped from first on)
         * and let the ordinary path say what the disk's state allows. */
        e = ext2fs_punch(fs, ino, inode, NULL, first, ~0ULL);
        if (!e)
            e = ext2fs_write_inode(fs, ino, inode);
        *err = (long)e;
        return e != 0;
    }
    e = write_run(fs, ino, inode, first, buf, nblocks);
    if (!e)
        e = ext2fs_inode_size_set(fs, inode, pos + (uint64_t)nblocks * bs);   /* written back by the caller */
    if (!e)
        e = ext2fs_file_llseek(file, pos + (uint64_t)nblocks * bs, EXT2_SEEK_SET, NULL);
    *err = (long)e;
    return true;
}
