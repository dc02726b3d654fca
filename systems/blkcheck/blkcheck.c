/*
 * blkcheck.c - the client PD of tests/suites/blk.sh: drives the virtio-blk
 * driver (drivers/blk) through its channel `blk` and the shared region
 * blk_data, and prints what it finds, one `blkcheck: ` line per check.
 * What it checks depends on what the driver's INFO answer says:
 *   - no device: every request is answered FB_BLK_NO_DEVICE;
 *   - read-only: sector 3 reads (its first bytes are printed, for the host
 *     to compare with the file), writes are answered FB_BLK_READ_ONLY;
 *   - writable: a known pattern (pattern() below, which blk.sh repeats in
 *     python) is written to sectors 0, 1, 7, 100..107 (one request) and the
 *     last sector, then flushed (or the flush is found unsupported when the
 *     device cannot flush), read back into a zeroed region and compared;
 * and in every case malformed and out-of-range requests get their error
 * status.  It ends with `blkcheck: N passed, N failed` and powers off with
 * 0 only if none failed.
 */
#include <freebeam/blk.h>
#include <freebeam/fbpd.h>
#include <freebeam/queue.h>

#define ANSWER_NS 10000000000ull               /* 10 s for any answer */

static struct fb_qpair q;
static unsigned ch;
static uint8_t *data;                          /* blk_data, as mapped here */
static uint32_t data_bytes;
static uint32_t cookie = 100;
static unsigned passed, failed;

static void check(bool ok, const char *what)
{
    fb_printf("blkcheck: %s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

static void finish(void)
{
    fb_printf("blkcheck: %u passed, %u failed\n", passed, failed);
    fb_poweroff(failed ? 1 : 0);
    fb_pd_exit(failed ? 1 : 0);
}

/* Send len bytes as a request and wait for its answer; false on timeout,
 * a broken queue or an answer of the wrong shape. */
static bool call_raw(const void *msg, uint32_t len, struct fb_blk_resp *resp)
{
    uint32_t mine = ++cookie;
    if (fb_queue_send(&q.tx, msg, len, mine) < 0)
        return false;
    if (fb_queue_notify_data(&q.tx))
        fb_notify(ch);
    uint64_t deadline = fb_clock_ticks() + fb_ns_to_ticks(ANSWER_NS);
    for (;;) {
        uint32_t got_cookie;
        int n = fb_queue_recv(&q.rx, resp, sizeof *resp, &got_cookie);
        if (n >= 0) {
            if (fb_queue_notify_space(&q.rx))
                fb_notify(ch);
            return n == (int)sizeof *resp && got_cookie == mine;
        }
        if (n != FB_QUEUE_EMPTY || fb_clock_ticks() >= deadline)
            return false;
        if (fb_queue_want_data(&q.rx))
            fb_wait(deadline);
    }
}

/* One request; its status, or 0xdead if no answer came. */
static uint32_t call(uint32_t op, uint64_t sector, uint32_t count, uint32_t offset, struct fb_blk_resp *resp)
{
    struct fb_blk_req req = { .op = op, .count = count, .sector = sector, .offset = offset };
    return call_raw(&req, sizeof req, resp) ? resp->status : 0xdeadu;
}

static uint8_t pattern(uint64_t sector, uint32_t i)
{
    return (uint8_t)(sector * 131u + i * 7u + 0x5au);
}

static void fill(uint32_t offset, uint64_t sector, uint32_t count)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < FB_BLK_SECTOR; i++)
            data[offset + s * FB_BLK_SECTOR + i] = pattern(sector + s, i);
}

static bool same(uint32_t offset, uint64_t sector, uint32_t count)
{
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t i = 0; i < FB_BLK_SECTOR; i++)
            if (data[offset + s * FB_BLK_SECTOR + i] != pattern(sector + s, i))
                return false;
    return true;
}

/* Requests every disk must refuse, whatever it is. */
static void malformed(uint64_t cap, uint32_t expect_if_shape_ok)
{
    struct fb_blk_resp r;
    struct fb_blk_req req = { .op = FB_BLK_OP_READ, .count = 1 };
    check(call_raw(&req, 10, &r) && r.status == FB_BLK_BAD_REQUEST, "a request of 10 bytes: bad request");
    req.reserved = 1;
    check(call_raw(&req, sizeof req, &r) && r.status == FB_BLK_BAD_REQUEST, "reserved not 0: bad request");
    check(call(9, 0, 0, 0, &r) == FB_BLK_UNSUPPORTED, "op 9: unsupported");
    check(call(FB_BLK_OP_FLUSH, 0, 1, 0, &r) == FB_BLK_BAD_REQUEST, "a flush with a count: bad request");
    check(call(FB_BLK_OP_INFO, 5, 0, 0, &r) == FB_BLK_BAD_REQUEST, "info with a sector: bad request");
    /* These have the right shape: a driver without a device says so first. */
    uint32_t bad = expect_if_shape_ok;
    check(call(FB_BLK_OP_READ, cap, 1, 0, &r) == bad, "read of the sector after the last: refused");
    check(call(FB_BLK_OP_READ, cap ? cap - 1 : 0, 2, 0, &r) == bad, "read across the end: refused");
    check(call(FB_BLK_OP_WRITE, ~0ull, 2, 0, &r) == bad, "write at sector 2^64-1 (wraps): refused");
    check(call(FB_BLK_OP_READ, 0, 0, 0, &r) == bad, "read of 0 sectors: refused");
    check(call(FB_BLK_OP_READ, 0, 1, 100, &r) == bad, "offset not a multiple of 512: refused");
    check(call(FB_BLK_OP_READ, 0, 1, data_bytes, &r) == bad, "data after the region: refused");
    check(call(FB_BLK_OP_READ, 0, data_bytes / FB_BLK_SECTOR + 1, 0, &r) == bad, "more data than the region: refused");
    check(call(FB_BLK_OP_WRITE, 0, 0x800000u, data_bytes - FB_BLK_SECTOR, &r) == bad,
          "offset + length wraps 2^32: refused");
}

