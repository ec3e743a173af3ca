/* netbackd's status text. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "xenbus_be.h"
#include "netbackd.h"
#include "queue.h"
#include "status.h"
#include "vif.h"

void
status_print(FILE *f, void *arg)
{
	struct nb *nb = arg;

	fprintf(f, "vifs: %u\n", nb->nvifs);
	for (const struct vif *v = nb->vifs; v; v = v->next) {
		struct nb_counters t = v->c, qc[NB_MAX_QUEUES] = { 0 };
		const struct nb_counters *c = &t;

		/* a connected queue's thread writes its counters: each
		   field read atomically (counters.h) */
		for (unsigned i = 0; i < NB_MAX_QUEUES; i++) {
			counters_add_published(&qc[i], &v->qc[i]);
			counters_add(&t, &qc[i]);
		}

		fprintf(f, "%s dom%" PRIu32 " %s: connects %" PRIu64
		    " hostile %" PRIu64, v->name, v->domid,
		    xbstate_name(vif_state(v)), c->connects, c->hostile);
		/* the limit in force, as the rate key writes it */
		if (v->nq && v->rate_bytes)
			fprintf(f, " rate %" PRIu64 ",%" PRIu64,
			    v->rate_bytes, v->rate_usec);
		fputc('\n', f);
		fprintf(f, "  tx packets %" PRIu64 " bytes %" PRIu64
		    " gso %" PRIu64
		    " errors %" PRIu64 " batches %" PRIu64 " drops csum %"
		    PRIu64 " tap %" PRIu64 " mac %" PRIu64 " ip %" PRIu64
		    " proto %" PRIu64 " rate-deferred %" PRIu64 "\n",
		    c->tx_packets, c->tx_bytes,
		    c->tx_gso,
		    c->tx_errors, c->tx_batches, c->tx_drop_csum,
		    c->tx_drop_tap, c->tx_drop_mac, c->tx_drop_ip,
		    c->tx_drop_proto, c->tx_rate_deferred);
		fprintf(f, "  rx packets %" PRIu64 " bytes %" PRIu64
		    " gso %" PRIu64 " errors %" PRIu64 " batches %" PRIu64 " drops size %"
		    PRIu64 " short %" PRIu64 " stalls %" PRIu64 "\n",
		    c->rx_packets, c->rx_bytes, c->rx_gso, c->rx_errors,
		    c->rx_batches,
		    c->rx_drop_size, c->rx_drop_short, c->rx_stalls);
		/* the queues that ever carried anything; a connected
		   one with how its grant copies go (lib/gcopy: direct, or
		   through gntdev), its thread's id
		   (/proc/<pid>/task/<id>) and the CPU the thread
		   follows its interrupts to, once it has */
		for (unsigned i = 0; i < NB_MAX_QUEUES; i++) {
			const struct nb_counters *q = &qc[i];

			if (i >= v->nq && q->tx_packets + q->rx_packets == 0)
				continue;
			fprintf(f, "  queue %u%s: tx packets %" PRIu64
			    " bytes %" PRIu64 " rx packets %" PRIu64
			    " bytes %" PRIu64, i,
			    i < v->nq ? "" : " (not connected)",
			    q->tx_packets, q->tx_bytes, q->rx_packets,
			    q->rx_bytes);
			if (i < v->nq)
				fprintf(f, " copies %s thread %d",
				    queue_copy_path(v->q[i]) == 0 ? "direct" :
				    "gntdev", queue_tid(v->q[i]));
			if (i < v->nq && queue_cpu(v->q[i]) >= 0)
				fprintf(f, " cpu %d", queue_cpu(v->q[i]));
			fputc('\n', f);
		}
	}
}
