/*
 * termcap.c - freebeam's small termcap library (see termcap.h): the six
 * classic calls over terminal descriptions compiled in.  Written for erts's
 * tty_sl driver, which asks for co, xn, up, do, bs, bc and nd
 * (ttsl_drv.c, start_termcap) and sends them with tputs; without a working
 * tgetent erts falls back to the `user` shell, with no line editing.
 *
 * Entries are in termcap's own syntax: "name|alias|...|description:" then
 * fields "xx" (boolean), "xx#N" (number; a leading 0 means octal),
 * "xx=STRING" (string), "xx@" (cancelled) and "tc=NAME" (continue with the
 * built-in entry NAME), each ended by ':'.  The first field of a name wins.
 * String escapes: \E \e (ESC), ^X (control X, ^? is DEL), \n \r \t \b \f,
 * \s (space), \^ \\ \: \, and \NNN (octal; \0 gives 0200, as historically,
 * so that the string goes on).
 *
 * Pure C on the standard library only (getenv, strlen, memcpy): the same
 * file is built for the BEAM PD (third_party/erlang/build.sh) and for the
 * host test (beam/termcap/test_termcap.c).  Not thread-safe, like the
 * original: erts calls it from one driver.
 */
#include "termcap.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

char PC;
char *BC;
char *UP;
short ospeed;

/* The capabilities below are those of the real terminals (and of the
 * emulators that claim to be them), written out here for freebeam. */
