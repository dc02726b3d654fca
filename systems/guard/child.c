/*
 * child.c - the guard test's PD (systems/guard.config): writes its page,
 * checks PROTECT's refusals, then protects the page and touches it the way
 * its monitor says for this run (1: store to a read-only page, 2: load from
 * a page without access), which must fault at the page's address.
 */
#include <freebeam/fbpd.h>

#define PAGE 4096u

static volatile uint8_t page[PAGE] __attribute__((aligned(PAGE)));

void init(void)
{
    struct fb_msg q = {0};
    unsigned run = fb_ppcall(0, q).label;
    page[0] = (uint8_t)run;             /* writable again after every restart */
    fb_printf("guard: run %u wrote its page at %p\n", run, (void *)page);
    int einval = fb_protect((void *)page, PAGE, FB_PERM_R | FB_PERM_W | FB_PERM_X);
    int eperm = fb_protect((void *)((uintptr_t)init & ~(uintptr_t)(PAGE - 1)), PAGE,
                           FB_PERM_R | FB_PERM_W);
    int unaligned = fb_protect((void *)(page + 1), PAGE, FB_PERM_R);
    fb_printf("guard: W|X %d, writable text %d, unaligned %d\n", einval, eperm, unaligned);
    if (run == 1) {
        fb_printf("guard: read-only: %d\n", fb_protect((void *)page, PAGE, FB_PERM_R));
        fb_printf("guard: the page still reads %u; storing to it\n", page[0]);
        page[1] = 1;
    } else {
        fb_printf("guard: no access: %d; loading from it\n", fb_protect((void *)page, PAGE, 0));
        fb_printf("guard: %u\n", page[2]);
    }
    fb_printf("guard: FAIL the access did not fault\n");
}
