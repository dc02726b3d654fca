/*
 * test_ext4_append.c - host test of libos/ext4_append.c, the streaming
 * append of whole blocks as extents, on a real ext4 file system: the
 * host's mke2fs makes a disk file, libext2fs (the files libos builds,
 * compiled for the host) opens it through an io_manager of this test that
 * reads and writes the file and counts the write requests.  Checks: what
 * is read back is what was written, ordinary writes and appends mixed; the
 * appends take one extent for a stream and one write request per extent
 * of a piece; every block they allocate is reported to the range callback
 * (the journal layer's notes of new blocks); the cases that are not an
 * append are refused untouched; the host's e2fsck -fn finds the disk clean
 * after all of it.
 */
#define _POSIX_C_SOURCE 200809L          /* pread, pwrite, mkstemp under -std=c11 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ext2fs/ext2_fs.h"
#include "ext2fs/ext2fs.h"
#include "check.h"
#include "e2fs_stubs.h"
#include "../../libos/ext4_append.h"

/* ---- the disk: a host file, read and written in place ---- */
static int disk_fd = -1;
static unsigned big_writes;             /* write requests of two blocks or more */

static struct struct_io_manager file_manager;

static errcode_t f_open(const char *name, int flags, io_channel *out)
{
    (void)flags;
    return e2fs_channel_open(&file_manager, name, out);
}

static errcode_t f_io(io_channel io, unsigned long long block, int count, void *buf, bool write)
{
    size_t len = count < 0 ? (size_t)-(long long)count : (size_t)count * (size_t)io->block_size;
    off_t at = (off_t)(block * (unsigned long long)io->block_size);
    ssize_t n = write ? pwrite(disk_fd, buf, len, at) : pread(disk_fd, buf, len, at);
    if (write && count > 1)
        big_writes++;
    if (n != (ssize_t)len)
        return write ? EXT2_ET_SHORT_WRITE : EXT2_ET_SHORT_READ;
    return 0;
}

static errcode_t f_read64(io_channel io, unsigned long long block, int count, void *buf)
{
    return f_io(io, block, count, buf, false);
}

static errcode_t f_write64(io_channel io, unsigned long long block, int count, const void *buf)
{
    return f_io(io, block, count, (void *)buf, true);
}

static errcode_t f_read(io_channel io, unsigned long block, int count, void *buf)
{
    return f_read64(io, block, count, buf);
}

static errcode_t f_write(io_channel io, unsigned long block, int count, const void *buf)
{
    return f_write64(io, block, count, buf);
}

static errcode_t f_flush(io_channel io)
{
    (void)io;
    return fsync(disk_fd) ? EXT2_ET_SHORT_WRITE : 0;
}

static struct struct_io_manager file_manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "test file",
    .open = f_open,
    .close = e2fs_channel_close,
    .set_blksize = e2fs_channel_set_blksize,
    .read_blk = f_read,
    .write_blk = f_write,
    .flush = f_flush,
    .read_blk64 = f_read64,
    .write_blk64 = f_write64,
};

/* ---- the range callback: which blocks were reported allocated ---- */
static uint8_t *reported;               /* one byte per block of the disk */
static blk64_t disk_blocks;
static unsigned bad_reports;

static void range_stats(ext2_filsys fs, blk64_t blk, blk_t num, int inuse)
{
    (void)fs;
    for (blk_t i = 0; i < num; i++) {
        if (blk + i >= disk_blocks || inuse <= 0)
            bad_reports++;
        else
            reported[blk + i] = 1;
    }
}

/* ---- helpers ---- */
static uint8_t pattern(uint64_t at)
{
    return (uint8_t)((at * 2654435761u) >> 13);
}

static void fill(uint8_t *buf, uint64_t at, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern(at + i);
}

/* What libos's rw_locked does with one piece: the append path first, the
 * ordinary write for what it did not take.  Returns the libext2fs error. */