static const char *const builtin[] = {
    "vt100|vt100-am|vt102|dec vt100 (w/advanced video):"
    "am:bs:ms:xn:xo:co#80:it#8:li#24:"
    "bl=^G:cr=^M:do=^J:le=^H:nd=\\E[C:up=\\E[A:ho=\\E[H:"
    "cl=\\E[H\\E[J:cd=\\E[J:ce=\\E[K:cm=\\E[%i%d;%dH:cs=\\E[%i%d;%dr:"
    "sc=\\E7:rc=\\E8:sf=^J:sr=\\EM:ta=^I:"
    "so=\\E[7m:se=\\E[m:us=\\E[4m:ue=\\E[m:md=\\E[1m:mr=\\E[7m:mb=\\E[5m:me=\\E[m:"
    "ks=\\E[?1h\\E=:ke=\\E[?1l\\E>:"
    "kb=^H:ku=\\EOA:kd=\\EOB:kl=\\EOD:kr=\\EOC:k1=\\EOP:k2=\\EOQ:k3=\\EOR:k4=\\EOS:",

    "vt220|vt200|dec vt220:"
    "ic=\\E[@:dc=\\E[P:al=\\E[L:dl=\\E[M:kb=^?:kI=\\E[2~:kD=\\E[3~:kP=\\E[5~:kN=\\E[6~:"
    "tc=vt100:",

    "xterm|xterm-256color|xterm-color|xterm-new|xterm-debian|X11 terminal emulator:"
    "am:bs:km:mi:ms:xn:co#80:it#8:li#24:"
    "bl=^G:cr=^M:do=^J:le=^H:nd=\\E[C:up=\\E[A:ho=\\E[H:"
    "cl=\\E[H\\E[2J:cd=\\E[J:ce=\\E[K:cm=\\E[%i%d;%dH:cs=\\E[%i%d;%dr:"
    "sc=\\E7:rc=\\E8:sf=^J:sr=\\EM:ta=^I:"
    "al=\\E[L:dl=\\E[M:ic=\\E[@:dc=\\E[P:"
    "so=\\E[7m:se=\\E[27m:us=\\E[4m:ue=\\E[24m:md=\\E[1m:mr=\\E[7m:mb=\\E[5m:me=\\E[m:"
    "vi=\\E[?25l:ve=\\E[?12l\\E[?25h:ks=\\E[?1h\\E=:ke=\\E[?1l\\E>:"
    "kb=^?:ku=\\EOA:kd=\\EOB:kl=\\EOD:kr=\\EOC:kh=\\EOH:@7=\\EOF:"
    "kI=\\E[2~:kD=\\E[3~:kP=\\E[5~:kN=\\E[6~:k1=\\EOP:k2=\\EOQ:k3=\\EOR:k4=\\EOS:",

    "linux|linux console:"
    "am:bs:eo:mi:ms:xn:xo:co#80:it#8:li#25:"
    "bl=^G:cr=^M:do=^J:le=^H:nd=\\E[C:up=\\E[A:ho=\\E[H:"
    "cl=\\E[H\\E[J:cd=\\E[J:ce=\\E[K:cm=\\E[%i%d;%dH:cs=\\E[%i%d;%dr:"
    "sc=\\E7:rc=\\E8:sf=^J:sr=\\EM:ta=^I:"
    "al=\\E[L:dl=\\E[M:ic=\\E[@:dc=\\E[P:"
    "so=\\E[7m:se=\\E[27m:us=\\E[4m:ue=\\E[24m:md=\\E[1m:mr=\\E[7m:mb=\\E[5m:me=\\E[0;10m:"
    "vi=\\E[?25l:ve=\\E[?25h:"
    "kb=^?:ku=\\E[A:kd=\\E[B:kl=\\E[D:kr=\\E[C:kh=\\E[1~:@7=\\E[4~:"
    "kI=\\E[2~:kD=\\E[3~:kP=\\E[5~:kN=\\E[6~:k1=\\E[[A:k2=\\E[[B:k3=\\E[[C:k4=\\E[[D:",

    "screen|screen-256color|tmux|tmux-256color|terminal multiplexers:"
    "am:bs:km:mi:ms:xn:co#80:it#8:li#24:"
    "bl=^G:cr=^M:do=^J:le=^H:nd=\\E[C:up=\\EM:ho=\\E[H:"
    "cl=\\E[H\\E[J:cd=\\E[J:ce=\\E[K:cm=\\E[%i%d;%dH:cs=\\E[%i%d;%dr:"
    "sc=\\E7:rc=\\E8:sf=^J:sr=\\EM:ta=^I:"
    "al=\\E[L:dl=\\E[M:ic=\\E[@:dc=\\E[P:"
    "us=\\E[4m:ue=\\E[24m:md=\\E[1m:mr=\\E[7m:mb=\\E[5m:me=\\E[m:"
    "ks=\\E[?1h\\E=:ke=\\E[?1l\\E>:"
    "kb=^?:ku=\\EOA:kd=\\EOB:kl=\\EOD:kr=\\EOC:",

    /* No ^H backspace (no bs): cursor left is bc; down is not LF; no xn. */
    "ansi|ansi/pc-term compatible:"
    "am:ms:co#80:it#8:li#24:"
    "bl=^G:cr=^M:do=\\E[B:le=\\E[D:bc=\\E[D:nd=\\E[C:up=\\E[A:ho=\\E[H:"
    "cl=\\E[H\\E[J:cd=\\E[J:ce=\\E[K:cm=\\E[%i%d;%dH:ta=^I:"
    "so=\\E[7m:se=\\E[m:us=\\E[4m:ue=\\E[m:md=\\E[1m:mr=\\E[7m:me=\\E[0;10m:"
    "kb=^H:ku=\\E[A:kd=\\E[B:kl=\\E[D:kr=\\E[C:kh=\\E[H:",

    /* No cursor motion: erts's tty_sl refuses it and the shell is `user`. */
    "dumb|80-column dumb tty:am:co#80:bl=^G:cr=^M:do=^J:sf=^J:",
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])
#define MAX_TC 8                /* tc= links followed, at most */

static const char *cur;         /* the loaded entry, NULL before tgetent */
static char env_entry[2048];    /* a copy of TERMCAP, when it is the entry */
static char pool[1024];         /* tgetstr(id, NULL)'s strings */
static size_t pool_used;

/* ---- entries ---- */

