/*
 * console.c - /dev/console over the serial driver PD (console.h): the RX
 * and TX rings of include/freebeam/ring.h, the line discipline of tty.h,
 * blocking as the rest of libos does it (file.h's change counter).
 *
 * Who does what:
 *   - the event thread (events.c), on every notification from the driver
 *     (RX data or TX space, merged on one channel), runs console_event:
 *     moves received bytes into the line discipline (which echoes), sends
 *     pending echo to the TX ring, then wakes every waiter;
 *   - a writer copies its bytes, after output processing (ONLCR), into
 *     the TX ring; when the ring is full it asks the driver for space and
 *     sleeps: nothing is dropped, only the writer blocks (O_NONBLOCK:
 *     a short write or -EAGAIN);
 *   - a reader takes what the line discipline has ready (canonical mode: a
 *     line; otherwise VMIN/VTIME as on Linux) or sleeps; only its thread
 *     blocks (O_NONBLOCK: -EAGAIN).
 * One lock (con_lock) covers the line discipline and our side of both
 * rings; nobody sleeps holding it.  Echo and program output reach the TX
 * ring in order: a writer first sends the pending echo.  The event thread
 * never waits for ring space (echo that does not fit waits in the line
 * discipline's echo queue until the driver asks for more).
 */
#include "libos.h"
#include "console.h"
#include "events.h"
#include "file.h"
#include "tty.h"
#include "vfs.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <freebeam/kapi.h>
#include <freebeam/ring.h>
#include <freebeam/kcall.h>

static struct libos_lock con_lock;
static struct tty con_tty;
static struct fb_ring con_rx, con_tx;
static uint32_t con_ch;
static struct winsize con_ws = { .ws_row = 24, .ws_col = 80 };
static bool intr_logged;
static bool con_active;          /* the console is the serial driver's rings */

/* ---- with con_lock held ---- */

/* Pending echo into the TX ring, as far as it fits; true if the driver
 * must be told about new data. */
static bool flush_echo_locked(void)
{
    bool wrote = false;
    while (tty_echo_pending(&con_tty)) {
        uint32_t room = fb_ring_free(&con_tx);
        if (room == 0) {
            if (fb_ring_want_space(&con_tx))
                break;          /* the driver's notification resumes us */
            continue;
        }
        uint8_t tmp[128];
        size_t n = tty_echo_take(&con_tty, tmp, room < sizeof tmp ? room : sizeof tmp);
        fb_ring_write(&con_tx, tmp, (uint32_t)n);
        wrote = true;
    }
    return wrote;
}

/* Received bytes into the line discipline while it can take them, then
 * the echo out.  Leaves a data request open on the RX ring when it
 * emptied it; when the line discipline is full, a reader pumps again. */
static void pump_locked(void)
{
    bool consumed = false;
    for (;;) {
        const uint8_t *p;
        uint32_t n = 0;
        while (tty_can_accept(&con_tty) && (n = fb_ring_peek(&con_rx, &p)) > 0) {
            uint32_t k = 0;
            while (k < n && tty_can_accept(&con_tty))
                tty_input(&con_tty, p[k++]);
            fb_ring_consume(&con_rx, k);
            consumed = true;
        }
        if (!tty_can_accept(&con_tty))
            break;
        if (fb_ring_want_data(&con_rx))
            break;
    }
    if (consumed && fb_ring_notify_space(&con_rx))
        fb_notify(con_ch);
    if (flush_echo_locked() && fb_ring_notify_data(&con_tx))
        fb_notify(con_ch);
    if (con_tty.intr_seen && !intr_logged) {
        intr_logged = true;
        libos_puts("libos: console: ^C is passed to the program as a byte (no signals in a PD)\n");
    }
}

/* Is the TX side stuck (less room than one expanded byte, or echo that did
 * not fit)?  If so a space request is open and the caller may sleep. */
static bool tx_stuck_locked(void)
{
    if (fb_ring_free(&con_tx) >= 2 && !tty_echo_pending(&con_tty))
        return false;
    (void)fb_ring_want_space(&con_tx);
    return fb_ring_free(&con_tx) < 2 || tty_echo_pending(&con_tty);
}

/* ---- the event thread's handler ---- */

static void console_event(unsigned ch)
{
    (void)ch;
    libos_lock(&con_lock);
    pump_locked();
    libos_unlock(&con_lock);
    /* events.c calls libos_file_changed() after us */
}

/* ---- file operations ---- */

