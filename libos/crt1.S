/*
 * crt1.S - the entry of a POSIX program on freebeam (it takes the place of
 * musl's crt1.o; link it first).
 *
 * The kernel enters a PD's main thread here with sp = FB_STACK_TOP and
 * r0 = the PD's index, and nothing on the stack.  Linux would have put
 * argc, argv, envp and the aux vector there: we keep LIBOS_START_AREA bytes
 * at the top of the stack for them and let __libos_start (start.c) build
 * them and enter musl's __libc_start_main.
 */
#define LIBOS_START_AREA 16384

    .syntax unified
    .thumb
    .text
    .global _start
    .type _start, %function
    .thumb_func
_start:
    mov     r2, r0              /* the PD's index */
    mov     r1, sp              /* top of the area */
    sub     sp, sp, #LIBOS_START_AREA
    mov     r0, sp              /* the area: [sp, sp + LIBOS_START_AREA) */
    movs    r3, #0
    mov     lr, r3              /* backtraces end here */
    bl      __libos_start       /* noreturn */
    udf     #0
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
