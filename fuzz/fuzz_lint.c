/* libFuzzer target: bytes through the pipeline without renderers (parse,
 * model, every rule family, suppressions, sorting), as a .jsonc and as a
 * .json file, with the tree's invariants checked. fuzz_render.c covers the
 * renderers, fuzz_jsonc.c the front end alone. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Nothing from the input may make the fuzzer read other files. */
	wl_lint_options opts = {.check_siblings = false, .no_user_schema = true};
	/* One lint per input, as .jsonc or as strict .json by the length's
	 * parity: both paths stay covered at half the cost per execution. */
	const char *path = size % 2 ? "wrangler.json" : "wrangler.jsonc";
	wl_lint_result *r = wl_lint_source(wl_source_new(path, (const char *)data, size), &opts);
	const char *broken = wl_doc_check(r->doc);
	if (broken) {
		fprintf(stderr, "wl_doc_check: %s\n", broken);
		abort();
	}
	wl_lint_result_free(r);
	return 0;
}
