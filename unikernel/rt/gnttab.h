/*
 * The grant table, both ways. Ours: one frame of v1 entries (GNTTAB_
 * setup_table, mapped over a page of the image), through which a peer
 * gets at our pages (gntref.c keeps the refs). The peer's: a page it
 * granted us is mapped at a virtual address of ours.
 */
#ifndef XUD_UK_GNTTAB_H
#define XUD_UK_GNTTAB_H

#include <stdint.h>

#include "xen.h"

#include <xen/grant_table.h>

/* Sets up and maps our table; once (later calls return 0). -errno. */
int gnttab_init(void);
/*
 * Around a suspend: the table's frame is unmapped (the saver refuses an
 * entry to a frame not ours), then mapped again; after a restore (not
 * cancelled) the table is new and every ref is free: refs granted before
 * are stale, and nothing may end them. 0 or -EIO.
 */
void gnttab_suspend(void);
int gnttab_resume(int cancelled);
/* Lets dom at our page (page-aligned); the ref, or -errno (gntref.h). */
int gnttab_grant(domid_t dom, const void *page, int readonly);
/* 0; -EBUSY while dom still maps the page (see gntref_end). */
int gnttab_end(grant_ref_t ref);

/*
 * Maps dom's grant ref at va, a page of ours (from page_alloc): what was
 * there is unreachable until gnttab_unmap puts it back. Returns 0 and the
 * handle, -ENOENT for a bad ref, -EACCES when dom does not grant it to
 * us (or not writable), -EIO otherwise.
 */
int gnttab_map(domid_t dom, grant_ref_t ref, void *va, int readonly,
	       grant_handle_t *handle);
/* Unmaps, and maps our own page at va again. 0 or -EIO. */
int gnttab_unmap(void *va, grant_handle_t handle);

#endif
