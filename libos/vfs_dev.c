/*
 * vfs_dev.c - the devices of /dev: null, zero, urandom, console (and tty,
 * the same console), and descriptors 0-2 opened on the console at start
 * (erts opens /dev/null until it gets fd 3: docs/internals.md note 18).
 *
 * console: the debug console, the second back end of the terminal of
 * tty.c, used when the PD has no serial driver (console.c, the first, puts
 * itself in its place with vfs_console_use when it has one): writes go to
 * the kernel's debug console (FB_SYS_DEBUG_PUTS) as they are (the kernel's
 * console ends its lines itself); reads give end of file.  Its settings
 * are a struct tty of tty.c, with tty.c's defaults, so both back ends
 * report the same terminal; it answers the terminal ioctls musl and erts
 * use: TCGETS/TCSETS/TCSETSW/TCSETSF (tty_set_termios records the
 * settings; no input ever arrives to apply them to), TIOCGWINSZ (80x24;
 * isatty() asks this) and TIOCSWINSZ; others ENOTTY.
 *
 * random, urandom: libos's ChaCha20 CSPRNG (entropy.c), seeded from the
 * entropy driver PD when the image has one; until it is seeded a read
 * waits (EAGAIN with O_NONBLOCK).
 */
#include "libos.h"
#include "vfs.h"
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <freebeam/kcall.h>
#include "console.h"
#include "native.h"
#include "entropy.h"
#include "tty.h"

long vfs_console_write(const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;
    if (len > 0x7fffffffu)
        len = 0x7fffffffu;
    while (done < len) {
        int32_t n = fb_debug_puts(p + done, (uint32_t)(len - done));
        if (n < 0)
            return done ? (long)done : n;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (long)done;
}

static long dev_fstat(struct file *f, struct libos_stat *st)
{
    return vfs_file_fstat(f, st);
}

static int64_t dev_lseek0(struct file *f, int64_t off, int whence)
{
    (void)off;
    (void)whence;
    f->pos = 0;
    return 0;
}

/* ---- null ---- */
static long null_read(struct file *f, void *buf, size_t len)
{
    (void)f; (void)buf; (void)len;
    return 0;
}

static long null_write(struct file *f, const void *buf, size_t len)
{
    (void)f; (void)buf;
    return (long)(len > 0x7fffffffu ? 0x7fffffffu : len);
}

static long null_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
    (void)off;
    return null_read(f, buf, len);
}

static long null_pwrite(struct file *f, const void *buf, size_t len, uint64_t off)
{
    (void)off;
    return null_write(f, buf, len);
}

static const struct file_ops null_ops = {
    .read = null_read, .write = null_write, .pread = null_pread, .pwrite = null_pwrite,
    .lseek = dev_lseek0, .fstat = dev_fstat, .release = vfs_dev_release,
};

/* ---- zero ---- */
static long zero_read(struct file *f, void *buf, size_t len)
{
    (void)f;
    if (len > 0x7fffffffu)
        len = 0x7fffffffu;
    memset(buf, 0, len);
    return (long)len;
}

static long zero_pread(struct file *f, void *buf, size_t len, uint64_t off)
{
    (void)off;
    return zero_read(f, buf, len);
}

static const struct file_ops zero_ops = {
    .read = zero_read, .write = null_write, .pread = zero_pread, .pwrite = null_pwrite,
    .lseek = dev_lseek0, .fstat = dev_fstat, .release = vfs_dev_release,
};

/* ---- random, urandom: the CSPRNG of entropy.c ---- */
static long urandom_read(struct file *f, void *buf, size_t len)
{
    if (len > 0x1ffffffu)
        len = 0x1ffffffu;       /* Linux returns at most 32 MiB - 1 a call */
    return libos_random_fill(buf, len, (f->flags & O_NONBLOCK) != 0, false);
}

static const struct file_ops urandom_ops = {
    .read = urandom_read, .write = null_write, .lseek = dev_lseek0, .fstat = dev_fstat,
    .release = vfs_dev_release,
};

/* ---- console: the debug console ---- */
static struct libos_lock tty_lock;
static struct tty tty;          /* tty_init'ed by vfs_dev_init */
static struct winsize tty_ws = { .ws_row = 24, .ws_col = 80 };

static long console_read(struct file *f, void *buf, size_t len)
{
    (void)f; (void)buf; (void)len;
    return 0;       /* end of file: no console input yet */
}

static long console_write(struct file *f, const void *buf, size_t len)
{
    (void)f;
    return vfs_console_write(buf, len);
}

static long console_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    (void)f;
    void *p = (void *)arg;
    long r = 0;
    switch (req) {
    case TCGETS:
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCGWINSZ:
    case TIOCSWINSZ:
        if (!p)
            return -EFAULT;
        break;
    default:
        return -ENOTTY;
    }
    libos_lock(&tty_lock);
    switch (req) {
    case TCGETS:
        memcpy(p, &tty.tio, sizeof tty.tio);
        break;
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        struct tty_termios n;
        memcpy(&n, p, sizeof n);
        tty_set_termios(&tty, &n, req == TCSETSF);
        break;
    }
    case TIOCGWINSZ:
        memcpy(p, &tty_ws, sizeof tty_ws);
        break;
    case TIOCSWINSZ:
        memcpy(&tty_ws, p, sizeof tty_ws);
        break;
    }
    libos_unlock(&tty_lock);
    return r;
}

static long console_fsync(struct file *f)
{
    (void)f;
    return 0;
}

static const struct file_ops console_ops = {
    .read = console_read, .write = console_write, .ioctl = console_ioctl,
    .fstat = dev_fstat, .fsync = console_fsync, .release = vfs_dev_release,
};

static const struct file_ops *console_impl = &console_ops;

void vfs_console_use(const struct file_ops *ops)
{
    console_impl = ops;
}

#define MKDEV(ma, mi) ((uint32_t)(ma) << 8 | (uint32_t)(mi))

void vfs_dev_init(struct vnode *dev)
{
    tty_init(&tty);
    vfs_dev_node(dev, "null", 0666, MKDEV(1, 3), &null_ops);
    vfs_dev_node(dev, "zero", 0666, MKDEV(1, 5), &zero_ops);
    vfs_dev_node(dev, "urandom", 0666, MKDEV(1, 9), &urandom_ops);
    vfs_dev_node(dev, "random", 0666, MKDEV(1, 8), &urandom_ops);
    vfs_dev_node(dev, "console", 0620, MKDEV(5, 1), console_impl);
    vfs_dev_node(dev, "tty", 0666, MKDEV(5, 0), console_impl);
    libos_native_init(dev);     /* /dev/chan, /dev/pd (native.h) */
    for (int fd = 0; fd < 3; fd++) {
        struct file *f;
        if (vfs_open(AT_FDCWD, "/dev/console", O_RDWR, 0, &f) == 0 &&
            libos_fd_install_at(f, fd, 0) < 0)
            libos_file_put(f);
    }
}
