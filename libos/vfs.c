/*
 * vfs.c - nodes, mounts, the path walk, tmpfs and the archive mount (see
 * vfs.h for the model).  Every function named *_locked expects vfs_lock.
 */
#include "libos.h"
#include "vfs.h"
#include "cpio.h"
#include "ext4_fs.h"
#include <fcntl.h>
#include <string.h>
#include <limits.h>

struct libos_lock vfs_lock;

/* Paths at or below EXT4_MOUNT go to the ext4 file system (ext4_fs.h):
 * 1 and the path inside it in `in` (PATH_MAX bytes), 0 for every other
 * path, or -errno. */
static int ext4_route(int dirfd, const char *path, char *in);
#define EXT4_ROUTE(dirfd, path, call)                        \
    do {                                                     \
        char in[PATH_MAX];                                   \
        int routed_ = ext4_route((dirfd), (path), in);       \
        if (routed_ < 0)                                     \
            return routed_;                                  \
        if (routed_)                                         \
            return (call);                                   \
    } while (0)

/* ---- small blocks: power-of-two classes from 32 to 512 bytes ---- */
#define SMALL_MIN_SHIFT 5
#define SMALL_CLASSES 5
#define SMALL_PAGE 4096u
static void *small_free[SMALL_CLASSES];
static struct libos_lock small_lock;

static int small_class(size_t n)
{
    for (int c = 0; c < SMALL_CLASSES; c++)
        if (n <= (size_t)1 << (SMALL_MIN_SHIFT + c))
            return c;
    return -1;
}

void *vfs_small_alloc(size_t n)
{
    int c = small_class(n);
    if (c < 0)
        return NULL;
    size_t sz = (size_t)1 << (SMALL_MIN_SHIFT + c);
    libos_lock(&small_lock);
    if (!small_free[c]) {
        uint8_t *pg = libos_pages_alloc(SMALL_PAGE);
        if (pg) {
            for (size_t off = 0; off + sz <= SMALL_PAGE; off += sz) {
                *(void **)(pg + off) = small_free[c];
                small_free[c] = pg + off;
            }
        }
    }
    void *p = small_free[c];
    if (p)
        small_free[c] = *(void **)p;
    libos_unlock(&small_lock);
    if (p)
        memset(p, 0, sz);
    return p;
}

void vfs_small_free(void *p, size_t n)
{
    int c = small_class(n);
    if (!p || c < 0)
        return;
    libos_lock(&small_lock);
    *(void **)p = small_free[c];
    small_free[c] = p;
    libos_unlock(&small_lock);
}

/* ---- nodes ---- */
static uint64_t next_ino = 1;
static uint32_t next_dev = 1;
static uint32_t umask_v = 022;

static struct vfs_fs *fs_new(bool ro)
{
    struct vfs_fs *fs = vfs_small_alloc(sizeof *fs);
    if (fs) {
        fs->dev = next_dev++;
        fs->ro = ro;
    }
    return fs;
}

static struct vnode *node_new_locked(struct vfs_fs *fs, uint32_t mode)
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

static void node_free_data_locked(struct vnode *n)
{
    if (n->cap)
        libos_pages_free(n->data, n->cap);
    n->data = NULL;
    n->cap = 0;
}

/* Free a node nobody reaches any more (removed, not open). */
static void node_maybe_free_locked(struct vnode *n)
{
    if (n->nlink || n->opens || n->maps)
        return;             /* a shared mapping keeps the file, as on Linux */
    node_free_data_locked(n);
    if (n->name_owned)
        vfs_small_free((void *)n->name, n->namelen + 1);
    vfs_small_free(n, sizeof *n);
}

static bool is_dir(const struct vnode *n)
{
    return S_ISDIR(n->mode);
}

static struct vnode *child_find_locked(struct vnode *dir, const char *name, size_t len)
{
    for (struct vnode *c = dir->child; c; c = c->next)
        if (c->namelen == len && memcmp(c->name, name, len) == 0)
            return c;
    return NULL;
}

static void child_add_locked(struct vnode *dir, struct vnode *n)
{
    /* At the end: getdents positions of existing entries stay put. */
    struct vnode **pp = &dir->child;
    while (*pp)
        pp = &(*pp)->next;
    n->next = NULL;
    *pp = n;
    n->parent = dir;
    dir->nchild++;
    if (is_dir(n))
        dir->nlink++;
}

static void child_remove_locked(struct vnode *dir, struct vnode *n)
{
    for (struct vnode **pp = &dir->child; *pp; pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            n->next = NULL;
            dir->nchild--;
            if (is_dir(n))
                dir->nlink--;
            return;
        }
    }
}

static int set_name_locked(struct vnode *n, const char *name, size_t len)
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
struct vfs_mount {
    char path[PATH_MAX];    /* canonical: "/" or "/a/b" */
    size_t pathlen;
    struct vnode *root;
};
static struct vfs_mount *mounts[VFS_MAX_MOUNTS];   /* newest last */
static unsigned nmounts;
static struct vnode *cwd;

