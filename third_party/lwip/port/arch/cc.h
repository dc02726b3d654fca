/*
 * arch/cc.h - lwIP's compiler and platform port for libos (ARMv7-A, gcc,
 * musl's headers for types only).  lwIP runs inside libos's system calls,
 * so it may print nothing through stdio and never call abort(): a failed
 * assertion goes to libos_net_assert (libos/net_stack.c), which says where
 * on the console and ends the PD.
 */
#ifndef FREEBEAM_LWIP_ARCH_CC_H
#define FREEBEAM_LWIP_ARCH_CC_H

#include <stdint.h>

#define BYTE_ORDER LITTLE_ENDIAN

/* Diagnostics are compiled out (LWIP_DEBUG is off): nothing to print with. */
#define LWIP_PLATFORM_DIAG(x) do { } while (0)

__attribute__((noreturn)) void libos_net_assert(const char *msg, int line, const char *file);
#define LWIP_PLATFORM_ASSERT(x) libos_net_assert((x), __LINE__, __FILE__)

/* Local ports and similar choices: not security-relevant here; never blocks. */
uint32_t libos_net_rand(void);
#define LWIP_RAND() libos_net_rand()

/* gcc's byte swaps instead of lwIP's C versions. */
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))

#endif
