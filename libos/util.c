/*
 * util.c - libos's own lock and console output.  Nothing here may use
 * musl beyond its string functions (libos.h).
 */
#include "libos.h"
#include <string.h>
#include <freebeam/kcall.h>

/* libos's lock is the one futex mutex of <freebeam/kcall.h>. */
void libos_lock(struct libos_lock *l)
{
    fb_mutex_lock_word(&l->v);
}

void libos_unlock(struct libos_lock *l)
{
    fb_mutex_unlock_word(&l->v);
}

void libos_write_console(const char *p, size_t len)
{
    while (len > 0) {
        int32_t n = fb_debug_puts(p, len > 0x7fffffffu ? 0x7fffffffu : (uint32_t)len);
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

void libos_puts(const char *s)
{
    libos_write_console(s, strlen(s));
}

void libos_log_num(const char *what, unsigned long n)
{
    char buf[160];
    size_t len = 0, wl = strlen(what);
    static const char pre[] = "libos: ";
    memcpy(buf, pre, sizeof pre - 1);
    len = sizeof pre - 1;
    if (wl > sizeof buf - len - 16)
        wl = sizeof buf - len - 16;
    memcpy(buf + len, what, wl);
    len += wl;
    buf[len++] = ' ';
    char digits[12];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (nd)
        buf[len++] = digits[--nd];
    buf[len++] = '\n';
    libos_write_console(buf, len);
}
