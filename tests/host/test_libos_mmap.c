/*
 * test_libos_mmap.c - host unit tests of file mappings (libos/vfs_map.c)
 * and the tmpfs side of them (pinning in libos/vfs_tmpfs.c): what mmap of each
 * kind of file must do, a shared mapping being the file's own memory
 * (coherent with pread/pwrite both ways), reservation and pinning (the data
 * never moves or is freed while mapped; growth past the capacity is a
 * short write, then EFBIG), truncation and unlinking of a mapped file,
 * layers (two mmaps of one range, each munmap drops one), partial unmaps
 * and splits, the gaps munmap may release, mremap of a record, and the
 * [size, cap) invariant restored by the last unmap.  The heap side
 * (sys_mm.c) is exercised in a PD by tests/programs/mmap.c.
 */
#include "libos_host.h"
#include "ext4_stub.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "check.h"
#include "../../libos/file.c"
#include "../../libos/cpio.c"
#include "../../libos/vfs.c"
#include "../../libos/vfs_alloc.c"
#include "../../libos/vfs_walk.c"
#include "../../libos/vfs_tmpfs.c"
#include "../../libos/vfs_ns.c"
#include "../../libos/vfs_archive.c"
#include "../../libos/vfs_dev.c"
#include "../../libos/tty.c"
#include "../../libos/vfs_map.c"
#include "../../libos/sys_file.c"
#include "../../libos/sys_file_path.c"

#define PG 4096u
#define L(x) ((long)(uintptr_t)(x))
static long s_open(const char *p, long fl) { return sys_open(L(p), fl, 0644, 0, 0, 0); }
static long s_close(long fd) { return sys_close(fd, 0, 0, 0, 0, 0); }
static long s_unlink(const char *p) { return sys_unlink(L(p), 0, 0, 0, 0, 0); }
static long s_pread(long fd, void *b, size_t n, uint64_t off)
{
    return sys_pread64(fd, L(b), (long)n, 0, (long)(uint32_t)off, (long)(uint32_t)(off >> 32));
}
static long s_pwrite(long fd, const void *b, size_t n, uint64_t off)
{
    return sys_pwrite64(fd, L(b), (long)n, 0, (long)(uint32_t)off, (long)(uint32_t)(off >> 32));
}
static long s_ftrunc(long fd, uint64_t len)
{
    return sys_ftruncate64(fd, 0, (long)(uint32_t)len, (long)(uint32_t)(len >> 32), 0, 0);
}

/* The open file and node behind a descriptor (the test holds the fd). */
static struct file *file_of(long fd)
{
    struct file *f = libos_fd_get((int)fd);
    libos_file_put(f);
    return f;
}

static struct vnode *node_of(long fd)
{
    return vfs_file_node(file_of(fd));
}

static long kind(long fd, long prot, long flags)
{
    return vfs_map_kind(file_of(fd), prot, flags);
}

static long map(long fd, uint64_t off, size_t len)
{
    return vfs_map_shared(file_of(fd), off, len, 0);
}

