/*
 * tty.h - the console's terminal line discipline, like Linux's n_tty with
 * its default termios (private to libos; pure: no kernel call, no lock, so
 * that tests/host/test_libos_tty.c runs it as it is).  console.c feeds it
 * the bytes the serial driver received, sends its echo and the programs'
 * output (after output processing) to the driver, and serves read() from
 * its input buffer; it holds the console lock around every call.
 *
 * Input (iflag): ICRNL (Enter sends CR: it becomes NL), INLCR, IGNCR,
 * ISTRIP, IUTF8 (erase takes a whole UTF-8 character).  IXON/IXOFF are
 * recorded, not acted on.
 *
 * Canonical mode (lflag ICANON): the line being edited is not readable
 * until it ends with NL, VEOL or VEOL2 (delivered with the line) or VEOF
 * (^D, not delivered: on an empty line a read returns 0, end of file).
 * VERASE (DEL) and also ^H erase a character, VKILL (^U) the line, and
 * with IEXTEN VWERASE (^W) a word, VREPRINT (^R) reprints the line and
 * VLNEXT (^V) quotes the next character.  A read returns at most one line.
 * The buffer holds TTY_BUF bytes; when the line being edited fills it,
 * further characters are dropped (a line end still fits).
 *
 * Signals: none are delivered in a PD (ISIG is off by default and, if a
 * program turns it on, still generates none).  VINTR (^C) goes to the
 * reader as a byte; in canonical mode at once, as a line of its own
 * (discarding the line being edited, echoed "^C" and NL), because erts's
 * fallback shell (user.erl) restarts the shell when it reads ^C or ^G.
 *
 * Non-canonical mode: every byte is readable at once; VMIN/VTIME are the
 * caller's business (console.c).
 *
 * Echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHONL) goes into a small
 * echo queue, already through output processing; when the queue is full
 * echo is dropped (counted in echo_lost), never input.
 *
 * Output (oflag): OPOST with ONLCR (NL -> CR NL), OCRNL, ONOCR, ONLRET;
 * the output column is tracked for the erase of a tab.
 */
#ifndef LIBOS_TTY_H
#define LIBOS_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TTY_BUF      4096u   /* input buffer (power of two) */
#define TTY_ECHO_BUF 1024u   /* echo queue (power of two) */

/* The kernel's struct termios (what TCGETS/TCSETS copy): not musl's,
 * which is larger (NCCS 32 and the speeds). */
struct tty_termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line;
    uint8_t c_cc[19];
};

/* Linux's flag bits and c_cc indices (asm-generic/termbits.h), spelled
 * here so that the host test and the target agree whatever libc. */
#define TTY_IGNBRK 0000001u
#define TTY_ISTRIP 0000040u
#define TTY_INLCR  0000100u
#define TTY_IGNCR  0000200u
#define TTY_ICRNL  0000400u
#define TTY_IXON   0002000u
#define TTY_IUTF8  0040000u
#define TTY_OPOST  0000001u
#define TTY_OCRNL  0000010u
#define TTY_ONOCR  0000020u
#define TTY_ONLRET 0000040u
#define TTY_ONLCR  0000004u
#define TTY_ISIG   0000001u
#define TTY_ICANON 0000002u
#define TTY_ECHO   0000010u
#define TTY_ECHOE  0000020u
#define TTY_ECHOK  0000040u
#define TTY_ECHONL 0000100u
#define TTY_NOFLSH 0000200u
#define TTY_ECHOCTL 0001000u
#define TTY_ECHOKE 0004000u
#define TTY_IEXTEN 0100000u
enum {
    TTY_VINTR = 0, TTY_VQUIT = 1, TTY_VERASE = 2, TTY_VKILL = 3, TTY_VEOF = 4, TTY_VTIME = 5,
    TTY_VMIN = 6, TTY_VSTART = 8, TTY_VSTOP = 9, TTY_VSUSP = 10, TTY_VEOL = 11,
    TTY_VREPRINT = 12, TTY_VWERASE = 14, TTY_VLNEXT = 15, TTY_VEOL2 = 16,
};

struct tty {
    struct tty_termios tio;
    /* Input: [rd, canon) can be read; [canon, wr) is the line being edited
     * (always empty outside canonical mode).  Free-running indices. */
    uint8_t buf[TTY_BUF];
    uint8_t delim[TTY_BUF / 8];     /* bit set: the byte ends a line */
    uint8_t eofm[TTY_BUF / 8];      /* bit set: an end-of-file mark, not data */
    uint32_t rd, canon, wr;
    /* Echo, after output processing. */
    uint8_t echo[TTY_ECHO_BUF];
    uint32_t echo_rd, echo_wr, echo_lost;
    uint32_t col;           /* output column */
    uint32_t line_col;      /* the column where the line being edited began */
    bool lnext;             /* the next character is quoted (VLNEXT) */
    uint32_t intr_seen;     /* VINTR/VQUIT/VSUSP characters received (never signals) */
};

/* Linux's default termios without ISIG and IXON, with IUTF8; empty buffers. */
void tty_init(struct tty *t);
/* TCSETS: new settings.  `flush` (TCSETSF) discards the unread input first.
 * Leaving canonical mode makes the line being edited readable; entering it
 * makes what is unread one line. */
void tty_set_termios(struct tty *t, const struct tty_termios *n, bool flush);
void tty_flush_input(struct tty *t);

/* May tty_input take a byte now without dropping anything that should be
 * kept?  False only when unread input fills the buffer: wait for a reader. */
bool tty_can_accept(const struct tty *t);
/* One byte from the terminal. */
void tty_input(struct tty *t, uint8_t c);

/* Would a read return now (data, or end of file in canonical mode)? */
bool tty_read_ready(const struct tty *t);
/* Bytes readable now (canonical: of the complete lines). */
uint32_t tty_avail(const struct tty *t);
/* Copy out what a read() returns: canonical: up to one line (0 = end of
 * file if tty_read_ready was true); otherwise up to len bytes. */
size_t tty_read(struct tty *t, uint8_t *dst, size_t len);

/* Output processing: converts src into out (at most cap bytes; a byte is
 * taken only if all of its expansion fits) and returns the bytes written
 * to out; *used = bytes of src taken. */
size_t tty_opost(struct tty *t, const uint8_t *src, size_t n, uint8_t *out, size_t cap,
                 size_t *used);

/* The echo queue: bytes waiting, and take up to cap of them. */
uint32_t tty_echo_pending(const struct tty *t);
size_t tty_echo_take(struct tty *t, uint8_t *out, size_t cap);

#endif
