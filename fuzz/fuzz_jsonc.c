/* libFuzzer target: the JSONC front end alone (tokenizer, recovering parser,
 * node tree, comments, syntax diagnostics), with the tree's invariants
 * checked after every input. The document stage (json-c values) is fuzzed
 * with the pipeline by fuzz-lint, which checks the values against the tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jsonc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_source *src = wl_source_new("wrangler.jsonc", (const char *)data, size);
	diags.src = src;
	wl_doc *doc = wl_jsonc_parse_tree(src, &diags);
	const char *broken = wl_doc_check(doc);
	if (broken) {
		fprintf(stderr, "wl_doc_check: %s\n", broken);
		abort();
	}
	/* Every diagnostic lies within the file. */
	for (size_t i = 0; i < diags.len; i++)
		if (diags.items[i].span.start > diags.items[i].span.end ||
		    diags.items[i].span.end > size)
			abort();
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	return 0;
}
