/*
 * pl011.h - the registers of the ARM PrimeCell PL011 UART that the serial
 * driver PD uses (ARM DDI 0183), as word indices into the mapped device
 * page and bit masks.  Kept apart from the driver logic so that serial.c
 * reads as a protocol, not as a register map.
 */
#ifndef DRIVERS_SERIAL_PL011_H
#define DRIVERS_SERIAL_PL011_H

/* word offsets (byte offset / 4) */
#define PL011_DR    (0x00 / 4)   /* data; reads carry the error bits below */
#define PL011_RSR   (0x04 / 4)   /* receive status; a write (ECR) clears it */
#define PL011_FR    (0x18 / 4)   /* flags */
#define PL011_LCR_H (0x2c / 4)   /* line control */
#define PL011_CR    (0x30 / 4)   /* control */
#define PL011_IMSC  (0x38 / 4)   /* interrupt mask set/clear: 1 = enabled */
#define PL011_RIS   (0x3c / 4)   /* raw interrupt status */
#define PL011_MIS   (0x40 / 4)   /* masked interrupt status */
#define PL011_ICR   (0x44 / 4)   /* interrupt clear (write 1s) */

/* DR error bits, with the received byte in bits 0-7 */
#define PL011_DR_FE (1u << 8)    /* framing error */
#define PL011_DR_PE (1u << 9)    /* parity error */
#define PL011_DR_BE (1u << 10)   /* break */
#define PL011_DR_OE (1u << 11)   /* overrun: the FIFO was full, a byte was lost */

/* RSR bits */
#define PL011_RSR_OE (1u << 3)

/* FR bits */
#define PL011_FR_RXFE (1u << 4)  /* receive FIFO empty */
#define PL011_FR_TXFF (1u << 5)  /* transmit FIFO full */

/* LCR_H bits */
#define PL011_LCR_H_FEN  (1u << 4)   /* FIFOs enabled (16 deep) instead of 1-byte holding registers */

/* CR bits */
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE    (1u << 8)
#define PL011_CR_RXE    (1u << 9)

/* interrupt bits (IMSC, RIS, MIS, ICR) */
#define PL011_INT_RX (1u << 4)   /* receive FIFO at its trigger level */
#define PL011_INT_TX (1u << 5)   /* transmit FIFO drained to its trigger level */
#define PL011_INT_RT (1u << 6)   /* receive timeout: bytes wait below the trigger level */
#define PL011_INT_FE (1u << 7)
#define PL011_INT_PE (1u << 8)
#define PL011_INT_BE (1u << 9)
#define PL011_INT_OE (1u << 10)  /* overrun */
#define PL011_INT_ALL 0x7ffu

#endif
