/* The domain table's diff: added, changed, removed, names kept. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "domains.h"
#include "check.h"

struct log { char s[1024]; };

static void
on_add(const struct dom_info *d, void *arg)
{
	struct log *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "+%u(%s) ", d->domid, d->name);
}

static void
on_change(const struct dom_info *d, const struct dom_info *old, void *arg)
{
	struct log *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "~%u:%s>%s ", d->domid,
	    dom_state_name(old->state), dom_state_name(d->state));
}

static void
on_remove(const struct dom_info *d, void *arg)
{
	struct log *l = arg;
	size_t n = strlen(l->s);

	snprintf(l->s + n, sizeof(l->s) - n, "-%u ", d->domid);
}

static const struct dom_ops ops = { on_add, on_change, on_remove };

static struct dom_info
mk(uint32_t id, enum dom_state st, const char *name)
{
	struct dom_info d = { .domid = id, .state = st };

	snprintf(d.name, sizeof(d.name), "%s", name);
	return d;
}

int
main(void)
{
	struct dom_table t;
	struct log l = { "" };
	struct dom_info s1[] = { mk(5, DOM_RUNNING, "b"), mk(0, DOM_RUNNING,
	    "Domain-0"), mk(3, DOM_RUNNING, "a") };
	struct dom_info s2[] = { mk(0, DOM_RUNNING, ""), mk(5, DOM_CRASHED,
	    ""), mk(7, DOM_PAUSED, "c") };

	dom_table_init(&t);
	CHECK_EQ(dom_table_apply(&t, s1, 3, &ops, &l), 0);
	CHECK_STR(l.s, "+0(Domain-0) +3(a) +5(b) ");
	CHECK_EQ(t.n, 3);
	CHECK(dom_table_find(&t, 3) != NULL);
	CHECK(dom_table_find(&t, 4) == NULL);

	l.s[0] = '\0';
	CHECK_EQ(dom_table_apply(&t, s2, 3, &ops, &l), 0);
	CHECK_STR(l.s, "-3 ~5:running>crashed +7(c) ");
	/* Names seen before survive a snapshot without them. */
	CHECK_STR(dom_table_find(&t, 5)->name, "b");
	CHECK_STR(dom_table_find(&t, 0)->name, "Domain-0");

	/* The same snapshot again: no callbacks. */
	l.s[0] = '\0';
	CHECK_EQ(dom_table_apply(&t, s2, 3, &ops, &l), 0);
	CHECK_STR(l.s, "");

	l.s[0] = '\0';
	CHECK_EQ(dom_table_apply(&t, NULL, 0, &ops, &l), 0);
	CHECK_STR(l.s, "-0 -5 -7 ");
	CHECK_EQ(t.n, 0);
	CHECK_STR(dom_shutdown_reason_name(3), "crash");
	dom_table_free(&t);
	return CHECK_DONE();
}
