/*
 * The unikernel's grant refs (unikernel/rt/gntref.c) on a table in
 * memory: reserved refs never handed out, the bound, v1 entry contents,
 * ending access refused while Xen marks the frame in use, double ends.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "unikernel/rt/gntref.h"

static grant_entry_v1_t table[GNTREF_MAX];
static struct gntref_pool pool;

static void
test_grant_entry(void)
{
	int ref;

	gntref_init(&pool, table);
	CHECK_EQ(gntref_free_count(&pool), GNTREF_MAX - GNTTAB_NR_RESERVED_ENTRIES);
	ref = gntref_grant(&pool, 7, 0x12345, 0);
	CHECK_EQ(ref, GNTTAB_NR_RESERVED_ENTRIES);
	CHECK_EQ(table[ref].flags, GTF_permit_access);
	CHECK_EQ(table[ref].domid, 7);
	CHECK_EQ(table[ref].frame, 0x12345);
	ref = gntref_grant(&pool, 0, 0x999, 1);
	CHECK_EQ(ref, GNTTAB_NR_RESERVED_ENTRIES + 1);
	CHECK_EQ(table[ref].flags, GTF_permit_access | GTF_readonly);
	CHECK_EQ(gntref_free_count(&pool), GNTREF_MAX - GNTTAB_NR_RESERVED_ENTRIES - 2);
	/* A frame above v1's 32 bits cannot be named: nothing is taken. */
	CHECK_EQ(gntref_grant(&pool, 0, 1ull << 32, 0), -EINVAL);
	CHECK_EQ(gntref_free_count(&pool), GNTREF_MAX - GNTTAB_NR_RESERVED_ENTRIES - 2);
}

static void
test_end(void)
{
	int ref;

	gntref_init(&pool, table);
	ref = gntref_grant(&pool, 3, 42, 0);
	CHECK(ref >= GNTTAB_NR_RESERVED_ENTRIES);
	/* Xen marks the frame mapped or being copied: the entry stays. */
	table[ref].flags |= GTF_reading;
	CHECK_EQ(gntref_end(&pool, (grant_ref_t)ref), -EBUSY);
	CHECK_EQ(table[ref].flags, GTF_permit_access | GTF_reading);
	table[ref].flags = GTF_permit_access | GTF_writing;
	CHECK_EQ(gntref_end(&pool, (grant_ref_t)ref), -EBUSY);
	table[ref].flags = GTF_permit_access;
	CHECK_EQ(gntref_end(&pool, (grant_ref_t)ref), 0);
	CHECK_EQ(table[ref].flags, 0);
	/* Ended twice, never taken, reserved, out of range. */
	CHECK_EQ(gntref_end(&pool, (grant_ref_t)ref), -EINVAL);
	CHECK_EQ(gntref_end(&pool, GNTREF_MAX - 1), -EINVAL);
	CHECK_EQ(gntref_end(&pool, 0), -EINVAL);
	CHECK_EQ(gntref_end(&pool, 1), -EINVAL);
	CHECK_EQ(gntref_end(&pool, GNTREF_MAX), -EINVAL);
	CHECK_EQ(gntref_end(&pool, UINT32_MAX), -EINVAL);
	/* The freed ref is the next one handed out. */
	CHECK_EQ(gntref_grant(&pool, 3, 43, 0), ref);
}

static void
test_bound(void)
{
	unsigned n = 0;
	int ref, seen[GNTREF_MAX] = { 0 };

	gntref_init(&pool, table);
	while ((ref = gntref_grant(&pool, 1, n, 0)) >= 0) {
		CHECK(ref >= GNTTAB_NR_RESERVED_ENTRIES && ref < (int)GNTREF_MAX);
		CHECK(!seen[ref]);
		seen[ref] = 1;
		n++;
	}
	CHECK_EQ(ref, -ENOSPC);
	CHECK_EQ(n, GNTREF_MAX - GNTTAB_NR_RESERVED_ENTRIES);
	CHECK_EQ(gntref_free_count(&pool), 0);
	/* Every ref comes back, and can be taken again. */
	for (unsigned i = GNTTAB_NR_RESERVED_ENTRIES; i < GNTREF_MAX; i++)
		CHECK_EQ(gntref_end(&pool, i), 0);
	CHECK_EQ(gntref_free_count(&pool), n);
	CHECK(gntref_grant(&pool, 1, 5, 0) >= 0);
}

int
main(void)
{
	test_grant_entry();
	test_end();
	test_bound();
	return CHECK_DONE();
}
