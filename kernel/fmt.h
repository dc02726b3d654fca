/*
 * fmt.h - the kernel's tiny printf-style formatter.
 *
 * Used for console lines and for the one-line reasons of refusals (e.g. the
 * system blob check).  It never allocates and never writes past `size`.
 *
 * Conversions: %d %i %u %x %X %c %s %p %%.  Flags '-' (left justify) and
 * '0' (zero pad); a width (digits or '*'); a precision ('.' digits or '.*')
 * meaning the minimum digits of a number or the maximum bytes of a string;
 * length 'll' (64-bit: %lld %llu %llx) and 'l' (long).  %p prints "0x" and
 * every hex digit of the pointer; %s of NULL prints "(null)".  Widths and
 * precisions above FB_FMT_MAX_WIDTH are clamped to it.  A conversion it
 * does not know is copied to the output as written.
 *
 * The output is always NUL-terminated when size > 0 and truncated safely;
 * the result is the length the whole output would have had (like C99
 * snprintf), so `n >= size` means it was truncated.
 */
#ifndef FB_KERNEL_FMT_H
#define FB_KERNEL_FMT_H

#include <stdarg.h>
#include <stdint.h>

#define FB_FMT_MAX_WIDTH 4095

int fb_vsnprintf(char *buf, uint32_t size, const char *fmt, va_list ap);
int fb_snprintf(char *buf, uint32_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
