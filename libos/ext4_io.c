/*
 * ext4_io.c - the io_manager libext2fs reads and writes the disk through
 * (ext4_io.h): block I/O as requests to the virtio-blk driver PD over the
 * queue pair of channel `blk`, the data staged in the shared region
 * `blk_data` (copied in and out: libext2fs's buffers are ours, the region
 * is the device's).  A transfer larger than a slot is split; a byte count
 * that ends inside a sector (libext2fs may ask for -N bytes) is read whole
 * and, for writes, merged with what the disk holds.  Flush is the driver's
 * FB_BLK_OP_FLUSH (a real VIRTIO_BLK_T_FLUSH, docs/storage.md).
 *
 * Several requests in flight: the region is cut into slots (4 when it
 * holds 64 KiB or more), and a request's data uses one slot.  The
 * journal's writes to consecutive blocks are staged in a slot and sent as
 * one request (ext4_disk_stage) without waiting for the answer: the next
 * run fills the next slot meanwhile.  A read that follows the previous one
 * starts read-ahead: the next slots' worth of the disk are asked for at
 * once, and each slot read through is asked again further on (libext2fs
 * reads files a block at a time).  The driver serves the requests as if
 * one at a time, in order, and answers in that order (blk.h): a flush
 * covers every write sent before it, a read sees every write sent before
 * it.  blk_inflight.c keeps the requests in flight and the slots they use;
 * a slot is filled again only once its request is answered.
 *
 * A request waits for its answer on libos's change counter: the event
 * thread bumps it after every notification of the channel.  An answer
 * that does not come within ANSWER_NS, of the wrong shape, or out of order
 * is an I/O error, and so is a write the disk refused: the disk is then
 * given up on (every later request fails, the next flush with it).
 */
#include "libos.h"
#include "ext4_io.h"
#include "ext4_journal.h"
#include "blk_inflight.h"
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
#define MAX_SLOTS 4u                    /* slots of blk_data */
#define NO_SLOT BLK_IF_NO_SLOT
_Static_assert(MAX_SLOTS <= BLK_IF_SLOTS, "slots blk_inflight.c can count");

static struct fb_qpair q;
static uint32_t blk_ch;
static uint8_t *region;                 /* blk_data as mapped here */
static uint32_t nslots, slot_bytes;     /* the region's slots, a multiple of the sector size each */
static uint64_t capacity;               /* sectors, from INFO */
static bool broken;                     /* the driver stopped answering properly */
static struct blk_inflight fly;         /* requests sent and not answered */

struct slot {
    bool writing;                       /* a write from it is in flight */
    bool cached;                        /* it holds (or is reading) disk bytes [off, off + len) */
    uint64_t off;
    uint32_t len;
    uint32_t status;                    /* the answer to its last request */
};
static struct slot slots[MAX_SLOTS];
static uint32_t next_slot;              /* slots are used in turn */

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
    uint32_t bytes = data->size > (1u << 20) ? 1u << 20 : data->size;
    nslots = bytes >= 65536 ? MAX_SLOTS : 1;
    slot_bytes = bytes / nslots / FB_BLK_SECTOR * FB_BLK_SECTOR;
    /* Every request in flight has room for its answer in the queue. */
    blk_if_reset(&fly, found->queue_depth < BLK_IF_MAX ? found->queue_depth : BLK_IF_MAX);
    if (fb_qpair_resync(&q))             /* a restarted BEAM PD takes over an old queue */
        fb_notify(blk_ch);                /* (and the driver's open request for data is answered) */
    return true;
}

static void give_up(const char *why)
{
    if (!broken) {
        broken = true;
        libos_puts("libos: ext4: ");
        libos_puts(why);
        libos_puts(": the disk is given up on\n");
    }
}

/* Wait for the oldest answer: 0 with *resp, *cookie and *slot (the slot its
 * request used), or -EIO. */
