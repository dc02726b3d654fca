/*
 * fuzz_jbd2.c - libFuzzer target of the journal replay (libos/jbd2_replay.c),
 * which reads a journal from a disk that may be corrupt or hostile: the
 * input is the journal (blocks of 1024 bytes, the rest zero), replayed into
 * a file system of 64 blocks.  Whatever it holds, the replay must stay in
 * its buffers, write only blocks of the file system, and end.  Seeded with a
 * valid journal (gen_jbd2_seed.c).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../host/jbd2_build.h"
#include "../../libos/jbd2_replay.h"

#define FS_BLOCKS 64u
static uint8_t journal[JB_BLOCKS][JB_BS], fs[FS_BLOCKS][JB_BS];
static uint8_t buf[JB_BS], data[JB_BS];
static struct jbd2_revoke revokes[JBD2_MAX_REVOKES];

static int read_log(void *ctx, uint64_t n, uint8_t *out)
{
    (void)ctx;
    if (n >= JB_BLOCKS)
        return -EIO;
    memcpy(out, journal[n], JB_BS);
    return 0;
}

static int write_fs(void *ctx, uint64_t block, const uint8_t *in)
{
    (void)ctx;
    if (block >= FS_BLOCKS)
        __builtin_trap();       /* the replay promised to check this */
    memcpy(fs[block], in, JB_BS);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
    memset(journal, 0, sizeof journal);
    memcpy(journal, in, len < sizeof journal ? len : sizeof journal);
    struct jbd2_io io = { .block_size = JB_BS, .journal_blocks = JB_BLOCKS, .fs_blocks = FS_BLOCKS,
                          .read_log = read_log, .write_fs = write_fs,
                          .buf = buf, .data = data, .revokes = revokes };
    struct jbd2_result res;
    if (jbd2_replay(&io, &res) == 0)
        jbd2_mark_empty(journal[0], res.next_sequence);
    return 0;
}
