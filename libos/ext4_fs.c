/*
 * ext4_fs.c - /data: the ext4 file system on the disk, through libext2fs
 * (ext4_fs.h; docs/storage.md says what is promised).
 *
 * One lock (ext4_lock) serialises every call into libext2fs, which is not
 * thread-safe; it is held across the disk requests of an operation.
 * With a journal (ext4_journal.h) every block libext2fs writes is held;
 * operations join the running transaction, and at an operation's end
 * (settle_locked) it is committed if it is due: half full, or
 * COMMIT_AFTER_S old (the commit timer, ext4_timer.c, commits it then
 * even if no operation comes).  fsync, fdatasync, a write to a file opened
 * O_SYNC/O_DSYNC and the unmount commit it at once (commit_locked): the
 * metadata libext2fs keeps in memory (bitmaps, group descriptors, the
 * superblock's counts) is written too, and all of it is committed as one
 * JBD2 transaction.  While mounted the superblock says "not clean" and
 * "needs_recovery", as a Linux kernel leaves it; the unmount clears both.
 * A file system without a journal is written in place as libext2fs
 * writes (its bitmaps at fsync and unmount): after a power cut it needs
 * e2fsck.
 *
 * Open files: every open of the same inode shares one `struct ext4_node`
 * (its libext2fs file handle and its copy of the inode), so that writes
 * through two descriptors see one size.  An inode unlinked while open is
 * freed at its last close (or at the unmount).
 */
#include "libos.h"
#include "ext4_fs.h"
#include "ext4_append.h"
#include "ext4_io.h"
#include "ext4_journal.h"
#include "vfs.h"
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <freebeam/blk.h>
/* libext2fs's helpers out of line (its inline.c, built with its C library
 * calls renamed to ours), never inlined here with musl's malloc. */
#define NO_INLINE_FUNCS
#include "ext2fs/ext2fs.h"

#define EXT4_DEV 0xe4u                  /* st_dev of everything on /data */
#define MAX_NODES 256
#define EXT4_LINK_MAX 65000             /* names of one inode, as Linux's ext4 allows */

struct ext4_node {
    ext2_ino_t ino;                     /* 0: a free slot */
    uint32_t refs;                      /* open files holding it */
    bool dir;
    bool unlinked;                      /* its last link went while open */
    ext2_file_t file;                   /* regular files */
};

static struct libos_lock ext4_lock;
static ext2_filsys fs;
static bool have_disk, mounted, read_only;
static uint32_t meta_reserve;           /* blocks ext2fs_flush may add to a transaction */
static struct ext4_node nodes[MAX_NODES];

bool ext4_mounted(void)
{
    return __atomic_load_n(&mounted, __ATOMIC_ACQUIRE);
}

/* libext2fs's answers as errno values. */
static int err(errcode_t e)
{
    switch (e) {
    case 0: return 0;
    case EXT2_ET_FILE_NOT_FOUND: return -ENOENT;
    case EXT2_ET_NO_DIRECTORY: return -ENOTDIR;
    case EXT2_ET_DIR_NO_SPACE:
    case EXT2_ET_BLOCK_ALLOC_FAIL:
    case EXT2_ET_INODE_ALLOC_FAIL:
    case EXT2_ET_DIR_NO_SPACE_FOR_CSUM: return -ENOSPC;
    case EXT2_ET_NO_MEMORY: return -ENOMEM;
    case EXT2_ET_RO_FILSYS: return -EROFS;
    case EXT2_ET_FILE_TOO_BIG: return -EFBIG;
    case EXT2_ET_DIR_EXISTS: return -EEXIST;
    case EXT2_ET_INVALID_ARGUMENT: return -EINVAL;
    default: return e > 0 && e < 4096 ? -(int)e : -EIO;
    }
}

static uint32_t now_s(void)
{
    return (uint32_t)(vfs_now_ns() / 1000000000);
}

/* The running transaction committed now (the lock held): with the
 * journal, the metadata libext2fs keeps in memory written into the held
 * set, then everything committed as one transaction.  r: the operation's
 * result so far, returned unless it was 0 and this failed. */
static int commit_locked(int r)
{
    if (!fs || read_only || !ext4_journal_on())
        return r;
    int s = 0;
    if (fs->flags & (EXT2_FLAG_DIRTY | EXT2_FLAG_BB_DIRTY | EXT2_FLAG_IB_DIRTY))
        s = err(ext2fs_flush(fs));
    int c = ext4_journal_commit();
    return r ? r : s ? s : c;
}

/* The end of an operation that may have changed the file system (the lock
 * held): the running transaction committed if it is due. */
static int settle_locked(int r)
{
    if (!fs || read_only || !ext4_journal_on() || !ext4_journal_due(meta_reserve))
        return r;
    return commit_locked(r);
}

uint64_t ext4_commit_due(void)
{
    libos_lock(&ext4_lock);
    settle_locked(0);
    uint64_t next = fs && !read_only && ext4_journal_on() ? ext4_journal_deadline() : UINT64_MAX;
    libos_unlock(&ext4_lock);
    return next;
}

/* An open file's buffered block and its inode (the handle's copy) written. */
static int write_back_locked(ext2_ino_t ino, ext2_file_t file)
{
    int r = err(ext2fs_file_flush(file));
    int w = err(ext2fs_write_inode(fs, ino, ext2fs_file_get_inode(file)));
    return r ? r : w;
}

/* The open file's size set to len.  libext2fs's handle keeps its one-block
 * buffer, and where that block lived, across a truncate that frees the
 * block: after a shrink the handle is opened again on the inode as it now
 * is, so that no later read or write of that block uses the old place.
 * (Its buffer is clean: every call that writes ends with write_back_locked.) */
static int set_size_locked(struct ext4_node *n, uint64_t len)
{
    uint64_t old = EXT2_I_SIZE(ext2fs_file_get_inode(n->file));
    int r = err(ext2fs_file_set_size2(n->file, len));
    if (r || len >= old)
        return r;
    ext2_file_t again;
    r = err(ext2fs_file_open2(fs, n->ino, ext2fs_file_get_inode(n->file), EXT2_FILE_WRITE, &again));
    if (r)
        return r;
    ext2fs_file_close(n->file);
    n->file = again;
    return 0;
}

