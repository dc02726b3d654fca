/* files.c - a file from --files (read-only, at /) and a file written and
 * read back in /tmp. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    char buf[128] = { 0 };
    FILE *f = fopen("/greeting.txt", "r");
    if (!f || !fgets(buf, sizeof buf, f)) {
        printf("files: cannot read /greeting.txt (errno %d)\n", errno);
        return 1;
    }
    fclose(f);
    printf("files: /greeting.txt says: %s", buf);
    if (fopen("/greeting.txt", "w") || errno != EROFS) {
        printf("files: writing the archive did not give EROFS\n");
        return 1;
    }
    f = fopen("/tmp/note", "w");
    if (!f || fprintf(f, "written in /tmp\n") < 0 || fclose(f)) {
        printf("files: cannot write /tmp/note\n");
        return 1;
    }
    memset(buf, 0, sizeof buf);
    f = fopen("/tmp/note", "r");
    if (!f || !fgets(buf, sizeof buf, f) || strcmp(buf, "written in /tmp\n")) {
        printf("files: /tmp/note did not read back\n");
        return 1;
    }
    fclose(f);
    printf("files: /tmp/note read back\n");
    return 0;
}
