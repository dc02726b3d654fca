/*
 * ext4_fs.h - the ext4 file system on the disk, mounted at /data
 * (private to libos; docs/storage.md).  libext2fs (third_party/e2fsprogs)
 * does the on-disk work; ext4_fs.c turns paths and open files into its
 * calls, one operation at a time under one lock.
 *
 * vfs_ns.c hands a path to this file system when its canonical absolute form
 * is EXT4_MOUNT or below it (vfs_ext4_route): the path given here is the
 * part inside the file system, "/" for its root.
 */
#ifndef LIBOS_EXT4_FS_H
#define LIBOS_EXT4_FS_H

#include "file.h"
#include <stdbool.h>
#include <stdint.h>

#define EXT4_MOUNT "/data"

/* Before libos_events_start: find the disk's channel (ext4_io.h). */
void ext4_init(void);
/* After it: open the file system if there is a disk; says what it did on
 * the console.  True if /data is mounted. */
bool ext4_mount(void);
/* Write everything back and mark the file system clean (exit_group). */
void ext4_unmount(void);
bool ext4_mounted(void);
/* The commit timer's work (ext4_timer.c): commit the running transaction
 * if it is due; when the next one is (libos_ticks), or UINT64_MAX. */
uint64_t ext4_commit_due(void);
bool ext4_have_disk(void);              /* a blk channel was found by ext4_init */
bool ext4_is_file(const struct file *f);   /* an open file or directory of /data */

/* ext4_recover.c: replay the journal of fs (opened read-write) and mark it
 * empty; 0, or -EINVAL (it cannot be replayed: nothing written), -EIO,
 * -ENOMEM.  The caller reads the file system again afterwards. */
struct struct_ext2_filsys;
int ext4_recover(struct struct_ext2_filsys *fs, uint32_t *transactions, uint32_t *blocks);

int ext4_open(const char *path, int flags, uint32_t mode, struct file **out);
int ext4_stat(const char *path, bool follow, struct libos_stat *st);   /* follow: the last link */
int ext4_mkdir(const char *path, uint32_t mode);
int ext4_unlink(const char *path, bool dir);
int ext4_rename(const char *oldp, const char *newp);
int ext4_truncate(const char *path, uint64_t len);
/* chmod and utimensat: mode < 0 leaves it; the times as vfs_set_times takes
 * them (ns, VFS_TIME_NOW or VFS_TIME_OMIT); kept in whole seconds. */
int ext4_set_meta(const char *path, int32_t mode, int64_t atime_ns, int64_t mtime_ns);
/* Links (walk_locked in ext4_fs.c says how links are followed on /data). */
long ext4_readlink(const char *path, char *buf, size_t size);
int ext4_symlink(const char *target, const char *path);
int ext4_link(const char *oldp, const char *newp, bool follow);
int ext4_file_set_meta(struct file *f, int32_t mode, int64_t atime_ns, int64_t mtime_ns);   /* fchmod, futimens */

#endif