/* ---- mount and unmount ---- */
void ext4_init(void)
{
    have_disk = ext4_disk_init();
}

bool ext4_have_disk(void)
{
    return have_disk;
}

bool ext4_mount(void)
{
    if (!have_disk)
        return false;
    uint64_t sectors;
    uint32_t flags;
    int r = ext4_disk_info(&sectors, &flags);
    if (r == -ENODEV) {
        libos_puts("libos: ext4: no disk: /data is not mounted\n");
        return false;
    }
    if (r < 0) {
        libos_puts("libos: ext4: the disk does not answer: /data is not mounted\n");
        return false;
    }
    read_only = (flags & FB_BLK_F_READ_ONLY) != 0;
    libos_lock(&ext4_lock);
    errcode_t e = ext2fs_open2("blk", NULL, (read_only ? 0 : EXT2_FLAG_RW) | EXT2_FLAG_64BITS, 0, 0,
                               ext4_io_manager, &fs);
    if (e) {
        libos_unlock(&ext4_lock);
        libos_log_num("ext4: the disk holds no ext2/3/4 file system we can open: /data is not mounted; "
                      "ext2fs error", (unsigned long)e);
        return false;
    }
    if (ext2fs_has_feature_casefold(fs->super)) {
        ext2fs_free(fs);
        fs = NULL;
        libos_unlock(&ext4_lock);
        libos_puts("libos: ext4: the file system has casefolded directories, which we cannot serve: "
                   "/data is not mounted\n");
        return false;
    }
    /* As Linux refuses it: its bitmaps alone could take all our memory, and
     * blocks past the disk's end cannot be written. */
    if (ext2fs_blocks_count(fs->super) > sectors * 512 / fs->blocksize) {
        ext2fs_free(fs);
        fs = NULL;
        libos_unlock(&ext4_lock);
        libos_puts("libos: ext4: the file system is larger than the disk: /data is not mounted\n");
        return false;
    }
    if (ext2fs_has_feature_journal_needs_recovery(fs->super) && !read_only) {
        uint32_t transactions = 0, blocks = 0;
        int rr = ext4_recover(fs, &transactions, &blocks);
        ext2fs_free(fs);                 /* what it read may be stale now: read it again */
        fs = NULL;
        e = ext2fs_open2("blk", NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, ext4_io_manager, &fs);
        if (e) {
            libos_unlock(&ext4_lock);
            libos_log_num("ext4: the file system cannot be opened after the journal's replay: "
                          "/data is not mounted; ext2fs error", (unsigned long)e);
            return false;
        }
        if (rr == 0) {
            ext2fs_clear_feature_journal_needs_recovery(fs->super);
            ext2fs_mark_super_dirty(fs);
            libos_log_num("ext4: the journal was replayed: transactions", transactions);
            libos_log_num("ext4: the journal was replayed: blocks", blocks);
        } else {
            libos_log_num("ext4: the journal cannot be replayed, error", (unsigned long)-rr);
        }
    }
    if (ext2fs_has_feature_journal_needs_recovery(fs->super) && !read_only) {
        libos_puts("libos: ext4: the journal still needs recovery: /data is read-only\n");
        read_only = true;
    }
    fs->default_bitmap_type = EXT2FS_BMAP64_BITARRAY;
    e = ext2fs_read_bitmaps(fs);
    bool journalled = false;
    if (!e && !read_only && ext2fs_has_feature_journal(fs->super)) {
        int jr = ext4_journal_open(fs);
        if (jr == 0) {
            journalled = true;
            ext2fs_set_feature_journal_needs_recovery(fs->super);   /* until the unmount */
        } else {
            libos_log_num("ext4: the journal cannot be written: /data is read-only; error", (unsigned long)-jr);
            read_only = true;
        }
    } else if (!e && !read_only) {
        libos_puts("libos: ext4: the file system has no journal: after a power cut it needs e2fsck\n");
    }
    if (!e && !read_only) {
        fs->super->s_state &= (uint16_t)~EXT2_VALID_FS;     /* until the unmount */
        fs->super->s_mnt_count++;
        fs->super->s_mtime = now_s();
        ext2fs_mark_super_dirty(fs);
        e = ext2fs_flush(fs);
    }
    if (e) {
        ext2fs_free(fs);
        fs = NULL;
        libos_unlock(&ext4_lock);
        libos_log_num("ext4: reading the file system's bitmaps failed: /data is not mounted; ext2fs error",
                      (unsigned long)e);
        return false;
    }
    if (read_only)
        fs->flags &= ~EXT2_FLAG_RW;
    if (journalled) {
        /* From here on every write is held and committed; the backup
         * superblocks and descriptors are brought up to date at the unmount. */
        fs->flags |= EXT2_FLAG_MASTER_SB_ONLY;
        meta_reserve = 2 * (uint32_t)fs->group_desc_count + (uint32_t)fs->desc_blocks + 4;
        ext2fs_set_block_alloc_stats_callback(fs, ext4_journal_block_stats, NULL);
        ext2fs_set_block_alloc_stats_range_callback(fs, ext4_journal_block_stats_range, NULL);
        fs->get_alloc_block2 = ext4_journal_alloc_block;
        ext4_journal_hold();
        ext4_timer_start();
    }
    __atomic_store_n(&mounted, true, __ATOMIC_RELEASE);
    libos_unlock(&ext4_lock);
    libos_log_num(read_only ? "ext4: /data mounted read-only, KiB" : "ext4: /data mounted, KiB",
                  (unsigned long)(sectors / 2));
    return true;
}

static void free_inode_locked(ext2_ino_t ino);

