/* Ethernet output: the header, the padding to the minimum frame, tx. */
#include <string.h>

#include "stack.h"
#include "wire.h"

int
eth_send(struct net *n, const uint8_t dst[6], uint16_t type, size_t len)
{
	size_t flen = ETH_HLEN + len;
	int r;

	memcpy(n->out, dst, 6);
	memcpy(n->out + 6, n->cfg.mac, 6);
	put16(n->out + 12, type);
	if (flen < ETH_MIN_FRAME) {
		memset(n->out + flen, 0, ETH_MIN_FRAME - flen);
		flen = ETH_MIN_FRAME;
	}
	r = n->cfg.tx(n->cfg.tx_arg, n->out, flen);
	if (r < 0)
		n->stats.tx_err++;
	else
		n->stats.tx++;
	return r;
}
