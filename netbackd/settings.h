/*
 * netbackd's settings (netbackd(8)): from the config file through the
 * skeleton's conf_cb, and from the command line over it. Free of I/O
 * but for the stream -n -v prints to.
 */
#ifndef NETBACKD_SETTINGS_H
#define NETBACKD_SETTINGS_H

#include <stddef.h>
#include <stdio.h>

#include "conf.h"

struct nb_settings {
	/* multi-queue-max-queues offered: 1 .. NB_MAX_QUEUES, or 0 for
	   one per CPU (up to NB_MAX_QUEUES) */
	unsigned max_queues;
};

void nb_settings_default(struct nb_settings *s);
/* A config file item (a conf_cb, with the settings as arg). */
int nb_settings_item(const struct conf_item *it, void *arg, char *err,
		     size_t len);
/*
 * A max-queues value, "auto" or 1 .. NB_MAX_QUEUES: 0, or -1 with a
 * message in err naming the setting as name.
 */
int nb_settings_max_queues(const char *name, const char *v, unsigned *out,
			   char *err, size_t len);
/* The effective configuration, as the file would set it (-n -v). */
void nb_settings_print(FILE *out, const void *settings);
/* The queues to offer on a host with cpus CPUs online (< 1: unknown). */
unsigned nb_settings_queues(const struct nb_settings *s, long cpus);

#endif
