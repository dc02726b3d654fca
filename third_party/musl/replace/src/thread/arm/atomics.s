@ freebeam replacement for musl's src/thread/arm/atomics.s.
@
@ Why: the original carries, next to the ARMv7 code, the pre-v6 fallbacks
@ that call Linux's kuser helper page (0xffff0fa0/0xffff0fc0/0xffff0fe0).
@ There is no such page in freebeam, and we build for ARMv7-A only, where
@ musl inlines ldrex/strex/dmb (arch/arm/atomic_arch.h) and reads the
@ thread pointer with mrc (pthread_arch.h).  What remains referenced is
@ the thread-pointer reader behind __aeabi_read_tp (and ldso's tlsdesc).
	.syntax unified
	.arm
	.text
	.global __a_gettp_cp15
	.hidden __a_gettp_cp15
	.type __a_gettp_cp15,%function
__a_gettp_cp15:
	mrc p15, 0, r0, c13, c0, 3
	bx lr
	.size __a_gettp_cp15, . - __a_gettp_cp15

	.data
	.align 2
	.global __a_gettp_ptr
	.hidden __a_gettp_ptr
__a_gettp_ptr:
	.word __a_gettp_cp15

	.section .note.GNU-stack, "", %progbits
