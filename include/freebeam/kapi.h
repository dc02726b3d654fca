/*
 * kapi.h - the one PD-facing kernel ABI of freebeam.
 *
 * Everything a protection domain may ask of the kernel is here: the system
 * call numbers, how arguments travel, the event a waiting PD receives, the
 * fault record a monitor receives, and the error numbers.  It is shared by
 * the kernel, libfbpd and libos, and must stay small: the upper
 * layers should be able to move to seL4 Microkit with a thin shim.
 *
 * Calling convention: `svc #0` with the call number in r7, arguments in
 * r0-r6, results in r0-r6 (r0 is the status or first result).  Errors are
 * negative Linux errno values so that libos can pass them straight through.
 * A call number the kernel does not know is a fault (FB_FAULT_BAD_SYSCALL).
 *
 * Time: deadlines are absolute values of the ARM generic virtual counter
 * (CNTVCT), which every PD can read directly; 0 means "no deadline".  The
 * counter frequency is readable from CNTFRQ at PL0.  CPU time (THREAD_CPU,
 * PD_CPU) is counted in ticks of the same counter; idle time is nobody's.
 */
#ifndef FREEBEAM_KAPI_H
#define FREEBEAM_KAPI_H

/* ---- system call numbers (r7) ---- */
#define FB_SYS_DEBUG_PUTS      1  /* r0=ptr r1=len                      -> 0 | -EFAULT        */
#define FB_SYS_NOTIFY          2  /* r0=ch                              -> 0 | -EINVAL        */
#define FB_SYS_PPCALL          3  /* r0=ch r1=label r2..r5=mr0..3       -> r0=label r1..r4=mr */
#define FB_SYS_RECV            4  /* r0,r1=deadline lo,hi               -> event (below)      */
#define FB_SYS_REPLY_RECV      5  /* r0=label r1..r4=mr0..3 r5,r6=deadline -> event           */
#define FB_SYS_IRQ_ACK         6  /* r0=ch                              -> 0 | -EINVAL        */
#define FB_SYS_PD_RESTART      7  /* r0=pd index (a PD this PD monitors) -> 0 | -EPERM        */
#define FB_SYS_PD_STOP         8  /* r0=pd index                        -> 0 | -EPERM         */
#define FB_SYS_THREAD_CREATE   9  /* r0=entry r1=sp r2=arg r3=tls r4=prio -> tid | -EAGAIN    */
#define FB_SYS_THREAD_EXIT    10  /* r0=clear_addr (0: none): *addr=0, futex wake 1; no return */
#define FB_SYS_THREAD_SET_PRIO 11 /* r0=tid r1=prio                     -> 0 | -EPERM|-ESRCH  */
#define FB_SYS_YIELD          12  /*                                    -> 0                  */
#define FB_SYS_FUTEX_WAIT     13  /* r0=addr r1=expected r2,r3=deadline -> 0 | -EAGAIN | -ETIMEDOUT | -EFAULT */
#define FB_SYS_FUTEX_WAKE     14  /* r0=addr r1=max                     -> number woken       */
#define FB_SYS_SET_TLS        15  /* r0=value for TPIDRURO of the caller -> 0                 */
#define FB_SYS_POWEROFF       16  /* r0=status (needs FB_RIGHT_POWEROFF) -> no return | -EPERM */
#define FB_SYS_THREAD_SELF    17  /*                                    -> tid                */
#define FB_SYS_PD_SELF        18  /*                                    -> own pd index       */
#define FB_SYS_THREAD_INTERRUPT 19 /* r0=tid of this PD: its FUTEX_WAIT/RECV returns -EINTR now,
                                      or its next one does                -> 0 | -ESRCH        */
#define FB_SYS_PD_EXIT        20  /* r0=status: stop this whole PD; its monitor gets a
                                     FB_FAULT_EXITED record; no return */
#define FB_SYS_THREAD_CPU     21  /* r0=tid of this PD (0: the caller) -> r0=0 r1,r2=CPU ticks lo,hi | -ESRCH */
#define FB_SYS_PD_CPU         22  /*                                    -> r0=0 r1,r2=CPU ticks lo,hi: all
                                     threads of this PD since it (re)started, exited ones too */
/* Page permissions (the description's map perms, PROTECT): the same bit
 * values as ELF p_flags.  Never W and X together. */
