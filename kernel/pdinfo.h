/*
 * pdinfo.h - the writer of a PD's read-only info area (kapi.h, struct
 * fb_pdinfo), apart from pd.c so that host tests can run it on a checked
 * blob without building address spaces.
 */
#ifndef FB_KERNEL_PDINFO_H
#define FB_KERNEL_PDINFO_H

#include <stdint.h>
#include "kernel.h"
#include "sysimage_check.h"

/*
 * Fill the FB_PDINFO_BYTES at `area` (zeroed here) for `pd`, whose maps are
 * all made (the info area's own included), from the checked image: who it
 * is, its maps, its arguments, its channel ends and irqs by id, every PD
 * of the system.  The real-time clock fields are left 0 for the caller.
 * 0, or -1 with a reason in *why if it does not fit (it always does within
 * sysimage.h's limits: see pdinfo.c).
 */
int pdinfo_write(uint8_t *area, const struct fb_sysimage *img, const struct pd *pd, const char **why);

#endif
