/*
 * vectors.S - exception entry and the return to user mode.
 *
 * The kernel is not preemptible: it runs in SVC mode with interrupts masked,
 * and every exception it takes comes from user mode.  While a thread runs,
 * the SVC-mode stack pointer points just past that thread's `struct ctx`
 * (the first member of its TCB), so the entry code stores the user registers
 * straight into the TCB: srsdb puts pc and cpsr there, stm^ r0-r14.  Then it
 * switches to the kernel stack and calls the C handler.  exit_to_user reloads
 * `cur`'s registers the same way in reverse (resume_cur, straight after a
 * kernel call that picked the next thread itself: the IPC fast path).  An exception taken from a
 * privileged mode is a kernel bug, reported by kernel_trap().
 */
    .syntax unified
    .arm
    .arch armv7-a

    .section .text.vectors, "ax"
    .align 5
    .global vectors
vectors:
    b bad_reset
    b undef_entry
    b svc_entry
    b pabt_entry
    b dabt_entry
    b bad_reset
    b irq_entry
    b fiq_entry

/* Save the interrupted user thread's registers into its TCB and move to the
 * kernel stack in SVC mode.  `priv` is where to go if the exception came from
 * a privileged mode (the registers are then left as they were). */
.macro SAVE_USER priv
    str r0, [sp, #-4]
    mrs r0, spsr
    tst r0, #0xf                    @ user mode is 0x10
    ldr r0, [sp, #-4]
    bne \priv
    srsdb sp!, #0x13
    cps #0x13
    stmdb sp, {r0-r14}^
    nop
    sub sp, sp, #60
    ldr sp, =kstack_top
.endm

svc_entry:
    str r0, [sp, #-4]
    mrs r0, spsr
    tst r0, #0xf
    ldr r0, [sp, #-4]
    movsne pc, lr                   @ svc from the kernel: only the semihosting fallback
    srsdb sp!, #0x13
    stmdb sp, {r0-r14}^
    nop
    sub sp, sp, #60
    ldr sp, =kstack_top
    bl handle_svc
    cmp r0, #0                      @ 1: it switched to the next thread itself
    beq exit_to_user
    b resume_cur

irq_entry:
    sub lr, lr, #4
    SAVE_USER priv_irq
    bl handle_irq
    b exit_to_user

dabt_entry:
    sub lr, lr, #8
    SAVE_USER priv_dabt
    bl handle_dabt
    b exit_to_user

pabt_entry:
    sub lr, lr, #4
    SAVE_USER priv_pabt
    bl handle_pabt
    b exit_to_user

undef_entry:
    str r0, [sp, #-4]
    mrs r0, spsr
    tst r0, #0x20                   @ Thumb: lr = insn + 2, ARM: lr = insn + 4
    subne lr, lr, #2
    subeq lr, lr, #4
    ldr r0, [sp, #-4]
    SAVE_USER priv_undef
    bl handle_undef
    b exit_to_user

    .global exit_to_user
exit_to_user:
    ldr sp, =kstack_top
    bl kernel_exit
resume_cur:
    ldr r0, =cur
    ldr sp, [r0]                    @ &cur->ctx
    clrex
    ldmia sp, {r0-r14}^
    nop
    add sp, sp, #60
    rfeia sp!                       @ pc, cpsr; sp ends just past cur->ctx

priv_irq:   mov r0, #1
            b priv_trap
priv_dabt:  mov r0, #2
            b priv_trap
priv_pabt:  mov r0, #3
            b priv_trap
priv_undef: mov r0, #4
            b priv_trap
fiq_entry:  mov r0, #5
            b priv_trap
bad_reset:  mov r0, #6
priv_trap:
    mov r1, lr
    mrs r2, spsr
    bl kernel_trap                  @ does not return
1:  b 1b

    .section .note.GNU-stack, "", %progbits
