/*
 * The freestanding build's config.h. lib/ cores include "config.h" for the
 * daemons' autoconf results; a guest has no libc to configure, so this is
 * empty on purpose. unikernel/local.mk puts this directory first.
 */
#ifndef XUD_UK_CONFIG_H
#define XUD_UK_CONFIG_H
#endif
