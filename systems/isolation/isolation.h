/*
 * isolation.h - what the isolation demo's monitor and prober share: the
 * layout of the control region and the list of forbidden accesses, each
 * with the fault it must raise.
 */
#ifndef ISOLATION_H
#define ISOLATION_H

#include <freebeam/fbpd.h>
#include <freebeam/sysimage.h>

#define ISO_CTL_VADDR    0x20000000u  /* monitor and prober: rw */
#define ISO_SECRET_VADDR 0x30000000u  /* victim only */
#define ISO_SECRET       0x5ec2e75au
#define ISO_PROBER_PD    1u

/* The control region (zeroed by the kernel at boot, kept over restarts). */
struct iso_ctl {
    volatile uint32_t attempt;  /* monitor -> prober: which access to try */
    volatile uint32_t target;   /* prober -> monitor: the address it touches */
    volatile uint32_t leaked;   /* prober -> monitor: what it read, if it could */
};

enum { ISO_READ_VICTIM, ISO_READ_RAM, ISO_READ_KERNEL, ISO_WRITE_TEXT, ISO_EXEC_DATA, ISO_ATTEMPTS };

struct iso_attempt {
    const char *what;
    uint32_t kind;   /* the fault kind it must raise */
    uint32_t addr;   /* fixed target, or 0: the prober names it in ctl->target */
};

static const struct iso_attempt iso_attempts[ISO_ATTEMPTS] __attribute__((unused)) = {
    [ISO_READ_VICTIM] = { "read another PD's private memory", FB_FAULT_DATA_ABORT, ISO_SECRET_VADDR },
    [ISO_READ_RAM]    = { "read physical RAM", FB_FAULT_DATA_ABORT, FB_RAM_BASE },
    [ISO_READ_KERNEL] = { "read kernel memory", FB_FAULT_DATA_ABORT, FB_KERNEL_PADDR },
    [ISO_WRITE_TEXT]  = { "write its own code", FB_FAULT_DATA_ABORT, 0 },
    [ISO_EXEC_DATA]   = { "execute its own data", FB_FAULT_PREFETCH_ABORT, 0 },
};

#endif
