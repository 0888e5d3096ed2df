/* The built-in schema, schemas/wrangler.schema.json, compiled at build time
 * by tools/schema-gen.c into static tables (builtin_schema.c in the build
 * folder): at run time it costs no parsing, no allocation beyond one small
 * wrapper per wl_schema_cache, and its patterns are compiled on first use.
 * This file holds what the rest of the module needs to know about it. */
#include "schema.h"
#include "schema_impl.h"

const char *wl_schema_builtin_newest_since(void);

/* The newest x-since of the built-in schema, without a cache. */
const char *
wl_schema_builtin_newest_since(void)
{
	return wl_builtin_stables.newest_since;
}