#define FB_PERM_X 1u
#define FB_PERM_W 2u
#define FB_PERM_R 4u

#define FB_SYS_PROTECT        23  /* r0=vaddr r1=len (page multiples, len > 0) r2=perms: FB_PERM_R|W|X,
                                     0 for no user access; pages of this PD's own mappings, never
                                     more than the mapping has, never W|X -> 0 | -EINVAL | -EPERM;
                                     a restart gives every page its mapping's permissions back */
#define FB_SYS_MAX            23

/* ---- events returned by RECV / REPLY_RECV (r0 = kind) ---- */
#define FB_EV_NOTIFY   1  /* r1,r2 = pending channel mask lo,hi (bit n = channel id n)     */
#define FB_EV_PPCALL   2  /* r1=ch r2=label r3..r6=mr0..3; answer with REPLY_RECV          */
#define FB_EV_FAULT    3  /* r1=pd r2=tid r3=kind r4=addr r5=pc r6=status (FSR or syscall) */
#define FB_EV_TIMEOUT  4  /* the deadline passed with nothing to deliver                  */

/* ---- fault kinds (FB_EV_FAULT r3) ---- */
#define FB_FAULT_DATA_ABORT     1  /* addr = faulting data address, status = DFSR */
#define FB_FAULT_PREFETCH_ABORT 2  /* addr = faulting instruction address, status = IFSR */
#define FB_FAULT_UNDEFINED      3  /* addr = pc of the instruction */
#define FB_FAULT_ALIGNMENT      4  /* addr = faulting data address, status = DFSR */
#define FB_FAULT_BAD_SYSCALL    5  /* status = the call number */
#define FB_FAULT_EXITED         6  /* not a fault: the PD called PD_EXIT; status = its status */

/* ---- PD rights (bit mask, from the system description) ---- */
#define FB_RIGHT_POWEROFF   (1u << 0)  /* may power the machine off with a status */
#define FB_RIGHT_PD_CONTROL (1u << 1)  /* may restart/stop the PDs it monitors */

/* ---- limits ---- */
#define FB_MAX_CHANNELS   63   /* channel ids 0..62 in each PD */
#define FB_MAX_PRIO      254   /* priorities 0..254, higher runs first */
#define FB_MSG_WORDS       4   /* message words each way in a ppcall */

/* ---- a PD's address space ----
 * The user part: [FB_USER_BASE, FB_USER_TOP), in pages of FB_PAGE bytes.
 * The main thread's stack: [FB_STACK_TOP - stack_bytes, FB_STACK_TOP), with
 * one unmapped guard page below it and nothing else mapped within
 * FB_STACK_RESERVE below the top; the ELF segments and the description's
 * maps lie below that.  The info area (below) sits right on FB_STACK_TOP.
 * The checks at the end of this file tie these together. */
#define FB_PAGE          4096u
#define FB_USER_BASE     0x00001000u
#define FB_USER_TOP      0x40000000u
#define FB_STACK_TOP     0x3fff0000u
#define FB_STACK_RESERVE 0x01000000u  /* 16 MiB: stack + guard must fit here */

/* ---- the PD info page ----
 * Every PD has a read-only info area of FB_PDINFO_BYTES at FB_PDINFO_VADDR,
 * written by the kernel at boot: who the PD is, what its address space holds
 * (so a runtime can find its heap or its file archive by region name, and
 * check pointers), its channels by name (and the queue region of each, if
 * any), every PD of the system by name (so a monitor can name the PDs it
 * controls), and its arguments and environment from the system description.
 * The main thread starts with r0 = the PD index and r1 = FB_PDINFO_VADDR.
 * All offsets are from the start of the area. */
#define FB_PDINFO_VADDR   FB_STACK_TOP  /* just above the main stack */
#define FB_PDINFO_BYTES   12288u        /* three pages */
#define FB_PDINFO_MAGIC   0x49504246u   /* "FBPI" */
#define FB_PDINFO_VERSION 4u
#define FB_PDINFO_MAX_MAPS 32

#define FB_MAP_SEGMENT 1u   /* a PT_LOAD segment of the PD's ELF */
#define FB_MAP_STACK   2u   /* the main thread's stack */
#define FB_MAP_REGION  3u   /* a region of the description (name_off names it) */
#define FB_MAP_INFO    4u   /* this page */

