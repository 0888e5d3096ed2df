/* The default, human format: a gcc-style header per diagnostic, then a frame
 * of the line it starts on with the span underlined, then its related
 * locations as notes. Everything taken from the user's file (path, line
 * text, messages quoting it) is escaped so it cannot drive the terminal. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

#define STYLE_RESET     "\033[0m"
#define STYLE_BOLD      "\033[1m"
#define STYLE_DIM       "\033[2m"
#define STYLE_ERROR     "\033[1;31m"
#define STYLE_WARNING   "\033[1;35m"
#define STYLE_NOTE      "\033[1;36m"
#define STYLE_UNDERLINE "\033[32m"

#define ELLIPSIS "\xE2\x80\xA6"

static void
style(const wl_renderer *r, const char *s)
{
	if (r->opts.color)
		fputs(s, r->out);
}

static const char *
severity_style(wl_severity sev)
{
	switch (sev) {
	case WL_SEV_ERROR:
		return STYLE_ERROR;
	case WL_SEV_WARNING:
		return STYLE_WARNING;
	case WL_SEV_NOTE:
		return STYLE_NOTE;
	}
	return STYLE_ERROR;
}

static void
write_path(const wl_renderer *r, const wl_source *src)
{
	wl_render_escaped(r->out, src->path, strlen(src->path));
}

/* `path:line:col: severity: message [rule-id]`; rule_id NULL for notes. */
static void
header(wl_renderer *r, wl_source *src, uint32_t offset, wl_severity sev, const char *message,
       const char *rule_id)
{
	FILE *out = r->out;
	wl_position pos = wl_render_position(r, src, offset, NULL);
	style(r, STYLE_BOLD);
	write_path(r, src);
	fprintf(out, ":%" PRIu32 ":%" PRIu32 ":", pos.line, pos.column);
	style(r, STYLE_RESET);
	fputc(' ', out);
	style(r, severity_style(sev));
	fprintf(out, "%s:", wl_severity_name(sev));
	style(r, STYLE_RESET);
	fputc(' ', out);
	style(r, STYLE_BOLD);
	char *shown = wl_render_shorten(message);
	wl_render_escaped(out, shown, strlen(shown));
	free(shown);
	style(r, STYLE_RESET);
	if (rule_id) {
		fputc(' ', out);
		style(r, STYLE_DIM);
		fprintf(out, "[%s]", rule_id);
		style(r, STYLE_RESET);
	}
	fputc('\n', out);
}

/* Screen columns a unit takes in the frame (a tab counts one: it is
 * reproduced as a tab in the padding, so it lines up by itself). */
static size_t
unit_width(wl_unit_kind kind, size_t len)
{
	return kind == WL_UNIT_ESCAPED ? 4 * len : 1;
}

/* The frame shows the whole line when it fits in FRAME_LINE columns, else
 * a window of it (a minified config is one line): the span's first
 * FRAME_SPAN columns, and on each side the rest of the line when it fits
 * in FRAME_SIDE_FULL columns, else the nearest FRAME_SIDE. Cuts are marked
 * with "…". Only the window's bytes are read. */
#define FRAME_LINE      120
#define FRAME_SPAN      80
#define FRAME_SIDE_FULL 50
#define FRAME_SIDE      40

static bool
line_end_at(const wl_source *src, uint32_t i)
{
	return i >= src->len || src->bytes[i] == '\n' || src->bytes[i] == '\r';
}

static size_t
width_at(const unsigned char *b, size_t len, uint32_t i, size_t *unit)
{
	wl_unit_kind kind;
	*unit = wl_render_unit(b + i, len - i, &kind);
	return unit_width(kind, *unit);
}

/* Start of the unit that ends at i (> ls): a UTF-8 sequence when the bytes
 * before i form one, else the single byte. */
static uint32_t
unit_before(const unsigned char *b, size_t len, uint32_t ls, uint32_t i)
{
	uint32_t j = i - 1;
	while (j > ls && i - j < 4 && (b[j] & 0xC0) == 0x80)
		j--;
	wl_unit_kind kind;
	if (j < i - 1 && wl_render_unit(b + j, len - j, &kind) != i - j)
		j = i - 1;
	return j;
}

