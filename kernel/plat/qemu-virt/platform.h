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
#define RTC_VA     (UART_VA + 0x10000u)   /* PL031, in the UART's section (PA 0x09010000) */
#define RAM_SIZE   0x08000000u   /* 128 MiB: assumed when no device tree says more */

#define IRQ_VTIMER 27u

/* QEMU starts a machine with zero-filled RAM, and nothing but the image and
 * the device tree (both below the frames palloc hands out) is loaded. */
#define RAM_ZERO_AT_BOOT 1

void platform_mmu_on(void);
uint32_t fdt_ram_size(const void *fdt, uint32_t max_len);  /* bytes of RAM, 0 if unknown */
extern uint32_t ram_size;
void rtc_read_boot_time(void);
extern uint32_t rtc_boot_seconds;
extern uint64_t rtc_boot_ticks;      /* devices move to their virtual addresses */

#endif
