/*
 * print.c - console output for PDs: fb_puts and a small fb_printf.
 *
 * fb_printf formats into a stack buffer and hands it to the kernel in one
 * DEBUG_PUTS, so that lines from different threads and PDs do not mix.
 */
#include <stdarg.h>
#include <freebeam/fbpd.h>

void fb_puts(const char *s)
{
    fb_debug_puts(s, strlen(s));
}

struct buf {
    char b[256];
    size_t n;
};

static void put(struct buf *o, char c)
{
    if (o->n < sizeof o->b)
        o->b[o->n++] = c;
}

static void put_num(struct buf *o, uint64_t v, unsigned base, bool neg, unsigned width, char pad)
{
    char tmp[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    if (neg)
        tmp[n++] = '-';
    for (unsigned i = n; i < width; i++)
        put(o, pad);
    while (n > 0)
        put(o, tmp[--n]);
}

void fb_printf(const char *fmt, ...)
{
    struct buf o;
    o.n = 0;
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0, longs = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (unsigned)(*p++ - '0');
        while (*p == 'l') {
            longs++;
            p++;
        }
        switch (*p) {
        case 'd': {
            int64_t v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long)
                         : longs    ? va_arg(ap, unsigned long)
                                    : va_arg(ap, unsigned);
            put_num(&o, v, *p == 'x' ? 16 : 10, false, width, pad);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, 8, '0');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            while (*s)
                put(&o, *s++);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            p--;
            break;
        default:
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    va_end(ap);
    fb_debug_puts(o.b, o.n);
}
