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
	/* The sources are only borrowed for the call: forget their tables. */
	for (unsigned i = 0; i < WL_RENDER_COL_SLOTS; i++) {
		free(r->cols[i].blocks);
		r->cols[i] = (wl_render_cols){0};
	}
}

void
wl_renderer_unreadable(wl_renderer *r, const char *path, const char *reason)
{
	if (r->ops->unreadable)
		r->ops->unreadable(r, path, reason);
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

#define WL_RENDER_BLOCK 4096

static uint32_t
code_points(const char *s, uint32_t from, uint32_t to)
{
	uint32_t n = 0;
	for (uint32_t i = from; i < to; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static wl_render_cols *
cols_for(wl_renderer *r, const wl_source *src)
{
	for (unsigned i = 0; i < WL_RENDER_COL_SLOTS; i++)
		if (r->cols[i].src == src)
			return &r->cols[i];
	wl_render_cols *c = &r->cols[r->cols_next++ % WL_RENDER_COL_SLOTS];
	free(c->blocks);
	*c = (wl_render_cols){.src = src};
	return c;
}

/* Code points in the first `x` bytes, through the block table. */
static uint32_t
prefix_code_points(wl_renderer *r, const wl_source *src, uint32_t x)
{
	wl_render_cols *c = cols_for(r, src);
	if (!c->blocks) {
		c->n_blocks = src->len / WL_RENDER_BLOCK + 1;
		c->blocks = wl_xmalloc(c->n_blocks * sizeof(*c->blocks));
		c->blocks[0] = 0;
		for (size_t k = 1; k < c->n_blocks; k++)
			c->blocks[k] =
			    c->blocks[k - 1] + code_points(src->bytes,
			                                   (uint32_t)((k - 1) * WL_RENDER_BLOCK),
			                                   (uint32_t)(k * WL_RENDER_BLOCK));
	}
	uint32_t k = x / WL_RENDER_BLOCK;
	return c->blocks[k] + code_points(src->bytes, k * WL_RENDER_BLOCK, x);
}

wl_position
wl_render_position(wl_renderer *r, wl_source *src, uint32_t offset, uint32_t *line_start)
{
	if (offset > src->len)
		offset = (uint32_t)src->len;
	size_t lo = wl_source_line_index(src, offset);
	uint32_t start = src->line_starts[lo];
	bool bom = lo == 0 && src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0;
	if (line_start)
		*line_start = bom ? 3 : start;
	if (bom && offset >= 3)
		start = 3;
	/* As wl_source_position counts, but a long line costs two table
	 * look-ups instead of a scan from its start. */
	uint32_t cols =
	    offset - start <= 2 * WL_RENDER_BLOCK
	        ? code_points(src->bytes, start, offset)
	        : prefix_code_points(r, src, offset) - prefix_code_points(r, src, start);
	wl_position pos = {(uint32_t)lo + 1, cols + 1, offset};
	return pos;
}

/* Length of the code point (or invalid byte) at p. */
static size_t
cp_len(const unsigned char *p, size_t avail)
{
	size_t n = wl_utf8_valid_len(p, avail);
	return n ? n : 1;
}

typedef struct strbuf {
	char *s;
	size_t len, cap;
} strbuf;

static void
put(strbuf *b, const char *s, size_t n)
{
	wl_xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

char *
wl_render_shorten(const char *msg)
{
	const unsigned char *p = (const unsigned char *)msg;
	size_t n = strlen(msg), i = 0, shown = 0;
	strbuf b = {0};
	put(&b, "", 0);
	while (i < n) {
		if (shown >= WL_RENDER_MESSAGE_MAX) {
			put(&b, "\xE2\x80\xA6", 3);
			break;
		}
		if (p[i] == '"' || p[i] == '`') {
			/* The quoted value and, when it is long, where to cut it. */
			const char *close = strchr(msg + i + 1, msg[i]);
			size_t end = close ? (size_t)(close - msg) : n;
			size_t j = i + 1, count = 0, cut = 0;
			while (j < end && count <= WL_RENDER_QUOTE_MAX) {
				if (count == WL_RENDER_QUOTE_KEEP)
					cut = j;
				j += cp_len(p + j, n - j);
				count++;
			}
			if (count > WL_RENDER_QUOTE_MAX) {
				put(&b, msg + i, cut - i);
				put(&b, "\xE2\x80\xA6", 3);
				shown += WL_RENDER_QUOTE_KEEP + 2;
				if (close)
					put(&b, close, 1);
				i = close ? end + 1 : n;
				continue;
			}
			/* Short: keep it whole, so its closing quote opens nothing. */
			size_t stop = close ? end + 1 : n;
			put(&b, msg + i, stop - i);
			shown += count + 2;
			i = stop;
			continue;
		}
		size_t len = cp_len(p + i, n - i);
		put(&b, msg + i, len);
		i += len;
		shown++;
	}
	return b.s;
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
	/* Bidi controls and invisible format characters would reorder or hide
	 * what is shown (CVE-2021-42574): U+061C, U+200B..U+200F,
	 * U+2028..U+202E, U+2060..U+2064, U+2066..U+2069, U+FEFF. */
	if ((n == 2 && c == 0xD8 && p[1] == 0x9C) ||
	    (n == 3 && c == 0xE2 && p[1] == 0x80 &&
	     ((p[2] >= 0x8B && p[2] <= 0x8F) || (p[2] >= 0xA8 && p[2] <= 0xAE))) ||
	    (n == 3 && c == 0xE2 && p[1] == 0x81 &&
	     ((p[2] >= 0xA0 && p[2] <= 0xA4) || (p[2] >= 0xA6 && p[2] <= 0xA9))) ||
	    (n == 3 && c == 0xEF && p[1] == 0xBB && p[2] == 0xBF)) {
		*kind = WL_UNIT_ESCAPED;
		return n;
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
