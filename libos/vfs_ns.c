/*
 * vfs_ns.c - the namespace calls: open, mkdir, unlink, rename, access, link,
 * chdir, getcwd, truncate, chmod, utimensat, statfs, umask; and the
 * routing of paths at or below /data to the ext4 file system.
 */
#include "vfs_impl.h"

static uint32_t umask_v = 022;

/* ---- new names ---- */
/* Whether w's directory may get a new entry: 0, -EROFS or -ENOENT (removed). */
static int creatable_locked(const struct vfs_walk *w)
{
    return w->dir->fs->ro ? -EROFS : w->dir->nlink == 0 ? -ENOENT : 0;
}

/* A new node of mode named by w's last component, not yet in w's
 * directory (NULL: no memory). */
static struct vnode *new_named_locked(const struct vfs_walk *w, uint32_t mode)
{
    struct vnode *n = vfs_node_new_locked(w->dir->fs, mode);
    if (n && vfs_set_name_locked(n, w->last, w->lastlen)) {
        n->nlink = 0;
        vfs_node_maybe_free_locked(n);
        n = NULL;
    }
    return n;
}

static void add_named_locked(const struct vfs_walk *w, struct vnode *n)
{
    vfs_child_add_locked(w->dir, n);
    w->dir->mtime_ns = w->dir->ctime_ns = n->mtime_ns;
}

/* ---- open ---- */
int vfs_open(int dirfd, const char *path, int flags, uint32_t mode, struct file **out)
{
    EXT4_ROUTE(dirfd, path, ext4_open(in, flags, mode, out));
    struct vfs_walk w = { 0 };
    int r = vfs_walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    r = vfs_walk_last_locked(&w, &n);
    int acc = flags & O_ACCMODE;
    bool wr = acc == O_WRONLY || acc == O_RDWR;
    if (r)
        goto fail;
    if (n && (flags & O_CREAT) && (flags & O_EXCL)) {
        r = -EEXIST;            /* a symbolic link too, dangling or not */
        goto fail;
    }
    if (n && S_ISLNK(n->mode)) {
        r = (flags & O_NOFOLLOW) ? -ELOOP : vfs_walk_follow_locked(&w, &n);
        if (r)
            goto fail;          /* a dangling link: ENOENT, even with O_CREAT */
    }
    if (!n) {
        if (!(flags & O_CREAT)) {
            r = -ENOENT;
            goto fail;
        }
        if (w.slash || (flags & O_DIRECTORY)) {
            r = w.slash ? -EISDIR : -EINVAL;
            goto fail;
        }
        r = creatable_locked(&w);
        if (r)
            goto fail;
        n = new_named_locked(&w, S_IFREG | (mode & 07777 & ~umask_v));
        if (!n) {
            r = -ENOSPC;
            goto fail;
        }
        add_named_locked(&w, n);
    } else {
        if ((flags & O_DIRECTORY) && !vfs_is_dir(n)) {
            r = -ENOTDIR;
            goto fail;
        }
        if (vfs_is_dir(n) && (wr || (flags & O_CREAT))) {
            r = -EISDIR;
            goto fail;
        }
        if (wr && n->fs->ro && !(flags & O_PATH)) {
            r = -EROFS;
            goto fail;
        }
        if ((flags & O_TRUNC) && wr && S_ISREG(n->mode)) {
            r = vfs_truncate_locked(n, 0);
            if (r)
                goto fail;
        }
    }
    const struct file_ops *ops = vfs_is_dir(n) ? &vfs_dir_ops : S_ISCHR(n->mode) ? n->dev_ops : &vfs_reg_ops;
    struct file *f = libos_file_new(ops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_PATH |
                                                 O_DIRECTORY | O_LARGEFILE), n);
    if (!f) {
        r = -ENFILE;
        goto fail;
    }
    n->opens++;
    libos_unlock(&vfs_lock);
    vfs_walk_done(&w);
    if (ops->opened)
        ops->opened(f);
    *out = f;
    return 0;
fail:
    libos_unlock(&vfs_lock);
    vfs_walk_done(&w);
    return r;
}

/* Devices' release (every device's file_ops has it): the node's open count. */
void vfs_dev_release(struct file *f)
{
    vfs_node_release(f);
}

