/*
 * test_libos_tty.c - host unit tests of the console's line discipline
 * (libos/tty.c, included as it is): canonical mode (line buffering, erase
 * with DEL and ^H, kill, word erase, reprint, literal next, ^D as end of
 * file, ^C as a line of its own), echo (ECHOE, ECHOKE, ECHOCTL, ECHONL, the
 * erase of tabs and of UTF-8 characters), input mapping (ICRNL, INLCR,
 * IGNCR), raw mode as erts sets it (ICANON and ECHO off), mode switches
 * with TCSETS/TCSETSF semantics, output processing (ONLCR, OCRNL, ONOCR,
 * OPOST off), a full buffer, and an overflowing echo queue.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../libos/tty.c"

static struct tty t;

static void type(const char *s)
{
    for (; *s; s++)
        tty_input(&t, (uint8_t)*s);
}

/* All pending echo as a C string. */
static const char *echo(void)
{
    static char buf[TTY_ECHO_BUF + 1];
    size_t n = tty_echo_take(&t, (uint8_t *)buf, TTY_ECHO_BUF);
    buf[n] = 0;
    return buf;
}

/* One read() of up to len bytes as a C string; *n its length. */
static const char *rd(size_t len, size_t *n)
{
    static char buf[TTY_BUF + 1];
    size_t k = tty_read(&t, (uint8_t *)buf, len);
    buf[k] = 0;
    if (n)
        *n = k;
    return buf;
}

static void fresh(void)
{
    tty_init(&t);
}

static void set_lflag(uint32_t on, uint32_t off, bool flush)
{
    struct tty_termios n = t.tio;
    n.c_lflag = (n.c_lflag | on) & ~off;
    tty_set_termios(&t, &n, flush);
}

static void test_defaults(void)
{
    fresh();
    CHECK(t.tio.c_lflag & TTY_ICANON);
    CHECK(t.tio.c_lflag & TTY_ECHO);
    CHECK(t.tio.c_lflag & TTY_ECHOE);
    CHECK(!(t.tio.c_lflag & TTY_ISIG));
    CHECK(t.tio.c_iflag & TTY_ICRNL);
    CHECK((t.tio.c_oflag & (TTY_OPOST | TTY_ONLCR)) == (TTY_OPOST | TTY_ONLCR));
    CHECK(t.tio.c_cc[TTY_VERASE] == 0x7f && t.tio.c_cc[TTY_VKILL] == 0x15 &&
          t.tio.c_cc[TTY_VEOF] == 4 && t.tio.c_cc[TTY_VINTR] == 3 && t.tio.c_cc[TTY_VMIN] == 1);
    CHECK(sizeof(struct tty_termios) == 36);   /* the kernel's struct termios */
    CHECK(!tty_read_ready(&t) && tty_can_accept(&t));
}

static void test_canonical_line(void)
{
    size_t n;
    fresh();
    type("1+2.");
    CHECK(!tty_read_ready(&t));                 /* not until the line ends */
    CHECK_STR(echo(), "1+2.");
    type("\r");                                 /* Enter sends CR: ICRNL */
    CHECK(tty_read_ready(&t));
    CHECK_STR(echo(), "\r\n");                  /* NL echoed through ONLCR */
    CHECK_STR(rd(100, &n), "1+2.\n");
    CHECK(n == 5 && !tty_read_ready(&t));

    type("one\ntwo\n");                          /* a read returns one line */
    CHECK_STR(rd(100, NULL), "one\n");
    CHECK_STR(rd(100, NULL), "two\n");
    CHECK(!tty_read_ready(&t));

    type("hello\n");                            /* a short read leaves the rest */
    CHECK_STR(rd(2, NULL), "he");
    CHECK_STR(rd(100, NULL), "llo\n");
    echo();
}

static void test_erase_kill(void)
{
    fresh();
    type("ab\x7f" "c\r");                        /* DEL */
    CHECK_STR(rd(100, NULL), "ac\n");
    CHECK_STR(echo(), "ab\b \bc\r\n");
    type("xy\by\r");                            /* ^H erases too */
    CHECK_STR(rd(100, NULL), "xy\n");
    CHECK_STR(echo(), "xy\b \by\r\n");
    type("\x7f\x7f" "a\r");                      /* nothing to erase: no echo */
    CHECK_STR(rd(100, NULL), "a\n");
    CHECK_STR(echo(), "a\r\n");
    type("abc\x15" "d\r");                       /* kill with ECHOKE: erased visually */
    CHECK_STR(rd(100, NULL), "d\n");
    CHECK_STR(echo(), "abc\b \b\b \b\b \bd\r\n");

    struct tty_termios n = t.tio;               /* kill without ECHOKE: ^U and NL (ECHOK) */
    n.c_lflag &= ~TTY_ECHOKE;
    tty_set_termios(&t, &n, false);
    type("abc\x15" "d\r");
    CHECK_STR(rd(100, NULL), "d\n");
    CHECK_STR(echo(), "abc^U\r\nd\r\n");

    fresh();                                    /* erase without ECHOE: the char is echoed */
    set_lflag(0, TTY_ECHOE, false);
    type("ab\x7f\r");
    CHECK_STR(rd(100, NULL), "a\n");
    CHECK_STR(echo(), "ab^?\r\n");

    fresh();                                    /* word erase (IEXTEN) */
    type("foo bar  \x17" "x\r");
    CHECK_STR(rd(100, NULL), "foo x\n");
    CHECK_STR(echo(), "foo bar  \b \b\b \b\b \b\b \b\b \bx\r\n");
}

