/*
 * fuzz_ext4_mount.c - libFuzzer target for mounting and using an arbitrary
 * disk at /data (issue 15: a corrupted disk gives an error, never a fault).
 * The bytes are the disk.  What libos's mount does with it (libos/ext4_fs.c:
 * ext2fs_open2 read-write with 64-bit block numbers, a file system larger
 * than the disk refused, the bit-array bitmaps, ext2fs_read_bitmaps, the
 * superblock marked mounted and flushed), then
 * what a program does on /data: every directory walked from the root (a
 * bounded number of entries and depth), every regular file opened and read,
 * a file created in the root, written and linked, a directory made, and the
 * file system closed (everything written back).  libext2fs is Debian's, the
 * same files build.sh compiles for libos, built here for the host with
 * sanitizers; the disk is a RAM copy behind an io_manager of ours.  The
 * journal replay, the other reader of on-disk bytes, has fuzz_jbd2.
 * Seeds: build/fuzz/ext4-corpus/ (tests/host/host.mk: small mke2fs -d disks).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ext2fs/ext2_fs.h"
#include "ext2fs/ext2fs.h"
#include "../host/e2fs_stubs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the disk: a RAM copy ---- */
static uint8_t *disk;
static size_t disk_size;

static struct struct_io_manager mem_manager;

static errcode_t mem_open(const char *name, int flags, io_channel *channel)
{
    (void)flags;
    return e2fs_channel_open(&mem_manager, name, channel);
}

/* count > 0: blocks; count < 0: -count bytes (libext2fs's convention). */
static errcode_t span(io_channel io, unsigned long long block, int count, size_t *off, size_t *len)
{
    size_t n = count < 0 ? (size_t)-(long long)count : (size_t)count * (size_t)io->block_size;
    if (block > disk_size / (size_t)io->block_size)
        return EXT2_ET_SHORT_READ;
    *off = (size_t)block * (size_t)io->block_size;
    if (n > disk_size - *off)
        return EXT2_ET_SHORT_READ;
    *len = n;
    return 0;
}

static errcode_t mem_read64(io_channel io, unsigned long long block, int count, void *buf)
{
    size_t off, len;
    errcode_t e = span(io, block, count, &off, &len);
    if (!e)
        memcpy(buf, disk + off, len);
    return e;
}

static errcode_t mem_write64(io_channel io, unsigned long long block, int count, const void *buf)
{
    size_t off, len;
    errcode_t e = span(io, block, count, &off, &len);
    if (!e)
        memcpy(disk + off, buf, len);
    return e ? EXT2_ET_SHORT_WRITE : 0;
}

static errcode_t mem_read(io_channel io, unsigned long block, int count, void *buf)
{
    return mem_read64(io, block, count, buf);
}

static errcode_t mem_write(io_channel io, unsigned long block, int count, const void *buf)
{
    return mem_write64(io, block, count, buf);
}

static errcode_t mem_flush(io_channel io)
{
    (void)io;
    return 0;
}

static struct struct_io_manager mem_manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "fuzz memory",
    .open = mem_open,
    .close = e2fs_channel_close,
    .set_blksize = e2fs_channel_set_blksize,
    .read_blk = mem_read,
    .write_blk = mem_write,
    .flush = mem_flush,
    .read_blk64 = mem_read64,
    .write_blk64 = mem_write64,
};

/* ---- what a program on /data does ---- */
struct walk {
    ext2_filsys fs;
    int depth;
    unsigned budget;                    /* entries left to visit */
};

static void read_file(ext2_filsys fs, ext2_ino_t ino)
{
    ext2_file_t f;
    if (ext2fs_file_open(fs, ino, 0, &f))
        return;
    char buf[4096];
    unsigned got, total = 0;
    while (total < 65536 && !ext2fs_file_read(f, buf, sizeof buf, &got) && got > 0)
        total += got;
    ext2fs_file_close(f);
}

static void walk_dir(struct walk *w, ext2_ino_t dir);

static int visit(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize, char *buf,
                 void *priv)
{
    (void)dir;
    (void)offset;
    (void)blocksize;
    (void)buf;
    struct walk *w = priv;
    if (w->budget == 0)
        return DIRENT_ABORT;
    w->budget--;
    if (entry == DIRENT_DOT_FILE || entry == DIRENT_DOT_DOT_FILE || d->inode == 0)
        return 0;
    struct ext2_inode inode;
    if (ext2fs_read_inode(w->fs, d->inode, &inode))
        return 0;
    if (LINUX_S_ISREG(inode.i_mode))
        read_file(w->fs, d->inode);
    else if (LINUX_S_ISDIR(inode.i_mode) && w->depth < 8) {
        w->depth++;
        walk_dir(w, d->inode);
        w->depth--;
    }
    return 0;
}

static void walk_dir(struct walk *w, ext2_ino_t dir)
{
    ext2fs_dir_iterate2(w->fs, dir, 0, NULL, visit, w);
}

static void write_some(ext2_filsys fs)
{
    ext2_ino_t ino;
    if (ext2fs_new_inode(fs, EXT2_ROOT_INO, LINUX_S_IFREG | 0644, NULL, &ino))
        return;
    struct ext2_inode inode;
    memset(&inode, 0, sizeof inode);
    inode.i_mode = LINUX_S_IFREG | 0644;
    inode.i_links_count = 1;
    if (ext2fs_has_feature_extents(fs->super))
        inode.i_flags |= EXT4_EXTENTS_FL;
    if (ext2fs_write_new_inode(fs, ino, &inode))
        return;
    ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
    if (ext2fs_link(fs, EXT2_ROOT_INO, "fuzz", ino, EXT2_FT_REG_FILE))
        return;
    ext2_file_t f;
    if (!ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f)) {
        static const char text[8192] = "written by fuzz_ext4_mount";
        unsigned n;
        ext2fs_file_write(f, text, sizeof text, &n);
        ext2fs_file_close(f);
    }
    ext2fs_mkdir(fs, EXT2_ROOT_INO, 0, "fuzzdir");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2048 || size > (8u << 20))
        return 0;
    disk_size = size & ~(size_t)1023;
    disk = malloc(disk_size);
    if (!disk)
        return 0;
    memcpy(disk, data, disk_size);
    ext2_filsys fs;
    if (ext2fs_open2("disk", NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, &mem_manager, &fs) == 0) {
        fs->default_bitmap_type = EXT2FS_BMAP64_BITARRAY;
        /* as libos's mount: a file system larger than its disk is refused */
        if (ext2fs_blocks_count(fs->super) <= disk_size / fs->blocksize && ext2fs_read_bitmaps(fs) == 0) {
            ext2fs_mark_super_dirty(fs);
            if (ext2fs_flush(fs) == 0) {
                struct walk w = { fs, 0, 2000 };
                walk_dir(&w, EXT2_ROOT_INO);
                write_some(fs);
            }
        }
        ext2fs_close_free(&fs);
    }
    free(disk);
    return 0;
}
