/*
 * Consoles' status: one line each, the same text for SIGUSR1 (logged)
 * and --status (to the control socket). Reads, never changes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "log.h"
#include "logqueue.h"

static const char *const status_sinks[] = { "file", "journald", "syslog" };

static void
status_line(struct console *c, char *buf, size_t len)
{
	const struct con_pump *p = &c->pump;
	uint64_t lim = p->limited_ns + (p->limited_since ? rl_now_ns() -
	    p->limited_since : 0);
	char sink[96] = "none";
	struct lq_state st;

	if (c->sink.q) {
		lq_state(c->sink.q, &st);
		if (st.err == -EAGAIN)
			snprintf(sink, sizeof(sink), "busy");
		else if (st.err)
			snprintf(sink, sizeof(sink), "error(%s)",
			    strerror(-st.err));
		else if (st.busy_ms >= 1000)
			snprintf(sink, sizeof(sink), "stalled(%llums)",
			    (unsigned long long)st.busy_ms);
		else
			snprintf(sink, sizeof(sink), "ok");
		snprintf(sink + strlen(sink), sizeof(sink) - strlen(sink),
		    " queued=%zu", st.queued);
	} else if (sink_logs(c)) {
		/* logged, but not attached yet */
		snprintf(sink, sizeof(sink), "%s",
		    status_sinks[c->x->set.sink]);
	}
	snprintf(buf, len, "domid=%u name=%s console=%s state=%s bytes=%llu "
	    "lines=%llu drops=%llu pty_drops=%llu limited_ms=%llu sink=%s "
	    "events=%llu reads=%llu notifies=%llu",
	    c->domid, c->name, c->cname, c->ring.pc.page ? (c->ring.hostile ?
	    "stopped" : "attached") : "detached", (unsigned long long)p->bytes,
	    (unsigned long long)c->sink.lines,
	    (unsigned long long)c->sink.drops,
	    (unsigned long long)c->pty.drops,
	    (unsigned long long)(lim / 1000000), sink,
	    (unsigned long long)p->events, (unsigned long long)p->reads,
	    (unsigned long long)p->notifies);
}

void
con_dump_all(struct xcd *x)
{
	char line[512];

	CON_EACH(x, i, c) {
		status_line(c, line, sizeof(line));
		log_dom(LOG_INFO, c->domid, c->name, "console: %s", line);
	}
}

void
con_status(struct xcd *x, FILE *f)
{
	char line[512];

	CON_EACH(x, i, c) {
		status_line(c, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}
