/*
 * entropy.c - where libos's random bytes come from (entropy.h).
 *
 * With an entropy source (a channel named `entropy` with a queue pair to
 * the rng driver PD, drivers/rng): at start libos asks the driver for
 * SEED_BYTES; each answer, arriving in the event thread, is mixed into
 * the generator's key (the device may give fewer bytes than asked: libos
 * asks again), and once SEED_MIN_BYTES have come the generator is seeded.  Until then getrandom without
 * GRND_NONBLOCK and reads of /dev/random and /dev/urandom wait, and with
 * GRND_NONBLOCK (or O_NONBLOCK) fail with EAGAIN, as on Linux before its
 * pool is initialised.  After RESEED_BYTES of output or RESEED_SECONDS,
 * whichever comes first, the next caller asks for fresh bytes (the
 * generator goes on meanwhile: a reseed never blocks).
 *
 * Without one (no such channel, or the driver stopped before it answered:
 * no device on this board), libos says so once on the console and keys
 * the generator from what it has (a hash of the program's headers and
 * layout, the counter): it never blocks and is NOT cryptographically
 * sound, and under --det it gives the same bytes on every run.
 *
 * Every generator request erases the key that made it (fast key erasure,
 * chacha20.h).  The lock guards the generator and the queue's our side;
 * the event thread takes it only to mix a seed in.
 */
#include "libos.h"
#include "chacha20.h"
#include "entropy.h"
#include "events.h"
#include "file.h"
#include <freebeam/kcall.h>
#include <elf.h>
#include <string.h>
#include <freebeam/queue.h>
#include <freebeam/sysimage.h>

#define SEED_BYTES 64u                   /* asked for each (re)seed: 512 bits */
#define SEED_MIN_BYTES 32u               /* from the device before the first output: 256 bits */
#define RESEED_BYTES (1u << 20)
#define RESEED_SECONDS 60u

static struct libos_lock rnd_lock;
static struct csprng gen;
static bool seeded;                      /* real entropy (or the weak fallback) is in */
static bool have_source;                 /* an entropy channel with a working queue */
static bool asking;                      /* a request is in the queue, unanswered */
static uint32_t source_pd, source_ch, next_cookie;
static uint64_t out_since_seed, seeded_at;
static uint32_t seed_bytes;              /* bytes from the device mixed in so far */
static struct fb_qpair q;

extern const Elf32_Ehdr __ehdr_start;
extern char _end[], __libos_heap_end[];

/* What a board without an entropy source keys the generator with. */
static void mix_weak(void)
{
    const unsigned char *p = (const unsigned char *)&__ehdr_start;
    size_t n = __ehdr_start.e_phoff + (size_t)__ehdr_start.e_phnum * __ehdr_start.e_phentsize;
    csprng_mix(&gen, p, n < FB_PAGE ? n : FB_PAGE);
    uint64_t t = libos_ticks();
    uintptr_t layout[2] = { (uintptr_t)_end, (uintptr_t)__libos_heap_end };
    csprng_mix(&gen, (const uint8_t *)&t, sizeof t);
    csprng_mix(&gen, (const uint8_t *)layout, sizeof layout);
}

static void fall_back(const char *why)
{
    libos_puts("libos: ");
    libos_puts(why);
    libos_puts(": getrandom and /dev/urandom are NOT cryptographically seeded\n");
    mix_weak();
    seeded = true;
    have_source = false;
}

/* Put a request for SEED_BYTES in the queue (lock held); true if the
 * driver must be notified. */
static bool ask_locked(void)
{
    uint8_t req[4] = { SEED_BYTES, 0, 0, 0 };
    if (asking || !have_source)
        return false;
    if (fb_queue_send(&q.tx, req, sizeof req, ++next_cookie) != 0)
        return false;                    /* full: the driver has requests to answer anyway */
    asking = true;
    return fb_queue_notify_data(&q.tx);
}

