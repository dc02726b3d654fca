/* main.c - the trivial program of bench/boot-to-main: the first thing main
 * does is read PMU counter 0, which the kernel starts at boot counting
 * instructions (event 0x08) and PDs may read (PMUSERENR.EN). */
#include <stdio.h>

static unsigned read_insns(void)
{
    unsigned v;
    __asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\t"   /* PMSELR = 0 */
                     "isb\n\t"
                     "mrc p15, 0, %0, c9, c13, 2"       /* PMXEVCNTR */
                     : "=r"(v) : "r"(0));
    return v;
}

int main(void)
{
    unsigned n = read_insns();
    printf("boot_to_main_insns=%u\n", n);
    return 0;
}
