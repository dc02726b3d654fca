/*
 * entry.S - the kernel's first instructions.  QEMU enters here in SVC mode
 * (or HYP mode with virtualization=on) with the MMU off.  We leave HYP if
 * we are in it, give each exception mode a stack, clear .bss and call kmain.
 */
    .syntax unified
    .arm
    .arch armv7-a
    .arch_extension virt
    .section .text.boot, "ax"
    .global _start
_start:
    cpsid aif
    mrs r0, cpsr
    and r0, r0, #0x1f
    cmp r0, #0x1a                   @ HYP mode?
    bne 1f
    mrc p15, 4, r0, c14, c1, 0      @ CNTHCTL: PL1 may use the physical counter and timer
    orr r0, r0, #3
    mcr p15, 4, r0, c14, c1, 0
    mov r0, #0
    mcrr p15, 4, r0, r0, c14        @ CNTVOFF = 0: virtual count == physical count
    mcr p15, 4, r0, c1, c1, 0       @ HCR = 0: no traps to HYP
    ldr r0, =0x33ff
    mcr p15, 4, r0, c1, c1, 2       @ HCPTR: do not trap coprocessor access
    adr r0, 1f
    msr elr_hyp, r0
    mov r0, #0x1d3                  @ SVC mode, A, I and F masked
    msr spsr_hyp, r0
    eret
1:
    cps #0x12                       @ IRQ mode
    ldr sp, =irq_stack_top
    cps #0x17                       @ abort mode
    ldr sp, =abt_stack_top
    cps #0x1b                       @ undefined mode
    ldr sp, =und_stack_top
    cps #0x11                       @ FIQ mode
    ldr sp, =abt_stack_top
    cps #0x13                       @ back to SVC: the kernel's own mode
    ldr sp, =kstack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
2:  cmp r0, r1
    strlo r2, [r0], #4
    blo 2b
    bl kmain
3:  wfi
    b 3b

    .section .bss.stacks, "aw", %nobits
    .align 4
    .space 16384
    .global kstack_top
kstack_top:
    .space 2048
irq_stack_top:
    .space 2048
abt_stack_top:
    .space 2048
und_stack_top:

    .section .note.GNU-stack, "", %progbits
