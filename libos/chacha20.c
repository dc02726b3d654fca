/*
 * chacha20.c - ChaCha20 (RFC 8439) and the fast-key-erasure generator of
 * chacha20.h.  Written from the RFC's description: a 4x4 state of 32-bit
 * words (constants, key, counter, nonce), 20 rounds of quarter rounds
 * (10 column + diagonal double rounds), then the input added back.
 */
#include "chacha20.h"

static uint32_t rotl(uint32_t v, unsigned n)
{
    return (v << n) | (v >> (32 - n));
}

static uint32_t load_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#define QUARTER(x, a, b, c, d)                                   \
    do {                                                         \
        x[a] += x[b]; x[d] ^= x[a]; x[d] = rotl(x[d], 16);       \
        x[c] += x[d]; x[b] ^= x[c]; x[b] = rotl(x[b], 12);       \
        x[a] += x[b]; x[d] ^= x[a]; x[d] = rotl(x[d], 8);        \
        x[c] += x[d]; x[b] ^= x[c]; x[b] = rotl(x[b], 7);        \
    } while (0)

void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES])
{
    uint32_t in[16], x[16];
    in[0] = 0x61707865u;   /* "expand 32-byte k" */
    in[1] = 0x3320646eu;
    in[2] = 0x79622d32u;
    in[3] = 0x6b206574u;
    for (unsigned i = 0; i < 8; i++)
        in[4 + i] = load_le(key + 4 * i);
    in[12] = counter;
    for (unsigned i = 0; i < 3; i++)
        in[13 + i] = load_le(nonce + 4 * i);
    for (unsigned i = 0; i < 16; i++)
        x[i] = in[i];
    for (unsigned round = 0; round < 10; round++) {
        QUARTER(x, 0, 4, 8, 12);
        QUARTER(x, 1, 5, 9, 13);
        QUARTER(x, 2, 6, 10, 14);
        QUARTER(x, 3, 7, 11, 15);
        QUARTER(x, 0, 5, 10, 15);
        QUARTER(x, 1, 6, 11, 12);
        QUARTER(x, 2, 7, 8, 13);
        QUARTER(x, 3, 4, 9, 14);
    }
    for (unsigned i = 0; i < 16; i++)
        store_le(out + 4 * i, x[i] + in[i]);
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                  const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t *buf, size_t len)
{
    uint8_t ks[CHACHA20_BLOCK_BYTES];
    for (size_t done = 0; done < len; done += CHACHA20_BLOCK_BYTES, counter++) {
        chacha20_block(key, counter, nonce, ks);
        size_t n = len - done < CHACHA20_BLOCK_BYTES ? len - done : CHACHA20_BLOCK_BYTES;
        for (size_t i = 0; i < n; i++)
            buf[done + i] ^= ks[i];
    }
    for (unsigned i = 0; i < sizeof ks; i++)
        ((volatile uint8_t *)ks)[i] = 0;
}

static void wipe(void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

static const uint8_t zero_nonce[CHACHA20_NONCE_BYTES];

void csprng_mix(struct csprng *g, const uint8_t *entropy, size_t len)
{
    /* Absorb 32 bytes at a time: the new key is the old key's stream with
     * the entropy XORed in, run through the block function once more so
     * that the key never equals stream ^ input directly. */
    uint8_t block[CHACHA20_BLOCK_BYTES];
    size_t done = 0;
    do {
        chacha20_block(g->key, 0, zero_nonce, block);
        size_t n = len - done < CHACHA20_KEY_BYTES ? len - done : CHACHA20_KEY_BYTES;
        for (size_t i = 0; i < n; i++)
            block[i] ^= entropy[done + i];
        chacha20_block(block, 1, zero_nonce, block);
        for (unsigned i = 0; i < CHACHA20_KEY_BYTES; i++)
            g->key[i] = block[i];
        done += n;
    } while (done < len);
    g->seeds++;
    wipe(block, sizeof block);
}

void csprng_generate(struct csprng *g, uint8_t *out, size_t len)
{
    uint8_t block[CHACHA20_BLOCK_BYTES];
    if (len > CSPRNG_MAX_REQUEST)
        len = CSPRNG_MAX_REQUEST;
    /* Block 0: the next key and 32 bytes of output; blocks 1..: output. */
    chacha20_block(g->key, 0, zero_nonce, block);
    uint8_t old_key[CHACHA20_KEY_BYTES];
    for (unsigned i = 0; i < CHACHA20_KEY_BYTES; i++) {
        old_key[i] = g->key[i];
        g->key[i] = block[i];
    }
    size_t n = len < 32 ? len : 32;
    for (size_t i = 0; i < n; i++)
        out[i] = block[32 + i];
    uint32_t counter = 1;
    for (size_t done = n; done < len; done += CHACHA20_BLOCK_BYTES, counter++) {
        chacha20_block(old_key, counter, zero_nonce, block);
        size_t m = len - done < CHACHA20_BLOCK_BYTES ? len - done : CHACHA20_BLOCK_BYTES;
        for (size_t i = 0; i < m; i++)
            out[done + i] = block[i];
    }
    wipe(block, sizeof block);
    wipe(old_key, sizeof old_key);
}
