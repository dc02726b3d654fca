/*
 * dev_pd.c - /dev/pd/NAME: the other PDs of the system as files, so that a
 * monitor written in Erlang (the freebeam application) or in C can see them
 * fail and stop or restart them (fbdev.h, docs/native-components.md).
 *
 * What libos knows of a PD: its status, as far as this PD can tell (the
 * kernel sends a monitor the fault and exit records of the PDs it
 * monitors; a PD not monitored by this one reports EPERM), and its last
 * PD_EVENTS records, numbered from 1.  Each open file keeps the number of
 * the last record it has read (in f->pos): it starts at the records that
 * existed when it was opened, so a reader sees only what happens later.
 *
 * The records arrive on the event thread (events.c), which must not take
 * locks that a sleeper holds: pd_lock is only ever held for a few loads and
 * stores.
 */
#include "libos.h"
#include "events.h"
#include "file.h"
#include "entropy.h"
#include <freebeam/kcall.h>
#include "native.h"
#include "vfs.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <freebeam/fbdev.h>
#include <freebeam/sysimage.h>

#define PD_EVENTS 8u
#define PD_MAJOR 241u

struct pd_state {
    uint32_t status;                        /* FBDEV_PD_* */
    uint32_t seq;                           /* records ever received */
    uint32_t restarts;
    struct fbdev_pd_event ev[PD_EVENTS];    /* record n at ev[n % PD_EVENTS] */
};

static struct pd_state pds[FB_MAX_PDS];
static struct libos_lock pd_lock;

static const char *const kind_names[] = { "?", "data abort", "prefetch abort",
    "undefined instruction", "alignment fault", "bad kernel call", "exit" };

static const struct fb_pdinfo_pd *pd_entry(uint32_t i)
{
    const struct fb_pdinfo *in = libos_info();
    if (!in || i >= in->n_pds || in->n_pds > FB_MAX_PDS ||
        in->pds_off > FB_PDINFO_BYTES ||
        (FB_PDINFO_BYTES - in->pds_off) / sizeof(struct fb_pdinfo_pd) < in->n_pds)
        return NULL;
    return (const struct fb_pdinfo_pd *)((const char *)in + in->pds_off) + i;
}

static bool monitored(uint32_t i)
{
    const struct fb_pdinfo *in = libos_info();
    const struct fb_pdinfo_pd *e = pd_entry(i);
    return in && e && e->monitor == in->pd;
}

static bool controlled(uint32_t i)
{
    const struct fb_pdinfo *in = libos_info();
    return monitored(i) && (in->rights & FB_RIGHT_PD_CONTROL);
}

static size_t append(char *buf, size_t n, size_t cap, const char *s)
{
    while (*s && n + 1 < cap)
        buf[n++] = *s++;
    buf[n] = 0;
    return n;
}

void libos_pd_event(uint32_t pd, uint32_t tid, uint32_t kind, uint32_t addr, uint32_t pc,
                    uint32_t status)
{
    const struct fb_pdinfo_pd *e = pd_entry(pd);
    char line[96];
    size_t n = append(line, 0, sizeof line, "pd ");
    n = append(line, n, sizeof line, e ? libos_info_str(e->name_off) : "?");
    if (kind == FB_FAULT_EXITED) {
        append(line, n, sizeof line, " exited with status");
        libos_log_num(line, status);
    } else {
        n = append(line, n, sizeof line, " stopped by a fault: ");
        append(line, n, sizeof line, kind < sizeof kind_names / sizeof kind_names[0] ?
                                     kind_names[kind] : "?");
        libos_log_num(line, addr);
    }
    if (pd >= FB_MAX_PDS)
        return;
    libos_lock(&pd_lock);
    struct pd_state *s = &pds[pd];
    uint32_t seq = ++s->seq;
    s->ev[seq % PD_EVENTS] = (struct fbdev_pd_event){ .seq = seq, .kind = kind, .tid = tid,
                                                       .addr = addr, .pc = pc, .status = status };
    s->status = kind == FB_FAULT_EXITED ? FBDEV_PD_EXITED : FBDEV_PD_FAULTED;
    libos_unlock(&pd_lock);
    libos_entropy_peer_stopped(pd);   /* the entropy driver, before its seed: no device */
    libos_file_changed();
}

static uint32_t file_pd(const struct file *f)
{
    return vfs_file_node(f)->rdev & 0xffu;
}

