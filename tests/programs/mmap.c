/* mmap.c - files mapped private and shared (run with --files
 * tests/programs/files-data): a private mapping holds the file's bytes and
 * zeros past its end, and its stores stay private; a shared mapping of a
 * /tmp file sees write()s and read() sees its stores, two shared mappings
 * of one file see each other, msync returns 0; refused: an unaligned
 * offset (EINVAL), a shared writable mapping of an archive file or of a
 * read-only descriptor (EACCES).  Prints one line per check and
 * "mmap: all N checks passed"; exits 1 if any failed.  Also runs on Linux:
 * `mmap DIR` takes greeting.txt from DIR instead of /.  On freebeam (uname's
 * release says so) also what differs from Linux: whole pages past the end
 * read zero (no SIGBUS), and a file cannot grow past the capacity reserved
 * when it was mapped shared (EFBIG) until it is unmapped. */
#define _GNU_SOURCE     /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PG 4096
static int passed, failed;

static void check(int ok, const char *what)
{
    printf("mmap: %s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 251 + 1);
}

static void archive(const char *dir)
{
    static const char want[] = "hello from the archive\n";
    size_t wl = sizeof want - 1;
    char path[256];
    snprintf(path, sizeof path, "%s/greeting.txt", dir);
    int fd = open(path, O_RDONLY);
    check(fd >= 0, "open greeting.txt");
    if (fd < 0)
        return;
    /* (Linux raises SIGBUS on a page wholly past the end: one page only.) */
    unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(p != MAP_FAILED, "archive file: MAP_PRIVATE");
    if (p != MAP_FAILED) {
        check(memcmp(p, want, wl) == 0, "archive file, private: the file's bytes");
        check(all_zero(p + wl, PG - wl), "archive file, private: zeros past the end of the file");
        memcpy(p, "HELLO", 5);
        char buf[32] = { 0 };
        check(pread(fd, buf, sizeof buf - 1, 0) == (ssize_t)wl && strcmp(buf, want) == 0,
              "archive file, private: a store is not seen by read()");
        check(munmap(p, PG) == 0, "archive file, private: munmap");
    }
    errno = 0;
    check(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES,
          "archive file: MAP_SHARED with PROT_WRITE gives EACCES");
    p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
    check(p != MAP_FAILED && memcmp(p, want, wl) == 0, "archive file: MAP_SHARED read-only holds the file");
    if (p != MAP_FAILED)
        munmap(p, PG);
    errno = 0;
    check(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL,
          "an offset that is not page aligned gives EINVAL");
    close(fd);
}

static void tmpfs(void)
{
    const size_t flen = 3 * PG + 100, mlen = 4 * PG;
    static unsigned char data[3 * PG + 100];
    for (size_t i = 0; i < flen; i++)
        data[i] = pattern(i);
    int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, data, flen) == (ssize_t)flen, "/tmp/mapped: 3 pages and 100 bytes written");
    if (fd < 0)
        return;

    /* Private: a copy. */
    unsigned char *v = mmap(NULL, mlen, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(v != MAP_FAILED, "tmpfs file: MAP_PRIVATE");
    if (v != MAP_FAILED) {
        check(memcmp(v, data, flen) == 0 && all_zero(v + flen, mlen - flen),
              "tmpfs file, private: the file's bytes, then zeros");
        v[10] = 0xEE;
        unsigned char c = 0;
        check(pread(fd, &c, 1, 10) == 1 && c == pattern(10), "tmpfs file, private: a store stays private");
        munmap(v, mlen);
    }
    unsigned char *o = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
    check(o != MAP_FAILED && memcmp(o, data + 2 * PG, PG) == 0, "tmpfs file, private at offset 2 pages");
    if (o != MAP_FAILED)
        munmap(o, PG);

    /* Shared: the file itself. */
    unsigned char *p = mmap(NULL, mlen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check(p != MAP_FAILED, "tmpfs file: MAP_SHARED read-write");
    if (p == MAP_FAILED) {
        close(fd);
        return;
    }
    check(memcmp(p, data, flen) == 0, "tmpfs file, shared: the file's bytes");
    check(pwrite(fd, "written", 7, 5000) == 7 && memcmp(p + 5000, "written", 7) == 0,
          "tmpfs file, shared: a pwrite() is seen in the mapping");
    memcpy(p + 100, "stored", 6);
    char buf[8] = { 0 };
    check(pread(fd, buf, 6, 100) == 6 && memcmp(buf, "stored", 6) == 0,
          "tmpfs file, shared: a store is seen by pread()");
    check(lseek(fd, 200, SEEK_SET) == 200 && write(fd, "via write", 9) == 9 && memcmp(p + 200, "via write", 9) == 0,
          "tmpfs file, shared: a write() is seen in the mapping");
    unsigned char *q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    check(q != MAP_FAILED, "tmpfs file: a second shared mapping, at offset 1 page");
    if (q != MAP_FAILED) {
        q[1] = 'Q';
        p[PG + 2] = 'P';
        check(p[PG + 1] == 'Q' && q[2] == 'P', "two shared mappings of one file see each other's stores");
    }
    /* Growth within the mapping: appended bytes show. */
    check(lseek(fd, 0, SEEK_END) == (off_t)flen && write(fd, "tail", 4) == 4 && memcmp(p + flen, "tail", 4) == 0,
          "tmpfs file, shared: bytes appended by write() show in the mapping");
    check(msync(p, mlen, MS_SYNC) == 0 && msync(p, PG, MS_ASYNC) == 0 && msync(p, mlen, MS_INVALIDATE) == 0,
          "msync MS_SYNC, MS_ASYNC, MS_INVALIDATE return 0");
    errno = 0;
    check(msync(p, PG, MS_SYNC | MS_ASYNC) == -1 && errno == EINVAL, "msync with MS_SYNC|MS_ASYNC gives EINVAL");
    errno = 0;
    check(msync(p + 1, PG, MS_SYNC) == -1 && errno == EINVAL, "msync of an unaligned address gives EINVAL");
    unsigned char *anon = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(anon != MAP_FAILED && all_zero(anon, 2 * PG) && munmap(anon, 2 * PG) == 0,
          "an anonymous mapping comes and goes beside shared file mappings");
    check(madvise(p, mlen, MADV_DONTNEED) == 0 && p[100] == 's' && p[5000] == 'w',
          "madvise MADV_DONTNEED keeps a shared file mapping's bytes");
    check(munmap(p + PG, PG) == 0 && p[0] == pattern(0) && p[2 * PG] == pattern(2 * PG),
          "munmap of a page in the middle of a shared mapping");
    check(munmap(p, mlen) == 0, "munmap of the whole first shared mapping");
    anon = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anon != MAP_FAILED)
        memset(anon, 0xAA, 4 * PG);
    if (q != MAP_FAILED) {
        check(q[0] == pattern(PG) && q[1] == 'Q' && q[PG] == pattern(2 * PG),
              "the second shared mapping still holds the file");
        unsigned char c = 0;
        check(pread(fd, &c, 1, PG + 1) == 1 && c == 'Q', "the file still holds what was stored");
        check(munmap(q, 2 * PG) == 0, "munmap of the second shared mapping");
    }
    if (anon != MAP_FAILED)
        munmap(anon, 4 * PG);
    close(fd);

    /* A read-only descriptor: shared writable refused, shared readable fine. */
    fd = open("/tmp/mapped", O_RDONLY);
    errno = 0;
    check(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES,
          "MAP_SHARED with PROT_WRITE of an O_RDONLY descriptor gives EACCES");
    p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
    check(p != MAP_FAILED && p[100] == 's' && p[1] == pattern(1), "MAP_SHARED read-only of an O_RDONLY descriptor");
    close(fd);
    /* The mapping outlives the descriptor and the name. */
    check(unlink("/tmp/mapped") == 0, "unlink of the mapped file");
    if (p != MAP_FAILED) {
        check(p[200] == 'v' && p[0] == pattern(0), "the mapping outlives its descriptor and name");
        munmap(p, PG);
    }
    fd = open("/tmp/wronly", O_WRONLY | O_CREAT, 0644);
    errno = 0;
    check(fd >= 0 && mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EACCES,
          "mmap of an O_WRONLY descriptor gives EACCES");
    close(fd);
    unlink("/tmp/wronly");
}