/* ---- directories and names ---- */
int vfs_mkdir(int dirfd, const char *path, uint32_t mode)
{
    EXT4_ROUTE(dirfd, path, ext4_mkdir(in, mode));
    struct vfs_walk w = { 0 };
    int r = vfs_walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    r = vfs_walk_last_locked(&w, &n);
    if (r == -ENOTDIR)
        r = -EEXIST;
    if (r == 0 && n)
        r = -EEXIST;
    if (r == 0)
        r = creatable_locked(&w);
    if (r == 0) {
        n = new_named_locked(&w, S_IFDIR | (mode & 07777 & ~umask_v));
        if (!n) {
            r = -ENOSPC;
        } else {
            n->nlink = 2;
            add_named_locked(&w, n);
        }
    }
    libos_unlock(&vfs_lock);
    vfs_walk_done(&w);
    return r;
}

static bool is_mount_root_locked(struct vnode *n)
{
    return vfs_mount_of_root_locked(n) != NULL;
}

int vfs_unlink(int dirfd, const char *path, bool dir)
{
    EXT4_ROUTE(dirfd, path, ext4_unlink(in, dir));
    struct vfs_walk w = { 0 };
    int r = vfs_walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    if (dir && vfs_is_dot(w.last, w.lastlen)) {
        r = -EINVAL;
        goto out;
    }
    if (dir && w.lastlen == 2 && w.last[0] == '.' && w.last[1] == '.') {
        r = -ENOTEMPTY;
        goto out;
    }
    r = vfs_walk_last_locked(&w, &n);
    if (r == 0 && !n)
        r = -ENOENT;
    if (r)
        goto out;
    if (dir && !vfs_is_dir(n)) {
        r = -ENOTDIR;
    } else if (!dir && vfs_is_dir(n)) {
        r = -EISDIR;
    } else if (is_mount_root_locked(n) || n == vfs_root_locked()) {
        r = -EBUSY;
    } else if (n->fs->ro) {
        r = -EROFS;
    } else if (dir && n->child) {
        r = -ENOTEMPTY;
    } else {
        struct vnode *p = n->parent;
        vfs_child_remove_locked(p, n);
        p->mtime_ns = p->ctime_ns = vfs_now_ns();
        n->nlink = 0;
        n->ctime_ns = p->mtime_ns;
        vfs_node_maybe_free_locked(n);
    }
out:
    libos_unlock(&vfs_lock);
    vfs_walk_done(&w);
    return r;
}

/* The root of the mount a node is reached through: its nearest ancestor
 * that is some mount's root. */
static struct vnode *mount_root_above_locked(struct vnode *n)
{
    while (!is_mount_root_locked(n) && n->parent != n)
        n = n->parent;
    return n;
}

static bool is_ancestor_locked(struct vnode *a, struct vnode *n)
{
    for (;;) {
        if (n == a)
            return true;
        if (n->parent == n)
            return false;
        n = n->parent;
    }
}

