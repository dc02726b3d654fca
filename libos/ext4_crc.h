/*
 * ext4_crc.h - the three checksums libext2fs needs, written by us because
 * e2fsprogs' own crc16.c and crc32c.c are GPL-2-only (docs/storage.md).
 * The names and calling conventions are libext2fs's: each takes the
 * running value and returns the updated one, with no inversion before or
 * after (the caller passes ~0 and inverts where the format says so).
 *   ext2fs_crc32c_le  CRC-32C (Castagnoli, reflected poly 0x82F63B78):
 *                     metadata_csum checksums
 *   ext2fs_crc16      CRC-16 (reflected poly 0xA001, "ARC"): group
 *                     descriptor checksums without metadata_csum
 *   ext2fs_crc32_be   CRC-32 MSB first (poly 0x04C11DB7): JBD2's v1 checksums
 */
#ifndef LIBOS_EXT4_CRC_H
#define LIBOS_EXT4_CRC_H

#include <stddef.h>
#include <stdint.h>

uint32_t ext2fs_crc32c_le(uint32_t crc, unsigned char const *p, size_t len);
uint32_t ext2fs_crc32_be(uint32_t crc, unsigned char const *p, size_t len);
unsigned int ext2fs_crc16(unsigned int crc, const void *buffer, unsigned int len);

#endif
