/*
 * The status text: a line per guest, then the totals, then the daemon's
 * counts. --status prints it; SIGUSR1 logs it with "stats: " in front.
 */
#ifndef XENTROPYD_STATUS_H
#define XENTROPYD_STATUS_H

#include <stdio.h>

struct xentropyd;
struct xe_guest;

void xe_status_print(const struct xentropyd *d, FILE *f);
void xe_status_log(const struct xentropyd *d);
/* One guest's line, logged when it goes (why = "gone", "exit"). */
void xe_status_log_guest(const struct xe_guest *g, const char *why);

#endif