static void test_echo_forms(void)
{
    fresh();
    type("a\x01\x7f\r");                         /* ^A shown as ^A, erased as two columns */
    CHECK_STR(rd(100, NULL), "a\n");
    CHECK_STR(echo(), "a^A\b \b\b \b\r\n");
    type("a\t\x7f\r");                           /* a tab from column 1 to 8: 7 backspaces */
    CHECK_STR(rd(100, NULL), "a\n");
    CHECK_STR(echo(), "a\t\b\b\b\b\b\b\b\r\n");
    type("\xc3\xa9\x7f" "e\r");                  /* UTF-8 é: one erase, one column */
    CHECK_STR(rd(100, NULL), "e\n");
    CHECK_STR(echo(), "\xc3\xa9\b \be\r\n");
    type("ab\x16\x15\r");                        /* ^V quotes the kill character */
    CHECK_STR(rd(100, NULL), "ab\x15\n");
    CHECK_STR(echo(), "ab^\b^U\r\n");
    type("ab\x12" "c\r");                        /* ^R reprints the line */
    CHECK_STR(rd(100, NULL), "abc\n");
    CHECK_STR(echo(), "ab^R\r\nabc\r\n");

    set_lflag(TTY_ECHONL, TTY_ECHO, false);     /* no echo but NL; editing still works */
    type("secret\x7f\x7f" "\r");
    CHECK_STR(rd(100, NULL), "secr\n");
    CHECK_STR(echo(), "\r\n");
    set_lflag(0, TTY_ECHONL, false);
    type("x\r");
    CHECK_STR(echo(), "");
}

static void test_eof_intr(void)
{
    size_t n;
    fresh();
    type("\x04");                               /* ^D on an empty line: end of file */
    CHECK(tty_read_ready(&t));
    CHECK_STR(rd(100, &n), "");
    CHECK(n == 0 && !tty_read_ready(&t));       /* once: the next read waits */
    CHECK_STR(echo(), "");
    type("ab\x04");                             /* ^D after text: the line without NL */
    CHECK_STR(rd(100, &n), "ab");
    CHECK(n == 2 && !tty_read_ready(&t));
    type("abc\x04");                            /* a short read, then the mark alone: EOF */
    CHECK_STR(rd(3, &n), "abc");
    CHECK(tty_read_ready(&t));
    CHECK_STR(rd(3, &n), "");
    CHECK(n == 0);

    fresh();                                    /* ^C: at once, alone, the edited line dropped */
    type("foo(\x03");
    CHECK(tty_read_ready(&t));
    CHECK_STR(rd(100, &n), "\x03");
    CHECK(n == 1 && t.intr_seen == 1);
    CHECK_STR(echo(), "foo(^C\r\n");
    type("1.\r");
    CHECK_STR(rd(100, NULL), "1.\n");
}

static void test_input_maps(void)
{
    struct tty_termios n;
    fresh();
    n = t.tio;
    n.c_iflag = (n.c_iflag & ~TTY_ICRNL) | TTY_IGNCR;
    tty_set_termios(&t, &n, false);
    type("a\rb\n");
    CHECK_STR(rd(100, NULL), "ab\n");
    n.c_iflag = (n.c_iflag & ~TTY_IGNCR) | TTY_INLCR;
    tty_set_termios(&t, &n, false);
    type("x\n");                                /* NL becomes CR: not a line end */
    CHECK(!tty_read_ready(&t));
    n.c_cc[TTY_VEOL] = '\r';
    tty_set_termios(&t, &n, false);             /* ... unless CR is VEOL */
    type("\n");
    CHECK_STR(rd(100, NULL), "x\r\r");          /* the first CR was typed before VEOL was set */
}

