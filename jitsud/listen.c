/* The DNS sockets (see listen.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sdnotify.h"
#include "listen.h"

/* Enough for bursts of connections while the loop is busy. */
#define TCP_BACKLOG 128

static int
activated_socks(struct jd_sock *out)
{
	int n = sdn_listen_fds(), k = 0;

	for (int i = 0; i < n && k < JD_MAX_SOCKS; i++) {
		int fd = 3 + i, type = 0;
		socklen_t len = sizeof(type);

		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
		    (type != SOCK_DGRAM && type != SOCK_STREAM))
			continue;
		if (sdn_is_socket_inet(fd, AF_INET, type, 0) <= 0 &&
		    sdn_is_socket_inet(fd, AF_INET6, type, 0) <= 0)
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		out[k].fd = fd;
		out[k].tcp = type == SOCK_STREAM;
		k++;
	}
	return n < 0 ? n : k;
}

static int
open_one(const struct jc_addr *a, uint16_t port, bool tcp)
{
	struct sockaddr_storage ss = a->ss;
	int fd, one = 1, family = ss.ss_family;

	if (family == AF_INET && !((struct sockaddr_in *)&ss)->sin_port)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	if (family == AF_INET6 && !((struct sockaddr_in6 *)&ss)->sin6_port)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	fd = socket(family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* "::" next to "0.0.0.0": each family on its own socket. */
	if ((family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &one, sizeof(one)) < 0) ||
	    (tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)&ss, a->len) < 0 ||
	    (tcp && listen(fd, TCP_BACKLOG) < 0)) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

int
listen_open(const struct jc_conf *c, struct jd_sock *out, bool *activated,
    char *what, size_t whatlen)
{
	struct jc_addr any[2];
	const struct jc_addr *addrs = c->listen;
	unsigned int n = c->nlisten;
	int k = activated_socks(out);

	*activated = k > 0;
	if (k != 0)
		return k;
	if (n == 0) {
		jc_parse_addr("0.0.0.0", &any[0]);
		jc_parse_addr("::", &any[1]);
		addrs = any;
		n = 2;
	}
	for (unsigned int i = 0; i < n; i++)
		for (int tcp = 0; tcp < 2; tcp++) {
			int fd = open_one(&addrs[i], (uint16_t)c->port, tcp);

			if (fd < 0) {
				jc_format_addr(&addrs[i], what, whatlen);
				while (k > 0)
					close(out[--k].fd);
				return fd;
			}
			out[k].fd = fd;
			out[k].tcp = tcp;
			k++;
		}
	return k;
}
