/*
 * release_state.c - the parser, printer and decision of release_state.h:
 * which release boots, from the text of /data/releases/boot.  Pure C with
 * no I/O, fuzzed by tests/fuzz/fuzz_release_state.c.
 */
#include "release_state.h"

#include <string.h>

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '+' || c == '-';
}

int release_vsn_ok(const char *s, size_t len)
{
    if (len == 0 || len > RELEASE_VSN_MAX)
        return 0;
    if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!name_char(s[i]))
            return 0;
    return 1;
}

/* One line "KEY VSN" (without its newline) into the field it names. */
static int parse_line(const char *l, size_t len, struct release_state *st)
{
    static const struct { const char *key; size_t off; } keys[] = {
        { "permanent", offsetof(struct release_state, permanent) },
        { "try", offsetof(struct release_state, trial) },
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t kl = strlen(keys[k].key);
        if (len <= kl || memcmp(l, keys[k].key, kl) != 0 || l[kl] != ' ')
            continue;
        char *field = (char *)st + keys[k].off;
        if (field[0])
            return -1;                  /* the key twice */
        const char *v = l + kl + 1;
        size_t vl = len - kl - 1;
        if (!release_vsn_ok(v, vl))
            return -1;
        memcpy(field, v, vl);
        field[vl] = 0;
        return 0;
    }
    return -1;
}

int release_state_parse(const char *text, size_t len, struct release_state *st)
{
    struct release_state got;
    memset(&got, 0, sizeof got);
    memset(st, 0, sizeof *st);          /* refused: nothing half-parsed */
    if (len > RELEASE_STATE_MAX || (len > 0 && text[len - 1] != '\n'))
        return -1;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == 0)
            return -1;
        if (text[i] != '\n')
            continue;
        if (parse_line(text + start, i - start, &got) < 0)
            return -1;
        start = i + 1;
    }
    *st = got;
    return 0;
}

int release_state_format(const struct release_state *st, char *buf, size_t cap)
{
    size_t n = 0;
    const char *keys[2] = { "permanent ", "try " };
    const char *vals[2] = { st->permanent, st->trial };
    for (int k = 0; k < 2; k++) {
        if (!vals[k][0])
            continue;
        size_t kl = strlen(keys[k]), vl = strlen(vals[k]);
        if (n + kl + vl + 2 > cap)
            return -1;
        memcpy(buf + n, keys[k], kl);
        memcpy(buf + n + kl, vals[k], vl);
        n += kl + vl;
        buf[n++] = '\n';
    }
    if (n + 1 > cap)
        return -1;
    buf[n] = 0;
    return (int)n;
}

enum release_pick release_state_pick(const struct release_state *st, struct release_state *after)
{
    *after = *st;
    if (st->trial[0]) {
        after->trial[0] = 0;            /* one boot only */
        return RELEASE_TRIAL;
    }
    return st->permanent[0] ? RELEASE_PERMANENT : RELEASE_FACTORY;
}