void ext4_unmount(void)
{
    if (!ext4_mounted())
        return;
    libos_lock(&ext4_lock);
    if (!fs) {
        libos_unlock(&ext4_lock);
        return;
    }
    for (unsigned i = 0; i < MAX_NODES; i++) {
        struct ext4_node *n = &nodes[i];
        if (!n->ino)
            continue;
        if (n->file) {
            write_back_locked(n->ino, n->file);
            ext2fs_file_close(n->file);
        }
        if (n->unlinked)
            free_inode_locked(n->ino);
        memset(n, 0, sizeof *n);
    }
    if (ext4_journal_on()) {
        /* The last transaction, then the journal emptied: what follows is
         * written in place, the superblock last. */
        int r = commit_locked(0);
        if (!r)
            r = ext4_journal_close();
        if (r)
            libos_log_num("ext4: the last journal commit failed at exit; error", (unsigned long)-r);
        fs->flags &= ~EXT2_FLAG_MASTER_SB_ONLY;
        if (!r)
            ext2fs_clear_feature_journal_needs_recovery(fs->super);
    }
    if (!read_only) {
        fs->super->s_state |= EXT2_VALID_FS;
        ext2fs_mark_super_dirty(fs);
    }
    errcode_t e = ext2fs_close2(fs, 0);
    if (e)
        libos_log_num("ext4: writing /data back at exit failed; ext2fs error", (unsigned long)e);
    fs = NULL;
    __atomic_store_n(&mounted, false, __ATOMIC_RELEASE);
    libos_unlock(&ext4_lock);
}

/* ---- paths ---- */

/* The target of symbolic link ino (its inode given) in buf, NUL-terminated;
 * its length, or -errno.  Short targets sit in the inode itself (fast
 * links), longer ones in inline data or a block (ext2fs_file_read reads
 * both). */
static long link_target_locked(ext2_ino_t ino, struct ext2_inode *inode, char *buf, size_t size)
{
    uint32_t len = EXT2_I_SIZE(inode);
    if (len == 0 || len >= size)
        return -EIO;                    /* not a target we could have written */
    if (ext2fs_is_fast_symlink(inode)) {
        memcpy(buf, inode->i_block, len);
    } else {
        ext2_file_t f;
        unsigned got = 0;
        int r = err(ext2fs_file_open2(fs, ino, inode, 0, &f));
        if (r)
            return r;
        r = err(ext2fs_file_read(f, buf, len, &got));
        ext2fs_file_close(f);
        if (r)
            return r;
        if (got != len)
            return -EIO;
    }
    buf[len] = 0;
    return len;
}

/* The inode a path names (the lock held), resolved one component at a
 * time from the root: symbolic links in the middle are followed, the last
 * component's only if follow.  A link's relative target goes on from the
 * link's directory; an absolute one must name EXT4_MOUNT or below it.  A
 * target that leads out of /data (another absolute path, or ".." from the
 * root) gives EOPNOTSUPP: paths reach this file system by name
 * (vfs_ext4_route), so the walk cannot hand one back to the tmpfs.  At
 * most EXT4_MAX_LINKS links a lookup (ELOOP), as on Linux. */
#define EXT4_MAX_LINKS 40
static int walk_locked(const char *path, bool follow, ext2_ino_t *ino)
{
    static const char mnt[] = EXT4_MOUNT;
    const size_t ml = sizeof mnt - 1;
    char rest[PATH_MAX], target[PATH_MAX];
    size_t len = strnlen(path, sizeof rest);
    if (!fs)
        return -EIO;
    if (len == sizeof rest)
        return -ENAMETOOLONG;
    memcpy(rest, path, len + 1);
    const char *p = rest;
    ext2_ino_t cur = EXT2_ROOT_INO;
    unsigned links = 0;
    struct ext2_inode inode;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *c = p;
        size_t n = 0;
        while (c[n] && c[n] != '/')
            n++;
        p = c + n;
        if (n > NAME_MAX)
            return -ENAMETOOLONG;
        int r = err(ext2fs_read_inode(fs, cur, &inode));
        if (r)
            return r;
        if (!LINUX_S_ISDIR(inode.i_mode))
            return -ENOTDIR;
        if (n == 2 && c[0] == '.' && c[1] == '.' && cur == EXT2_ROOT_INO)
            return -EOPNOTSUPP;         /* out of /data */
        ext2_ino_t dir = cur;
        r = err(ext2fs_lookup(fs, dir, c, (int)n, NULL, &cur));
        if (r)
            return r;
        if (!*p && !follow)
            break;
        r = err(ext2fs_read_inode(fs, cur, &inode));
        if (r)
            return r;
        if (!LINUX_S_ISLNK(inode.i_mode))
            continue;
        if (++links > EXT4_MAX_LINKS)
            return -ELOOP;
        long tl = link_target_locked(cur, &inode, target, sizeof target);
        if (tl < 0)
            return (int)tl;
        size_t pl = strlen(p);          /* what follows the link: "" or "/..." */
        if ((size_t)tl + pl >= sizeof target)
            return -ENAMETOOLONG;
        memcpy(target + tl, p, pl + 1);
        const char *from = target;
        cur = dir;
        if (target[0] == '/') {
            if (strncmp(target, mnt, ml) != 0 || (target[ml] != '/' && target[ml] != 0))
                return -EOPNOTSUPP;     /* out of /data */
            from += ml;
            cur = EXT2_ROOT_INO;
        }
        memmove(rest, from, strlen(from) + 1);
        p = rest;
    }
    *ino = cur;
    return 0;
}

/* The inode a path names, its last component not followed (unlink, rename,
 * mkdir and the like act on a link itself). */
static int lookup_locked(const char *path, ext2_ino_t *ino)
{
    return walk_locked(path, false, ino);
}

