/* Diagnostics as LSP objects, code actions and hover. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "lsp_impl.h"
#include "rules.h"
#include "toml.h"
#include "uri.h"
#include "xalloc.h"

/* The same documentation pages the SARIF output links (render_sarif.c). */
#define RULE_HELP_URI "https://github.com/wrangler-lint/wrangler-lint/blob/main/docs/rules/"

#define FIX_ALL_KIND "source.fixAll.wrangler-lint"

/* schemas/wrangler.schema.json, embedded by tools/embed.c (lsp_schema.c in
 * the build folder). */
extern const unsigned char wl_lsp_schema_json[];
extern const size_t wl_lsp_schema_json_len;

char *
wl_lsp_rule_href(const wl_rule *rule)
{
	return wl_xasprintf("%s%s.md", RULE_HELP_URI, rule->id);
}

static struct json_object *
member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;
	if (obj && json_object_is_type(obj, json_type_object))
		json_object_object_get_ex(obj, key, &v);
	return v;
}

static const char *
member_str(struct json_object *obj, const char *key)
{
	struct json_object *v = member(obj, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static struct json_object *
position(wl_source *src, uint32_t offset, wl_encoding enc, wl_unit_hint *hint)
{
	uint32_t line, col;
	wl_source_unit_position_hint(src, offset, enc, hint, &line, &col);
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "line", json_object_new_int64(line));
	json_object_object_add(p, "character", json_object_new_int64(col));
	return p;
}

struct json_object *
wl_lsp_range(wl_source *src, wl_span sp, wl_encoding enc, lsp_hints *h)
{
	bool use = h && h->src == src;
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "start", position(src, sp.start, enc, use ? &h->start : NULL));
	json_object_object_add(r, "end", position(src, sp.end, enc, use ? &h->end : NULL));
	return r;
}

/* A related note's range: its own hint, both ends. */
static struct json_object *
related_range(wl_source *src, wl_span sp, wl_encoding enc, lsp_hints *h)
{
	wl_unit_hint *hint = h && h->src == src ? &h->related : NULL;
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "start", position(src, sp.start, enc, hint));
	json_object_object_add(r, "end", position(src, sp.end, enc, hint));
	return r;
}

static int
severity(wl_severity sev)
{
	switch (sev) {
	case WL_SEV_ERROR:
		return 1;
	case WL_SEV_WARNING:
		return 2;
	case WL_SEV_NOTE:
		return 3; /* Information */
	}
	return 1;
}

/* DiagnosticTag: 1 Unnecessary, 2 Deprecated. */
static int
tag_of(const wl_rule *rule)
{
	if (strcmp(rule->id, "suppression-unused") == 0)
		return 1;
	if (strcmp(rule->id, "schema-deprecated") == 0)
		return 2;
	return 0;
}

char *
wl_lsp_source_uri(const lsp_doc *doc, const wl_source *src)
{
	if (src == wl_lsp_doc_result(doc)->doc->src)
		return wl_xstrdup(doc->uri);
	return wl_lsp_uri_from_path(src->path);
}

struct json_object *
wl_lsp_diagnostic(const lsp_server *s, const lsp_doc *doc, const wl_diag *d, lsp_hints *h)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "range", wl_lsp_range(d->src, d->span, s->enc, h));
	json_object_object_add(o, "severity", json_object_new_int(severity(d->severity)));
	json_object_object_add(o, "code", json_object_new_string(d->rule->id));
	struct json_object *desc = json_object_new_object();
	char *href = wl_lsp_rule_href(d->rule);
	json_object_object_add(desc, "href", json_object_new_string(href));
	free(href);
	json_object_object_add(o, "codeDescription", desc);
	json_object_object_add(o, "source", json_object_new_string("wrangler-lint"));
	json_object_object_add(o, "message", json_object_new_string(d->message));
	if (d->n_related) {
		struct json_object *list = json_object_new_array();
		for (size_t i = 0; i < d->n_related; i++) {
			wl_source *rs = d->related[i].src;
			struct json_object *loc = json_object_new_object();
			char *uri = wl_lsp_source_uri(doc, rs);
			json_object_object_add(loc, "uri", json_object_new_string(uri));
			free(uri);
			json_object_object_add(loc, "range",
			                       related_range(rs, d->related[i].span, s->enc, h));
			struct json_object *info = json_object_new_object();
			json_object_object_add(info, "location", loc);
			json_object_object_add(info, "message",
			                       json_object_new_string(d->related[i].message));
			json_object_array_add(list, info);
		}
		json_object_object_add(o, "relatedInformation", list);
	}
	int tag = tag_of(d->rule);
	if (tag) {
		struct json_object *tags = json_object_new_array();
		json_object_array_add(tags, json_object_new_int(tag));
		json_object_object_add(o, "tags", tags);
	}
	return o;
}

