/*
 * gen_jbd2_seed.c - writes the seed of fuzz_jbd2 to stdout: a journal with
 * revokes and CSUM_V3 tags holding two committed transactions (one with a
 * revoke) and a torn third (tests/host/jbd2_build.h).
 */
#include <stdio.h>
#include "../host/jbd2_build.h"

int main(void)
{
    static struct jb j;
    uint64_t a[2] = { 3, 4 }, b[1] = { 5 };
    jb_init(&j, 1, 1, 0x1 | 0x10);
    jb_desc(&j, 1, a, 2, 0x5a, 0);
    jb_commit(&j, 1);
    jb_revoke(&j, 2, a, 1);
    jb_desc(&j, 2, b, 1, 0xa5, 1);
    jb_commit(&j, 2);
    jb_desc(&j, 3, a, 2, 0x33, 0);
    return fwrite(j.log, 1, (size_t)j.pos * JB_BS, stdout) == (size_t)j.pos * JB_BS ? 0 : 1;
}