static struct vfs_mount *mount_at_locked(const char *path, size_t len)
{
    for (unsigned i = nmounts; i-- > 0;)
        if (mounts[i]->pathlen == len && memcmp(mounts[i]->path, path, len) == 0)
            return mounts[i];
    return NULL;
}

static struct vnode *root_locked(void)
{
    struct vfs_mount *m = mount_at_locked("/", 1);
    return m ? m->root : NULL;
}

/* The canonical path of a node, into buf (NUL-terminated): walk up to the
 * first mount root.  -ENOENT if it was removed, -ERANGE if it is longer
 * than size.  Returns the length. */
static long node_path_locked(struct vnode *n, char *buf, size_t size)
{
    const struct vnode *chain[PATH_MAX / 2];
    size_t depth = 0;
    struct vfs_mount *m = NULL;
    for (;;) {
        for (unsigned i = nmounts; i-- > 0;)
            if (mounts[i]->root == n) {
                m = mounts[i];
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
static struct vfs_mount *mount_of_root_locked(struct vnode *n)
{
    for (unsigned i = nmounts; i-- > 0;)
        if (mounts[i]->root == n)
            return mounts[i];
    return NULL;
}

/* Is there a mount whose last component is this name? (a cheap filter
 * before computing a full path) */
static bool mount_named_locked(const char *name, size_t len)
{
    for (unsigned i = 0; i < nmounts; i++) {
        const struct vfs_mount *m = mounts[i];
        if (m->pathlen > len && m->path[m->pathlen - len - 1] == '/' &&
            memcmp(m->path + m->pathlen - len, name, len) == 0)
            return true;
    }
    return false;
}

/* ---- the walk ---- */
static int walk_abs_locked(const char *path, size_t len, struct vnode **out);

/* One step from directory dir by a component (not "." or ""). */
static int step_locked(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
    if (!is_dir(dir))
        return -ENOTDIR;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        struct vfs_mount *m = mount_of_root_locked(dir);
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
    if (nmounts > 1 && mount_named_locked(name, len)) {
        char buf[PATH_MAX];
        long pl = node_path_locked(dir, buf, sizeof buf);
        if (pl >= 0 && (size_t)pl + 1 + len < sizeof buf) {
            size_t l = (size_t)pl;
            if (l > 1 || buf[0] != '/')
                buf[l++] = '/';
            else
                l = 1;
            memcpy(buf + l, name, len);
            struct vfs_mount *m = mount_at_locked(buf, l + len);
            if (m) {
                *out = m->root;
                return 0;
            }
        }
    }
    struct vnode *c = child_find_locked(dir, name, len);
    if (!c)
        return -ENOENT;
    *out = c;
    return 0;
}

/* Split off the next component: skip slashes; "" at the end. */
static size_t next_comp(const char **p, const char *end, const char **comp)
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

static bool is_dot(const char *c, size_t n)
{
    return n == 1 && c[0] == '.';
}

/* Walk every component of [p, end) from start. */
static int walk_from_locked(struct vnode *start, const char *p, const char *end, struct vnode **out)
{
    struct vnode *cur = start;
    for (;;) {
        const char *c;
        size_t n = next_comp(&p, end, &c);
        if (n == 0)
            break;
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        if (is_dot(c, n)) {
            if (!is_dir(cur))
                return -ENOTDIR;
            continue;
        }
        int r = step_locked(cur, c, n, &cur);
        if (r)
            return r;
    }
    *out = cur;
    return 0;
}

static int walk_abs_locked(const char *path, size_t len, struct vnode **out)
{
    struct vnode *root = root_locked();
    if (!root)
        return -ENOENT;
    return walk_from_locked(root, path, path + len, out);
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
static int fd_node(int fd, struct file **holder, struct vnode **n)
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
    int r = fd_node(dirfd, holder, out);
    if (r == 0 && (!*out || !is_dir(*out))) {
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

/* The result of resolving all but the last component. */
struct walk {
    struct vnode *dir;          /* the directory holding the last component */
    const char *last;           /* the last component ("" for "/", may be "." or "..") */
    size_t lastlen;
    bool slash;                 /* the path ended in '/' */
    struct file *holder;
};

static void walk_done(struct walk *w)
{
    if (w->holder)
        libos_file_put(w->holder);
    w->holder = NULL;
}

/* Resolve the parent of the last component; takes vfs_lock on success
 * (the caller unlocks, then calls walk_done). */
static int walk_parent_lock(int dirfd, const char *path, struct walk *w)
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
        walk_done(w);
        return -ENAMETOOLONG;
    }
    libos_lock(&vfs_lock);
    if (!start)
        start = path[0] != '/' && cwd ? cwd : root_locked();
    r = start ? walk_from_locked(start, path, last, &w->dir) : -ENOENT;
    if (r == 0 && !is_dir(w->dir))
        r = -ENOTDIR;
    if (r) {
        libos_unlock(&vfs_lock);
        walk_done(w);
    }
    return r;
}

/* The node the last component names (NULL and 0 if it does not exist). */
static int walk_last_locked(struct walk *w, struct vnode **out)
{
    *out = NULL;
    if (w->lastlen == 0 || is_dot(w->last, w->lastlen)) {
        *out = w->dir;
        return 0;
    }
    int r = step_locked(w->dir, w->last, w->lastlen, out);
    if (r == -ENOENT) {
        *out = NULL;
        return 0;
    }
    if (r == 0 && w->slash && !is_dir(*out))
        return -ENOTDIR;
    return r;
}

/* Resolve a whole path; takes vfs_lock on success. */
static int resolve_lock(int dirfd, const char *path, struct vnode **out, struct file **holder)
{
    struct walk w = { 0 };
    int r = walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    r = walk_last_locked(&w, out);
    if (r == 0 && !*out)
        r = -ENOENT;
    if (r) {
        libos_unlock(&vfs_lock);
        walk_done(&w);
        return r;
    }
    *holder = w.holder;
    return 0;
}

static void resolve_unlock(struct file *holder)
{
    libos_unlock(&vfs_lock);
    if (holder)
        libos_file_put(holder);
}

/* ---- stat ---- */
void vfs_stat_node(const struct vnode *n, struct libos_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = n->fs->dev;
    st->ino = n->ino;
    st->mode = n->mode;
    st->nlink = n->nlink;
    st->rdev = n->rdev;
    st->size = S_ISREG(n->mode) ? n->size : is_dir(n) ? 4096 : 0;
    st->blksize = 4096;
    st->blocks = (n->cap ? n->cap : S_ISREG(n->mode) ? (n->size + 511) & ~511ull : 0) / 512;
    st->atime_ns = n->atime_ns;
    st->mtime_ns = n->mtime_ns;
    st->ctime_ns = n->ctime_ns;
}

int vfs_stat(int dirfd, const char *path, struct libos_stat *st)
{
    EXT4_ROUTE(dirfd, path, ext4_stat(in, st));
    struct vnode *n;
    struct file *h;
    int r = resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    vfs_stat_node(n, st);
    resolve_unlock(h);
    return 0;
}

/* ---- tmpfs and archive files ---- */
static long node_fstat_impl(struct file *f, struct libos_stat *st);

/* Growth past the capacity of a pinned file (vfs.h, "file mappings"). */
static int pinned_full_locked(void)
{
    static bool said;
    if (!said) {
        said = true;
        libos_puts("libos: a tmpfs file cannot grow past its capacity while it is mapped shared (EFBIG)\n");
    }
    return -EFBIG;
}

/* Move the data to a fresh run of cap bytes (not pinned). */
static int move_data_locked(struct vnode *n, size_t cap)
{
    uint8_t *d = libos_pages_alloc(cap);
    if (!d)
        return -ENOSPC;
    if (n->size)
        memcpy(d, n->data, (size_t)n->size);
    node_free_data_locked(n);
    n->data = d;
    n->cap = cap;
    return 0;
}

static int grow_locked(struct vnode *n, uint64_t need)
{
    if (need <= n->cap)
        return 0;
    if (need > 0x40000000u)
        return -EFBIG;
    if (n->maps)
        return pinned_full_locked();
    size_t cap = n->cap ? n->cap : 4096;
    while (cap < need)
        cap *= 2;
    return move_data_locked(n, cap);
}

/* A pinned file's [size, upto) may hold bytes stored through a mapping:
 * zero them before they become part of the file. */
static void expose_locked(struct vnode *n, uint64_t upto)
{
    if (n->maps && upto > n->size)
        memset(n->data + n->size, 0, (size_t)(upto - n->size));
}

int vfs_reserve_locked(struct vnode *n, uint64_t end)
{
    if (end <= n->cap)
        return 0;
    if (n->maps || end > 0x40000000u) {
        if (n->maps)
            libos_puts("libos: mmap MAP_SHARED past the capacity of a tmpfs file that is already mapped "
                       "(ENOMEM): map its largest range first\n");
        return -ENOMEM;
    }
    return move_data_locked(n, (size_t)end) ? -ENOMEM : 0;
}

void vfs_unpin_locked(struct vnode *n)
{
    if (!n->maps || --n->maps)
        return;
    if (n->cap > n->size && (n->nlink || n->opens))     /* restore "[size, cap) is zero" */
        memset(n->data + n->size, 0, (size_t)(n->cap - n->size));
    node_maybe_free_locked(n);
}

static int truncate_locked(struct vnode *n, uint64_t len)
{
    if (n->fs->ro)
        return -EROFS;
    if (is_dir(n))
        return -EISDIR;
    if (!S_ISREG(n->mode))
        return -EINVAL;
    if (len < n->size) {
        if (len == 0 && !n->maps)
            node_free_data_locked(n);
        else
            memset(n->data + len, 0, (size_t)(n->size - len));
    } else if (len > n->size) {
        int r = grow_locked(n, len);
        if (r)
            return r;
        expose_locked(n, len);
    }
    n->size = len;
    n->mtime_ns = n->ctime_ns = vfs_now_ns();
    return 0;
}

static long node_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    long r = 0;
    if (off < n->size) {
        uint64_t left = n->size - off;
        size_t k = left < len ? (size_t)left : len;
        memcpy(buf, n->data + off, k);
        r = (long)k;
    }
    libos_unlock(&vfs_lock);
    return r;
}

static long node_pwrite_locked(struct vnode *n, const void *buf, size_t len, uint64_t off)
{
    if (n->fs->ro)
        return -EROFS;
    if (len == 0)
        return 0;
    if (off + len > 0x40000000u)
        return -EFBIG;
    if (n->maps && off + len > n->cap) {
        if (off >= n->cap)
            return pinned_full_locked();
        len = (size_t)(n->cap - off);      /* a short write up to the capacity */
    }
    int r = grow_locked(n, off + len);
    if (r)
        return r;
    expose_locked(n, off);
    memcpy(n->data + off, buf, len);
    if (off + len > n->size)
        n->size = off + len;
    n->mtime_ns = n->ctime_ns = vfs_now_ns();
    return (long)len;
}

static long node_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
    libos_lock(&vfs_lock);
    long r = node_pwrite_locked(f->priv, buf, len, off);
    libos_unlock(&vfs_lock);
    return r;
}

static long node_read(struct file *f, void *buf, size_t len)
{
    /* f->pos is shared by dup'ed descriptors: advance it under the lock. */
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    long r = 0;
    uint64_t off = f->pos;
    if (off < n->size) {
        uint64_t left = n->size - off;
        size_t k = left < len ? (size_t)left : len;
        memcpy(buf, n->data + off, k);
        f->pos = off + k;
        r = (long)k;
    }
    libos_unlock(&vfs_lock);
    return r;
}

static long node_write(struct file *f, const void *buf, size_t len)
{
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    uint64_t off = (f->flags & O_APPEND) ? n->size : f->pos;
    long r = node_pwrite_locked(n, buf, len, off);
    if (r > 0)
        f->pos = off + (uint64_t)r;
    libos_unlock(&vfs_lock);
    return r;
}

static int64_t node_lseek(struct file *f, int64_t off, int whence)
{
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->pos; break;
    case SEEK_END: base = (int64_t)n->size; break;
    default: base = -1; break;
    }
    int64_t r;
    if (base < 0 || (off > 0 && base > INT64_MAX - off) || base + off < 0)
        r = -EINVAL;
    else if (is_dir(n) && whence == SEEK_END)
        r = -EINVAL;        /* directory positions are entry numbers */
    else
        f->pos = (uint64_t)(r = base + off);
    libos_unlock(&vfs_lock);
    return r;
}

