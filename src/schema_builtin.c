/* The built-in schema, schemas/wrangler.schema.json, compiled into the
 * binary (the bytes come from a file generated at build time). */
#include <stdio.h>
#include <stdlib.h>

#include "schema.h"

extern const unsigned char wl_builtin_schema[];
extern const size_t wl_builtin_schema_len;

static wl_schema *builtin;

static void
release(void)
{
	wl_schema_free(builtin);
}

const wl_schema *
wl_schema_builtin(void)
{
	if (!builtin) {
		char *error = NULL;
		builtin = wl_schema_compile("schemas/wrangler.schema.json",
		                            (const char *)wl_builtin_schema, wl_builtin_schema_len,
		                            &error);
		if (!builtin) {
			/* The shipped schema is tested: failing here is a build defect. */
			fprintf(stderr, "wrangler-lint: the built-in schema is broken: %s\n",
			        error);
			abort();
		}
		atexit(release);
	}
	return builtin;
}
