/*
 * gic.c - the GICv2 distributor and CPU interface: all SPIs off until a PD's
 * IRQ is bound, one priority for everything, everything to CPU 0.  A device
 * IRQ is masked when it fires and unmasked by the owner's irq_ack (docs/internals.md
 * note 23), so a level-triggered line cannot storm.
 */
#include "kernel.h"
#include "plat/qemu-virt/platform.h"

#define GICD ((volatile uint32_t *)(GIC_VA + GICD_OFF))
#define GICC ((volatile uint32_t *)(GIC_VA + GICC_OFF))
#define GICD_CTLR       (0x000 / 4)
#define GICD_TYPER      (0x004 / 4)
#define GICD_ISENABLER  (0x100 / 4)
#define GICD_ICENABLER  (0x180 / 4)
#define GICD_IPRIORITYR (0x400 / 4)
#define GICD_ITARGETSR  (0x800 / 4)
#define GICD_ICFGR      (0xc00 / 4)
#define GICC_CTLR       (0x000 / 4)
#define GICC_PMR        (0x004 / 4)
#define GICC_IAR        (0x00c / 4)
#define GICC_EOIR       (0x010 / 4)

static uint32_t nlines;

void gic_init(void)
{
    GICD[GICD_CTLR] = 0;
    nlines = 32 * ((GICD[GICD_TYPER] & 0x1f) + 1);
    if (nlines > 1020)
        nlines = 1020;
    for (uint32_t i = 0; i < nlines; i += 32)
        GICD[GICD_ICENABLER + i / 32] = 0xffffffffu;
    for (uint32_t i = 0; i < nlines; i += 4)
        GICD[GICD_IPRIORITYR + i / 4] = 0xa0a0a0a0u;
    for (uint32_t i = 32; i < nlines; i += 4)
        GICD[GICD_ITARGETSR + i / 4] = 0x01010101u;
    for (uint32_t i = 32; i < nlines; i += 16)
        GICD[GICD_ICFGR + i / 16] = 0;          /* level-triggered */
    GICD[GICD_CTLR] = 1;
    GICC[GICC_PMR] = 0xf0;
    GICC[GICC_CTLR] = 1;
}

void gic_enable(uint32_t irq, int edge)
{
    if (irq >= 32) {
        uint32_t shift = (irq % 16) * 2 + 1;
        uint32_t v = GICD[GICD_ICFGR + irq / 16];
        v = edge ? (v | (1u << shift)) : (v & ~(1u << shift));
        GICD[GICD_ICFGR + irq / 16] = v;
    }
    gic_unmask(irq);
}

void gic_mask(uint32_t irq)   { GICD[GICD_ICENABLER + irq / 32] = 1u << (irq % 32); }
void gic_unmask(uint32_t irq) { GICD[GICD_ISENABLER + irq / 32] = 1u << (irq % 32); }
uint32_t gic_ack(void)        { return GICC[GICC_IAR]; }
void gic_eoi(uint32_t iar)    { GICC[GICC_EOIR] = iar; }
