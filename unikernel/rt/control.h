/*
 * The toolstack's requests: control/shutdown ("poweroff", "halt",
 * "reboot"), so that `xl shutdown` and `xl reboot` work on a unikernel.
 */
#ifndef XUD_UK_CONTROL_H
#define XUD_UK_CONTROL_H

/*
 * Watches control/shutdown. Early, before readiness: a request that
 * comes at once is then not missed.
 */
int ctl_watch(void);
/* Tells toolstacks that look for it that we obey (feature-poweroff...). */
void ctl_features(void);
/*
 * Obeys control/shutdown from now on; never returns. who prefixes the
 * console lines ("hello: powering off").
 */
void ctl_serve(const char *who) __attribute__((noreturn));

#endif
