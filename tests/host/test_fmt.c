/*
 * test_fmt.c - kernel/fmt.c against the host's snprintf: fixed cases, every
 * truncation size, and random formats drawn from the supported grammar.
 * Also what the host cannot judge: %p, NULL strings, unknown conversions.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "fmt.h"

static char got[512], want[512];

/* Same output and same return value as the host for a format and args. */
#define SAME(...)                                                             \
    do {                                                                      \
        int gn_ = fb_snprintf(got, sizeof got, __VA_ARGS__);                  \
        int wn_ = snprintf(want, sizeof want, __VA_ARGS__);                   \
        if (!CHECK(gn_ == wn_ && strcmp(got, want) == 0))                     \
            printf("    fmt %s: got \"%s\" (%d), want \"%s\" (%d)\n",         \
                   #__VA_ARGS__, got, gn_, want, wn_);                        \
    } while (0)

/* SAME for combinations gcc's -Wformat frowns on (a non-literal format). */
#define SAME_NL(lit, ...)                                                     \
    do {                                                                      \
        char f_[] = lit;                                                      \
        int gn_ = fb_snprintf(got, sizeof got, f_, __VA_ARGS__);              \
        int wn_ = snprintf(want, sizeof want, f_, __VA_ARGS__);               \
        if (!CHECK(gn_ == wn_ && strcmp(got, want) == 0))                     \
            printf("    fmt %s: got \"%s\" (%d), want \"%s\" (%d)\n",          \
                   lit, got, gn_, want, wn_);                                 \
    } while (0)

/* For every buffer size 0..len+2: same bytes, NUL, return; nothing written
 * past the size. */
#define TRUNC(...)                                                            \
    do {                                                                      \
        int full_ = snprintf(NULL, 0, __VA_ARGS__);                           \
        int bad_ = 0;                                                         \
        for (int sz_ = 0; sz_ <= full_ + 2; sz_++) {                          \
            memset(got, 'Z', sizeof got);                                     \
            memset(want, 'Z', sizeof want);                                   \
            int gn_ = fb_snprintf(sz_ ? got : NULL, (uint32_t)sz_, __VA_ARGS__); \
            int wn_ = snprintf(sz_ ? want : NULL, (size_t)sz_, __VA_ARGS__);  \
            if (gn_ != wn_ || memcmp(got, want, sizeof got) != 0)             \
                bad_++;                                                       \
        }                                                                     \
        if (!CHECK(bad_ == 0))                                                \
            printf("    truncation of %s: %d sizes differ\n", #__VA_ARGS__, bad_); \
    } while (0)

static void fixed_cases(void)
{
    SAME("plain text");
    SAME("%s|%5s|%-5s|%.2s|%-6.3s|%*s|%-*s|%.*s", "abc", "ab", "ab", "abc", "abcdef",
         4, "x", 4, "y", 1, "zz");
    SAME("%c%c%3c%-3c|", 'a', 'b', 'c', 'd');
    SAME("%d %d %d %d %i", 0, 1, -1, 12345, -678);
    SAME("%d %d", INT_MAX, INT_MIN);
    SAME("%u %u %u", 0u, 42u, UINT_MAX);
    SAME("%x %x %X %x", 0u, 0xdeadbeefu, 0xdeadbeefu, UINT_MAX);
    SAME("%08x|%8x|%-8x|%08X|%2x", 0x1234u, 0x1234u, 0x1234u, 0xabcu, 0x12345u);
    SAME("%05d|%-5d|%5d|%05d|%5d", 42, 42, 42, -42, -42);
    SAME_NL("%.3d|%.0d|%.0u|%.0x|%5.3d|%-5.3d|%05.3d", 7, 0, 0u, 0u, -7, 7, 7);
    SAME("%lld %lld %lld %lld", 0LL, -1LL, LLONG_MAX, LLONG_MIN);
    SAME("%llu %llu %llu", 0ULL, 10000000000ULL, ULLONG_MAX);
    SAME("%llx %llX %016llx %20llu|%-20llu|", ULLONG_MAX, 0xabcdef0123ULL, 0x1ULL,
         18446744073709551615ULL, 4294967296ULL);
    SAME("%llu %llu %llu", 4294967295ULL, 4294967296ULL, 99999999999999999ULL);
    SAME("%ld %lu %lx", -5L, 5UL, 0xfeedUL);
    SAME("100%% %%d %5d%%", 3);
    SAME("%*d|%-*d|%*d", 6, 1, 6, 2, -6, 3);
    SAME("%.*d|%.*d", 4, 5, -1, 6);
    SAME_NL("%-08d|%-08x|", 9, 9u);
    SAME("%s", "");
    SAME("%0*x", 12, 0xffu);
}

static void truncation(void)
{
    TRUNC("hello, world");
    TRUNC("%s=%08x (%d) %llu", "reg", 0xcafeu, -17, 123456789012345ULL);
    TRUNC("%-10s|%10s|", "left", "right");
    TRUNC("%c%%%c", 'x', 'y');
    TRUNC("%lld", LLONG_MIN);
}

/* What C leaves to the implementation, or what we define differently. */
static void own_cases(void)
{
    char p[64];
    int n = fb_snprintf(got, sizeof got, "%p", (void *)(uintptr_t)0x1234);
    snprintf(p, sizeof p, "0x%0*llx", (int)(2 * sizeof(void *)), 0x1234ULL);
    CHECK_STR(got, p);
    CHECK(n == (int)strlen(p));
    fb_snprintf(got, sizeof got, "[%p]", (void *)0);
    snprintf(p, sizeof p, "[0x%0*d]", (int)(2 * sizeof(void *)), 0);
    CHECK_STR(got, p);
    fb_snprintf(got, sizeof got, "[%-*p]", (int)(2 * sizeof(void *)) + 4, (void *)0x10);
    snprintf(p, sizeof p, "[0x%0*x  ]", (int)(2 * sizeof(void *)), 0x10);
    CHECK_STR(got, p);

    const char *volatile nul = NULL;
    fb_snprintf(got, sizeof got, "%s|%.2s", nul, nul);
    CHECK_STR(got, "(null)|(n");

    /* unknown conversions and a format cut short are copied as written */
    char odd1[] = "a%qb%lqc%", odd2[] = "x%-05";  /* arrays: no -Wformat */
    CHECK(fb_snprintf(got, sizeof got, odd1, 1) == 9);
    CHECK_STR(got, "a%qb%lqc%");
    fb_snprintf(got, sizeof got, odd2, 1);
    CHECK_STR(got, "x%-05");

    /* size 0: nothing written, length returned; NULL buffer allowed */
    memset(got, 'Z', 4);
    CHECK(fb_snprintf(got, 0, "%d", 12345) == 5);
    CHECK(got[0] == 'Z');
    CHECK(fb_snprintf(NULL, 100, "%s", "abc") == 3);
    /* size 1: only the NUL */
    CHECK(fb_snprintf(got, 1, "%d", 12345) == 5);
    CHECK(got[0] == '\0' && got[1] == 'Z');

    /* width and precision are clamped, not trusted */
    static char big[8192];
    n = fb_snprintf(big, sizeof big, "%99999d|", 1);
    CHECK(n == FB_FMT_MAX_WIDTH + 1);
    CHECK(big[FB_FMT_MAX_WIDTH - 1] == '1' && big[FB_FMT_MAX_WIDTH] == '|');
    volatile int wmin = INT_MIN;
    n = fb_snprintf(big, sizeof big, "%*d", wmin, 1);
    CHECK(n == FB_FMT_MAX_WIDTH && big[0] == '1');
}

/* ---- random formats from the supported grammar ---- */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t interesting(void)
{
    static const uint64_t v[] = { 0, 1, 9, 10, 99, 100, 0x7fffffff, 0x80000000,
                                  0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
                                  0x8000000000000000ULL, 0xffffffffffffffffULL };
    uint64_t r = next();
    if (r & 1)
        return v[(r >> 1) % (sizeof v / sizeof v[0])];
    return next() >> (next() % 64);
}

static void random_formats(unsigned rounds)
{
    static const char convs[] = "diuxXcs";
    static const char *strs[] = { "", "a", "hello", "freebeam kernel", "x y z" };
    unsigned bad = 0;
    for (unsigned r = 0; r < rounds; r++) {
        char f[64];
        int k = 0;
        f[k++] = '<';
        f[k++] = '%';
        char conv = convs[next() % (sizeof convs - 1)];
        if (next() & 1)
            f[k++] = '-';
        if ((next() & 1) && conv != 'c' && conv != 's')
            f[k++] = '0';
        if (next() & 1)
            k += sprintf(f + k, "%u", (unsigned)(next() % 25));
        if ((next() & 1) && conv != 'c')
            k += sprintf(f + k, ".%u", (unsigned)(next() % 25));
        int ll = (conv != 'c' && conv != 's') && (next() & 1);
        if (ll) {
            f[k++] = 'l';
            f[k++] = 'l';
        }
        f[k++] = conv;
        f[k++] = '>';
        f[k] = '\0';
        uint64_t v = interesting();
        int gn, wn;
        if (conv == 's') {
            const char *s = strs[v % (sizeof strs / sizeof strs[0])];
            gn = fb_snprintf(got, sizeof got, f, s);
            wn = snprintf(want, sizeof want, f, s);
        } else if (conv == 'c') {
            int ch = 'A' + (int)(v % 26);
            gn = fb_snprintf(got, sizeof got, f, ch);
            wn = snprintf(want, sizeof want, f, ch);
        } else if (ll) {
            gn = fb_snprintf(got, sizeof got, f, (unsigned long long)v);
            wn = snprintf(want, sizeof want, f, (unsigned long long)v);
        } else {
            gn = fb_snprintf(got, sizeof got, f, (unsigned)v);
            wn = snprintf(want, sizeof want, f, (unsigned)v);
        }
        if (gn != wn || strcmp(got, want) != 0) {
            if (bad++ < 5)
                printf("    random fmt %s: got \"%s\", want \"%s\"\n", f, got, want);
        }
    }
    if (!CHECK(bad == 0))
        printf("    %u of %u random formats differ\n", bad, rounds);
}

int main(void)
{
    fixed_cases();
    truncation();
    own_cases();
    random_formats(200000);
    return check_report("test_fmt");
}
