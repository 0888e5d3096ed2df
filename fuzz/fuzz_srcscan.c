/* libFuzzer target: bytes through the source scanner (tokenizer and
 * extraction). Checks the invariants callers rely on: every token and span
 * lies inside the input, tokens move forward, and the scan ends. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/srcscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_span(wl_span s, size_t size)
{
	if (s.start > s.end || s.end > size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	/* the first byte's low bit picks JSX mode (.tsx / .jsx files) */
	bool jsx = size > 0 && (data[0] & 1);
	wl_srclex lx;
	wl_srclex_init(&lx, text, size);
	lx.jsx = jsx;
	uint32_t last_end = 0;
	for (;;) {
		wl_srctok t = wl_srclex_next(&lx);
		if (t.kind == WL_TK_EOF)
			break;
		/* every token but EOF consumes at least one byte */
		if (t.start < last_end || t.end <= t.start || t.end > size)
			abort();
		if (t.kind == WL_TK_STRING)
			check_span(t.value, size);
		last_end = t.end;
	}
	wl_srcscan *s = wl_srcscan_run_ex(text, size, jsx ? WL_SRCSCAN_JSX : 0);
	for (size_t i = 0; i < s->n_exports; i++) {
		check_span(s->exports[i].span, size);
		if (s->exports[i].kind != WL_SRC_EXPORT_STAR && !s->exports[i].name)
			abort();
		(void)wl_srcscan_exports_name(s, s->exports[i].name ? s->exports[i].name : "x");
	}
	for (size_t i = 0; i < s->n_classes; i++) {
		check_span(s->classes[i].name_span, size);
		check_span(s->classes[i].decl_span, size);
	}
	for (size_t i = 0; i < s->n_imports; i++)
		if (!s->imports[i].module)
			abort();
	for (size_t i = 0; i < s->n_envs; i++) {
		check_span(s->envs[i].name_span, size);
		for (size_t k = 0; k < s->envs[i].n_members; k++) {
			check_span(s->envs[i].members[k].name_span, size);
			check_span(s->envs[i].members[k].type_span, size);
		}
	}
	wl_srcscan_free(s);
	return 0;
}