static void unmap(uintptr_t s, size_t len)
{
    libos_lock(&vfs_lock);
    vfs_unmap_locked(s, s + len);
    libos_unlock(&vfs_lock);
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* One cpio newc entry (a regular file), then the trailer. */
static size_t cpio_put(uint8_t *out, const char *name, const char *data, uint32_t mode)
{
    size_t nl = strlen(name) + 1, dl = data ? strlen(data) : 0, o;
    o = (size_t)sprintf((char *)out, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                        1u, mode, 0u, 0u, 1u, 0u, (unsigned)dl, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    memcpy(out + o, name, nl);
    o = (o + nl + 3) & ~(size_t)3;
    if (dl)
        memcpy(out + o, data, dl);
    return (o + dl + 3) & ~(size_t)3;
}

static uint8_t arc[1024];

static void test_kinds(void)
{
    size_t n = cpio_put(arc, "ro.txt", "archived bytes", S_IFREG | 0644);
    n += cpio_put(arc + n, "TRAILER!!!", NULL, 0);
    CHECK(libos_mount_archive(arc, n, "/arc") == 0);

    long rw = s_open("/tmp/k", O_RDWR | O_CREAT);
    long ro = s_open("/tmp/k", O_RDONLY);
    long wo = s_open("/tmp/k", O_WRONLY);
    long ap = s_open("/tmp/k", O_RDWR | O_APPEND);
    long ar = s_open("/arc/ro.txt", O_RDONLY);
    long zero = s_open("/dev/zero", O_RDWR), null = s_open("/dev/null", O_RDWR);
    long dir = s_open("/tmp", O_RDONLY | O_DIRECTORY), path = s_open("/tmp/k", O_PATH);
    CHECK(rw >= 0 && ro >= 0 && wo >= 0 && ap >= 0 && ar >= 0 && zero >= 0 && null >= 0 && dir >= 0 && path >= 0);
    long RW = PROT_READ | PROT_WRITE;
    CHECK(kind(rw, RW, MAP_SHARED) == VFS_MAP_SHARED);
    CHECK(kind(rw, RW, MAP_SHARED_VALIDATE) == VFS_MAP_SHARED);
    CHECK(kind(rw, RW, MAP_PRIVATE) == VFS_MAP_COPY);
    CHECK(kind(ro, PROT_READ, MAP_SHARED) == VFS_MAP_SHARED);
    CHECK(kind(ro, RW, MAP_SHARED) == -EACCES);         /* shared writable needs O_RDWR */
    CHECK(kind(ro, RW, MAP_PRIVATE) == VFS_MAP_COPY);   /* private writable does not */
    CHECK(kind(wo, PROT_WRITE, MAP_SHARED) == -EACCES); /* never without read access */
    CHECK(kind(wo, PROT_READ, MAP_PRIVATE) == -EACCES);
    CHECK(kind(ap, RW, MAP_SHARED) == -EACCES);         /* O_APPEND: Linux says EACCES */
    CHECK(kind(ap, PROT_READ, MAP_SHARED) == VFS_MAP_SHARED);
    CHECK(kind(ar, RW, MAP_SHARED) == -EACCES);         /* an archive is a read-only fs */
    CHECK(kind(ar, PROT_READ, MAP_SHARED) == VFS_MAP_COPY);
    CHECK(kind(ar, RW, MAP_PRIVATE) == VFS_MAP_COPY);
    CHECK(kind(zero, RW, MAP_PRIVATE) == VFS_MAP_ANON);
    CHECK(kind(zero, RW, MAP_SHARED) == VFS_MAP_ANON);
    CHECK(kind(null, PROT_READ, MAP_PRIVATE) == -ENODEV);
    CHECK(kind(dir, PROT_READ, MAP_PRIVATE) == -ENODEV);
    CHECK(kind(path, PROT_READ, MAP_PRIVATE) == -EBADF);
    CHECK(kind(rw, PROT_READ, 0) == -EINVAL);           /* neither shared nor private */
    CHECK(kind(rw, PROT_READ, 0x04) == -EINVAL);
    CHECK(vfs_map_shared(file_of(rw), 100, PG, 0) == -EINVAL);   /* unaligned offset */
    long fds[] = { rw, ro, wo, ap, ar, zero, null, dir, path };
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
        s_close(fds[i]);
    s_unlink("/tmp/k");
}

static void test_coherent_and_pinned(void)
{
    long base = host_pages_out;
    long fd = s_open("/tmp/m", O_RDWR | O_CREAT | O_TRUNC);
    CHECK(s_pwrite(fd, "0123456789", 10, 0) == 10);
    struct vnode *n = node_of(fd);
    CHECK(n->cap == PG && n->maps == 0);

    /* Mapping 3 pages reserves them: the data moves (not pinned yet). */
    long a = map(fd, 0, 3 * PG - 5);
    CHECK(a > 0 && (uintptr_t)a == (uintptr_t)n->data && n->cap == 3 * PG && n->maps == 1);
    CHECK(vfs_nmaps == 1);
    uint8_t *p = (uint8_t *)a;
    CHECK(memcmp(p, "0123456789", 10) == 0 && all_zero(p + 10, 3 * PG - 10));

    /* Coherent both ways. */
    CHECK(s_pwrite(fd, "abc", 3, 5000) == 3 && memcmp(p + 5000, "abc", 3) == 0);
    CHECK(all_zero(p + 10, 5000 - 10));         /* the gap a write opens reads zero */
    memcpy(p + 2, "XY", 2);
    char b[4] = { 0 };
    CHECK(s_pread(fd, b, 3, 1) == 3 && memcmp(b, "1XY", 3) == 0);

    /* A second mapping of a part: the same memory. */
    long a2 = map(fd, PG, PG);
    CHECK(a2 == a + (long)PG && n->maps == 2 && vfs_nmaps == 2);
    /* Past the reservation while pinned: the data cannot move. */
    uint8_t *old = n->data;
    CHECK(map(fd, 0, 4 * PG) == -ENOMEM && n->data == old && n->maps == 2);

    /* Growth: a short write up to the capacity, then EFBIG; ftruncate EFBIG. */
    static uint8_t big[2 * PG];
    memset(big, 'b', sizeof big);
    CHECK(s_pwrite(fd, big, sizeof big, 2 * PG) == (long)PG && n->size == 3 * PG && p[3 * PG - 1] == 'b');
    CHECK(s_pwrite(fd, big, 1, 3 * PG) == -EFBIG);
    CHECK(s_ftrunc(fd, 3 * PG + 1) == -EFBIG && n->data == old);
    CHECK(strstr(host_console, "cannot grow past its capacity while it is mapped shared (EFBIG)") != NULL);

    /* Truncating to 0 keeps the (pinned) run, zeroed. */
    CHECK(s_ftrunc(fd, 0) == 0 && n->data == old && n->cap == 3 * PG && all_zero(p, 3 * PG));
    /* A store past the end, then growth: the exposed bytes read zero. */
    p[100] = 'z';
    p[PG + 7] = 'y';
    CHECK(s_ftrunc(fd, 50) == 0 && p[100] == 'z');       /* not exposed yet */
    CHECK(s_ftrunc(fd, 200) == 0 && p[100] == 0);
    CHECK(s_pwrite(fd, "w", 1, PG + 10) == 1 && p[PG + 7] == 0 && p[PG + 10] == 'w');

    /* Closed and unlinked: the mappings keep the file. */
    s_close(fd);
    CHECK(s_unlink("/tmp/m") == 0);
    CHECK(n->nlink == 0 && n->opens == 0 && n->data == old);
    p[0] = 'k';
    unmap((uintptr_t)a2, PG);
    if (!CHECK(n->maps == 1 && vfs_nmaps == 1 && p[0] == 'k'))
        printf("    maps %u nmaps %u p0 %d\n", n->maps, vfs_nmaps, p[0]);
    unmap((uintptr_t)a, 3 * PG);
    CHECK(vfs_nmaps == 0);
    CHECK(host_pages_out == base);               /* node and data freed */
}

static void test_layers_and_gaps(void)
{
    long fd = s_open("/tmp/l", O_RDWR | O_CREAT | O_TRUNC);
    CHECK(s_ftrunc(fd, 4 * PG) == 0);
    struct vnode *n = node_of(fd);
    long a = map(fd, 0, 4 * PG), b = map(fd, 0, 4 * PG);
    uintptr_t s = (uintptr_t)a, e = s + 4 * PG, gs, ge;
    CHECK(a > 0 && a == b && n->maps == 2);
    /* Two layers: one munmap leaves the other. */
    unmap(s, 4 * PG);
    CHECK(n->maps == 1 && vfs_nmaps == 1);
    /* A munmap in the middle splits the record. */
    unmap(s + PG, PG);
    CHECK(n->maps == 2 && vfs_nmaps == 2);
    CHECK(!vfs_map_gap_locked(s, e, &gs, &ge));          /* every page is still the file's */
    libos_lock(&vfs_lock);
    CHECK(vfs_map_overlaps_locked(s + PG, s + 2 * PG));  /* the hole too: MAP_FIXED refused */
    CHECK(!vfs_map_overlaps_locked(e, e + PG));
    libos_unlock(&vfs_lock);
    /* Gaps around the file's run are the caller's own pages. */
    CHECK(vfs_map_gap_locked(s - 2 * PG, e + PG, &gs, &ge) && gs == s - 2 * PG && ge == s);
    CHECK(vfs_map_gap_locked(s, e + PG, &gs, &ge) && gs == e && ge == e + PG);
    /* Unmapping over the hole again drops nothing more than the pieces. */
    unmap(s, 2 * PG);
    CHECK(n->maps == 1);
    /* mremap: only a whole record; shrink, then grow within the capacity. */
    libos_lock(&vfs_lock);
    CHECK(vfs_remap_locked(s + 2 * PG, PG, PG) == -EINVAL);            /* part of a record */
    CHECK(vfs_remap_locked(s + 2 * PG, 2 * PG, PG) == (long)(s + 2 * PG));
    CHECK(vfs_remap_locked(s + 2 * PG, PG, 3 * PG) == -ENOMEM);        /* past the file's run */
    CHECK(vfs_remap_locked(s + 2 * PG, PG, 2 * PG) == (long)(s + 2 * PG));
    libos_unlock(&vfs_lock);
    /* A store past the end is gone once nothing maps the file. */
    CHECK(s_ftrunc(fd, 10) == 0);
    ((uint8_t *)s)[3 * PG] = 'q';
    unmap(s + 2 * PG, 2 * PG);
    CHECK(n->maps == 0 && vfs_nmaps == 0 && all_zero(n->data + 10, n->cap - 10));
    /* Unpinned, the file grows (moves) again. */
    CHECK(s_ftrunc(fd, 64 * PG) == 0 && n->cap >= 64 * PG);
    s_close(fd);
    s_unlink("/tmp/l");
}

static void test_table_full(void)
{
    long fd = s_open("/tmp/t", O_RDWR | O_CREAT | O_TRUNC);
    CHECK(s_ftrunc(fd, 3 * PG) == 0);
    long a = 0, r = 0;
    unsigned got = 0;
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        if ((r = map(fd, 0, 3 * PG)) > 0)
            got++, a = r;
    CHECK(got == VFS_MAX_MAPS && vfs_nmaps == VFS_MAX_MAPS);
    CHECK(map(fd, 0, PG) == -ENOMEM);                    /* Linux: ENOMEM past the map count */
    /* A split with no free record keeps the mapping whole. */
    struct vnode *n = node_of(fd);
    unmap((uintptr_t)a + PG, PG);
    CHECK(n->maps == VFS_MAX_MAPS && strstr(host_console, "mapping table full") != NULL);
    for (unsigned i = 0; i < VFS_MAX_MAPS; i++)
        unmap((uintptr_t)a, 3 * PG);
    CHECK(n->maps == 0 && vfs_nmaps == 0);
    s_close(fd);
    s_unlink("/tmp/t");
}

int main(void)
{
    libos_files_init();
    test_kinds();
    test_coherent_and_pinned();
    test_layers_and_gaps();
    test_table_full();
    return check_report("test_libos_mmap");
}
