/* Renderer dispatch: picks a format's operations, keeps the counts every
 * format may need, and holds the escaping shared by the text formats.
 * The renderer owns its format state; `out` and the sources are borrowed. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_impl.h"
#include "xalloc.h"

#ifndef WL_VERSION
#error "WL_VERSION must be defined by the build"
#endif

static const struct {
	const char *name;
	wl_format format;
} formats[] = {
    {"text", WL_FORMAT_TEXT},   {"json", WL_FORMAT_JSON},     {"gcc", WL_FORMAT_GCC},
    {"sarif", WL_FORMAT_SARIF}, {"github", WL_FORMAT_GITHUB},
};

bool
wl_format_parse(const char *name, wl_format *out)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*out = formats[i].format;
			return true;
		}
	}
	return false;
}

const char *
wl_version(void)
{
	return WL_VERSION;
}

static const wl_render_ops *
ops_for(wl_format format)
{
	switch (format) {
	case WL_FORMAT_JSON:
		return &wl_render_json_ops;
	case WL_FORMAT_GCC:
		return &wl_render_gcc_ops;
	case WL_FORMAT_SARIF:
		return &wl_render_sarif_ops;
	case WL_FORMAT_GITHUB:
		return &wl_render_github_ops;
	case WL_FORMAT_TEXT:
		break;
	}
	return &wl_render_text_ops;
}

wl_renderer *
wl_renderer_new(wl_format format, FILE *out, const wl_render_options *opts)
{
	wl_renderer *r = wl_xcalloc(1, sizeof(*r));
	r->ops = ops_for(format);
	r->out = out;
	if (opts)
		r->opts = *opts;
	if (r->ops->begin)
		r->ops->begin(r);
	return r;
}

void
wl_renderer_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	r->tally.files++;
	for (int s = 0; s < WL_SEV_COUNT; s++)
		r->tally.by_sev[s] += wl_diag_list_count(diags, (wl_severity)s);
	r->ops->file(r, src, diags);
}

void
wl_renderer_finish(wl_renderer *r, const wl_summary *summary)
{
	if (!r)
		return;
	r->ops->finish(r, summary ? summary : &r->tally);
	free(r);
}

void
wl_renderer_set_fixes(wl_renderer *r, size_t fixes, size_t files)
{
	r->fixing = true;
	r->fixes = fixes;
	r->fixed_files = files;
}

size_t
wl_render_shown(const wl_render_options *opts, const wl_diag_list *diags)
{
	if (opts->max_per_file && diags->len > opts->max_per_file)
		return opts->max_per_file;
	return diags->len;
}

size_t
wl_render_unit(const unsigned char *p, size_t avail, wl_unit_kind *kind)
{
	unsigned c = p[0];
	if (c == '\t') {
		*kind = WL_UNIT_TAB;
		return 1;
	}
	if (c < 0x20 || c == 0x7F) {
		*kind = WL_UNIT_ESCAPED;
		return 1;
	}
	if (c < 0x80) {
		*kind = WL_UNIT_PLAIN;
		return 1;
	}
	size_t n = wl_utf8_valid_len(p, avail);
	if (n == 0) {
		*kind = WL_UNIT_ESCAPED;
		return 1;
	}
	/* C1 controls (U+0080..U+009F): some terminals act on them, e.g. CSI. */
	if (n == 2 && c == 0xC2 && p[1] < 0xA0) {
		*kind = WL_UNIT_ESCAPED;
		return 2;
	}
	*kind = WL_UNIT_PLAIN;
	return n;
}

void
wl_render_escaped(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		wl_unit_kind kind;
		size_t len = wl_render_unit(p + i, n - i, &kind);
		if (kind == WL_UNIT_ESCAPED) {
			for (size_t k = 0; k < len; k++)
				fprintf(out, "\\x%02x", p[i + k]);
		} else {
			fwrite(p + i, 1, len, out);
		}
		i += len;
	}
}
