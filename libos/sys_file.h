/*
 * sys_file.h - what sys_file.c and sys_file_path.c share (private).
 */
#ifndef LIBOS_SYS_FILE_H
#define LIBOS_SYS_FILE_H

#include "file.h"

long libos_fstat_fd(int fd, struct libos_stat *st);
/* Write st in Linux ARM's struct stat64 layout (104 bytes) / statx. */
long libos_put_stat64(const struct libos_stat *st, void *buf);
long libos_put_statx(const struct libos_stat *st, void *buf);
long libos_put_statfs64(bool ro, size_t size, void *buf);

#endif