/* Split "/a/b/c" into the parent's inode and "c" (copied into name). */
static int parent_locked(const char *path, ext2_ino_t *dir, char name[NAME_MAX + 1])
{
    size_t len = strlen(path);
    size_t last = len;
    while (last > 0 && path[last - 1] != '/')
        last--;
    size_t nl = len - last;
    if (nl == 0)
        return -EBUSY;                  /* the root itself */
    if (nl > NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(name, path + last, nl);
    name[nl] = 0;
    char parent[PATH_MAX];
    memcpy(parent, path, last);
    parent[last] = 0;
    if (last == 0) {
        parent[0] = '/';
        parent[1] = 0;
    }
    int r = walk_locked(parent, true, dir);
    if (r)
        return r;
    struct ext2_inode inode;
    r = err(ext2fs_read_inode(fs, *dir, &inode));
    if (!r && !LINUX_S_ISDIR(inode.i_mode))
        r = -ENOTDIR;
    return r;
}

static int writable_locked(void)
{
    return !fs ? -EIO : read_only ? -EROFS : 0;
}

/* Link ino into dir as name, growing the directory when it is full. */
static int link_locked(ext2_ino_t dir, const char *name, ext2_ino_t ino, int type)
{
    errcode_t e = ext2fs_link(fs, dir, name, ino, type);
    if (e == EXT2_ET_DIR_NO_SPACE) {
        e = ext2fs_expand_dir(fs, dir);
        if (!e)
            e = ext2fs_link(fs, dir, name, ino, type);
    }
    return err(e);
}

/* The type a directory entry records for an inode of this mode. */
static int file_type(uint16_t mode)
{
    return LINUX_S_ISDIR(mode) ? EXT2_FT_DIR : LINUX_S_ISLNK(mode) ? EXT2_FT_SYMLINK :
           LINUX_S_ISCHR(mode) ? EXT2_FT_CHRDEV : LINUX_S_ISBLK(mode) ? EXT2_FT_BLKDEV :
           LINUX_S_ISFIFO(mode) ? EXT2_FT_FIFO : LINUX_S_ISSOCK(mode) ? EXT2_FT_SOCK : EXT2_FT_REG_FILE;
}

static int create_locked(ext2_ino_t dir, const char *name, uint32_t mode, ext2_ino_t *out)
{
    ext2_ino_t ino;
    int r = err(ext2fs_new_inode(fs, dir, LINUX_S_IFREG | 0600, 0, &ino));
    if (r)
        return r;
    r = link_locked(dir, name, ino, EXT2_FT_REG_FILE);
    if (r)
        return r;
    ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
    struct ext2_inode_large inode;
    memset(&inode, 0, sizeof inode);
    inode.i_mode = (uint16_t)(LINUX_S_IFREG | (mode & 07777 & ~vfs_umask_now()));
    inode.i_links_count = 1;
    inode.i_atime = inode.i_ctime = inode.i_mtime = now_s();
    if (ext2fs_has_feature_extents(fs->super)) {
        ext2_extent_handle_t h;
        inode.i_flags |= EXT4_EXTENTS_FL;
        r = err(ext2fs_extent_open2(fs, ino, (struct ext2_inode *)&inode, &h));
        if (r)
            return r;
        ext2fs_extent_free(h);
    }
    r = err(ext2fs_write_new_inode(fs, ino, (struct ext2_inode *)&inode));
    if (!r)
        *out = ino;
    return r;
}

/* Give an inode with no links back: its blocks, then the inode itself. */
static void free_inode_locked(ext2_ino_t ino)
{
    struct ext2_inode inode;
    if (ext2fs_read_inode(fs, ino, &inode))
        return;
    if (ext2fs_inode_has_valid_blocks2(fs, &inode))
        ext2fs_punch(fs, ino, &inode, NULL, 0, ~0ULL);
    inode.i_links_count = 0;
    inode.i_dtime = now_s();
    ext2fs_write_inode(fs, ino, &inode);
    ext2fs_inode_alloc_stats2(fs, ino, -1, LINUX_S_ISDIR(inode.i_mode));
}

static struct ext4_node *node_find_locked(ext2_ino_t ino)
{
    for (unsigned i = 0; i < MAX_NODES; i++)
        if (nodes[i].ino == ino)
            return &nodes[i];
    return NULL;
}

/* ---- open files ---- */
static const struct file_ops ext4_reg_ops, ext4_dir_ops;

bool ext4_is_file(const struct file *f)
{
    return f->ops == &ext4_reg_ops || f->ops == &ext4_dir_ops;
}

static struct ext4_node *node_of(struct file *f)
{
    return f->priv;
}

static int node_open_locked(ext2_ino_t ino, bool dir, struct ext4_node **out)
{
    struct ext4_node *n = node_find_locked(ino);
    if (!n) {
        n = node_find_locked(0);
        if (!n)
            return -ENFILE;
        if (!dir) {
            int r = err(ext2fs_file_open(fs, ino, read_only ? 0 : EXT2_FILE_WRITE, &n->file));
            if (r)
                return r;
        }
        n->ino = ino;
        n->dir = dir;
        n->refs = 0;
        n->unlinked = false;
    }
    n->refs++;
    *out = n;
    return 0;
}

static void node_put_locked(struct ext4_node *n)
{
    if (--n->refs > 0)
        return;
    if (n->file && fs) {
        if (!read_only)
            write_back_locked(n->ino, n->file);
        ext2fs_file_close(n->file);
    }
    if (n->unlinked && fs)
        free_inode_locked(n->ino);
    memset(n, 0, sizeof *n);
}

int ext4_open(const char *path, int flags, uint32_t mode, struct file **out)
{
    int acc = flags & O_ACCMODE;
    bool wr = acc == O_WRONLY || acc == O_RDWR;
    ext2_ino_t ino = 0;
    struct ext2_inode inode;
    libos_lock(&ext4_lock);
    /* O_NOFOLLOW and O_CREAT|O_EXCL never follow a last link. */
    bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
    int r = walk_locked(path, follow, &ino);
    if (r == -ENOENT && (flags & O_CREAT)) {
        ext2_ino_t dir, there;
        char name[NAME_MAX + 1];
        r = parent_locked(path, &dir, name);
        if (!r && lookup_locked(path, &there) == 0)
            r = -ENOENT;                /* a dangling link: nothing is created through it */
        if (!r)
            r = writable_locked();
        if (!r && (flags & O_DIRECTORY))
            r = -EINVAL;
        if (!r)
            r = create_locked(dir, name, mode, &ino);
    } else if (!r && (flags & O_CREAT) && (flags & O_EXCL)) {
        r = -EEXIST;
    }
    if (!r)
        r = err(ext2fs_read_inode(fs, ino, &inode));
    bool dir = !r && LINUX_S_ISDIR(inode.i_mode);
    if (!r && (flags & O_DIRECTORY) && !dir)
        r = -ENOTDIR;
    if (!r && dir && (wr || (flags & O_CREAT)))
        r = -EISDIR;
    if (!r && wr && read_only)
        r = -EROFS;
    if (!r && LINUX_S_ISLNK(inode.i_mode))
        r = -ELOOP;                     /* O_NOFOLLOW on a link */
    if (!r && !dir && !LINUX_S_ISREG(inode.i_mode))
        r = -EOPNOTSUPP;                /* devices, fifos: not served on /data */
    struct ext4_node *n = NULL;
    if (!r)
        r = node_open_locked(ino, dir, &n);
    if (!r && wr && (flags & O_TRUNC)) {
        r = set_size_locked(n, 0);
        if (!r)
            r = write_back_locked(n->ino, n->file);
        if (r)
            node_put_locked(n);
    }
    struct file *f = NULL;
    if (!r) {
        f = libos_file_new(dir ? &ext4_dir_ops : &ext4_reg_ops,
                           flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECTORY | O_LARGEFILE |
                                    O_SYNC | O_DSYNC), n);
        if (!f) {
            node_put_locked(n);
            r = -ENFILE;
        }
    }
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    if (!r)
        *out = f;
    return r;
}

