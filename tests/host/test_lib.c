/*
 * test_lib.c - kernel/lib.c against the host libc.  lib.c defines the
 * standard names, so it is compiled here under other names (fbk_*:
 * fbk_lib.c), and every function is compared with libc's
 * over all small sizes, alignments and overlaps.
 */
#include "fbk_lib.c"

#include <string.h>
#include "check.h"

static int sign(int v) { return (v > 0) - (v < 0); }

static _Alignas(8) unsigned char a[160], b[160], ref[160];   /* offsets 0..7 give every alignment */

static void fill(unsigned char *p, unsigned n, unsigned seed)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 3));
}

static void copies(void)
{
    unsigned bad = 0;
    for (unsigned off = 0; off < 8; off++)
        for (unsigned n = 0; n < 140; n++)
            for (unsigned from = 0; from < 8; from++) {   /* aligned and not, both ends */
                fill(a, sizeof a, 1);
                fill(b, sizeof b, 2);
                memcpy(ref, b, sizeof b);
                memcpy(ref + off, a + from, n);
                if (fbk_memcpy(b + off, a + from, n) != b + off || memcmp(b, ref, sizeof b))
                    bad++;
            }
    for (unsigned off = 0; off < 8; off++)
        for (unsigned n = 0; n < 140; n++) {
            fill(b, sizeof b, 3);
            memcpy(ref, b, sizeof b);
            memset(ref + off, 0xa5 + (int)n, n);
            if (fbk_memset(b + off, 0xa5 + (int)n, n) != b + off || memcmp(b, ref, sizeof b))
                bad++;
        }
    CHECK(bad == 0);
}

static void moves(void)
{
    unsigned bad = 0;
    for (unsigned src = 0; src < 24; src++)
        for (unsigned dst = 0; dst < 24; dst++)
            for (unsigned n = 0; n < 40; n++) {
                fill(a, sizeof a, src + dst);
                memcpy(ref, a, sizeof a);
                memmove(ref + dst, ref + src, n);
                if (fbk_memmove(a + dst, a + src, n) != a + dst || memcmp(a, ref, sizeof a))
                    bad++;
            }
    CHECK(bad == 0);
}

static void compares(void)
{
    unsigned bad = 0;
    for (unsigned n = 0; n < 32; n++)
        for (unsigned at = 0; at < n; at++)
            for (int delta = -200; delta <= 200; delta += 100) {
                fill(a, n, 5);
                memcpy(b, a, n);
                b[at] = (unsigned char)(b[at] + delta);
                if (sign(fbk_memcmp(a, b, n)) != sign(memcmp(a, b, n)))
                    bad++;
            }
    CHECK(bad == 0);
    CHECK(fbk_memcmp("a", "b", 0) == 0);
    CHECK(fbk_memcmp("\x80", "\x01", 1) > 0);       /* unsigned bytes */

    static const char *s[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "ab\xff", "A" };
    unsigned ns = sizeof s / sizeof s[0];
    bad = 0;
    for (unsigned i = 0; i < ns; i++) {
        if (fbk_strlen(s[i]) != strlen(s[i]))
            bad++;
        for (unsigned j = 0; j < ns; j++) {
            if (sign(fbk_strcmp(s[i], s[j])) != sign(strcmp(s[i], s[j])))
                bad++;
            for (size_t n = 0; n < 5; n++)
                if (sign(fbk_strncmp(s[i], s[j], n)) != sign(strncmp(s[i], s[j], n)))
                    bad++;
        }
    }
    CHECK(bad == 0);
    char longstr[300];
    memset(longstr, 'x', sizeof longstr - 1);
    longstr[sizeof longstr - 1] = '\0';
    CHECK(fbk_strlen(longstr) == 299);
}

int main(void)
{
    copies();
    moves();
    compares();
    return check_report("test_lib");
}
