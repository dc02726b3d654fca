/*
 * gen_queue_seeds.c - writes fuzz_queue's seed corpus: valid queue pairs
 * (made with the producer side of queue.h, so the fuzzer starts from
 * regions whose descriptors pass every check) holding a few messages,
 * including full and wrapped queues, each with a short script of
 * operations.  Input format: queue_input.h.
 * Usage: gen_queue_seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "queue_input.h"

struct seed {
    const char *name;
    uint8_t log2_depth, slot8, end;   /* depth 1 << log2_depth, slot 8 * slot8 */
    uint32_t start;                   /* tail and head before the messages */
    uint32_t a_msgs, b_msgs;          /* messages queued A -> B and B -> A */
    const char *script;
    size_t script_len;
};
#define SCRIPT(s) s, sizeof s - 1   /* scripts hold NUL bytes */

static const struct seed seeds[] = {
    { "empty", 2, 2, 0, 0, 0, 0, SCRIPT("") },
    { "some-a", 3, 4, 1, 0, 5, 0, SCRIPT("\x00\x40\x01\x09\x03\x04\x06") },
    { "full-b", 2, 8, 0, 0, 0, 4, SCRIPT("\x02\x10\x00\x80\x00\x80\x03\x04\x07") },
    { "wrapped", 4, 1, 1, 0xfffffffau, 12, 3, SCRIPT("\x01\x09\x00\x02\x05\x00\x20\x00\x00\x00\x09") },
    { "big-slot", 0, 64, 1, 7, 1, 1, SCRIPT("\x00\x00\x00\xff\x06") },
};

static int write_seed(const char *dir, const struct seed *sd)
{
    uint32_t depth = 1u << sd->log2_depth, slot = 8u * sd->slot8;
    uint32_t bytes = qin_region_for(depth, slot);
    uint8_t *mem = aligned_alloc(64, bytes);
    memset(mem, 0, bytes);
    struct fb_qpair a, b;
    if (!fb_qpair_attach(&a, mem, bytes, 0, depth, slot) ||
        !fb_qpair_attach(&b, mem, bytes, 1, depth, slot)) {
        fprintf(stderr, "gen_queue_seeds: %s does not attach\n", sd->name);
        return 1;
    }
    a.tx.c->tail = a.tx.c->head = b.tx.c->tail = b.tx.c->head = sd->start;
    uint8_t msg[512];
    for (uint32_t i = 0; i < sd->a_msgs + sd->b_msgs; i++) {
        uint32_t len = (i * 13) % (slot + 1);
        memset(msg, 'a' + (int)i, len);
        if (fb_queue_send(i < sd->a_msgs ? &a.tx : &b.tx, msg, len, i) != 0) {
            fprintf(stderr, "gen_queue_seeds: %s: message %u refused\n", sd->name, i);
            return 1;
        }
    }
    uint8_t header[QIN_HEADER] = { sd->log2_depth, (uint8_t)(sd->slot8 - 1), sd->end, 0 };
    size_t script_len = sd->script_len;
    header[3] = (uint8_t)script_len;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, sd->name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(header, 1, sizeof header, f) != sizeof header ||
        fwrite(sd->script, 1, script_len, f) != script_len || fwrite(mem, 1, bytes, f) != bytes ||
        fclose(f) != 0) {
        perror(path);
        return 1;
    }
    free(mem);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_queue_seeds DIR\n");
        return 2;
    }
    int bad = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        bad |= write_seed(argv[1], &seeds[i]);
    return bad;
}
