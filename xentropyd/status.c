/* xentropyd's status text; see status.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "log.h"
#include "chan.h"
#include "guest.h"
#include "status.h"

static const char *
chan_state(const struct xe_guest *g)
{
	switch (g->state) {
	case XE_OFF: return "off";
	case XE_IDLE: return "idle";
	case XE_WAIT: return "waiting";
	case XE_READY: return xe_chan_state(g->chan);
	}
	return "?";
}

/* One guest's line of the status text, after "dom<id>(<name>): ". */
static void
guest_stats(const struct xe_guest *g, char *buf, size_t len)
{
	const char *ls = xe_legacy_state(g->legacy);
	const struct xe_counts *c = &g->counts;
	int n;

	n = snprintf(buf, len, "%" PRIu64 " bytes in %" PRIu64 " requests, %"
	    PRIu64 " throttled, %" PRIu64 " errors, channel %s (%" PRIu64
	    " set up)", c->bytes, c->requests, c->throttled, c->errors,
	    chan_state(g), g->channels);
	if (ls && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", legacy console %s",
		    ls);
	if (ls && c->discarded && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%" PRIu64 " bytes "
		    "discarded)", c->discarded);
}

void
xe_status_log_guest(const struct xe_guest *g, const char *why)
{
	char line[256];

	guest_stats(g, line, sizeof(line));
	log_dom(LOG_INFO, g->domid, g->name, "%s: %s", why, line);
}

typedef void status_emit(void *ctx, const struct xe_guest *g,
			 const char *line);

static void
status_lines(const struct xentropyd *d, status_emit *emit, void *ctx)
{
	uint64_t bytes = 0, requests = 0, throttled = 0, errors = 0;
	unsigned int n = 0;
	const struct xe_guest *g;
	char line[320];

	TAILQ_FOREACH(g, &d->guests, entry) {
		guest_stats(g, line, sizeof(line));
		emit(ctx, g, line);
		bytes += g->counts.bytes;
		requests += g->counts.requests;
		throttled += g->counts.throttled;
		errors += g->counts.errors;
		n++;
	}
	snprintf(line, sizeof(line), "total: %" PRIu64 " bytes in %" PRIu64
	    " requests, %" PRIu64 " throttled, %" PRIu64 " errors", bytes,
	    requests, throttled, errors);
	emit(ctx, NULL, line);
	snprintf(line, sizeof(line), "%u guests, %u channels open (%" PRIu64
	    " set up), %u legacy consoles", n, d->nchannels, d->gen,
	    d->legacy.n);
	emit(ctx, NULL, line);
}

static void
emit_file(void *ctx, const struct xe_guest *g, const char *line)
{
	if (g)
		fprintf(ctx, "dom%" PRIu32 "(%s): %s\n", g->domid, g->name,
		    line);
	else
		fprintf(ctx, "%s\n", line);
}

static void
emit_log(void *ctx, const struct xe_guest *g, const char *line)
{
	if (g)
		log_dom(LOG_INFO, g->domid, g->name, "stats: %s", line);
	else
		log_info("stats: %s", line);
}

void
xe_status_print(const struct xentropyd *d, FILE *f)
{
	status_lines(d, emit_file, f);
}

void
xe_status_log(const struct xentropyd *d)
{
	status_lines(d, emit_log, NULL);
}