static errcode_t write_piece(ext2_filsys fs, ext2_ino_t ino, ext2_file_t f, uint64_t at, const uint8_t *buf,
                             unsigned len, bool *took)
{
    long e = 0;
    unsigned got = 0;
    *took = false;
    CHECK(!ext2fs_file_llseek(f, at, EXT2_SEEK_SET, NULL));
    if (ext4_append_blocks(fs, ino, f, at, buf, len / fs->blocksize, &e)) {
        *took = true;
        if (e)
            return (errcode_t)e;
        got = len / fs->blocksize * fs->blocksize;
        CHECK(!ext2fs_write_inode(fs, ino, ext2fs_file_get_inode(f)));   /* as write_back_locked */
    }
    if (got < len) {
        unsigned more = 0;
        errcode_t r = ext2fs_file_write(f, buf + got, len - got, &more);
        if (r)
            return r;
        got += more;
    }
    CHECK(got == len);
    return ext2fs_file_flush(f);
}

static bool reads_back(ext2_file_t f, uint64_t size)
{
    static uint8_t buf[65536], want[65536];
    if (ext2fs_file_llseek(f, 0, EXT2_SEEK_SET, NULL))
        return false;
    for (uint64_t at = 0; at < size;) {
        unsigned got = 0;
        if (ext2fs_file_read(f, buf, sizeof buf, &got) || got == 0)
            return false;
        fill(want, at, got);
        if (memcmp(buf, want, got) != 0)
            return false;
        at += got;
    }
    unsigned extra = 0;
    return !ext2fs_file_read(f, buf, sizeof buf, &extra) && extra == 0;
}

/* The file's extents (leaf entries); *depth: its tree's depth. */
static unsigned extents_of(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *inode, unsigned *depth)
{
    ext2_extent_handle_t h;
    struct ext2fs_extent ex;
    unsigned n = 0;
    struct ext2_extent_info info;
    if (ext2fs_extent_open2(fs, ino, inode, &h))
        return 0;
    *depth = ext2fs_extent_get_info(h, &info) ? 99 : info.max_depth;
    for (errcode_t e = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &ex); !e && n < 100000;
         e = ext2fs_extent_get(h, EXT2_EXTENT_NEXT_LEAF, &ex))
        n += (ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) != 0;
    ext2fs_extent_free(h);
    return n;
}

static ext2_ino_t new_file(ext2_filsys fs, const char *name)
{
    ext2_ino_t ino = 0;
    struct ext2_inode inode;
    if (!CHECK(!ext2fs_new_inode(fs, EXT2_ROOT_INO, LINUX_S_IFREG | 0644, NULL, &ino)))
        return 0;
    CHECK(!ext2fs_link(fs, EXT2_ROOT_INO, name, ino, EXT2_FT_REG_FILE));
    ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
    memset(&inode, 0, sizeof inode);
    inode.i_mode = LINUX_S_IFREG | 0644;
    inode.i_links_count = 1;
    inode.i_flags = EXT4_EXTENTS_FL;
    ext2_extent_handle_t h;
    CHECK(!ext2fs_extent_open2(fs, ino, &inode, &h));   /* an empty extent tree in i_block */
    ext2fs_extent_free(h);
    CHECK(!ext2fs_write_new_inode(fs, ino, &inode));
    return ino;
}

/* ---- the cases ---- */
/* A stream of 64 KiB appends, a tail of odd size, more appends after it
 * (which then fall back), read back whole. */
static void stream(ext2_filsys fs)
{
    ext2_ino_t ino = new_file(fs, "stream");
    ext2_file_t f;
    if (!ino || !CHECK(!ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)))
        return;
    static uint8_t buf[65536];
    uint64_t at = 0;
    unsigned taken = 0, before = big_writes;
    for (int i = 0; i < 32; i++) {
        bool took;
        fill(buf, at, sizeof buf);
        CHECK(!write_piece(fs, ino, f, at, buf, sizeof buf, &took));
        taken += took;
        at += sizeof buf;
    }
    CHECK(taken == 32);
    /* One request per piece, two where a piece crosses from one free run
     * of the new disk to the next (blocks 8-17, 19-33, 163-2047 are free). */
    if (!CHECK(big_writes - before >= 32 && big_writes - before <= 34))
        printf("    write requests: %u\n", big_writes - before);
    CHECK(EXT2_I_SIZE(ext2fs_file_get_inode(f)) == at);
    unsigned depth, n = extents_of(fs, ino, ext2fs_file_get_inode(f), &depth);
    if (!CHECK(n >= 1 && n <= 3 && depth == 0))   /* one per free run, in the inode */
        printf("    extents: %u, depth %u\n", n, depth);
    CHECK(reads_back(f, at));
    /* A tail that ends inside a block: the ordinary path. */
    bool took = true;
    fill(buf, at, 1000);
    CHECK(!write_piece(fs, ino, f, at, buf, 1000, &took));
    CHECK(!took);
    at += 1000;
    /* Not block-aligned any more: refused, the ordinary path writes it. */
    fill(buf, at, 3 * fs->blocksize);
    CHECK(!write_piece(fs, ino, f, at, buf, 3 * fs->blocksize, &took));
    CHECK(!took);
    at += 3 * fs->blocksize;
    CHECK(reads_back(f, at));
    CHECK(!ext2fs_write_inode(fs, ino, ext2fs_file_get_inode(f)));
    CHECK(!ext2fs_file_close(f));
}

