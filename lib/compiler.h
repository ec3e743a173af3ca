/* Small compiler helpers shared by all of xud. */
#ifndef XUD_COMPILER_H
#define XUD_COMPILER_H

#define XUD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define XUD_NORETURN __attribute__((noreturn))
#define XUD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define XUD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define XUD_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
