/*
 * Leaving: poweroff and reboot tell the toolstack why the domain stopped
 * (xl's on_poweroff / on_reboot decide what happens next). uk_panic
 * writes its text to the console, waits up to 1 s for the backend to
 * read it, and stops with SHUTDOWN_crash (on_crash).
 */
#ifndef XUD_UK_SHUTDOWN_H
#define XUD_UK_SHUTDOWN_H

void uk_poweroff(void) __attribute__((noreturn));
void uk_reboot(void) __attribute__((noreturn));
void uk_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#endif