/* What is not an append is refused and changes nothing. */
static void refusals(ext2_filsys fs)
{
    ext2_ino_t ino = new_file(fs, "refusals");
    ext2_file_t f;
    if (!ino || !CHECK(!ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)))
        return;
    unsigned bs = fs->blocksize;
    static uint8_t buf[65536];
    long e = 1;
    bool took;
    fill(buf, 0, 8 * bs);
    CHECK(!ext4_append_blocks(fs, ino, f, 0, buf, 1, &e));           /* too few blocks */
    CHECK(!ext4_append_blocks(fs, ino, f, 100, buf, 4, &e));         /* not aligned */
    CHECK(!write_piece(fs, ino, f, 0, buf, 8 * bs, &took) && took);
    CHECK(!ext4_append_blocks(fs, ino, f, 4 * bs, buf, 4, &e));      /* inside the file */
    /* A block mapped far out (a hole before it), then the size cut below
     * it is impossible here; instead: a sparse write past the end, so that
     * the end is mapped, and an append asked for inside the hole. */
    fill(buf, 20 * (uint64_t)bs, bs);
    CHECK(!write_piece(fs, ino, f, 20 * (uint64_t)bs, buf, bs, &took) && !took);
    struct ext2_inode *inode = ext2fs_file_get_inode(f);
    uint64_t size = EXT2_I_SIZE(inode);
    CHECK(size == 21 * (uint64_t)bs);
    blk64_t blocks = ext2fs_inode_i_blocks(fs, inode);
    CHECK(!ext4_append_blocks(fs, ino, f, 12 * (uint64_t)bs, buf, 4, &e));   /* below the size */
    /* Past the end, but with a block mapped after it: the size is cut back
     * by hand as a crafted inode could have it, the mapping left. */
    ext2fs_inode_size_set(fs, inode, 12 * (uint64_t)bs);
    CHECK(!ext4_append_blocks(fs, ino, f, 12 * (uint64_t)bs, buf, 4, &e));
    ext2fs_inode_size_set(fs, inode, size);
    CHECK(ext2fs_inode_i_blocks(fs, inode) == blocks);
    CHECK(EXT2_I_SIZE(inode) == size);
    CHECK(!ext2fs_write_inode(fs, ino, inode));
    CHECK(!ext2fs_file_close(f));
}

/* Every block an append allocates is reported, and it is the file's. */
static void reports(ext2_filsys fs)
{
    ext2_ino_t ino = new_file(fs, "reported");
    ext2_file_t f;
    if (!ino || !CHECK(!ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)))
        return;
    memset(reported, 0, disk_blocks);
    static uint8_t buf[65536];
    bool took;
    uint64_t at = 0;
    for (int i = 0; i < 4; i++, at += sizeof buf) {
        fill(buf, at, sizeof buf);
        CHECK(!write_piece(fs, ino, f, at, buf, sizeof buf, &took) && took);
    }
    unsigned mapped = 0, unreported = 0;
    for (blk64_t l = 0; l < at / fs->blocksize; l++) {
        blk64_t p = 0;
        CHECK(!ext2fs_bmap2(fs, ino, ext2fs_file_get_inode(f), NULL, 0, l, NULL, &p));
        mapped += p != 0;
        unreported += p == 0 || p >= disk_blocks || !reported[p];
    }
    CHECK(mapped == at / fs->blocksize);
    CHECK(unreported == 0);
    CHECK(bad_reports == 0);
    CHECK(reads_back(f, at));
    CHECK(!ext2fs_file_close(f));
}

