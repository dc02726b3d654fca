@ freebeam replacement for musl's src/thread/arm/syscall_cp.s.
@
@ Why: the original issues `svc 0` between the labels __cp_begin and
@ __cp_end.  Ours makes the same check of the thread's cancellation flag
@ and then calls the library OS (__libos_syscall) instead of trapping.
@ The three hidden labels stay because pthread_cancel.c refers to them
@ (its signal handler compares the interrupted pc with them); libos
@ delivers no asynchronous signals, so that handler never runs, and a
@ blocked libos call that must be cancelled returns -EINTR, after which
@ musl's __syscall_cp_c calls __cancel() itself.
@
@ long __syscall_cp_asm(volatile int *cancel, long nr,
@                       long u, long v, long w, long x, long y, long z)
@ -> __libos_syscall(nr, u, v, w, x, y, z)
	.syntax unified
	.arm
	.text
	.global __cp_begin
	.hidden __cp_begin
	.global __cp_end
	.hidden __cp_end
	.global __cp_cancel
	.hidden __cp_cancel
	.hidden __cancel
	.hidden __libos_syscall
	.global __syscall_cp_asm
	.hidden __syscall_cp_asm
	.type __syscall_cp_asm,%function
__syscall_cp_asm:
	push {r4, r5, r6, lr}		@ 16 bytes: the stack stays 8-aligned
__cp_begin:
	ldr r12, [r0]
	cmp r12, #0
	bne __cp_cancel
	ldr r4, [sp, #20]		@ x
	ldr r5, [sp, #24]		@ y
	ldr r6, [sp, #28]		@ z
	sub sp, sp, #16			@ room for d, e, f (8-aligned)
	str r4, [sp, #0]
	str r5, [sp, #4]
	str r6, [sp, #8]
	mov r0, r1			@ nr
	mov r1, r2			@ u
	mov r2, r3			@ v
	ldr r3, [sp, #32]		@ w
	bl __libos_syscall
	add sp, sp, #16
__cp_end:
	pop {r4, r5, r6, pc}
__cp_cancel:
	pop {r4, r5, r6, lr}
	b __cancel
	.size __syscall_cp_asm, . - __syscall_cp_asm

	.section .note.GNU-stack, "", %progbits
