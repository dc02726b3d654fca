/*
 * test_ring.c - include/freebeam/ring.h on the host: empty, full and
 * wrap-around (also of the 32-bit indices), the notification handshake
 * step by step, and a two-thread producer/consumer stress test in which each
 * side waits on an emulated kernel notification (a binary semaphore, merged
 * like the kernel's) only after asking for it through the ring.  The stress
 * test checks that no byte is lost, duplicated or reordered and that no
 * wake-up is lost (a wait that times out is a failure, not a hang).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <freebeam/ring.h>
#include "check.h"
#include "notif.h"

static _Alignas(64) uint8_t region[4096];

static void fresh(struct fb_ring *r, uint32_t region_bytes)
{
    memset(region, 0, sizeof region);
    CHECK(fb_ring_attach(r, region, region_bytes));
}

static void sizes(void)
{
    struct fb_ring r;
    CHECK(fb_ring_data_size(4096) == 2048);
    CHECK(fb_ring_data_size(8192) == 4096);
    CHECK(fb_ring_data_size(FB_RING_CTRL_BYTES + 64) == 64);
    CHECK(fb_ring_data_size(FB_RING_CTRL_BYTES + 63) == 32);
    CHECK(fb_ring_data_size(FB_RING_CTRL_BYTES + 1) == 1);
    CHECK(fb_ring_data_size(FB_RING_CTRL_BYTES) == 0);
    CHECK(!fb_ring_attach(&r, region, FB_RING_CTRL_BYTES));
    CHECK(!fb_ring_attach(&r, region + 4, 1024));
    CHECK(fb_ring_attach(&r, region, 4096) && r.size == 2048 && r.data == region + 128);
}

static void empty_and_full(void)
{
    struct fb_ring p, c;   /* the two sides' handles on one ring */
    fresh(&p, 256);
    CHECK(fb_ring_attach(&c, region, 256));
    uint8_t buf[300];
    const uint8_t *ptr;
    CHECK(p.size == 128);
    CHECK(fb_ring_used(&c) == 0);
    CHECK(fb_ring_read(&c, buf, sizeof buf) == 0);
    CHECK(fb_ring_peek(&c, &ptr) == 0);
    CHECK(fb_ring_free(&p) == 128);

    uint8_t src[300];
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 7 + 1);
    CHECK(fb_ring_write(&p, src, 300) == 128);   /* only what fits */
    CHECK(fb_ring_free(&p) == 0);
    CHECK(fb_ring_write(&p, src, 1) == 0);        /* full: nothing */
    CHECK(fb_ring_used(&c) == 128);
    CHECK(fb_ring_read(&c, buf, 100) == 100);
    CHECK(memcmp(buf, src, 100) == 0);
    CHECK(fb_ring_free(&p) == 100);
    CHECK(fb_ring_read(&c, buf, 300) == 28);
    CHECK(memcmp(buf, src + 100, 28) == 0);
    CHECK(fb_ring_used(&c) == 0 && fb_ring_free(&p) == 128);
    CHECK(fb_ring_write(&p, src, 0) == 0);
}

/* Data crossing the end of the data area, and indices crossing 2^32. */
static void wrap_around(void)
{
    struct fb_ring p, c;
    fresh(&p, 256);
    CHECK(fb_ring_attach(&c, region, 256));
    struct fb_ring_ctrl *ctl = p.c;
    ctl->tail = ctl->head = 0xffffffffu - 40;   /* 41 bytes before the index wrap */
    uint8_t src[128], buf[128];
    unsigned bad = 0;
    uint32_t next_w = 0, next_r = 0;
    for (unsigned round = 0; round < 50; round++) {
        uint32_t n = 1 + (round * 37) % 100;
        for (uint32_t i = 0; i < n; i++)
            src[i] = (uint8_t)(next_w + i);
        uint32_t w = fb_ring_write(&p, src, n);
        next_w += w;
        const uint8_t *ptr;
        uint32_t k = fb_ring_peek(&c, &ptr);
        if (k > c.size - (ctl->head & c.mask))
            bad++;   /* peek must stop at the end of the data area */
        uint32_t got = fb_ring_read(&c, buf, (uint32_t)(round % 3 == 0 ? 128 : n / 2 + 1));
        for (uint32_t i = 0; i < got; i++)
            if (buf[i] != (uint8_t)(next_r + i))
                bad++;
        next_r += got;
        if (ctl->tail - ctl->head != next_w - next_r)
            bad++;
    }
    CHECK(bad == 0);
    CHECK(ctl->tail < 0x10000u);   /* the indices did wrap */
}

