/* libFuzzer target for the history checks: the input is split at its first
 * NUL byte into a baseline (before) and a config (after); without a NUL the
 * input is both, with one byte of the config changed. The config is linted
 * against the baseline with --applied tags taken from the input's first
 * bytes, and rendered as text (the related notes point into the baseline). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "lint.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	const char *nul = memchr(bytes, '\0', size);
	size_t base_len = nul ? (size_t)(nul - bytes) : size;
	const char *cfg = nul ? nul + 1 : bytes;
	size_t cfg_len = nul ? size - base_len - 1 : size;
	char *copy = malloc(cfg_len + 1);
	memcpy(copy, cfg, cfg_len);
	copy[cfg_len] = '\0';
	if (!nul && cfg_len)
		copy[cfg_len / 2] ^= 1;
	char tag[2][8] = {"v1", "v2"};
	if (size >= 2) {
		tag[0][1] = (char)('0' + data[0] % 10);
		tag[1][1] = (char)('0' + data[1] % 10);
	}
	wl_applied_tag applied[2] = {{NULL, tag[0]}, {"staging", tag[1]}};
	wl_baseline base = {.name = "HEAD:wrangler.jsonc",
	                    .bytes = bytes,
	                    .len = base_len,
	                    .applied = applied,
	                    .n_applied = size % 3};
	wl_lint_options opts = {.baseline = &base};
	wl_lint_result *r = wl_lint_source(wl_source_adopt("wrangler.jsonc", copy, cfg_len), &opts);
	FILE *out = fopen("/dev/null", "w");
	if (out) {
		wl_render_options ropts = {.color = false, .max_per_file = 0};
		wl_renderer *rd = wl_renderer_new(WL_FORMAT_TEXT, out, &ropts);
		wl_renderer_file(rd, r->doc->src, &r->diags);
		wl_renderer_finish(rd, NULL);
		fclose(out);
	}
	wl_lint_result_free(r);
	return 0;
}
