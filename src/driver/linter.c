#include "linter.h"

#include <stdlib.h>

#include "xalloc.h"

wl_linter *
wl_linter_new(const signed char *overrides)
{
	wl_linter *l = wl_xcalloc(1, sizeof(*l));
	l->projects = wl_project_cache_new(overrides);
	l->schemas = wl_schema_cache_new();
	return l;
}

void
wl_linter_free(wl_linter *l)
{
	if (!l)
		return;
	wl_project_cache_free(l->projects);
	wl_schema_cache_free(l->schemas);
	free(l);
}
