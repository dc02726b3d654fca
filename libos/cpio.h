/*
 * cpio.h - a reader of cpio "newc" archives (as written by
 * `cpio -o -H newc`) over a blob in memory.  Pure: no allocation, no
 * kernel, no libc beyond string functions, so the host tests and the
 * fuzzer (tests/fuzz/fuzz_cpio.c) run it as is.  It never reads outside
 * [blob, blob+len), whatever the bytes are.
 *
 * Each member is a 110-byte header ("070701" or "070702", then 13 fields
 * of 8 hex digits: ino mode uid gid nlink mtime filesize devmajor devminor
 * rdevmajor rdevminor namesize check), the name (namesize bytes, NUL
 * included) padded so that header+name is a multiple of 4, then the data,
 * padded to 4.  The member named "TRAILER!!!" ends the archive.
 */
#ifndef LIBOS_CPIO_H
#define LIBOS_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
    const char *name;       /* NUL-terminated, inside the blob; as archived ("./a/b") */
    size_t namelen;         /* strlen(name) */
    uint32_t ino, mode, uid, gid, nlink, mtime;
    const void *data;       /* filesize bytes inside the blob */
    size_t size;
};

struct cpio_iter {
    const uint8_t *blob;
    size_t len, off;
};

void cpio_iter_init(struct cpio_iter *it, const void *blob, size_t len);
/* 1: *e is the next member; 0: the trailer was reached; -EINVAL: the
 * archive is malformed or truncated (no trailer before the end). */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/* Split an archived name into its next component: skips '/', "." and
 * empty components; returns the component's length (0: no more) and sets
 * *comp.  *p advances past it. */
size_t cpio_component(const char **p, const char *end, const char **comp);

#endif
