/*
 * uart.c - kernel console output on the PL011 by polling.  Until a serial
 * driver PD exists this is also how PDs print (FB_SYS_DEBUG_PUTS).
 */
#include "kernel.h"
#include "plat/qemu-virt/platform.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_TXFF (1u << 5)

static volatile uint32_t *uart = (volatile uint32_t *)UART_PA;

void uart_putc(char c)
{
    if (c == '\n')
        uart_putc('\r');
    while (uart[UARTFR / 4] & FR_TXFF)
        ;
    uart[UARTDR / 4] = (uint32_t)(unsigned char)c;
}

void platform_mmu_on(void)
{
    uart = (volatile uint32_t *)UART_VA;
}
