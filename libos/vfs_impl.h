/*
 * vfs_impl.h - what the parts of libos's file system share, private to
 * them (the rest of libos uses vfs.h).  The parts, one concern each:
 *   vfs.c          nodes, mounts and the start (the root tmpfs, /tmp, /dev)
 *   vfs_alloc.c    the small-block allocator for nodes and names
 *   vfs_walk.c     the path walk and the descriptor lookup (its locking rule)
 *   vfs_tmpfs.c    file data: tmpfs and archive files, stat, getdents
 *   vfs_ns.c       the namespace calls: open, mkdir, unlink, rename, chdir,
 *                  chmod, statfs..., and the routing of /data to ext4
 *   vfs_archive.c  canonical paths, mounting, cpio archives
 * Every function named *_locked expects vfs_lock.
 */
#ifndef LIBOS_VFS_IMPL_H
#define LIBOS_VFS_IMPL_H

#include "libos.h"
#include "vfs.h"
#include "ext4_fs.h"
#include <fcntl.h>
#include <limits.h>
#include <string.h>

/* ---- nodes (vfs.c) ---- */
struct vfs_fs *vfs_fs_new(bool ro);
struct vnode *vfs_node_new_locked(struct vfs_fs *fs, uint32_t mode);
void vfs_node_free_data_locked(struct vnode *n);
void vfs_node_maybe_free_locked(struct vnode *n);
bool vfs_is_dir(const struct vnode *n);
struct vnode *vfs_child_find_locked(struct vnode *dir, const char *name, size_t len);
void vfs_child_add_locked(struct vnode *dir, struct vnode *n);
void vfs_child_remove_locked(struct vnode *dir, struct vnode *n);
int vfs_set_name_locked(struct vnode *n, const char *name, size_t len);
long vfs_node_path_locked(struct vnode *n, char *buf, size_t size);

/* ---- mounts (vfs.c) ---- */
struct vfs_mount {
    char path[PATH_MAX];    /* canonical: "/" or "/a/b" */
    size_t pathlen;
    struct vnode *root;
};
extern struct vfs_mount *vfs_mounts[VFS_MAX_MOUNTS];   /* newest last */
extern unsigned vfs_nmounts;
extern struct vnode *vfs_cwd;
struct vfs_mount *vfs_mount_at_locked(const char *path, size_t len);
struct vnode *vfs_root_locked(void);
struct vfs_mount *vfs_mount_of_root_locked(struct vnode *n);
bool vfs_mount_named_locked(const char *name, size_t len);

/* ---- the walk (vfs_walk.c) ---- */
size_t vfs_next_comp(const char **p, const char *end, const char **comp);
bool vfs_is_dot(const char *c, size_t n);
int vfs_fd_node(int fd, struct file **holder, struct vnode **n);
/* The result of resolving all but the last component. */
struct vfs_walk {
    struct vnode *dir;          /* the directory holding the last component */
    const char *last;           /* the last component ("" for "/", may be "." or "..") */
    size_t lastlen;
    bool slash;                 /* the path ended in '/' */
    unsigned links;             /* symbolic links followed so far */
    struct file *holder;
};
#define VFS_MAX_LINKS 40        /* per lookup, as Linux: more is ELOOP */
void vfs_walk_done(struct vfs_walk *w);
int vfs_walk_parent_lock(int dirfd, const char *path, struct vfs_walk *w);
int vfs_walk_last_locked(struct vfs_walk *w, struct vnode **out);
int vfs_walk_follow_locked(struct vfs_walk *w, struct vnode **n);
int vfs_resolve_lock(int dirfd, const char *path, struct vnode **out, struct file **holder);
int vfs_resolve_how_lock(int dirfd, const char *path, bool follow, struct vnode **out, struct file **holder);
void vfs_resolve_unlock(struct file *holder);

/* ---- file data (vfs_tmpfs.c) ---- */
extern const struct file_ops vfs_reg_ops, vfs_dir_ops;
int vfs_truncate_locked(struct vnode *n, uint64_t len);
void vfs_node_release(struct file *f);

/* ---- mounting (vfs_archive.c) ---- */
int vfs_canon(const char *in, char *out, size_t size, size_t *outlen);
int vfs_add_mount_locked(const char *path, struct vnode *root);
void vfs_make_dirs(const char *path);

/* ---- /data (vfs_ns.c) ---- */
/* Paths at or below EXT4_MOUNT go to the ext4 file system (ext4_fs.h):
 * 1 and the path inside it in `in` (PATH_MAX bytes), 0 for every other
 * path, or -errno. */
int vfs_ext4_route(int dirfd, const char *path, char *in);
/* The tmpfs directory that ext4 is mounted on (NULL if none): a path that
 * reaches it through a symbolic link gets EOPNOTSUPP (the walk). */
extern struct vnode *vfs_ext4_dir;
#define EXT4_ROUTE(dirfd, path, call)                        \
    do {                                                     \
        char in[PATH_MAX];                                   \
        int routed_ = vfs_ext4_route((dirfd), (path), in);   \
        if (routed_ < 0)                                     \
            return routed_;                                  \
        if (routed_)                                         \
            return (call);                                   \
    } while (0)

#endif
