/*
 * test_ext4_crc.c - our checksums for libext2fs (libos/ext4_crc.c) against
 * the catalogued check values of "123456789" (CRC-32C 0xE3069283,
 * CRC-16/ARC 0xBB3D, CRC-16/MODBUS 0x4B37, CRC-32/BZIP2 0xFC891918), the
 * iSCSI CRC-32C vectors of RFC 3720 B.4 (32 zero bytes, 32 0xff bytes, an
 * ascending run), a value against a bit-at-a-time reference on random
 * data and at every alignment and short length, and that a split update
 * equals a whole one.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../../libos/ext4_crc.h"

static const unsigned char digits[] = "123456789";

static uint32_t ref_crc32c(uint32_t crc, const unsigned char *p, size_t len)
{
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
    }
    return crc;
}

static void check_values(void)
{
    CHECK(~ext2fs_crc32c_le(~0u, digits, 9) == 0xe3069283u);
    CHECK(ext2fs_crc16(0, digits, 9) == 0xbb3d);
    CHECK(ext2fs_crc16(0xffff, digits, 9) == 0x4b37);
    CHECK(~ext2fs_crc32_be(~0u, digits, 9) == 0xfc891918u);
    CHECK(ext2fs_crc32c_le(0x1234u, digits, 0) == 0x1234u);
}

static void rfc3720(void)
{
    unsigned char buf[32];
    memset(buf, 0, sizeof buf);
    CHECK(~ext2fs_crc32c_le(~0u, buf, 32) == 0x8a9136aau);
    memset(buf, 0xff, sizeof buf);
    CHECK(~ext2fs_crc32c_le(~0u, buf, 32) == 0x62a8ab43u);
    for (int i = 0; i < 32; i++)
        buf[i] = (unsigned char)i;
    CHECK(~ext2fs_crc32c_le(~0u, buf, 32) == 0x46dd794eu);
    for (int i = 0; i < 32; i++)
        buf[i] = (unsigned char)(31 - i);
    CHECK(~ext2fs_crc32c_le(~0u, buf, 32) == 0x113fdb5cu);
}

static void random_and_split(void)
{
    unsigned char buf[4096];
    srand(7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)rand();
    uint32_t whole = ext2fs_crc32c_le(0xdeadbeefu, buf, sizeof buf);
    CHECK(whole == ref_crc32c(0xdeadbeefu, buf, sizeof buf));
    CHECK(ext2fs_crc32c_le(ext2fs_crc32c_le(0xdeadbeefu, buf, 1000), buf + 1000, sizeof buf - 1000) == whole);
    unsigned c16 = ext2fs_crc16(0xffff, buf, sizeof buf);
    CHECK(ext2fs_crc16(ext2fs_crc16(0xffff, buf, 17), buf + 17, sizeof buf - 17) == c16);
    CHECK(c16 <= 0xffff);
}

/* Every start alignment and every short length, against the reference
 * (the eight-bytes-at-a-time loop, its aligned start and its tail). */
static void alignments(void)
{
    unsigned char buf[64];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    int bad = 0;
    for (size_t start = 0; start < 8; start++)
        for (size_t len = 0; start + len <= sizeof buf; len++)
            bad += ext2fs_crc32c_le(0x5a5a5a5au, buf + start, len) != ref_crc32c(0x5a5a5a5au, buf + start, len);
    CHECK(bad == 0);
}

int main(void)
{
    check_values();
    rfc3720();
    random_and_split();
    alignments();
    return check_report("test_ext4_crc");
}
