/*
 * victim.c - owns the private region the prober must not read: it leaves a
 * secret there and then only waits.
 */
#include "isolation.h"

void init(void)
{
    *(volatile uint32_t *)ISO_SECRET_VADDR = ISO_SECRET;
    fb_printf("victim: pd %u stored its secret at %p\n", fb_pd_self(), (void *)ISO_SECRET_VADDR);
}
