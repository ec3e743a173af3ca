/*
 * errno values for the freestanding runtime. There is no errno variable:
 * every function returns -E... as lib/ does. The numbers are Linux's, so
 * that a code means the same on both sides of a ring (xs_wire.h's error
 * table names them).
 */
#ifndef XUD_UK_ERRNO_H
#define XUD_UK_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EISDIR 21
#define EINVAL 22
#define ENOSPC 28
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define EPROTO 71
#define EMSGSIZE 90
#define EPROTONOSUPPORT 93
#define EISCONN 106
#define ETIMEDOUT 110
#define ECONNREFUSED 111

#endif
