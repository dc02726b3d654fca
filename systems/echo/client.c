/*
 * client.c - the echo demo's client PD: it owns no device, only the two
 * rings it shares with the serial driver PD.  It reads lines (ended by CR,
 * LF or CRLF) and answers each with `echo: <line>`; on the line `quit` it
 * reports what it received (bytes, lines, CRC-32 of every byte including
 * `quit` and its end of line, the driver's overrun count), says
 * `echo: bye`, waits until the driver has taken all of it, and powers off
 * with 0.  tests/suites/serial.sh compares the report with its own input.
 * A line longer than LINE_MAX bytes is answered in pieces of LINE_MAX.
 *
 * The line `pause` (answered like any other) makes the client stop reading
 * until the RX ring is full (at most PAUSE_MS), so that the driver must
 * hold the input back; the report says how often a read found it full.
 */
#include "sio.h"

#define RX_BASE ((void *)0x20000000u)   /* systems/echo.config */
#define TX_BASE ((void *)0x20001000u)
#define REGION_BYTES 4096u
#define CH_SERIAL 0u
#define LINE_MAX 256u
#define PAUSE_MS 3000u

static struct sio sio;
static char line[LINE_MAX];
static uint32_t len;
static uint32_t nbytes, nlines, crc = 0xffffffffu, full_seen;

static void crc32_byte(uint8_t b)
{
    crc ^= b;
    for (int i = 0; i < 8; i++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
}

static void say(const char *s)
{
    sio_write(&sio, s, (uint32_t)strlen(s));
}

/* Decimal or hex (8 digits) without printf: the output goes to the ring. */
static void say_num(uint32_t v, bool hex)
{
    char buf[12];
    int i = (int)sizeof buf;
    buf[--i] = 0;
    do {
        uint32_t d = hex ? v & 15u : v % 10u;
        buf[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v = hex ? v >> 4 : v / 10u;
    } while (v != 0 || (hex && i > (int)sizeof buf - 9));
    say(&buf[i]);
}

static void end_line(void)
{
    nlines++;
    if (len == 4 && memcmp(line, "quit", 4) == 0) {
        say("echo: ");
        say_num(nbytes, false);
        say(" bytes in ");
        say_num(nlines, false);
        say(" lines, crc32 ");
        say_num(crc ^ 0xffffffffu, true);
        say(", overruns ");
        say_num(fb_ring_overruns(&sio.rx), false);
        say("\r\necho: rx ring found full ");
        say_num(full_seen, false);
        say(" times\r\necho: bye\r\n");
        sio_drain(&sio);
        fb_poweroff(0);
    }
    say("echo: ");
    sio_write(&sio, line, len);
    say("\r\n");
    if (len == 5 && memcmp(line, "pause", 5) == 0) {
        /* Look every 10 ms.  Notifications that come meanwhile are
         * dropped: the next read looks at the ring before it waits. */
        uint64_t until = fb_clock_ticks() + fb_ns_to_ticks(PAUSE_MS * 1000000ull);
        while (fb_ring_used(&sio.rx) < sio.rx.size && fb_clock_ticks() < until)
            fb_wait(fb_clock_ticks() + fb_ns_to_ticks(10000000ull));
    }
    len = 0;
}

void init(void)
{
    if (!sio_attach(&sio, RX_BASE, TX_BASE, REGION_BYTES, CH_SERIAL)) {
        fb_puts("echo: bad ring regions\n");
        fb_poweroff(1);
    }
    bool after_cr = false;
    for (;;) {
        uint8_t buf[128];
        if (fb_ring_used(&sio.rx) == sio.rx.size)
            full_seen++;
        uint32_t n = sio_read(&sio, buf, sizeof buf);
        for (uint32_t i = 0; i < n; i++) {
            uint8_t c = buf[i];
            nbytes++;
            crc32_byte(c);
            if (c == '\n' && after_cr) {   /* the LF of a CRLF */
                after_cr = false;
                continue;
            }
            after_cr = c == '\r';
            if (c == '\r' || c == '\n') {
                end_line();
            } else {
                line[len++] = (char)c;
                if (len == LINE_MAX)
                    end_line();
            }
        }
    }
}