static void devzero(void)
{
    int fd = open("/dev/zero", O_RDWR);
    unsigned char *z = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(z != MAP_FAILED && all_zero(z, 2 * PG), "/dev/zero, private: zeros");
    if (z != MAP_FAILED)
        munmap(z, 2 * PG);
    close(fd);
    errno = 0;
    check(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 1000, 0) == MAP_FAILED && errno == EBADF,
          "mmap of a closed descriptor gives EBADF");
}

/* docs/posix.md, mmap2: what freebeam does where Linux differs. */
static void freebeam_only(void)
{
    int fd = open("/greeting.txt", O_RDONLY);
    unsigned char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    check(p != MAP_FAILED && p[0] == 'h' && all_zero(p + 23, 2 * PG - 23),
          "freebeam: a private mapping reads zero on whole pages past the end of the file");
    if (p != MAP_FAILED)
        munmap(p, 2 * PG);
    close(fd);

    static char big[2 * PG];
    memset(big, 'b', sizeof big);
    fd = open("/tmp/pinned", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check(write(fd, "0123456789", 10) == 10, "freebeam: /tmp/pinned: 10 bytes");
    p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check(p != MAP_FAILED, "freebeam: /tmp/pinned mapped shared, 1 page");
    if (p == MAP_FAILED)
        return;
    check(pwrite(fd, big, sizeof big, 0) == PG && p[PG - 1] == 'b',
          "freebeam: a write past the mapped capacity is cut short at it");
    errno = 0;
    check(pwrite(fd, big, 1, PG) == -1 && errno == EFBIG, "freebeam: a write at the capacity gives EFBIG");
    errno = 0;
    check(ftruncate(fd, 2 * PG) == -1 && errno == EFBIG, "freebeam: ftruncate past the capacity gives EFBIG");
    check(ftruncate(fd, 100) == 0, "freebeam: ftruncate down while mapped");
    p[200] = 'x';   /* past the end of the file, inside the mapping */
    struct stat st;
    check(ftruncate(fd, 300) == 0 && fstat(fd, &st) == 0 && st.st_size == 300 && p[200] == 0,
          "freebeam: growing the file zeroes what a store past its end left");
    errno = 0;
    check(mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
          errno == EINVAL, "freebeam: MAP_FIXED over a shared file mapping gives EINVAL");
    errno = 0;
    check(mremap(p, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM,
          "freebeam: mremap of a shared file mapping past the file's room gives ENOMEM");
    check(munmap(p, PG) == 0 && ftruncate(fd, 2 * PG) == 0 && pwrite(fd, big, 1, 2 * PG) == 1,
          "freebeam: unmapped, the file grows again");
    close(fd);
    unlink("/tmp/pinned");
}

int main(int argc, char **argv)
{
    archive(argc > 1 ? argv[1] : "");
    tmpfs();
    devzero();
    struct utsname u;
    if (uname(&u) == 0 && strstr(u.release, "freebeam"))
        freebeam_only();
    if (failed) {
        printf("mmap: %d of %d checks failed\n", failed, passed + failed);
        return 1;
    }
    printf("mmap: all %d checks passed\n", passed);
    return 0;
}
