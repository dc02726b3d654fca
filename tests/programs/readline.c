/* readline.c - a line read from stdin (the console: run-program's stdin). */
#include <stdio.h>
#include <string.h>
int main(void)
{
    char buf[256];
    printf("readline: type a line\n");
    if (!fgets(buf, sizeof buf, stdin)) {
        printf("readline: no input\n");
        return 1;
    }
    buf[strcspn(buf, "\n")] = 0;
    printf("readline: got '%s'\n", buf);
    return 0;
}
