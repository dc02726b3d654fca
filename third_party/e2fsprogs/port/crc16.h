/*
 * crc16.h - stands in for e2fsprogs' GPL-2-only lib/ext2fs/crc16.h (never
 * copied into our build): the one declaration csum.c needs.  The function
 * is ours, libos/ext4_crc.c.
 */
#ifndef FREEBEAM_E2FS_CRC16_H
#define FREEBEAM_E2FS_CRC16_H
typedef unsigned int crc16_t;
extern crc16_t ext2fs_crc16(crc16_t crc, const void *buffer, unsigned int len);
#endif
