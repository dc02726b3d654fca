/*
 * console.h - /dev/console over the serial driver PD (private to libos).
 *
 * If the PD's info page maps the two rings of drivers/serial (regions
 * `console_rx`, which the driver produces, and `console_tx`, which it
 * consumes, both read-write) and the description's environment names the
 * channel to the driver (FREEBEAM_CONSOLE_CH=N), /dev/console (and
 * /dev/tty, fds 0-2) reads from the RX ring and writes to the TX ring
 * through the line discipline of tty.h.  Otherwise it stays the debug
 * console of vfs_dev.c: writes through FB_SYS_DEBUG_PUTS, reads at EOF.
 */
#ifndef LIBOS_CONSOLE_H
#define LIBOS_CONSOLE_H

struct file_ops;

/* Before libos_files_init: find the rings, register the console's channel
 * with the event thread (events.h) and make /dev/console use them.  0 if
 * the serial console is in use, 1 if the debug console stays. */
int libos_console_init(void);

/* vfs_dev.c: the file_ops /dev/console and /dev/tty get from
 * vfs_dev_init (call before it). */
void vfs_console_use(const struct file_ops *ops);

/* sys_thread.c, at exit_group: wait (bounded) until the driver took every byte. */
void libos_console_drain_at_exit(void);

#endif