long vfs_file_fstat(struct file *f, struct libos_stat *st)
{
    return node_fstat_impl(f, st);
}

static long node_fstat(struct file *f, struct libos_stat *st)
{
    return node_fstat_impl(f, st);
}

static long node_fstat_impl(struct file *f, struct libos_stat *st)
{
    libos_lock(&vfs_lock);
    vfs_stat_node(f->priv, st);
    libos_unlock(&vfs_lock);
    return 0;
}

static long node_ftruncate(struct file *f, uint64_t len)
{
    libos_lock(&vfs_lock);
    long r = truncate_locked(f->priv, len);
    libos_unlock(&vfs_lock);
    return r;
}

static long node_fsync(struct file *f)
{
    (void)f;
    return 0;
}

static void node_release(struct file *f)
{
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    n->opens--;
    node_maybe_free_locked(n);
    libos_unlock(&vfs_lock);
}

/* struct linux_dirent64 */
struct dirent64_hdr {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};

long vfs_put_dirent(uint8_t *buf, size_t len, size_t *used, uint64_t ino, int64_t next,
                    unsigned type, const char *name, size_t nl)
{
    size_t rec = (offsetof(struct dirent64_hdr, d_name) + nl + 1 + 7) & ~(size_t)7;
    if (*used + rec > len)
        return 0;
    struct dirent64_hdr h = { ino, next, (uint16_t)rec, (uint8_t)type };
    uint8_t *p = buf + *used;
    memset(p, 0, rec);
    memcpy(p, &h, offsetof(struct dirent64_hdr, d_name));
    memcpy(p + offsetof(struct dirent64_hdr, d_name), name, nl);
    *used += rec;
    return 1;
}

