/*
 * test_chacha20.c - libos's ChaCha20 (libos/chacha20.c) against RFC 8439's
 * test vectors (the block function of section 2.3.2, the encryption of
 * section 2.4.2, block test vector #1 of appendix A.1), and the generator's
 * properties: key erasure (the key changes on every request), output
 * splitting (two requests differ), mixing changes the stream, lengths that
 * are not a multiple of a block.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../../libos/chacha20.h"

static size_t unhex(const char *s, uint8_t *out)
{
    size_t n = 0;
    for (; s[0] && s[1]; s += 2)
        out[n++] = (uint8_t)strtoul((char[]){ s[0], s[1], 0 }, NULL, 16);
    return n;
}

static int same_hex(const uint8_t *got, size_t len, const char *want_hex)
{
    uint8_t want[256];
    size_t n = unhex(want_hex, want);
    return n == len && memcmp(got, want, len) == 0;
}

static const uint8_t rfc_key[32] = { 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                     11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                     22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };

static void block_2_3_2(void)
{
    const uint8_t nonce[12] = { 0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
    uint8_t out[64];
    chacha20_block(rfc_key, 1, nonce, out);
    CHECK(same_hex(out, 64,
                   "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                   "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"));
}

static void block_a_1_1(void)
{
    const uint8_t key[32] = { 0 }, nonce[12] = { 0 };
    uint8_t out[64];
    chacha20_block(key, 0, nonce, out);
    CHECK(same_hex(out, 64,
                   "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                   "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"));
}

static void encrypt_2_4_2(void)
{
    const uint8_t nonce[12] = { 0, 0, 0, 0, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
    const char *text = "Ladies and Gentlemen of the class of '99: If I could offer you only one "
                       "tip for the future, sunscreen would be it.";
    uint8_t buf[128];
    size_t len = strlen(text);
    CHECK(len == 114);
    memcpy(buf, text, len);
    chacha20_xor(rfc_key, 1, nonce, buf, len);
    CHECK(same_hex(buf, len,
                   "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                   "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                   "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                   "5af90bbf74a35be6b40b8eedf2785e42874d"));
    chacha20_xor(rfc_key, 1, nonce, buf, len);   /* decryption is the same */
    CHECK(memcmp(buf, text, len) == 0);
}

static void generator(void)
{
    struct csprng g = { .key = { 0 } }, h;
    uint8_t a[200], b[200], key0[32];
    csprng_mix(&g, (const uint8_t *)"seed", 4);
    CHECK(g.seeds == 1);
    h = g;
    memcpy(key0, g.key, 32);
    csprng_generate(&g, a, sizeof a);
    CHECK(memcmp(g.key, key0, 32) != 0);          /* the key that made a is gone */
    csprng_generate(&g, b, sizeof b);
    CHECK(memcmp(a, b, sizeof a) != 0);
    /* Same state, same output: deterministic, and a short request is a
     * prefix of a long one from the same state. */
    uint8_t c[37];
    struct csprng h2 = h;
    csprng_generate(&h2, c, sizeof c);
    CHECK(memcmp(a, c, sizeof c) == 0);
    /* The key after a request is not in the output. */
    int leaked = 0;
    for (size_t i = 0; i + 32 <= sizeof a; i++)
        leaked |= memcmp(a + i, h2.key, 32) == 0;
    CHECK(!leaked);
    /* Mixing changes what follows, and two different seeds differ. */
    struct csprng m1 = h, m2 = h;
    csprng_mix(&m1, (const uint8_t *)"x", 1);
    csprng_mix(&m2, (const uint8_t *)"y", 1);
    uint8_t o1[64], o2[64];
    csprng_generate(&m1, o1, sizeof o1);
    csprng_generate(&m2, o2, sizeof o2);
    CHECK(memcmp(o1, o2, 64) != 0 && memcmp(o1, a, 64) != 0);
    /* A long seed is absorbed whole: a change in its last byte matters. */
    uint8_t long_seed[100] = { 0 };
    struct csprng l1 = h, l2 = h;
    csprng_mix(&l1, long_seed, sizeof long_seed);
    long_seed[99] = 1;
    csprng_mix(&l2, long_seed, sizeof long_seed);
    CHECK(memcmp(l1.key, l2.key, 32) != 0);
    /* Requests above the maximum are cut to it; 0 bytes still rekey. */
    static uint8_t big[CSPRNG_MAX_REQUEST + 64];
    memset(big, 0xAA, sizeof big);
    csprng_generate(&g, big, sizeof big);
    CHECK(big[CSPRNG_MAX_REQUEST] == 0xAA && big[CSPRNG_MAX_REQUEST - 1] != 0xAA);
    memcpy(key0, g.key, 32);
    csprng_generate(&g, NULL, 0);
    CHECK(memcmp(g.key, key0, 32) != 0);
}

int main(void)
{
    block_2_3_2();
    block_a_1_1();
    encrypt_2_4_2();
    generator();
    return check_report("test_chacha20");
}
