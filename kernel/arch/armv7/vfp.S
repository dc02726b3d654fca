/*
 * vfp.S - VFP/NEON state: enable it at boot and save/restore it on a thread
 * switch.  Eager switching (docs/internals.md note 24): every thread owns
 * d0-d31 and FPSCR.  The rest of the kernel is built -mgeneral-regs-only, so
 * these are the only kernel instructions that touch VFP registers.
 */
    .syntax unified
    .arm
    .arch armv7-a
    .fpu neon
    .text
    .global vfp_init, vfp_save, vfp_restore
vfp_init:
    mrc p15, 0, r0, c1, c0, 2
    orr r0, r0, #(0xf << 20)        @ CPACR: cp10 and cp11 at PL0 and PL1
    mcr p15, 0, r0, c1, c0, 2
    isb
    mov r0, #0x40000000             @ FPEXC.EN
    vmsr fpexc, r0
    mov r0, #0
    vmsr fpscr, r0
    bx lr
vfp_save:
    vstmia r0!, {d0-d15}
    vstmia r0!, {d16-d31}
    vmrs r1, fpscr
    str r1, [r0]
    bx lr
vfp_restore:
    vldmia r0!, {d0-d15}
    vldmia r0!, {d16-d31}
    ldr r1, [r0]
    vmsr fpscr, r1
    bx lr

    .section .note.GNU-stack, "", %progbits
