/*
 * release_state.h - which release of the user's the BEAM boots: the
 * image's own ("factory"), or one that an update put under /data/releases
 * (docs/storage.md, "Release updates").  The state is the small text file
 * /data/releases/boot:
 *
 *     permanent VSN        the release that boots (absent: the image's)
 *     try VSN              boot VSN once, on trial
 *
 * A trial is one boot: before it, the file is rewritten without its `try`
 * line, so unless the trial confirms itself (freebeam_release:confirm/0
 * writes `permanent VSN`), whatever ends it (a crash, a power cut, the
 * confirmation timeout) leads the next boot back to the permanent release.
 *
 * Pure: no I/O (libos/release_boot.c does that), so that host tests and a
 * libFuzzer target can feed it any bytes.
 */
#ifndef LIBOS_RELEASE_STATE_H
#define LIBOS_RELEASE_STATE_H

#include <stddef.h>

#define RELEASE_VSN_MAX 64          /* bytes of a version name */
#define RELEASE_STATE_MAX 256       /* bytes of the whole file, at most */

struct release_state {
    char permanent[RELEASE_VSN_MAX + 1];    /* "" : the image's release */
    char trial[RELEASE_VSN_MAX + 1];        /* "" : none */
};

enum release_pick {
    RELEASE_FACTORY,        /* the image's own release: argv as the description says */
    RELEASE_PERMANENT,      /* st->permanent, from /data */
    RELEASE_TRIAL,          /* st->trial, once; *after must be on the disk first */
};

/* A version name: 1..RELEASE_VSN_MAX of [A-Za-z0-9._+-], not "." or ".."
 * (it names a folder under /data/releases). */
int release_vsn_ok(const char *s, size_t len);

/* The file's bytes into *st: 0, or -1 when they are not exactly the format
 * above (unknown or repeated keys, bad names, no final newline, NUL bytes,
 * longer than RELEASE_STATE_MAX). */
int release_state_parse(const char *text, size_t len, struct release_state *st);

/* The file's bytes for *st into buf (NUL-terminated); its length, or -1 if
 * cap is too small. */
int release_state_format(const struct release_state *st, char *buf, size_t cap);

/* What boots, and the state to write before it (equal to *st unless a
 * trial starts). */
enum release_pick release_state_pick(const struct release_state *st, struct release_state *after);

/* release_boot.c, before main: argv and envs changed to boot the release
 * that the state file picks, if any (each array has room for max_*). */
void libos_release_boot(const char **argv, size_t *n_argv, size_t max_argv,
                        const char **envs, size_t *n_envp, size_t max_envp);

#endif
