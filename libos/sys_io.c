/*
 * sys_io.c - file descriptor calls.  The skeleton knows only the console:
 * fds 0, 1 and 2 are the kernel's debug console (FB_SYS_DEBUG_PUTS), a
 * terminal of 80x24 for isatty() (so stdout is line buffered, as on a
 * Linux console).  Everything else is EBADF.
 */
#include "libos.h"
#include <sys/ioctl.h>
#include <sys/uio.h>
#include "kcall.h"

static int is_console(long fd)
{
    return fd >= 0 && fd <= 2;
}

/* Write all of it: the kernel takes at most a bounded count per call. */
static long console_write(const char *p, size_t len)
{
    size_t done = 0;
    while (done < len) {
        size_t chunk = len - done;
        int32_t n = k_debug_puts(p + done, chunk > 0x7fffffffu ? 0x7fffffffu : (uint32_t)chunk);
        if (n < 0)
            return done ? (long)done : n;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (long)done;
}

SYSCALL(write)
{
    UNUSED_ARGS();
    if (!is_console(a))
        return -EBADF;
    if ((size_t)c > 0x7fffffffu)
        c = 0x7fffffff;
    return console_write((const char *)b, (size_t)c);
}

SYSCALL(writev)
{
    UNUSED_ARGS();
    const struct iovec *iov = (const struct iovec *)b;
    if (!is_console(a))
        return -EBADF;
    if (c < 0 || c > 1024)
        return -EINVAL;
    long total = 0;
    for (long i = 0; i < c; i++) {
        if (iov[i].iov_len == 0)
            continue;
        long r = console_write(iov[i].iov_base, iov[i].iov_len);
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    return total;
}

SYSCALL(ioctl)
{
    UNUSED_ARGS();
    if (!is_console(a))
        return -EBADF;
    switch ((unsigned long)b) {
    case TIOCGWINSZ: {
        struct winsize *ws = (struct winsize *)c;
        ws->ws_row = 24;
        ws->ws_col = 80;
        ws->ws_xpixel = 0;
        ws->ws_ypixel = 0;
        return 0;
    }
    default:
        return -ENOTTY;
    }
}