/* After the unmount (exit) every node is gone: nothing to put. */
static void release(struct file *f)
{
    libos_lock(&ext4_lock);
    if (fs)
        node_put_locked(node_of(f));
    settle_locked(0);
    libos_unlock(&ext4_lock);
}

/* Read or write at off; the byte count, or -errno. */
static long rw_locked(struct ext4_node *n, bool write, void *buf, size_t len, uint64_t off)
{
    if (!fs || !n->file)
        return -EIO;
    if (write && read_only)
        return -EROFS;
    if (len > 0x40000000u)
        len = 0x40000000u;
    int r = err(ext2fs_file_llseek(n->file, off, EXT2_SEEK_SET, NULL));
    if (r)
        return r;
    unsigned int done = 0;
    if (write) {
        /* In pieces that each fit the running transaction with room to
         * spare for the metadata (ext4_journal_room): each piece is
         * committed whole or not at all. */
        uint32_t piece_blocks = ext4_journal_on() ? ext4_journal_room() / 4 : 0;
        size_t piece = piece_blocks ? (size_t)piece_blocks * fs->blocksize : len;
        while (done < len && !r) {
            unsigned int want = (unsigned int)(len - done < piece ? len - done : piece), got = 0;
            long appended;              /* whole blocks past the end: as extents (ext4_append.h) */
            if (ext4_append_blocks(fs, n->ino, n->file, off + done, (uint8_t *)buf + done,
                                   want / fs->blocksize, &appended)) {
                r = err((errcode_t)appended);
                got = r ? 0 : want / fs->blocksize * fs->blocksize;
            }
            if (!r && got < want) {
                unsigned int more = 0;
                r = err(ext2fs_file_write(n->file, (uint8_t *)buf + done + got, want - got, &more));
                got += more;
            }
            done += got;
            struct ext2_inode *inode = ext2fs_file_get_inode(n->file);
            inode->i_mtime = inode->i_ctime = now_s();
            int w = write_back_locked(n->ino, n->file);
            r = settle_locked(r ? r : w);
            if (got < want)
                break;
        }
    } else {
        r = err(ext2fs_file_read(n->file, buf, (unsigned int)len, &done));
    }
    return done > 0 ? (long)done : r;
}

static long ext4_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
    libos_lock(&ext4_lock);
    long r = rw_locked(node_of(f), false, buf, len, off);
    libos_unlock(&ext4_lock);
    return r;
}

/* After a write to a file opened O_SYNC or O_DSYNC: committed at once. */
static long synced_locked(const struct file *f, long r)
{
    if (r > 0 && (f->flags & O_DSYNC)) {
        int c = commit_locked(0);
        if (c)
            return c;
    }
    return r;
}

static long ext4_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
    libos_lock(&ext4_lock);
    long r = synced_locked(f, rw_locked(node_of(f), true, (void *)buf, len, off));
    libos_unlock(&ext4_lock);
    return r;
}

static long ext4_read(struct file *f, void *buf, size_t len)
{
    libos_lock(&ext4_lock);
    long r = rw_locked(node_of(f), false, buf, len, f->pos);
    if (r > 0)
        f->pos += (uint64_t)r;
    libos_unlock(&ext4_lock);
    return r;
}

static long ext4_write(struct file *f, const void *buf, size_t len)
{
    libos_lock(&ext4_lock);
    struct ext4_node *n = node_of(f);
    if ((f->flags & O_APPEND) && fs && n->file)
        f->pos = EXT2_I_SIZE(ext2fs_file_get_inode(n->file));
    long r = rw_locked(n, true, (void *)buf, len, f->pos);
    if (r > 0)
        f->pos += (uint64_t)r;
    r = synced_locked(f, r);
    libos_unlock(&ext4_lock);
    return r;
}

static int64_t ext4_lseek(struct file *f, int64_t off, int whence)
{
    libos_lock(&ext4_lock);
    struct ext4_node *n = node_of(f);
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos
                 : whence == SEEK_END && n->file ? (int64_t)EXT2_I_SIZE(ext2fs_file_get_inode(n->file))
                 : -1;
    int64_t r = base < 0 || (off < 0 && base + off < 0) ? -EINVAL : base + off;
    if (r >= 0)
        f->pos = (uint64_t)r;
    libos_unlock(&ext4_lock);
    return r;
}

static void stat_inode(ext2_ino_t ino, const struct ext2_inode *inode, struct libos_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = EXT4_DEV;
    st->ino = ino;
    st->mode = inode->i_mode;
    st->nlink = inode->i_links_count;
    st->uid = inode_uid(*inode);
    st->gid = inode_gid(*inode);
    st->size = EXT2_I_SIZE(inode);
    st->blocks = ext2fs_get_stat_i_blocks(fs, (struct ext2_inode *)inode);
    st->blksize = fs->blocksize;
    st->atime_ns = (int64_t)inode->i_atime * 1000000000;
    st->mtime_ns = (int64_t)inode->i_mtime * 1000000000;
    st->ctime_ns = (int64_t)inode->i_ctime * 1000000000;
}

