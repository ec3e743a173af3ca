/*
 * xlab-hold: keep a domain dying, as a leaked backend mapping would.
 *
 *   xlab-hold DOMID
 *
 * Maps the domain's console page through its reserved grant (ref 1, which
 * the toolstack fills for dom0), prints "held" and keeps the mapping until
 * its stdin reaches end of file. A destroyed domain stays dying (a zombie)
 * while any of its pages is mapped, and xenstored fires @releaseDomain
 * when it starts to die, not when it is finally gone: a lab case lets go
 * of the page and checks that a daemon still notices the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xengnttab.h>

/* GNTTAB_RESERVED_CONSOLE in xen/grant_table.h */
#define CONSOLE_GREF 1

int
main(int argc, char **argv)
{
	xengnttab_handle *h;
	char *end, buf[64];
	unsigned long domid;
	void *page;

	if (argc != 2) {
		fprintf(stderr, "usage: xlab-hold DOMID\n");
		return 2;
	}
	errno = 0;
	domid = strtoul(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || domid >= 0x7ff0) {
		fprintf(stderr, "xlab-hold: bad domid '%s'\n", argv[1]);
		return 2;
	}
	if ((h = xengnttab_open(NULL, 0)) == NULL) {
		fprintf(stderr, "xlab-hold: gnttab: %s\n", strerror(errno));
		return 1;
	}
	page = xengnttab_map_grant_ref(h, (uint32_t)domid, CONSOLE_GREF,
	    PROT_READ);
	if (page == NULL) {
		fprintf(stderr, "xlab-hold: map of d%lu's grant %d: %s\n",
		    domid, CONSOLE_GREF, strerror(errno));
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	if (xengnttab_unmap(h, page, 1) < 0) {
		fprintf(stderr, "xlab-hold: unmap: %s\n", strerror(errno));
		return 1;
	}
	xengnttab_close(h);
	return 0;
}
