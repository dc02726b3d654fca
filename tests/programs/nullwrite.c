/* nullwrite.c - a write through NULL: the kernel prints the fault record
 * and the status is above 128 (139, as SIGSEGV on Linux). */
#include <stdio.h>
int main(void)
{
    printf("nullwrite: writing through NULL\n");
    fflush(stdout);
    *(volatile int *)0 = 1;
    return 0;
}
