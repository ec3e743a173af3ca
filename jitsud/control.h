/*
 * jitsuctl's requests (jitsuctl(8)), one line each over the control
 * socket: "status", "start NAME", "stop NAME", NAME being a service's id
 * or its DNS name. The answer's first line is "ok", "ok: what was done",
 * or "error: why"; the status table follows "ok". The work is done
 * through ops, so that this file only parses and formats.
 */
#ifndef JITSUD_CONTROL_H
#define JITSUD_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "settings.h"

/* One service, as the status table shows it. */
struct jd_svc_view {
	const char *state;	/* "stopped", "ready", ...; "up": no domain */
	bool has_domid;
	uint32_t domid;
	uint64_t boots;
	uint64_t last_summon_ms;	/* query to ready, of the last boot */
	uint64_t queries, limited;
};

struct jd_control_ops {
	/* 0, or -ENOTSUP (no domain), -EALREADY (up, or not running
	 * already), -EBUSY (cannot stop while it starts), other -errno. */
	int (*start)(void *arg, int svc);
	int (*stop)(void *arg, int svc);
	void (*view)(void *arg, int svc, struct jd_svc_view *v);
	void *arg;
};

/* Answers request req (not empty, no newline) to f. */
void jd_control(FILE *f, const char *req, const struct jc_conf *c,
    const struct jd_control_ops *ops);

#endif
