/*
 * test_jbd2_replay.c - libos/jbd2_replay.c on journals built in memory
 * (jbd2_build.h): an empty journal; one committed transaction; a torn one
 * (no commit block) not replayed; revokes (a later revoke skips an older
 * copy, an older revoke does not skip a newer copy); an escaped block; a
 * log that wraps around its end; the three tag formats (plain, 64-bit,
 * CSUM_V3); malformed superblocks and a committed tag outside the file
 * system refused with nothing written; jbd2_mark_empty.  The same journals
 * as the host's e2fsprogs writes them are replayed by tests/suites/storage.sh.
 */
#include <errno.h>
#include <stdlib.h>
#include "check.h"
#include "jbd2_build.h"
#include "../../libos/jbd2_replay.h"

#define FS_BLOCKS 64u
static uint8_t fs[FS_BLOCKS][JB_BS];
static unsigned writes;

static int read_log(void *ctx, uint64_t n, uint8_t *buf)
{
    struct jb *j = ctx;
    if (n >= JB_BLOCKS)
        return -EIO;
    memcpy(buf, j->log[n], JB_BS);
    return 0;
}

static int write_fs(void *ctx, uint64_t block, const uint8_t *buf)
{
    (void)ctx;
    if (block >= FS_BLOCKS)
        return -EIO;
    memcpy(fs[block], buf, JB_BS);
    writes++;
    return 0;
}

static uint8_t buf[JB_BS], data[JB_BS];
static struct jbd2_revoke revokes[JBD2_MAX_REVOKES];

static int replay(struct jb *j, struct jbd2_result *res)
{
    struct jbd2_io io = { .ctx = j, .block_size = JB_BS, .journal_blocks = JB_BLOCKS,
                          .fs_blocks = FS_BLOCKS, .read_log = read_log, .write_fs = write_fs,
                          .buf = buf, .data = data, .revokes = revokes };
    memset(fs, 0, sizeof fs);
    writes = 0;
    return jbd2_replay(&io, res);
}

static int filled(unsigned block, uint8_t v)
{
    for (unsigned i = 0; i < JB_BS; i++)
        if (fs[block][i] != v)
            return 0;
    return 1;
}

static void empty_and_one(void)
{
    struct jb j;
    struct jbd2_result res;
    jb_init(&j, 0, 7, 0);
    CHECK(replay(&j, &res) == 0 && writes == 0 && res.next_sequence == 7);

    jb_init(&j, 1, 7, 0);
    uint64_t b[2] = { 10, 11 };
    jb_desc(&j, 7, b, 2, 0xaa, 0);
    jb_commit(&j, 7);
    CHECK(replay(&j, &res) == 0);
    CHECK(res.transactions == 1 && res.blocks == 2 && res.next_sequence == 8);
    CHECK(filled(10, 0xaa) && filled(11, 0xaa) && writes == 2);
}

static void torn_and_revokes(void)
{
    struct jb j;
    struct jbd2_result res;
    uint64_t a[1] = { 20 }, b[1] = { 21 };
    jb_init(&j, 1, 1, 0x1);
    jb_desc(&j, 1, a, 1, 0x11, 0);
    jb_commit(&j, 1);
    jb_desc(&j, 2, b, 1, 0x22, 0);          /* no commit: torn */
    CHECK(replay(&j, &res) == 0 && res.transactions == 1 && filled(20, 0x11) && filled(21, 0));
    CHECK(res.next_sequence == 2);

    jb_init(&j, 1, 1, 0x1);
    jb_desc(&j, 1, a, 1, 0x11, 0);          /* revoked by transaction 2 */
    jb_commit(&j, 1);
    jb_revoke(&j, 2, a, 1);
    jb_commit(&j, 2);
    jb_desc(&j, 3, a, 1, 0x33, 0);          /* newer than the revoke: replayed */
    jb_desc(&j, 3, b, 1, 0x44, 0);
    jb_commit(&j, 3);
    CHECK(replay(&j, &res) == 0 && res.transactions == 3 && res.revoked == 1 && res.blocks == 2);
    CHECK(filled(20, 0x33) && filled(21, 0x44));
}

