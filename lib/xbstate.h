/*
 * Xenbus states (xen/io/xenbus.h), the part both ends of a split driver
 * share: their names, the strict reading of a "state" node, and which
 * moves each end may make. Pure and freestanding (stdint, stddef and
 * a few string functions): the dom0 backends and the unikernel's
 * frontends build the same file.
 *
 * A peer writes its own state node, so its value is untrusted text: only
 * the plain decimal numbers of the nine states are accepted.
 */
#ifndef XUD_XBSTATE_H
#define XUD_XBSTATE_H

#include <stddef.h>
#include <xen/io/xenbus.h>

enum xbstate_side { XBSTATE_FRONTEND, XBSTATE_BACKEND };

/* "Initialising", ..., or "invalid" outside 0..8. */
const char *xbstate_name(int state);

/*
 * Parses a state node's value (len bytes, no terminator needed): 0 and
 * *state set; -EINVAL unless it is a plain decimal number (no sign,
 * space, leading zero or NUL); -ERANGE for a number that is no state.
 */
int xbstate_parse(const char *val, size_t len, int *state);

/*
 * 1 if that end may move from one state to another (a different one),
 * else 0. The moves (both ends may also go to Closing or Closed from any
 * state before Closed; Unknown is where a node does not exist yet):
 *
 *   frontend: Unknown -> Initialising; Initialising -> Initialised or
 *             Connected (rings published); Initialised -> Connected;
 *             Closed -> Initialising (reconnect);
 *             Connected -> Reconfiguring -> Reconfigured -> Connected
 *   backend:  Unknown -> Initialising; Initialising -> InitWait;
 *             InitWait -> Connected; Closing -> InitWait and
 *             Closed -> Initialising or InitWait (the frontend restarted);
 *             Connected -> Reconfiguring -> Reconfigured -> Connected
 */
int xbstate_may(enum xbstate_side side, int from, int to);

#endif
