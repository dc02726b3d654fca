/*
 * syscall_def.h - how libos declares and defines a system call (private to
 * libos; libos.h includes it): SYSCALL(name) for the dispatch table's
 * declarations, SYSCALLn for a call's definition with its arguments named
 * and typed as the call's man page gives them.
 */
#ifndef LIBOS_SYSCALL_DEF_H
#define LIBOS_SYSCALL_DEF_H

/* syscall.c's table holds one function per Linux system call, sys_NAME,
 * which takes the six argument registers as they come, as longs;
 * SYSCALL(NAME) declares one (systab_*.inc).  Each is defined with
 * SYSCALLn, n the number of arguments it reads, as Linux's SYSCALL_DEFINEn:
 *
 *     SYSCALL3(read, int, fd, void *, buf, size_t, count)
 *     {
 *         ... fd, buf, count: the names and types of read(2) ...
 *     }
 *
 * defines sys_read, which converts its first three registers to those types
 * (one cast each) and calls the body that follows, do_sys_read, a static
 * function that sees only fd, buf and count.  A call that ignores all its
 * arguments is SYSCALL0; one that ignores its last ones leaves them out.  A
 * 64-bit argument comes in two registers, low word first (ARM EABI), named
 * as such (offset_lo, offset_hi). */
typedef long (*sys_fn)(long, long, long, long, long, long);
#define SYSCALL(name) long sys_##name(long, long, long, long, long, long)

/* sys_NAME with the six registers.  SYSCALLn hands it the name already
 * pasted (sys_##name): a name such as stat64 or pread64 is a macro of
 * musl's headers, and would be replaced if it went through as an argument
 * by itself.  A register the call does not read is unused. */
#define SYSCALL_REGS(fn) \
    long fn(long, long, long, long, long, long); \
    long fn(long r0 __attribute__((unused)), long r1 __attribute__((unused)), \
            long r2 __attribute__((unused)), long r3 __attribute__((unused)), \
            long r4 __attribute__((unused)), long r5 __attribute__((unused)))
#define SYSCALL0(name) \
    static long do_sys_##name(void); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name(); } \
    static long do_sys_##name(void)
#define SYSCALL1(name, t0, a0) \
    static long do_sys_##name(t0 a0); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0); } \
    static long do_sys_##name(t0 a0)
#define SYSCALL2(name, t0, a0, t1, a1) \
    static long do_sys_##name(t0 a0, t1 a1); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0, (t1)r1); } \
    static long do_sys_##name(t0 a0, t1 a1)
#define SYSCALL3(name, t0, a0, t1, a1, t2, a2) \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0, (t1)r1, (t2)r2); } \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2)
#define SYSCALL4(name, t0, a0, t1, a1, t2, a2, t3, a3) \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0, (t1)r1, (t2)r2, (t3)r3); } \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3)
#define SYSCALL5(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4) \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0, (t1)r1, (t2)r2, (t3)r3, (t4)r4); } \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL6(name, t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5); \
    SYSCALL_REGS(sys_##name) { return do_sys_##name((t0)r0, (t1)r1, (t2)r2, (t3)r3, (t4)r4, (t5)r5); } \
    static long do_sys_##name(t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

#endif