static long con_read(struct file *f, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    if (!libos_user_ok(buf, len, 1))
        return -EFAULT;
    uint64_t deadline = 0;
    uint32_t last_avail = 0;
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&con_lock);
        pump_locked();
        const struct tty_termios *tio = &con_tty.tio;
        bool go;
        uint32_t avail = tty_avail(&con_tty);
        if (tio->c_lflag & TTY_ICANON) {
            go = tty_read_ready(&con_tty);
        } else {
            /* VMIN/VTIME: MIN bytes (at most len), or TIME tenths of a
             * second: from the start of the read when MIN is 0, since the
             * last byte once one came when MIN > 0. */
            uint32_t vmin = tio->c_cc[TTY_VMIN], vtime = tio->c_cc[TTY_VTIME];
            uint32_t want = vmin < len ? vmin : (uint32_t)len;
            uint64_t now = libos_ticks();
            go = avail >= want && (avail > 0 || vtime == 0);
            if (!go && vtime) {
                if (vmin == 0 ? !deadline : avail != last_avail)
                    deadline = now + (uint64_t)vtime * (libos_freq() / 10u);   /* (re)start */
                else if (deadline && now >= deadline)
                    go = true;
            }
            last_avail = avail;
        }
        if (!go && (f->flags & O_NONBLOCK)) {
            if ((tio->c_lflag & TTY_ICANON) || avail == 0) {
                libos_unlock(&con_lock);
                return -EAGAIN;
            }
            go = true;
        }
        if (go) {
            size_t n = tty_read(&con_tty, buf, len);
            pump_locked();      /* room again: take what the driver holds */
            libos_unlock(&con_lock);
            return (long)n;
        }
        libos_unlock(&con_lock);
        long r = libos_wait_change(seen, deadline);
        if (r == -EINTR)
            return -EINTR;
    }
}

static long con_write(struct file *f, const void *buf, size_t len)
{
    if (len == 0)
        return 0;
    if (len > 0x7fffffffu)
        len = 0x7fffffffu;
    if (!libos_user_ok(buf, len, 0))
        return -EFAULT;
    const uint8_t *p = buf;
    size_t done = 0;
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&con_lock);
        bool wrote = flush_echo_locked();
        while (done < len && !tty_echo_pending(&con_tty)) {
            uint32_t room = fb_ring_free(&con_tx);
            uint8_t tmp[256];
            size_t used;
            size_t o = tty_opost(&con_tty, p + done, len - done, tmp,
                                 room < sizeof tmp ? room : sizeof tmp, &used);
            if (used == 0)
                break;
            fb_ring_write(&con_tx, tmp, (uint32_t)o);
            wrote = wrote || o > 0;
            done += used;
        }
        if (wrote && fb_ring_notify_data(&con_tx))
            fb_notify(con_ch);
        if (done == len) {
            libos_unlock(&con_lock);
            return (long)done;
        }
        bool stuck = tx_stuck_locked();
        libos_unlock(&con_lock);
        if (!stuck)
            continue;
        if (f->flags & O_NONBLOCK)
            return done ? (long)done : -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return done ? (long)done : -EINTR;
    }
}

/* Until the driver has taken every byte (TCSETSW, TCSETSF, tcdrain), or
 * the deadline (counter ticks, 0 = none) passes: 0, -EINTR, -ETIMEDOUT. */
static long drain_until(uint64_t deadline)
{
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&con_lock);
        if (flush_echo_locked() && fb_ring_notify_data(&con_tx))
            fb_notify(con_ch);
        bool empty = fb_ring_free(&con_tx) == con_tx.size && !tty_echo_pending(&con_tty);
        if (!empty) {
            (void)fb_ring_want_space(&con_tx);   /* answered at the driver's next consumption */
            empty = fb_ring_free(&con_tx) == con_tx.size && !tty_echo_pending(&con_tty);
        }
        libos_unlock(&con_lock);
        if (empty)
            return 0;
        long r = libos_wait_change(seen, deadline);
        if (r == -EINTR || r == -ETIMEDOUT)
            return r;
    }
}

static long drain(void)
{
    return drain_until(0);
}

/* The program is ending: let the driver print what is still in the TX ring
 * (at most 2 s, in case the driver is gone), so nothing written right before
 * exit is lost. */
void libos_console_drain_at_exit(void)
{
    if (con_active)
        (void)drain_until(libos_ticks() + 2ull * libos_freq());
}

static unsigned con_poll(struct file *f)
{
    (void)f;
    unsigned m = 0;
    libos_lock(&con_lock);
    if (tty_read_ready(&con_tty))
        m |= POLLIN;
    if (!tx_stuck_locked())
        m |= POLLOUT;
    libos_unlock(&con_lock);
    return m;
}

