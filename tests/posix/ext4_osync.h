/*
 * ext4_osync.h - the O_SYNC workload of tests/posix/ext4_osync.c, run by
 * tests/posix/ext4.c when the disk holds /data/osync.
 */
#ifndef FB_EXT4_OSYNC_H
#define FB_EXT4_OSYNC_H

/* Never returns 0: the host kills QEMU while it waits (1 if not killed). */
int osync_run(void);

#endif
