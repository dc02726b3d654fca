/*
 * dev_chan.c - /dev/chan/NAME: the named channels of this PD as files
 * (fbdev.h, docs/native-components.md), so that erts's freebeam NIF (with
 * enif_select) or a plain C program (with poll) waits for a native PD the
 * way it waits for a pipe.
 *
 * A bare channel counts notifications: the event thread adds one per
 * notification (the kernel merges those that arrive while one is pending);
 * a read takes the count.  A channel with a queue pair moves whole messages
 * through its region (include/freebeam/queue.h): this PD is the producer of
 * one direction and the consumer of the other; notifications only wake
 * readers and writers, which look at the queues again.
 *
 * After this PD restarted the peer (dev_pd.c), each open file's next read
 * gives ECONNRESET once: f->priv2 holds the restart generation the file
 * has reported, chan.gen the current one.
 *
 * Locking: chan_lock guards each channel's counters and our side of its
 * queues (several threads may read or write one channel); nobody sleeps
 * holding it.  The event thread takes it only for a few stores.
 */
#include "libos.h"
#include "events.h"
#include "file.h"
#include <freebeam/kcall.h>
#include "native.h"
#include "vfs.h"
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <freebeam/fbdev.h>
#include <freebeam/queue.h>

#define CHAN_MAJOR 240u

struct chan {
    const struct fb_pdinfo_chan *ci;   /* NULL: no device for this id */
    uint64_t notes;                    /* notifications not yet read (bare channel) */
    uint32_t wakes;                    /* notifications ever received */
    uint32_t broken_at;                /* wakes when a read last found the queue broken */
    bool broken;                       /* ... and it was broken then */
    uint32_t gen;                      /* restarts of the peer through this PD */
    bool queue;
    struct fb_qpair q;                 /* queue channels: our view of the pair */
};

static struct chan chans[FB_MAX_CHANNELS];
static struct libos_lock chan_lock;

static struct chan *file_chan(const struct file *f)
{
    return &chans[vfs_file_node(f)->rdev & 0x3fu];
}

static void chan_notified(unsigned id)
{
    libos_lock(&chan_lock);
    chans[id].notes++;
    chans[id].wakes++;
    libos_unlock(&chan_lock);
}

/* ---- one step of each operation, with chan_lock held ----
 * Each returns what the file call returns when it need not wait, or
 * -EAGAIN when it must; *kick says the peer must be notified. */

static long queue_err(int r)
{
    switch (r) {
    case FB_QUEUE_FULL:
    case FB_QUEUE_EMPTY:     return -EAGAIN;
    case FB_QUEUE_TOO_BIG:
    case FB_QUEUE_SHORT_BUF: return -EMSGSIZE;
    default:                 return -EPROTO;
    }
}

static long recv_locked(struct chan *c, void *buf, size_t len, bool *kick)
{
    if (!c->queue) {
        if (len < sizeof c->notes)
            return -EINVAL;
        if (!c->notes)
            return -EAGAIN;
        memcpy(buf, &c->notes, sizeof c->notes);
        c->notes = 0;
        return sizeof c->notes;
    }
    uint32_t cookie;
    int r = fb_queue_recv(&c->q.rx, buf, len > 0xffffffffu ? 0xffffffffu : (uint32_t)len, &cookie);
    if (r >= 0) {
        *kick = fb_queue_notify_space(&c->q.rx);
        return r;
    }
    if (r == FB_QUEUE_EMPTY && !fb_queue_want_data(&c->q.rx))
        return -EINTR;          /* data arrived meanwhile: look again */
    if (r == FB_QUEUE_CORRUPT) {
        /* Reported once; readable again only after the peer notifies
         * (it may repair the queue) or is restarted. */
        c->broken = true;
        c->broken_at = c->wakes;
    }
    return queue_err(r);
}

/* Would a read not block? */
static bool can_recv_locked(const struct chan *c)
{
    if (!c->queue)
        return c->notes != 0;
    int n = fb_queue_pending(&c->q.rx);
    if (n == FB_QUEUE_CORRUPT)
        return !(c->broken && c->broken_at == c->wakes);
    return n != 0;
}

