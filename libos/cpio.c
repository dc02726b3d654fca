/*
 * cpio.c - the newc archive reader (see cpio.h).
 */
#include "cpio.h"
#include <errno.h>
#include <string.h>

#define HDR_LEN 110

void cpio_iter_init(struct cpio_iter *it, const void *blob, size_t len)
{
    it->blob = blob;
    it->len = blob ? len : 0;
    it->off = 0;
}

/* 8 hex digits; -1 if any is not a hex digit. */
static int64_t hex8(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t c = p[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10u;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10u;
        else
            return -1;
        v = v << 4 | d;
    }
    return v;
}

static inline size_t pad4(size_t x)
{
    return (x + 3) & ~(size_t)3;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
    size_t off = it->off;
    if (off > it->len || it->len - off < HDR_LEN)
        return -EINVAL;
    const uint8_t *h = it->blob + off;
    if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
        return -EINVAL;
    uint32_t f[13];
    for (int i = 0; i < 13; i++) {
        int64_t v = hex8(h + 6 + 8 * i);
        if (v < 0)
            return -EINVAL;
        f[i] = (uint32_t)v;
    }
    size_t namesize = f[11], filesize = f[6];
    size_t rest = it->len - off - HDR_LEN;
    if (namesize == 0 || namesize > rest)
        return -EINVAL;
    const char *name = (const char *)h + HDR_LEN;
    if (name[namesize - 1] != '\0' || memchr(name, '\0', namesize - 1))
        return -EINVAL;
    size_t data_off = pad4(HDR_LEN + namesize);        /* from the header */
    if (data_off > it->len - off)
        return -EINVAL;
    if (strcmp(name, "TRAILER!!!") == 0) {
        it->off = it->len;      /* anything after (cpio pads to 512) is ignored */
        return 0;
    }
    size_t avail = it->len - off - data_off;
    if (filesize > avail)
        return -EINVAL;
    e->name = name;
    e->namelen = namesize - 1;
    e->ino = f[0];
    e->mode = f[1];
    e->uid = f[2];
    e->gid = f[3];
    e->nlink = f[4];
    e->mtime = f[5];
    e->data = h + data_off;
    e->size = filesize;
    size_t next = data_off + pad4(filesize);
    /* The padding after the last member's data may be missing. */
    it->off = next > it->len - off ? it->len : off + next;
    return 1;
}

size_t cpio_component(const char **p, const char *end, const char **comp)
{
    const char *s = *p;
    for (;;) {
        while (s < end && *s == '/')
            s++;
        const char *c = s;
        while (s < end && *s != '/')
            s++;
        size_t n = (size_t)(s - c);
        if (n == 0) {
            *p = s;
            return 0;
        }
        if (n == 1 && c[0] == '.')
            continue;
        *comp = c;
        *p = s;
        return n;
    }
}