/* ---- code actions ---- */

static struct json_object *
text_edit(wl_source *src, wl_span sp, const char *text, wl_encoding enc, lsp_hints *h)
{
	struct json_object *e = json_object_new_object();
	json_object_object_add(e, "range", wl_lsp_range(src, sp, enc, h));
	json_object_object_add(e, "newText", json_object_new_string(text));
	return e;
}

/* A WorkspaceEdit changing one document; takes `edits`. */
static struct json_object *
workspace_edit(const lsp_doc *doc, struct json_object *edits)
{
	struct json_object *changes = json_object_new_object();
	json_object_object_add(changes, doc->uri, edits);
	struct json_object *w = json_object_new_object();
	json_object_object_add(w, "changes", changes);
	return w;
}

static struct json_object *
action(const char *title, const char *kind, struct json_object *diag, bool preferred,
       struct json_object *edit)
{
	struct json_object *a = json_object_new_object();
	json_object_object_add(a, "title", json_object_new_string(title));
	json_object_object_add(a, "kind", json_object_new_string(kind));
	if (diag) {
		struct json_object *list = json_object_new_array();
		json_object_array_add(list, diag);
		json_object_object_add(a, "diagnostics", list);
	}
	if (preferred)
		json_object_object_add(a, "isPreferred", json_object_new_boolean(1));
	json_object_object_add(a, "edit", edit);
	return a;
}

/* Does the client want actions of `kind`? `only` lists kinds and their
 * parents ("source" covers "source.fixAll.wrangler-lint"). */
