/* args.c - argv and the small environment reach main. */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        printf("args: argv[%d]=%s\n", i, argv[i]);
    const char *keys[] = { "PATH", "HOME", "TERM", "TZ" };
    for (int i = 0; i < 4; i++)
        printf("args: %s=%s\n", keys[i], getenv(keys[i]) ? getenv(keys[i]) : "(unset)");
    return 0;
}
