/* libFuzzer target: bytes through the whole pipeline (parse, model, every
 * rule family) and every renderer, as a .jsonc and as a .json file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
render_all(wl_lint_result *r)
{
	static const wl_format formats[] = {WL_FORMAT_TEXT, WL_FORMAT_JSON, WL_FORMAT_GCC,
	                                    WL_FORMAT_SARIF, WL_FORMAT_GITHUB};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		wl_render_options opts = {.color = i == 0, .max_per_file = 0};
		wl_renderer *rr = wl_renderer_new(formats[i], out, &opts);
		wl_renderer_file(rr, r->doc->src, &r->diags);
		wl_renderer_finish(rr, NULL);
		fclose(out);
		free(buf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Nothing from the input may make the fuzzer read other files. */
	wl_lint_options opts = {.check_siblings = false, .no_user_schema = true};
	const char *paths[] = {"wrangler.jsonc", "wrangler.json"};
	for (size_t i = 0; i < 2; i++) {
		wl_lint_result *r =
		    wl_lint_source(wl_source_new(paths[i], (const char *)data, size), &opts);
		const char *broken = wl_doc_check(r->doc);
		if (broken) {
			fprintf(stderr, "wl_doc_check: %s\n", broken);
			abort();
		}
		if (i == 0)
			render_all(r);
		wl_lint_result_free(r);
	}
	return 0;
}
