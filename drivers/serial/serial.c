/*
 * serial.c - the serial driver PD: it alone touches the PL011, and moves
 * bytes between the UART and its one client through two rings of
 * include/freebeam/ring.h (RX: driver produces, TX: driver consumes), so
 * the client (later the BEAM PD) maps no device memory (DESIGN.md 5-7).
 *
 * The contract with the system description (docs/drivers.md):
 *   uart region    16#09000000, 4 KiB device memory, mapped rw at 0x20000000
 *   RX ring region 4 KiB RAM, mapped rw at 0x20100000 (the client maps it rw)
 *   TX ring region 4 KiB RAM, mapped rw at 0x20101000 (the client maps it rw)
 *   channel 0      to the client; irq 33 (level) on channel 1
 *   priority       above the client's
 *
 * RX: interrupt driven (RX, receive timeout, overrun).  Bytes go from the
 * FIFO straight into the RX ring; when the ring is full the driver stops
 * reading, masks the RX interrupts (so the level line drops and the ack does
 * not storm) and asks the client for a space notification: the bytes wait
 * in the PL011's FIFO, and under QEMU in the character backend, which stops
 * reading its input while the FIFO is full: nothing is dropped.  On real
 * hardware the line does not stop: an overflowing FIFO sets the PL011's
 * overrun flag, which the driver counts in the RX ring's `overruns` word.
 *
 * TX: drained on each notification from the client by writing while the
 * FIFO is not full.  Only if the FIFO fills with bytes left in the ring is
 * the TX interrupt enabled, to resume once it drains, and disabled again
 * when the ring is empty.  Polling a full FIFO would spin the driver at its
 * high priority and starve the client; an interrupt per FIFO refill costs
 * nothing when the FIFO keeps up, which under QEMU is always (its TX is
 * instantaneous and its TX interrupt only rises after a first write).
 *
 * The IRQ is acknowledged only after both directions are serviced.
 *
 * For tests of its supervision, the argument `fault-key=N` (N a byte
 * value, from the description) makes the driver write through a NULL
 * pointer when it receives byte N: a crash on demand, typed at the console
 * (tests/suites/native.sh).  Without it every byte is data.
 */
#include <freebeam/fbpd.h>
#include <freebeam/ring.h>
#include "pl011.h"

#define UART ((volatile uint32_t *)0x20000000u)
#define RX_RING_BASE ((void *)0x20100000u)
#define TX_RING_BASE ((void *)0x20101000u)
#define RING_REGION_BYTES 4096u
#define CH_CLIENT 0u
#define CH_IRQ 1u

#define RX_INTS (PL011_INT_RX | PL011_INT_RT)

static struct fb_ring rx, tx;
static uint32_t imsc;   /* what we last wrote to IMSC */
static int fault_key = -1;   /* the byte that crashes the driver (tests), or -1 */
static volatile uint32_t *volatile null_ptr;   /* 0, unknown to the compiler */

/* "fault-key=N" (decimal, 0..255) from the arguments, else -1. */
static int parse_fault_key(const char *a)
{
    const char *k = "fault-key=";
    if (!a)
        return -1;
    while (*k && *a == *k)
        a++, k++;
    if (*k || !*a)
        return -1;
    int v = 0;
    for (; *a; a++) {
        if (*a < '0' || *a > '9' || v > 255)
            return -1;
        v = v * 10 + (*a - '0');
    }
    return v <= 255 ? v : -1;
}

static void set_imsc(uint32_t v)
{
    if (v != imsc) {
        imsc = v;
        UART[PL011_IMSC] = v;
    }
}

/* An overrun since the last look: one event (the PL011 cannot say how many
 * bytes it lost).  RSR holds it until cleared through ECR. */
static void count_overrun(void)
{
    if (UART[PL011_RSR] & PL011_RSR_OE) {
        UART[PL011_RSR] = 0;   /* ECR: clear */
        fb_ring_add_overruns(&rx, 1);
    }
    UART[PL011_ICR] = PL011_INT_OE | PL011_INT_RT | PL011_INT_FE | PL011_INT_PE | PL011_INT_BE;
}