static void escape_and_wrap(void)
{
    struct jb j;
    struct jbd2_result res;
    uint64_t a[1] = { 30 };
    jb_init(&j, 1, 9, 0);
    jb_desc(&j, 9, a, 1, 0x55, 1);
    jb_commit(&j, 9);
    CHECK(replay(&j, &res) == 0 && fs[30][0] == 0xc0 && fs[30][1] == 0x3b && fs[30][2] == 0x39 &&
          fs[30][3] == 0x98 && fs[30][4] == 0x55);

    jb_init(&j, JB_BLOCKS - 2, 4, 0);       /* descriptor, copy at the end; the rest wraps */
    uint64_t c[3] = { 40, 41, 42 };
    jb_desc(&j, 4, c, 3, 0x66, 0);
    jb_commit(&j, 4);
    CHECK(replay(&j, &res) == 0 && res.blocks == 3 && filled(40, 0x66) && filled(42, 0x66));
}

static void tag_formats(void)
{
    static const uint32_t features[] = { 0x2, 0x2 | 0x8, 0x10, 0x10 | 0x2 };
    for (unsigned k = 0; k < sizeof features / sizeof features[0]; k++) {
        struct jb j;
        struct jbd2_result res;
        uint64_t b[3] = { 50, 51, 52 };
        jb_init(&j, 1, 3, features[k] | 0x1);
        jb_desc(&j, 3, b, 3, (uint8_t)(0x70 + k), 0);
        jb_commit(&j, 3);
        jb_revoke(&j, 4, b + 1, 1);
        jb_commit(&j, 4);
        CHECK(replay(&j, &res) == 0 && res.blocks == 2 && filled(50, (uint8_t)(0x70 + k)) &&
              filled(51, 0) && filled(52, (uint8_t)(0x70 + k)));
    }
}

static void refused(void)
{
    struct jb j;
    struct jbd2_result res;
    uint64_t far[2] = { 5, FS_BLOCKS + 100 };
    jb_init(&j, 1, 1, 0);
    jb_desc(&j, 1, far, 2, 0x77, 0);
    jb_commit(&j, 1);
    CHECK(replay(&j, &res) == -EINVAL && writes == 0);
    jb_init(&j, 1, 1, 0);                   /* the same in a torn transaction: ignored */
    jb_desc(&j, 1, far, 1, 0x78, 0);
    jb_commit(&j, 1);
    jb_desc(&j, 2, far, 2, 0x77, 0);
    CHECK(replay(&j, &res) == 0 && writes == 1 && filled(5, 0x78));

    jb_init(&j, 1, 1, 0);
    jb_be32(j.log[0] + 12, 4096);           /* block size not the file system's */
    CHECK(replay(&j, &res) == -EINVAL);
    jb_init(&j, 1, 1, 0);
    jb_be32(j.log[0] + 16, JB_BLOCKS + 1);  /* longer than the journal */
    CHECK(replay(&j, &res) == -EINVAL);
    jb_init(&j, 1, 1, 0x20);                /* fast commits */
    CHECK(replay(&j, &res) == -EINVAL);
    jb_init(&j, JB_BLOCKS, 1, 0);           /* start outside the log */
    CHECK(replay(&j, &res) == -EINVAL);
    jb_init(&j, 1, 1, 0);
    j.log[0][0] = 0;                        /* no magic */
    CHECK(replay(&j, &res) == -EINVAL && writes == 0);
}

static void mark_empty(void)
{
    struct jb j;
    jb_init(&j, 5, 1, 0x10);
    jbd2_mark_empty(j.log[0], 42);
    const uint8_t *sb = j.log[0];
    CHECK(sb[24] == 0 && sb[27] == 42 && sb[28] == 0 && sb[31] == 0);
    CHECK(sb[0xfc] | sb[0xfd] | sb[0xfe] | sb[0xff]);   /* CSUM_V3: a checksum is set */
}

int main(void)
{
    empty_and_one();
    torn_and_revokes();
    escape_and_wrap();
    tag_formats();
    refused();
    mark_empty();
    return check_report("test_jbd2_replay");
}
