/*
 * test_krights.c - kernel/uaccess.c and kernel/rights.c: a user range is
 * good only if every byte is mapped with the asked permissions (ranges may
 * span adjacent mappings, never a gap, never wrap past 0xffffffff); a PD
 * controls only the PDs it monitors and only with FB_RIGHT_PD_CONTROL; a
 * tid names a thread only in its own PD.
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "kstubs.h"

#define R FB_PERM_R
#define W FB_PERM_W
#define X FB_PERM_X

static void add_map(struct pd *pd, uint32_t vaddr, uint32_t size, uint32_t perms)
{
    struct seg_map *m = &pd->maps[pd->nmaps++];
    memset(m, 0, sizeof *m);
    m->vaddr = vaddr;
    m->size = size;
    m->perms = perms;
}

static void uaccess(void)
{
    struct pd *pd = kstub_pd(0, 10, 4);
    /* Listed out of address order on purpose. */
    add_map(pd, 0x00002000, 0x2000, R | W);     /* data, right after the code */
    add_map(pd, 0x00001000, 0x1000, R | X);     /* code */
    add_map(pd, 0x00005000, 0x1000, R);         /* after a gap at 0x4000 */
    add_map(pd, 0xfffff000, 0x1000, R | W);     /* the last page */
    add_map(pd, 0x00000000, 0x1000, R | W);     /* the first page */
    add_map(pd, 0x00008000, 0x1000, W);         /* write-only */

    CHECK(uaccess_ok(pd, 0x1000, 0x1000, R));
    CHECK(uaccess_ok(pd, 0x1000, 2, X));
    CHECK(uaccess_ok(pd, 0x1000, 2, R | X));
    CHECK(!uaccess_ok(pd, 0x1000, 2, W));
    CHECK(!uaccess_ok(pd, 0x2000, 2, X));
    CHECK(uaccess_ok(pd, 0x3ffc, 4, R | W));
    CHECK(!uaccess_ok(pd, 0x3ffd, 4, R));       /* one byte into the gap */
    CHECK(!uaccess_ok(pd, 0x4000, 1, R));
    CHECK(!uaccess_ok(pd, 0x4fff, 1, 0));       /* unmapped even with no perms */
    CHECK(uaccess_ok(pd, 0x5000, 0x1000, R));
    CHECK(!uaccess_ok(pd, 0x5000, 0x1000, W));
    CHECK(!uaccess_ok(pd, 0x5ffc, 8, R));       /* runs off the end */
    CHECK(uaccess_ok(pd, 0x8000, 4, W));
    CHECK(!uaccess_ok(pd, 0x8000, 4, R | W));

    /* Across adjacent maps: allowed only with the perms both have. */
    CHECK(uaccess_ok(pd, 0x0ff0, 0x20, R));     /* first page -> code */
    CHECK(!uaccess_ok(pd, 0x0ff0, 0x20, W));
    CHECK(uaccess_ok(pd, 0x1ff0, 0x20, R));     /* code -> data */
    CHECK(!uaccess_ok(pd, 0x1ff0, 0x20, W));
    CHECK(!uaccess_ok(pd, 0x1ff0, 0x20, X));
    CHECK(uaccess_ok(pd, 0x0000, 0x4000, R));   /* three maps */
    CHECK(!uaccess_ok(pd, 0x0000, 0x4001, R));
    CHECK(!uaccess_ok(pd, 0x3000, 0x2800, R));  /* over the gap into the next map */

    /* Length 0 touches nothing, so it is fine anywhere. */
    CHECK(uaccess_ok(pd, 0x4000, 0, R | W | X));
    CHECK(uaccess_ok(pd, 0xffffffffu, 0, R));

    /* The top of the address space: no wrap to the first page. */
    CHECK(uaccess_ok(pd, 0xfffffff0u, 0x10, R | W));
    CHECK(uaccess_ok(pd, 0xffffffffu, 1, R));
    CHECK(!uaccess_ok(pd, 0xffffffffu, 2, R));
    CHECK(!uaccess_ok(pd, 0xfffffff0u, 0x20, R));
    CHECK(!uaccess_ok(pd, 0xfffff000u, 0x1001, R));
    CHECK(!uaccess_ok(pd, 0x1000, 0xffffffffu, 0));
    CHECK(!uaccess_ok(pd, 0, 0xffffffffu, 0));  /* everything: there are gaps */

    /* No maps at all. */
    struct pd *empty = kstub_pd(1, 10, 4);
    CHECK(!uaccess_ok(empty, 0x1000, 1, 0));
    CHECK(uaccess_ok(empty, 0x1000, 0, 0));

    /* The whole space mapped in two halves. */
    struct pd *full = kstub_pd(2, 10, 4);
    add_map(full, 0x80000000u, 0x80000000u, R | W);
    add_map(full, 0x00000000u, 0x80000000u, R);
    CHECK(uaccess_ok(full, 0, 0xffffffffu, R));
    CHECK(!uaccess_ok(full, 0, 0xffffffffu, W));
    CHECK(uaccess_ok(full, 0x80000000u, 0x7fffffffu, W));
    CHECK(uaccess_ok(full, 0x7ffffffcu, 8, R));
    CHECK(!uaccess_ok(full, 0x7ffffffcu, 8, R | W));
    CHECK(kstub_reset());
}

