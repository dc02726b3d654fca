/*
 * svc.h - the one place libfbpd enters the kernel (private to libfbpd).
 *
 * `svc #0` with the call number in r7, arguments r0-r6, results r0-r6.
 * Every register r0-r7 is treated as both input and output, so whatever the
 * kernel leaves in them cannot surprise the compiler.  r7 is the Thumb frame
 * pointer: libfbpd is built with -fomit-frame-pointer, and gcc refuses to
 * compile this (rather than miscompiling) if a caller ever needs r7.
 */
#ifndef LIBFBPD_SVC_H
#define LIBFBPD_SVC_H

#include <stdint.h>

struct fb_regs {
    uint32_t r[7];
};

static inline __attribute__((always_inline)) void fb__svc(uint32_t n, struct fb_regs *io)
{
    register uint32_t r0 __asm__("r0") = io->r[0];
    register uint32_t r1 __asm__("r1") = io->r[1];
    register uint32_t r2 __asm__("r2") = io->r[2];
    register uint32_t r3 __asm__("r3") = io->r[3];
    register uint32_t r4 __asm__("r4") = io->r[4];
    register uint32_t r5 __asm__("r5") = io->r[5];
    register uint32_t r6 __asm__("r6") = io->r[6];
    register uint32_t r7 __asm__("r7") = n;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5),
                       "+r"(r6), "+r"(r7)
                     :
                     : "memory", "cc");
    io->r[0] = r0; io->r[1] = r1; io->r[2] = r2; io->r[3] = r3;
    io->r[4] = r4; io->r[5] = r5; io->r[6] = r6;
}

/* The common case: up to four arguments, one result. */
static inline __attribute__((always_inline)) uint32_t fb__sys4(uint32_t n, uint32_t a0, uint32_t a1,
                                                                uint32_t a2, uint32_t a3)
{
    struct fb_regs io = { { a0, a1, a2, a3, 0, 0, 0 } };
    fb__svc(n, &io);
    return io.r[0];
}

#endif
