/*
 * termcap.h - freebeam's small termcap library (beam/termcap/termcap.c):
 * the classic termcap calls with a few terminal descriptions compiled in,
 * since a freebeam PD has no terminal database.  Written for erts's tty_sl
 * driver (line editing in the Erlang shell), usable by any C program.
 *
 * Terminals built in (tgetent's name; TERM in a PD's {env, [...]}):
 *   vt100 vt100-am vt102 vt220 vt200  xterm xterm-256color xterm-color
 *   xterm-new xterm-debian  linux  screen screen-256color tmux tmux-256color
 *   ansi  dumb
 * TERMCAP in the environment may hold one more entry in termcap syntax
 * ("name|alias:cap:...:"; it may end with tc=BUILTIN); it is used when one
 * of its names is the one asked for.  A TERMCAP that is a file name is
 * ignored (there are no termcap files).
 *
 * Differences from historical termcap, as in ncurses's emulation: tgetent
 * never writes to bp; tgetstr with a NULL area returns a pointer to our own
 * storage (valid until the next tgetent); tputs skips padding (a leading
 * delay and terminfo-style $<..>) instead of sending pad characters.
 */
#ifndef FREEBEAM_TERMCAP_H
#define FREEBEAM_TERMCAP_H

/* Historical globals: the pad character, backspace-if-not-^H, cursor up,
 * and the output speed.  Set by tgetent from the entry (pc, bc, up);
 * nothing here reads them. */
extern char PC;
extern char *BC;
extern char *UP;
extern short ospeed;

/* 1: the entry for name is loaded; 0: no such terminal (nothing loaded). */
int tgetent(char *bp, const char *name);
/* The number of a numeric capability, -1 if absent. */
int tgetnum(const char *id);
/* 1 if the boolean capability is present, 0 otherwise. */
int tgetflag(const char *id);
/* The decoded string capability, NULL if absent.  With area and *area
 * set, copied there and *area advanced past its NUL. */
char *tgetstr(const char *id, char **area);
/* cm with the cursor-motion parameters replaced (termcap % codes; a static
 * buffer); "OOPS" if it cannot be expanded. */
char *tgoto(const char *cm, int destcol, int destline);
/* Sends str through outc, without its padding; -1 if str is NULL. */
int tputs(const char *str, int affcnt, int (*outc)(int));

#endif
