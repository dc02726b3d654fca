/*
 * test_termcap.c - host unit test of beam/termcap/termcap.c (built with the
 * host's cc and run by tests/suites/shell.sh before it boots the shell):
 * every built-in name loads and gives what erts's tty_sl asks for (its
 * start_termcap is replayed below), dumb and unknown terminals do not,
 * string decoding, tgetstr's area, cancelled capabilities and tc=, an entry
 * from TERMCAP, tgoto and tputs.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "termcap.h"

/* erts's start_termcap (ttsl_drv.c): which strings it would send, or 0 if
 * it gives up (and the shell is `user`, without line editing). */
struct ttsl { int cols, xn; char up[16], down[16], left[16], right[16]; };

static int ttsl_start(const char *term, struct ttsl *t)
{
    char capbuf[1024], *c = capbuf, lbuf[4096];
    memset(t, 0, sizeof *t);
    if (tgetent(lbuf, term) <= 0)
        return 0;
    t->cols = tgetnum("co");
    if (t->cols <= 0)
        t->cols = 80;
    t->xn = tgetflag("xn");
    char *up = tgetstr("up", &c), *down = tgetstr("do", &c), *left, *right;
    if (!down)
        down = "\n";
    if (!(left = tgetflag("bs") ? "\b" : tgetstr("bc", &c)))
        left = "\b";
    right = tgetstr("nd", &c);
    if (!(up && down && left && right))
        return 0;
    CHECK(c <= capbuf + sizeof capbuf);
    strcpy(t->up, up);
    strcpy(t->down, down);
    strcpy(t->left, left);
    strcpy(t->right, right);
    return 1;
}

static char out[256];
static size_t nout;

static int outc(int ch)
{
    if (nout + 1 < sizeof out)
        out[nout++] = (char)ch;
    out[nout] = 0;
    return ch;
}

static const char *put(const char *s)
{
    nout = 0;
    out[0] = 0;
    CHECK(tputs(s, 1, outc) == 0);
    return out;
}

