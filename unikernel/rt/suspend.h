/*
 * Suspend for `xl save` (and `xl migrate`): SCHEDOP_shutdown with
 * SHUTDOWN_suspend, which returns either in a restored domain or, when
 * the toolstack cancels, in this one.
 *
 * What a restored domain finds (Xen 4.17's libxenguest): memory, page
 * tables and registers as they were (pfns kept, MFNs new, the p2m
 * rewritten in place); start_info rewritten in place with the new
 * shared_info, xenstore and console MFNs and fresh ports for both; no
 * other event channel, no grant table mapping, no xenstore watch; the
 * p2m's frame list unpublished.
 */
#ifndef XUD_UK_SUSPEND_H
#define XUD_UK_SUSPEND_H

/*
 * Suspends. The runtime's own parts come back: shared_info and the p2m,
 * the clock, the console, the xenstore connection, the grant table. The
 * caller restores the rest: its watches, and its devices (their event
 * channels and grants are gone).
 *
 * Returns 0 in a restored domain, 1 when cancelled (nothing was lost),
 * or -errno (the suspend was refused, or a part could not come back).
 */
int uk_suspend(void);

#endif
