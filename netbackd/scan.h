/*
 * Which vifs netbackd serves: every backend/vif/<domid>/<devid> of our
 * own domain that the kernel's xen-netback has not bound. The toolstack
 * chooses the backend domain (the vif spec's backend=); an administrator
 * keeps the kernel's netback off by not loading it (see netbackd(8)).
 */
#ifndef NETBACKD_SCAN_H
#define NETBACKD_SCAN_H

struct nb;

/* Watches our backend/vif tree; 0 or -errno. */
int scan_start(struct nb *nb);
/* Unwatches and frees every vif. */
void scan_stop(struct nb *nb);

#endif