/* The start line of `span` (a window of it), then the underline. */
static void
frame(wl_renderer *r, wl_source *src, wl_span span, int gutter)
{
	FILE *out = r->out;
	const unsigned char *b = (const unsigned char *)src->bytes;
	size_t len = src->len;
	uint32_t ls;
	wl_position pos = wl_render_position(r, src, span.start, &ls);
	uint32_t start = pos.offset < ls ? ls : pos.offset;
	/* An offset on the LF of CR LF belongs to the line; its CR is not text. */
	if (start > ls && b[start - 1] == '\r')
		start--;

	/* Left: the width before the span (counted up to FRAME_LINE + 1). */
	uint32_t ws = start, lcut = start;
	size_t lw = 0, unit;
	while (ws > ls && lw <= FRAME_LINE) {
		ws = unit_before(b, len, ls, ws);
		lw += width_at(b, len, ws, &unit);
		if (lw <= FRAME_SIDE)
			lcut = ws;
	}
	/* The span's shown part. */
	uint32_t i = start;
	size_t cols = 0;
	while (i < span.end && !line_end_at(src, i) && cols < FRAME_SPAN) {
		cols += width_at(b, len, i, &unit);
		i += (uint32_t)unit;
	}
	bool span_cut = i < span.end && !line_end_at(src, i);
	/* Right: the width after it. */
	uint32_t we = i, rcut = i;
	size_t rw = 0;
	while (!span_cut && !line_end_at(src, we) && rw <= FRAME_LINE) {
		rw += width_at(b, len, we, &unit);
		we += (uint32_t)unit;
		if (rw <= FRAME_SIDE)
			rcut = we;
	}
	bool fits = !span_cut && lw + cols + rw <= FRAME_LINE;
	bool left_cut = !fits && lw > FRAME_SIDE_FULL;
	bool right_cut = span_cut || (!fits && rw > FRAME_SIDE_FULL);
	if (left_cut)
		ws = lcut;
	if (span_cut)
		we = i;
	else if (right_cut)
		we = rcut;

	/* No trailing blank after the bar on an empty line. */
	fprintf(out, "%*" PRIu32 " |", gutter, pos.line);
	if (we > ws || left_cut || right_cut) {
		fputc(' ', out);
		if (left_cut)
			fputs(ELLIPSIS, out);
		wl_render_escaped(out, src->bytes + ws, we - ws);
		if (right_cut)
			fputs(ELLIPSIS, out);
	}
	fputc('\n', out);

	fprintf(out, "%*s | ", gutter, "");
	if (left_cut)
		fputc(' ', out);
	for (i = ws; i < start;) {
		wl_unit_kind kind;
		size_t n = wl_render_unit(b + i, len - i, &kind);
		if (kind == WL_UNIT_TAB)
			fputc('\t', out);
		else
			fprintf(out, "%*s", (int)unit_width(kind, n), "");
		i += (uint32_t)n;
	}
	style(r, STYLE_UNDERLINE);
	fputc('^', out);
	for (size_t k = 1; k < cols; k++)
		fputc('~', out);
	style(r, STYLE_RESET);
	fputc('\n', out);
}

static int
digits(uint32_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void
render_diag(wl_renderer *r, wl_source *src, const wl_diag *d)
{
	/* One gutter for the diagnostic and its notes, so their bars line up. */
	wl_source *dsrc = wl_render_src(d->src, src);
	uint32_t max_line = wl_render_position(r, dsrc, d->span.start, NULL).line;
	for (size_t i = 0; i < d->n_related; i++) {
		uint32_t l = wl_render_position(r, wl_render_src(d->related[i].src, src),
		                                d->related[i].span.start, NULL)
		                 .line;
		if (l > max_line)
			max_line = l;
	}
	int gutter = digits(max_line);

	header(r, dsrc, d->span.start, d->severity, d->message, d->rule->id);
	frame(r, dsrc, d->span, gutter);
	for (size_t i = 0; i < d->n_related; i++) {
		const wl_related *rel = &d->related[i];
		wl_source *rsrc = wl_render_src(rel->src, src);
		header(r, rsrc, rel->span.start, WL_SEV_NOTE, rel->message, NULL);
		frame(r, rsrc, rel->span, gutter);
	}
}

static void
text_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	size_t shown = wl_render_shown(&r->opts, diags);
	for (size_t i = 0; i < shown; i++)
		render_diag(r, src, &diags->items[i]);

	size_t limited = diags->len - shown;
	size_t omitted = limited + diags->dropped;
	if (!omitted)
		return;
	style(r, STYLE_BOLD);
	write_path(r, src);
	fputc(':', r->out);
	style(r, STYLE_RESET);
	fprintf(r->out, " %zu more diagnostic%s not shown ", omitted, omitted == 1 ? "" : "s");
	/* Past the list's storage limit raising the option would not help. */
	if (limited)
		fputs("(raise --max-diagnostics to see them)\n", r->out);
	else
		fprintf(r->out, "(at most %d are kept per file)\n", WL_DIAG_LIST_MAX);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void
text_finish(wl_renderer *r, const wl_summary *s)
{
	size_t e = s->by_sev[WL_SEV_ERROR], w = s->by_sev[WL_SEV_WARNING],
	       n = s->by_sev[WL_SEV_NOTE];
	if (r->fixing)
		fprintf(r->out, "%zu fix%s applied in %zu file%s\n", r->fixes,
		        r->fixes == 1 ? "" : "es", r->fixed_files, plural(r->fixed_files));
	if (e + w + n == 0)
		return;
	fprintf(r->out, "%zu error%s, %zu warning%s, %zu note%s in %zu file%s\n", e, plural(e), w,
	        plural(w), n, plural(n), s->files, plural(s->files));
}

const wl_render_ops wl_render_text_ops = {NULL, text_file, text_finish, NULL};
