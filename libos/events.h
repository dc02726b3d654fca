/*
 * events.h - how kernel notifications reach libos (private to libos).
 *
 * One event thread per PD, started by libos at program start if some part
 * of libos registered a channel (today: the console, console.c).  It loops
 * in FB_SYS_RECV; for each notified channel it calls the registered
 * handler (with no lock held) or, for a channel nobody registered, records
 * the bit (libos_events_take).  After every event it calls
 * libos_file_changed(), which wakes every thread blocked in read, write or
 * poll so that each looks at its condition again, unless every channel of
 * the event has a handler that does that itself (libos_events_self_waking).
 *
 * The thread is created with FB_SYS_THREAD_CREATE directly, not through
 * musl: it has no thread pointer (TPIDRURO 0), its own stack from libos
 * pages, and is in no list of musl's, so erts never sees or counts it.  A
 * handler therefore must not run any musl code that touches TLS (errno,
 * locks of stdio, malloc): only libos code and musl's string functions.
 * A ppcall to the PD is answered with label -ENOSYS; a fault record of a PD
 * this PD monitors goes to /dev/pd (dev_pd.c: logged, kept for readers).
 */
#ifndef LIBOS_EVENTS_H
#define LIBOS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*libos_event_fn)(unsigned ch);

/* Before libos_events_start: call fn in the event thread whenever channel
 * ch is notified (and once when the thread starts).  0 or -EINVAL. */
int libos_events_on(unsigned ch, libos_event_fn fn);
/* Before libos_events_start: ch's handler wakes blocked threads itself
 * (libos_file_changed) when it changed something, so an event of ch
 * alone needs no wake-up after it (net_eth.c: most frames change nothing
 * a thread waits for). */
void libos_events_self_waking(unsigned ch);
/* Before libos_events_start: start the thread even if no channel has a
 * handler (this PD monitors others: their fault records must be taken). */
void libos_events_want(void);
/* Is a handler registered for channel ch? */
bool libos_events_has(unsigned ch);
/* Start the event thread if any channel has a handler: 0, or the kernel's
 * error (the handlers will then never run). */
int libos_events_start(void);
/* A thread of libos's own like the event thread (made with
 * FB_SYS_THREAD_CREATE, unknown to musl, so entry must touch no TLS) at
 * the PD's priority, on a stack of stack_bytes from libos's pages: 0 or
 * -errno.  The commit timer of /data uses it (ext4_timer.c). */
int libos_helper_thread(void (*entry)(void *), uint32_t stack_bytes);
/* Notified channels without a handler, of those in mask; clears them. */
uint64_t libos_events_take(uint64_t mask);

#endif
