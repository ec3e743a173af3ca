/*
 * The daemon's event loop: a libevent base with SIGTERM/SIGINT (stop),
 * SIGHUP (reload) and SIGUSR1 (dump stats) delivered as events, and the
 * systemd watchdog kept alive when WATCHDOG_USEC is set.
 */
#ifndef XUD_LOOP_H
#define XUD_LOOP_H

struct event_base;
struct loop;

struct loop_ops {
	/*
	 * SIGTERM/SIGINT. NULL means stop at once. Otherwise the daemon
	 * finishes what it must (drain rings, ...) and calls loop_exit().
	 */
	void (*stop)(void *arg);
	/* SIGHUP. RELOADING=1 is sent before, READY=1 after. */
	void (*reload)(void *arg);
	/* SIGUSR1: dump state to the log. */
	void (*dump)(void *arg);
};

/* Returns -errno on failure. */
int loop_new(const struct loop_ops *ops, void *arg, struct loop **out);
struct event_base *loop_base(struct loop *l);
/* Runs until loop_exit(); returns 0, or -errno if the loop failed. */
int loop_run(struct loop *l);
void loop_exit(struct loop *l);
/* True once a stop signal arrived. */
int loop_stopping(const struct loop *l);
void loop_free(struct loop *l);

#endif