static unsigned dtype(uint32_t mode)
{
    return S_ISDIR(mode) ? 4 : S_ISREG(mode) ? 8 : S_ISCHR(mode) ? 2 : 0;
}

/* Positions: 0 ".", 1 "..", 2+i the i-th entry (entries are appended, so
 * removing one shifts the later ones: a listing racing an unlink may miss
 * or repeat an entry, which POSIX allows). */
static long node_getdents64(struct file *f, void *buf, size_t len)
{
    struct vnode *n = f->priv;
    size_t used = 0;
    libos_lock(&vfs_lock);
    if (!is_dir(n)) {
        libos_unlock(&vfs_lock);
        return -ENOTDIR;
    }
    uint64_t pos = f->pos;
    struct vnode *c = NULL;
    if (n->nlink == 0 && pos < 2)
        pos = 2;            /* a removed directory lists nothing */
    while (pos < 2) {
        struct vnode *p = pos == 0 ? n : n->parent;
        if (!vfs_put_dirent(buf, len, &used, p->ino, (int64_t)pos + 1, 4, "..", pos == 0 ? 1 : 2))
            goto out;
        pos++;
    }
    c = n->child;
    for (uint64_t i = 2; c && i < pos; i++)
        c = c->next;
    for (; c; c = c->next) {
        if (!vfs_put_dirent(buf, len, &used, c->ino, (int64_t)pos + 1, dtype(c->mode), c->name, c->namelen))
            break;
        pos++;
    }
out:
    f->pos = pos;
    n->atime_ns = vfs_now_ns();
    libos_unlock(&vfs_lock);
    if (used == 0 && (pos < 2 || c))
        return -EINVAL;     /* the buffer cannot hold one entry */
    return (long)used;
}