int vfs_rename(int odirfd, const char *oldp, int ndirfd, const char *newp)
{
    {
        char oin[PATH_MAX], nin[PATH_MAX];
        int ro = vfs_ext4_route(odirfd, oldp, oin), rn = vfs_ext4_route(ndirfd, newp, nin);
        if (ro < 0 || rn < 0)
            return ro < 0 ? ro : rn;
        if (ro || rn)
            return ro && rn ? ext4_rename(oin, nin) : -EXDEV;
    }
    struct vfs_walk wo = { 0 }, wn = { 0 };
    int r = vfs_walk_parent_lock(odirfd, oldp, &wo);
    if (r)
        return r;
    /* The second walk takes the lock itself: drop it in between, holding
     * the first directory open so that it cannot be freed meanwhile. */
    struct vnode *od = wo.dir;
    od->opens++;
    libos_unlock(&vfs_lock);
    r = vfs_walk_parent_lock(ndirfd, newp, &wn);
    if (r) {
        libos_lock(&vfs_lock);
        od->opens--;
        vfs_node_maybe_free_locked(od);
        libos_unlock(&vfs_lock);
        vfs_walk_done(&wo);
        return r;
    }
    od->opens--;
    struct vnode *src, *dst;
    r = od->nlink ? vfs_walk_last_locked(&wo, &src) : -ENOENT;
    if (r == 0 && !src)
        r = -ENOENT;
    if (r) {
        vfs_node_maybe_free_locked(od);
        goto out;
    }
    if (wo.lastlen == 0 || vfs_is_dot(wo.last, wo.lastlen) ||
        (wo.lastlen == 2 && wo.last[0] == '.' && wo.last[1] == '.') ||
        wn.lastlen == 0 || vfs_is_dot(wn.last, wn.lastlen) ||
        (wn.lastlen == 2 && wn.last[0] == '.' && wn.last[1] == '.')) {
        r = vfs_is_dir(src) ? -EBUSY : -EINVAL;
        goto out;
    }
    r = vfs_walk_last_locked(&wn, &dst);
    if (r == -ENOTDIR && !vfs_is_dir(src))
        goto out;
    if (r)
        goto out;
    if (wn.slash && !vfs_is_dir(src)) {
        r = -ENOTDIR;
        goto out;
    }
    if (is_mount_root_locked(src) || (dst && is_mount_root_locked(dst))) {
        r = -EBUSY;
        goto out;
    }
    if (src->fs != wn.dir->fs ||
        mount_root_above_locked(src->parent) != mount_root_above_locked(wn.dir)) {
        r = src->fs->ro || wn.dir->fs->ro ? -EROFS : -EXDEV;
        goto out;
    }
    if (src->fs->ro) {
        r = -EROFS;
        goto out;
    }
    if (dst == src)
        goto out;       /* the same file: nothing to do */
    if (vfs_is_dir(src) && is_ancestor_locked(src, wn.dir)) {
        r = -EINVAL;
        goto out;
    }
    if (wn.dir->nlink == 0) {
        r = -ENOENT;
        goto out;
    }
    if (dst) {
        if (vfs_is_dir(src) && !vfs_is_dir(dst)) {
            r = -ENOTDIR;
            goto out;
        }
        if (!vfs_is_dir(src) && vfs_is_dir(dst)) {
            r = -EISDIR;
            goto out;
        }
        if (vfs_is_dir(dst) && dst->child) {
            r = -ENOTEMPTY;
            goto out;
        }
    }
    char tmp[NAME_MAX + 1];
    memcpy(tmp, wn.last, wn.lastlen);
    r = vfs_set_name_locked(src, tmp, wn.lastlen);
    if (r)
        goto out;
    int64_t now = vfs_now_ns();
    if (dst) {
        vfs_child_remove_locked(dst->parent, dst);
        dst->nlink = 0;
        dst->ctime_ns = now;
        vfs_node_maybe_free_locked(dst);
    }
    struct vnode *op = src->parent;
    vfs_child_remove_locked(op, src);
    vfs_child_add_locked(wn.dir, src);
    op->mtime_ns = op->ctime_ns = wn.dir->mtime_ns = wn.dir->ctime_ns = src->ctime_ns = now;
out:
    libos_unlock(&vfs_lock);
    vfs_walk_done(&wo);
    vfs_walk_done(&wn);
    return r;
}

