/*
 * test_libos_cpio.c - host unit tests of libos's cpio newc reader
 * (libos/cpio.c): members, padding, the trailer, and every malformed
 * header it must refuse without reading outside the blob.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "../../libos/cpio.c"

static unsigned char arc[8192];
static size_t arc_len;

static void put_member(const char *magic, const char *name, uint32_t mode, const void *data,
                       size_t size)
{
    char h[111];
    size_t nl = strlen(name) + 1;
    snprintf(h, sizeof h, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
             7u, mode, 0u, 0u, 1u, 1700000000u, (unsigned)size, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    memcpy(arc + arc_len, h, 110);
    arc_len += 110;
    memcpy(arc + arc_len, name, nl);
    arc_len += nl;
    while (arc_len % 4)
        arc[arc_len++] = 0;
    memcpy(arc + arc_len, data, size);
    arc_len += size;
    while (arc_len % 4)
        arc[arc_len++] = 0;
}

static void build(void)
{
    memset(arc, 0, sizeof arc);
    arc_len = 0;
    put_member("070701", ".", S_IFDIR | 0755, "", 0);
    put_member("070701", "./a.txt", S_IFREG | 0644, "hello", 5);
    put_member("070702", "dir/b", S_IFREG | 0600, "xyz", 3);
    put_member("070701", "TRAILER!!!", 0, "", 0);
}

static void test_good(void)
{
    build();
    struct cpio_iter it;
    struct cpio_entry e;
    cpio_iter_init(&it, arc, arc_len + 300);    /* cpio pads with zeros to 512 */
    CHECK(cpio_next(&it, &e) == 1);
    CHECK_STR(e.name, ".");
    CHECK(S_ISDIR(e.mode) && e.size == 0);
    CHECK(cpio_next(&it, &e) == 1);
    CHECK_STR(e.name, "./a.txt");
    CHECK(e.namelen == 7 && e.size == 5 && memcmp(e.data, "hello", 5) == 0);
    CHECK(e.mode == (S_IFREG | 0644) && e.mtime == 1700000000u && e.ino == 7);
    CHECK(cpio_next(&it, &e) == 1);
    CHECK_STR(e.name, "dir/b");
    CHECK(e.size == 3 && memcmp(e.data, "xyz", 3) == 0);
    CHECK(cpio_next(&it, &e) == 0);
    CHECK(cpio_next(&it, &e) == -EINVAL);       /* after the end */
}

static int walk_all(size_t len)
{
    struct cpio_iter it;
    struct cpio_entry e;
    int r;
    cpio_iter_init(&it, arc, len);
    while ((r = cpio_next(&it, &e)) == 1)
        ;
    return r;
}

static void test_bad(void)
{
    build();
    /* Every truncation before the trailer is refused. */
    int ok = 1;
    size_t trailer_at = arc_len - 124;
    for (size_t l = 0; l < trailer_at + 110; l++)
        ok &= walk_all(l) == -EINVAL;
    CHECK(ok);
    CHECK(walk_all(arc_len) == 0);
    CHECK(walk_all(0) == -EINVAL);
    struct cpio_iter it;
    struct cpio_entry e;
    cpio_iter_init(&it, NULL, 100);
    CHECK(cpio_next(&it, &e) == -EINVAL);

    build();
    arc[5] = '7';                               /* old or odd magic */
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    arc[6 + 8] = 'g';                           /* not hex */
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    memcpy(arc + 6 + 8 * 11, "00000000", 8);    /* namesize 0 */
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    memcpy(arc + 6 + 8 * 11, "FFFFFFFF", 8);    /* name past the end */
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    arc[110 + 1] = 'x';                         /* "." loses its NUL */
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    /* The second member's size runs past the end. */
    memcpy(arc + 112 + 6 + 8 * 6, "7FFFFFFF", 8);
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    memcpy(arc + 112 + 6 + 8 * 6, "FFFFFFFF", 8);
    CHECK(walk_all(arc_len) == -EINVAL);
    build();
    /* An embedded NUL in a name. */
    arc[112 + 110 + 3] = 0;
    CHECK(walk_all(arc_len) == -EINVAL);
}

static void test_component(void)
{
    const char *s = "./a//./bc/", *p = s, *c;
    size_t n = cpio_component(&p, s + strlen(s), &c);
    CHECK(n == 1 && c[0] == 'a');
    n = cpio_component(&p, s + strlen(s), &c);
    CHECK(n == 2 && memcmp(c, "bc", 2) == 0);
    CHECK(cpio_component(&p, s + strlen(s), &c) == 0);
    s = ".";
    p = s;
    CHECK(cpio_component(&p, s + 1, &c) == 0);
}

int main(void)
{
    test_good();
    test_bad();
    test_component();
    return check_report("test_libos_cpio");
}