static void test_raw(void)
{
    size_t n;
    fresh();
    /* What erts's tty_sl does: ICANON, ECHO, ICRNL and OPOST off, VMIN 1. */
    struct tty_termios r = t.tio;
    r.c_lflag &= ~(TTY_ICANON | TTY_ECHO);
    r.c_iflag &= ~TTY_ICRNL;
    r.c_oflag &= ~TTY_OPOST;
    tty_set_termios(&t, &r, true);
    type("a");
    CHECK(tty_read_ready(&t));
    type("\x7f\r\x04\x03");
    CHECK_STR(rd(100, &n), "a\x7f\r\x04\x03");  /* bytes as typed */
    CHECK(n == 5);
    CHECK_STR(echo(), "");
    type("xyz");
    CHECK_STR(rd(2, NULL), "xy");
    CHECK_STR(rd(2, NULL), "z");
    CHECK(!tty_read_ready(&t));

    r.c_lflag |= TTY_ECHO;                      /* raw with echo: ^X forms, no editing */
    tty_set_termios(&t, &r, false);
    type("q\x01");
    CHECK_STR(echo(), "q^A");
    CHECK_STR(rd(100, NULL), "q\x01");

    fresh();                                    /* canonical -> raw: the edited line is readable */
    type("ab");
    set_lflag(0, TTY_ICANON, false);
    CHECK(tty_read_ready(&t));
    CHECK_STR(rd(100, NULL), "ab");
    type("cd");                                 /* raw -> canonical: unread bytes are a line */
    set_lflag(TTY_ICANON, 0, false);
    type("ef");
    CHECK_STR(rd(100, NULL), "cd");
    type("\r");
    CHECK_STR(rd(100, NULL), "ef\n");
    echo();

    fresh();                                    /* TCSETSF: unread input discarded */
    type("old\r");
    type("partial");
    set_lflag(0, 0, true);
    CHECK(!tty_read_ready(&t));
    type("new\r");
    CHECK_STR(rd(100, NULL), "new\n");

    fresh();                                    /* EOF marks left from canonical mode are skipped */
    type("a\x04");
    set_lflag(0, TTY_ICANON, false);
    type("b");
    CHECK_STR(rd(100, NULL), "ab");
}

static void test_opost(void)
{
    uint8_t out[64];
    size_t used, o;
    fresh();
    o = tty_opost(&t, (const uint8_t *)"a\nb", 3, out, sizeof out, &used);
    CHECK(o == 4 && used == 3 && memcmp(out, "a\r\nb", 4) == 0);
    CHECK(t.col == 1);
    o = tty_opost(&t, (const uint8_t *)"\n", 1, out, 1, &used);   /* CR NL does not fit in 1 */
    CHECK(o == 0 && used == 0);
    o = tty_opost(&t, (const uint8_t *)"xy\n", 3, out, 3, &used);  /* takes what fits whole */
    CHECK(o == 2 && used == 2);
    o = tty_opost(&t, (const uint8_t *)"\t", 1, out, 1, &used);
    CHECK(o == 1 && used == 1 && t.col == 8);

    struct tty_termios n = t.tio;
    n.c_oflag |= TTY_OCRNL;
    tty_set_termios(&t, &n, false);
    o = tty_opost(&t, (const uint8_t *)"a\r", 2, out, sizeof out, &used);
    CHECK(o == 2 && memcmp(out, "a\n", 2) == 0);
    n.c_oflag = TTY_OPOST | TTY_ONOCR;
    tty_set_termios(&t, &n, false);
    t.col = 0;
    o = tty_opost(&t, (const uint8_t *)"\rz\r", 3, out, sizeof out, &used);
    CHECK(o == 2 && used == 3 && memcmp(out, "z\r", 2) == 0);     /* no CR at column 0 */
    n.c_oflag = TTY_ONLCR;                      /* OPOST off: as they are */
    tty_set_termios(&t, &n, false);
    o = tty_opost(&t, (const uint8_t *)"a\nb", 3, out, sizeof out, &used);
    CHECK(o == 3 && memcmp(out, "a\nb", 3) == 0);
}

static void test_full(void)
{
    size_t n;
    fresh();
    set_lflag(0, TTY_ECHO, false);
    bool always = true;
    for (int i = 0; i < 5000; i++) {            /* nothing to read yet: always accepted */
        always = always && tty_can_accept(&t);
        tty_input(&t, 'x');
    }
    CHECK(always);
    CHECK(t.wr - t.rd == TTY_BUF - 1);          /* the rest dropped, room for the end */
    type("\r");
    CHECK(tty_read_ready(&t) && tty_avail(&t) == TTY_BUF);
    CHECK(!tty_can_accept(&t));                 /* full of unread input: wait for a reader */
    const char *s = rd(TTY_BUF, &n);
    CHECK(n == TTY_BUF && s[n - 1] == '\n' && s[0] == 'x');
    CHECK(tty_can_accept(&t) && !tty_read_ready(&t));

    fresh();                                    /* raw: exactly TTY_BUF bytes, then wait */
    set_lflag(0, TTY_ICANON | TTY_ECHO, false);
    for (unsigned i = 0; i < TTY_BUF; i++)
        tty_input(&t, (uint8_t)i);
    CHECK(!tty_can_accept(&t) && tty_avail(&t) == TTY_BUF);
    s = rd(10, &n);
    CHECK(n == 10 && tty_can_accept(&t) && (uint8_t)s[9] == 9);

    fresh();                                    /* echo overflow drops echo, never input */
    for (unsigned i = 0; i < TTY_ECHO_BUF + 10; i++)
        tty_input(&t, 'e');
    CHECK(tty_echo_pending(&t) == TTY_ECHO_BUF && t.echo_lost == 10);
    type("\r");
    CHECK(tty_avail(&t) == TTY_ECHO_BUF + 11);
}

int main(void)
{
    test_defaults();
    test_canonical_line();
    test_erase_kill();
    test_echo_forms();
    test_eof_intr();
    test_input_maps();
    test_raw();
    test_opost();
    test_full();
    return check_report("test_libos_tty");
}