int main(void)
{
    struct ttsl t;
    unsetenv("TERMCAP");

    /* What the shell's TERM gives erts. */
    const char *vtlike[] = { "vt100", "vt100-am", "vt102", "vt220", "vt200", "xterm",
                             "xterm-256color", "xterm-color", "linux" };
    for (size_t i = 0; i < sizeof vtlike / sizeof vtlike[0]; i++) {
        if (!CHECK(ttsl_start(vtlike[i], &t) == 1)) {
            printf("    TERM=%s\n", vtlike[i]);
            continue;
        }
        CHECK(t.cols == 80);
        CHECK(t.xn == 1);
        CHECK_STR(t.up, "\033[A");
        CHECK_STR(t.down, "\n");
        CHECK_STR(t.left, "\b");
        CHECK_STR(t.right, "\033[C");
    }
    for (const char *const *n = (const char *const[]){ "screen", "tmux-256color", NULL }; *n; n++) {
        CHECK(ttsl_start(*n, &t) == 1);
        CHECK_STR(t.up, "\033M");
        CHECK_STR(t.left, "\b");
    }
    /* ansi: no bs, so left is bc; down is not LF; no xn. */
    CHECK(ttsl_start("ansi", &t) == 1);
    CHECK_STR(t.left, "\033[D");
    CHECK_STR(t.down, "\033[B");
    CHECK(t.xn == 0);
    /* dumb has no cursor motion, an unknown terminal no entry: erts falls
     * back to the `user` shell, as on Linux. */
    CHECK(tgetent(NULL, "dumb") == 1);
    CHECK(tgetstr("up", NULL) == NULL);
    CHECK(ttsl_start("dumb", &t) == 0);
    CHECK(tgetent(NULL, "no-such-terminal") == 0);
    CHECK(tgetent(NULL, "") == 0);
    CHECK(tgetent(NULL, NULL) == 0);
    CHECK(tgetent(NULL, "vt10") == 0);          /* whole names only */
    CHECK(tgetent(NULL, "xterm-") == 0);
    CHECK(tgetflag("am") == 0);                 /* nothing loaded */
    CHECK(tgetnum("co") == -1);
    CHECK(tgetstr("up", NULL) == NULL);

    /* Numbers, flags, absent ones, strings of the wrong type. */
    CHECK(tgetent(NULL, "vt100") == 1);
    CHECK(tgetnum("li") == 24);
    CHECK(tgetnum("it") == 8);
    CHECK(tgetnum("xx") == -1);
    CHECK(tgetnum("am") == -1);
    CHECK(tgetflag("am") == 1);
    CHECK(tgetflag("co") == 0);
    CHECK(tgetflag("up") == 0);
    CHECK(tgetflag("km") == 0);
    CHECK(tgetstr("co", NULL) == NULL);
    CHECK(tgetstr("", NULL) == NULL);
    CHECK(tgetstr("u", NULL) == NULL);
    CHECK(UP && strcmp(UP, "\033[A") == 0);
    CHECK(BC == NULL);

    /* tgetstr with an area: consecutive, NUL-separated, advanced. */
    char area[64], *a = area;
    char *cl = tgetstr("cl", &a), *ce = tgetstr("ce", &a);
    CHECK(cl == area);
    CHECK_STR(cl, "\033[H\033[J");
    CHECK(ce == area + 7);
    CHECK_STR(ce, "\033[K");
    CHECK(a == area + 11);
    char *none = NULL;
    CHECK_STR(tgetstr("kb", &none), "\b");      /* *area NULL: our storage */
    CHECK(none == NULL);

    /* tc=: vt220's own fields first, then vt100's. */
    CHECK(tgetent(NULL, "vt220") == 1);
    CHECK_STR(tgetstr("kb", NULL), "\177");
    CHECK_STR(tgetstr("kD", NULL), "\033[3~");
    CHECK_STR(tgetstr("ku", NULL), "\033OA");
    CHECK(tgetnum("li") == 24);

    /* An entry of the user's in TERMCAP: escapes, octal numbers, a
     * cancelled capability, tc= to a built-in, and other names ignored. */
    setenv("TERMCAP",
           "myterm|my terminal:co#0120:xn@:pc=\\177:"
           "s1=\\E\\e^A^?^[\\n\\r\\t\\b\\f\\s\\^\\\\\\:\\,\\101\\0x:"
           "s2=a\\:b:nd@:tc=xterm:", 1);
    CHECK(tgetent(NULL, "myterm") == 1);
    CHECK(tgetnum("co") == 80);
    CHECK(tgetflag("xn") == 0);                 /* cancelled before xterm's */
    CHECK(tgetflag("am") == 1);                 /* from xterm */
    CHECK_STR(tgetstr("s1", NULL), "\033\033\001\177\033\n\r\t\b\f ^\\:,A\200x");
    CHECK_STR(tgetstr("s2", NULL), "a:b");
    CHECK(tgetstr("nd", NULL) == NULL);
    CHECK(PC == 0177);
    CHECK(ttsl_start("myterm", &t) == 0);       /* no nd: no line editing */
    CHECK(tgetent(NULL, "my terminal") == 1);
    CHECK(ttsl_start("xterm", &t) == 1);        /* TERMCAP names another one */
    CHECK(tgetflag("xn") == 1);
    setenv("TERMCAP", "/etc/termcap", 1);       /* a file: ignored */
    CHECK(tgetent(NULL, "linux") == 1);
    CHECK(tgetnum("li") == 25);
    setenv("TERMCAP", "loop:tc=loop:", 1);      /* a tc= to itself: a built-in or nothing */
    CHECK(tgetent(NULL, "loop") == 1);
    CHECK(tgetflag("am") == 0);
    unsetenv("TERMCAP");

    /* tgoto: termcap % codes. */
    CHECK(tgetent(NULL, "vt100") == 1);
    CHECK_STR(tgoto(tgetstr("cm", NULL), 9, 4), "\033[5;10H");
    CHECK_STR(tgoto("%r%2,%3", 7, 42), "07,042");
    CHECK_STR(tgoto("%.%.", 'x', 'y'), "yx");
    CHECK_STR(tgoto("%+ %+ ", 1, 2), "\"!");
    CHECK_STR(tgoto("%>\005\020%d", 0, 7), "23");
    CHECK_STR(tgoto("100%%", 0, 0), "100%");
    CHECK_STR(tgoto("%.", 0, 0), "OOPS");
    CHECK_STR(tgoto("%p1%d", 0, 0), "OOPS");
    CHECK_STR(tgoto(NULL, 0, 0), "OOPS");

    /* tputs: every byte through outc, padding left out. */
    CHECK_STR(put("\033[A"), "\033[A");
    CHECK_STR(put("50\033[H"), "\033[H");
    CHECK_STR(put("3.5*x"), "x");
    CHECK_STR(put("a$<5>b$<2.5*/>c"), "abc");
    CHECK_STR(put("$x$<y>"), "$x$<y>");
    CHECK_STR(put("\b"), "\b");
    CHECK(tputs(NULL, 1, outc) == -1);

    return check_report("test_termcap");
}
