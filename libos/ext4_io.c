/*
 * ext4_io.c - the io_manager libext2fs reads and writes the disk through
 * (ext4_io.h): block I/O as requests to the virtio-blk driver PD over the
 * queue pair of channel `blk`, the data staged in the shared region
 * `blk_data` (copied in and out: libext2fs's buffers are ours, the region
 * is the device's).  A transfer larger than the region is split; a byte
 * count that ends inside a sector (libext2fs may ask for -N bytes) is read
 * whole and, for writes, merged with what the disk holds.  Flush is the
 * driver's FB_BLK_OP_FLUSH (a real VIRTIO_BLK_T_FLUSH, docs/storage.md).
 *
 * Fewer, larger requests: the journal's writes to consecutive blocks are
 * staged in the region and sent as one request (ext4_disk_stage), and a
 * read that follows the previous one brings a whole region's worth, kept
 * for the reads after it (libext2fs reads files a block at a time).
 *
 * A request waits for its answer on libos's change counter: the event
 * thread bumps it after every notification of the channel.  An answer
 * that does not come within ANSWER_NS, or of the wrong shape, is an I/O
 * error (the disk is then given up on: every later request fails).
 */
#include "libos.h"
#include "ext4_io.h"
#include "ext4_journal.h"
#include "events.h"
#include "file.h"
#include <freebeam/kcall.h>
#include <string.h>
#include <freebeam/blk.h>
#include <freebeam/queue.h>
#include <freebeam/sysimage.h>
/* libext2fs's helpers out of line (its inline.c, built with its C library
 * calls renamed to ours), never inlined here with musl's malloc. */
#define NO_INLINE_FUNCS
#include "ext2fs/ext2fs.h"

#define ANSWER_NS 30000000000ull        /* 30 s for any answer */

static struct fb_qpair q;
static uint32_t blk_ch;
static uint8_t *region;                 /* blk_data as mapped here */
static uint32_t region_bytes;           /* a multiple of the sector size */
static uint32_t next_cookie;
static uint64_t capacity;               /* sectors, from INFO */
static bool broken;                     /* the driver stopped answering properly */

static void blk_event(unsigned ch)
{
    (void)ch;   /* the event thread's libos_file_changed() wakes the waiter */
}

bool ext4_disk_init(void)
{
    const struct fb_pdinfo *in = libos_info();
    const struct fb_pdinfo_chan *found = NULL;
    if (!in || in->n_chans > FB_MAX_CHANNELS || in->chans_off > FB_PDINFO_BYTES ||
        (FB_PDINFO_BYTES - in->chans_off) / sizeof(struct fb_pdinfo_chan) < in->n_chans)
        return false;
    const struct fb_pdinfo_chan *tab = (const void *)((const char *)in + in->chans_off);
    for (uint32_t i = 0; i < in->n_chans && !found; i++)
        if (tab[i].kind == FB_CHAN_PD && tab[i].id < FB_MAX_CHANNELS &&
            strcmp(libos_info_str(tab[i].name_off), "blk") == 0)
            found = &tab[i];
    const struct fb_pdinfo_map *data = libos_region("blk_data");
    if (!found)
        return false;
    const struct fb_pdinfo_map *m = found->queue_map < in->n_maps && found->queue_map < FB_PDINFO_MAX_MAPS
                                    ? &in->maps[found->queue_map] : NULL;
    if (!m || m->kind != FB_MAP_REGION || (m->perms & 6) != 6 || !data || (data->perms & 6) != 6 ||
        data->size < FB_BLK_SECTOR ||
        found->queue_slot < sizeof(struct fb_blk_resp) ||
        !fb_qpair_attach(&q, (void *)(uintptr_t)m->vaddr, m->size, found->queue_end,
                         found->queue_depth, found->queue_slot)) {
        libos_puts("libos: ext4: the channel blk has no usable queue pair or blk_data region: no /data\n");
        return false;
    }
    if (libos_events_on(found->id, blk_event) < 0)
        return false;
    blk_ch = found->id;
    region = (uint8_t *)(uintptr_t)data->vaddr;
    region_bytes = data->size / FB_BLK_SECTOR * FB_BLK_SECTOR;
    if (region_bytes > (1u << 20))
        region_bytes = 1u << 20;
    if (fb_qpair_resync(&q))             /* a restarted BEAM PD takes over an old queue */
        fb_notify(blk_ch);                /* (and the driver's open request for data is answered) */
    return true;
}

