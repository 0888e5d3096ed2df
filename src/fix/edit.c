#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* ---- style ---- */

static const char *
src_bytes(const wl_doc *doc)
{
	return doc->src->bytes;
}

/* The offset after the comment that starts at `at`, or `at` when none does. */
static uint32_t
skip_comment(const char *s, uint32_t len, uint32_t at)
{
	if (at + 1 >= len || s[at] != '/')
		return at;
	if (s[at + 1] == '/') {
		while (at < len && s[at] != '\n' && s[at] != '\r')
			at++;
	} else if (s[at + 1] == '*') {
		const char *e = strstr(s + at + 2, "*/");
		at = e ? (uint32_t)(e - s) + 2 : len;
	}
	return at;
}

/* The offset after whitespace and comments from `at`. */
static uint32_t
skip_space(const char *s, uint32_t len, uint32_t at)
{
	while (at < len) {
		char c = s[at];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			at++;
			continue;
		}
		uint32_t next = skip_comment(s, len, at);
		if (next == at)
			break;
		at = next;
	}
	return at;
}

static bool
has_newline(const char *s, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

static const wl_node *
last_child(const wl_node *n)
{
	const wl_node *last = NULL;
	for (const wl_node *c = n->first_child; c; c = c->next)
		last = c;
	return last;
}

/* Whether a container has a comma after its last child. */
static bool
trailing_comma(const wl_doc *doc, const wl_node *n, uint32_t *comma_at)
{
	const wl_node *last = last_child(n);
	if (!last)
		return false;
	uint32_t at = skip_space(src_bytes(doc), (uint32_t)doc->src->len, last->span.end);
	if (at < doc->src->len && src_bytes(doc)[at] == ',') {
		if (comma_at)
			*comma_at = at;
		return true;
	}
	return false;
}

static void
count_trailing(const wl_doc *doc, const wl_node *n, size_t *yes, size_t *no, int depth)
{
	if (!n || depth > 64 || (n->type != json_type_object && n->type != json_type_array))
		return;
	const wl_node *last = last_child(n);
	if (last && has_newline(src_bytes(doc), last->span.end, n->span.end)) {
		if (trailing_comma(doc, n, NULL))
			(*yes)++;
		else
			(*no)++;
	}
	for (const wl_node *c = n->first_child; c; c = c->next)
		count_trailing(doc, c, yes, no, depth + 1);
}

void
wl_text_style_detect(const wl_doc *doc, wl_text_style *out)
{
	memset(out, 0, sizeof(*out));
	const char *s = src_bytes(doc);
	size_t len = doc->src->len;
	size_t crlf = 0, lf = 0, tabs = 0, spaces = 0;
	size_t steps[17] = {0};
	size_t prev = 0;
	bool prev_spaces = false;
	for (size_t at = 0; at < len;) {
		size_t e = at;
		while (e < len && s[e] != '\n')
			e++;
		if (e < len) {
			if (e > at && s[e - 1] == '\r')
				crlf++;
			else
				lf++;
		}
		size_t w = at;
		while (w < e && (s[w] == ' ' || s[w] == '\t'))
			w++;
		bool blank = w == e || (w + 1 == e && s[w] == '\r');
		if (!blank) {
			if (w > at && s[at] == '\t') {
				tabs++;
				prev_spaces = false;
			} else {
				size_t n = w - at;
				if (n)
					spaces++;
				if (prev_spaces && n > prev && n - prev <= 16)
					steps[n - prev]++;
				prev = n;
				prev_spaces = true;
			}
		}
		at = e + 1;
	}
	out->eol = crlf > lf ? "\r\n" : "\n";
	size_t best = 0;
	for (size_t k = 1; k <= 16; k++)
		if (steps[k] > steps[best])
			best = k;
	if (spaces > tabs && best) {
		memset(out->indent, ' ', best);
		out->indent[best] = '\0';
	} else {
		strcpy(out->indent, "\t");
	}
	size_t yes = 0, no = 0;
	count_trailing(doc, doc->root, &yes, &no, 0);
	out->trailing_comma = yes > no;
}

const wl_text_style *
wl_text_style_get(const wl_doc *doc, wl_text_style_cache *c)
{
	if (!c->ready) {
		wl_text_style_detect(doc, &c->st);
		c->ready = true;
	}
	return &c->st;
}

char *
wl_fix_line_indent(const wl_doc *doc, uint32_t offset)
{
	const char *s = src_bytes(doc);
	uint32_t start = offset;
	while (start > 0 && s[start - 1] != '\n' && s[start - 1] != '\r')
		start--;
	uint32_t e = start;
	while (e < doc->src->len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	return wl_xstrndup(s + start, e - start);
}

/* ---- formatting ---- */

static void
json_scalar(wl_strbuf *b, struct json_object *v)
{
	wl_strbuf_str(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
json_key(wl_strbuf *b, const char *key)
{
	struct json_object *k = json_object_new_string(key);
	json_scalar(b, k);
	json_object_put(k);
}

static bool
is_scalar(struct json_object *v)
{
	return !json_object_is_type(v, json_type_object) &&
	       !json_object_is_type(v, json_type_array);
}

/* The node a value came from, when it came from this document. */
static const wl_node *
doc_node(const wl_doc *doc, struct json_object *v)
{
	const wl_node *n = v ? wl_node_of(v) : NULL;
	if (n && n->span.end <= doc->src->len && n->span.start < n->span.end)
		return n;
	return NULL;
}

static void format_value(wl_strbuf *b, const wl_doc *doc, const wl_text_style *st,
                         struct json_object *v, const char *base, bool inline_objects, int depth);

static void
newline_indent(wl_strbuf *b, const wl_text_style *st, const char *base, int extra)
{
	wl_strbuf_str(b, st->eol);
	wl_strbuf_str(b, base);
	for (int i = 0; i < extra; i++)
		wl_strbuf_str(b, st->indent);
}

static void
format_value(wl_strbuf *b, const wl_doc *doc, const wl_text_style *st, struct json_object *v,
             const char *base, bool inline_objects, int depth)
{
	const wl_node *n = doc_node(doc, v);
	if (!v) {
		wl_strbuf_str(b, "null");
		return;
	}
	if (is_scalar(v)) {
		if (n)
			wl_strbuf_add(b, src_bytes(doc) + n->span.start,
			              n->span.end - n->span.start);
		else
			json_scalar(b, v);
		return;
	}
	if (n && !has_newline(src_bytes(doc), n->span.start, n->span.end)) {
		/* Written on one line: copied as the person wrote it. */
		wl_strbuf_add(b, src_bytes(doc) + n->span.start, n->span.end - n->span.start);
		return;
	}
	if (depth > 64)
		inline_objects = true;
	char *inner = wl_xasprintf("%s%s", base, st->indent);
	if (json_object_is_type(v, json_type_array)) {
		size_t len = json_object_array_length(v);
		bool flat = true;
		for (size_t i = 0; i < len && flat; i++)
			flat = is_scalar(json_object_array_get_idx(v, i));
		wl_strbuf one = {0};
		if (flat || inline_objects) {
			wl_strbuf_str(&one, "[");
			for (size_t i = 0; i < len; i++) {
				if (i)
					wl_strbuf_str(&one, ", ");
				format_value(&one, doc, st, json_object_array_get_idx(v, i), inner,
				             true, depth + 1);
			}
			wl_strbuf_str(&one, "]");
		}
		if (one.s && (inline_objects || one.len <= 60)) {
			wl_strbuf_str(b, one.s);
		} else {
			wl_strbuf_str(b, "[");
			for (size_t i = 0; i < len; i++) {
				if (i)
					wl_strbuf_str(b, ",");
				newline_indent(b, st, inner, 0);
				format_value(b, doc, st, json_object_array_get_idx(v, i), inner,
				             inline_objects, depth + 1);
			}
			if (st->trailing_comma && len)
				wl_strbuf_str(b, ",");
			if (len)
				newline_indent(b, st, base, 0);
			wl_strbuf_str(b, "]");
		}
		free(one.s);
		free(inner);
		return;
	}
	size_t i = 0;
	if (json_object_object_length(v) == 0) {
		wl_strbuf_str(b, "{}");
		free(inner);
		return;
	}
	wl_strbuf_str(b, inline_objects ? "{ " : "{");
	json_object_object_foreach(v, key, val)
	{
		if (i++)
			wl_strbuf_str(b, inline_objects ? ", " : ",");
		if (!inline_objects)
			newline_indent(b, st, inner, 0);
		json_key(b, key);
		wl_strbuf_str(b, ": ");
		format_value(b, doc, st, val, inner, inline_objects, depth + 1);
	}
	if (inline_objects) {
		wl_strbuf_str(b, " }");
	} else {
		if (st->trailing_comma)
			wl_strbuf_str(b, ",");
		newline_indent(b, st, base, 0);
		wl_strbuf_str(b, "}");
	}
	free(inner);
}

char *
wl_fix_format_value(const wl_doc *doc, const wl_text_style *st, struct json_object *v,
                    const char *base, bool inline_objects)
{
	wl_strbuf b = {0};
	format_value(&b, doc, st, v, base, inline_objects, 0);
	return wl_strbuf_take(&b);
}

/* ---- edits for generators ---- */

/* The offset where the line holding `at` ends (before its line break), after
 * any comment that starts on it; `*clean` is false when something other than
 * whitespace and comments comes first (then that offset is returned). */
static uint32_t
line_end_after(const char *s, uint32_t len, uint32_t at, bool *clean)
{
	*clean = true;
	while (at < len) {
		char c = s[at];
		if (c == '\n' || c == '\r')
			return at;
		if (c == ' ' || c == '\t') {
			at++;
			continue;
		}
		uint32_t next = skip_comment(s, len, at);
		if (next == at) {
			*clean = false;
			return at;
		}
		at = next;
	}
	return at;
}

typedef struct child {
	const char *key; /* NULL for array items */
	struct json_object *value;
} child;

/* The children as text: one per line at `indent` (the first line's indent is
 * the caller's), or all on one line. */
static char *
children_text(const wl_doc *doc, const wl_text_style *st, const child *c, size_t n,
              const char *indent, bool inline_objects, bool one_line)
{
	wl_strbuf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (i && one_line) {
			wl_strbuf_str(&b, ", ");
		} else if (i) {
			wl_strbuf_str(&b, ",");
			newline_indent(&b, st, indent, 0);
		}
		if (c[i].key) {
			json_key(&b, c[i].key);
			wl_strbuf_str(&b, ": ");
		}
		char *v =
		    wl_fix_format_value(doc, st, c[i].value, indent, inline_objects || one_line);
		wl_strbuf_str(&b, v);
		free(v);
	}
	return wl_strbuf_take(&b);
}

static bool
append_children(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *obj,
                bool members, const child *kids, size_t n_kids, const char *title)
{
	const char *s = src_bytes(doc);
	uint32_t len = (uint32_t)doc->src->len;
	char open = members ? '{' : '[', close = members ? '}' : ']';
	if (doc->toml) /* the edits are JSON text */
		return false;
	if (!obj || !n_kids || obj->span.end < obj->span.start + 2 || obj->span.end > len ||
	    s[obj->span.start] != open || s[obj->span.end - 1] != close ||
	    (obj->flags & WL_NODE_INVALID))
		return false;
	uint32_t o = obj->span.start, c = obj->span.end - 1;
	const wl_node *last = last_child(obj);
	wl_strbuf b = {0};
	if (!last) {
		char *outer = wl_fix_line_indent(doc, o);
		char *inner = wl_xasprintf("%s%s", outer, st->indent);
		bool only_space =
		    skip_space(s, len, o + 1) == c && !memchr(s + o + 1, '/', c - o - 1);
		/* Inside a parent written on one line, the new children stay on it. */
		bool one_line =
		    obj->parent && !has_newline(s, obj->parent->span.start, obj->parent->span.end);
		if (only_space && one_line) {
			char *m = children_text(doc, st, kids, n_kids, inner, true, true);
			if (members)
				wl_strbuf_str(&b, " ");
			wl_strbuf_str(&b, m);
			if (members)
				wl_strbuf_str(&b, " ");
			wl_diag_add_edit(d, title, wl_span_make(o + 1, c), b.s);
			free(m);
		} else if (only_space) {
			/* "{}" or "[ ]": the new children on their own lines. */
			char *m = children_text(doc, st, kids, n_kids, inner, false, false);
			newline_indent(&b, st, inner, 0);
			wl_strbuf_str(&b, m);
			if (st->trailing_comma)
				wl_strbuf_str(&b, ",");
			newline_indent(&b, st, outer, 0);
			wl_diag_add_edit(d, title, wl_span_make(o + 1, c), b.s);
			free(m);
		} else {
			/* Comments inside: the children go before the closer, which
			 * keeps them where they are. */
			uint32_t ls = c;
			while (ls > o + 1 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
				ls--;
			bool own_line = s[ls - 1] == '\n' || s[ls - 1] == '\r';
			char *m = children_text(doc, st, kids, n_kids, inner, !own_line, !own_line);
			if (own_line) {
				wl_strbuf_str(&b, inner);
				wl_strbuf_str(&b, m);
				if (st->trailing_comma)
					wl_strbuf_str(&b, ",");
				wl_strbuf_str(&b, st->eol);
				wl_diag_add_edit(d, title, wl_span_make(ls, ls), b.s);
			} else {
				wl_strbuf_str(&b, " ");
				wl_strbuf_str(&b, m);
				wl_strbuf_str(&b, " ");
				wl_diag_add_edit(d, title, wl_span_make(c, c), b.s);
			}
			free(m);
		}
		free(b.s);
		free(outer);
		free(inner);
		return true;
	}
	uint32_t comma = 0;
	bool has_comma = trailing_comma(doc, obj, &comma);
	uint32_t after = has_comma ? comma + 1 : last->span.end;
	bool multi = has_newline(s, last->span.end, c);
	/* New items look like the last one: an object on one line stays so. */
	bool like_inline = !members && last->type == json_type_object &&
	                   !has_newline(s, last->span.start, last->span.end);
	if (multi) {
		bool clean;
		uint32_t at = line_end_after(s, len, after, &clean);
		if (clean) {
			uint32_t first = members ? last->key_span.start : last->span.start;
			char *indent = wl_fix_line_indent(doc, first);
			char *m = children_text(doc, st, kids, n_kids, indent, like_inline, false);
			if (!has_comma && at == last->span.end)
				wl_strbuf_str(&b, ",");
			else if (!has_comma)
				wl_diag_add_edit(d, title,
				                 wl_span_make(last->span.end, last->span.end), ",");
			newline_indent(&b, st, indent, 0);
			wl_strbuf_str(&b, m);
			if (has_comma)
				wl_strbuf_str(&b, ",");
			wl_diag_add_edit(d, title, wl_span_make(at, at), b.s);
			free(m);
			free(indent);
			free(b.s);
			return true;
		}
	}
	/* One line (or the closer right after the last child): inline. */
	char *m = children_text(doc, st, kids, n_kids, "", true, true);
	if (has_comma) {
		wl_strbuf_str(&b, " ");
		wl_strbuf_str(&b, m);
		wl_strbuf_str(&b, ",");
	} else {
		wl_strbuf_str(&b, ", ");
		wl_strbuf_str(&b, m);
	}
	wl_diag_add_edit(d, title, wl_span_make(after, after), b.s);
	free(m);
	free(b.s);
	return true;
}

bool
wl_fix_append(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *obj,
              const char *key, struct json_object *value, const char *title)
{
	child k = {key, value};
	return append_children(d, doc, st, obj, key != NULL, &k, 1, title);
}

bool
wl_fix_append_items(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *arr,
                    struct json_object *items, const char *title)
{
	size_t n = json_object_array_length(items);
	child *kids = wl_xcalloc(n ? n : 1, sizeof(*kids));
	for (size_t i = 0; i < n; i++)
		kids[i].value = json_object_array_get_idx(items, i);
	bool ok = append_children(d, doc, st, arr, false, kids, n, title);
	free(kids);
	return ok;
}

bool
wl_fix_remove_member(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *title)
{
	const char *s = src_bytes(doc);
	uint32_t len = (uint32_t)doc->src->len;
	if (doc->toml || !m->key || m->span.end > len || m->key_span.start >= m->span.end)
		return false;
	uint32_t comma = skip_space(s, len, m->span.end);
	if (comma >= len || s[comma] != ',')
		return false;
	uint32_t start = m->key_span.start, end = comma + 1;
	uint32_t ls = start;
	while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
		ls--;
	uint32_t le = end;
	while (le < len && (s[le] == ' ' || s[le] == '\t'))
		le++;
	bool line_start = ls == 0 || s[ls - 1] == '\n' || s[ls - 1] == '\r';
	bool line_end = le == len || s[le] == '\n' || s[le] == '\r';
	if (line_start && line_end) {
		/* Alone on its lines: the lines go, with their break. */
		if (le < len && s[le] == '\r')
			le++;
		if (le < len && s[le] == '\n')
			le++;
		wl_diag_add_edit(d, title, wl_span_make(ls, le), "");
	} else {
		wl_diag_add_edit(d, title, wl_span_make(start, le), "");
	}
	return true;
}

bool
wl_fix_rename_key(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *key,
                  const char *title)
{
	/* A TOML key may be bare or dotted: the span is not a JSON string. */
	if (doc->toml || !m->key || m->key_span.end <= m->key_span.start ||
	    m->key_span.end > doc->src->len || src_bytes(doc)[m->key_span.start] != '"' ||
	    (m->parent && wl_node_get(m->parent, key)))
		return false;
	struct json_object *v = json_object_new_string(key);
	wl_diag_add_edit(d, title, m->key_span,
	                 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(v);
	return true;
}

void
wl_fix_replace_string(wl_diag *d, const wl_node *n, const char *text, const char *title)
{
	struct json_object *v = json_object_new_string(text);
	wl_diag_add_edit(d, title, n->span,
	                 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(v);
}

/* ---- migrations ---- */

static bool
tag_used(const wl_node *list, const char *tag)
{
	if (!list)
		return false;
	for (const wl_node *s = list->first_child; s; s = s->next) {
		const char *t = wl_node_str(wl_node_get(s, "tag"));
		if (t && strcmp(t, tag) == 0)
			return true;
	}
	return false;
}

char *
wl_fix_next_tag(const wl_node *list)
{
	const char *last = NULL;
	size_t steps = 0;
	if (wl_node_is(list, json_type_array))
		for (const wl_node *s = list->first_child; s; s = s->next, steps++) {
			const char *t = wl_node_str(wl_node_get(s, "tag"));
			if (t && *t)
				last = t;
		}
	else
		list = NULL;
	/* The last tag's pattern: a prefix and a number ("v2", "migration-0003"). */
	char *prefix = wl_xstrdup("v");
	unsigned long long next = steps + 1;
	int width = 0;
	if (last) {
		size_t n = strlen(last), k = n;
		while (k > 0 && last[k - 1] >= '0' && last[k - 1] <= '9')
			k--;
		if (k < n && n - k <= 18) {
			free(prefix);
			prefix = wl_xstrndup(last, k);
			next = strtoull(last + k, NULL, 10) + 1;
			if (last[k] == '0' && n - k > 1)
				width = (int)(n - k);
		} else {
			/* "initial", "add-chat": no number to follow; continue with
			 * the step count after a dash. */
			free(prefix);
			prefix = wl_xasprintf("%s-", last);
			next = steps + 1;
		}
	}
	char *tag = NULL;
	for (;; next++) {
		free(tag);
		tag = wl_xasprintf("%s%0*llu", prefix, width, next);
		if (!tag_used(list, tag))
			break;
	}
	free(prefix);
	return tag;
}

bool
wl_fix_add_migration_step(wl_diag *d, const wl_doc *doc, const wl_text_style *st,
                          const wl_node *owner, const wl_node *list, const char *const *classes,
                          size_t n, const char *title)
{
	if (!n)
		return false;
	char *tag = wl_fix_next_tag(list);
	struct json_object *step = json_object_new_object();
	json_object_object_add(step, "tag", json_object_new_string(tag));
	struct json_object *names = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(names, json_object_new_string(classes[i]));
	json_object_object_add(step, "new_sqlite_classes", names);
	bool ok;
	if (wl_node_is(list, json_type_array)) {
		ok = wl_fix_append(d, doc, st, list, NULL, step, title);
	} else if (!list && wl_node_is(owner, json_type_object)) {
		struct json_object *arr = json_object_new_array();
		json_object_array_add(arr, json_object_get(step));
		ok = wl_fix_append(d, doc, st, owner, "migrations", arr, title);
		json_object_put(arr);
	} else {
		ok = false;
	}
	json_object_put(step);
	free(tag);
	return ok;
}

bool
wl_fix_one_edit_apart(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na + 1 < nb || nb + 1 < na || strcmp(a, b) == 0)
		return false;
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (na == nb) {
		/* One substitution, or two neighbours swapped. */
		if (strcmp(a + i + 1, b + i + 1) == 0)
			return true;
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       strcmp(a + i + 2, b + i + 2) == 0;
	}
	/* One insertion or deletion at the first difference. */
	return na > nb ? strcmp(a + i + 1, b + i) == 0 : strcmp(a + i, b + i + 1) == 0;
}