static const struct file_ops reg_ops = {
    .read = node_read, .write = node_write, .pread = node_pread, .pwrite = node_pwrite,
    .lseek = node_lseek, .fstat = node_fstat, .ftruncate = node_ftruncate,
    .fsync = node_fsync, .release = node_release,
};
static const struct file_ops dir_ops = {
    .lseek = node_lseek, .fstat = node_fstat, .getdents64 = node_getdents64,
    .fsync = node_fsync, .release = node_release,
};

bool vfs_is_vnode_file(const struct file *f)
{
    return f->ops == &reg_ops || f->ops == &dir_ops || f->ops->release == vfs_dev_release;
}

struct vnode *vfs_file_node(const struct file *f)
{
    return vfs_is_vnode_file(f) ? f->priv : NULL;
}

/* ---- open ---- */
int vfs_open(int dirfd, const char *path, int flags, uint32_t mode, struct file **out)
{
    EXT4_ROUTE(dirfd, path, ext4_open(in, flags, mode, out));
    struct walk w = { 0 };
    int r = walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    r = walk_last_locked(&w, &n);
    int acc = flags & O_ACCMODE;
    bool wr = acc == O_WRONLY || acc == O_RDWR;
    if (r)
        goto fail;
    if (n && (flags & O_CREAT) && (flags & O_EXCL)) {
        r = -EEXIST;
        goto fail;
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
        if (w.dir->fs->ro) {
            r = -EROFS;
            goto fail;
        }
        if (w.dir->nlink == 0) {
            r = -ENOENT;
            goto fail;
        }
        n = node_new_locked(w.dir->fs, S_IFREG | (mode & 07777 & ~umask_v));
        if (!n || set_name_locked(n, w.last, w.lastlen)) {
            if (n) {
                n->nlink = 0;
                node_maybe_free_locked(n);
            }
            r = -ENOSPC;
            goto fail;
        }
        child_add_locked(w.dir, n);
        w.dir->mtime_ns = w.dir->ctime_ns = n->mtime_ns;
    } else {
        if ((flags & O_DIRECTORY) && !is_dir(n)) {
            r = -ENOTDIR;
            goto fail;
        }
        if (is_dir(n) && (wr || (flags & O_CREAT))) {
            r = -EISDIR;
            goto fail;
        }
        if (wr && n->fs->ro && !(flags & O_PATH)) {
            r = -EROFS;
            goto fail;
        }
        if ((flags & O_TRUNC) && wr && S_ISREG(n->mode)) {
            r = truncate_locked(n, 0);
            if (r)
                goto fail;
        }
    }
    const struct file_ops *ops = is_dir(n) ? &dir_ops : S_ISCHR(n->mode) ? n->dev_ops : &reg_ops;
    struct file *f = libos_file_new(ops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_PATH |
                                                 O_DIRECTORY | O_LARGEFILE), n);
    if (!f) {
        r = -ENFILE;
        goto fail;
    }
    n->opens++;
    libos_unlock(&vfs_lock);
    walk_done(&w);
    if (ops->opened)
        ops->opened(f);
    *out = f;
    return 0;