/* One request and its answer: the status, or -EIO. */
static long call(uint32_t op, uint64_t sector, uint32_t count, struct fb_blk_resp *resp)
{
    if (broken)
        return -EIO;
    struct fb_blk_req req = { .op = op, .count = count, .sector = sector, .offset = 0 };
    uint32_t mine = ++next_cookie;
    if (fb_queue_send(&q.tx, &req, sizeof req, mine) != 0)
        goto fail;                       /* one request at a time: the queue is never full */
    if (fb_queue_notify_data(&q.tx))
        fb_notify(blk_ch);
    uint64_t deadline = libos_ticks() + ANSWER_NS / 1000000000ull * libos_freq();
    for (;;) {
        uint32_t seen = libos_change_seq();
        uint32_t got;
        int n = fb_queue_recv(&q.rx, resp, sizeof *resp, &got);
        if (n >= 0) {
            if (fb_queue_notify_space(&q.rx))
                fb_notify(blk_ch);
            if (n != (int)sizeof *resp || got != mine)
                goto fail;
            return resp->status;
        }
        if (n != FB_QUEUE_EMPTY || libos_ticks() >= deadline)
            goto fail;
        if (fb_queue_want_data(&q.rx))
            libos_wait_change(seen, deadline);
    }
fail:
    broken = true;
    libos_puts("libos: ext4: the blk driver gave no proper answer: the disk is given up on\n");
    return -EIO;
}

int ext4_disk_info(uint64_t *sectors, uint32_t *flags)
{
    struct fb_blk_resp r;
    long st = call(FB_BLK_OP_INFO, 0, 0, &r);
    if (st < 0)
        return -EIO;
    if (st == FB_BLK_NO_DEVICE)
        return -ENODEV;
    if (st != FB_BLK_OK)
        return -EIO;
    capacity = r.capacity;
    *sectors = r.capacity;
    *flags = r.flags;
    return 0;
}

/* ---- the region between requests ----
 * The region holds either a run of whole-sector writes not sent yet
 * (staged: bytes [stage_off, stage_off + stage_len) of the disk), or
 * what the last read brought (cached: [cache_off, cache_off + cache_len)),
 * or nothing of use; never both.  Every request that is not the staged
 * run's own sends the run first, so the disk sees writes, reads and
 * flushes in the order they were asked for. */
static uint64_t stage_off, cache_off, last_read_end;
static uint32_t stage_len, cache_len;

/* Sectors [sector, sector + count) to or from the region's start. */
static errcode_t transfer(uint32_t op, uint64_t sector, uint32_t count)
{
    struct fb_blk_resp r;
    if (sector > capacity || count > capacity - sector)
        return EXT2_ET_LLSEEK_FAILED;
    long st = call(op, sector, count, &r);
    if (st == FB_BLK_OK)
        return 0;
    return op == FB_BLK_OP_READ ? EXT2_ET_SHORT_READ : EXT2_ET_SHORT_WRITE;
}

/* The staged run as one write request.  A failure gives up on the disk:
 * the writes it held were already acknowledged to the caller. */
static errcode_t send_staged(void)
{
    if (stage_len == 0)
        return 0;
    uint32_t len = stage_len;
    stage_len = 0;
    errcode_t e = transfer(FB_BLK_OP_WRITE, stage_off / FB_BLK_SECTOR, len / FB_BLK_SECTOR);
    if (e && !broken) {
        broken = true;
        libos_puts("libos: ext4: a write the disk refused: the disk is given up on\n");
    }
    return e;
}

int ext4_disk_flush(void)
{
    struct fb_blk_resp r;
    if (send_staged())
        return -EIO;
    long st = call(FB_BLK_OP_FLUSH, 0, 0, &r);
    return st == FB_BLK_OK ? 0 : st == FB_BLK_UNSUPPORTED ? -EOPNOTSUPP : -EIO;
}

