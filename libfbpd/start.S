/*
 * start.S - the first instructions of a PD's threads.
 *
 * _start: the kernel enters here with sp = FB_STACK_TOP and r0 = the PD's
 * index, on a fresh copy of the writable data (also after a restart).  We
 * zero .bss ourselves rather than trust that the loader did, then run the
 * C side (fb__main in loop.c), which never returns.
 *
 * fb__thread_tramp: entry of threads made by fb_thread_create (thread.c);
 * the new stack holds {fn, arg} at sp, so a thread function may simply
 * return.
 */
    .syntax unified
    .thumb
    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
    .thumb_func
_start:
    ldr     r1, =__bss_start
    ldr     r2, =__bss_end
    movs    r3, #0
1:  cmp     r1, r2
    bhs     2f
    str     r3, [r1], #4
    b       1b
2:  movs    r4, #0
    mov     lr, r4              /* backtraces end here */
    bl      fb__main
    udf     #0
    .size _start, . - _start

    .text
    .global fb__thread_tramp
    .type fb__thread_tramp, %function
    .thumb_func
fb__thread_tramp:
    ldr     r1, [sp]            /* fn */
    ldr     r0, [sp, #4]        /* arg */
    movs    r2, #0
    mov     lr, r2
    blx     r1
    bl      fb__thread_return   /* thread.c: exits, noreturn */
    udf     #0
    .size fb__thread_tramp, . - fb__thread_tramp

    .section .note.GNU-stack, "", %progbits   /* no executable stack */
