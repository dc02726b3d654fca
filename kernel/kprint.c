/*
 * kprint.c - the kernel's own console messages and panic.
 */
#include <stdarg.h>
#include "kernel.h"
#include "fmt.h"

void kputs(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fb_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kputs(buf);
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fb_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kputs("kernel panic: ");
    kputs(buf);
    kputs("\n");
    power_off(255);
}
