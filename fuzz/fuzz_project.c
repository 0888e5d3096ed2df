/* libFuzzer target: the project file (.wrangler-lint.jsonc) parser: rule
 * levels, ignore globs, fail-on, and its own diagnostics; and the same bytes
 * as a pnpm-workspace.yaml, read for wrangler's catalog range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "project.h"
#include "rules_schema.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = wl_xmalloc(size + 1);
	if (size)
		memcpy(buf, data, size);
	buf[size] = '\0';
	/* Any bytes, not NUL-terminated: the range, when there is one, is a
	 * slice of the input. */
	static const char *const catalogs[] = {"", "default", "cf"};
	for (size_t i = 0; i < 3; i++) {
		char *range = wl_pnpm_catalog_range((const char *)data, size, catalogs[i]);
		if (range && strlen(range) > size)
			abort();
		free(range);
	}
	/* The project takes ownership of buf. */
	wl_project *p = wl_project_parse("dir/.wrangler-lint.jsonc", buf, size);
	for (size_t i = 0; i < p->n_ignore; i++)
		if (!p->ignore[i] || !*p->ignore[i])
			abort(); /* empty globs are reported, never kept */
	wl_project_free(p);
	return 0;
}
