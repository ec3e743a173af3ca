/*
 * Log file names, one-to-one with (domain, console):
 *
 *   guest-<domain>.log             a domain's primary console (Xen's name)
 *   guest-<domain>@<console>.log   its secondary console <console>
 *   <either>.<n>                   rotated copy n (n >= 1)
 *
 * In <domain> and <console>, '/', '%', '@' and control bytes are written
 * %XX (two upper-case hex digits); every other byte is itself. So a name
 * holds no '@' but the separator, "web@1" (domain web, console 1) and
 * "web-1" (domain web-1) cannot meet, and a domain whose name has none of
 * those bytes keeps the name Xen's daemon gives its log.
 *
 * Pure functions: no I/O.
 */
#ifndef XCD_LOGNAME_H
#define XCD_LOGNAME_H

#include <stddef.h>

/* Longest file name made: NAME_MAX. */
#define LOGNAME_MAX 255

/*
 * Writes the log file name of domain dom's console cname (NULL or "":
 * the primary) into out (len bytes, NUL-terminated). Returns its length,
 * or -ENAMETOOLONG when it is longer than LOGNAME_MAX or len allows.
 */
int logname_make(char *out, size_t len, const char *dom, const char *cname);

/*
 * The inverse: for a name logname_make made (with a rotation suffix or
 * not), writes the domain and the console ("" for the primary) and sets
 * *rot to the rotation (0: the live file). Returns 0, -EINVAL for any
 * other name (so the mapping stays one-to-one: "%2f" or a raw '%' is not
 * a name of ours), -ENAMETOOLONG when dom or cname is too small.
 */
int logname_parse(const char *file, char *dom, size_t domlen, char *cname,
		  size_t cnamelen, unsigned long *rot);

#endif
