/*
 * mmu.c - ARMv7-A short-descriptor translation tables.
 *
 * TTBCR.N = 2 splits the address space: TTBR0 translates the user window
 * [0, 1 GiB) with a 4 KiB first-level table per PD, TTBR1 translates the rest
 * with the kernel's one global table.  The kernel identity-maps RAM
 * (privileged only, so a PD touching it faults) and maps the devices it uses
 * at high addresses.  User pages are non-global and tagged with the PD's
 * ASID; pages a PD may not write are read-only for the kernel too (AP 111),
 * and everything not executable is XN.  Domain 0 is a client domain, so
 * permissions are always checked (docs/internals.md note 26).
 */
#include "kernel.h"
#include "lib.h"
#include "arch/armv7/cpu.h"
#include "plat/qemu-virt/platform.h"

static uint32_t kernel_l1[4096] __attribute__((aligned(16384)));
static uint32_t empty_l1[1024] __attribute__((aligned(4096)));  /* TTBR0 while the ASID changes */
static uint32_t kernel_l2[256] __attribute__((aligned(1024)));   /* the kernel's own MiB, by page */
extern char __text_end[], __rodata_end[];

/* Table walks are inner and outer write-back write-allocate, shareable. */
#define TTBR_WALK    0x4au

/* first-level section: normal memory, write-back write-allocate, shareable */
#define SEC_NORMAL   ((1u << 12) | (1u << 3) | (1u << 2) | (1u << 16) | 2u)
#define SEC_DEVICE   ((1u << 2) | 2u)
#define SEC_XN       (1u << 4)
#define SEC_AP_PRIV  (1u << 10)     /* AP = 01: privileged read/write, no user access */

/* second-level small page */
#define PG_XN        1u
#define PG_SMALL     2u
#define PG_NORMAL    ((1u << 6) | (1u << 3) | (1u << 2) | (1u << 10))
#define PG_DEVICE    (1u << 2)
#define PG_AP_RW     (3u << 4)              /* AP = 011: read/write at PL0 and PL1 */
#define PG_AP_RO     ((1u << 9) | (3u << 4)) /* AP = 111: read-only at PL0 and PL1 */
#define PG_NG        (1u << 11)

#define PG_AP_PRIV_RW (1u << 4)             /* AP = 001: privileged read/write */
#define PG_AP_PRIV_RO ((1u << 9) | (1u << 4)) /* AP = 101: privileged read-only */
#define L1_TABLE     1u
#define L1_PXN       (1u << 2)

void mmu_init(void)
{
    /* RAM, identity mapped, privileged only and never executable ... */
    for (uint32_t mb = 0; mb < ram_size >> 20; mb++) {
        uint32_t pa = FB_RAM_BASE + (mb << 20);
        kernel_l1[pa >> 20] = pa | SEC_NORMAL | SEC_AP_PRIV | SEC_XN;
    }
    /* ... but the kernel's own MiB, page by page: code read-only and
     * executable, read-only data, and everything else writable, not executable. */
    uint32_t base = FB_KERNEL_PADDR & ~0xfffffu;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t pa = base + (i << 12);
        uint32_t attr = PG_SMALL | PG_NORMAL;
        if (pa >= FB_KERNEL_PADDR && pa < (uint32_t)__text_end)
            attr |= PG_AP_PRIV_RO;
        else if (pa >= (uint32_t)__text_end && pa < (uint32_t)__rodata_end)
            attr |= PG_AP_PRIV_RO | PG_XN;
        else
            attr |= PG_AP_PRIV_RW | PG_XN;
        kernel_l2[i] = pa | attr;
    }
    kernel_l1[base >> 20] = (uint32_t)kernel_l2 | L1_TABLE;
    kernel_l1[GIC_VA >> 20] = GIC_PA | SEC_DEVICE | SEC_AP_PRIV | SEC_XN;
    kernel_l1[UART_VA >> 20] = UART_PA | SEC_DEVICE | SEC_AP_PRIV | SEC_XN;
    dsb();
    write_ttbcr(2);
    write_ttbr1((uint32_t)kernel_l1 | TTBR_WALK);
    write_ttbr0((uint32_t)empty_l1 | TTBR_WALK);
    write_contextidr(0);
    write_dacr(1);                  /* domain 0: client */
    write_tlbiall(0);
    write_iciallu(0);
    dsb();
    isb();
    uint32_t sctlr = read_sctlr();
    sctlr |= (1u << 0) | (1u << 2) | (1u << 11) | (1u << 12);  /* M, C, Z, I */
    sctlr &= ~((1u << 1) | (1u << 28) | (1u << 29) | (1u << 13)); /* A, TRE, AFE, V */
    write_sctlr(sctlr);
    isb();
    platform_mmu_on();
}

