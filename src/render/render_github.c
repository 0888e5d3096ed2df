/* The github format: one GitHub Actions workflow command per diagnostic,
 *
 *   ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE-ID::MESSAGE
 *
 * (`warning` and `notice` for the other severities), which the runner turns
 * into annotations on the pull request. The end column is exclusive, as in
 * the json and sarif formats. Values are escaped the way the runner
 * unescapes them: "%", CR and LF everywhere, ":" and "," in properties too.
 * Other control characters and invalid UTF-8 from the file are written as
 * \xHH, as in the text format, so they cannot drive the log viewer. No
 * colour, frames, related locations or summary; long quoted values in
 * messages are cut as in the text format. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

static const char *
command(wl_severity sev)
{
	switch (sev) {
	case WL_SEV_ERROR:
		return "error";
	case WL_SEV_WARNING:
		return "warning";
	case WL_SEV_NOTE:
		return "notice";
	}
	return "error";
}

/* Writes `s` escaped for a message or, when `property`, a property value. */
static void
escaped(FILE *out, const char *s, bool property)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		wl_unit_kind kind;
		size_t len = wl_render_unit(p + i, n - i, &kind);
		unsigned c = p[i];
		if (c == '\r')
			fputs("%0D", out);
		else if (c == '\n')
			fputs("%0A", out);
		else if (kind == WL_UNIT_ESCAPED)
			for (size_t k = 0; k < len; k++)
				fprintf(out, "\\x%02x", p[i + k]);
		else if (c == '%')
			fputs("%25", out);
		else if (property && c == ':')
			fputs("%3A", out);
		else if (property && c == ',')
			fputs("%2C", out);
		else
			fwrite(p + i, 1, len, out);
		i += len;
	}
}

static void
github_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	FILE *out = r->out;
	size_t shown = wl_render_shown(&r->opts, diags);
	for (size_t i = 0; i < shown; i++) {
		const wl_diag *d = &diags->items[i];
		wl_source *dsrc = wl_render_src(d->src, src);
		wl_position a = wl_render_position(r, dsrc, d->span.start, NULL);
		wl_position b = wl_render_position(r, dsrc, d->span.end, NULL);
		if (b.line < a.line || (b.line == a.line && b.column < a.column))
			b = a;
		fprintf(out, "::%s file=", command(d->severity));
		escaped(out, dsrc->path, true);
		fprintf(out,
		        ",line=%" PRIu32 ",col=%" PRIu32 ",endLine=%" PRIu32 ",endColumn=%" PRIu32
		        ",title=",
		        a.line, a.column, b.line, b.column);
		escaped(out, d->rule->id, true);
		fputs("::", out);
		char *msg = wl_render_shorten(d->message);
		escaped(out, msg, false);
		free(msg);
		fputc('\n', out);
	}
}

static void
github_finish(wl_renderer *r, const wl_summary *summary)
{
	(void)r;
	(void)summary;
}

const wl_render_ops wl_render_github_ops = {NULL, github_file, github_finish, NULL};