/* The next record for this file: true and *out filled, or false. */
static bool next_event(struct file *f, struct fbdev_pd_event *out)
{
    struct pd_state *s = &pds[file_pd(f)];
    bool got = false;
    libos_lock(&pd_lock);
    uint32_t seen = (uint32_t)f->pos;
    if (s->seq != seen) {
        uint32_t next = seen + 1;
        if (s->seq - seen > PD_EVENTS)
            next = s->seq - PD_EVENTS + 1;      /* the older ones are gone */
        *out = s->ev[next % PD_EVENTS];
        f->pos = next;
        got = true;
    }
    libos_unlock(&pd_lock);
    return got;
}

static long pdf_read(struct file *f, void *buf, size_t len)
{
    if (len < sizeof(struct fbdev_pd_event))
        return -EINVAL;
    if (!libos_user_ok(buf, sizeof(struct fbdev_pd_event), 1))
        return -EFAULT;
    for (;;) {
        uint32_t seen = libos_change_seq();
        struct fbdev_pd_event ev;
        if (next_event(f, &ev)) {
            memcpy(buf, &ev, sizeof ev);
            return sizeof ev;
        }
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static unsigned pdf_poll(struct file *f)
{
    libos_lock(&pd_lock);
    bool pending = pds[file_pd(f)].seq != (uint32_t)f->pos;
    libos_unlock(&pd_lock);
    return pending ? POLLIN : 0;
}

static void set_status(uint32_t pd, uint32_t status)
{
    libos_lock(&pd_lock);
    pds[pd].status = status;
    if (status == FBDEV_PD_RUNNING)
        pds[pd].restarts++;
    libos_unlock(&pd_lock);
    libos_file_changed();
}

static long pd_restart(uint32_t pd)
{
    int32_t r = fb_pd_stop(pd);
    if (r < 0)
        return r;
    libos_chan_peer_stopped(pd);
    r = fb_pd_restart(pd);
    if (r < 0) {
        set_status(pd, FBDEV_PD_STOPPED);
        return r;
    }
    set_status(pd, FBDEV_PD_RUNNING);
    libos_chan_peer_restarted(pd);
    return 0;
}

static long pdf_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    uint32_t pd = file_pd(f);
    switch (req) {
    case FBDEV_PD_INFO: {
        struct fbdev_pd_info *p = (struct fbdev_pd_info *)arg;
        if (!libos_user_ok(p, sizeof *p, 1))
            return -EFAULT;
        libos_lock(&pd_lock);
        *p = (struct fbdev_pd_info){ .index = pd, .monitored = monitored(pd),
                                     .control = controlled(pd), .restarts = pds[pd].restarts };
        libos_unlock(&pd_lock);
        return 0;
    }
    case FBDEV_PD_STATUS: {
        if (!monitored(pd))
            return -EPERM;
        libos_lock(&pd_lock);
        long st = pds[pd].status;
        libos_unlock(&pd_lock);
        return st;
    }
    case FBDEV_PD_STOP: {
        if (!controlled(pd))
            return -EPERM;
        int32_t r = fb_pd_stop(pd);
        if (r < 0)
            return r;
        libos_chan_peer_stopped(pd);
        set_status(pd, FBDEV_PD_STOPPED);
        return 0;
    }
    case FBDEV_PD_RESTART:
        if (!controlled(pd))
            return -EPERM;
        return pd_restart(pd);
    default:
        return -ENOTTY;
    }
}

static long pdf_fstat(struct file *f, struct libos_stat *st)
{
    return vfs_file_fstat(f, st);
}

/* A new file starts after the records that exist now. */
static void pdf_opened(struct file *f)
{
    libos_lock(&pd_lock);
    f->pos = pds[file_pd(f)].seq;
    libos_unlock(&pd_lock);
}

static const struct file_ops pd_ops = {
    .opened = pdf_opened, .read = pdf_read, .ioctl = pdf_ioctl, .poll = pdf_poll,
    .fstat = pdf_fstat, .release = vfs_dev_release,
};

void libos_pd_devices(struct vnode *devdir)
{
    const struct fb_pdinfo *in = libos_info();
    if (!in)
        return;
    struct vnode *dir = NULL;
    for (uint32_t i = 0; i < in->n_pds && i < FB_MAX_PDS; i++) {
        const struct fb_pdinfo_pd *e = pd_entry(i);
        if (!e || i == in->pd)
            continue;
        pds[i].status = FBDEV_PD_RUNNING;       /* every PD starts at boot */
        if (monitored(i))
            libos_events_want();                /* its fault records come as events */
        const char *name = libos_info_str(e->name_off);
        if (!*name)
            continue;
        if (!dir && !(dir = vfs_dev_subdir(devdir, "pd")))
            return;
        vfs_dev_node(dir, name, 0600, (PD_MAJOR << 8) | i, &pd_ops);
    }
}
