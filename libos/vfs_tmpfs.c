/*
 * vfs_tmpfs.c - file data of tmpfs and archive files (read, write, grow,
 * truncate, pinning for shared mappings), stat and directory listing.
 */
#include "vfs_impl.h"

/* ---- stat ---- */
void vfs_stat_node(const struct vnode *n, struct libos_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = n->fs->dev;
    st->ino = n->ino;
    st->mode = n->mode;
    st->nlink = n->nlink;
    st->rdev = n->rdev;
    st->size = S_ISREG(n->mode) || S_ISLNK(n->mode) ? n->size : vfs_is_dir(n) ? 4096 : 0;
    st->blksize = 4096;
    if (!S_ISLNK(n->mode))  /* a link's target is not counted, as tmpfs's short ones */
        st->blocks = (n->cap ? n->cap : S_ISREG(n->mode) ? (n->size + 511) & ~511ull : 0) / 512;
    st->atime_ns = n->atime_ns;
    st->mtime_ns = n->mtime_ns;
    st->ctime_ns = n->ctime_ns;
}

static int stat_how(int dirfd, const char *path, bool follow, struct libos_stat *st)
{
    EXT4_ROUTE(dirfd, path, ext4_stat(in, follow, st));
    struct vnode *n;
    struct file *h;
    int r = vfs_resolve_how_lock(dirfd, path, follow, &n, &h);
    if (r)
        return r;
    vfs_stat_node(n, st);
    vfs_resolve_unlock(h);
    return 0;
}

int vfs_stat(int dirfd, const char *path, struct libos_stat *st)
{
    return stat_how(dirfd, path, true, st);
}

int vfs_lstat(int dirfd, const char *path, struct libos_stat *st)
{
    return stat_how(dirfd, path, false, st);
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
    vfs_node_free_data_locked(n);
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
    vfs_node_maybe_free_locked(n);
}

int vfs_truncate_locked(struct vnode *n, uint64_t len)
{
    if (n->fs->ro)
        return -EROFS;
    if (vfs_is_dir(n))
        return -EISDIR;
    if (!S_ISREG(n->mode))
        return -EINVAL;
    if (len < n->size) {
        if (len == 0 && !n->maps)
            vfs_node_free_data_locked(n);
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
    else if (vfs_is_dir(n) && whence == SEEK_END)
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
    long r = vfs_truncate_locked(f->priv, len);
    libos_unlock(&vfs_lock);
    return r;
}

static long node_fsync(struct file *f)
{
    (void)f;
    return 0;
}

void vfs_node_release(struct file *f)
{
    struct vnode *n = f->priv;
    libos_lock(&vfs_lock);
    n->opens--;
    vfs_node_maybe_free_locked(n);
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
    return S_ISDIR(mode) ? 4 : S_ISREG(mode) ? 8 : S_ISLNK(mode) ? 10 : S_ISCHR(mode) ? 2 : 0;
}

/* Positions: 0 ".", 1 "..", 2+i the i-th entry (entries are appended, so
 * removing one shifts the later ones: a listing racing an unlink may miss
 * or repeat an entry, which POSIX allows). */
static long node_getdents64(struct file *f, void *buf, size_t len)
{
    struct vnode *n = f->priv;
    size_t used = 0;
    libos_lock(&vfs_lock);
    if (!vfs_is_dir(n)) {
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

const struct file_ops vfs_reg_ops = {
    .read = node_read, .write = node_write, .pread = node_pread, .pwrite = node_pwrite,
    .lseek = node_lseek, .fstat = node_fstat, .ftruncate = node_ftruncate,
    .fsync = node_fsync, .release = vfs_node_release,
};
const struct file_ops vfs_dir_ops = {
    .lseek = node_lseek, .fstat = node_fstat, .getdents64 = node_getdents64,
    .fsync = node_fsync, .release = vfs_node_release,
};

bool vfs_is_vnode_file(const struct file *f)
{
    return f->ops == &vfs_reg_ops || f->ops == &vfs_dir_ops || f->ops->release == vfs_dev_release;
}

struct vnode *vfs_file_node(const struct file *f)
{
    return vfs_is_vnode_file(f) ? f->priv : NULL;
}
