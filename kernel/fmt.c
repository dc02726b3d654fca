/*
 * fmt.c - fb_vsnprintf / fb_snprintf (see fmt.h for what is supported).
 *
 * Written for a freestanding 32-bit ARM kernel: the only divisions are by
 * the constant 10 on 32-bit values (compiled to a multiply), so no libgcc
 * helper such as __aeabi_uldivmod is ever needed, even for %llu.
 */
#include <stddef.h>
#include "fmt.h"

struct out {
    char *buf;
    uint32_t size;
    uint32_t len;   /* what would have been written, saturating at INT32_MAX */
};

static void put(struct out *o, char c)
{
    if (o->len + 1u < o->size)
        o->buf[o->len] = c;
    if (o->len < 0x7fffffffu)
        o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    int left;       /* '-' */
    int zero;       /* '0' */
    int width;      /* 0: none */
    int prec;       /* -1: none */
};

/* v /= 10 on a 64-bit value using only 32-bit divisions by a constant;
 * returns the remainder.  Long division in base 2^16 below the top word. */
static uint32_t divmod10(uint64_t *v)
{
    uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
    uint32_t qh = hi / 10, r = hi % 10;
    uint32_t cur = (r << 16) | (lo >> 16);
    uint32_t q1 = cur / 10;
    r = cur % 10;
    cur = (r << 16) | (lo & 0xffffu);
    uint32_t q0 = cur / 10;
    r = cur % 10;
    *v = ((uint64_t)qh << 32) | (q1 << 16) | q0;
    return r;
}

/* One integer conversion: `neg` adds a '-', `prefix` (may be NULL) such as
 * "0x" goes between the sign and the digits. */
static void number(struct out *o, uint64_t v, int neg, unsigned base, int upper,
                   const char *prefix, const struct spec *sp)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    while (v) {
        if (base == 16) {
            tmp[n++] = dig[v & 15u];
            v >>= 4;
        } else {
            tmp[n++] = dig[divmod10(&v)];
        }
    }
    if (n == 0 && sp->prec != 0)
        tmp[n++] = '0';             /* "%.0d" of 0 prints no digits, as in C */
    int zeros = sp->prec > n ? sp->prec - n : 0;
    int plen = 0;
    while (prefix && prefix[plen])
        plen++;
    int total = (neg ? 1 : 0) + plen + zeros + n;
    int fill = sp->width > total ? sp->width - total : 0;
    if (!sp->left && !(sp->zero && sp->prec < 0))
        pad(o, ' ', fill);
    if (neg)
        put(o, '-');
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (!sp->left && sp->zero && sp->prec < 0)
        pad(o, '0', fill);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', fill);
}

static void string(struct out *o, const char *s, const struct spec *sp)
{
    if (!s)
        s = "(null)";
    int n = 0;
    while (s[n] && (sp->prec < 0 || n < sp->prec))
        n++;
    int fill = sp->width > n ? sp->width - n : 0;
    if (!sp->left)
        pad(o, ' ', fill);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', fill);
}

static int clamp(int v)
{
    return v > FB_FMT_MAX_WIDTH ? FB_FMT_MAX_WIDTH : v;
}

int fb_vsnprintf(char *buf, uint32_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, buf ? size : 0, 0 };
    const char *p = fmt;
    while (*p) {
        if (*p != '%') {
            put(&o, *p++);
            continue;
        }
        const char *start = p++;
        struct spec sp = { 0, 0, 0, -1 };
        for (;; p++) {
            if (*p == '-')
                sp.left = 1;
            else if (*p == '0')
                sp.zero = 1;
            else
                break;
        }
        if (*p == '*') {
            int w = va_arg(ap, int);
            if (w < 0) {            /* a negative '*' width means '-' */
                sp.left = 1;
                w = w < -FB_FMT_MAX_WIDTH ? FB_FMT_MAX_WIDTH : -w;
            }
            sp.width = clamp(w);
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                sp.width = clamp(sp.width * 10 + (*p++ - '0'));
        }
        if (*p == '.') {
            p++;
            sp.prec = 0;
            if (*p == '*') {
                int pr = va_arg(ap, int);
                sp.prec = pr < 0 ? -1 : clamp(pr);   /* negative: none */
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    sp.prec = clamp(sp.prec * 10 + (*p++ - '0'));
            }
        }
        int lng = 0;                /* 0: int, 1: long, 2: long long */
        if (*p == 'l') {
            lng = 1;
            p++;
            if (*p == 'l') {
                lng = 2;
                p++;
            }
        }
        char c = *p;
        if (c)
            p++;
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = lng == 2 ? va_arg(ap, long long)
                      : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
            uint64_t m = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
            number(&o, m, v < 0, 10, 0, NULL, &sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng == 2 ? va_arg(ap, unsigned long long)
                       : lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            number(&o, v, 0, c == 'u' ? 10 : 16, c == 'X', NULL, &sp);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            struct spec ps = sp;
            ps.prec = (int)(2 * sizeof(void *));    /* every hex digit */
            ps.zero = 0;
            number(&o, v, 0, 16, 0, "0x", &ps);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            int fill = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left)
                pad(&o, ' ', fill);
            put(&o, ch);
            if (sp.left)
                pad(&o, ' ', fill);
            break;
        }
        case 's':
            string(&o, va_arg(ap, const char *), &sp);
            break;
        case '%':
            put(&o, '%');
            break;
        default:                    /* unknown or cut short: copy it as is */
            while (start < p)
                put(&o, *start++);
            break;
        }
    }
    if (o.size)
        o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
    return (int)o.len;
}

int fb_snprintf(char *buf, uint32_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fb_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
