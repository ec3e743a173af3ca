/*
 * The toolstack's requests: control/shutdown ("poweroff", "halt",
 * "reboot", "suspend"), so that `xl shutdown`, `xl reboot` and `xl save`
 * work on a unikernel.
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
 * Called after each suspend, in the restored domain (cancelled = 0) or
 * in this one (cancelled = 1), with the runtime back and control/shutdown
 * watched again: the unikernel brings back what is its own (devices,
 * watches, its keys in the new domain's xenstore area). Unset, a
 * unikernel simply carries on.
 */
typedef void ctl_resume_fn(int cancelled, void *arg);
void ctl_on_resume(ctl_resume_fn *fn, void *arg);
/*
 * Obeys control/shutdown from now on; never returns. who prefixes the
 * console lines ("hello: powering off").
 */
void ctl_serve(const char *who) __attribute__((noreturn));

#endif
