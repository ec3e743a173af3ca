/*
 * A thread that runs one event_base until stopped: each connected
 * queue of a vif is served by one, as the kernel's netback gives each
 * queue its kthreads, so that a guest's queues are served in parallel.
 * The base must have been created after evthread_use_pthreads(), so
 * that other threads may activate its events (and qthread_stop may).
 * Its signals are blocked: SIGTERM and the rest reach the main loop.
 */
#ifndef NETBACKD_QTHREAD_H
#define NETBACKD_QTHREAD_H

struct event_base;
struct qthread;

/*
 * Starts a thread named name (cut to 15 bytes) running base; 0 or
 * -errno. Everything the base's callbacks use must be set up before:
 * the thread may run them at once.
 */
int qthread_start(struct event_base *base, const char *name,
		  struct qthread **out);
/*
 * Stops the loop (after the callback it is in, if any) and joins the
 * thread: once this returns, nothing of the base runs. NULL is fine.
 */
void qthread_stop(struct qthread *t);
/* The thread's Linux id (for --status and /proc/<pid>/task), 0 until
   it started. Any thread may ask. */
int qthread_tid(const struct qthread *t);

#endif
