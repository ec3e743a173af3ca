/*
 * The PV console: the guest-to-dom0 half of the ring (lib/consring.c, the
 * same core xud's xenconsoled reads with). HYPERVISOR_console_io is
 * refused to a domU in a release Xen, so this is the only output.
 */
#ifndef XUD_UK_CONSOLE_H
#define XUD_UK_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void con_init(void);
/*
 * Writes all of buf, waiting for the backend to make room. Gives up on
 * what is left after 1 s without progress (no backend reading; see
 * con_set_patience) and returns -ETIMEDOUT; otherwise 0.
 */
int con_write(const void *buf, size_t len);
/*
 * How long con_write waits without progress, in ns (0: for ever). A
 * guest whose output must not be cut (a bench, a test) waits longer than
 * a loaded dom0 may take.
 */
void con_set_patience(uint64_t ns);
/* Waits until the backend has read everything, up to deadline (ns). */
int con_flush(uint64_t deadline);
int uk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
