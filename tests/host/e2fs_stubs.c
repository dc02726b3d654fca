/*
 * e2fs_stubs.c - what libos gives libext2fs besides the C library
 * (libos/ext4_libc.c's com_err, ext4_io.c's ext2fs_zero_blocks2, no NLS
 * tables), for the host programs that link the libext2fs files libos
 * builds: tests/fuzz/fuzz_ext4_mount.c and tests/host/test_ext4_append.c;
 * and the io_channel plumbing of their io_managers (e2fs_stubs.h).
 */
#include <stdlib.h>

#include "ext2fs/ext2_fs.h"
#include "ext2fs/ext2fs.h"
#include "e2fs_stubs.h"

void com_err(const char *who, long code, const char *fmt, ...)
{
    (void)who;
    (void)code;
    (void)fmt;
}

struct ext2fs_nls_table;
const struct ext2fs_nls_table *ext2fs_load_nls_table(int encoding)
{
    (void)encoding;
    return NULL;
}

errcode_t ext2fs_zero_blocks2(ext2_filsys fs, blk64_t blk, int num, blk64_t *ret_blk, int *ret_count)
{
    if (!fs)
        return 0;
    char zero[65536] = { 0 };
    for (int i = 0; i < num; i++) {
        errcode_t e = io_channel_write_blk64(fs->io, blk + (blk64_t)i, 1, zero);
        if (e) {
            if (ret_blk)
                *ret_blk = blk + (blk64_t)i;
            if (ret_count)
                *ret_count = num - i;
            return e;
        }
    }
    return 0;
}

/* Only for EXT2_FLAG_SHARE_DUP (mke2fs -d's block sharing), which libos
 * never sets: unreachable here. */
void ext2fs_sha512(const unsigned char *in, unsigned long len, unsigned char out[64])
{
    (void)in;
    (void)len;
    (void)out;
    abort();
}

errcode_t e2fs_channel_open(io_manager m, const char *name, io_channel *out)
{
    io_channel io;
    errcode_t e = ext2fs_get_memzero(sizeof *io, &io);
    if (e)
        return e;
    io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
    io->manager = m;
    io->name = (char *)name;
    io->block_size = 1024;
    io->refcount = 1;
    *out = io;
    return 0;
}

errcode_t e2fs_channel_close(io_channel io)
{
    if (--io->refcount == 0)
        ext2fs_free_mem(&io);
    return 0;
}

errcode_t e2fs_channel_set_blksize(io_channel io, int blksize)
{
    io->block_size = blksize;
    return 0;
}
