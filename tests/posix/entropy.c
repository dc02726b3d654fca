/*
 * entropy.c - the entropy test program (tests/suites/entropy.sh): a plain
 * C program on libos next to the rng driver PD (systems/entropy.config).
 * It reports what getrandom and /dev/random do before libos is seeded
 * (the suite runs QEMU's entropy device rate-limited, so the seed takes a
 * few seconds), how long a blocking getrandom waited, that both work once
 * seeded, then prints 1 MiB read from /dev/urandom as hex between two
 * marker lines for the host's rngtest.  The suite judges the lines; the
 * program powers off with 0 unless a call failed in a way no mode allows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define DATA_BYTES (1u << 20)

static const char *outcome(long r, long want)
{
    if (r == want)
        return "ok";
    if (r < 0 && errno == EAGAIN)
        return "EAGAIN";
    return "unexpected";
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    unsigned char buf[4096], zero[32] = { 0 };
    int bad = 0;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);

    long r = getrandom(buf, 32, GRND_NONBLOCK);
    printf("entropy: getrandom NONBLOCK at start: %s\n", outcome(r, 32));
    int fd = open("/dev/random", O_RDONLY | O_NONBLOCK);
    r = fd < 0 ? -1 : read(fd, buf, 32);
    printf("entropy: /dev/random O_NONBLOCK at start: %s\n", outcome(r, 32));
    if (fd >= 0)
        close(fd);
    r = getrandom(buf, 32, GRND_INSECURE);
    printf("entropy: getrandom INSECURE at start: %s\n", outcome(r, 32));
    fflush(stdout);

    double t0 = now_s();
    r = getrandom(buf, 32, 0);
    double waited = now_s() - t0;
    printf("entropy: getrandom blocking: %s after %.1f s\n", outcome(r, 32), waited);
    bad |= r != 32 || memcmp(buf, zero, 32) == 0;
    r = getrandom(buf, 32, GRND_NONBLOCK);
    printf("entropy: getrandom NONBLOCK once seeded: %s\n", outcome(r, 32));
    bad |= r != 32;
    r = getrandom(buf, 32, 0x100);
    printf("entropy: getrandom unknown flag: %s\n", r == -1 && errno == EINVAL ? "EINVAL" : "unexpected");
    bad |= !(r == -1 && errno == EINVAL);

    fd = open("/dev/urandom", O_RDONLY);
    bad |= fd < 0;
    printf("entropy: data begin\n");
    static const char hex[] = "0123456789abcdef";
    char line[2 * 64 + 2];
    for (unsigned done = 0; fd >= 0 && done < DATA_BYTES; done += sizeof buf) {
        if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
            bad = 1;
            break;
        }
        for (unsigned i = 0; i < sizeof buf; i += 64) {
            for (unsigned k = 0; k < 64; k++) {
                line[2 * k] = hex[buf[i + k] >> 4];
                line[2 * k + 1] = hex[buf[i + k] & 15];
            }
            line[128] = '\n';
            fwrite(line, 1, 129, stdout);
        }
    }
    printf("entropy: data end\n");
    printf("entropy: %s\n", bad ? "FAILED" : "done");
    fflush(stdout);
    return bad;
}
