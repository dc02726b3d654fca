/*
 * tty.c - the console's line discipline (see tty.h).  Modelled on the
 * behaviour of Linux's n_tty as seen from a terminal, written afresh.
 */
#include "tty.h"
#include <string.h>

#define MASK (TTY_BUF - 1u)
#define EMASK (TTY_ECHO_BUF - 1u)

static bool bit(const uint8_t *m, uint32_t i)
{
    i &= MASK;
    return (m[i >> 3] >> (i & 7)) & 1u;
}

static void set_bit(uint8_t *m, uint32_t i, bool on)
{
    i &= MASK;
    if (on)
        m[i >> 3] |= (uint8_t)(1u << (i & 7));
    else
        m[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

static bool lflag(const struct tty *t, uint32_t f) { return (t->tio.c_lflag & f) != 0; }
static bool iflag(const struct tty *t, uint32_t f) { return (t->tio.c_iflag & f) != 0; }
static bool oflag(const struct tty *t, uint32_t f) { return (t->tio.c_oflag & f) != 0; }

/* c is the (enabled) control character of index i?  0 disables one. */
static bool is_cc(const struct tty *t, uint8_t c, int i)
{
    return t->tio.c_cc[i] != 0 && c == t->tio.c_cc[i];
}

static bool is_ctrl(uint8_t c)
{
    return c < 0x20 || c == 0x7f;
}

static bool is_cont(const struct tty *t, uint8_t c)
{
    return iflag(t, TTY_IUTF8) && (c & 0xc0) == 0x80;
}

static uint32_t room(const struct tty *t)
{
    return TTY_BUF - (t->wr - t->rd);
}

void tty_flush_input(struct tty *t)
{
    t->rd = t->canon = t->wr;
    t->lnext = false;
}

void tty_init(struct tty *t)
{
    memset(t, 0, sizeof *t);
    t->tio.c_iflag = TTY_ICRNL | TTY_IUTF8;
    t->tio.c_oflag = TTY_OPOST | TTY_ONLCR;
    t->tio.c_cflag = 0000017u | 0000060u | 0000200u;   /* B38400 CS8 CREAD */
    t->tio.c_lflag = TTY_ICANON | TTY_ECHO | TTY_ECHOE | TTY_ECHOK | TTY_ECHOCTL | TTY_ECHOKE |
                     TTY_IEXTEN;
    static const uint8_t cc[19] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 };
    memcpy(t->tio.c_cc, cc, sizeof cc);
}

void tty_set_termios(struct tty *t, const struct tty_termios *n, bool flush)
{
    bool was = lflag(t, TTY_ICANON);
    if (flush)
        tty_flush_input(t);
    t->tio = *n;
    bool now = lflag(t, TTY_ICANON);
    if (was && !now) {
        t->canon = t->wr;                       /* the edited line is readable as it is */
    } else if (!was && now) {
        if (t->wr != t->rd)
            set_bit(t->delim, t->wr - 1, true); /* what is unread is one line */
        t->canon = t->wr;
        t->line_col = t->col;
    }
    t->lnext = false;
}

/* ---- output processing ---- */

static void col_update(struct tty *t, uint8_t c)
{
    if (c == '\b') {
        if (t->col)
            t->col--;
    } else if (c == '\t') {
        t->col = (t->col | 7u) + 1;
    } else if (c == '\r') {
        t->col = 0;
    } else if (!is_ctrl(c) && !is_cont(t, c)) {
        t->col++;
    }
}

/* One byte's expansion into out[0..1]: how many bytes (0 = dropped). */
static size_t opost_char(struct tty *t, uint8_t c, uint8_t out[2])
{
    if (!oflag(t, TTY_OPOST)) {
        out[0] = c;
        col_update(t, c);
        return 1;
    }
    if (c == '\n') {
        if (oflag(t, TTY_ONLCR)) {
            out[0] = '\r';
            out[1] = '\n';
            t->col = 0;
            return 2;
        }
        if (oflag(t, TTY_ONLRET))
            t->col = 0;
        out[0] = '\n';
        return 1;
    }
    if (c == '\r') {
        if (oflag(t, TTY_ONOCR) && t->col == 0)
            return 0;
        if (oflag(t, TTY_OCRNL)) {
            out[0] = '\n';
            if (oflag(t, TTY_ONLRET))
                t->col = 0;
            return 1;
        }
        out[0] = '\r';
        t->col = 0;
        return 1;
    }
    out[0] = c;
    col_update(t, c);
    return 1;
}

size_t tty_opost(struct tty *t, const uint8_t *src, size_t n, uint8_t *out, size_t cap,
                 size_t *used)
{
    size_t i = 0, o = 0;
    while (i < n && o + 2 <= cap) {
        uint8_t x[2];
        size_t k = opost_char(t, src[i], x);
        memcpy(out + o, x, k);
        o += k;
        i++;
    }
    /* One more byte may fit when only one output byte is left. */
    if (i < n && o < cap) {
        uint8_t c = src[i];
        bool two = oflag(t, TTY_OPOST) && oflag(t, TTY_ONLCR) && c == '\n';
        if (!two) {
            uint8_t x[2];
            size_t k = opost_char(t, c, x);
            memcpy(out + o, x, k);
            o += k;
            i++;
        }
    }
    *used = i;
    return o;
}

/* ---- echo ---- */

static void echo_raw(struct tty *t, const uint8_t *p, size_t n)
{
    if (TTY_ECHO_BUF - (t->echo_wr - t->echo_rd) < n) {
        t->echo_lost += (uint32_t)n;
        return;
    }
    for (size_t i = 0; i < n; i++)
        t->echo[t->echo_wr++ & EMASK] = p[i];
}

static void echo_put(struct tty *t, uint8_t c)
{
    uint8_t x[2];
    size_t k = opost_char(t, c, x);
    echo_raw(t, x, k);
}

static void echo_str(struct tty *t, const char *s)
{
    while (*s)
        echo_put(t, (uint8_t)*s++);
}

/* A character as the terminal shows it: ^X for controls with ECHOCTL. */
static void echo_char(struct tty *t, uint8_t c)
{
    if (lflag(t, TTY_ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n') {
        echo_put(t, '^');
        echo_put(t, c ^ 0100);
    } else {
        echo_put(t, c);
    }
}

uint32_t tty_echo_pending(const struct tty *t)
{
    return t->echo_wr - t->echo_rd;
}

size_t tty_echo_take(struct tty *t, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (n < cap && t->echo_rd != t->echo_wr)
        out[n++] = t->echo[t->echo_rd++ & EMASK];
    return n;
}

/* ---- input ---- */

static void store(struct tty *t, uint8_t c, bool delim, bool eof)
{
    uint32_t i = t->wr++;
    t->buf[i & MASK] = c;
    set_bit(t->delim, i, delim);
    set_bit(t->eofm, i, eof);
}

/* The display width of the edited line's bytes [canon, end): the column
 * where the byte at `end` starts. */
static uint32_t column_at(const struct tty *t, uint32_t end)
{
    uint32_t col = t->line_col;
    for (uint32_t i = t->canon; i != end; i++) {
        uint8_t c = t->buf[i & MASK];
        if (c == '\t')
            col = (col | 7u) + 1;
        else if (is_ctrl(c))
            col += lflag(t, TTY_ECHOCTL) ? 2 : 0;
        else if (!is_cont(t, c))
            col++;
    }
    return col;
}

enum { ERASE, WERASE, KILL };

static void eraser(struct tty *t, int kind)
{
    if (t->wr == t->canon)
        return;
    bool echo = lflag(t, TTY_ECHO);
    if (kind == KILL) {
        if (!echo) {
            t->wr = t->canon;
            return;
        }
        if (!lflag(t, TTY_ECHOK) || !lflag(t, TTY_ECHOKE) || !lflag(t, TTY_ECHOE)) {
            t->wr = t->canon;
            echo_char(t, t->tio.c_cc[TTY_VKILL]);
            if (lflag(t, TTY_ECHOK))
                echo_put(t, '\n');
            t->line_col = t->col;
            return;
        }
    }
    bool seen_word = false;
    while (t->wr != t->canon) {
        uint32_t start = t->wr - 1;
        while (start != t->canon && is_cont(t, t->buf[start & MASK]))
            start--;
        uint8_t c = t->buf[start & MASK];
        if (kind == WERASE) {
            bool word = c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                        c >= 0x80;
            if (word)
                seen_word = true;
            else if (seen_word)
                break;
        }
        t->wr = start;
        if (echo) {
            if (kind == ERASE && !lflag(t, TTY_ECHOE)) {
                echo_char(t, t->tio.c_cc[TTY_VERASE]);
            } else if (c == '\t') {
                uint32_t from = column_at(t, start), to = (from | 7u) + 1;
                for (uint32_t k = from; k < to; k++)
                    echo_put(t, '\b');
            } else {
                if (is_ctrl(c) && lflag(t, TTY_ECHOCTL))
                    echo_str(t, "\b \b");
                if (!is_ctrl(c) || lflag(t, TTY_ECHOCTL))
                    echo_str(t, "\b \b");
            }
        }
        if (kind == ERASE)
            break;
    }
}

static void reprint(struct tty *t)
{
    if (!lflag(t, TTY_ECHO))
        return;
    echo_char(t, t->tio.c_cc[TTY_VREPRINT]);
    echo_put(t, '\n');
    t->line_col = t->col;
    for (uint32_t i = t->canon; i != t->wr; i++)
        echo_char(t, t->buf[i & MASK]);
}

/* An ordinary character (also a quoted one). */
static void ordinary(struct tty *t, uint8_t c, bool canon)
{
    if (room(t) <= (canon ? 1u : 0u))
        return;                                 /* full: dropped (a line end still fits) */
    if (t->wr == t->canon)
        t->line_col = t->col;
    if (lflag(t, TTY_ECHO))
        echo_char(t, c);
    store(t, c, false, false);
    if (!canon)
        t->canon = t->wr;
}

/* The line ends with c (delivered) or with an end-of-file mark. */
static void end_line(struct tty *t, uint8_t c, bool eof)
{
    if (room(t) == 0)
        return;
    store(t, eof ? 0 : c, true, eof);
    t->canon = t->wr;
    t->line_col = t->col;
}

bool tty_can_accept(const struct tty *t)
{
    uint32_t r = room(t);
    if (!lflag(t, TTY_ICANON))
        return r > 0;
    if (t->rd == t->canon)
        return true;            /* nothing to wait for: take it, dropping if need be */
    return r > 1;
}

void tty_input(struct tty *t, uint8_t c)
{
    bool canon = lflag(t, TTY_ICANON);
    if (iflag(t, TTY_ISTRIP))
        c &= 0x7f;
    if (t->lnext) {
        t->lnext = false;
        if (lflag(t, TTY_ECHO) && lflag(t, TTY_ECHOCTL))
            echo_str(t, "\b");  /* over the ^ shown for the VLNEXT */
        ordinary(t, c, canon);
        return;
    }
    if (c == '\r') {
        if (iflag(t, TTY_IGNCR))
            return;
        if (iflag(t, TTY_ICRNL))
            c = '\n';
    } else if (c == '\n' && iflag(t, TTY_INLCR)) {
        c = '\r';
    }
    if (is_cc(t, c, TTY_VINTR))
        t->intr_seen++;
    if (!canon) {
        ordinary(t, c, false);
        return;
    }
    if (is_cc(t, c, TTY_VINTR)) {
        /* No signal: ^C reaches the reader at once, alone. */
        t->wr = t->canon;
        if (lflag(t, TTY_ECHO)) {
            echo_char(t, c);
            echo_put(t, '\n');
        }
        end_line(t, c, false);
        return;
    }
    if (is_cc(t, c, TTY_VERASE) || c == 0x7f || c == '\b') {
        eraser(t, ERASE);
        return;
    }
    if (is_cc(t, c, TTY_VKILL)) {
        eraser(t, KILL);
        return;
    }
    if (lflag(t, TTY_IEXTEN)) {
        if (is_cc(t, c, TTY_VWERASE)) {
            eraser(t, WERASE);
            return;
        }
        if (is_cc(t, c, TTY_VREPRINT)) {
            reprint(t);
            return;
        }
        if (is_cc(t, c, TTY_VLNEXT)) {
            t->lnext = true;
            if (lflag(t, TTY_ECHO) && lflag(t, TTY_ECHOCTL)) {
                if (t->wr == t->canon)
                    t->line_col = t->col;
                echo_put(t, '^');
            }
            return;
        }
    }
    if (c == '\n' || is_cc(t, c, TTY_VEOL) || is_cc(t, c, TTY_VEOL2)) {
        if (lflag(t, TTY_ECHO) || (c == '\n' && lflag(t, TTY_ECHONL)))
            echo_char(t, c);
        end_line(t, c, false);
        return;
    }
    if (is_cc(t, c, TTY_VEOF)) {
        end_line(t, c, true);   /* not echoed, not delivered */
        return;
    }
    ordinary(t, c, true);
}

/* ---- reading ---- */

bool tty_read_ready(const struct tty *t)
{
    return t->rd != t->canon;
}

uint32_t tty_avail(const struct tty *t)
{
    return t->canon - t->rd;
}

size_t tty_read(struct tty *t, uint8_t *dst, size_t len)
{
    bool canon = lflag(t, TTY_ICANON);
    size_t n = 0;
    while (t->rd != t->canon && n < len) {
        uint32_t i = t->rd++;
        bool eof = bit(t->eofm, i), delim = bit(t->delim, i);
        if (eof) {
            if (canon)
                break;
            continue;           /* a mark left from canonical mode */
        }
        dst[n++] = t->buf[i & MASK];
        if (canon && delim)
            break;
    }
    return n;
}
