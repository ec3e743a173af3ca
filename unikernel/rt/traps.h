/*
 * CPU exceptions: every one is fatal. The trap table sends each vector to
 * a stub that panics with its name, rip, error code and (for a page
 * fault) the faulting address, so a bug shows on the console and as
 * SHUTDOWN_crash instead of a domain Xen kills without a word.
 */
#ifndef XUD_UK_TRAPS_H
#define XUD_UK_TRAPS_H

/* Installs the trap table; needs shared_info mapped (for cr2). */
void traps_init(void);

#endif