/* Does the entry's name list (up to the first ':') contain name? */
static int has_name(const char *e, const char *name, size_t len)
{
    while (*e && *e != ':') {
        const char *end = e;
        while (*end && *end != ':' && *end != '|')
            end++;
        if ((size_t)(end - e) == len && memcmp(e, name, len) == 0)
            return 1;
        e = *end == '|' ? end + 1 : end;
    }
    return 0;
}

static const char *find_builtin(const char *name, size_t len)
{
    for (size_t i = 0; i < NBUILTIN; i++)
        if (has_name(builtin[i], name, len))
            return builtin[i];
    return NULL;
}

/* The next field after p (which is in a field or at its ':'), or NULL at
 * the end.  Backslash escapes (\:) do not end a field. */
static const char *next_field(const char *p)
{
    while (*p && *p != ':') {
        if (*p == '\\' && p[1])
            p++;
        p++;
    }
    while (*p == ':')
        p++;
    return *p ? p : NULL;
}

/* The field of capability id in the entry e (or in its tc= entries): a
 * pointer to the character after the two-character name, or NULL if the
 * capability is absent or cancelled. */
static const char *find_cap(const char *e, const char *id)
{
    if (!e || !id || !id[0] || !id[1])
        return NULL;
    for (int depth = 0; depth <= MAX_TC; depth++) {
        const char *tc = NULL;
        for (const char *f = next_field(e); f; f = next_field(f)) {
            if (f[0] == 't' && f[1] == 'c' && f[2] == '=') {
                tc = f + 3;
                break;          /* tc= ends the entry */
            }
            if (f[0] != id[0] || f[1] != id[1])
                continue;
            if (f[2] == '@')
                return NULL;
            return f + 2;
        }
        if (!tc)
            return NULL;
        size_t len = 0;
        while (tc[len] && tc[len] != ':')
            len++;
        e = find_builtin(tc, len);
        if (!e)
            return NULL;
    }
    return NULL;                /* a tc= loop */
}

/* ---- the calls ---- */

int tgetent(char *bp, const char *name)
{
    (void)bp;                   /* never written: the entry stays ours */
    cur = NULL;
    pool_used = 0;
    PC = 0;
    BC = UP = NULL;
    if (!name || !*name)
        return 0;
    size_t len = strlen(name);
    const char *env = getenv("TERMCAP");
    if (env && *env && *env != '/' && has_name(env, name, len) && strlen(env) < sizeof env_entry) {
        memcpy(env_entry, env, strlen(env) + 1);
        cur = env_entry;
    } else {
        cur = find_builtin(name, len);
    }
    if (!cur)
        return 0;
    char *pc = tgetstr("pc", NULL);
    PC = pc ? pc[0] : 0;
    BC = tgetstr("bc", NULL);
    UP = tgetstr("up", NULL);
    return 1;
}

int tgetflag(const char *id)
{
    const char *v = find_cap(cur, id);
    return v && (*v == ':' || *v == 0);
}

int tgetnum(const char *id)
{
    const char *v = find_cap(cur, id);
    if (!v || *v != '#' || v[1] < '0' || v[1] > '9')
        return -1;
    int base = v[1] == '0' ? 8 : 10, n = 0;
    for (v++; *v >= '0' && *v <= '9' && n < 100000000; v++)
        n = n * base + (*v - '0');
    return n;
}

/* Decodes the string value at v (after its '=') into out (cap bytes, at
 * least 1); the length, or -1 if it does not fit. */
