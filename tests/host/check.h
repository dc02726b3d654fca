/*
 * check.h - the host unit tests' tiny harness: CHECK macros that count
 * passes and failures and print each failure with its line, and a report
 * line "<test>: N passed, N failed" that tests/suites/host.sh adds up.
 * Header-only: each test program is one binary with its own counters.
 */
#ifndef FB_TEST_CHECK_H
#define FB_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

static inline int check_record(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        printf("%s:%d: FAILED: %s\n", file, line, what);
    }
    return ok;
}

/* CHECK(cond): one test.  Evaluates to cond, so callers can add details. */
#define CHECK(cond) check_record(!!(cond), __FILE__, __LINE__, #cond)

/* CHECK_STR(got, want): equal C strings, both shown on failure. */
#define CHECK_STR(got, want)                                                  \
    do {                                                                      \
        const char *g_ = (got), *w_ = (want);                                 \
        if (!CHECK(strcmp(g_, w_) == 0))                                      \
            printf("    got  \"%s\"\n    want \"%s\"\n", g_, w_);             \
    } while (0)

/* Print the result line; the exit status is 1 if anything failed. */
static inline int check_report(const char *name)
{
    printf("%s: %u passed, %u failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