static bool
wanted(struct json_object *only, const char *kind)
{
	if (!only || !json_object_is_type(only, json_type_array))
		return true;
	for (size_t i = 0; i < json_object_array_length(only); i++) {
		struct json_object *v = json_object_array_get_idx(only, i);
		if (!v || !json_object_is_type(v, json_type_string))
			continue;
		const char *k = json_object_get_string(v);
		size_t n = strlen(k);
		if (strncmp(kind, k, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
			return true;
	}
	return false;
}

/* Whether a fix may be applied without asking (preferred, and part of fix
 * all). */
static bool
fix_is_safe(const wl_diag *d)
{
	return d->n_fix > 0 && d->fix_safety == WL_FIX_SAFE;
}

/* Diagnostics about other files (a config's source files) are published
 * under those files; actions and hover are about this one. */
static bool
in_doc(const wl_lint_result *r, const wl_diag *d)
{
	return d->src == r->doc->src;
}

/* "disable RULE for this line": a directive comment above the diagnostic's
 * line, with that line's indentation and line break. */
/* When line `line` (0-based) is nothing but a line comment holding a
 * wrangler-lint-disable-next-line directive, the offset just after its last
 * rule id (before any " -- reason"); else 0. */
static uint32_t
directive_end(wl_source *src, uint32_t line, const char *marker)
{
	static const char word[] = "wrangler-lint-disable-next-line";
	uint32_t i = src->line_starts[line];
	uint32_t e = src->line_starts[line + 1];
	while (e > i && (src->bytes[e - 1] == '\n' || src->bytes[e - 1] == '\r'))
		e--;
	while (i < e && (src->bytes[i] == ' ' || src->bytes[i] == '\t'))
		i++;
	size_t m = strlen(marker);
	if (e - i < m || memcmp(src->bytes + i, marker, m) != 0)
		return 0;
	i += (uint32_t)m;
	while (i < e && (src->bytes[i] == ' ' || src->bytes[i] == '\t'))
		i++;
	size_t w = sizeof(word) - 1;
	if (e - i <= w || memcmp(src->bytes + i, word, w) != 0 ||
	    (src->bytes[i + w] != ' ' && src->bytes[i + w] != '\t'))
		return 0;
	uint32_t end = e;
	for (uint32_t k = i + (uint32_t)w; k + 1 < e; k++)
		if (src->bytes[k] == '-' && src->bytes[k + 1] == '-') {
			end = k;
			break;
		}
	while (end > i + w && (src->bytes[end - 1] == ' ' || src->bytes[end - 1] == '\t'))
		end--;
	return end > i + w ? end : 0; /* no rule named: not ours to extend */
}

static struct json_object *
disable_edit(const lsp_server *s, const lsp_doc *doc, const wl_diag *d)
{
	wl_source *src = wl_lsp_doc_result(doc)->doc->src;
	/* From the line table and the source's column memo, never scanning the
	 * whole line: cheap for every diagnostic of a minified file. */
	size_t n_lines = wl_source_line_count(src);
	uint32_t line = wl_source_position(src, d->span.start).line - 1;
	uint32_t start = src->line_starts[line];
	if (line == 0 && src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0)
		start = 3; /* after the byte order mark */
	uint32_t next = line + 1 < n_lines ? src->line_starts[line + 1] : (uint32_t)src->len;
	uint32_t i = start;
	while (i < next && (src->bytes[i] == ' ' || src->bytes[i] == '\t'))
		i++;
	const char *eol = "\n";
	if (next > start && src->bytes[next - 1] == '\n')
		eol = next - 1 > start && src->bytes[next - 2] == '\r' ? "\r\n" : "\n";
	else if (next > start && src->bytes[next - 1] == '\r')
		eol = "\r";
	else if (n_lines > 1) /* the last line: the break the others use */
		eol = src->bytes[src->line_starts[1] - 1] == '\r' ? "\r"
		      : src->line_starts[1] >= 2 && src->bytes[src->line_starts[1] - 2] == '\r'
		          ? "\r\n"
		          : "\n";
	const char *marker = wl_path_is_toml(doc->path) ? "#" : "//";
	struct json_object *edits = json_object_new_array();
	uint32_t at = line > 0 ? directive_end(src, line - 1, marker) : 0;
	if (at) { /* the line above already disables rules for this one: add this rule */
		char *text = wl_xasprintf(", %s", d->rule->id);
		json_object_array_add(edits,
		                      text_edit(src, wl_span_make(at, at), text, s->enc, NULL));
		free(text);
		return workspace_edit(doc, edits);
	}
	char *text = wl_xasprintf("%.*s%s wrangler-lint-disable-next-line %s%s", (int)(i - start),
	                          src->bytes + start, marker, d->rule->id, eol);
	json_object_array_add(edits,
	                      text_edit(src, wl_span_make(start, start), text, s->enc, NULL));
	free(text);
	return workspace_edit(doc, edits);
}

static bool
can_disable(const lsp_doc *doc, const wl_diag *d)
{
	/* A comment in a .json file is a problem of its own; the project file
	 * has no suppressions; suppression directives are not suppressed. */
	return doc->kind == LSP_CONFIG && !wl_path_is_strict_json(doc->path) &&
	       strcmp(d->rule->family, "suppression") != 0;
}

/* Works out what `wrangler-lint --fix` would write (wl_fix_run: every safe
 * fix, rounds of apply-then-relint, fixes that bring new problems dropped)
 * as the one span of the text that changes, once per lint. */
static void
work_out_fix_all(lsp_server *s, lsp_doc *doc)
{
	if (doc->fix_all_done)
		return;
	doc->fix_all_done = true;
	const wl_lint_result *r = wl_lsp_doc_result(doc);
	bool any = false;
	for (size_t i = 0; i < r->diags.len && !any; i++)
		any = fix_is_safe(&r->diags.items[i]) && in_doc(r, &r->diags.items[i]);
	if (!any || doc->kind != LSP_CONFIG)
		return; /* the common case costs no second lint */
	wl_lint_options o;
	wl_lsp_lint_options(s, doc, &o);
	const char *old = doc->text->bytes;
	size_t old_len = doc->text->len;
	wl_fix_result *fr = wl_fix_run(doc->path, old, old_len, &o, false);
	if (fr->changed) {
		size_t pre = 0, suf = 0;
		while (pre < old_len && pre < fr->len && old[pre] == fr->text[pre])
			pre++;
		while (suf < old_len - pre && suf < fr->len - pre &&
		       old[old_len - 1 - suf] == fr->text[fr->len - 1 - suf])
			suf++;
		/* An edit must not split a UTF-8 sequence: positions are counted
		 * in characters. */
		while (pre > 0 && ((unsigned char)old[pre] & 0xC0) == 0x80)
			pre--;
		while (suf > 0 && ((unsigned char)old[old_len - suf] & 0xC0) == 0x80)
			suf--;
		doc->fix_all_span = wl_span_make((uint32_t)pre, (uint32_t)(old_len - suf));
		doc->fix_all_text = wl_xstrndup(fr->text + pre, fr->len - pre - suf);
		doc->fix_all_fixes = fr->applied;
	}
	wl_fix_result_free(fr);
}

struct json_object *
wl_lsp_code_actions(lsp_server *s, lsp_doc *doc, struct json_object *params)
{
	const wl_lint_result *r = wl_lsp_doc_result(doc);
	struct json_object *list = json_object_new_array();
	wl_source *src = r->doc->src;
	uint32_t rs = 0, re = (uint32_t)src->len;
	struct json_object *range = member(params, "range");
	if (range)
		wl_lsp_range_offsets(src, range, s->enc, &rs, &re);
	struct json_object *only = member(member(params, "context"), "only");
	bool quick = wanted(only, "quickfix");
	lsp_hints hd = {.src = src}, he = {.src = src};
	for (size_t i = 0; quick && i < r->diags.len; i++) {
		const wl_diag *d = &r->diags.items[i];
		if (!in_doc(r, d) || !(d->span.start <= re && d->span.end >= rs))
			continue;
		if (d->n_fix) {
			struct json_object *edits = json_object_new_array();
			for (size_t k = 0; k < d->n_fix; k++)
				json_object_array_add(
				    edits,
				    text_edit(src, d->fix[k].span, d->fix[k].text, s->enc, &he));
			char *title = d->fix_title ? wl_xstrdup(d->fix_title)
			                           : wl_xasprintf("Fix %s", d->rule->id);
			json_object_array_add(
			    list, action(title, "quickfix", wl_lsp_diagnostic(s, doc, d, &hd),
			                 fix_is_safe(d), workspace_edit(doc, edits)));
			free(title);
		}
		if (can_disable(doc, d)) {
			char *title = wl_xasprintf("Disable %s for this line", d->rule->id);
			json_object_array_add(list, action(title, "quickfix",
			                                   wl_lsp_diagnostic(s, doc, d, &hd), false,
			                                   disable_edit(s, doc, d)));
			free(title);
		}
	}
	if (wanted(only, FIX_ALL_KIND)) {
		work_out_fix_all(s, doc);
		if (doc->fix_all_text) {
			lsp_hints h = {.src = doc->text};
			struct json_object *edits = json_object_new_array();
			json_object_array_add(edits, text_edit(doc->text, doc->fix_all_span,
			                                       doc->fix_all_text, s->enc, &h));
			char *title = wl_xasprintf("Fix all safe wrangler-lint problems (%zu)",
			                           doc->fix_all_fixes);
			json_object_array_add(list, action(title, FIX_ALL_KIND, NULL, false,
			                                   workspace_edit(doc, edits)));
			free(title);
		}
	}
	return list;
}

/* ---- hover ---- */

/* The built-in schema as a json-c tree, parsed once on the first hover
 * (under pthread_once, so servers in several threads share it safely) and
 * never changed; it lives as long as the process, like the compiled
 * patterns, with no atexit handler in library code. */
static struct json_object *schema_root;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

static void
schema_parse(void)
{
	schema_root = json_tokener_parse((const char *)wl_lsp_schema_json);
}

static struct json_object *
schema(void)
{
	pthread_once(&schema_once, schema_parse);
	return schema_root;
}

/* Follows local "$ref"s ("#/definitions/X", JSON pointers); other references
 * and cycles stop the walk. */
static struct json_object *
resolve(struct json_object *s)
{
	for (int hops = 0; s && hops < 16; hops++) {
		const char *ref = member_str(s, "$ref");
		if (!ref || ref[0] != '#')
			return s;
		struct json_object *t = schema();
		const char *p = ref + 1;
		while (t && *p == '/') {
			p++;
			size_t n = strcspn(p, "/");
			char *seg = wl_xmalloc(n + 1), *w = seg;
			for (size_t i = 0; i < n; i++) {
				if (p[i] == '~' && i + 1 < n &&
				    (p[i + 1] == '0' || p[i + 1] == '1')) {
					*w++ = p[i + 1] == '0' ? '~' : '/';
					i++;
				} else {
					*w++ = p[i];
				}
			}
			*w = '\0';
			t = member(t, seg);
			free(seg);
			p += n;
		}
		s = t;
	}
	return s;
}

/* The schema of member `key` (or of an array item when key is NULL) of a
 * value described by `s`: properties, then the branches of anyOf / oneOf /
 * allOf, then additionalProperties. */
static struct json_object *
sub_schema(struct json_object *s, const char *key, int depth)
{
	s = resolve(s);
	if (!s || depth > 8)
		return NULL;
	struct json_object *v = key ? member(member(s, "properties"), key) : member(s, "items");
	if (v && json_object_is_type(v, json_type_object))
		return v;
	static const char *const combiners[] = {"anyOf", "oneOf", "allOf"};
	for (size_t c = 0; c < 3; c++) {
		struct json_object *list = member(s, combiners[c]);
		if (!list || !json_object_is_type(list, json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *r =
			    sub_schema(json_object_array_get_idx(list, i), key, depth + 1);
			if (r)
				return r;
		}
	}
	v = key ? member(s, "additionalProperties") : NULL;
	return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static void buf_add(buf *b, const char *fmt, ...) WL_PRINTF(2, 3);

static void
buf_add(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = wl_xvasprintf(fmt, ap);
	va_end(ap);
	size_t n = strlen(s);
	wl_xgrow((void **)&b->p, &b->cap, b->len + n + 1, 1);
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
	free(s);
}

static const char *
json_text(struct json_object *v)
{
	return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                 JSON_C_TO_STRING_NOSLASHESCAPE)
	         : "null";
}

/* The types a schema allows, from "type" or its branches'. */
static void
add_types(buf *b, struct json_object *s, int depth, bool *first)
{
	s = resolve(s);
	if (!s || depth > 4)
		return;
	struct json_object *t = member(s, "type");
	if (t && json_object_is_type(t, json_type_string)) {
		buf_add(b, "%s`%s`", *first ? "" : " | ", json_object_get_string(t));
		*first = false;
		return;
	}
	if (t && json_object_is_type(t, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(t); i++) {
			buf_add(b, "%s`%s`", *first ? "" : " | ",
			        json_object_get_string(json_object_array_get_idx(t, i)));
			*first = false;
		}
		return;
	}
	static const char *const combiners[] = {"anyOf", "oneOf"};
	for (size_t c = 0; c < 2; c++) {
		struct json_object *list = member(s, combiners[c]);
		for (size_t i = 0; list && json_object_is_type(list, json_type_array) &&
		                   i < json_object_array_length(list);
		     i++)
			add_types(b, json_object_array_get_idx(list, i), depth + 1, first);
	}
}

static void
describe_key(buf *b, const char *name, struct json_object *raw)
{
	struct json_object *s = resolve(raw);
	buf_add(b, "**%s**", name);
	bool first = true;
	buf one = {0};
	add_types(&one, raw, 0, &first);
	if (one.len)
		buf_add(b, ": %s", one.p);
	free(one.p);
	buf_add(b, "\n\n");
	const char *desc = member_str(raw, "description");
	if (!desc)
		desc = member_str(s, "description");
	if (desc)
		buf_add(b, "%s\n\n", desc);
	struct json_object *en = member(s, "enum");
	if (en && json_object_is_type(en, json_type_array)) {
		buf_add(b, "Allowed values:");
		for (size_t i = 0; i < json_object_array_length(en); i++)
			buf_add(b, "%s `%s`", i ? "," : "",
			        json_text(json_object_array_get_idx(en, i)));
		buf_add(b, "\n\n");
	}
	struct json_object *cst = member(s, "const");
	if (cst || (s && json_object_object_get_ex(s, "const", NULL)))
		buf_add(b, "Value: `%s`\n\n", json_text(cst));
	const char *pat = member_str(s, "x-pattern-description");
	if (pat)
		buf_add(b, "Format: %s\n\n", pat);
	struct json_object *def = NULL;
	if (s && json_object_object_get_ex(s, "default", &def))
		buf_add(b, "Default: `%s`\n\n", json_text(def));
	struct json_object *dep = member(raw, "deprecated");
	if (!dep)
		dep = member(s, "deprecated");
	if (dep && json_object_is_type(dep, json_type_string))
		buf_add(b, "**Deprecated**: %s\n\n", json_object_get_string(dep));
	else if (dep && json_object_is_type(dep, json_type_boolean) && json_object_get_boolean(dep))
		buf_add(b, "**Deprecated**\n\n");
	const char *removed = member_str(raw, "x-removed");
	if (!removed)
		removed = member_str(s, "x-removed");
	if (removed)
		buf_add(b, "**Removed from wrangler**: %s\n\n", removed);
}

/* The deepest member or item whose key or value holds `off`. */
static const wl_node *
node_at(const wl_node *root, uint32_t off, bool *on_key)
{
	const wl_node *n = root;
	*on_key = false;
	while (n) {
		const wl_node *next = NULL;
		for (const wl_node *c = n->first_child; c && !next; c = c->next) {
			wl_span sp =
			    c->key ? wl_span_make(c->key_span.start, c->span.end) : c->span;
			if (sp.start <= off && off < sp.end)
				next = c;
		}
		if (!next)
			break;
		n = next;
		if (n->key && n->key_span.start <= off && off < n->key_span.end) {
			*on_key = true;
			break;
		}
	}
	return n == root ? NULL : n;
}

/* The schema of a node: the built-in schema walked along its key path. */
static struct json_object *
node_schema(const wl_node *n)
{
	size_t depth = 0;
	for (const wl_node *p = n; p && p->parent; p = p->parent)
		depth++;
	const wl_node **path = wl_xcalloc(depth ? depth : 1, sizeof(*path));
	size_t k = 0;
	for (const wl_node *p = n; p && p->parent; p = p->parent)
		path[k++] = p;
	struct json_object *s = schema();
	while (s && k--) {
		const wl_node *p = path[k];
		s = sub_schema(s, p->parent->type == json_type_object ? p->key : NULL, 0);
	}
	free(path);
	return s;
}

struct json_object *
wl_lsp_hover(const lsp_server *s, const lsp_doc *doc, struct json_object *params)
{
	const wl_lint_result *r = wl_lsp_doc_result(doc);
	wl_source *src = r->doc->src;
	uint32_t off;
	if (!wl_lsp_position_offset(src, member(params, "position"), s->enc, &off))
		return NULL;
	buf b = {0};
	wl_span range = {off, off};
	bool have_range = false;
	bool on_key = false;
	const wl_node *n =
	    doc->kind == LSP_CONFIG && r->doc->root ? node_at(r->doc->root, off, &on_key) : NULL;
	bool scalar = n && n->type != json_type_object && n->type != json_type_array;
	if (n && n->key && (on_key || scalar)) {
		struct json_object *sch = node_schema(n);
		if (sch) {
			describe_key(&b, n->key, sch);
			range = on_key ? n->key_span : n->span;
			have_range = true;
		}
	}
	/* Each rule once, and a handful at most: a hover is read at a glance. */
	const wl_rule *shown[8];
	size_t n_shown = 0;
	for (size_t i = 0; i < r->diags.len && n_shown < 8; i++) {
		const wl_diag *d = &r->diags.items[i];
		if (!in_doc(r, d))
			continue;
		bool in = d->span.start == d->span.end ? off == d->span.start
		                                       : d->span.start <= off && off < d->span.end;
		bool seen = false;
		for (size_t k = 0; k < n_shown && !seen; k++)
			seen = shown[k] == d->rule;
		if (!in || seen)
			continue;
		shown[n_shown++] = d->rule;
		char *href = wl_lsp_rule_href(d->rule);
		buf_add(&b, "%s**%s** (%s): %s. [Rule documentation](%s)\n\n",
		        b.len ? "---\n\n" : "", d->rule->id, wl_severity_name(d->severity),
		        d->rule->summary, href);
		free(href);
		if (!have_range) {
			range = d->span;
			have_range = true;
		}
	}
	if (!b.len)
		return NULL;
	while (b.len && b.p[b.len - 1] == '\n')
		b.p[--b.len] = '\0';
	struct json_object *contents = json_object_new_object();
	json_object_object_add(contents, "kind", json_object_new_string("markdown"));
	json_object_object_add(contents, "value", json_object_new_string(b.p));
	free(b.p);
	struct json_object *h = json_object_new_object();
	json_object_object_add(h, "contents", contents);
	json_object_object_add(h, "range", wl_lsp_range(src, range, s->enc, NULL));
	return h;
}

/* ---- completion ---- */

/* The object whose braces hold `off` (the root when no deeper one does). */
static const wl_node *
object_at(const wl_node *root, uint32_t off, const wl_node **member_at)
{
	const wl_node *n = root;
	*member_at = NULL;
	for (;;) {
		const wl_node *next = NULL;
		for (const wl_node *c = n->first_child; c && !next; c = c->next) {
			uint32_t start = c->key ? c->key_span.start : c->span.start;
			if (start <= off && off <= c->span.end)
				next = c;
		}
		if (!next)
			break;
		bool container = next->type == json_type_object || next->type == json_type_array;
		if (!container || !(next->span.start < off && off < next->span.end)) {
			*member_at = next;
			break;
		}
		n = next;
	}
	return n->type == json_type_object && !(n->flags & WL_NODE_INVALID) ? n : NULL;
}

typedef struct name_list {
	const char **names;
	struct json_object **schemas;
	size_t len, cap;
} name_list;

/* Every property an object schema names, its branches' included. */
static void
collect_properties(struct json_object *s, int depth, name_list *out)
{
	s = resolve(s);
	if (!s || depth > 6)
		return;
	struct json_object *props = member(s, "properties");
	if (props && json_object_is_type(props, json_type_object)) {
		json_object_object_foreach(props, key, val)
		{
			bool seen = false;
			for (size_t i = 0; i < out->len && !seen; i++)
				seen = strcmp(out->names[i], key) == 0;
			if (seen || !val || !json_object_is_type(val, json_type_object))
				continue;
			size_t cap = out->cap;
			wl_xgrow((void **)&out->names, &out->cap, out->len + 1,
			         sizeof(*out->names));
			wl_xgrow((void **)&out->schemas, &cap, out->len + 1, sizeof(*out->schemas));
			out->names[out->len] = key;
			out->schemas[out->len++] = val;
		}
	}
	static const char *const combiners[] = {"anyOf", "oneOf", "allOf"};
	for (size_t c = 0; c < 3; c++) {
		struct json_object *list = member(s, combiners[c]);
		for (size_t i = 0; list && json_object_is_type(list, json_type_array) &&
		                   i < json_object_array_length(list);
		     i++)
			collect_properties(json_object_array_get_idx(list, i), depth + 1, out);
	}
}

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '$' || c == '"';
}

struct json_object *
wl_lsp_completion(const lsp_server *s, const lsp_doc *doc, struct json_object *params)
{
	const wl_lint_result *r = wl_lsp_doc_result(doc);
	wl_source *src = r->doc->src;
	struct json_object *items = json_object_new_array();
	uint32_t off;
	/* Keys are written as JSONC here; TOML tables and dotted keys are left
	 * to the editor. */
	if (doc->kind != LSP_CONFIG || !r->doc->root || wl_path_is_toml(doc->path) ||
	    !wl_lsp_position_offset(src, member(params, "position"), s->enc, &off))
		return items;
	const wl_node *at = NULL;
	const wl_node *obj = object_at(r->doc->root, off, &at);
	if (!obj)
		return items;
	/* A value is being typed, not a key: nothing to offer. */
	if (at && at->key && !(at->key_span.start <= off && off <= at->key_span.end))
		return items;
	struct json_object *sch = node_schema(obj);
	name_list names = {0};
	collect_properties(sch, 0, &names);
	/* What the completion replaces: the key being typed, with its quotes. */
	wl_span replace = {off, off};
	uint32_t limit = (uint32_t)src->len;
	if (at && at->key) {
		/* An unterminated key's span runs to the end of the line: stop at
		 * what can be part of a key. */
		replace.start = at->key_span.start;
		limit = at->key_span.end;
	} else {
		while (replace.start > 0 && is_key_char(src->bytes[replace.start - 1]))
			replace.start--;
	}
	while (replace.end < limit && is_key_char(src->bytes[replace.end]))
		replace.end++;
	/* A key typed over an existing member keeps that member's colon. */
	bool has_colon = false;
	if (at && at->key) {
		uint32_t j = at->key_span.end;
		while (j < src->len && (src->bytes[j] == ' ' || src->bytes[j] == '\t'))
			j++;
		has_colon = j < src->len && src->bytes[j] == ':';
	}
	for (size_t i = 0; i < names.len; i++) {
		const char *name = names.names[i];
		struct json_object *ps = resolve(names.schemas[i]);
		if (member(names.schemas[i], "x-removed") || member(ps, "x-removed"))
			continue;
		bool present = false;
		WL_NODE_FOREACH(m, obj)
		{
			if (m != at && m->key && strcmp(m->key, name) == 0)
				present = true;
		}
		if (present)
			continue;
		struct json_object *item = json_object_new_object();
		json_object_object_add(item, "label", json_object_new_string(name));
		json_object_object_add(item, "kind", json_object_new_int(10)); /* Property */
		buf detail = {0};
		bool first = true;
		add_types(&detail, names.schemas[i], 0, &first);
		size_t w = 0; /* plain text: no Markdown code marks */
		for (size_t k = 0; k < detail.len; k++)
			if (detail.p[k] != '`')
				detail.p[w++] = detail.p[k];
		if (detail.len)
			detail.p[w] = '\0';
		if (detail.len)
			json_object_object_add(item, "detail", json_object_new_string(detail.p));
		free(detail.p);
		buf doc_text = {0};
		describe_key(&doc_text, name, names.schemas[i]);
		while (doc_text.len && doc_text.p[doc_text.len - 1] == '\n')
			doc_text.p[--doc_text.len] = '\0';
		struct json_object *md = json_object_new_object();
		json_object_object_add(md, "kind", json_object_new_string("markdown"));
		json_object_object_add(md, "value", json_object_new_string(doc_text.p));
		json_object_object_add(item, "documentation", md);
		free(doc_text.p);
		if (member(names.schemas[i], "deprecated") || member(ps, "deprecated")) {
			struct json_object *tags = json_object_new_array();
			json_object_array_add(tags, json_object_new_int(1)); /* Deprecated */
			json_object_object_add(item, "tags", tags);
		}
		char *quoted = wl_xasprintf("\"%s\"", name);
		json_object_object_add(item, "filterText", json_object_new_string(quoted));
		char *text = has_colon ? wl_xstrdup(quoted) : wl_xasprintf("%s: ", quoted);
		free(quoted);
		json_object_object_add(item, "textEdit",
		                       text_edit(src, replace, text, s->enc, NULL));
		free(text);
		json_object_array_add(items, item);
	}
	free(names.names);
	free(names.schemas);
	return items;
}
