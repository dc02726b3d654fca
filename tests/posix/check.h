/*
 * check.h - the one harness of the POSIX test programs in tests/posix.
 * They run in a PD on freebeam and on the host's Linux alike, count their
 * checks, and end with "<name>: N passed, N failed", which the suites
 * match.  A run in which no check ran counts as a failure, so a program
 * that lost its checks cannot pass empty.
 *
 * Define CHECK_NAME (the program's name, a string) before including it;
 * define CHECK_TAP as well to print "ok - what" for every passed check and
 * "not ok - what" for a failed one, instead of failures alone.
 * Header-only and static inline: one counter pair per program.
 */
#ifndef FB_POSIX_CHECK_H
#define FB_POSIX_CHECK_H

#include <errno.h>
#include <stdio.h>

#ifndef CHECK_NAME
#error "define CHECK_NAME before including check.h"
#endif

static int check_passed, check_failed;

/* check(ok, what): one check; errno is left as it was (callers print it). */
static inline int check(int ok, const char *what)
{
    int e = errno;
    if (ok) {
        check_passed++;
#ifdef CHECK_TAP
        printf("ok - %s\n", what);
#endif
    } else {
        check_failed++;
#ifdef CHECK_TAP
        printf("not ok - %s (errno %d)\n", what, e);
#else
        printf("%s: FAIL %s (errno %d)\n", CHECK_NAME, what, e);
#endif
    }
    errno = e;
    return ok;
}

/* CHECK(cond): a check named by its own source text and line. */
static inline int check_at(int ok, const char *what, int line)
{
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        printf("%s: FAIL line %d: %s (errno %d)\n", CHECK_NAME, line, what, errno);
    }
    return ok;
}
#define CHECK(cond) check_at(!!(cond), #cond, __LINE__)

/* The result line; the exit status is 1 if anything failed or none ran. */
static inline int check_report(void)
{
    if (check_passed + check_failed == 0) {
        printf("%s: FAIL no check ran\n", CHECK_NAME);
        check_failed++;
    }
    printf("%s: %d passed, %d failed\n", CHECK_NAME, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