static int reap(struct fb_blk_resp *resp, uint32_t *cookie, uint32_t *slot)
{
    if (broken)
        return -EIO;
    uint64_t deadline = libos_ticks() + ANSWER_NS / 1000000000ull * libos_freq();
    for (;;) {
        uint32_t seen = libos_change_seq();
        int n = fb_queue_recv(&q.rx, resp, sizeof *resp, cookie);
        if (n >= 0) {
            if (fb_queue_notify_space(&q.rx))
                fb_notify(blk_ch);
            if (n != (int)sizeof *resp || blk_if_answer(&fly, *cookie, slot) < 0) {
                give_up("the blk driver answered out of order or with a wrong answer");
                return -EIO;
            }
            if (*slot < nslots) {
                struct slot *s = &slots[*slot];
                s->status = resp->status;
                if (s->writing && resp->status != FB_BLK_OK)
                    give_up("a write the disk refused");   /* acknowledged to the caller already */
                s->writing = false;
            }
            return broken ? -EIO : 0;
        }
        if (n != FB_QUEUE_EMPTY || libos_ticks() >= deadline) {
            give_up("the blk driver gave no proper answer");
            return -EIO;
        }
        if (fb_queue_want_data(&q.rx))
            libos_wait_change(seen, deadline);
    }
}

/* Send a request whose data is in slot (NO_SLOT: none): its cookie, or 0
 * (the disk is given up on). */
static uint32_t send(uint32_t op, uint64_t sector, uint32_t count, uint32_t slot)
{
    struct fb_blk_resp r;
    uint32_t got, used;
    while (!broken && blk_if_full(&fly))
        reap(&r, &got, &used);
    if (broken)
        return 0;
    uint32_t cookie = blk_if_add(&fly, slot);
    struct fb_blk_req req = { .op = op, .count = count, .sector = sector,
                              .offset = slot == NO_SLOT ? 0 : slot * slot_bytes };
    if (!cookie || fb_queue_send(&q.tx, &req, sizeof req, cookie) != 0) {
        give_up("the blk queue took no request");   /* never full: cap <= its depth */
        return 0;
    }
    if (slot != NO_SLOT)
        slots[slot].writing = op == FB_BLK_OP_WRITE;
    if (fb_queue_notify_data(&q.tx))
        fb_notify(blk_ch);
    return cookie;
}

/* Wait until the request with cookie is answered: its answer's status, or -EIO. */
static long wait_answer(uint32_t cookie, struct fb_blk_resp *resp)
{
    uint32_t got = 0, slot;
    if (!cookie)
        return -EIO;
    while (got != cookie)
        if (reap(resp, &got, &slot) < 0)
            return -EIO;
    return resp->status;
}

/* Wait until no request in flight uses slot s: 0 or -EIO. */
static int wait_slot(uint32_t s)
{
    struct fb_blk_resp r;
    uint32_t got, used;
    while (blk_if_slot_busy(&fly, s))
        if (reap(&r, &got, &used) < 0)
            return -EIO;
    return broken ? -EIO : 0;
}

