/* netbackd's settings (settings.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "netbackd.h"
#include "settings.h"

void
nb_settings_default(struct nb_settings *s)
{
	memset(s, 0, sizeof(*s));
}

int
nb_settings_max_queues(const char *name, const char *v, unsigned *out,
		       char *err, size_t len)
{
	uint64_t n;
	int r;

	if (strcmp(v, "auto") == 0) {
		*out = 0;
		return 0;
	}
	if ((r = conf_uint(v, 1, NB_MAX_QUEUES, &n)) == -ERANGE) {
		snprintf(err, len, "%s: '%s' out of range (1..%u, or auto)",
		    name, v, NB_MAX_QUEUES);
		return -1;
	}
	if (r < 0) {
		snprintf(err, len, "%s: expected a number or auto, got '%s'",
		    name, v);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

int
nb_settings_item(const struct conf_item *it, void *arg, char *err,
		 size_t len)
{
	struct nb_settings *s = arg;

	if (it->key == NULL) {
		snprintf(err, len, "unknown section [%s]", it->section);
		return -1;
	}
	if (it->section == NULL && strcmp(it->key, "max-queues") == 0)
		return nb_settings_max_queues(it->key, it->value,
		    &s->max_queues, err, len);
	snprintf(err, len, "unknown key '%s'", it->key);
	return -1;
}

void
nb_settings_print(FILE *out, const void *settings)
{
	const struct nb_settings *s = settings;

	if (s->max_queues)
		fprintf(out, "max-queues = %u\n", s->max_queues);
	else
		fprintf(out, "max-queues = auto\n");
}

unsigned
nb_settings_queues(const struct nb_settings *s, long cpus)
{
	if (s->max_queues)
		return s->max_queues;
	return cpus < 1 ? 1 : cpus > NB_MAX_QUEUES ? NB_MAX_QUEUES :
	    (unsigned)cpus;
}
