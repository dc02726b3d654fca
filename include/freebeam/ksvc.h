/*
 * ksvc.h - the kernel call instruction, shared by every runtime that enters
 * the kernel from a PD (libfbpd for C PDs, libos for POSIX programs).
 *
 * kapi.h's convention: `svc #0` with the call number in r7, arguments in
 * r0-r6, results in r0-r6.  Every register r0-r7 is treated as both input
 * and output, so whatever the kernel leaves in them cannot surprise the
 * compiler.  r7 is the Thumb frame pointer: code that includes this is built
 * with -fomit-frame-pointer, and gcc refuses to compile (rather than
 * miscompiles) a caller that would need r7.
 */
#ifndef FREEBEAM_KSVC_H
#define FREEBEAM_KSVC_H

#include <stdint.h>

struct fb_kregs {
    uint32_t r[7];
};

static inline __attribute__((always_inline)) void fb_ksvc(uint32_t n, struct fb_kregs *io)
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

#endif
