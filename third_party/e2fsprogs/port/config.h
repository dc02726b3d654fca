/*
 * config.h - what e2fsprogs' configure would have found, for libext2fs
 * compiled inside libos (third_party/e2fsprogs/build.sh): our musl's
 * headers, no threads of its own, no host tools.  Only the macros the
 * compiled files test are set; everything else stays undefined (off).
 */
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_ERRNO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_SYS_TIME_H 1
/* ARMv7-A little-endian: WORDS_BIGENDIAN stays undefined. */
