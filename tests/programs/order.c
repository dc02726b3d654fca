/* order.c - stdout and stderr arrive in the order written, and what is
 * written right before exit is not lost. */
#include <stdio.h>
int main(void)
{
    for (int i = 0; i < 50; i++) {
        printf("order: out %d\n", i);
        fprintf(stderr, "order: err %d\n", i);
    }
    printf("order: last words without a newline");
    return 0;
}
