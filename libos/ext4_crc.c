/*
 * ext4_crc.c - CRC-32C, CRC-16 and MSB-first CRC-32 for libext2fs
 * (ext4_crc.h says why they are ours).  CRC-16 and CRC-32 go four bits at
 * a time from 16-entry tables: small, no start-up work, fast enough for
 * the little they see.  The table entries are the CRC of each nibble value
 * alone (for the reflected ones: the nibble in the low bits).
 *
 * CRC-32C checks every block the journal logs and every bitmap, inode and
 * descriptor libext2fs writes, so it goes eight bytes at a time
 * ("slicing by 8"): table k holds the CRC of a byte followed by k zero
 * bytes, so eight lookups fold eight bytes at once (about 3 instructions a
 * byte on ARM against about 10 by nibbles).  Its 8 KiB of tables are made
 * from the nibble table on first use; every caller gets the same values,
 * so two threads making them at once is harmless.
 * tests/host/test_ext4_crc.c checks them against the standard check values.
 */
#include "ext4_crc.h"
#include <stdbool.h>

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

static uint32_t crc32c_slice[8][256];
static bool crc32c_ready;

static uint32_t crc32c_byte(uint32_t crc, unsigned char b)
{
    crc ^= b;
    crc = (crc >> 4) ^ crc32c_nibble[crc & 15];
    return (crc >> 4) ^ crc32c_nibble[crc & 15];
}

static void crc32c_make_tables(void)
{
    for (uint32_t b = 0; b < 256; b++)
        crc32c_slice[0][b] = crc32c_byte(0, (unsigned char)b);
    for (uint32_t k = 1; k < 8; k++)
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t prev = crc32c_slice[k - 1][b];
            crc32c_slice[k][b] = (prev >> 8) ^ crc32c_slice[0][prev & 0xff];
        }
    __atomic_store_n(&crc32c_ready, true, __ATOMIC_RELEASE);
}

uint32_t ext2fs_crc32c_le(uint32_t crc, unsigned char const *p, size_t len)
{
    if (!__atomic_load_n(&crc32c_ready, __ATOMIC_ACQUIRE))
        crc32c_make_tables();
    while (len > 0 && ((uintptr_t)p & 3)) {
        crc = crc32c_byte(crc, *p++);
        len--;
    }
    const uint32_t (*t)[256] = crc32c_slice;
    for (; len >= 8; p += 8, len -= 8) {
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
    }
    while (len-- > 0)
        crc = crc32c_byte(crc, *p++);
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