static long ext4_fstat(struct file *f, struct libos_stat *st)
{
    libos_lock(&ext4_lock);
    struct ext4_node *n = node_of(f);
    struct ext2_inode inode;
    int r = !fs ? -EIO : 0;
    if (!r && n->file)
        inode = *ext2fs_file_get_inode(n->file);
    else if (!r)
        r = err(ext2fs_read_inode(fs, n->ino, &inode));
    if (!r)
        stat_inode(n->ino, &inode, st);
    libos_unlock(&ext4_lock);
    return r;
}

static long ext4_ftruncate(struct file *f, uint64_t len)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    libos_lock(&ext4_lock);
    int r = writable_locked();
    struct ext4_node *n = node_of(f);
    if (!r && !n->file)
        r = -EIO;
    if (!r) {
        r = set_size_locked(n, len);
        struct ext2_inode *inode = ext2fs_file_get_inode(n->file);
        inode->i_mtime = inode->i_ctime = now_s();
        int w = write_back_locked(n->ino, n->file);
        r = settle_locked(r ? r : w);
    }
    libos_unlock(&ext4_lock);
    return r;
}

/* The file's data and inode, then every piece of metadata libext2fs holds
 * (bitmaps, group descriptors, superblock): with the journal, committed
 * (the commit flushes the disk); without, written home and then a flush of
 * the disk. */
static long ext4_fsync(struct file *f)
{
    libos_lock(&ext4_lock);
    struct ext4_node *n = node_of(f);
    int r = !fs ? -EIO : 0;
    if (!r && !read_only && ext4_journal_on()) {
        if (n->file)
            r = write_back_locked(n->ino, n->file);
        r = commit_locked(r);
    } else if (!r && !read_only) {
        if (n->file)
            r = write_back_locked(n->ino, n->file);
        /* The primary superblock and descriptors only: the backup copies
         * are brought up to date at the unmount. */
        fs->flags |= EXT2_FLAG_MASTER_SB_ONLY;
        if (!r)
            r = err(ext2fs_flush(fs));
        fs->flags &= ~EXT2_FLAG_MASTER_SB_ONLY;
        if (!r)
            r = ext4_disk_flush() == -EIO ? -EIO : 0;
    }
    libos_unlock(&ext4_lock);
    return r;
}

/* ---- directories ---- */
struct list_ctx {
    uint8_t *buf;
    size_t len, used;
    uint64_t index, pos;                /* entries seen; where the caller was */
    bool full;
};

static unsigned dtype_of(int ft)
{
    static const unsigned map[] = { 0, 8, 4, 2, 6, 1, 12, 10 };
    return ft >= 0 && ft < 8 ? map[ft] : 0;
}

static int list_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize,
                    char *buf, void *priv)
{
    (void)dir;
    (void)entry;
    (void)offset;
    (void)blocksize;
    (void)buf;
    struct list_ctx *c = priv;
    if (c->index++ < c->pos)
        return 0;
    if (!vfs_put_dirent(c->buf, c->len, &c->used, d->inode, (int64_t)c->index,
                        dtype_of(ext2fs_dirent_file_type(d)), d->name,
                        (size_t)ext2fs_dirent_name_len(d))) {
        c->full = true;
        c->index--;
        return DIRENT_ABORT;
    }
    return 0;
}

/* Positions count entries from the directory's start (".", ".." first). */
static long ext4_getdents64(struct file *f, void *buf, size_t len)
{
    libos_lock(&ext4_lock);
    struct list_ctx c = { .buf = buf, .len = len, .pos = f->pos };
    int r = !fs ? -EIO : err(ext2fs_dir_iterate2(fs, node_of(f)->ino, 0, NULL, list_one, &c));
    if (!r) {
        f->pos = c.index;
        if (c.used == 0 && c.full)
            r = -EINVAL;                /* the buffer cannot hold one entry */
    }
    libos_unlock(&ext4_lock);
    return r ? r : (long)c.used;
}

static const struct file_ops ext4_reg_ops = {
    .read = ext4_read, .write = ext4_write, .pread = ext4_pread, .pwrite = ext4_pwrite,
    .lseek = ext4_lseek, .fstat = ext4_fstat, .ftruncate = ext4_ftruncate,
    .fsync = ext4_fsync, .release = release,
};
static const struct file_ops ext4_dir_ops = {
    .lseek = ext4_lseek, .fstat = ext4_fstat, .getdents64 = ext4_getdents64,
    .fsync = ext4_fsync, .release = release,
};

/* ---- path operations ---- */
int ext4_stat(const char *path, bool follow, struct libos_stat *st)
{
    libos_lock(&ext4_lock);
    ext2_ino_t ino;
    struct ext2_inode inode;
    int r = walk_locked(path, follow, &ino);
    if (!r) {
        struct ext4_node *n = node_find_locked(ino);
        if (n && n->file)
            inode = *ext2fs_file_get_inode(n->file);
        else
            r = err(ext2fs_read_inode(fs, ino, &inode));
    }
    if (!r)
        stat_inode(ino, &inode, st);
    libos_unlock(&ext4_lock);
    return r;
}

/* For a call that makes path: its directory and last name, if nothing
 * (not even a link) has that name yet and the disk is writable. */
static int new_name_locked(const char *path, ext2_ino_t *dir, char name[NAME_MAX + 1])
{
    ext2_ino_t ino;
    int r = parent_locked(path, dir, name);
    if (r == -EBUSY)
        r = -EEXIST;                    /* the root */
    if (!r)
        r = lookup_locked(path, &ino) == 0 ? -EEXIST : writable_locked();
    return r;
}

