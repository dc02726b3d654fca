/* klib.c - the kernel's memcpy and memset (kernel/lib.c, also every PD's
 * through libfbpd) checked as ARM code: their ldm/stm paths are compiled only
 * for ARM, so the host's test_lib cannot reach them.  lib.c is built in
 * here under other names (tests/host/fbk_lib.c); every length up to 300 at every alignment of
 * source and destination is compared with a byte loop, and the guard bytes
 * around each destination must stay untouched.  Exit 0 if all hold. */
#include "../host/fbk_lib.c"

#include <stdio.h>

#define MAXN 300
#define PAD 16

static unsigned char src[MAXN + 2 * PAD], dst[MAXN + 2 * PAD], want[MAXN + 2 * PAD];

static int same(size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (dst[i] != want[i])
            return 0;
    return 1;
}

int main(void)
{
    unsigned long checks = 0, fails = 0;
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    for (size_t n = 0; n <= MAXN; n++)
        for (size_t sa = 0; sa < 8; sa++)
            for (size_t da = 0; da < 8; da++) {
                for (size_t i = 0; i < sizeof dst; i++)
                    dst[i] = want[i] = 0xA5;
                for (size_t i = 0; i < n; i++)
                    want[PAD + da + i] = src[PAD + sa + i];
                void *r = fbk_memcpy(dst + PAD + da, src + PAD + sa, n);
                checks++;
                if (r != dst + PAD + da || !same(sizeof dst)) {
                    if (fails++ < 5)
                        printf("memcpy n=%zu src+%zu dst+%zu: wrong\n", n, sa, da);
                }
                if (sa == 0) {
                    int c = (int)(n & 0xff);
                    for (size_t i = 0; i < n; i++)
                        want[PAD + da + i] = (unsigned char)c;
                    r = fbk_memset(dst + PAD + da, c, n);
                    checks++;
                    if (r != dst + PAD + da || !same(sizeof dst)) {
                        if (fails++ < 5)
                            printf("memset n=%zu dst+%zu: wrong\n", n, da);
                    }
                }
            }
    printf("klib: %lu checks, %lu failed\n", checks, fails);
    return fails != 0;
}
