/* abort.c - abort(): a status above 128 (134, as SIGABRT on Linux). */
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
    printf("abort: calling abort()\n");
    abort();
}