long ext4_disk_stage(uint64_t off, const uint8_t *buf, uint32_t len)
{
    if (off % FB_BLK_SECTOR || len % FB_BLK_SECTOR || len > region_bytes)
        return ext4_disk_bytes(true, off, (uint8_t *)buf, len);
    if (stage_len && off >= stage_off && len <= stage_len && off - stage_off <= stage_len - len) {
        memcpy(region + (off - stage_off), buf, len);   /* rewritten before it was sent: the newer wins */
        return 0;
    }
    if (stage_len && (off != stage_off + stage_len || len > region_bytes - stage_len)) {
        errcode_t e = send_staged();
        if (e)
            return e;
    }
    if (stage_len == 0) {
        stage_off = off;
        cache_len = 0;                   /* the region is the run's now */
    }
    memcpy(region + stage_len, buf, len);
    stage_len += len;
    return 0;
}

/* Reads that follow the last one bring the region's size at once
 * (read-ahead): libext2fs reads a file a block at a time. */
static errcode_t read_bytes(uint64_t off, uint8_t *buf, uint64_t len)
{
    if (cache_len && off >= cache_off && len <= cache_len && off - cache_off <= cache_len - len) {
        memcpy(buf, region + (off - cache_off), len);
        last_read_end = off + len;
        return 0;
    }
    bool sequential = off == last_read_end && len < region_bytes && off % FB_BLK_SECTOR == 0;
    last_read_end = off + len;
    cache_len = 0;
    if (sequential) {
        uint64_t sector = off / FB_BLK_SECTOR;
        uint32_t sectors = region_bytes / FB_BLK_SECTOR;
        if (sector < capacity && capacity - sector < sectors)
            sectors = (uint32_t)(capacity - sector);
        if ((uint64_t)sectors * FB_BLK_SECTOR >= len) {
            errcode_t e = transfer(FB_BLK_OP_READ, sector, sectors);
            if (e)
                return e;
            cache_off = off;
            cache_len = sectors * FB_BLK_SECTOR;
            memcpy(buf, region, len);
            return 0;
        }
    }
    while (len > 0) {
        uint32_t n = len < region_bytes ? (uint32_t)len : region_bytes;
        errcode_t e = transfer(FB_BLK_OP_READ, off / FB_BLK_SECTOR, (n + FB_BLK_SECTOR - 1) / FB_BLK_SECTOR);
        if (e)
            return e;
        memcpy(buf, region, n);
        off += n;
        buf += n;
        len -= n;
    }
    return 0;
}

long ext4_disk_bytes(bool write, uint64_t off, uint8_t *buf, uint64_t len)
{
    errcode_t e = send_staged();
    if (e)
        return e;
    if (!write)
        return read_bytes(off, buf, len);
    cache_len = 0;                       /* the region is overwritten below */
    while (len > 0) {
        uint32_t n = len < region_bytes ? (uint32_t)len : region_bytes;
        uint32_t sectors = (n + FB_BLK_SECTOR - 1) / FB_BLK_SECTOR;
        uint64_t sector = off / FB_BLK_SECTOR;
        if (n % FB_BLK_SECTOR) {         /* the last sector in part: the rest from the disk */
            e = transfer(FB_BLK_OP_READ, sector + sectors - 1, 1);
            if (e)
                return e;
            memmove(region + (sectors - 1) * FB_BLK_SECTOR, region, FB_BLK_SECTOR);
        }
        memcpy(region, buf, n);
        e = transfer(FB_BLK_OP_WRITE, sector, sectors);
        if (e)
            return e;
        off += n;
        buf += n;
        len -= n;
    }
    return 0;
}

/* A libext2fs count: blocks if positive, bytes if negative. */
static uint64_t count_bytes(io_channel ch, int count)
{
    return count < 0 ? (uint64_t)-(int64_t)count : (uint64_t)count * (uint64_t)ch->block_size;
}

/* While the journal layer holds writes (ext4_journal.h), reads and writes
 * go through it. */
