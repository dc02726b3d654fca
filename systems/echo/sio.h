/*
 * sio.h - blocking serial I/O for a client of the serial driver PD: read
 * and write bytes through the RX and TX rings of include/freebeam/ring.h,
 * waiting for the driver's notification (one channel for both rings) only
 * after asking for it through the ring.  Header-only because every .c file
 * of a systems/ folder becomes a PD of its own.
 */
#ifndef ECHO_SIO_H
#define ECHO_SIO_H

#include <freebeam/fbpd.h>
#include <freebeam/ring.h>

struct sio {
    struct fb_ring rx, tx;
    unsigned ch;    /* the channel to the driver */
};

static inline bool sio_attach(struct sio *s, void *rx_base, void *tx_base,
                              uint32_t region_bytes, unsigned ch)
{
    s->ch = ch;
    return fb_ring_attach(&s->rx, rx_base, region_bytes) &&
           fb_ring_attach(&s->tx, tx_base, region_bytes);
}

/* Wait for any notification from the driver (RX data or TX space: the loop
 * of the caller looks at both rings again, so merging them loses nothing). */
static inline void sio__wait(void)
{
    fb_wait(0);
}

/* Read 1..n bytes, blocking until at least one is there. */
static inline uint32_t sio_read(struct sio *s, void *buf, uint32_t n)
{
    for (;;) {
        uint32_t got = fb_ring_read(&s->rx, buf, n);
        if (got > 0) {
            if (fb_ring_notify_space(&s->rx))
                fb_notify(s->ch);   /* the driver stopped reading the UART */
            return got;
        }
        if (fb_ring_want_data(&s->rx))
            sio__wait();
    }
}

/* Write all n bytes, blocking while the TX ring is full. */
static inline void sio_write(struct sio *s, const void *buf, uint32_t n)
{
    const uint8_t *p = buf;
    while (n > 0) {
        uint32_t w = fb_ring_write(&s->tx, p, n);
        p += w;
        n -= w;
        if (w > 0 && fb_ring_notify_data(&s->tx))
            fb_notify(s->ch);
        if (n > 0 && fb_ring_free(&s->tx) == 0 && fb_ring_want_space(&s->tx))
            sio__wait();
    }
}

/* Block until the driver has taken every byte of the TX ring (a space
 * request is answered by the driver's next consumption, full or not). */
static inline void sio_drain(struct sio *s)
{
    for (;;) {
        if (fb_ring_free(&s->tx) == s->tx.size)
            return;
        (void)fb_ring_want_space(&s->tx);
        if (fb_ring_free(&s->tx) == s->tx.size)
            return;
        sio__wait();
    }
}

#endif