/* A corrupt peer (head far from tail) makes no access outside the data. */
static void corrupt_peer(void)
{
    struct fb_ring p, c;
    fresh(&p, 256);
    CHECK(fb_ring_attach(&c, region, 256));
    p.c->tail = 1000;
    p.c->head = 5;   /* claims 995 bytes in a 128-byte ring */
    CHECK(fb_ring_used(&c) == 128);
    CHECK(fb_ring_free(&p) == 0);
    const uint8_t *ptr;
    uint32_t k = fb_ring_peek(&c, &ptr);
    CHECK(ptr >= c.data && ptr + k <= c.data + c.size);
    p.c->head = 2000;   /* head ahead of tail */
    CHECK(fb_ring_free(&p) == 0 && fb_ring_used(&c) == 128);
}

/* The notification handshake, step by step on one thread. */
static void handshake(void)
{
    struct fb_ring p, c;
    fresh(&p, 256);
    CHECK(fb_ring_attach(&c, region, 256));
    uint8_t b = 'x', buf[200];

    /* Nobody asked: publishing notifies no one. */
    CHECK(fb_ring_write(&p, &b, 1) == 1);
    CHECK(!fb_ring_notify_data(&p));
    CHECK(fb_ring_read(&c, buf, 10) == 1);
    CHECK(!fb_ring_notify_space(&c));

    /* The consumer asks on an empty ring: it should wait. */
    CHECK(fb_ring_want_data(&c));
    CHECK(fb_ring_want_data(&c));           /* asking twice is one request */
    CHECK(c.c->data_req == 1);
    CHECK(fb_ring_write(&p, &b, 1) == 1);
    CHECK(fb_ring_notify_data(&p));         /* answered once ... */
    CHECK(fb_ring_write(&p, &b, 1) == 1);
    CHECK(!fb_ring_notify_data(&p));        /* ... and only once */
    CHECK(!fb_ring_want_data(&c));          /* data there: do not wait */
    CHECK(fb_ring_read(&c, buf, 10) == 2);

    /* Asking on a non-empty ring: don't wait; the producer may notify once
     * more (spurious but harmless). */
    CHECK(fb_ring_write(&p, &b, 1) == 1);
    CHECK(!fb_ring_want_data(&c));
    CHECK(fb_ring_notify_data(&p));
    CHECK(!fb_ring_notify_data(&p));
    CHECK(fb_ring_read(&c, buf, 10) == 1);

    /* The producer finds the ring full and asks for space. */
    uint8_t big[128] = { 0 };
    CHECK(fb_ring_write(&p, big, 128) == 128);
    CHECK(fb_ring_want_space(&p));
    CHECK(fb_ring_read(&c, buf, 1) == 1);
    CHECK(fb_ring_notify_space(&c));
    CHECK(fb_ring_read(&c, buf, 1) == 1);
    CHECK(!fb_ring_notify_space(&c));
    CHECK(!fb_ring_want_space(&p));          /* space there: do not wait */
    CHECK(fb_ring_read(&c, buf, 200) == 126);
    CHECK(c.c->overruns == 0);
    fb_ring_add_overruns(&p, 3);
    CHECK(fb_ring_overruns(&c) == 3);
}

/* ---- the two-thread stress test ---- */

struct stress {
    _Alignas(64) uint8_t mem[FB_RING_CTRL_BYTES + 2048];
    uint32_t region_bytes;
    uint64_t total;
    struct notif to_cons, to_prod;
    unsigned long waits_p, waits_c, lost_p, lost_c, bad_bytes;
    uint64_t received;
};

