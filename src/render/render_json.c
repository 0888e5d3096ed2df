/* The json format: one document for the whole run, built with json-c and
 * written at finish (schemas/diagnostics.schema.json describes it). The
 * renderer state owns the files array until then. Strings are made valid
 * UTF-8 (invalid bytes become U+FFFD) so every JSON reader accepts them.
 * A file that could not be read is an entry with an "error" and no
 * diagnostics, in the order main reports it. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"
#include "xalloc.h"

typedef struct json_state {
	struct json_object *files; /* owned */
} json_state;

struct json_object *
wl_render_json_string(const char *s)
{
	size_t n = strlen(s), i = 0;
	/* Each invalid byte grows to three bytes at most. */
	char *buf = NULL;
	size_t out = 0;
	while (i < n) {
		size_t len = wl_utf8_valid_len((const unsigned char *)s + i, n - i);
		if (len) {
			if (buf)
				memcpy(buf + out, s + i, len);
			out += len;
			i += len;
			continue;
		}
		if (!buf) {
			buf = wl_xmalloc(3 * n + 1);
			memcpy(buf, s, out);
		}
		memcpy(buf + out, "\xEF\xBF\xBD", 3);
		out += 3;
		i++;
	}
	if (!buf)
		return json_object_new_string_len(s, (int)n);
	struct json_object *v = json_object_new_string_len(buf, (int)out);
	free(buf);
	return v;
}

static struct json_object *
string_or_null(const char *s)
{
	return s ? wl_render_json_string(s) : NULL;
}

static struct json_object *
count(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

static struct json_object *
position(wl_renderer *r, wl_source *src, uint32_t offset)
{
	wl_position pos = wl_render_position(r, src, offset, NULL);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "line", count(pos.line));
	json_object_object_add(o, "column", count(pos.column));
	json_object_object_add(o, "offset", count(pos.offset));
	return o;
}

static void
add_span(wl_renderer *r, struct json_object *o, wl_source *src, wl_span span)
{
	json_object_object_add(o, "start", position(r, src, span.start));
	json_object_object_add(o, "end", position(r, src, span.end));
}

/* {"title", "edits": [{"start", "end", "text"}]}, in the order the edits
 * were added; every edit replaces [start, end) of the original bytes. */
static struct json_object *
fix_object(wl_renderer *r, wl_source *src, const wl_diag *d)
{
	struct json_object *fix = json_object_new_object();
	json_object_object_add(fix, "title",
	                       wl_render_json_string(d->fix_title ? d->fix_title : ""));
	struct json_object *edits = json_object_new_array();
	for (size_t i = 0; i < d->n_fix; i++) {
		struct json_object *e = json_object_new_object();
		add_span(r, e, wl_render_src(d->src, src), d->fix[i].span);
		json_object_object_add(e, "text", wl_render_json_string(d->fix[i].text));
		json_object_array_add(edits, e);
	}
	json_object_object_add(fix, "edits", edits);
	json_object_object_add(
	    fix, "safety",
	    json_object_new_string(d->fix_safety == WL_FIX_UNSAFE ? "unsafe" : "safe"));
	return fix;
}

static struct json_object *
diag_object(wl_renderer *r, wl_source *src, const wl_diag *d)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "rule", json_object_new_string(d->rule->id));
	json_object_object_add(o, "severity",
	                       json_object_new_string(wl_severity_name(d->severity)));
	json_object_object_add(o, "message", wl_render_json_string(d->message));
	json_object_object_add(o, "env", string_or_null(d->env));
	json_object_object_add(o, "pointer", string_or_null(d->pointer));
	wl_source *dsrc = wl_render_src(d->src, src);
	json_object_object_add(o, "path", wl_render_json_string(dsrc->path));
	add_span(r, o, dsrc, d->span);
	struct json_object *related = json_object_new_array();
	for (size_t i = 0; i < d->n_related; i++) {
		struct json_object *rel = json_object_new_object();
		json_object_object_add(rel, "message",
		                       wl_render_json_string(d->related[i].message));
		wl_source *rsrc = wl_render_src(d->related[i].src, src);
		json_object_object_add(rel, "path", wl_render_json_string(rsrc->path));
		add_span(r, rel, rsrc, d->related[i].span);
		json_object_array_add(related, rel);
	}
	json_object_object_add(o, "related", related);
	if (d->n_fix)
		json_object_object_add(o, "fix", fix_object(r, src, d));
	return o;
}

static void
json_begin(wl_renderer *r)
{
	json_state *st = wl_xcalloc(1, sizeof(*st));
	st->files = json_object_new_array();
	r->state = st;
}

static void
json_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	json_state *st = r->state;
	size_t shown = wl_render_shown(&r->opts, diags);
	struct json_object *file = json_object_new_object();
	json_object_object_add(file, "path", wl_render_json_string(src->path));
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < shown; i++)
		json_object_array_add(list, diag_object(r, src, &diags->items[i]));
	json_object_object_add(file, "diagnostics", list);
	json_object_object_add(file, "omitted", count(diags->len - shown + diags->dropped));
	json_object_array_add(st->files, file);
}

static void
json_unreadable(wl_renderer *r, const char *path, const char *reason)
{
	json_state *st = r->state;
	struct json_object *file = json_object_new_object();
	json_object_object_add(file, "path", wl_render_json_string(path));
	json_object_object_add(file, "error", wl_render_json_string(reason));
	json_object_object_add(file, "diagnostics", json_object_new_array());
	json_object_object_add(file, "omitted", count(0));
	json_object_array_add(st->files, file);
}

static void
json_finish(wl_renderer *r, const wl_summary *s)
{
	json_state *st = r->state;
	struct json_object *root = json_object_new_object();
	json_object_object_add(root, "version", json_object_new_int(1));
	struct json_object *tool = json_object_new_object();
	json_object_object_add(tool, "name", json_object_new_string("wrangler-lint"));
	json_object_object_add(tool, "version", json_object_new_string(wl_version()));
	json_object_object_add(root, "tool", tool);
	json_object_object_add(root, "files", st->files);
	struct json_object *summary = json_object_new_object();
	json_object_object_add(summary, "files", count(s->files));
	json_object_object_add(summary, "errors", count(s->by_sev[WL_SEV_ERROR]));
	json_object_object_add(summary, "warnings", count(s->by_sev[WL_SEV_WARNING]));
	json_object_object_add(summary, "notes", count(s->by_sev[WL_SEV_NOTE]));
	if (r->fixing) {
		struct json_object *fixed = json_object_new_object();
		json_object_object_add(fixed, "fixes", count(r->fixes));
		json_object_object_add(fixed, "files", count(r->fixed_files));
		json_object_object_add(summary, "fixed", fixed);
	}
	json_object_object_add(root, "summary", summary);

	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE),
	      r->out);
	fputc('\n', r->out);
	json_object_put(root); /* also releases st->files */
	free(st);
	r->state = NULL;
}

const wl_render_ops wl_render_json_ops = {json_begin, json_file, json_finish, json_unreadable};