uint32_t *mmu_new_space(void)
{
    return (uint32_t *)palloc(4096, 4096);
}

static uint32_t *l2_for(uint32_t *l1, uint32_t vaddr, int create)
{
    uint32_t *e = &l1[vaddr >> 20];
    if ((*e & 3u) == L1_TABLE)
        return (uint32_t *)(*e & ~0x3ffu);
    if (!create)
        return NULL;
    uint32_t l2 = palloc(1024, 1024);
    if (!l2)
        return NULL;
    *e = l2 | L1_TABLE | L1_PXN;
    return (uint32_t *)l2;
}

int mmu_map(uint32_t *l1, uint32_t vaddr, uint32_t paddr, uint32_t size, uint32_t perms, int device)
{
    uint32_t attr = PG_SMALL | PG_NG | (device ? PG_DEVICE : PG_NORMAL);
    attr |= (perms & FB_PERM_W) ? PG_AP_RW : PG_AP_RO;
    if (!(perms & FB_PERM_X) || device)
        attr |= PG_XN;
    /* One second-level table (1 MiB, 256 pages) at a time: the rest-of-RAM
     * region is hundreds of MiB, and looking the table up for every page
     * cost about 2 million instructions of the boot. */
    for (uint32_t off = 0; off < size;) {
        uint32_t va = vaddr + off;
        _Static_assert((FB_USER_TOP & 0xfffffu) == 0, "a second-level table is all user or all not");
        if (va >= FB_USER_TOP)
            return -FB_EINVAL;
        uint32_t *l2 = l2_for(l1, va, 1);
        if (!l2)
            return -FB_ENOMEM;
        uint32_t i = (va >> 12) & 0xff;
        uint32_t left = (size - off + FB_PAGE - 1) / FB_PAGE;   /* pages still to map */
        uint32_t end = left < 256 - i ? i + left : 256;
        for (; i < end; i++, off += FB_PAGE) {
            if (l2[i])
                return -FB_EBUSY;
            l2[i] = ((paddr + off) & ~0xfffu) | attr;
        }
    }
    dsb();
    return 0;
}

/* New permissions for mapped pages (the caller checked that they are):
 * the access bits and XN change, the frame and memory type stay.  perms 0:
 * privileged access only, so any user access faults.  Device memory stays
 * XN.  Then the TLB forgets the space's old entries. */
void mmu_protect(uint32_t *l1, uint32_t asid, uint32_t vaddr, uint32_t size, uint32_t perms)
{
    const uint32_t ap_mask = (1u << 9) | (3u << 4);
    uint32_t ap = !(perms & FB_PERM_R) ? PG_AP_PRIV_RW : (perms & FB_PERM_W) ? PG_AP_RW : PG_AP_RO;
    for (uint32_t off = 0; off < size; off += FB_PAGE) {
        uint32_t va = vaddr + off;
        uint32_t *pte = &l2_for(l1, va, 0)[(va >> 12) & 0xff];
        int device = (*pte & PG_NORMAL) != PG_NORMAL;
        uint32_t v = (*pte & ~(ap_mask | PG_XN)) | ap;
        if (!(perms & FB_PERM_X) || device)
            v |= PG_XN;
        *pte = v;
    }
    dsb();
    write_tlbiasid(asid);
    dsb();
    isb();
}

void mmu_switch(const struct pd *pd)
{
    write_ttbr0((uint32_t)empty_l1 | TTBR_WALK);
    isb();
    write_contextidr(pd->asid);
    isb();
    write_ttbr0((uint32_t)pd->l1 | TTBR_WALK);
    isb();
}

void cache_sync_code(uint32_t paddr, uint32_t size)
{
    for (uint32_t a = paddr & ~63u; a < paddr + size; a += 64)
        write_dccmvau(a);
    dsb();
    write_iciallu(0);
    write_bpiall(0);
    dsb();
    isb();
}
