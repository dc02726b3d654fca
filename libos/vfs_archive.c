/*
 * vfs_archive.c - mounting: canonical paths, the mount table's additions,
 * and cpio archives mounted read-only with their data left in the blob.
 */
#include "cpio.h"
#include "vfs_impl.h"

/* ---- mounting ---- */

/* Canonical form of an absolute path ("/a//b/./c/../d/" -> "/a/b/d"). */
int vfs_canon(const char *in, char *out, size_t size, size_t *outlen)
{
    if (!in || in[0] != '/')
        return -EINVAL;
    size_t o = 0;
    const char *p = in, *end = in + strnlen(in, size);
    for (;;) {
        const char *c;
        size_t n = vfs_next_comp(&p, end, &c);
        if (n == 0)
            break;
        if (vfs_is_dot(c, n))
            continue;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        if (o + 1 + n >= size)
            return -ENAMETOOLONG;
        out[o++] = '/';
        memcpy(out + o, c, n);
        o += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = 0;
    *outlen = o;
    return 0;
}

int vfs_add_mount_locked(const char *path, struct vnode *root)
{
    if (vfs_nmounts == VFS_MAX_MOUNTS)
        return -EBUSY;
    struct vfs_mount *m = libos_pages_alloc(sizeof *m);
    if (!m)
        return -ENOMEM;
    int r = vfs_canon(path, m->path, sizeof m->path, &m->pathlen);
    if (r) {
        libos_pages_free(m, sizeof *m);
        return r;
    }
    m->root = root;
    root->opens++;          /* a mount keeps its root alive */
    vfs_mounts[vfs_nmounts++] = m;
    return 0;
}

/* mkdir -p on whatever is mounted, where writable; errors ignored (the
 * mount table finds the mount by its path anyway). */
void vfs_make_dirs(const char *path)
{
    char buf[PATH_MAX];
    size_t len = strnlen(path, sizeof buf - 1);
    memcpy(buf, path, len);
    buf[len] = 0;
    for (size_t i = 1; i <= len; i++)
        if (i == len || buf[i] == '/') {
            char c = buf[i];
            buf[i] = 0;
            vfs_mkdir(AT_FDCWD, buf, 0755);
            buf[i] = c;
        }
}

/* An archived name's node: walk from the archive's root, creating the
 * implied directories; the last component is created with `mode` (or,
 * if it exists already, updated to it).  NULL when out of memory. */
static struct vnode *archive_node_locked(struct vnode *root, const char *name, size_t len,
                                         uint32_t mode, uint32_t mtime, bool *skip)
{
    const char *p = name, *end = name + len, *c;
    struct vnode *cur = root;
    size_t n = cpio_component(&p, end, &c);
    *skip = false;
    if (n == 0) {
        if (S_ISDIR(mode))
            root->mode = mode;
        *skip = true;
        return root;
    }
    for (;;) {
        const char *c2;
        const char *q = p;
        size_t n2 = cpio_component(&q, end, &c2);
        bool last = n2 == 0;
        if (n > NAME_MAX || (n == 2 && c[0] == '.' && c[1] == '.') || !vfs_is_dir(cur)) {
            *skip = true;       /* names with ".." or below a file: ignored */
            return root;
        }
        struct vnode *x = vfs_child_find_locked(cur, c, n);
        if (!x) {
            x = vfs_node_new_locked(root->fs, last ? mode : (S_IFDIR | 0755));
            if (!x)
                return NULL;
            x->name = c;        /* inside the blob; never freed */
            x->namelen = (uint32_t)n;
            if (vfs_is_dir(x))
                x->nlink = 2;
            vfs_child_add_locked(cur, x);
        } else if (last) {
            if ((x->mode & S_IFMT) != (mode & S_IFMT)) {
                *skip = true;   /* a duplicate of another type: the first wins */
                return root;
            }
            x->mode = mode;
        }
        if (last) {
            x->mtime_ns = x->ctime_ns = x->atime_ns = (int64_t)mtime * 1000000000;
            return x;
        }
        cur = x;
        p = q;
        c = c2;
        n = n2;
    }
}

int libos_mount_archive(const void *blob, size_t len, const char *where)
{
    char cw[PATH_MAX];
    size_t cwl;
    if (vfs_canon(where, cw, sizeof cw, &cwl))
        return -EINVAL;
    struct cpio_iter it;
    struct cpio_entry e;
    int r;
    cpio_iter_init(&it, blob, len);
    while ((r = cpio_next(&it, &e)) > 0)
        ;
    if (r < 0)
        return -EINVAL;
    if (cwl > 1)
        vfs_make_dirs(cw);
    libos_lock(&vfs_lock);
    struct vfs_fs *fs = vfs_fs_new(true);
    struct vnode *root = fs ? vfs_node_new_locked(fs, S_IFDIR | 0755) : NULL;
    if (!root) {
        libos_unlock(&vfs_lock);
        return -ENOMEM;
    }
    root->nlink = 2;
    root->name = "/";
    root->namelen = 1;
    cpio_iter_init(&it, blob, len);
    r = 0;
    while (cpio_next(&it, &e) > 0) {
        uint32_t type = e.mode & S_IFMT;
        if (type != S_IFREG && type != S_IFDIR)
            continue;           /* symbolic links, devices, fifos: not served */
        bool skip;
        struct vnode *n = archive_node_locked(root, e.name, e.namelen, e.mode & (S_IFMT | 07777),
                                              e.mtime, &skip);
        if (!n) {
            r = -ENOMEM;
            break;
        }
        if (skip || type != S_IFREG)
            continue;
        n->data = (uint8_t *)e.data;
        n->size = e.size;
        n->cap = 0;
    }
    if (r == 0)
        r = vfs_add_mount_locked(cw, root);
    libos_unlock(&vfs_lock);
    return r;   /* on -ENOMEM the partial tree is leaked: the PD is out of memory anyway */
}
