/*
 * libos_host.h - what libos's file code needs from the target, simulated
 * on the host so the unit tests can include libos/file.c, vfs*.c, cpio.c
 * and the sys_file*.c as source: the kernel calls of
 * include/freebeam/kcall.h that they make (futex calls count, the console
 * appends to a buffer), libos's lock (no contention in
 * a single-threaded test), the page allocator (aligned_alloc, zeroed) and
 * the clocks.  Include it first.
 */
#ifndef LIBOS_HOST_H
#define LIBOS_HOST_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FREEBEAM_KCALL_H        /* keep include/freebeam/kcall.h (ARM svc) out */
#include "../../libos/libos.h"

static unsigned host_futex_waits, host_futex_wakes;
static char host_console[4096];
static size_t host_console_len;
static long host_pages_out;     /* bytes of pages handed out and not freed */

static inline int fb_futex_wait(volatile void *addr, uint32_t expected, uint64_t deadline)
{
    (void)deadline;
    host_futex_waits++;
    return *(volatile uint32_t *)addr == expected ? -ETIMEDOUT : -EAGAIN;
}

static inline int fb_futex_wake(volatile void *addr, unsigned max)
{
    (void)addr;
    (void)max;
    host_futex_wakes++;
    return 0;
}

static inline int fb_debug_puts(const char *p, size_t len)
{
    size_t room = sizeof host_console - host_console_len;
    size_t n = len < room ? len : room;
    memcpy(host_console + host_console_len, p, n);
    host_console_len += n;
    return (int)len;
}

void libos_lock(struct libos_lock *l) { l->v = 1; }
void libos_unlock(struct libos_lock *l) { l->v = 0; }
void libos_puts(const char *s) { fb_debug_puts(s, strlen(s)); }
uint64_t libos_ticks(void) { static uint64_t t; return t += 1000; }
uint32_t libos_freq(void) { return 62500000; }
uint64_t libos_ticks_to_ns(uint64_t ticks) { return ticks * 16; }   /* 62.5 MHz: 16 ns a tick */
uint64_t libos_realtime_base_ns(void) { return 1577836800ull * 1000000000ull; }

void *libos_pages_alloc(size_t len)
{
    len = (len + 4095) & ~(size_t)4095;
    void *p = aligned_alloc(4096, len);
    if (p) {
        memset(p, 0, len);
        host_pages_out += (long)len;
    }
    return p;
}

void libos_pages_free(void *p, size_t len)
{
    if (p)
        host_pages_out -= (long)((len + 4095) & ~(size_t)4095);
    free(p);
}

/* The native-component devices (libos/dev_chan.c, dev_pd.c) need the info
 * page and the kernel: the file tests see no /dev/chan or /dev/pd. */
struct vnode;
void libos_native_init(struct vnode *devdir) { (void)devdir; }

/* /dev/urandom's generator (libos/entropy.c) needs the entropy driver: the
 * file tests get a fixed pattern (tests/host/test_chacha20.c tests the
 * generator). */
long libos_random_fill(void *buf, size_t len, bool nonblock, bool insecure)
{
    (void)nonblock; (void)insecure;
    memset(buf, 0xa5, len);
    return (long)len;
}

#endif
