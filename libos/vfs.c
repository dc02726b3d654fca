/*
 * vfs.c - the nodes and mounts of libos's file system, and its start (the
 * root tmpfs with /tmp and /dev).  vfs.h has the model, vfs_impl.h the
 * parts; every function named *_locked expects vfs_lock.
 */
#include "vfs_impl.h"

struct libos_lock vfs_lock;

/* ---- nodes ---- */
static uint64_t next_ino = 1;
static uint32_t next_dev = 1;

struct vfs_fs *vfs_fs_new(bool ro)
{
    struct vfs_fs *fs = vfs_small_alloc(sizeof *fs);
    if (fs) {
        fs->dev = next_dev++;
        fs->ro = ro;
    }
    return fs;
}

struct vnode *vfs_node_new_locked(struct vfs_fs *fs, uint32_t mode)
{
    struct vnode *n = vfs_small_alloc(sizeof *n);
    if (!n)
        return NULL;
    n->fs = fs;
    n->mode = mode;
    n->nlink = 1;
    n->ino = next_ino++;
    n->parent = n;
    int64_t now = vfs_now_ns();
    n->atime_ns = n->mtime_ns = n->ctime_ns = now;
    return n;
}

void vfs_node_free_data_locked(struct vnode *n)
{
    if (n->cap)
        libos_pages_free(n->data, n->cap);
    n->data = NULL;
    n->cap = 0;
}

/* Free a node nobody reaches any more (removed, not open). */
void vfs_node_maybe_free_locked(struct vnode *n)
{
    if (n->nlink || n->opens || n->maps)
        return;             /* a shared mapping keeps the file, as on Linux */
    vfs_node_free_data_locked(n);
    if (n->name_owned)
        vfs_small_free((void *)n->name, n->namelen + 1);
    vfs_small_free(n, sizeof *n);
}

bool vfs_is_dir(const struct vnode *n)
{
    return S_ISDIR(n->mode);
}

struct vnode *vfs_child_find_locked(struct vnode *dir, const char *name, size_t len)
{
    for (struct vnode *c = dir->child; c; c = c->next)
        if (c->namelen == len && memcmp(c->name, name, len) == 0)
            return c;
    return NULL;
}

void vfs_child_add_locked(struct vnode *dir, struct vnode *n)
{
    /* At the end: getdents positions of existing entries stay put. */
    struct vnode **pp = &dir->child;
    while (*pp)
        pp = &(*pp)->next;
    n->next = NULL;
    *pp = n;
    n->parent = dir;
    dir->nchild++;
    if (vfs_is_dir(n))
        dir->nlink++;
}

void vfs_child_remove_locked(struct vnode *dir, struct vnode *n)
{
    for (struct vnode **pp = &dir->child; *pp; pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            n->next = NULL;
            dir->nchild--;
            if (vfs_is_dir(n))
                dir->nlink--;
            return;
        }
    }
}

int vfs_set_name_locked(struct vnode *n, const char *name, size_t len)
{
    char *s = vfs_small_alloc(len + 1);
    if (!s)
        return -ENOSPC;
    memcpy(s, name, len);
    s[len] = 0;
    if (n->name_owned)
        vfs_small_free((void *)n->name, n->namelen + 1);
    n->name = s;
    n->namelen = (uint32_t)len;
    n->name_owned = true;
    return 0;
}

/* ---- mounts ---- */
struct vfs_mount *vfs_mounts[VFS_MAX_MOUNTS];   /* newest last */
unsigned vfs_nmounts;
struct vnode *vfs_cwd;

struct vfs_mount *vfs_mount_at_locked(const char *path, size_t len)
{
    for (unsigned i = vfs_nmounts; i-- > 0;)
        if (vfs_mounts[i]->pathlen == len && memcmp(vfs_mounts[i]->path, path, len) == 0)
            return vfs_mounts[i];
    return NULL;
}

struct vnode *vfs_root_locked(void)
{
    struct vfs_mount *m = vfs_mount_at_locked("/", 1);
    return m ? m->root : NULL;
}

/* The canonical path of a node, into buf (NUL-terminated): walk up to the
 * first mount root.  -ENOENT if it was removed, -ERANGE if it is longer
 * than size.  Returns the length. */
