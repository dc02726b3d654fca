/*
 * div0.c - libgcc's division helpers call these on a division by zero
 * (its default raises a signal, which a kernel has not got).
 */
#include "kernel.h"

void __aeabi_idiv0(void);
void __aeabi_ldiv0(void);
void __aeabi_idiv0(void) { panic("division by zero in the kernel"); }
void __aeabi_ldiv0(void) { panic("division by zero in the kernel"); }