int ext4_disk_info(uint64_t *sectors, uint32_t *flags)
{
    struct fb_blk_resp r;
    long st = wait_answer(send(FB_BLK_OP_INFO, 0, 0, NO_SLOT), &r);
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

/* ---- the slots between requests ----
 * At most one slot holds a run of whole-sector writes not sent yet
 * (staged: bytes [stage_off, stage_off + stage_len) of the disk).  Slots
 * marked cached hold what a read brought, or will once answered.  Every
 * request that is not the staged run's own sends the run first, so the
 * driver sees writes, reads and flushes in the order they were asked for;
 * every write makes the cached slots useless (their reads may still be in
 * flight: a slot is reused only once answered). */
static uint32_t stage_slot = NO_SLOT, stage_len;
static uint64_t stage_off;
static uint64_t last_read_end;          /* where the last read ended */
static uint64_t ahead_next;             /* read-ahead: the next byte to ask for */
static uint32_t ahead_streak;           /* slots read through since read-ahead started */

static uint8_t *slot_mem(uint32_t s)
{
    return region + (size_t)s * slot_bytes;
}

static void drop_cached(void)
{
    for (uint32_t s = 0; s < nslots; s++)
        slots[s].cached = false;
    ahead_next = 0;
}

/* The next slot in turn that is not the staged run's, free to fill: its
 * number, or NO_SLOT (the disk was given up on). */
static uint32_t take_slot(void)
{
    uint32_t s = next_slot;
    if (s == stage_slot)
        s = (s + 1) % nslots;
    next_slot = (s + 1) % nslots;
    if (s == stage_slot || wait_slot(s) < 0)   /* a single slot holding the run: send it first */
        return NO_SLOT;
    slots[s].cached = false;
    return s;
}

static bool in_range(uint64_t sector, uint32_t count)
{
    return sector <= capacity && count <= capacity - sector;
}

/* The staged run as one write request, not waited for.  A failure (now or
 * in its answer) gives up on the disk: the writes it held were already
 * acknowledged to the caller. */
static errcode_t send_staged(void)
{
    if (stage_slot == NO_SLOT)
        return 0;
    uint32_t s = stage_slot;
    stage_slot = NO_SLOT;
    uint64_t sector = stage_off / FB_BLK_SECTOR;
    uint32_t count = stage_len / FB_BLK_SECTOR;
    if (!in_range(sector, count))
        give_up("a staged write past the disk's end");
    if (broken || !send(FB_BLK_OP_WRITE, sector, count, s))
        return EXT2_ET_SHORT_WRITE;
    return 0;
}

int ext4_disk_flush(void)
{
    struct fb_blk_resp r;
    if (send_staged())
        return -EIO;
    long st = wait_answer(send(FB_BLK_OP_FLUSH, 0, 0, NO_SLOT), &r);
    if (broken)
        return -EIO;                     /* a write before it failed */
    return st == FB_BLK_OK ? 0 : st == FB_BLK_UNSUPPORTED ? -EOPNOTSUPP : -EIO;
}

long ext4_disk_stage(uint64_t off, const uint8_t *buf, uint32_t len)
{
    if (off % FB_BLK_SECTOR || len % FB_BLK_SECTOR || len > slot_bytes)
        return ext4_disk_bytes(true, off, (uint8_t *)buf, len);
    if (stage_slot != NO_SLOT && off >= stage_off && len <= stage_len && off - stage_off <= stage_len - len) {
        memcpy(slot_mem(stage_slot) + (off - stage_off), buf, len);   /* rewritten before it was sent: the newer wins */
        return 0;
    }
    if (stage_slot != NO_SLOT && (off != stage_off + stage_len || len > slot_bytes - stage_len)) {
        errcode_t e = send_staged();
        if (e)
            return e;
    }
    if (stage_slot == NO_SLOT) {
        drop_cached();                   /* the disk changes: what reads brought may be old */
        uint32_t s = take_slot();
        if (s == NO_SLOT)
            return EXT2_ET_SHORT_WRITE;
        stage_slot = s;
        stage_off = off;
        stage_len = 0;
    }
    memcpy(slot_mem(stage_slot) + stage_len, buf, len);
    stage_len += len;
    return 0;
}

/* Sectors [sector, sector + count) into slot s, waited for: 0 or an error. */
static errcode_t read_into(uint32_t s, uint64_t sector, uint32_t count)
{
    if (!in_range(sector, count))
        return EXT2_ET_LLSEEK_FAILED;
    if (!send(FB_BLK_OP_READ, sector, count, s) || wait_slot(s) < 0 || slots[s].status != FB_BLK_OK)
        return EXT2_ET_SHORT_READ;
    return 0;
}

/* Read-ahead: keep the slots after the one being read through asked for,
 * two at first, all of them once a slot has been read through (a file
 * read to its end, not two blocks of it). */
static void read_ahead(void)
{
    uint64_t end = capacity * FB_BLK_SECTOR;
    uint32_t want = ahead_streak ? nslots : (nslots < 2 ? nslots : 2), ahead = 0;
    for (uint32_t s = 0; s < nslots; s++)
        ahead += slots[s].cached && slots[s].off + slots[s].len > last_read_end;
    while (ahead < want && ahead_next && ahead_next < end) {
        uint32_t s = NO_SLOT;
        for (uint32_t i = 0; i < nslots && s == NO_SLOT; i++) {
            uint32_t c = (next_slot + i) % nslots;
            if (!slots[c].cached || slots[c].off + slots[c].len <= last_read_end)
                s = c;
        }
        if (s == NO_SLOT)
            return;
        if (slots[s].cached)
            ahead_streak++;              /* read through */
        next_slot = (s + 1) % nslots;
        if (wait_slot(s) < 0)
            return;
        uint32_t len = end - ahead_next < slot_bytes ? (uint32_t)(end - ahead_next) : slot_bytes;
        slots[s] = (struct slot){ .cached = true, .off = ahead_next, .len = len };
        if (!send(FB_BLK_OP_READ, ahead_next / FB_BLK_SECTOR, len / FB_BLK_SECTOR, s)) {
            slots[s].cached = false;
            return;
        }
        ahead_next += len;
        ahead++;
    }
}

/* The cached slot holding [off, off + len), or NO_SLOT. */
static uint32_t cached_slot(uint64_t off, uint64_t len)
{
    for (uint32_t s = 0; s < nslots; s++)
        if (slots[s].cached && off >= slots[s].off && len <= slots[s].len && off - slots[s].off <= slots[s].len - len)
            return s;
    return NO_SLOT;
}

static errcode_t read_bytes(uint64_t off, uint8_t *buf, uint64_t len)
{
    bool sequential = off == last_read_end && len <= slot_bytes && off % FB_BLK_SECTOR == 0;
    uint32_t s = cached_slot(off, len);
    if (s == NO_SLOT && sequential) {    /* start read-ahead here */
        drop_cached();
        ahead_next = off;
        ahead_streak = 0;
        read_ahead();
        s = cached_slot(off, len);
    }
    if (s != NO_SLOT) {
        if (wait_slot(s) < 0)
            return EXT2_ET_SHORT_READ;
        if (slots[s].status != FB_BLK_OK) {
            slots[s].cached = false;
            return EXT2_ET_SHORT_READ;
        }
        memcpy(buf, slot_mem(s) + (off - slots[s].off), len);
        last_read_end = off + len;
        read_ahead();
        return 0;
    }
    last_read_end = off + len;
    while (len > 0) {
        uint32_t n = len < slot_bytes ? (uint32_t)len : slot_bytes;
        s = take_slot();
        if (s == NO_SLOT)
            return EXT2_ET_SHORT_READ;
        errcode_t e = read_into(s, off / FB_BLK_SECTOR, (n + FB_BLK_SECTOR - 1) / FB_BLK_SECTOR);
        if (e)
            return e;
        memcpy(buf, slot_mem(s), n);
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
    drop_cached();                       /* the disk changes below */
    while (len > 0) {
        uint32_t n = len < slot_bytes ? (uint32_t)len : slot_bytes;
        uint32_t sectors = (n + FB_BLK_SECTOR - 1) / FB_BLK_SECTOR;
        uint64_t sector = off / FB_BLK_SECTOR;
        uint32_t s = take_slot();
        if (s == NO_SLOT)
            return EXT2_ET_SHORT_WRITE;
        uint8_t *mem = slot_mem(s);
        if (n % FB_BLK_SECTOR) {         /* the last sector in part: the rest from the disk */
            e = read_into(s, sector + sectors - 1, 1);
            if (e)
                return e;
            memmove(mem + (sectors - 1) * FB_BLK_SECTOR, mem, FB_BLK_SECTOR);
        }
        memcpy(mem, buf, n);
        if (!in_range(sector, sectors))
            return EXT2_ET_LLSEEK_FAILED;
        if (!send(FB_BLK_OP_WRITE, sector, sectors, s) || wait_slot(s) < 0)
            return EXT2_ET_SHORT_WRITE;
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
