/*
 * vfs_walk.c - the path walk: components, mounts crossed by path, `..`,
 * and the one lookup of a descriptor's node (vfs_fd_node) with the
 * locking rule every lookup follows.
 */
#include "vfs_impl.h"

/* ---- the walk ---- */
static int walk_abs_locked(const char *path, size_t len, struct vnode **out);

/* One step from directory dir by a component (not "." or "").  Not inlined:
 * its path buffer must stay out of the frames of a walk that follows
 * symbolic links (follow_locked recurses). */
static __attribute__((noinline)) int step_locked(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
    if (!vfs_is_dir(dir))
        return -ENOTDIR;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        struct vfs_mount *m = vfs_mount_of_root_locked(dir);
        if (m) {
            if (m->pathlen == 1) {
                *out = dir;
                return 0;
            }
            size_t pl = m->pathlen;
            while (pl > 1 && m->path[pl - 1] != '/')
                pl--;
            if (pl > 1)
                pl--;           /* "/a/b" -> "/a"; "/a" -> "/" */
            return walk_abs_locked(m->path, pl, out);
        }
        *out = dir->parent;
        return 0;
    }
    if (vfs_nmounts > 1 && vfs_mount_named_locked(name, len)) {
        char buf[PATH_MAX];
        long pl = vfs_node_path_locked(dir, buf, sizeof buf);
        if (pl >= 0 && (size_t)pl + 1 + len < sizeof buf) {
            size_t l = (size_t)pl;
            if (l > 1 || buf[0] != '/')
                buf[l++] = '/';
            else
                l = 1;
            memcpy(buf + l, name, len);
            struct vfs_mount *m = vfs_mount_at_locked(buf, l + len);
            if (m) {
                *out = m->root;
                return 0;
            }
        }
    }
    struct vnode *c = vfs_child_find_locked(dir, name, len);
    if (!c)
        return -ENOENT;
    *out = c;
    return 0;
}

/* Split off the next component: skip slashes; "" at the end. */
size_t vfs_next_comp(const char **p, const char *end, const char **comp)
{
    const char *s = *p;
    while (s < end && *s == '/')
        s++;
    *comp = s;
    while (s < end && *s != '/')
        s++;
    *p = s;
    return (size_t)(s - *comp);
}

bool vfs_is_dot(const char *c, size_t n)
{
    return n == 1 && c[0] == '.';
}

static int walk_from_locked(struct vnode *start, const char *p, const char *end, struct vnode **out,
                            unsigned *links);

/* *n is a symbolic link found in directory dir: replace it by what its
 * target names, relative to dir or to the root, counting the links this
 * lookup has followed (more than VFS_MAX_LINKS: ELOOP). */
static int follow_locked(struct vnode *dir, struct vnode **n, unsigned *links)
{
    while (S_ISLNK((*n)->mode)) {
        if (++*links > VFS_MAX_LINKS)
            return -ELOOP;
        const char *t = (const char *)(*n)->data;
        size_t len = (size_t)(*n)->size;
        struct vnode *start = t[0] == '/' ? vfs_root_locked() : dir;
        if (!start)
            return -ENOENT;
        int r = walk_from_locked(start, t, t + len, n, links);
        if (r)
            return r;
    }
    return 0;
}

/* Walk every component of [p, end) from start, following every symbolic
 * link met (the last component's too: a link's target is always followed). */
static int walk_from_locked(struct vnode *start, const char *p, const char *end, struct vnode **out,
                            unsigned *links)
{
    struct vnode *cur = start;
    for (;;) {
        const char *c;
        size_t n = vfs_next_comp(&p, end, &c);
        if (n == 0)
            break;
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        if (vfs_is_dot(c, n)) {
            if (!vfs_is_dir(cur))
                return -ENOTDIR;
            continue;
        }
        struct vnode *dir = cur;
        int r = step_locked(dir, c, n, &cur);
        if (r == 0)
            r = follow_locked(dir, &cur, links);
        if (r == 0 && cur == vfs_ext4_dir && *links)
            r = -EOPNOTSUPP;    /* into /data through a link: not served (vfs_ns.c routes by name) */
        if (r)
            return r;
    }
    *out = cur;
    return 0;
}

static int walk_abs_locked(const char *path, size_t len, struct vnode **out)
{
    struct vnode *root = vfs_root_locked();
    if (!root)
        return -ENOENT;
    unsigned links = 0;         /* mount paths hold no links */
    return walk_from_locked(root, path, path + len, out, &links);
}

/* The one lookup of a descriptor's node, for every call that takes a
 * directory descriptor or an open file instead of a path.  The locking
 * rule it follows, and every caller with it: the descriptor's reference
 * (*holder, put by the caller) is taken without vfs_lock, and it keeps the
 * file and its node alive; the node a file refers to is fixed when it is
 * opened, and so is a node's type (S_IFMT of mode), so both may be read
 * without vfs_lock.  Everything else of a node (its name, parent, size,
 * the rest of mode, cwd) is read or changed only under vfs_lock.
 * *n is NULL for a file with no node (a pipe, an eventfd, a file of /data).
 * 0 or -EBADF. */
