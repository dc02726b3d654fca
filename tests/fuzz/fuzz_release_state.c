/*
 * fuzz_release_state.c - libFuzzer target for /data/releases/boot, the
 * file that picks which release boots (libos/release_state.c): any bytes
 * are refused whole or parsed into names that are safe as folder names
 * (no '/', not "." or ".."), never read outside the bytes (ASan watches).
 * A parsed state prints and parses back to itself, and the state written
 * before a trial never picks a trial again (the one-boot rule).
 * Seeds: build/fuzz/release-corpus/ (tests/host/host.mk).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../libos/release_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void safe_name(const char *s)
{
    size_t n = strlen(s);
    if (n > RELEASE_VSN_MAX || strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
        abort();
    if (n && !release_vsn_ok(s, n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);   /* exactly size bytes, so ASan sees any overrun */
    if (!text)
        return 0;
    memcpy(text, data, size);
    struct release_state st, again, after;
    if (release_state_parse(text, size, &st) == 0) {
        safe_name(st.permanent);
        safe_name(st.trial);
        char buf[RELEASE_STATE_MAX + 1];
        int n = release_state_format(&st, buf, sizeof buf);
        if (n < 0 || release_state_parse(buf, (size_t)n, &again) != 0 || memcmp(&st, &again, sizeof st))
            abort();
        enum release_pick p = release_state_pick(&st, &after);
        if (p == RELEASE_TRIAL && (after.trial[0] || release_state_pick(&after, &again) == RELEASE_TRIAL))
            abort();
    } else if (st.permanent[0] || st.trial[0]) {
        abort();                        /* refused means nothing half-parsed */
    }
    free(text);
    return 0;
}
