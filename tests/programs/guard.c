/*
 * guard.c - protections that hold (run by tests/suites/run-program.sh):
 *   guard none   loads from a page made PROT_NONE with mprotect
 *   guard ro     stores to a page mmap'ed PROT_READ
 *   guard stack  a thread recurses until it runs off its stack into the
 *                guard page musl's pthread_create puts below it
 * Each must fault the program's PD (exit status 139) at that address;
 * reaching the end of main is a failure (status 1).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile unsigned sink;

static volatile unsigned limit = 0xffffffffu;    /* never reached: the stack ends first */

static unsigned deeper(unsigned n)
{
    volatile unsigned char frame[512];
    frame[0] = (unsigned char)n;
    return n < limit ? deeper(n + 1) + frame[0] : 0;
}

static void *overflow(void *arg)
{
    (void)arg;
    sink = deeper(0);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "none") || !strcmp(what, "ro")) {
        int none = !strcmp(what, "none");
        volatile unsigned char *p = mmap(NULL, 4096, none ? PROT_READ | PROT_WRITE : PROT_READ,
                                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED || (none && mprotect((void *)p, 4096, PROT_NONE) != 0)) {
            perror("guard: mmap/mprotect");
            return 2;
        }
        printf("guard: %s page at %p; touching it\n", what, (void *)p);
        fflush(stdout);
        if (none)
            sink = p[8];
        else
            p[8] = 1;
    } else if (!strcmp(what, "stack")) {
        pthread_attr_t a;
        pthread_t t;
        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 64 * 1024);
        printf("guard: a thread with a 64 KiB stack recurses\n");
        fflush(stdout);
        if (pthread_create(&t, &a, overflow, NULL) != 0) {
            perror("guard: pthread_create");
            return 2;
        }
        pthread_join(t, NULL);
    }
    printf("guard: FAIL nothing faulted\n");
    return 1;
}