static long con_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    (void)f;
    void *p = (void *)arg;
    struct tty_termios n;
    long r;
    switch (req) {
    case TCGETS:
        if (!libos_user_ok(p, sizeof n, 1))
            return -EFAULT;
        libos_lock(&con_lock);
        memcpy(p, &con_tty.tio, sizeof n);
        libos_unlock(&con_lock);
        return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        if (!libos_user_ok(p, sizeof n, 0))
            return -EFAULT;
        memcpy(&n, p, sizeof n);
        if (req != TCSETS && (r = drain()) < 0)
            return r;
        libos_lock(&con_lock);
        tty_set_termios(&con_tty, &n, req == TCSETSF);
        pump_locked();
        libos_unlock(&con_lock);
        libos_file_changed();   /* readiness may differ in the new mode */
        return 0;
    case TIOCGWINSZ:
    case TIOCSWINSZ:
        if (!libos_user_ok(p, sizeof con_ws, req == TIOCGWINSZ))
            return -EFAULT;
        libos_lock(&con_lock);
        if (req == TIOCGWINSZ)
            memcpy(p, &con_ws, sizeof con_ws);
        else
            memcpy(&con_ws, p, sizeof con_ws);
        libos_unlock(&con_lock);
        return 0;
    case FIONREAD:
    case TIOCOUTQ:
        if (!libos_user_ok(p, sizeof(int), 1))
            return -EFAULT;
        libos_lock(&con_lock);
        *(int *)p = req == FIONREAD ? (int)tty_avail(&con_tty)
                                        : (int)(con_tx.size - fb_ring_free(&con_tx) +
                                                tty_echo_pending(&con_tty));
        libos_unlock(&con_lock);
        return 0;
    case TCFLSH:
        if (arg > 2)
            return -EINVAL;
        libos_lock(&con_lock);
        if (arg != 1)           /* TCIFLUSH, TCIOFLUSH */
            tty_flush_input(&con_tty);
        if (arg != 0) {         /* TCOFLUSH: what is in the ring is the driver's */
            uint8_t sink[64];
            while (tty_echo_take(&con_tty, sink, sizeof sink))
                ;
        }
        libos_unlock(&con_lock);
        return 0;
    case TCSBRK:
        return drain();         /* tcdrain; no break is sent */
    case TCXONC:
        return arg > 3 ? -EINVAL : 0;   /* flow control is not implemented */
    default:
        return -ENOTTY;
    }
}

static long con_fsync(struct file *f)
{
    (void)f;
    return drain();
}

static long con_fstat(struct file *f, struct libos_stat *st)
{
    return vfs_file_fstat(f, st);
}

static const struct file_ops serial_console_ops = {
    .read = con_read, .write = con_write, .ioctl = con_ioctl, .poll = con_poll,
    .fstat = con_fstat, .fsync = con_fsync, .release = vfs_dev_release,
};

/* ---- start ---- */

static const struct fb_pdinfo_map *ring_region(const char *name)
{
    const struct fb_pdinfo_map *m = libos_region(name);
    return m && (m->perms & 6) == 6 ? m : NULL;
}

int libos_console_init(void)
{
    const struct fb_pdinfo_map *rx = ring_region("console_rx"), *tx = ring_region("console_tx");
    if (!rx && !tx)
        return 1;
    const char *chs = libos_boot_env("FREEBEAM_CONSOLE_CH");
    uint32_t ch = 0;
    bool ch_ok = chs && *chs;
    for (const char *s = chs; ch_ok && *s; s++) {
        if (*s < '0' || *s > '9' || ch > FB_MAX_CHANNELS) {
            ch_ok = false;
            break;
        }
        ch = ch * 10 + (uint32_t)(*s - '0');
    }
    if (!rx || !tx || !ch_ok || ch >= FB_MAX_CHANNELS ||
        !fb_ring_attach(&con_rx, (void *)(uintptr_t)rx->vaddr, rx->size) ||
        !fb_ring_attach(&con_tx, (void *)(uintptr_t)tx->vaddr, tx->size)) {
        libos_puts("libos: console: regions console_rx/console_tx (rw) and FREEBEAM_CONSOLE_CH=N "
                   "needed for the serial console; using the debug console\n");
        return 1;
    }
    con_ch = ch;
    tty_init(&con_tty);
    if (libos_events_on(ch, console_event) < 0)
        return 1;
    vfs_console_use(&serial_console_ops);
    con_active = true;
    return 0;
}
