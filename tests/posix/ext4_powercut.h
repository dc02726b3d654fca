/*
 * ext4_powercut.h - the power-cut workload of tests/posix/ext4_powercut.c,
 * run by tests/posix/ext4.c when the disk holds /data/powercut.
 */
#ifndef FB_EXT4_POWERCUT_H
#define FB_EXT4_POWERCUT_H

#include <stdbool.h>

/* The exit status: 0 when the state found was whole and every round ran. */
int powercut_run(void);

#endif
