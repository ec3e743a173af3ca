/* netbackd's status text. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "xenbus_be.h"
#include "netbackd.h"
#include "status.h"
#include "vif.h"

void
status_print(FILE *f, void *arg)
{
	struct nb *nb = arg;

	fprintf(f, "vifs: %u\n", nb->nvifs);
	for (const struct vif *v = nb->vifs; v; v = v->next) {
		const struct nb_counters *c = &v->c;

		fprintf(f, "%s dom%" PRIu32 " %s: connects %" PRIu64
		    " hostile %" PRIu64 "\n", v->name, v->domid,
		    xbstate_name(vif_state(v)), c->connects, c->hostile);
		fprintf(f, "  tx packets %" PRIu64 " bytes %" PRIu64
		    " gso %" PRIu64
		    " errors %" PRIu64 " batches %" PRIu64 " drops csum %"
		    PRIu64 " tap %" PRIu64 " mac %" PRIu64 " ip %" PRIu64
		    " proto %" PRIu64 "\n", c->tx_packets, c->tx_bytes,
		    c->tx_gso,
		    c->tx_errors, c->tx_batches, c->tx_drop_csum,
		    c->tx_drop_tap, c->tx_drop_mac, c->tx_drop_ip,
		    c->tx_drop_proto);
		fprintf(f, "  rx packets %" PRIu64 " bytes %" PRIu64
		    " gso %" PRIu64 " errors %" PRIu64 " batches %" PRIu64 " drops size %"
		    PRIu64 " short %" PRIu64 " stalls %" PRIu64 "\n",
		    c->rx_packets, c->rx_bytes, c->rx_gso, c->rx_errors,
		    c->rx_batches,
		    c->rx_drop_size, c->rx_drop_short, c->rx_stalls);
	}
}
