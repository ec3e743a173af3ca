/*
 * Xen's public headers, the way the runtime includes them: they need the
 * interface version defined before the first one and <stdint.h> already
 * seen. Every runtime file includes this instead of <xen/...> directly.
 */
#ifndef XUD_UK_XEN_H
#define XUD_UK_XEN_H

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)

#endif