fail:
    libos_unlock(&vfs_lock);
    walk_done(&w);
    return r;
}

/* Devices' release (every device's file_ops has it): the node's open count. */
void vfs_dev_release(struct file *f)
{
    node_release(f);
}

/* ---- directories and names ---- */
int vfs_mkdir(int dirfd, const char *path, uint32_t mode)
{
    EXT4_ROUTE(dirfd, path, ext4_mkdir(in, mode));
    struct walk w = { 0 };
    int r = walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    r = walk_last_locked(&w, &n);
    if (r == -ENOTDIR)
        r = -EEXIST;
    if (r == 0 && n)
        r = -EEXIST;
    if (r == 0 && w.dir->fs->ro)
        r = -EROFS;
    if (r == 0 && w.dir->nlink == 0)
        r = -ENOENT;
    if (r == 0) {
        n = node_new_locked(w.dir->fs, S_IFDIR | (mode & 07777 & ~umask_v));
        if (!n || set_name_locked(n, w.last, w.lastlen)) {
            if (n) {
                n->nlink = 0;
                node_maybe_free_locked(n);
            }
            r = -ENOSPC;
        } else {
            n->nlink = 2;
            child_add_locked(w.dir, n);
            w.dir->mtime_ns = w.dir->ctime_ns = n->mtime_ns;
        }
    }
    libos_unlock(&vfs_lock);
    walk_done(&w);
    return r;
}

static bool is_mount_root_locked(struct vnode *n)
{
    return mount_of_root_locked(n) != NULL;
}

int vfs_unlink(int dirfd, const char *path, bool dir)
{
    EXT4_ROUTE(dirfd, path, ext4_unlink(in, dir));
    struct walk w = { 0 };
    int r = walk_parent_lock(dirfd, path, &w);
    if (r)
        return r;
    struct vnode *n;
    if (dir && is_dot(w.last, w.lastlen)) {
        r = -EINVAL;
        goto out;
    }
    if (dir && w.lastlen == 2 && w.last[0] == '.' && w.last[1] == '.') {
        r = -ENOTEMPTY;
        goto out;
    }
    r = walk_last_locked(&w, &n);
    if (r == 0 && !n)
        r = -ENOENT;
    if (r)
        goto out;
    if (dir && !is_dir(n)) {
        r = -ENOTDIR;
    } else if (!dir && is_dir(n)) {
        r = -EISDIR;
    } else if (is_mount_root_locked(n) || n == root_locked()) {
        r = -EBUSY;
    } else if (n->fs->ro) {
        r = -EROFS;
    } else if (dir && n->child) {
        r = -ENOTEMPTY;
    } else {
        struct vnode *p = n->parent;
        child_remove_locked(p, n);
        p->mtime_ns = p->ctime_ns = vfs_now_ns();
        n->nlink = 0;
        n->ctime_ns = p->mtime_ns;
        node_maybe_free_locked(n);
    }
out:
    libos_unlock(&vfs_lock);
    walk_done(&w);
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
        int ro = ext4_route(odirfd, oldp, oin), rn = ext4_route(ndirfd, newp, nin);
        if (ro < 0 || rn < 0)
            return ro < 0 ? ro : rn;
        if (ro || rn)
            return ro && rn ? ext4_rename(oin, nin) : -EXDEV;
    }
    struct walk wo = { 0 }, wn = { 0 };
    int r = walk_parent_lock(odirfd, oldp, &wo);
    if (r)
        return r;
    /* The second walk takes the lock itself: drop it in between, holding
     * the first directory open so that it cannot be freed meanwhile. */
    struct vnode *od = wo.dir;
    od->opens++;
    libos_unlock(&vfs_lock);
    r = walk_parent_lock(ndirfd, newp, &wn);
    if (r) {
        libos_lock(&vfs_lock);
        od->opens--;
        node_maybe_free_locked(od);
        libos_unlock(&vfs_lock);
        walk_done(&wo);
        return r;
    }
    od->opens--;
    struct vnode *src, *dst;
    r = od->nlink ? walk_last_locked(&wo, &src) : -ENOENT;
    if (r == 0 && !src)
        r = -ENOENT;
    if (r) {
        node_maybe_free_locked(od);
        goto out;
    }
    if (wo.lastlen == 0 || is_dot(wo.last, wo.lastlen) ||
        (wo.lastlen == 2 && wo.last[0] == '.' && wo.last[1] == '.') ||
        wn.lastlen == 0 || is_dot(wn.last, wn.lastlen) ||
        (wn.lastlen == 2 && wn.last[0] == '.' && wn.last[1] == '.')) {
        r = is_dir(src) ? -EBUSY : -EINVAL;
        goto out;
    }
    r = walk_last_locked(&wn, &dst);
    if (r == -ENOTDIR && !is_dir(src))
        goto out;
    if (r)
        goto out;
    if (wn.slash && !is_dir(src)) {
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
    if (is_dir(src) && is_ancestor_locked(src, wn.dir)) {
        r = -EINVAL;
        goto out;
    }
    if (wn.dir->nlink == 0) {
        r = -ENOENT;
        goto out;
    }
    if (dst) {
        if (is_dir(src) && !is_dir(dst)) {
            r = -ENOTDIR;
            goto out;
        }
        if (!is_dir(src) && is_dir(dst)) {
            r = -EISDIR;
            goto out;
        }
        if (is_dir(dst) && dst->child) {
            r = -ENOTEMPTY;
            goto out;
        }
    }
    char tmp[NAME_MAX + 1];
    memcpy(tmp, wn.last, wn.lastlen);
    r = set_name_locked(src, tmp, wn.lastlen);
    if (r)
        goto out;
    int64_t now = vfs_now_ns();
    if (dst) {
        child_remove_locked(dst->parent, dst);
        dst->nlink = 0;
        dst->ctime_ns = now;
        node_maybe_free_locked(dst);
    }
    struct vnode *op = src->parent;
    child_remove_locked(op, src);
    child_add_locked(wn.dir, src);
    op->mtime_ns = op->ctime_ns = wn.dir->mtime_ns = wn.dir->ctime_ns = src->ctime_ns = now;
out:
    libos_unlock(&vfs_lock);
    walk_done(&wo);
    walk_done(&wn);
    return r;
}

