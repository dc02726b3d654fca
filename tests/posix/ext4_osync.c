/*
 * ext4_osync.c - the workload of the O_SYNC test (tests/storage/osync.sh):
 * run by tests/posix/ext4.c instead of its checks when the disk holds
 * /data/osync.  What an O_SYNC write promises (docs/storage.md): it is on
 * the medium when write() returns.  So the host kills QEMU right after
 * the last line below, with no clean unmount and before the 5 s commit
 * timer could commit anything, and finds on the disk:
 *   - /data/osync.dat: 300 KiB of lines "line %010u\n" written with one
 *     write() on a descriptor opened O_SYNC (new blocks: several requests
 *     in flight), then lines 512..767 rewritten as "LINE %010u\n" with one
 *     pwrite() (blocks in use: through the journal); `osync: acked 1` and
 *     `osync: acked 2` after each returned;
 *   - /data/plain.dat, written after them without O_SYNC, absent or empty:
 *     the control, which shows that the kill came before any other commit
 *     (else the test could not tell an O_SYNC commit from a timer's).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ext4_osync.h"

#define LINES 19200u                    /* 16 bytes each: 300 KiB */
#define LINE_BYTES 16u
#define OVER_FIRST 512u                 /* the pwrite: lines 512..767, 4 KiB at 8 KiB */
#define OVER_LINES 256u

static char buf[LINES * LINE_BYTES + 1];

static void lines(const char *word, unsigned first, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        snprintf(buf + (size_t)i * LINE_BYTES, LINE_BYTES + 1, "%s %010u\n", word, first + i);
}

static int fail(const char *what)
{
    printf("osync: FAIL %s\n", what);
    fflush(stdout);
    return 1;
}

int osync_run(void)
{
    int fd = open("/data/osync.dat", O_WRONLY | O_CREAT | O_TRUNC | O_SYNC, 0644);
    if (fd < 0)
        return fail("open O_SYNC");
    lines("line", 0, LINES);
    if (write(fd, buf, LINES * LINE_BYTES) != (ssize_t)(LINES * LINE_BYTES))
        return fail("write");
    printf("osync: acked 1\n");
    fflush(stdout);
    lines("LINE", OVER_FIRST, OVER_LINES);
    if (pwrite(fd, buf, OVER_LINES * LINE_BYTES, OVER_FIRST * LINE_BYTES) != (ssize_t)(OVER_LINES * LINE_BYTES))
        return fail("pwrite");
    printf("osync: acked 2\n");
    fflush(stdout);
    int plain = open("/data/plain.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (plain < 0 || write(plain, "not synced\n", 11) != 11)
        return fail("plain write");
    printf("osync: plain written\n");
    fflush(stdout);
    sleep(30);                          /* the host kills us long before */
    printf("osync: not killed\n");
    return 1;
}