static void no_device(void)
{
    struct fb_blk_resp r;
    check(call(FB_BLK_OP_READ, 0, 1, 0, &r) == FB_BLK_NO_DEVICE, "read without a device: no device");
    check(call(FB_BLK_OP_WRITE, 0, 1, 0, &r) == FB_BLK_NO_DEVICE, "write without a device: no device");
    check(call(FB_BLK_OP_FLUSH, 0, 0, 0, &r) == FB_BLK_NO_DEVICE, "flush without a device: no device");
    malformed(0, FB_BLK_NO_DEVICE);
}

static void read_only(uint64_t cap)
{
    struct fb_blk_resp r;
    __builtin_memset(data, 0, 2 * FB_BLK_SECTOR);
    check(call(FB_BLK_OP_READ, 3, 1, 0, &r) == FB_BLK_OK, "read of sector 3");
    fb_printf("blkcheck: sector 3 begins");
    for (unsigned i = 0; i < 16; i++)
        fb_printf(" %02x", data[i]);
    fb_printf("\n");
    fill(0, 3, 1);
    check(call(FB_BLK_OP_WRITE, 3, 1, 0, &r) == FB_BLK_READ_ONLY, "write to a read-only disk: read-only");
    check(call(FB_BLK_OP_WRITE, cap - 1, 1, 0, &r) == FB_BLK_READ_ONLY, "write of its last sector: read-only");
    malformed(cap, FB_BLK_BAD_REQUEST);
}

static void writable(uint64_t cap, bool can_flush)
{
    struct fb_blk_resp r;
    /* offset 0: sector 0; 512: sector 1; 1024: sector 7; 4096: 100..107; 8192: the last */
    static const struct { uint64_t sector; uint32_t count, offset; } w[] = {
        { 0, 1, 0 }, { 1, 1, 512 }, { 7, 1, 1024 }, { 100, 8, 4096 }, { 0, 1, 8192 },
    };
    uint64_t last = cap - 1;
    bool ok = true;
    for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) {
        uint64_t s = i == 4 ? last : w[i].sector;
        fill(w[i].offset, s, w[i].count);
        ok &= call(FB_BLK_OP_WRITE, s, w[i].count, w[i].offset, &r) == FB_BLK_OK;
    }
    check(ok, "writes of sectors 0, 1, 7, 100..107 and the last");
    uint32_t f = call(FB_BLK_OP_FLUSH, 0, 0, 0, &r);
    if (can_flush)
        check(f == FB_BLK_OK, "flush");
    else
        check(f == FB_BLK_UNSUPPORTED, "flush on a device that cannot: unsupported");
    __builtin_memset(data, 0, data_bytes);
    ok = true;
    for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) {
        uint64_t s = i == 4 ? last : w[i].sector;
        ok &= call(FB_BLK_OP_READ, s, w[i].count, w[i].offset + 16384, &r) == FB_BLK_OK &&
              same(w[i].offset + 16384, s, w[i].count);
    }
    check(ok, "reads give back what was written");
    check(call(FB_BLK_OP_READ, last, 1, data_bytes - FB_BLK_SECTOR, &r) == FB_BLK_OK &&
          same(data_bytes - FB_BLK_SECTOR, last, 1), "read of the last sector into the region's last bytes");
    malformed(cap, FB_BLK_BAD_REQUEST);
    fb_printf("blkcheck: written\n");
}

static bool named(const char *s, const char *name)
{
    while (*s && *s == *name)
        s++, name++;
    return *s == *name;
}

void init(void)
{
    int c = fb_queue_channel("blk", &q);
    const struct fb_pdinfo *in = fb_info();
    for (unsigned i = 0; in && i < in->n_maps && i < FB_PDINFO_MAX_MAPS; i++)
        if (in->maps[i].kind == FB_MAP_REGION && named(fb_info_str(in->maps[i].name_off), "blk_data")) {
            data = (uint8_t *)(uintptr_t)in->maps[i].vaddr;
            data_bytes = in->maps[i].size;
        }
    if (c < 0 || !data || data_bytes < 32768) {
        check(false, "a queue pair named blk and a region blk_data of 32 KiB at least");
        finish();
    }
    ch = (unsigned)c;
    if (fb_qpair_resync(&q))
        fb_notify(ch);
    struct fb_blk_resp info;
    uint32_t st = call(FB_BLK_OP_INFO, 0, 0, 0, &info);
    if (st == FB_BLK_NO_DEVICE) {
        fb_printf("blkcheck: mode no-device\n");
        no_device();
        finish();
    }
    check(st == FB_BLK_OK && info.capacity >= 200, "info answered, a disk of 200 sectors at least");
    if (st != FB_BLK_OK || info.capacity < 200)
        finish();
    bool ro = info.flags & FB_BLK_F_READ_ONLY, can_flush = info.flags & FB_BLK_F_FLUSH;
    fb_printf("blkcheck: mode %s, capacity %llu sectors, block size %u, flush %s\n", ro ? "read-only" : "writable",
              (unsigned long long)info.capacity, (unsigned)info.block_size, can_flush ? "yes" : "no");
    if (ro)
        read_only(info.capacity);
    else
        writable(info.capacity, can_flush);
    finish();
}