static long decode(const char *v, char *out, size_t cap)
{
    size_t n = 0;
    while (*v && *v != ':') {
        unsigned char c = (unsigned char)*v++;
        if (c == '^' && *v) {
            c = (unsigned char)*v++;
            c = c == '?' ? 0177 : (c & 037);
        } else if (c == '\\' && *v) {
            c = (unsigned char)*v++;
            switch (c) {
            case 'E': case 'e': c = 033; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 's': c = ' '; break;
            default:
                if (c >= '0' && c <= '7') {
                    unsigned o = c - '0';
                    for (int k = 0; k < 2 && *v >= '0' && *v <= '7'; k++)
                        o = o * 8 + (unsigned)(*v++ - '0');
                    c = o ? (unsigned char)o : 0200;
                }
                break;          /* \^ \\ \: \, and any other: the character */
            }
        }
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = 0;
    return (long)n;
}

char *tgetstr(const char *id, char **area)
{
    const char *v = find_cap(cur, id);
    if (!v || *v != '=')
        return NULL;
    v++;
    if (area && *area) {
        /* The caller's area: its size is unknown, as always with
         * termcap; a decoded string is never longer than its source. */
        size_t room = 1;
        for (const char *s = v; *s && *s != ':'; s++)
            room++;
        char *out = *area;
        long n = decode(v, out, room);
        if (n < 0)
            return NULL;
        *area = out + n + 1;
        return out;
    }
    char *out = pool + pool_used;
    long n = decode(v, out, sizeof pool - pool_used);
    if (n < 0)
        return NULL;
    pool_used += (size_t)n + 1;
    return out;
}

char *tgoto(const char *cm, int destcol, int destline)
{
    static char buf[64];
    static char oops[] = "OOPS";
    int arg[2] = { destline, destcol }, i = 0;
    size_t n = 0;
    if (!cm)
        return oops;
    for (const char *p = cm; *p; p++) {
        if (n + 4 >= sizeof buf)
            return oops;
        if (*p != '%') {
            buf[n++] = *p;
            continue;
        }
        p++;
        int v = arg[i & 1];
        switch (*p) {
        case '%':
            buf[n++] = '%';
            break;
        case 'd': case '2': case '3': {
            char digits[12];
            int k = 0, min = *p == 'd' ? 1 : *p - '0';
            unsigned u = v < 0 ? 0u : (unsigned)v;
            do {
                digits[k++] = (char)('0' + u % 10);
                u /= 10;
            } while (u && k < 11);
            while (k < min)
                digits[k++] = '0';
            if (n + (size_t)k + 1 >= sizeof buf)
                return oops;
            while (k)
                buf[n++] = digits[--k];
            i++;
            break;
        }
        case '.': case '+':
            if (*p == '+') {
                if (!p[1])
                    return oops;
                v += (unsigned char)*++p;
            }
            if ((v & 0xff) == 0)
                return oops;    /* a NUL cannot be in the string */
            buf[n++] = (char)v;
            i++;
            break;
        case '>':
            if (!p[1] || !p[2])
                return oops;
            if (v > (unsigned char)p[1])
                arg[i & 1] = v + (unsigned char)p[2];
            p += 2;
            break;
        case 'r': {
            int t = arg[0];
            arg[0] = arg[1];
            arg[1] = t;
            break;
        }
        case 'i':
            arg[0]++;
            arg[1]++;
            break;
        case 'n':
            arg[0] ^= 0140;
            arg[1] ^= 0140;
            break;
        case 'B':
            arg[i & 1] = (v / 10) * 16 + v % 10;
            break;
        case 'D':
            arg[i & 1] = v - 2 * (v % 16);
            break;
        default:                /* %p... (terminfo) and anything else */
            return oops;
        }
    }
    buf[n] = 0;
    return buf;
}

int tputs(const char *str, int affcnt, int (*outc)(int))
{
    (void)affcnt;
    if (!str || !outc)
        return -1;
    /* A termcap delay first: digits, maybe a tenth, maybe '*'. */
    while (*str >= '0' && *str <= '9')
        str++;
    if (*str == '.') {
        str++;
        while (*str >= '0' && *str <= '9')
            str++;
    }
    if (*str == '*')
        str++;
    while (*str) {
        if (str[0] == '$' && str[1] == '<' && ((str[2] >= '0' && str[2] <= '9') || str[2] == '.')) {
            const char *end = strchr(str, '>');
            if (end) {          /* a terminfo delay: $<N>, $<N*>, $<N/> */
                str = end + 1;
                continue;
            }
        }
        outc((unsigned char)*str++);
    }
    return 0;
}
