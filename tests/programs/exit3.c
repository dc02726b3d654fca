/* exit3.c - exit(3) must become run-program's exit status 3. */
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
    printf("exit3: leaving with 3\n");
    exit(3);
}
