/*
 * chacha20.h - the ChaCha20 block function (RFC 8439, section 2.3) and the
 * random generator libos builds on it (csprng.c).  Pure code with no libos
 * dependency, so that tests/host/test_chacha20.c checks it on the host
 * against the RFC's test vectors.
 */
#ifndef LIBOS_CHACHA20_H
#define LIBOS_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES 32u
#define CHACHA20_NONCE_BYTES 12u
#define CHACHA20_BLOCK_BYTES 64u

/* One 64-byte block of key stream for (key, counter, nonce). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES]);

/* XOR len bytes of key stream, starting at block `counter`, into buf
 * (RFC 8439's encryption, section 2.4). */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                  const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t *buf, size_t len);

/*
 * The generator: a 256-bit key with "fast key erasure".  Every request
 * runs ChaCha20 under the current key (nonce zero, counter from 0); the
 * first 32 bytes of the stream become the next key before any output is
 * given, so the state that produced past output is gone once it returns.
 * A request asks for at most CSPRNG_MAX_REQUEST bytes (the caller loops).
 * Seeding mixes new entropy into the key (it never replaces it): the new
 * key is ChaCha20 under the old key with the entropy XORed in.
 */
#define CSPRNG_MAX_REQUEST 65536u

struct csprng {
    uint8_t key[CHACHA20_KEY_BYTES];
    uint32_t seeds;                    /* times entropy was mixed in */
};

/* Mix len bytes of entropy into the key (any length). */
void csprng_mix(struct csprng *g, const uint8_t *entropy, size_t len);

/* Fill out with len (<= CSPRNG_MAX_REQUEST) bytes and erase the key that
 * made them. */
void csprng_generate(struct csprng *g, uint8_t *out, size_t len);

#endif
