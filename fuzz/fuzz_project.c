/* libFuzzer target: the project file (.wrangler-lint.jsonc) parser: rule
 * levels, ignore globs, fail-on, and its own diagnostics. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "project.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = wl_xmalloc(size + 1);
	if (size)
		memcpy(buf, data, size);
	buf[size] = '\0';
	wl_project *p = wl_project_parse("dir/.wrangler-lint.jsonc", buf, size);
	for (size_t i = 0; i < p->n_ignore; i++)
		if (!p->ignore[i] || !*p->ignore[i])
			abort(); /* empty globs are reported, never kept */
	wl_project_free(p);
	return 0;
}
