/*
 * platform.h - where QEMU virt's devices are, physically and in the
 * kernel's address space, and how much RAM the kernel assumes.
 */
#ifndef PLAT_PLATFORM_H
#define PLAT_PLATFORM_H

#define GIC_PA     0x08000000u
#define GIC_VA     0xf8000000u
#define GICD_OFF   0x00000u
#define GICC_OFF   0x10000u
#define UART_PA    0x09000000u
#define UART_VA    0xf9000000u
#define RAM_SIZE   0x20000000u   /* 512 MiB: tools/freebeam run's default -m */

#define IRQ_VTIMER 27u

void platform_mmu_on(void);      /* devices move to their virtual addresses */

#endif