int vfs_access(int dirfd, const char *path, int amode)
{
    if (amode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    struct libos_stat est;
    EXT4_ROUTE(dirfd, path, ext4_stat(in, &est));
    struct vnode *n;
    struct file *h;
    int r = resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    if ((amode & W_OK) && n->fs->ro && !S_ISCHR(n->mode))
        r = -EROFS;
    else if ((amode & X_OK) && !(n->mode & 0111))
        r = -EACCES;        /* root may execute only what someone may */
    resolve_unlock(h);
    return r;
}

int vfs_readlink(int dirfd, const char *path)
{
    struct libos_stat est;
    EXT4_ROUTE(dirfd, path, ext4_stat(in, &est) ? ext4_stat(in, &est) : -EINVAL);
    struct vnode *n;
    struct file *h;
    int r = resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    resolve_unlock(h);
    return -EINVAL;     /* no symbolic links exist */
}

/* The node of a call that takes PATH relative to DIRFD, or with PATH NULL
 * the open file DIRFD (chdir, chmod, utimensat, statfs and their f* forms).
 * Takes vfs_lock on success (resolve_unlock(*h) ends it); *n is NULL for a
 * descriptor with no node (fd_node). */
static int path_or_fd_lock(int dirfd, const char *path, struct vnode **n, struct file **h)
{
    *h = NULL;
    if (path)
        return resolve_lock(dirfd, path, n, h);
    int r = fd_node(dirfd, h, n);
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
    if (!n || !is_dir(n)) {
        r = -ENOTDIR;
    } else {
        n->opens++;
        struct vnode *old = cwd;
        cwd = n;
        if (old) {
            old->opens--;
            node_maybe_free_locked(old);
        }
        r = 0;
    }
    resolve_unlock(h);
    return r;
}

long vfs_getcwd(char *buf, size_t size)
{
    if (!buf)
        return -EFAULT;
    if (size == 0)
        return -EINVAL;
    libos_lock(&vfs_lock);
    long r = node_path_locked(cwd, buf, size);
    libos_unlock(&vfs_lock);
    return r < 0 ? r : r + 1;      /* the syscall counts the NUL */
}

int vfs_truncate(int dirfd, const char *path, uint64_t len)
{
    EXT4_ROUTE(dirfd, path, ext4_truncate(in, len));
    struct vnode *n;
    struct file *h;
    int r = resolve_lock(dirfd, path, &n, &h);
    if (r)
        return r;
    r = truncate_locked(n, len);
    resolve_unlock(h);
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
    resolve_unlock(h);
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
    resolve_unlock(h);
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

/* ---- mounting ---- */

/* Canonical form of an absolute path ("/a//b/./c/../d/" -> "/a/b/d"). */
static int canon(const char *in, char *out, size_t size, size_t *outlen)
{
    if (!in || in[0] != '/')
        return -EINVAL;
    size_t o = 0;
    const char *p = in, *end = in + strnlen(in, size);
    for (;;) {
        const char *c;
        size_t n = next_comp(&p, end, &c);
        if (n == 0)
            break;
        if (is_dot(c, n))
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

static int add_mount_locked(const char *path, struct vnode *root)
{
    if (nmounts == VFS_MAX_MOUNTS)
        return -EBUSY;
    struct vfs_mount *m = libos_pages_alloc(sizeof *m);
    if (!m)
        return -ENOMEM;
    int r = canon(path, m->path, sizeof m->path, &m->pathlen);
    if (r) {
        libos_pages_free(m, sizeof *m);
        return r;
    }
    m->root = root;
    root->opens++;          /* a mount keeps its root alive */
    mounts[nmounts++] = m;
    return 0;
}

/* mkdir -p on whatever is mounted, where writable; errors ignored (the
 * mount table finds the mount by its path anyway). */
static void make_dirs(const char *path)
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
        if (n > NAME_MAX || (n == 2 && c[0] == '.' && c[1] == '.') || !is_dir(cur)) {
            *skip = true;       /* names with ".." or below a file: ignored */
            return root;
        }
        struct vnode *x = child_find_locked(cur, c, n);
        if (!x) {
            x = node_new_locked(root->fs, last ? mode : (S_IFDIR | 0755));
            if (!x)
                return NULL;
            x->name = c;        /* inside the blob; never freed */
            x->namelen = (uint32_t)n;
            if (is_dir(x))
                x->nlink = 2;
            child_add_locked(cur, x);
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
    if (canon(where, cw, sizeof cw, &cwl))
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
        make_dirs(cw);
    libos_lock(&vfs_lock);
    struct vfs_fs *fs = fs_new(true);
    struct vnode *root = fs ? node_new_locked(fs, S_IFDIR | 0755) : NULL;
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
        r = add_mount_locked(cw, root);
    libos_unlock(&vfs_lock);
    return r;   /* on -ENOMEM the partial tree is leaked: the PD is out of memory anyway */
}

/* ---- start ---- */
/* ---- the ext4 file system at EXT4_MOUNT ---- */
static int ext4_route(int dirfd, const char *path, char *in)
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
        if (dirfd != AT_FDCWD && (fd_node(dirfd, &f, &start) || !start)) {
            bool ext4_dir = f && ext4_is_file(f);
            if (f)
                libos_file_put(f);
            /* relative to a directory of /data: not served; other kinds: the walk says why */
            return ext4_dir ? -EOPNOTSUPP : 0;
        }
        libos_lock(&vfs_lock);
        if (!f)
            start = cwd;
        long l = start ? node_path_locked(start, full, sizeof full) : -ENOENT;
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
    if (canon(full, in, PATH_MAX, &cl))
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
    make_dirs(EXT4_MOUNT);
    if (!ext4_mount())
        vfs_unlink(AT_FDCWD, EXT4_MOUNT, true);
}

int64_t vfs_now_ns(void)
{
    return (int64_t)(libos_realtime_base_ns() + libos_ticks_to_ns(libos_ticks()));
}

void libos_files_init(void)
{
    libos_lock(&vfs_lock);
    struct vfs_fs *fs = fs_new(false);
    struct vnode *root = fs ? node_new_locked(fs, S_IFDIR | 0755) : NULL;
    if (!root) {
        libos_unlock(&vfs_lock);
        libos_puts("libos: no memory for the root file system\n");
        return;
    }
    root->nlink = 2;
    root->name = "/";
    root->namelen = 1;
    add_mount_locked("/", root);
    root->opens++;
    cwd = root;
    libos_unlock(&vfs_lock);
    vfs_mkdir(AT_FDCWD, "/tmp", 01777);
    vfs_mkdir(AT_FDCWD, "/dev", 0755);
    libos_lock(&vfs_lock);
    struct vnode *tmp = child_find_locked(root, "tmp", 3);
    struct vnode *dev = child_find_locked(root, "dev", 3);
    if (tmp) {
        tmp->mode = S_IFDIR | 01777;
        add_mount_locked("/tmp", tmp);
    }
    if (dev)
        add_mount_locked("/dev", dev);
    libos_unlock(&vfs_lock);
    if (dev)
        vfs_dev_init(dev);
}

/* For vfs_dev.c: create a device node in dir. */
struct vnode *vfs_dev_subdir(struct vnode *dir, const char *name)
{
    libos_lock(&vfs_lock);
    struct vnode *n = child_find_locked(dir, name, (uint32_t)strlen(name));
    if (!n && (n = node_new_locked(dir->fs, S_IFDIR | 0755))) {
        n->name = name;         /* a string literal */
        n->namelen = (uint32_t)strlen(name);
        n->nlink = 2;
        child_add_locked(dir, n);
    }
    libos_unlock(&vfs_lock);
    return n && is_dir(n) ? n : NULL;
}

struct vnode *vfs_dev_node(struct vnode *dir, const char *name, uint32_t mode, uint32_t rdev,
                           const struct file_ops *ops)
{
    libos_lock(&vfs_lock);
    struct vnode *n = node_new_locked(dir->fs, S_IFCHR | mode);
    if (n) {
        n->name = name;         /* a string literal */
        n->namelen = (uint32_t)strlen(name);
        n->rdev = rdev;
        n->dev_ops = ops;
        child_add_locked(dir, n);
    }
    libos_unlock(&vfs_lock);
    return n;
}
