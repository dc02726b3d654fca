/*
 * svc.h - libfbpd's kernel calls (private to libfbpd): the shared svc
 * instruction of include/freebeam/ksvc.h, and a shorthand for the common
 * case.  libfbpd is built with -fomit-frame-pointer (r7 is the call number).
 */
#ifndef LIBFBPD_SVC_H
#define LIBFBPD_SVC_H

#include <stdint.h>
#include <freebeam/ksvc.h>

/* The common case: up to four arguments, one result. */
static inline __attribute__((always_inline)) uint32_t fb__sys4(uint32_t n, uint32_t a0, uint32_t a1,
                                                                uint32_t a2, uint32_t a3)
{
    struct fb_kregs io = { { a0, a1, a2, a3, 0, 0, 0 } };
    fb_ksvc(n, &io);
    return io.r[0];
}

#endif
