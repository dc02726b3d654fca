/*
 * vfs.h - libos's file system (private to libos): one tree of nodes per
 * file system, a mount table looked up by path, and the path walk.
 *
 * File systems: tmpfs (writable, data in libos pages), read-only cpio
 * archives (data left in the archive blob) and the devices of /dev.  All
 * share `struct vnode`; the differences are the fs's read-only flag, where
 * the data lives (cap == 0: outside, not ours) and dev_ops for devices.
 *
 * Mounts: a mount puts the root of a file system at an absolute,
 * canonical path ("/", "/tmp", "/data").  While walking, each directory
 * entry reached is first looked up in the mount table by its full path
 * (so a mount is found by its path, the longest prefix of what is being
 * resolved, whether or not the directory below it exists), then among the
 * directory's children.  `..` from a mount's root goes to the parent of
 * the mount's path.  At start `/` is a tmpfs holding /tmp and /dev, both
 * also mounted at their own paths, so they stay visible when an archive is
 * later mounted over `/`.
 *
 * One lock (vfs_lock) guards every tree, every node and tmpfs data; device
 * I/O runs without it.  Symbolic links (vfs_walk.c follows them), no hard
 * links (nlink of a file is 1 until it is unlinked: /data has them,
 * ext4_fs.c), no permission checks (every caller is root).
 */
#ifndef LIBOS_VFS_H
#define LIBOS_VFS_H

#include "file.h"
#include <sys/stat.h>

struct vfs_fs {
    uint32_t dev;           /* st_dev */
    bool ro;                /* writes give EROFS */
};

struct vnode {
    struct vnode *parent;   /* the directory holding it (itself for a root) */
    struct vnode *child;    /* a directory's first entry */
    struct vnode *next;     /* the next entry of the parent */
    struct vfs_fs *fs;
    const char *name;       /* namelen bytes, not NUL-terminated in archives */
    uint32_t namelen;
    uint32_t mode;          /* S_IFMT | permissions */
    uint32_t nlink;         /* 0: removed from its directory */
    uint32_t opens;         /* open files and the cwd that hold it */
    uint32_t nchild;
    bool name_owned;        /* name from vfs_small_alloc */
    uint64_t ino;
    uint64_t size;
    uint8_t *data;          /* file bytes; [size, cap) is zero (unless mapped shared: below) */
    size_t cap;             /* bytes of data we own (libos pages); 0: not ours */
    int64_t atime_ns, mtime_ns, ctime_ns;
    const struct file_ops *dev_ops;   /* character devices */
    uint32_t rdev;
    uint32_t maps;          /* shared mappings of a tmpfs file (vfs_map.c): while
                               non-zero its data is pinned (never moves or is freed) */
};

#define VFS_MAX_MOUNTS 16

extern struct libos_lock vfs_lock;

/* Start: the root tmpfs with /tmp and /dev and its devices (vfs_dev.c),
 * fds 0-2 on /dev/console. */
void libos_files_init(void);

/* Mount a cpio newc archive (read-only, the data stays in the blob, which
 * must live as long as the program) at `where`, an absolute path; the
 * directory is created on the tmpfs below if missing.  0, -EINVAL (a
 * malformed archive: nothing mounted), -ENOMEM, -EBUSY (mount table full). */
int libos_mount_archive(const void *blob, size_t len, const char *where);

/* Devices (vfs_dev.c).  Every device's file_ops has .release =
 * vfs_dev_release (that is how a device file is told from a pipe's). */
void vfs_dev_init(struct vnode *devdir);
void vfs_dev_release(struct file *f);
struct vnode *vfs_dev_node(struct vnode *dir, const char *name, uint32_t mode, uint32_t rdev,
                           const struct file_ops *ops);
/* A directory of devices below dir (found or made); NULL without memory. */
struct vnode *vfs_dev_subdir(struct vnode *dir, const char *name);
long vfs_console_write(const void *buf, size_t len);

/* Small blocks (nodes, names) from libos pages; never returned to mmap. */
void *vfs_small_alloc(size_t n);
void vfs_small_free(void *p, size_t n);

int64_t vfs_now_ns(void);
uint32_t vfs_umask_now(void);
/* One linux_dirent64 record into buf at *used (advanced): 1, or 0 when it
 * does not fit. */
long vfs_put_dirent(uint8_t *buf, size_t len, size_t *used, uint64_t ino, int64_t next,
                    unsigned type, const char *name, size_t nl);
/* /data on the disk, if the PD has one (ext4_fs.h); after the event thread starts. */
void libos_ext4_mount(void);

/* ---- for the system calls (sys_file*.c) ---- */
bool vfs_is_vnode_file(const struct file *f);
struct vnode *vfs_file_node(const struct file *f);     /* NULL if not a vnode file */
void vfs_stat_node(const struct vnode *n, struct libos_stat *st);
long vfs_file_fstat(struct file *f, struct libos_stat *st);   /* a vnode file's node */

