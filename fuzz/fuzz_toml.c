/* libFuzzer target for the TOML front end: bytes as a wrangler.toml through
 * the whole pipeline (parse, model, every rule family including the TOML
 * ones), rendered as text, plus the front end alone with its invariants:
 * every node's span lies inside the input, children point back at their
 * parent, and a tree without syntax errors has no invalid nodes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint.h"
#include "render.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_tree(const wl_doc *doc)
{
	const wl_node *n = doc->root;
	size_t len = doc->src->len;
	while (n) {
		if (n->span.start > n->span.end || n->span.end > len)
			abort();
		if (n->key && (n->key_span.start > n->key_span.end || n->key_span.end > len))
			abort();
		if ((n->flags & WL_NODE_INVALID) && !doc->syntax_errors)
			abort();
		for (const wl_node *c = n->first_child; c; c = c->next)
			if (c->parent != n)
				abort();
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		while (n && !n->next)
			n = n->parent;
		if (n)
			n = n->next;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc =
	    wl_toml_parse(wl_source_new("wrangler.toml", (const char *)data, size), &diags);
	check_tree(doc);
	wl_doc_free(doc);
	wl_diag_list_free(&diags);

	/* Nothing from the input may make the fuzzer read other files. */
	wl_lint_options opts = {.check_siblings = false, .no_user_schema = true};
	wl_lint_result *r =
	    wl_lint_source(wl_source_new("wrangler.toml", (const char *)data, size), &opts);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	wl_render_options ropts = {.color = false, .max_per_file = 0};
	wl_renderer *rr = wl_renderer_new(WL_FORMAT_TEXT, out, &ropts);
	wl_renderer_file(rr, r->doc->src, &r->diags);
	wl_renderer_finish(rr, NULL);
	fclose(out);
	free(buf);
	wl_lint_result_free(r);
	return 0;
}
