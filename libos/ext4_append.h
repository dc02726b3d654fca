/*
 * ext4_append.h - whole blocks appended to a file as extents (private to
 * libos; ext4_append.c): the fast path of a streaming write on /data.
 * libext2fs's ext2fs_file_write goes a block at a time (a mapping lookup,
 * an allocation that edits the extent tree and writes the inode, a copy
 * into the handle's one-block buffer, then the block's write); this
 * allocates the run in free runs of blocks at once, maps them as extents
 * (lengthening the file's last one when they follow on) and hands the
 * data to the io_manager one request per extent.  The blocks' writes go
 * through the io_manager as any other (the journal layer decides what is
 * held and what goes home at once: ext4_journal.h).
 */
#ifndef LIBOS_EXT4_APPEND_H
#define LIBOS_EXT4_APPEND_H

#include <stdbool.h>
#include <stdint.h>

struct struct_ext2_filsys;
struct ext2_file;

/* Write nblocks whole blocks from buf at byte pos of the open file (inode
 * ino, the handle file), when that can be done as an append: pos is a
 * multiple of the block size, at or past the file's size, the file is
 * extent-mapped with nothing mapped from pos on, the file system has no
 * clusters and room for the run.  Then the file's size becomes the run's
 * end in the handle's inode (the caller writes the inode back, as after
 * any write: ext4_fs.c's write_back_locked) and *err is 0 or the error of
 * a write; true.  Otherwise nothing is changed and false is returned: the caller
 * writes the ordinary way. */
bool ext4_append_blocks(struct struct_ext2_filsys *fs, uint32_t ino, struct ext2_file *file, uint64_t pos,
                        const void *buf, uint32_t nblocks, long *err);

/* The fewest blocks worth taking this path for. */
#define EXT4_APPEND_MIN_BLOCKS 2u

#endif
