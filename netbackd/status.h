/* The status text: one line per vif with its counters (--status, SIGUSR1). */
#ifndef NETBACKD_STATUS_H
#define NETBACKD_STATUS_H

#include <stdio.h>

struct nb;

void status_print(FILE *f, void *nb);

#endif
