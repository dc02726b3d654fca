/*
 * lib.h - the kernel's string and memory helpers.
 *
 * The kernel links no libc, yet C code (and gcc itself, for struct copies
 * and zeroing) needs memcpy and friends.  kernel/lib.c defines them under
 * their standard names.  This header only declares the standard prototypes,
 * so a host unit test can include it next to <string.h> and simply use the
 * host libc's versions instead of compiling lib.c.
 */
#ifndef FB_KERNEL_LIB_H
#define FB_KERNEL_LIB_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