int vfs_access(int dirfd, const char *path, int amode)
{
    if (amode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    struct libos_stat est;
    EXT4_ROUTE(dirfd, path, ext4_stat(in, true, &est));
    struct vnode *n;
    struct file *h;
    int r = vfs_resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    if ((amode & W_OK) && n->fs->ro && !S_ISCHR(n->mode))
        r = -EROFS;
    else if ((amode & X_OK) && !(n->mode & 0111))
        r = -EACCES;        /* root may execute only what someone may */
    vfs_resolve_unlock(h);
    return r;
}

/* The target of a symbolic link, cut to size bytes, no NUL; its length. */
long vfs_readlink(int dirfd, const char *path, char *buf, size_t size)
{
    EXT4_ROUTE(dirfd, path, ext4_readlink(in, buf, size));
    struct vnode *n;
    struct file *h;
    int r = vfs_resolve_how_lock(dirfd, path, false, &n, &h);
    if (r)
        return r;
    long len = -EINVAL;         /* not a link */
    if (S_ISLNK(n->mode)) {
        len = n->size < size ? (long)n->size : (long)size;
        memcpy(buf, n->data, (size_t)len);
        n->atime_ns = vfs_now_ns();
    }
    vfs_resolve_unlock(h);
    return len;
}

/* A symbolic link at path holding target (any bytes, not checked). */
int vfs_symlink(const char *target, int dirfd, const char *path)
{
    if (!target)
        return -EFAULT;
    size_t tl = strnlen(target, PATH_MAX);
    if (tl == 0)
        return -ENOENT;
    if (tl == PATH_MAX)
        return -ENAMETOOLONG;
    EXT4_ROUTE(dirfd, path, ext4_symlink(target, in));
    struct vfs_walk w = { 0 };
    int r = vfs_walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    r = vfs_walk_last_locked(&w, &n);
    if (r == 0 && (n || w.lastlen == 0 || vfs_is_dot(w.last, w.lastlen)))
        r = -EEXIST;
    else if (r == 0 && w.slash)
        r = -ENOENT;            /* "new/": a directory that does not exist */
    if (r == 0)
        r = creatable_locked(&w);
    if (r == 0) {
        n = new_named_locked(&w, S_IFLNK | 0777);
        uint8_t *data = n ? libos_pages_alloc(PATH_MAX) : NULL;    /* tl < PATH_MAX */
        if (!data) {
            if (n) {
                n->nlink = 0;
                vfs_node_maybe_free_locked(n);
            }
            r = -ENOSPC;
        } else {
            memcpy(data, target, tl);
            n->data = data;
            n->cap = PATH_MAX;
            n->size = tl;
            add_named_locked(&w, n);
        }
    }
    libos_unlock(&vfs_lock);
    vfs_walk_done(&w);
    return r;
}

/* A hard link newp to oldp: on /data only (ext4_link); the tmpfs and the
 * archive have none (EOPNOTSUPP, which OTP reports as enotsup). */
int vfs_link(int odirfd, const char *oldp, int ndirfd, const char *newp, bool follow)
{
    char oin[PATH_MAX], nin[PATH_MAX];
    int ro = vfs_ext4_route(odirfd, oldp, oin), rn = vfs_ext4_route(ndirfd, newp, nin);
    if (ro < 0 || rn < 0)
        return ro < 0 ? ro : rn;
    if (ro && rn)
        return ext4_link(oin, nin, follow);
    return ro || rn ? -EXDEV : -EOPNOTSUPP;
}

/* The node of a call that takes PATH relative to DIRFD, or with PATH NULL
 * the open file DIRFD (chdir, chmod, utimensat, statfs and their f* forms).
 * Takes vfs_lock on success (resolve_unlock(*h) ends it); *n is NULL for a
 * descriptor with no node (fd_node). */
static int path_or_fd_lock(int dirfd, const char *path, struct vnode **n, struct file **h)
{
    *h = NULL;
    if (path)
        return vfs_resolve_lock(dirfd, path, n, h);
    int r = vfs_fd_node(dirfd, h, n);
    if (r == 0)
        libos_lock(&vfs_lock);
    return r;
}

int vfs_chdir(int dirfd, const char *path)
{
    struct vnode *n;
    struct file *h;
    int r = path_or_fd_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    if (!n || !vfs_is_dir(n)) {
        r = -ENOTDIR;
    } else {
        n->opens++;
        struct vnode *old = vfs_cwd;
        vfs_cwd = n;
        if (old) {
            old->opens--;
            vfs_node_maybe_free_locked(old);
        }
        r = 0;
    }
    vfs_resolve_unlock(h);
    return r;
}

long vfs_getcwd(char *buf, size_t size)
{
    if (!buf)
        return -EFAULT;
    if (size == 0)
        return -EINVAL;
    libos_lock(&vfs_lock);
    long r = vfs_node_path_locked(vfs_cwd, buf, size);
    libos_unlock(&vfs_lock);
    return r < 0 ? r : r + 1;      /* the syscall counts the NUL */
}

int vfs_truncate(int dirfd, const char *path, uint64_t len)
{
    EXT4_ROUTE(dirfd, path, ext4_truncate(in, len));
    struct vnode *n;
    struct file *h;
    int r = vfs_resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    r = vfs_truncate_locked(n, len);
    vfs_resolve_unlock(h);
    return r;
}

/* chmod (MODE >= 0) and utimensat (the times): on a pipe or eventfd
 * accepted and forgotten; the change time moves whatever changed. */
static int set_meta(int dirfd, const char *path, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{
    if (path)
        EXT4_ROUTE(dirfd, path, ext4_set_meta(in, mode, atime_ns, mtime_ns));
    struct file *ef = path ? NULL : libos_fd_get(dirfd);
    if (ef) {
        int er = ext4_is_file(ef) ? ext4_file_set_meta(ef, mode, atime_ns, mtime_ns) : 1;
        libos_file_put(ef);
        if (er <= 0)
            return er;
    }
    struct vnode *n;
    struct file *h;
    int r = path_or_fd_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    if (n && n->fs->ro) {
        r = -EROFS;
    } else if (n) {
        int64_t now = vfs_now_ns();
        if (mode >= 0)
            n->mode = (n->mode & S_IFMT) | ((uint32_t)mode & 07777);
        if (atime_ns != VFS_TIME_OMIT)
            n->atime_ns = atime_ns == VFS_TIME_NOW ? now : atime_ns;
        if (mtime_ns != VFS_TIME_OMIT)
            n->mtime_ns = mtime_ns == VFS_TIME_NOW ? now : mtime_ns;
        n->ctime_ns = now;
    }
    vfs_resolve_unlock(h);
    return r;
}

int vfs_chmod(int dirfd, const char *path, uint32_t mode)
{
    return set_meta(dirfd, path, (int32_t)(mode & 07777), VFS_TIME_OMIT, VFS_TIME_OMIT);
}

int vfs_set_times(int dirfd, const char *path, int64_t atime_ns, int64_t mtime_ns)
{
    return set_meta(dirfd, path, -1, atime_ns, mtime_ns);
}

int vfs_statfs(int dirfd, const char *path, bool *ro)
{
    struct vnode *n;
    struct file *h;
    int r = path_or_fd_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    *ro = n && n->fs->ro;
    vfs_resolve_unlock(h);
    return 0;
}

uint32_t vfs_umask_now(void)
{
    return __atomic_load_n(&umask_v, __ATOMIC_RELAXED);
}

uint32_t vfs_umask(uint32_t mask)
{
    return __atomic_exchange_n(&umask_v, mask & 0777, __ATOMIC_RELAXED);
}


/* ---- the ext4 file system at EXT4_MOUNT ---- */
struct vnode *vfs_ext4_dir;

int vfs_ext4_route(int dirfd, const char *path, char *in)
{
    static const char mnt[] = EXT4_MOUNT;
    const size_t ml = sizeof mnt - 1;
    if (!ext4_mounted() || !path)
        return 0;
    char full[PATH_MAX];
    size_t pl = strnlen(path, PATH_MAX);
    if (pl == PATH_MAX)
        return -ENAMETOOLONG;
    if (path[0] == '/') {
        memcpy(full, path, pl + 1);
    } else {
        struct file *f = NULL;
        struct vnode *start = NULL;
        if (dirfd != AT_FDCWD && (vfs_fd_node(dirfd, &f, &start) || !start)) {
            bool ext4_dir = f && ext4_is_file(f);
            if (f)
                libos_file_put(f);
            /* relative to a directory of /data: not served; other kinds: the walk says why */
            return ext4_dir ? -EOPNOTSUPP : 0;
        }
        libos_lock(&vfs_lock);
        if (!f)
            start = vfs_cwd;
        long l = start ? vfs_node_path_locked(start, full, sizeof full) : -ENOENT;
        libos_unlock(&vfs_lock);
        if (f)
            libos_file_put(f);
        if (l < 0)
            return l == -ERANGE ? -ENAMETOOLONG : 0;   /* a removed directory: not ours */
        if ((size_t)l + 1 + pl >= sizeof full)
            return -ENAMETOOLONG;
        full[l] = '/';
        memcpy(full + l + 1, path, pl + 1);
    }
    size_t cl;
    if (vfs_canon(full, in, PATH_MAX, &cl))
        return -ENAMETOOLONG;
    if (cl < ml || memcmp(in, mnt, ml) != 0 || (cl > ml && in[ml] != '/'))
        return 0;
    memmove(in, in + ml, cl - ml + 1);
    if (in[0] == 0) {
        in[0] = '/';
        in[1] = 0;
    }
    return 1;
}

/* The directory on the tmpfs first (so that / lists it), and away again
 * if nothing is mounted on it: writes to /data never land in RAM. */
void libos_ext4_mount(void)
{
    if (!ext4_have_disk())
        return;
    vfs_make_dirs(EXT4_MOUNT);
    if (!ext4_mount()) {
        vfs_unlink(AT_FDCWD, EXT4_MOUNT, true);
        return;
    }
    struct vnode *n;
    struct file *h;
    if (vfs_resolve_lock(AT_FDCWD, EXT4_MOUNT, &n, &h) == 0) {
        vfs_ext4_dir = n;
        vfs_resolve_unlock(h);
    }
}