int ext4_mkdir(const char *path, uint32_t mode)
{
    libos_lock(&ext4_lock);
    ext2_ino_t dir, ino;
    char name[NAME_MAX + 1];
    int r = new_name_locked(path, &dir, name);
    if (!r) {
        errcode_t e = ext2fs_mkdir(fs, dir, 0, name);
        if (e == EXT2_ET_DIR_NO_SPACE) {
            e = ext2fs_expand_dir(fs, dir);
            if (!e)
                e = ext2fs_mkdir(fs, dir, 0, name);
        }
        r = err(e);
    }
    struct ext2_inode inode;               /* libext2fs made it 0755: the caller's mode instead */
    if (!r && !lookup_locked(path, &ino) && !ext2fs_read_inode(fs, ino, &inode)) {
        inode.i_mode = (uint16_t)(LINUX_S_IFDIR | (mode & 07777 & ~vfs_umask_now()));
        r = err(ext2fs_write_inode(fs, ino, &inode));
    }
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}

static int count_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize,
                       char *buf, void *priv)
{
    (void)dir;
    (void)d;
    (void)offset;
    (void)blocksize;
    (void)buf;
    if (entry == DIRENT_OTHER_FILE) {
        *(bool *)priv = true;
        return DIRENT_ABORT;
    }
    return 0;
}

static int dir_empty_locked(ext2_ino_t ino)
{
    bool found = false;
    int r = err(ext2fs_dir_iterate2(fs, ino, 0, NULL, count_entry, &found));
    return r ? r : found ? -ENOTEMPTY : 0;
}

/* Take name (inode ino) out of dir, and drop the inode's link; a
 * directory's ".." link to dir goes too.  Frees the inode unless open. */
static int remove_locked(ext2_ino_t dir, const char *name, ext2_ino_t ino)
{
    struct ext2_inode inode;
    int r = err(ext2fs_read_inode(fs, ino, &inode));
    if (r)
        return r;
    bool isdir = LINUX_S_ISDIR(inode.i_mode);
    r = err(ext2fs_unlink(fs, dir, name, ino, 0));
    if (r)
        return r;
    if (isdir) {
        struct ext2_inode parent;
        if (!ext2fs_read_inode(fs, dir, &parent) && parent.i_links_count > 1) {
            parent.i_links_count--;
            parent.i_mtime = parent.i_ctime = now_s();
            ext2fs_write_inode(fs, dir, &parent);
        }
        inode.i_links_count = 0;
    } else if (inode.i_links_count > 0) {
        inode.i_links_count--;
    }
    struct ext4_node *n = node_find_locked(ino);
    if (inode.i_links_count == 0 && n) {
        n->unlinked = true;
        if (n->file)
            ext2fs_file_get_inode(n->file)->i_links_count = 0;
        inode.i_ctime = now_s();
        return err(ext2fs_write_inode(fs, ino, &inode));
    }
    if (inode.i_links_count == 0) {
        r = err(ext2fs_write_inode(fs, ino, &inode));
        free_inode_locked(ino);
        return r;
    }
    return err(ext2fs_write_inode(fs, ino, &inode));
}

int ext4_unlink(const char *path, bool want_dir)
{
    libos_lock(&ext4_lock);
    ext2_ino_t dir, ino;
    char name[NAME_MAX + 1];
    struct ext2_inode inode;
    int r = parent_locked(path, &dir, name);
    if (!r)
        r = lookup_locked(path, &ino);
    if (!r)
        r = writable_locked();
    if (!r)
        r = err(ext2fs_read_inode(fs, ino, &inode));
    if (!r && want_dir && !LINUX_S_ISDIR(inode.i_mode))
        r = -ENOTDIR;
    if (!r && !want_dir && LINUX_S_ISDIR(inode.i_mode))
        r = -EISDIR;
    if (!r && want_dir)
        r = dir_empty_locked(ino);
    if (!r)
        r = remove_locked(dir, name, ino);
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}

struct dotdot_ctx {
    ext2_ino_t parent;
};

static int set_dotdot(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize,
                      char *buf, void *priv)
{
    (void)dir;
    (void)offset;
    (void)blocksize;
    (void)buf;
    if (entry != DIRENT_DOT_DOT_FILE)
        return 0;
    d->inode = ((struct dotdot_ctx *)priv)->parent;
    return DIRENT_CHANGED | DIRENT_ABORT;
}

/* Is `inner` the directory `outer` or inside it?  (walks ".." up to the root) */
static bool inside_locked(ext2_ino_t inner, ext2_ino_t outer)
{
    for (int depth = 0; depth < 4096; depth++) {
        if (inner == outer)
            return true;
        if (inner == EXT2_ROOT_INO)
            return false;
        ext2_ino_t up;
        if (ext2fs_lookup(fs, inner, "..", 2, NULL, &up))
            return true;                /* unreadable: refuse the move */
        inner = up;
    }
    return true;
}

/* The new name is removed, then linked to the old inode, then the old name
 * is removed: all in one transaction with the journal, so that after a
 * power cut the new name holds the old file or the new one.  Without a
 * journal this is not atomic. */
