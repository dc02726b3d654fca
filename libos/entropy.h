/*
 * entropy.h - libos's random bytes (private to libos): a ChaCha20 CSPRNG
 * (chacha20.h) seeded and reseeded from the entropy driver PD over the
 * channel named `entropy` (drivers/rng), serving getrandom (sys_ident.c)
 * and /dev/random, /dev/urandom (vfs_dev.c).  libos/README.md, "Random
 * bytes", says it in prose.
 */
#ifndef LIBOS_ENTROPY_H
#define LIBOS_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At start, before the devices and the event thread: find the entropy
 * channel and ask for the first seed, or say once that there is none. */
void libos_entropy_init(void);

/* Fill buf (len bytes, already checked writable): len, or -EAGAIN when not
 * seeded yet and nonblock (else it waits for the seed), -EINTR.  insecure:
 * give bytes even before the seed (GRND_INSECURE). */
long libos_random_fill(void *buf, size_t len, bool nonblock, bool insecure);

/* dev_pd.c: a PD this PD monitors stopped (fault or exit). */
void libos_entropy_peer_stopped(uint32_t pd);

#endif