static errcode_t io_read64(io_channel ch, unsigned long long block, int count, void *data)
{
    uint64_t off = block * (uint64_t)ch->block_size, len = count_bytes(ch, count);
    if (ext4_journal_on())
        return ext4_journal_read(off, data, len);
    return ext4_disk_bytes(false, off, data, len);
}

static errcode_t io_write64(io_channel ch, unsigned long long block, int count, const void *data)
{
    uint64_t off = block * (uint64_t)ch->block_size, len = count_bytes(ch, count);
    if (ext4_journal_on())
        return ext4_journal_write(off, data, len);
    return ext4_disk_bytes(true, off, (uint8_t *)data, len);
}

static errcode_t io_read(io_channel ch, unsigned long block, int count, void *data)
{
    return io_read64(ch, block, count, data);
}

static errcode_t io_write(io_channel ch, unsigned long block, int count, const void *data)
{
    return io_write64(ch, block, count, data);
}

static errcode_t io_write_byte(io_channel ch, unsigned long offset, int count, const void *data)
{
    (void)ch;
    (void)offset;
    (void)count;
    (void)data;
    return EXT2_ET_UNIMPLEMENTED;        /* libext2fs falls back to whole blocks */
}

/* While the journal layer holds writes its commits flush: nothing here. */
static errcode_t io_flush(io_channel ch)
{
    (void)ch;
    if (ext4_journal_on())
        return 0;
    int r = ext4_disk_flush();
    return r == 0 || r == -EOPNOTSUPP ? 0 : EXT2_ET_SHORT_WRITE;
}

static errcode_t io_set_blksize(io_channel ch, int blksize)
{
    if (blksize <= 0 || blksize % (int)FB_BLK_SECTOR)
        return EXT2_ET_INVALID_ARGUMENT;
    ch->block_size = blksize;
    return 0;
}

static errcode_t io_set_option(io_channel ch, const char *option, const char *arg)
{
    (void)ch;
    (void)option;
    (void)arg;
    return EXT2_ET_INVALID_ARGUMENT;
}

static errcode_t io_close(io_channel ch);

static errcode_t io_open(const char *name, int flags, io_channel *out)
{
    (void)flags;
    io_channel ch;
    errcode_t e = ext2fs_get_memzero(sizeof *ch, &ch);
    if (e)
        return e;
    ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
    ch->manager = ext4_io_manager;
    ch->name = (char *)name;
    ch->block_size = 1024;
    ch->refcount = 1;
    ch->flags = flags & IO_FLAG_RW ? CHANNEL_FLAGS_WRITETHROUGH : 0;
    *out = ch;
    return 0;
}

static errcode_t io_close(io_channel ch)
{
    if (--ch->refcount > 0)
        return 0;
    ext2fs_free_mem(&ch);
    return 0;
}

static struct struct_io_manager blk_manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "freebeam blk",
    .open = io_open,
    .close = io_close,
    .set_blksize = io_set_blksize,
    .read_blk = io_read,
    .write_blk = io_write,
    .flush = io_flush,
    .write_byte = io_write_byte,
    .set_option = io_set_option,
    .read_blk64 = io_read64,
    .write_blk64 = io_write64,
};

struct struct_io_manager *ext4_io_manager = &blk_manager;

/* libext2fs's own version lives in mkjournal.c, which we do not build (it
 * needs the GPL-2 kernel-jbd.h): num blocks from blk written with zeroes,
 * a block at a time.  fs NULL: nothing kept to free.  On an error
 * *ret_blk and *ret_count say where and how many were left. */
errcode_t ext2fs_zero_blocks2(ext2_filsys fs, blk64_t blk, int num, blk64_t *ret_blk, int *ret_count)
{
    if (!fs)
        return 0;
    void *zero;
    errcode_t e = ext2fs_get_memzero(fs->blocksize, &zero);
    if (e)
        return e;
    for (int i = 0; i < num; i++) {
        e = io_channel_write_blk64(fs->io, blk + (blk64_t)i, 1, zero);
        if (e) {
            if (ret_blk)
                *ret_blk = blk + (blk64_t)i;
            if (ret_count)
                *ret_count = num - i;
            break;
        }
    }
    ext2fs_free_mem(&zero);
    return e;
}
