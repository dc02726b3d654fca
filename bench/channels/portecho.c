/*
 * portecho.c - the Linux side's echo program of bench/channels (README.md
 * there): an Erlang port opened with {packet, 2} sends it packets (a 2-byte
 * big-endian length, then the bytes); it writes each one back, whole, and
 * exits at end of input.  The counterpart of systems/qecho on freebeam.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static int read_all(uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(0, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_all(const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void)
{
    static uint8_t buf[2 + 65535];
    for (;;) {
        if (read_all(buf, 2))
            return 0;
        size_t len = (size_t)buf[0] << 8 | buf[1];
        if (read_all(buf + 2, len) || write_all(buf, 2 + len))
            return 1;
    }
}
