/*
 * ext2_types.h - the fixed-size integer names libext2fs uses (__u8 ..
 * __s64), from <stdint.h>.  e2fsprogs generates this file with configure
 * (lib/ext2fs/ext2_types.h.in); ours is written for our one target.
 */
#ifndef _EXT2_TYPES_H
#define _EXT2_TYPES_H
#include <stdint.h>
#ifndef HAVE___U8
#define HAVE___U8
typedef uint8_t __u8;
typedef int8_t __s8;
typedef uint16_t __u16;
typedef int16_t __s16;
typedef uint32_t __u32;
typedef int32_t __s32;
typedef uint64_t __u64;
typedef int64_t __s64;
#endif
#define HAVE___S8
#define HAVE___U16
#define HAVE___S16
#define HAVE___U32
#define HAVE___S32
#define HAVE___U64
#define HAVE___S64
#ifndef __force
#define __force
#endif
#ifndef __bitwise
#define __bitwise
#endif
typedef __u16 __bitwise __le16;
typedef __u32 __bitwise __le32;
typedef __u64 __bitwise __le64;
typedef __u16 __bitwise __be16;
typedef __u32 __bitwise __be32;
typedef __u64 __bitwise __be64;
#endif