/* Move received bytes into the RX ring until the FIFO is empty or the ring
 * is full.  Returns true if the ring is full and the client has been asked
 * for space (RX must stay masked until it answers). */
static bool rx_pump(void)
{
    uint8_t buf[64];
    bool published = false, stalled = false;
    for (;;) {
        uint32_t room = fb_ring_free(&rx);
        if (room == 0) {
            if (fb_ring_want_space(&rx)) {
                stalled = true;
                break;
            }
            continue;   /* the client freed space meanwhile */
        }
        if (room > sizeof buf)
            room = sizeof buf;
        uint32_t n = 0;
        while (n < room && !(UART[PL011_FR] & PL011_FR_RXFE))
            buf[n++] = (uint8_t)UART[PL011_DR];   /* error bits: see count_overrun */
        for (uint32_t i = 0; fault_key >= 0 && i < n; i++)
            if (buf[i] == fault_key)
                *null_ptr = buf[i];     /* the crash asked for: a data abort at 0 */
        if (n > 0) {
            fb_ring_write(&rx, buf, n);
            published = true;
        }
        if (n < room)
            break;      /* FIFO empty */
    }
    count_overrun();
    if (published && fb_ring_notify_data(&rx))
        fb_notify(CH_CLIENT);
    return stalled;
}

/* Write the TX ring onto the UART until the ring is empty (then ask the
 * client to notify new data) or the FIFO is full (then return true: the TX
 * interrupt must resume us). */
static bool tx_pump(void)
{
    bool freed = false, fifo_full = false;
    for (;;) {
        const uint8_t *p;
        uint32_t n = fb_ring_peek(&tx, &p), k = 0;
        if (n == 0) {
            if (fb_ring_want_data(&tx))
                break;
            continue;   /* the client wrote meanwhile */
        }
        while (k < n && !(UART[PL011_FR] & PL011_FR_TXFF))
            UART[PL011_DR] = p[k++];
        if (k > 0) {
            fb_ring_consume(&tx, k);
            freed = true;
        }
        if (k < n) {
            /* Clear a stale TX interrupt first, then look again: if the FIFO
             * is still full, its draining raises TX afresh. */
            UART[PL011_ICR] = PL011_INT_TX;
            if (UART[PL011_FR] & PL011_FR_TXFF) {
                fifo_full = true;
                break;
            }
        }
    }
    if (freed && fb_ring_notify_space(&tx))
        fb_notify(CH_CLIENT);
    return fifo_full;
}

static void service(void)
{
    bool rx_stalled = rx_pump();
    bool tx_blocked = tx_pump();
    set_imsc((rx_stalled ? 0 : RX_INTS) | PL011_INT_OE | (tx_blocked ? PL011_INT_TX : 0));
}

void notified(unsigned ch)
{
    if (ch == CH_IRQ) {
        service();
        fb_irq_ack(CH_IRQ);   /* after servicing: the line is low or masked now */
    } else if (ch == CH_CLIENT) {
        service();            /* TX data or RX space */
    }
}

void init(void)
{
    if (!fb_ring_attach(&rx, RX_RING_BASE, RING_REGION_BYTES) ||
        !fb_ring_attach(&tx, TX_RING_BASE, RING_REGION_BYTES)) {
        fb_puts("serial: bad ring regions\n");
        return;
    }
    fault_key = parse_fault_key(fb_arg(1));
    imsc = ~0u;
    set_imsc(0);
    UART[PL011_ICR] = PL011_INT_ALL;
    /* The line settings (baud rate, 8N1, FIFOs) are the boot console's,
     * shared with the kernel's debug output: left as found.  In particular
     * FEN is not toggled, because that flushes the receive FIFO and would
     * drop whatever was typed before the driver came up. */
    uint32_t on = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;
    if ((UART[PL011_CR] & on) != on)
        UART[PL011_CR] |= on;
    fb_printf("serial: PL011 driver up, rings of %u bytes each way\n", rx.size);
    service();   /* also asks the client for its first TX notification */
}