struct fb_pdinfo_map {
    unsigned int vaddr, size, perms, kind;  /* perms: ELF bits, R=4 W=2 X=1 */
    unsigned int name_off;                  /* region name, 0 for other kinds */
    unsigned int paddr;                     /* physical address of a region marked for
                                               DMA (sysimage.h FB_REGION_DMA), which
                                               a driver gives its device; 0 otherwise */
};

/* One channel end of this PD (an irq is listed too, as kind FB_CHAN_IRQ). */
#define FB_CHAN_PD  1u    /* a channel to another PD */
#define FB_CHAN_IRQ 2u    /* an interrupt delivered on this channel id */
#define FB_CHAN_NO_QUEUE 0xffffffffu
struct fb_pdinfo_chan {
    unsigned int id;        /* this PD's channel id, 0..FB_MAX_CHANNELS-1 */
    unsigned int kind;      /* FB_CHAN_PD or FB_CHAN_IRQ */
    unsigned int peer;      /* FB_CHAN_PD: the other end's PD index; FB_CHAN_IRQ: the irq number */
    unsigned int name_off;  /* the channel's name from the description, 0: unnamed */
    unsigned int queue_map; /* index into maps[] of the queue-pair region of this
                               channel (include/freebeam/queue.h), or FB_CHAN_NO_QUEUE */
    unsigned int queue_end; /* 0: this PD is the channel's first end (end A), 1: end B */
    unsigned int queue_depth, queue_slot;   /* descriptors per direction (a power of two)
                                               and bytes per message slot; 0 without a queue */
};

/* One PD of the system, by index (pds_off[i] describes PD i). */
#define FB_PD_NO_MONITOR 0xffffffffu
struct fb_pdinfo_pd {
    unsigned int name_off;  /* its name */
    unsigned int monitor;   /* index of its monitor PD, or FB_PD_NO_MONITOR */
};

struct fb_pdinfo {
    unsigned int magic, version;
    unsigned int pd, priority, max_threads, rights;
    unsigned int name_off;                  /* the PD's name */
    unsigned int args_off, args_len;        /* argv strings, one empty string, env strings */
    unsigned int n_maps;
    unsigned int rtc_seconds;               /* the real-time clock at boot, seconds since
                                               1970 (0: the board has none) ... */
    unsigned int rtc_ticks_lo, rtc_ticks_hi;/* ... read when CNTVCT had this value */
    struct fb_pdinfo_map maps[FB_PDINFO_MAX_MAPS];
    unsigned int n_chans, chans_off;        /* struct fb_pdinfo_chan[n_chans], by id ascending */
    unsigned int n_pds, pds_off;            /* struct fb_pdinfo_pd[n_pds], by PD index */
    /* the tables and strings (NUL-terminated) follow, up to FB_PDINFO_BYTES */
};

/* ---- the address space's constants, checked together ---- */
_Static_assert(FB_USER_BASE % FB_PAGE == 0 && FB_USER_TOP % FB_PAGE == 0 &&
               FB_STACK_TOP % FB_PAGE == 0 && FB_STACK_RESERVE % FB_PAGE == 0 &&
               FB_PDINFO_BYTES % FB_PAGE == 0, "the layout is in whole pages");
_Static_assert(FB_USER_BASE < FB_STACK_TOP - FB_STACK_RESERVE,
               "room for the ELF segments and maps below the stack reserve");
_Static_assert(FB_PDINFO_VADDR == FB_STACK_TOP && FB_PDINFO_VADDR + FB_PDINFO_BYTES <= FB_USER_TOP,
               "the info area sits on the stack top, inside the user part");
_Static_assert(sizeof(struct fb_pdinfo) <= FB_PDINFO_BYTES, "the info header fits its area");
_Static_assert(FB_MAX_CHANNELS <= 64, "a notification's channel mask is 64 bits");

/* ---- errors (negated in r0) : Linux errno values ---- */
#define FB_EPERM      1
#define FB_ESRCH      3
#define FB_EINTR      4
#define FB_EAGAIN    11
#define FB_ENOMEM    12
#define FB_EFAULT    14
#define FB_EBUSY     16
#define FB_EINVAL    22
#define FB_ENOSYS    38
#define FB_ETIMEDOUT 110

#endif
