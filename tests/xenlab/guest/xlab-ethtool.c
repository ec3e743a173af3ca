/*
 * xlab-ethtool IFACE [FEATURE on|off]: what `ethtool -K IFACE FEATURE
 * on|off` does for sg, tso and tx (checksumming), for the lab's guests,
 * whose busybox has no ethtool and which run static programs only. It
 * uses the kernel's legacy one-feature ethtool requests, which set the
 * same "wanted" feature bits as ethtool -K. Prints the three afterwards
 * as "sg=on tso=off tx=on" (the kernel may turn one off because another
 * is: tso needs sg and tx).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

static const struct feature {
	const char *name;
	unsigned int get, set;
} features[] = {
	{ "sg", ETHTOOL_GSG, ETHTOOL_SSG },
	{ "tso", ETHTOOL_GTSO, ETHTOOL_STSO },
	{ "tx", ETHTOOL_GTXCSUM, ETHTOOL_STXCSUM },
};
#define NFEATURES (sizeof(features) / sizeof(features[0]))

static int
request(int s, const char *ifname, unsigned int cmd, unsigned int *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(s, SIOCETHTOOL, &ifr) < 0)
		return -errno;
	*data = ev.data;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct feature *f = NULL;
	unsigned int v;
	size_t i;
	int s, r;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: xlab-ethtool IFACE [sg|tso|tx on|off]\n");
		return 2;
	}
	if (argc == 4) {
		for (i = 0; i < NFEATURES; i++)
			if (strcmp(argv[2], features[i].name) == 0)
				f = &features[i];
		if (!f || (strcmp(argv[3], "on") && strcmp(argv[3], "off"))) {
			fprintf(stderr, "xlab-ethtool: %s %s: not sg, tso or tx, "
			    "on or off\n", argv[2], argv[3]);
			return 2;
		}
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		perror("xlab-ethtool: socket");
		return 1;
	}
	if (f) {
		v = strcmp(argv[3], "on") == 0;
		if ((r = request(s, argv[1], f->set, &v)) < 0) {
			fprintf(stderr, "xlab-ethtool: %s: %s %s: %s\n", argv[1],
			    f->name, argv[3], strerror(-r));
			return 1;
		}
	}
	for (i = 0; i < NFEATURES; i++) {
		v = 0;
		if ((r = request(s, argv[1], features[i].get, &v)) < 0) {
			fprintf(stderr, "xlab-ethtool: %s: reading %s: %s\n",
			    argv[1], features[i].name, strerror(-r));
			return 1;
		}
		printf("%s%s=%s", i ? " " : "", features[i].name,
		    v ? "on" : "off");
	}
	printf("\n");
	close(s);
	return 0;
}
