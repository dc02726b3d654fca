/*
 * crash.c - the kapi PD that faults on purpose, one way per start.  mon
 * writes the way into the shared board (which survives restarts), restarts
 * this PD and notifies it; it publishes the instruction and data address
 * that should fault, then does it.  The faulting instructions are in
 * assembly so that their exact addresses and encodings are known.
 */
#include "kt.h"

void kt_badcall(void);
void kt_udf_arm(void);
void kt_udf_thumb(void);
void kt_ldrd(uint32_t addr);
void kt_ldm(uint32_t addr);
uint32_t kt_ldr(uint32_t addr);
extern const char kt_badcall_svc[], kt_udf_arm_insn[], kt_udf_thumb_insn[];
extern const char kt_ldrd_insn[], kt_ldm_insn[];

__asm__(
    "    .syntax unified\n"
    "    .text\n"
    /* svc with a call number the kernel does not know */
    "    .thumb\n"
    "    .global kt_badcall\n"
    "    .type kt_badcall, %function\n"
    "    .thumb_func\n"
    "kt_badcall:\n"
    "    push {r7, lr}\n"
    "    movw r7, #999\n"
    "    .global kt_badcall_svc\n"
    "kt_badcall_svc:\n"
    "    svc #0\n"
    "    pop {r7, pc}\n"
    "    .size kt_badcall, . - kt_badcall\n"
    /* udf in ARM state (reached by interworking blx from Thumb C code) */
    "    .arm\n"
    "    .align 2\n"
    "    .global kt_udf_arm\n"
    "    .type kt_udf_arm, %function\n"
    "kt_udf_arm:\n"
    "    nop\n"
    "    .global kt_udf_arm_insn\n"
    "kt_udf_arm_insn:\n"
    "    udf #1\n"
    "    bx lr\n"
    "    .size kt_udf_arm, . - kt_udf_arm\n"
    /* udf in Thumb state (16-bit encoding) */
    "    .thumb\n"
    "    .global kt_udf_thumb\n"
    "    .type kt_udf_thumb, %function\n"
    "    .thumb_func\n"
    "kt_udf_thumb:\n"
    "    nop\n"
    "    .global kt_udf_thumb_insn\n"
    "kt_udf_thumb_insn:\n"
    "    udf #2\n"
    "    bx lr\n"
    "    .size kt_udf_thumb, . - kt_udf_thumb\n"
    /* ldrd and ldm need a word-aligned address whatever SCTLR.A says */
    "    .global kt_ldrd\n"
    "    .type kt_ldrd, %function\n"
    "    .thumb_func\n"
    "kt_ldrd:\n"
    "    .global kt_ldrd_insn\n"
    "kt_ldrd_insn:\n"
    "    ldrd r2, r3, [r0]\n"
    "    bx lr\n"
    "    .size kt_ldrd, . - kt_ldrd\n"
    "    .global kt_ldm\n"
    "    .type kt_ldm, %function\n"
    "    .thumb_func\n"
    "kt_ldm:\n"
    "    .global kt_ldm_insn\n"
    "kt_ldm_insn:\n"
    "    ldm r0, {r2, r3}\n"
    "    bx lr\n"
    "    .size kt_ldm, . - kt_ldm\n"
    /* a plain ldr: unaligned access is allowed while SCTLR.A is 0 */
    "    .global kt_ldr\n"
    "    .type kt_ldr, %function\n"
    "    .thumb_func\n"
    "kt_ldr:\n"
    "    ldr r0, [r0]\n"
    "    bx lr\n"
    "    .size kt_ldr, . - kt_ldr\n");

static uint32_t buf[4] __attribute__((aligned(8))) = { 0x33221100, 0x77665544, 0xbbaa9988, 0xffeeddcc };

static uint32_t code_addr(const char *label)
{
    return (uint32_t)(uintptr_t)label & ~1u;
}

static void wait_go(void)
{
    for (;;) {
        struct fb_event ev = fb_wait(0);
        if (ev.kind == FB_EV_NOTIFY && (ev.w[0] & (1u << KT_CRASH_MON)))
            return;
    }
}

void init(void)
{
    wait_go();
    uint32_t base = (uint32_t)(uintptr_t)buf;
    kt_board->crash_insn = 0;
    kt_board->crash_data = 0;
    switch (kt_board->crash_mode) {
    case KT_CRASH_BADCALL:
        kt_board->crash_insn = code_addr(kt_badcall_svc);
        kt_badcall();
        break;
    case KT_CRASH_UDF_ARM:
        kt_board->crash_insn = code_addr(kt_udf_arm_insn);
        kt_udf_arm();
        break;
    case KT_CRASH_UDF_THUMB:
        kt_board->crash_insn = code_addr(kt_udf_thumb_insn);
        kt_udf_thumb();
        break;
    case KT_CRASH_LDRD:
        kt_board->crash_insn = code_addr(kt_ldrd_insn);
        kt_board->crash_data = base + 2;
        kt_ldrd(base + 2);
        break;
    case KT_CRASH_LDM:
        kt_board->crash_insn = code_addr(kt_ldm_insn);
        kt_board->crash_data = base + 1;
        kt_ldm(base + 1);
        break;
    case KT_CRASH_EXIT:
        kt_board->crash_insn = 0;
        kt_svc2(FB_SYS_PD_EXIT, 42, 0);
        break;
    case KT_CRASH_LDR:
        kt_board->ldr_want = 0x44332211;   /* bytes 1..4 of buf, little-endian */
        kt_board->ldr_got = kt_ldr(base + 1);
        fb_notify(KT_CRASH_MON);           /* no fault: mon checks the value */
        return;
    default:
        break;
    }
    fb_printf("crash: mode %u did not fault\n", (unsigned)kt_board->crash_mode);
    fb_notify(KT_CRASH_MON);
}