/* The byte stream: byte i of it, from a counter mixed so that a shifted,
 * repeated or dropped run never matches by chance. */
static uint8_t stream_byte(uint64_t i)
{
    uint32_t v = (uint32_t)i * 2654435761u;
    return (uint8_t)(v >> 24 ^ (uint32_t)(i >> 8));
}

static void *producer(void *arg)
{
    struct stress *s = arg;
    struct fb_ring r;
    if (!fb_ring_attach(&r, s->mem, s->region_bytes))
        return NULL;
    uint32_t seed = 12345;
    uint8_t chunk[512];
    uint64_t sent = 0;
    while (sent < s->total) {
        uint32_t n = 1 + xorshift(&seed) % (xorshift(&seed) & 1 ? 8 : sizeof chunk);
        if (n > s->total - sent)
            n = (uint32_t)(s->total - sent);
        for (uint32_t i = 0; i < n; i++)
            chunk[i] = stream_byte(sent + i);
        uint32_t off = 0;
        while (off < n) {
            uint32_t w = fb_ring_write(&r, chunk + off, n - off);
            off += w;
            if (w && fb_ring_notify_data(&r))
                notif_signal(&s->to_cons);
            if (off < n && fb_ring_free(&r) == 0 && fb_ring_want_space(&r)) {
                s->waits_p++;
                if (notif_wait(&s->to_prod) < 0) {
                    s->lost_p++;
                    return NULL;
                }
            }
        }
        sent += n;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    struct stress *s = arg;
    struct fb_ring r;
    if (!fb_ring_attach(&r, s->mem, s->region_bytes))
        return NULL;
    uint32_t seed = 999;
    uint8_t buf[700];
    while (s->received < s->total) {
        uint32_t want = 1 + xorshift(&seed) % (xorshift(&seed) & 1 ? 5 : sizeof buf);
        uint32_t got = fb_ring_read(&r, buf, want);
        for (uint32_t i = 0; i < got; i++)
            if (buf[i] != stream_byte(s->received + i))
                s->bad_bytes++;
        s->received += got;
        if (got && fb_ring_notify_space(&r))
            notif_signal(&s->to_prod);
        if (got == 0 && fb_ring_want_data(&r)) {
            s->waits_c++;
            if (notif_wait(&s->to_cons) < 0) {
                s->lost_c++;
                return NULL;
            }
        }
    }
    return NULL;
}

static void stress(uint32_t region_bytes, uint64_t total)
{
    struct stress *s = aligned_alloc(64, sizeof *s);   /* the ring wants 64-byte alignment */
    memset(s, 0, sizeof *s);
    s->region_bytes = region_bytes;
    s->total = total;
    notif_init(&s->to_cons);
    notif_init(&s->to_prod);
    CHECK(run_pair(producer, consumer, s) == 0);
    struct fb_ring r;
    CHECK(fb_ring_attach(&r, s->mem, region_bytes));
    printf("  stress: ring %u bytes, %llu bytes through, waits p %lu c %lu, notifications "
           "p->c %lu c->p %lu\n", r.size, (unsigned long long)s->received, s->waits_p, s->waits_c,
           s->to_cons.sent, s->to_prod.sent);
    CHECK(s->lost_p == 0 && s->lost_c == 0);
    CHECK(s->received == total);
    CHECK(s->bad_bytes == 0);
    CHECK(r.c->tail == (uint32_t)total && r.c->head == (uint32_t)total);
    /* one notification per request at most */
    CHECK(s->to_cons.sent <= r.c->data_req && s->to_prod.sent <= r.c->space_req);
    free(s);
}

int main(void)
{
    sizes();
    empty_and_full();
    wrap_around();
    corrupt_peer();
    handshake();
    stress(FB_RING_CTRL_BYTES + 16, 2u << 20);     /* tiny ring: full and empty all the time */
    stress(FB_RING_CTRL_BYTES + 2048, 16u << 20);  /* the serial driver's size */
    return check_report("test_ring");
}
