/*
 * test_release_state.c - which release boots (libos/release_state.c): the
 * state file's format, the one-boot rule of a trial, and the malformed
 * files (bad names, path tricks, repeated or unknown keys, no final
 * newline, NUL bytes, too long) that must be refused whole.
 */
#include "check.h"
#include "../../libos/release_state.h"

static int parse(const char *s, struct release_state *st)
{
    return release_state_parse(s, strlen(s), st);
}

static void test_parse(void)
{
    struct release_state st;
    CHECK(parse("", &st) == 0 && !st.permanent[0] && !st.trial[0]);
    CHECK(parse("permanent 2\n", &st) == 0);
    CHECK_STR(st.permanent, "2");
    CHECK(parse("try 3\npermanent 2.0.1+b_x-y\n", &st) == 0);
    CHECK_STR(st.permanent, "2.0.1+b_x-y");
    CHECK_STR(st.trial, "3");
}

static void test_refused(void)
{
    static const char *bad[] = {
        "permanent 2",                  /* no final newline */
        "permanent\n", "permanent \n", "permanent  2\n", "permanent 2 \n",
        "permanent ..\n", "try .\n", "try ../x\n", "try a/b\n", "try a b\n",
        "permanent 1\npermanent 2\n", "try 1\ntry 1\n",
        "Permanent 1\n", "current 1\n", "\n", "permanent 1\n\n",
        "try 0123456789012345678901234567890123456789012345678901234567890123456789\n",
    };
    struct release_state st;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!CHECK(parse(bad[i], &st) == -1 && !st.permanent[0] && !st.trial[0]))
            printf("  accepted: \"%s\"\n", bad[i]);
    CHECK(release_state_parse("try 1\0\n", 7, &st) == -1);
    char big[RELEASE_STATE_MAX + 2];
    memset(big, '\n', sizeof big);
    CHECK(release_state_parse(big, sizeof big, &st) == -1);
    /* 64 bytes is the longest name */
    CHECK(parse("try 0123456789012345678901234567890123456789012345678901234567890123\n", &st) == 0 &&
          strlen(st.trial) == 64);
}

static void test_pick(void)
{
    struct release_state st, after;
    parse("", &st);
    CHECK(release_state_pick(&st, &after) == RELEASE_FACTORY);
    parse("permanent 2\n", &st);
    CHECK(release_state_pick(&st, &after) == RELEASE_PERMANENT && !memcmp(&st, &after, sizeof st));
    parse("permanent 2\ntry 3\n", &st);
    CHECK(release_state_pick(&st, &after) == RELEASE_TRIAL);
    CHECK_STR(after.permanent, "2");
    CHECK(!after.trial[0]);             /* one boot only */
    /* the state written before the trial picks the permanent one */
    char buf[RELEASE_STATE_MAX + 1];
    int n = release_state_format(&after, buf, sizeof buf);
    CHECK(n > 0);
    CHECK_STR(buf, "permanent 2\n");
    struct release_state again;
    CHECK(release_state_parse(buf, (size_t)n, &again) == 0 &&
          release_state_pick(&again, &after) == RELEASE_PERMANENT);
}

static void test_format(void)
{
    struct release_state st;
    char buf[RELEASE_STATE_MAX + 1];
    parse("try 3\npermanent 2\n", &st);
    CHECK(release_state_format(&st, buf, sizeof buf) == 18);
    CHECK_STR(buf, "permanent 2\ntry 3\n");
    CHECK(release_state_format(&st, buf, 18) == -1);    /* no room for the NUL */
    CHECK(release_state_format(&st, buf, 19) == 18);
    parse("", &st);
    CHECK(release_state_format(&st, buf, 1) == 0 && buf[0] == 0);
}

int main(void)
{
    test_parse();
    test_refused();
    test_pick();
    test_format();
    return check_report("test_release_state");
}