static long send_locked(struct chan *c, const void *buf, size_t len, bool *kick)
{
    if (!c->queue) {
        if (len < sizeof(uint64_t))
            return -EINVAL;
        *kick = true;
        return sizeof(uint64_t);
    }
    if (len > c->q.tx.slot)
        return -EMSGSIZE;
    int r = fb_queue_send(&c->q.tx, buf, (uint32_t)len, 0);
    if (r >= 0) {
        *kick = fb_queue_notify_data(&c->q.tx);
        return (long)len;
    }
    if (r == FB_QUEUE_FULL && !fb_queue_want_space(&c->q.tx))
        return -EINTR;          /* space freed meanwhile: look again */
    return queue_err(r);
}

/* A read or write: one step under chan_lock, a notification of the peer
 * if the step asks for one, and the wait of file.h while the step says
 * EAGAIN (unless O_NONBLOCK); -EINTR from a step means "look again". */
static long chan_io(struct file *f, void *buf, size_t len, bool reading)
{
    struct chan *c = file_chan(f);
    if (!libos_user_ok(buf, len, reading))
        return -EFAULT;
    for (;;) {
        uint32_t seen = libos_change_seq();
        bool kick = false;
        long r;
        libos_lock(&chan_lock);
        if (reading && f->priv2 != c->gen) {
            f->priv2 = c->gen;
            r = -ECONNRESET;
        } else {
            r = reading ? recv_locked(c, buf, len, &kick) : send_locked(c, buf, len, &kick);
        }
        libos_unlock(&chan_lock);
        if (kick)
            fb_notify(c->ci->id);
        if (r == -EINTR)
            continue;
        if (r != -EAGAIN || (f->flags & O_NONBLOCK))
            return r;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
}

static long chf_read(struct file *f, void *buf, size_t len)
{
    return chan_io(f, buf, len, true);
}

static long chf_write(struct file *f, const void *buf, size_t len)
{
    return chan_io(f, (void *)(uintptr_t)buf, len, false);
}

static unsigned chf_poll(struct file *f)
{
    struct chan *c = file_chan(f);
    unsigned m;
    libos_lock(&chan_lock);
    if (f->priv2 != c->gen)
        m = POLLIN | POLLOUT;
    else
        m = (can_recv_locked(c) ? POLLIN : 0) |
            (!c->queue || fb_queue_free(&c->q.tx) > 0 ? POLLOUT : 0);
    libos_unlock(&chan_lock);
    return m;
}

static long chf_ioctl(struct file *f, unsigned long req, unsigned long arg)
{
    struct chan *c = file_chan(f);
    if (req != FBDEV_CHAN_INFO)
        return -ENOTTY;
    struct fbdev_chan_info *p = (struct fbdev_chan_info *)arg;
    if (!libos_user_ok(p, sizeof *p, 1))
        return -EFAULT;
    *p = (struct fbdev_chan_info){ .queue = c->queue, .depth = c->queue ? c->ci->queue_depth : 0,
                                   .slot = c->queue ? c->ci->queue_slot : 0,
                                   .peer_pd = c->ci->peer };
    return 0;
}

static void chf_opened(struct file *f)
{
    struct chan *c = file_chan(f);
    libos_lock(&chan_lock);
    f->priv2 = c->gen;
    libos_unlock(&chan_lock);
}

static long chf_fstat(struct file *f, struct libos_stat *st)
{
    return vfs_file_fstat(f, st);
}

static const struct file_ops chan_ops = {
    .opened = chf_opened, .read = chf_read, .write = chf_write, .ioctl = chf_ioctl,
    .poll = chf_poll, .fstat = chf_fstat, .release = vfs_dev_release,
};

/* The peer is stopped, so this PD alone touches the queues: a queue the
 * peer left in an impossible state is emptied (both control blocks
 * zeroed: its messages cannot be told from garbage); a sound one keeps
 * its messages. */
void libos_chan_peer_stopped(uint32_t pd)
{
    libos_lock(&chan_lock);
    for (unsigned id = 0; id < FB_MAX_CHANNELS; id++) {
        struct chan *c = &chans[id];
        if (!c->ci || c->ci->peer != pd || !c->queue)
            continue;
        if (fb_queue_pending(&c->q.rx) == FB_QUEUE_CORRUPT || fb_queue_free(&c->q.tx) < 0) {
            memset(c->q.rx.c, 0, sizeof *c->q.rx.c);
            memset(c->q.tx.c, 0, sizeof *c->q.tx.c);
            libos_log_num("a restarted PD had broken its queue pair: emptied, channel", id);
        }
        c->broken = false;
    }
    libos_unlock(&chan_lock);
}

void libos_chan_peer_restarted(uint32_t pd)
{
    uint64_t kick = 0;
    libos_lock(&chan_lock);
    for (unsigned id = 0; id < FB_MAX_CHANNELS; id++) {
        struct chan *c = &chans[id];
        if (c->ci && c->ci->peer == pd) {
            c->gen++;
            c->notes = 0;
            if (c->queue)
                fb_qpair_resync(&c->q);   /* answers what the dead instance asked */
            kick |= 1ull << id;
        }
    }
    libos_unlock(&chan_lock);
    /* The new peer looks at its queues when it starts; a notification
     * tells one that waits for us instead. */
    for (unsigned id = 0; id < FB_MAX_CHANNELS; id++)
        if (kick >> id & 1)
            fb_notify(id);
    libos_file_changed();
}

/* The queue region of a channel, checked against this PD's maps. */
static bool attach_queue(struct chan *c, const struct fb_pdinfo *in)
{
    const struct fb_pdinfo_chan *ci = c->ci;
    if (ci->queue_map >= in->n_maps || ci->queue_map >= FB_PDINFO_MAX_MAPS)
        return false;
    const struct fb_pdinfo_map *m = &in->maps[ci->queue_map];
    if (m->kind != FB_MAP_REGION || (m->perms & 6) != 6)
        return false;
    return fb_qpair_attach(&c->q, (void *)(uintptr_t)m->vaddr, m->size, ci->queue_end,
                           ci->queue_depth, ci->queue_slot);
}

const struct fb_pdinfo_chan *libos_chan_queue(const char *name, struct fb_qpair *q)
{
    const struct fb_pdinfo *in = libos_info();
    if (!in || in->n_chans > FB_MAX_CHANNELS || in->chans_off > FB_PDINFO_BYTES ||
        (FB_PDINFO_BYTES - in->chans_off) / sizeof(struct fb_pdinfo_chan) < in->n_chans)
        return NULL;
    const struct fb_pdinfo_chan *tab = (const void *)((const char *)in + in->chans_off);
    for (uint32_t i = 0; i < in->n_chans; i++) {
        const struct fb_pdinfo_chan *ci = &tab[i];
        if (ci->kind != FB_CHAN_PD || ci->id >= FB_MAX_CHANNELS || ci->queue_map == FB_CHAN_NO_QUEUE ||
            strcmp(libos_info_str(ci->name_off), name) != 0)
            continue;
        struct chan c = { .ci = ci };
        if (!attach_queue(&c, in))
            return NULL;
        *q = c.q;
        return ci;
    }
    return NULL;
}

void libos_chan_devices(struct vnode *devdir)
{
    const struct fb_pdinfo *in = libos_info();
    if (!in || in->n_chans > FB_MAX_CHANNELS || in->chans_off > FB_PDINFO_BYTES ||
        (FB_PDINFO_BYTES - in->chans_off) / sizeof(struct fb_pdinfo_chan) < in->n_chans)
        return;
    const struct fb_pdinfo_chan *tab = (const void *)((const char *)in + in->chans_off);
    struct vnode *dir = NULL;
    for (uint32_t i = 0; i < in->n_chans; i++) {
        const struct fb_pdinfo_chan *ci = &tab[i];
        const char *name = libos_info_str(ci->name_off);
        if (ci->kind != FB_CHAN_PD || ci->id >= FB_MAX_CHANNELS || !*name)
            continue;
        if (libos_events_has(ci->id))
            continue;           /* libos uses it itself (the console) */
        struct chan *c = &chans[ci->id];
        c->ci = ci;
        if (ci->queue_map != FB_CHAN_NO_QUEUE) {
            if (!attach_queue(c, in)) {
                libos_log_num("a channel's queue region does not fit its parameters; no device, channel",
                              ci->id);
                c->ci = NULL;
                continue;
            }
            c->queue = true;
        }
        if (!dir && !(dir = vfs_dev_subdir(devdir, "chan")))
            return;
        libos_events_on(ci->id, chan_notified);
        vfs_dev_node(dir, name, 0600, (CHAN_MAJOR << 8) | ci->id, &chan_ops);
    }
}

void libos_native_init(struct vnode *devdir)
{
    libos_chan_devices(devdir);
    libos_pd_devices(devdir);
}