static void children(void)
{
    struct pd *mon = kstub_pd(0, 200, 4), *a = kstub_pd(1, 100, 4), *b = kstub_pd(2, 100, 4);
    struct pd *weak = kstub_pd(3, 150, 4), *wc = kstub_pd(4, 100, 4), *solo = kstub_pd(5, 1, 4);
    mon->rights = FB_RIGHT_PD_CONTROL | FB_RIGHT_POWEROFF;
    weak->rights = FB_RIGHT_POWEROFF;           /* monitors wc but may not control it */
    a->rights = FB_RIGHT_PD_CONTROL;            /* the right, but no children */
    a->monitor = mon;
    b->monitor = mon;
    weak->monitor = mon;
    wc->monitor = weak;
    CHECK(pd_child(mon, 1) == a);
    CHECK(pd_child(mon, 2) == b);
    CHECK(pd_child(mon, 3) == weak);
    CHECK(pd_child(mon, 4) == NULL);            /* a grandchild */
    CHECK(pd_child(mon, 0) == NULL);            /* itself */
    CHECK(pd_child(mon, 5) == NULL);
    CHECK(pd_child(weak, 4) == NULL);           /* no FB_RIGHT_PD_CONTROL */
    CHECK(pd_child(a, 2) == NULL);              /* a sibling */
    CHECK(pd_child(a, 0) == NULL);              /* its monitor */
    CHECK(pd_child(solo, 5) == NULL);
    CHECK(pd_child(mon, npds) == NULL);
    CHECK(pd_child(mon, FB_MAX_PDS) == NULL);
    CHECK(pd_child(mon, 0xffffffffu) == NULL);
    /* A slot past npds that claims mon as monitor is still not a PD. */
    pds[7].monitor = mon;
    CHECK(npds == 6);
    CHECK(pd_child(mon, 7) == NULL);
    CHECK(kstub_reset());
}

static void threads(void)
{
    struct pd *a = kstub_pd(0, 10, 8), *b = kstub_pd(1, 10, 8);
    struct tcb *t = kstub_thread(a, 5, 1), *u = kstub_thread(b, 5, 0), *v = kstub_thread(a, 5, 0);
    CHECK(thread_of_pd(a, t->tid) == t);
    CHECK(thread_of_pd(a, v->tid) == v);        /* any state but free */
    CHECK(thread_of_pd(b, u->tid) == u);
    CHECK(thread_of_pd(b, t->tid) == NULL);     /* another PD's thread */
    CHECK(thread_of_pd(a, u->tid) == NULL);
    CHECK(thread_of_pd(a, 0) == NULL);
    CHECK(thread_of_pd(a, a->tid_base + 8) == NULL);    /* a free slot */
    CHECK(thread_of_pd(a, a->tid_base + 9) == NULL);    /* past a's table */
    CHECK(thread_of_pd(b, a->tid_base + 1) == NULL);    /* below b's */
    CHECK(thread_of_pd(a, 0xffffffffu) == NULL);
    CHECK(thread_of_pd(a, 0x80000000u) == NULL);
    uint32_t vt = v->tid;
    thread_free(v);
    CHECK(thread_of_pd(a, vt) == NULL);         /* freed */
    struct tcb *w = kstub_thread(a, 5, 0);      /* the slot again */
    CHECK(w->tid == vt);
    CHECK(thread_of_pd(a, vt) == w);
    CHECK(thread_of_pd(b, vt) == NULL);
    /* The last slot of the largest table works too. */
    struct pd *big = kstub_pd(2, 10, FB_MAX_THREADS_PD);
    struct tcb *last = NULL, *x;
    while ((x = thread_alloc(big)))
        last = x;
    CHECK(last && last->tid == big->tid_base + FB_MAX_THREADS_PD);
    CHECK(thread_of_pd(big, last->tid) == last);
    CHECK(thread_of_pd(big, last->tid + 1) == NULL);
    CHECK(thread_of_pd(a, last->tid) == NULL);
    CHECK(kstub_reset());
}

int main(void)
{
    uaccess();
    children();
    threads();
    return check_report("test_krights");
}
