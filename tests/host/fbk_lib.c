/*
 * fbk_lib.c - kernel/lib.c compiled under other names (fbk_memcpy, ...), so
 * that a test can link it beside a libc that defines the standard ones:
 * tests/host/test_lib.c (on the host) and tests/programs/klib.c (on the
 * target, where its ldm/stm paths are compiled) include this file.
 */
#define memcpy fbk_memcpy
#define memmove fbk_memmove
#define memset fbk_memset
#define memcmp fbk_memcmp
#define strlen fbk_strlen
#define strcmp fbk_strcmp
#define strncmp fbk_strncmp
#include "../../kernel/lib.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strcmp
#undef strncmp