int vfs_fd_node(int fd, struct file **holder, struct vnode **n)
{
    *holder = libos_fd_get(fd);
    if (!*holder)
        return -EBADF;
    *n = vfs_file_node(*holder);
    return 0;
}

/* The directory a *at call starts from (a new reference in *holder when it
 * comes from a descriptor: the caller puts it after the walk). */
static int start_dir(int dirfd, const char *path, struct vnode **out, struct file **holder)
{
    *holder = NULL;
    if (path[0] == '/') {
        *out = NULL;    /* the root, looked up under the lock */
        return 0;
    }
    if (dirfd == AT_FDCWD) {
        *out = NULL;    /* cwd, read under the lock */
        return 0;
    }
    int r = vfs_fd_node(dirfd, holder, out);
    if (r == 0 && (!*out || !vfs_is_dir(*out))) {
        libos_file_put(*holder);
        *holder = NULL;
        r = -ENOTDIR;
    }
    return r;
}

static int check_path(const char *path)
{
    if (!path)
        return -EFAULT;
    size_t l = strnlen(path, PATH_MAX);
    if (l == PATH_MAX)
        return -ENAMETOOLONG;
    if (l == 0)
        return -ENOENT;
    return 0;
}


void vfs_walk_done(struct vfs_walk *w)
{
    if (w->holder)
        libos_file_put(w->holder);
    w->holder = NULL;
}

/* Resolve the parent of the last component; takes vfs_lock on success
 * (the caller unlocks, then calls walk_done). */
int vfs_walk_parent_lock(int dirfd, const char *path, struct vfs_walk *w)
{
    int r = check_path(path);
    if (r)
        return r;
    struct vnode *start;
    r = start_dir(dirfd, path, &start, &w->holder);
    if (r)
        return r;
    size_t len = strlen(path);
    const char *end = path + len;
    w->slash = path[len - 1] == '/';
    while (end > path && end[-1] == '/')
        end--;
    const char *last = end;
    while (last > path && last[-1] != '/')
        last--;
    w->last = last;
    w->lastlen = (size_t)(end - last);
    if (w->lastlen > NAME_MAX) {
        vfs_walk_done(w);
        return -ENAMETOOLONG;
    }
    libos_lock(&vfs_lock);
    if (!start)
        start = path[0] != '/' && vfs_cwd ? vfs_cwd : vfs_root_locked();
    r = start ? walk_from_locked(start, path, last, &w->dir, &w->links) : -ENOENT;
    if (r == 0 && !vfs_is_dir(w->dir))
        r = -ENOTDIR;
    if (r) {
        libos_unlock(&vfs_lock);
        vfs_walk_done(w);
    }
    return r;
}

/* The node the last component names (NULL and 0 if it does not exist);
 * a symbolic link itself, unless the path ends in '/' (then what it names:
 * see vfs_walk_follow_locked). */
int vfs_walk_last_locked(struct vfs_walk *w, struct vnode **out)
{
    *out = NULL;
    if (w->lastlen == 0 || vfs_is_dot(w->last, w->lastlen)) {
        *out = w->dir;
        return 0;
    }
    int r = step_locked(w->dir, w->last, w->lastlen, out);
    if (r == -ENOENT) {
        *out = NULL;
        return 0;
    }
    if (r == 0 && w->slash)
        r = vfs_walk_follow_locked(w, out);
    if (r == 0 && *out && w->slash && !vfs_is_dir(*out))
        return -ENOTDIR;
    return r;
}

/* What the last component names when it is a symbolic link: the node its
 * target names (-ENOENT for a dangling link); any other *n unchanged. */
int vfs_walk_follow_locked(struct vfs_walk *w, struct vnode **n)
{
    if (!*n || !S_ISLNK((*n)->mode))
        return 0;
    return follow_locked(w->dir, n, &w->links);
}

/* Resolve a whole path, following a symbolic link at its end;
 * takes vfs_lock on success. */
int vfs_resolve_lock(int dirfd, const char *path, struct vnode **out, struct file **holder)
{
    return vfs_resolve_how_lock(dirfd, path, true, out, holder);
}

/* The same, with FOLLOW false naming a symbolic link at the end itself. */
int vfs_resolve_how_lock(int dirfd, const char *path, bool follow, struct vnode **out, struct file **holder)
{
    struct vfs_walk w = { 0 };
    int r = vfs_walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    r = vfs_walk_last_locked(&w, out);
    if (r == 0 && follow)
        r = vfs_walk_follow_locked(&w, out);
    if (r == 0 && !*out)
        r = -ENOENT;
    if (r) {
        libos_unlock(&vfs_lock);
        vfs_walk_done(&w);
        return r;
    }
    *holder = w.holder;
    return 0;
}

void vfs_resolve_unlock(struct file *holder)
{
    libos_unlock(&vfs_lock);
    if (holder)
        libos_file_put(holder);
}
