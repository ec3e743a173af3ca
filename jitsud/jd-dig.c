/*
 * jd-dig: the lab's DNS client, static so that dom0 needs no resolver
 * tools. Sends one query per NAME (over TCP all on one connection, in one
 * write: pipelined) and prints one line per response:
 *
 *   id=N rcode=NXDOMAIN flags=qr,aa,rd an=0 ns=1 ar=0 answer= authority=SOA
 *
 * with the answer section's A and AAAA addresses (others by type number).
 *
 *   jd-dig [-t] [-s SERVER] [-p PORT] [-b SOURCE] [-T A|AAAA|SOA|NS|MX]
 *          [-w SECS] NAME...
 *
 * -b sends from an IPv4 source address (127.x.y.z on loopback: another
 * client prefix for rate limiting).
 *
 * Exits 0 when every query got its response, 1 when one did not in time,
 * 2 on a usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#define MAXQ 32

static const char *const rcodes[] = { "NOERROR", "FORMERR", "SERVFAIL",
	"NXDOMAIN", "NOTIMP", "REFUSED" };

static int
qtype(const char *s)
{
	static const struct { const char *n; int t; } t[] = {
		{ "A", 1 }, { "NS", 2 }, { "SOA", 6 }, { "MX", 15 },
		{ "TXT", 16 }, { "AAAA", 28 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].n) == 0)
			return t[i].t;
	return atoi(s);
}

static size_t
build(uint8_t *q, uint16_t id, const char *name, int type)
{
	size_t n = 12;
	const char *p = name;

	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 1;	/* RD */
	q[5] = 1;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63 || n + l + 6 > 300)
			return 0;
		q[n++] = (uint8_t)l;
		memcpy(q + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	q[n++] = 0;
	q[n++] = (uint8_t)(type >> 8);
	q[n++] = (uint8_t)type;
	q[n++] = 0;
	q[n++] = 1;
	return n;
}

/* Skips a name at off; returns the offset after it, or 0. */
static size_t
skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (m[off] == 0)
			return off + 1;
		off += 1 + m[off];
	}
	return 0;
}

static void
print(const uint8_t *m, size_t len)
{
	static const char *const fl[] = { "qr", "aa", "tc", "rd", "ra" };
	const int bits[] = { m[2] & 0x80, m[2] & 0x04, m[2] & 0x02,
		m[2] & 0x01, m[3] & 0x80 };
	int rc = m[3] & 0xf, sep = 0;
	unsigned int cnt[4];
	size_t off;

	for (int i = 0; i < 4; i++)
		cnt[i] = (unsigned int)(m[4 + 2 * i] << 8 | m[5 + 2 * i]);
	printf("id=%u rcode=", (unsigned int)(m[0] << 8 | m[1]));
	if (rc < 6)
		printf("%s", rcodes[rc]);
	else
		printf("%d", rc);
	printf(" flags=");
	for (int i = 0; i < 5; i++)
		if (bits[i])
			printf("%s%s", sep++ ? "," : "", fl[i]);
	printf(" an=%u ns=%u ar=%u", cnt[1], cnt[2], cnt[3]);
	off = 12;
	for (unsigned int i = 0; i < cnt[0] && off; i++)
		off = skip_name(m, len, off) + 4;
	for (int sec = 1; sec <= 2; sec++) {
		printf(" %s=", sec == 1 ? "answer" : "authority");
		sep = 0;
		for (unsigned int i = 0; i < cnt[sec] && off && off < len; i++) {
			size_t rd;
			int type;
			char buf[INET6_ADDRSTRLEN];

			off = skip_name(m, len, off);
			if (!off || off + 10 > len)
				break;
			type = m[off] << 8 | m[off + 1];
			rd = (size_t)(m[off + 8] << 8 | m[off + 9]);
			off += 10;
			if (off + rd > len)
				break;
			printf("%s", sep++ ? "," : "");
			if (type == 1 && rd == 4)
				printf("A:%s", inet_ntop(AF_INET, m + off, buf,
				    sizeof(buf)));
			else if (type == 28 && rd == 16)
				printf("AAAA:%s", inet_ntop(AF_INET6, m + off,
				    buf, sizeof(buf)));
			else if (type == 6)
				printf("SOA");
			else if (type == 2)
				printf("NS");
			else
				printf("TYPE%d", type);
			off += rd;
		}
	}
	printf("\n");
	fflush(stdout);
}

static int
wait_in(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) > 0;
}

int
main(int argc, char **argv)
{
	const char *server = "127.0.0.1", *source = NULL;
	int port = 53, type = 1, tcp = 0, secs = 5, c, fd, got = 0, n;
	struct sockaddr_storage ss;
	socklen_t sl;
	static uint8_t buf[MAXQ * 320], r[65538];
	size_t blen = 0;
	uint16_t ids[MAXQ];

	while ((c = getopt(argc, argv, "ts:p:b:T:w:")) != -1) {
		switch (c) {
		case 't': tcp = 1; break;
		case 'b': source = optarg; break;
		case 's': server = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'T': type = qtype(optarg); break;
		case 'w': secs = atoi(optarg); break;
		default: return 2;
		}
	}
	n = argc - optind;
	if (n < 1 || n > MAXQ) {
		fprintf(stderr, "usage: jd-dig [-t] [-s SERVER] [-p PORT] "
		    "[-b SOURCE] [-T TYPE] [-w SECS] NAME...\n");
		return 2;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, server, &((struct sockaddr_in *)&ss)->sin_addr)) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, server,
	    &((struct sockaddr_in6 *)&ss)->sin6_addr)) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "jd-dig: %s: not an address\n", server);
		return 2;
	}
	fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd >= 0 && source) {
		struct sockaddr_in b = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, source, &b.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&b, sizeof(b)) < 0) {
			fprintf(stderr, "jd-dig: -b %s: %s\n", source,
			    strerror(errno));
			return 2;
		}
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		fprintf(stderr, "jd-dig: %s: %s\n", server, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		size_t l;

		if (getrandom(&ids[i], sizeof(ids[i]), 0) != sizeof(ids[i]))
			ids[i] = (uint16_t)(getpid() + i);
		l = build(buf + blen + (tcp ? 2 : 0), ids[i], argv[optind + i],
		    type);
		if (!l) {
			fprintf(stderr, "jd-dig: %s: bad name\n",
			    argv[optind + i]);
			return 2;
		}
		if (tcp) {
			buf[blen] = (uint8_t)(l >> 8);
			buf[blen + 1] = (uint8_t)l;
			blen += 2 + l;
		} else if (send(fd, buf, l, 0) < 0) {
			perror("jd-dig: send");
			return 1;
		}
	}
	if (tcp && send(fd, buf, blen, 0) != (ssize_t)blen) {
		perror("jd-dig: send");
		return 1;
	}
	while (got < n && wait_in(fd, secs * 1000)) {
		ssize_t k;

		if (tcp) {
			size_t have = 0, want = 2;

			while (have < want) {
				if (!wait_in(fd, secs * 1000))
					goto out;
				k = recv(fd, r + have, want - have, 0);
				if (k <= 0)
					goto out;
				have += (size_t)k;
				if (want == 2 && have == 2)
					want = 2 + (size_t)(r[0] << 8 | r[1]);
			}
			if (want >= 14)
				print(r + 2, want - 2);
		} else {
			k = recv(fd, r, sizeof(r), 0);
			if (k < 12)
				continue;
			print(r, (size_t)k);
		}
		got++;
	}
out:
	if (got < n)
		fprintf(stderr, "jd-dig: %d of %d responses\n", got, n);
	return got == n ? 0 : 1;
}