static void entropy_event(unsigned ch)
{
    (void)ch;
    uint8_t buf[256];
    bool kick = false;
    libos_lock(&rnd_lock);
    for (;;) {
        int n = have_source ? fb_queue_recv(&q.rx, buf, sizeof buf, NULL) : FB_QUEUE_EMPTY;
        if (n == FB_QUEUE_EMPTY) {
            if (!have_source || fb_queue_want_data(&q.rx))
                break;                   /* still empty: the driver notifies us */
            continue;
        }
        if (n < 0) {                     /* a broken queue, or an answer larger than asked */
            if (seeded) {
                libos_puts("libos: the entropy driver broke its queue: no more reseeds\n");
                have_source = false;
            } else {
                fall_back("the entropy driver broke its queue");
            }
            break;
        }
        kick |= fb_queue_notify_space(&q.rx);
        asking = false;
        if (n == 0)
            continue;                    /* an empty answer: our request was refused */
        csprng_mix(&gen, buf, (size_t)n);
        seed_bytes += (uint32_t)n;
        if (seed_bytes >= SEED_MIN_BYTES) {
            seeded = true;
            out_since_seed = 0;
            seeded_at = libos_ticks();
        }
    }
    if (have_source && !seeded)
        kick |= ask_locked();            /* not enough yet: ask again */
    memset(buf, 0, sizeof buf);
    libos_unlock(&rnd_lock);
    if (kick)
        fb_notify(source_ch);
    /* The event thread calls libos_file_changed() next: waiters look again. */
}

void libos_entropy_init(void)
{
    const struct fb_pdinfo *in = libos_info();
    const struct fb_pdinfo_chan *found = NULL;
    if (in && in->n_chans <= FB_MAX_CHANNELS && in->chans_off <= FB_PDINFO_BYTES &&
        (FB_PDINFO_BYTES - in->chans_off) / sizeof(struct fb_pdinfo_chan) >= in->n_chans) {
        const struct fb_pdinfo_chan *tab = (const void *)((const char *)in + in->chans_off);
        for (uint32_t i = 0; i < in->n_chans && !found; i++)
            if (tab[i].kind == FB_CHAN_PD && tab[i].id < FB_MAX_CHANNELS &&
                strcmp(libos_info_str(tab[i].name_off), "entropy") == 0)
                found = &tab[i];
    }
    if (!found) {
        fall_back("no entropy source (no channel named entropy)");
        return;
    }
    const struct fb_pdinfo_map *m = found->queue_map < in->n_maps && found->queue_map < FB_PDINFO_MAX_MAPS
                                    ? &in->maps[found->queue_map] : NULL;
    if (!m || m->kind != FB_MAP_REGION || (m->perms & 6) != 6 ||
        !fb_qpair_attach(&q, (void *)(uintptr_t)m->vaddr, m->size, found->queue_end,
                         found->queue_depth, found->queue_slot) ||
        found->queue_slot < SEED_BYTES) {
        fall_back("the entropy channel has no usable queue pair");
        return;
    }
    if (libos_events_on(found->id, entropy_event) < 0) {
        fall_back("the entropy channel cannot be waited on");
        return;
    }
    source_ch = found->id;
    source_pd = found->peer;
    have_source = true;
    mix_weak();                          /* for GRND_INSECURE before the seed; not "seeded" */
    fb_qpair_resync(&q);                 /* a restarted BEAM PD takes over an old queue */
    ask_locked();                        /* (a queue full of old requests: their answers seed us) */
    fb_notify(source_ch);
}

void libos_entropy_peer_stopped(uint32_t pd)
{
    libos_lock(&rnd_lock);
    if (have_source && pd == source_pd && !seeded)
        fall_back("the entropy driver stopped before it gave a seed (no device?)");
    libos_unlock(&rnd_lock);
    libos_file_changed();
}

long libos_random_fill(void *buf, size_t len, bool nonblock, bool insecure)
{
    for (;;) {
        uint32_t seen = libos_change_seq();
        libos_lock(&rnd_lock);
        if (seeded || insecure)
            break;
        libos_unlock(&rnd_lock);
        if (nonblock)
            return -EAGAIN;
        if (libos_wait_change(seen, 0) == -EINTR)
            return -EINTR;
    }
    uint8_t *p = buf;
    for (size_t done = 0; done < len;) {
        size_t n = len - done < CSPRNG_MAX_REQUEST ? len - done : CSPRNG_MAX_REQUEST;
        csprng_generate(&gen, p + done, n);
        done += n;
    }
    bool kick = false;
    out_since_seed += len;
    if (have_source && seeded &&
        (out_since_seed >= RESEED_BYTES ||
         libos_ticks() - seeded_at >= (uint64_t)RESEED_SECONDS * libos_freq()))
        kick = ask_locked();
    libos_unlock(&rnd_lock);
    if (kick)
        fb_notify(source_ch);
    return (long)len;
}
