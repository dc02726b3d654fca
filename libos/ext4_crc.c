/*
 * ext4_crc.c - CRC-32C, CRC-16 and MSB-first CRC-32 for libext2fs
 * (ext4_crc.h says why they are ours).  Four bits at a time from 16-entry
 * tables: small, no start-up work, no shared mutable state, and fast
 * enough for metadata blocks.  The table entries are the CRC of each
 * nibble value alone (for the reflected ones: the nibble in the low bits).
 * tests/host/test_ext4_crc.c checks them against the standard check values.
 */
#include "ext4_crc.h"

static const uint32_t crc32c_nibble[16] = {
    0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1, 0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
    0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9, 0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

static const uint16_t crc16_nibble[16] = {
    0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401,
    0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01, 0x8801, 0x4400,
};

static const uint32_t crc32be_nibble[16] = {
    0x00000000, 0x04c11db7, 0x09823b6e, 0x0d4326d9, 0x130476dc, 0x17c56b6b, 0x1a864db2, 0x1e475005,
    0x2608edb8, 0x22c9f00f, 0x2f8ad6d6, 0x2b4bcb61, 0x350c9b64, 0x31cd86d3, 0x3c8ea00a, 0x384fbdbd,
};

uint32_t ext2fs_crc32c_le(uint32_t crc, unsigned char const *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ crc32c_nibble[crc & 15];
        crc = (crc >> 4) ^ crc32c_nibble[crc & 15];
    }
    return crc;
}

unsigned int ext2fs_crc16(unsigned int crc, const void *buffer, unsigned int len)
{
    const unsigned char *p = buffer;
    crc &= 0xffff;
    for (unsigned int i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ crc16_nibble[crc & 15];
        crc = (crc >> 4) ^ crc16_nibble[crc & 15];
    }
    return crc;
}

uint32_t ext2fs_crc32_be(uint32_t crc, unsigned char const *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint32_t)p[i] << 24;
        crc = (crc << 4) ^ crc32be_nibble[crc >> 28];
        crc = (crc << 4) ^ crc32be_nibble[crc >> 28];
    }
    return crc;
}
