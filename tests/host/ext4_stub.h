/*
 * ext4_stub.h - the ext4 file system of /data (libos/ext4_fs.h) as a host
 * test that includes libos/vfs*.c sees it: no disk, never mounted, so
 * vfs_ns.c's routing (vfs_ext4_route) hands every path back to the tmpfs and
 * archive code under test.  Include it after libos_host.h.
 */
#ifndef EXT4_STUB_H
#define EXT4_STUB_H

#include "../../libos/ext4_fs.h"

bool ext4_mounted(void) { return false; }
bool ext4_have_disk(void) { return false; }
bool ext4_mount(void) { return false; }
bool ext4_is_file(const struct file *f) { (void)f; return false; }
int ext4_open(const char *path, int flags, uint32_t mode, struct file **out)
{ (void)path; (void)flags; (void)mode; (void)out; return -EIO; }
int ext4_stat(const char *path, bool follow, struct libos_stat *st) { (void)path; (void)follow; (void)st; return -EIO; }
long ext4_readlink(const char *path, char *buf, size_t size) { (void)path; (void)buf; (void)size; return -EIO; }
int ext4_symlink(const char *target, const char *path) { (void)target; (void)path; return -EIO; }
int ext4_link(const char *oldp, const char *newp, bool follow) { (void)oldp; (void)newp; (void)follow; return -EIO; }
int ext4_mkdir(const char *path, uint32_t mode) { (void)path; (void)mode; return -EIO; }
int ext4_unlink(const char *path, bool dir) { (void)path; (void)dir; return -EIO; }
int ext4_rename(const char *oldp, const char *newp) { (void)oldp; (void)newp; return -EIO; }
int ext4_truncate(const char *path, uint64_t len) { (void)path; (void)len; return -EIO; }
int ext4_set_meta(const char *path, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{ (void)path; (void)mode; (void)atime_ns; (void)mtime_ns; return -EIO; }
int ext4_file_set_meta(struct file *f, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{ (void)f; (void)mode; (void)atime_ns; (void)mtime_ns; return -EIO; }

#endif