/* Two files appended to in turn: each piece of one lands after the other's
 * last, so every piece is an extent of its own, more than the inode holds
 * (an extent block is made); each reads back whole. */
static void interleaved(ext2_filsys fs)
{
    ext2_ino_t ino[2] = { new_file(fs, "left"), new_file(fs, "right") };
    ext2_file_t f[2];
    if (!ino[0] || !ino[1] || !CHECK(!ext2fs_file_open(fs, ino[0], EXT2_FILE_WRITE, &f[0])) ||
        !CHECK(!ext2fs_file_open(fs, ino[1], EXT2_FILE_WRITE, &f[1])))
        return;
    unsigned len = 4 * fs->blocksize;
    static uint8_t buf[65536];
    for (uint64_t at = 0; at < 8 * (uint64_t)len; at += len)
        for (int i = 0; i < 2; i++) {
            bool took;
            fill(buf, at, len);
            CHECK(!write_piece(fs, ino[i], f[i], at, buf, len, &took) && took);
        }
    for (int i = 0; i < 2; i++) {
        unsigned depth, n = extents_of(fs, ino[i], ext2fs_file_get_inode(f[i]), &depth);
        if (!CHECK(n == 8 && depth == 1))   /* more than the inode's 4: an extent block */
            printf("    extents: %u, depth %u\n", n, depth);
        CHECK(reads_back(f[i], 8 * (uint64_t)len));
        CHECK(!ext2fs_file_close(f[i]));
    }
}

/* Too little room: refused before anything is taken. */
static void full(ext2_filsys fs)
{
    ext2_ino_t ino = new_file(fs, "full");
    ext2_file_t f;
    if (!ino || !CHECK(!ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)))
        return;
    long e = 0;
    static uint8_t buf[65536];
    blk64_t free_before = ext2fs_free_blocks_count(fs->super);
    uint32_t n = (uint32_t)free_before;  /* all that is left: less the spare */
    uint8_t *big = calloc(n, fs->blocksize);
    if (CHECK(big != NULL))
        CHECK(!ext4_append_blocks(fs, ino, f, 0, big, n, &e));
    free(big);
    CHECK(ext2fs_free_blocks_count(fs->super) == free_before);
    (void)buf;
    CHECK(!ext2fs_file_close(f));
}

int main(void)
{
    char path[] = "/tmp/test_ext4_append.XXXXXX";
    disk_fd = mkstemp(path);
    if (!CHECK(disk_fd >= 0))
        return check_report("test_ext4_append");
    char cmd[512];
    /* As tools/freebeam disk --ext4 makes them (4 KiB blocks, metadata
     * checksums, extents), without the journal: this test is not about it. */
    snprintf(cmd, sizeof cmd,
             "PATH=$PATH:/usr/sbin:/sbin mke2fs -q -F -t ext4 -b 4096 -O ^has_journal %s 8M >/dev/null 2>&1", path);
    if (CHECK(system(cmd) == 0)) {
        ext2_filsys fs;
        if (CHECK(!ext2fs_open2(path, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, &file_manager, &fs)) &&
            CHECK(!ext2fs_read_bitmaps(fs))) {
            disk_blocks = ext2fs_blocks_count(fs->super);
            reported = calloc(disk_blocks, 1);
            ext2fs_set_block_alloc_stats_range_callback(fs, range_stats, NULL);
            stream(fs);
            refusals(fs);
            reports(fs);
            interleaved(fs);
            full(fs);
            CHECK(!ext2fs_close_free(&fs));
            free(reported);
        }
        snprintf(cmd, sizeof cmd, "PATH=$PATH:/usr/sbin:/sbin e2fsck -fn %s >/dev/null 2>&1", path);
        if (!CHECK(system(cmd) == 0)) {
            snprintf(cmd, sizeof cmd, "PATH=$PATH:/usr/sbin:/sbin e2fsck -fn %s 2>&1 | head -n 20", path);
            if (system(cmd) != 0)
                printf("    (e2fsck's output above)\n");
        }
    }
    close(disk_fd);
    unlink(path);
    return check_report("test_ext4_append");
}