long vfs_node_path_locked(struct vnode *n, char *buf, size_t size)
{
    const struct vnode *chain[PATH_MAX / 2];
    size_t depth = 0;
    struct vfs_mount *m = NULL;
    for (;;) {
        for (unsigned i = vfs_nmounts; i-- > 0;)
            if (vfs_mounts[i]->root == n) {
                m = vfs_mounts[i];
                break;
            }
        if (m)
            break;
        if (n->nlink == 0 || n->parent == n || depth == sizeof chain / sizeof chain[0])
            return -ENOENT;
        chain[depth++] = n;
        n = n->parent;
    }
    size_t len = m->pathlen == 1 ? 0 : m->pathlen;
    size_t need = len + 1;
    for (size_t i = 0; i < depth; i++)
        need += 1 + chain[i]->namelen;
    if (depth == 0 && len == 0)
        need = 2;
    if (need > size)
        return -ERANGE;
    memcpy(buf, m->path, len);
    for (size_t i = depth; i-- > 0;) {
        buf[len++] = '/';
        memcpy(buf + len, chain[i]->name, chain[i]->namelen);
        len += chain[i]->namelen;
    }
    if (len == 0)
        buf[len++] = '/';
    buf[len] = 0;
    return (long)len;
}

/* The mount whose root is n, if any (the newest). */
struct vfs_mount *vfs_mount_of_root_locked(struct vnode *n)
{
    for (unsigned i = vfs_nmounts; i-- > 0;)
        if (vfs_mounts[i]->root == n)
            return vfs_mounts[i];
    return NULL;
}

/* Is there a mount whose last component is this name? (a cheap filter
 * before computing a full path) */
bool vfs_mount_named_locked(const char *name, size_t len)
{
    for (unsigned i = 0; i < vfs_nmounts; i++) {
        const struct vfs_mount *m = vfs_mounts[i];
        if (m->pathlen > len && m->path[m->pathlen - len - 1] == '/' &&
            memcmp(m->path + m->pathlen - len, name, len) == 0)
            return true;
    }
    return false;
}


int64_t vfs_now_ns(void)
{
    return (int64_t)(libos_realtime_base_ns() + libos_ticks_to_ns(libos_ticks()));
}

void libos_files_init(void)
{
    libos_lock(&vfs_lock);
    struct vfs_fs *fs = vfs_fs_new(false);
    struct vnode *root = fs ? vfs_node_new_locked(fs, S_IFDIR | 0755) : NULL;
    if (!root) {
        libos_unlock(&vfs_lock);
        libos_puts("libos: no memory for the root file system\n");
        return;
    }
    root->nlink = 2;
    root->name = "/";
    root->namelen = 1;
    vfs_add_mount_locked("/", root);
    root->opens++;
    vfs_cwd = root;
    libos_unlock(&vfs_lock);
    vfs_mkdir(AT_FDCWD, "/tmp", 01777);
    vfs_mkdir(AT_FDCWD, "/dev", 0755);
    libos_lock(&vfs_lock);
    struct vnode *tmp = vfs_child_find_locked(root, "tmp", 3);
    struct vnode *dev = vfs_child_find_locked(root, "dev", 3);
    if (tmp) {
        tmp->mode = S_IFDIR | 01777;
        vfs_add_mount_locked("/tmp", tmp);
    }
    if (dev)
        vfs_add_mount_locked("/dev", dev);
    libos_unlock(&vfs_lock);
    if (dev)
        vfs_dev_init(dev);
}

/* For vfs_dev.c: create a device node in dir. */
struct vnode *vfs_dev_subdir(struct vnode *dir, const char *name)
{
    libos_lock(&vfs_lock);
    struct vnode *n = vfs_child_find_locked(dir, name, (uint32_t)strlen(name));
    if (!n && (n = vfs_node_new_locked(dir->fs, S_IFDIR | 0755))) {
        n->name = name;         /* a string literal */
        n->namelen = (uint32_t)strlen(name);
        n->nlink = 2;
        vfs_child_add_locked(dir, n);
    }
    libos_unlock(&vfs_lock);
    return n && vfs_is_dir(n) ? n : NULL;
}

struct vnode *vfs_dev_node(struct vnode *dir, const char *name, uint32_t mode, uint32_t rdev,
                           const struct file_ops *ops)
{
    libos_lock(&vfs_lock);
    struct vnode *n = vfs_node_new_locked(dir->fs, S_IFCHR | mode);
    if (n) {
        n->name = name;         /* a string literal */
        n->namelen = (uint32_t)strlen(name);
        n->rdev = rdev;
        n->dev_ops = ops;
        vfs_child_add_locked(dir, n);
    }
    libos_unlock(&vfs_lock);
    return n;
}
