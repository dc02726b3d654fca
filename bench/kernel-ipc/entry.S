/*
 * entry.S - the benchmark PDs' entry point: read the PMU's instruction
 * counter (counter 0, event 0x08, started by the kernel at boot and never
 * reset) and the cycle counter before anything else runs, keep them in
 * bench_boot[0..1] (.data, which _start does not clear), then go on into
 * libfbpd's _start with r0 (the PD index) untouched.
 */
    .syntax unified
    .thumb
    .section .text.bench_entry, "ax", %progbits
    .global bench_entry
    .type bench_entry, %function
    .thumb_func
bench_entry:
    movs    r1, #0
    mcr     p15, 0, r1, c9, c12, 5      /* PMSELR = counter 0 */
    isb
    mrc     p15, 0, r1, c9, c13, 2      /* PMXEVCNTR */
    mrc     p15, 0, r2, c9, c13, 0      /* PMCCNTR */
    ldr     r3, =bench_boot
    str     r1, [r3]
    str     r2, [r3, #4]
    b.w     _start
    .size bench_entry, . - bench_entry

    .data
    .balign 4
    .global bench_boot
bench_boot:
    .word   0xffffffff, 0xffffffff

    .section .note.GNU-stack, "", %progbits