int ext4_rename(const char *oldp, const char *newp)
{
    libos_lock(&ext4_lock);
    ext2_ino_t odir, ndir, ino, target = 0;
    char oname[NAME_MAX + 1], nname[NAME_MAX + 1];
    struct ext2_inode inode, tinode;
    int r = parent_locked(oldp, &odir, oname);
    if (!r)
        r = parent_locked(newp, &ndir, nname);
    if (!r)
        r = lookup_locked(oldp, &ino);
    if (!r)
        r = writable_locked();
    if (!r)
        r = err(ext2fs_read_inode(fs, ino, &inode));
    bool isdir = !r && LINUX_S_ISDIR(inode.i_mode);
    if (!r) {
        int t = lookup_locked(newp, &target);
        if (t == -ENOENT)
            target = 0;
        else if (t)
            r = t;
    }
    if (!r && target == ino)
        goto out;                       /* the same file: nothing to do */
    if (!r && isdir && inside_locked(ndir, ino))
        r = -EINVAL;
    if (!r && target) {
        r = err(ext2fs_read_inode(fs, target, &tinode));
        if (!r && isdir && !LINUX_S_ISDIR(tinode.i_mode))
            r = -ENOTDIR;
        if (!r && !isdir && LINUX_S_ISDIR(tinode.i_mode))
            r = -EISDIR;
        if (!r && isdir)
            r = dir_empty_locked(target);
        if (!r)
            r = remove_locked(ndir, nname, target);
    }
    if (!r)
        r = link_locked(ndir, nname, ino, file_type(inode.i_mode));
    if (!r)
        r = err(ext2fs_unlink(fs, odir, oname, ino, 0));
    if (!r && isdir && odir != ndir) {
        struct dotdot_ctx c = { ndir };
        r = err(ext2fs_dir_iterate2(fs, ino, 0, NULL, set_dotdot, &c));
        struct ext2_inode p;
        if (!r && !ext2fs_read_inode(fs, odir, &p)) {
            p.i_links_count--;
            ext2fs_write_inode(fs, odir, &p);
        }
        if (!r && !ext2fs_read_inode(fs, ndir, &p)) {
            p.i_links_count++;
            ext2fs_write_inode(fs, ndir, &p);
        }
    }
out:
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}

int ext4_truncate(const char *path, uint64_t len)
{
    struct file *f;
    int r = ext4_open(path, O_WRONLY, 0, &f);
    if (r)
        return r;
    r = (int)ext4_ftruncate(f, len);
    libos_file_put(f);
    return r;
}

/* The inode of an open file is its handle's copy: change that one (it is
 * what gets written back), else the inode on the disk. */
static int set_meta_locked(ext2_ino_t ino, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{
    struct ext2_inode disk_inode, *inode = &disk_inode;
    int r = writable_locked();
    struct ext4_node *n = r ? NULL : node_find_locked(ino);
    if (n && n->file)
        inode = ext2fs_file_get_inode(n->file);
    else if (!r)
        r = err(ext2fs_read_inode(fs, ino, inode));
    if (r)
        return r;
    uint32_t now = now_s();
    if (mode >= 0)
        inode->i_mode = (uint16_t)((inode->i_mode & LINUX_S_IFMT) | ((uint32_t)mode & 07777));
    if (atime_ns != VFS_TIME_OMIT)
        inode->i_atime = atime_ns == VFS_TIME_NOW ? now : (uint32_t)(atime_ns / 1000000000);
    if (mtime_ns != VFS_TIME_OMIT)
        inode->i_mtime = mtime_ns == VFS_TIME_NOW ? now : (uint32_t)(mtime_ns / 1000000000);
    inode->i_ctime = now;
    return err(ext2fs_write_inode(fs, ino, inode));
}

int ext4_set_meta(const char *path, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{
    libos_lock(&ext4_lock);
    ext2_ino_t ino;
    int r = walk_locked(path, true, &ino);
    if (!r)
        r = set_meta_locked(ino, mode, atime_ns, mtime_ns);
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}

int ext4_file_set_meta(struct file *f, int32_t mode, int64_t atime_ns, int64_t mtime_ns)
{
    libos_lock(&ext4_lock);
    int r = settle_locked(fs ? set_meta_locked(node_of(f)->ino, mode, atime_ns, mtime_ns) : -EIO);
    libos_unlock(&ext4_lock);
    return r;
}

/* ---- links ---- */
long ext4_readlink(const char *path, char *buf, size_t size)
{
    libos_lock(&ext4_lock);
    ext2_ino_t ino;
    struct ext2_inode inode;
    char target[PATH_MAX];
    long r = walk_locked(path, false, &ino);
    if (!r)
        r = err(ext2fs_read_inode(fs, ino, &inode));
    if (!r && !LINUX_S_ISLNK(inode.i_mode))
        r = -EINVAL;
    if (!r)
        r = link_target_locked(ino, &inode, target, sizeof target);
    if (r > 0) {
        if ((size_t)r > size)
            r = (long)size;             /* cut, no NUL: as readlink does */
        memcpy(buf, target, (size_t)r);
    }
    libos_unlock(&ext4_lock);
    return r;
}

int ext4_symlink(const char *target, const char *path)
{
    libos_lock(&ext4_lock);
    ext2_ino_t dir;
    char name[NAME_MAX + 1];
    int r = new_name_locked(path, &dir, name);
    if (!r && strlen(target) >= fs->blocksize)
        r = -ENAMETOOLONG;              /* a link's target fits in one block */
    if (!r) {
        errcode_t e = ext2fs_symlink(fs, dir, 0, name, target);
        if (e == EXT2_ET_DIR_NO_SPACE) {
            e = ext2fs_expand_dir(fs, dir);
            if (!e)
                e = ext2fs_symlink(fs, dir, 0, name, target);
        }
        r = err(e);
    }
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}

/* A hard link: newp becomes another name of oldp's inode (not a
 * directory's); follow: oldp's last link is followed (AT_SYMLINK_FOLLOW). */
int ext4_link(const char *oldp, const char *newp, bool follow)
{
    libos_lock(&ext4_lock);
    ext2_ino_t ino, dir;
    char name[NAME_MAX + 1];
    struct ext2_inode disk_inode, *inode = &disk_inode;
    int r = walk_locked(oldp, follow, &ino);
    if (!r)
        r = err(ext2fs_read_inode(fs, ino, &disk_inode));
    if (!r && LINUX_S_ISDIR(disk_inode.i_mode))
        r = -EPERM;
    if (!r)
        r = new_name_locked(newp, &dir, name);
    if (!r && disk_inode.i_links_count >= EXT4_LINK_MAX)
        r = -EMLINK;
    if (!r)
        r = link_locked(dir, name, ino, file_type(disk_inode.i_mode));
    if (!r) {
        struct ext4_node *n = node_find_locked(ino);
        if (n && n->file)
            inode = ext2fs_file_get_inode(n->file);     /* the open file's copy is the newest */
        inode->i_links_count++;
        inode->i_ctime = now_s();
        r = err(ext2fs_write_inode(fs, ino, inode));
    }
    r = settle_locked(r);
    libos_unlock(&ext4_lock);
    return r;
}