int vfs_open(int dirfd, const char *path, int flags, uint32_t mode, struct file **out);
int vfs_stat(int dirfd, const char *path, struct libos_stat *st);
int vfs_lstat(int dirfd, const char *path, struct libos_stat *st);  /* a link itself */
int vfs_mkdir(int dirfd, const char *path, uint32_t mode);
int vfs_unlink(int dirfd, const char *path, bool dir);
int vfs_rename(int odirfd, const char *oldp, int ndirfd, const char *newp);
int vfs_access(int dirfd, const char *path, int amode);
long vfs_readlink(int dirfd, const char *path, char *buf, size_t size);
int vfs_symlink(const char *target, int dirfd, const char *path);
int vfs_link(int odirfd, const char *oldp, int ndirfd, const char *newp, bool follow);
int vfs_chdir(int dirfd, const char *path);       /* path NULL: fchdir(dirfd) */
long vfs_getcwd(char *buf, size_t size);
int vfs_truncate(int dirfd, const char *path, uint64_t len);
int vfs_chmod(int dirfd, const char *path, uint32_t mode);   /* path NULL: fchmod */
/* Access and modification times in ns since the epoch, or one of these two;
 * path NULL: the open file dirfd (futimens).  The change time is set even
 * when both are OMIT (a chown to the one owner there is). */
#define VFS_TIME_NOW  INT64_MIN
#define VFS_TIME_OMIT (INT64_MIN + 1)
int vfs_set_times(int dirfd, const char *path, int64_t atime_ns, int64_t mtime_ns);
int vfs_statfs(int dirfd, const char *path, bool *ro);       /* path NULL: fstatfs */
uint32_t vfs_umask(uint32_t mask);

/* ---- file mappings (vfs_map.c; the tmpfs side in vfs_tmpfs.c) ----
 *
 * A shared mapping of a tmpfs file IS the file's data: mmap returns
 * data + offset.  While a file has shared mappings (n->maps > 0) its data is
 * pinned: it never moves to a bigger run and is never freed (truncating
 * to 0 zeroes it, unlinking and closing keeps the node).  Mapping reserves
 * the file's capacity up to the mapping's end (moving the data there if it
 * is not pinned yet); growth beyond the capacity of a pinned file fails
 * with EFBIG (one console line): a write is cut short at the capacity.
 * [size, cap) may hold bytes stored through a mapping, so growth of a
 * pinned file zeroes what it exposes; the last unmap zeroes [size, cap). */

/* Make n's data cover [0, end) (end a multiple of the page size), moving
 * it to a run of exactly end bytes if needed: 0, or -ENOMEM (pinned and
 * too small: the data cannot move, one console line; out of memory; past
 * tmpfs's 1 GiB file size). */
int vfs_reserve_locked(struct vnode *n, uint64_t end);
/* One shared mapping of n fewer (maps--); on the last the data is unpinned
 * and n freed if nothing else holds it. */
void vfs_unpin_locked(struct vnode *n);

#define VFS_MAX_MAPS 256        /* shared file mapping records (Linux: ENOMEM beyond) */
extern uint32_t vfs_nmaps;      /* records in use; read without the lock as a hint */

enum vfs_map_kind { VFS_MAP_ANON = 1, VFS_MAP_COPY, VFS_MAP_SHARED };
/* What mmap(prot, flags) of open file f must do: VFS_MAP_ANON (/dev/zero:
 * anonymous memory), VFS_MAP_COPY (fresh pages holding a copy of the file:
 * MAP_PRIVATE, or a read-only MAP_SHARED of an archive file, which never
 * changes), VFS_MAP_SHARED (the tmpfs file's own pages: vfs_map_shared), or
 * -EACCES (not open for reading; shared, writable and not O_RDWR, or
 * O_APPEND, or an archive file), -ENODEV (a directory, pipe, other device),
 * -EINVAL (neither MAP_SHARED nor MAP_PRIVATE). */
long vfs_map_kind(struct file *f, long prot, long flags);
/* A shared mapping of f's [off, off + len): its address (data + off), or
 * -errno.  fixed != 0 (MAP_FIXED): only that very address is possible
 * (-EINVAL otherwise). */
long vfs_map_shared(struct file *f, uint64_t off, size_t len, uintptr_t fixed);

/* The heap side (sys_mm.c), all under vfs_lock.  Addresses are page aligned. */
/* Does [s, e) overlap the data of a file mapped shared?  (The file's
 * whole data run counts, not only the mapped part: a page unmapped from
 * the middle of a mapping is still the file's.) */
bool vfs_map_overlaps_locked(uintptr_t s, uintptr_t e);
/* The first part [*gs, *ge) of [s, e) that is no data of a file mapped
 * shared (heap pages of their own): false when there is none. */
bool vfs_map_gap_locked(uintptr_t s, uintptr_t e, uintptr_t *gs, uintptr_t *ge);
/* munmap: take one layer of shared mapping off every page of [s, e) (two
 * mmaps of the same file range return the same address: each munmap of it
 * drops one).  Records are trimmed or split; the last one of a file unpins
 * it.  Takes libos_mm_lock (through the page allocator) when a file's data
 * is freed: call it without that lock. */
void vfs_unmap_locked(uintptr_t s, uintptr_t e);
/* mremap of a range [old, old + old_len) that overlaps a shared record: it
 * must be one whole record; shrinking trims it, growing extends it in place
 * within the file's capacity.  The address, or -EINVAL / -ENOMEM. */
long vfs_remap_locked(uintptr_t old, size_t old_len, size_t new_len);

#endif
