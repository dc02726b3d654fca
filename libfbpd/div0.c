/*
 * div0.c - what libgcc's division helpers call on a division by zero.
 * libgcc's own versions call raise() from a libc we do not have; a PD that
 * divides by zero should simply fault, so its monitor hears of it.
 */
#include <freebeam/fbpd.h>

int __aeabi_idiv0(int r);
long long __aeabi_ldiv0(long long r);

int __aeabi_idiv0(int r)
{
    (void)r;
    __builtin_trap();
}

long long __aeabi_ldiv0(long long r)
{
    (void)r;
    __builtin_trap();
}
