/* libFuzzer target: the renderers. The input is linted (the quickest way to
 * get realistic diagnostics with spans anywhere in the file), then every
 * format renders the result; the front end and rules have their own
 * targets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wl_lint_options opts = {.check_siblings = false, .no_user_schema = true};
	wl_lint_result *r =
	    wl_lint_source(wl_source_new("dir/wrangler.jsonc", (const char *)data, size), &opts);
	static const wl_format formats[] = {WL_FORMAT_TEXT, WL_FORMAT_JSON, WL_FORMAT_GCC,
	                                    WL_FORMAT_SARIF, WL_FORMAT_GITHUB};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		wl_render_options ropts = {.color = i == 0 && size % 2, .max_per_file = size % 7};
		wl_renderer *rr = wl_renderer_new(formats[i], out, &ropts);
		wl_renderer_file(rr, r->doc->src, &r->diags);
		wl_renderer_finish(rr, NULL);
		fclose(out);
		free(buf);
	}
	wl_lint_result_free(r);
	return 0;
}
