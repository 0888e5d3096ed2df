/* The sarif format: one SARIF 2.1.0 log for the whole run, built with json-c
 * and written at finish, for code-scanning services and SARIF viewers.
 *
 * One run: the tool with every registry rule (in registry order, so a
 * result's ruleIndex is its registry index), columns in Unicode code points
 * (what wl_source counts), and one result per diagnostic shown, with its
 * related locations, its fix and its env and pointer as properties. Results
 * are built as each file arrives, since the source is only borrowed for
 * that call. Regions give lines and columns only: SARIF's charOffset would
 * have to count code points from the start of the file, and our offsets
 * count bytes. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"
#include "rules.h"
#include "xalloc.h"

#define SARIF_SCHEMA    "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_VERSION   "2.1.0"
#define INFORMATION_URI "https://github.com/wrangler-lint/wrangler-lint"
#define RULE_HELP_URI   INFORMATION_URI "/blob/main/docs/rules/"

typedef struct sarif_state {
	struct json_object *results;       /* owned until finish */
	struct json_object *notifications; /* unreadable files; owned until finish */
} sarif_state;

/* SARIF's level names happen to be ours, but keep the mapping explicit. */
static const char *
level(wl_severity sev)
{
	switch (sev) {
	case WL_SEV_ERROR:
		return "error";
	case WL_SEV_WARNING:
		return "warning";
	case WL_SEV_NOTE:
		return "note";
	}
	return "error";
}

/* Bytes kept as they are in a URI path: RFC 3986 unreserved characters,
 * sub-delims, "@" and the "/" separator. ":" is encoded because a colon in
 * the first segment would make a relative reference read as a scheme. */
static bool
uri_plain(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~!$&'()*+,;=@/", c) != NULL;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The artifact URI of a path as given: bytes outside the plain set are
 * percent-encoded (UTF-8 bytes one by one), a backslash too, since on POSIX
 * it is part of a file name, not a separator. A relative path stays a
 * relative reference; an absolute one ("/x" or "C:/x") becomes a file
 * URI. Owned by the caller. */
static char *
artifact_uri(const char *path)
{
	size_t n = strlen(path);
	/* "file:///" + "C:" + three bytes per encoded byte. */
	char *buf = wl_xmalloc(8 + 2 + 3 * n + 1), *w = buf;
	size_t i = 0;
	bool slash0 = n > 0 && path[0] == '/';
	bool drive = n > 2 && is_alpha(path[0]) && path[1] == ':' && path[2] == '/';
	if (slash0) {
		memcpy(w, "file://", 7);
		w += 7;
	} else if (drive) {
		memcpy(w, "file:///", 8);
		w += 8;
		*w++ = path[0];
		*w++ = ':';
		i = 2;
	}
	static const char hex[] = "0123456789ABCDEF";
	for (; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (uri_plain(c)) {
			*w++ = (char)c;
		} else {
			*w++ = '%';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 0xF];
		}
	}
	*w = '\0';
	return buf;
}

static struct json_object *
uint_value(uint32_t n)
{
	return json_object_new_int64((int64_t)n);
}

static struct json_object *
text_object(const char *key, const char *text)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, key, wl_render_json_string(text));
	return o;
}

/* {"text": message} */
static struct json_object *
message(const char *text)
{
	return text_object("text", text);
}

/* startLine, startColumn, endLine, endColumn; the end is exclusive, as in
 * SARIF, and equals the start for an empty span. */
static struct json_object *
region(wl_renderer *r, wl_source *src, wl_span span)
{
	wl_position a = wl_render_position(r, src, span.start, NULL);
	wl_position b =
	    wl_render_position(r, src, span.end < span.start ? span.start : span.end, NULL);
	if (b.line < a.line || (b.line == a.line && b.column < a.column))
		b = a;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "startLine", uint_value(a.line));
	json_object_object_add(o, "startColumn", uint_value(a.column));
	json_object_object_add(o, "endLine", uint_value(b.line));
	json_object_object_add(o, "endColumn", uint_value(b.column));
	return o;
}

/* {"uri": …} of the file's path. */
static struct json_object *
artifact_location(const wl_source *src)
{
	char *uri = artifact_uri(src->path);
	struct json_object *o = text_object("uri", uri);
	free(uri);
	return o;
}

static struct json_object *
physical_location(wl_renderer *r, wl_source *src, wl_span span)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "artifactLocation", artifact_location(src));
	json_object_object_add(o, "region", region(r, src, span));
	return o;
}

/* One fix: its description and one artifact change with every edit as a
 * replacement (an empty deleted region inserts). */
static struct json_object *
fix_object(wl_renderer *r, wl_source *src, const wl_diag *d)
{
	struct json_object *fix = json_object_new_object();
	if (d->fix_title)
		json_object_object_add(fix, "description", message(d->fix_title));
	struct json_object *replacements = json_object_new_array();
	for (size_t i = 0; i < d->n_fix; i++) {
		struct json_object *rep = json_object_new_object();
		json_object_object_add(rep, "deletedRegion", region(r, src, d->fix[i].span));
		json_object_object_add(rep, "insertedContent", message(d->fix[i].text));
		json_object_array_add(replacements, rep);
	}
	struct json_object *change = json_object_new_object();
	json_object_object_add(change, "artifactLocation", artifact_location(src));
	json_object_object_add(change, "replacements", replacements);
	struct json_object *changes = json_object_new_array();
	json_object_array_add(changes, change);
	json_object_object_add(fix, "artifactChanges", changes);
	struct json_object *props = json_object_new_object();
	json_object_object_add(props, "safety",
	                       json_object_new_string(wl_fix_safety_name(d->fix_safety)));
	json_object_object_add(fix, "properties", props);
	struct json_object *fixes = json_object_new_array();
	json_object_array_add(fixes, fix);
	return fixes;
}

static struct json_object *
result_object(wl_renderer *r, wl_source *file, const wl_diag *d)
{
	wl_source *src = wl_render_src(d->src, file);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ruleId", json_object_new_string(d->rule->id));
	size_t index = wl_rules_index(d->rule);
	if (wl_rules_at(index) == d->rule)
		json_object_object_add(o, "ruleIndex", json_object_new_int64((int64_t)index));
	json_object_object_add(o, "level", json_object_new_string(level(d->severity)));
	json_object_object_add(o, "message", message(d->message));

	struct json_object *loc = json_object_new_object();
	json_object_object_add(loc, "physicalLocation", physical_location(r, src, d->span));
	struct json_object *locations = json_object_new_array();
	json_object_array_add(locations, loc);
	json_object_object_add(o, "locations", locations);

	if (d->n_related) {
		struct json_object *related = json_object_new_array();
		for (size_t i = 0; i < d->n_related; i++) {
			struct json_object *rel = json_object_new_object();
			json_object_object_add(rel, "id", json_object_new_int64((int64_t)i + 1));
			json_object_object_add(
			    rel, "physicalLocation",
			    physical_location(r, wl_render_src(d->related[i].src, file),
			                      d->related[i].span));
			json_object_object_add(rel, "message", message(d->related[i].message));
			json_object_array_add(related, rel);
		}
		json_object_object_add(o, "relatedLocations", related);
	}
	if (d->n_fix)
		json_object_object_add(o, "fixes", fix_object(r, src, d));
	if (d->env || d->pointer) {
		struct json_object *props = json_object_new_object();
		if (d->env)
			json_object_object_add(props, "env", wl_render_json_string(d->env));
		if (d->pointer)
			json_object_object_add(props, "pointer", wl_render_json_string(d->pointer));
		json_object_object_add(o, "properties", props);
	}
	return o;
}

/* A rule's friendly name: its id in Pascal case ("do-class-not-created" is
 * "DoClassNotCreated"), as SARIF asks for a name that is not the id. */
static char *
pascal_case(const char *id)
{
	char *name = wl_xstrdup(id), *w = name;
	bool upper = true;
	for (const char *p = id; *p; p++) {
		if (*p == '-') {
			upper = true;
			continue;
		}
		*w++ = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		upper = false;
	}
	*w = '\0';
	return name;
}

/* Every registry rule, in registry order: id, name, descriptions, help and
 * the default level (what GitHub code scanning shows for a rule). */
static struct json_object *
rules_array(void)
{
	struct json_object *rules = json_object_new_array();
	for (size_t i = 0, n = wl_rules_count(); i < n; i++) {
		const wl_rule *rule = wl_rules_at(i);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(rule->id));
		char *name = pascal_case(rule->id);
		json_object_object_add(o, "name", json_object_new_string(name));
		free(name);
		json_object_object_add(o, "shortDescription", message(rule->summary));
		json_object_object_add(o, "fullDescription", message(rule->summary));
		char *uri = wl_xasprintf(RULE_HELP_URI "%s.md", rule->id);
		char *help = wl_xasprintf("%s. See %s", rule->summary, uri);
		json_object_object_add(o, "help", message(help));
		json_object_object_add(o, "helpUri", json_object_new_string(uri));
		free(help);
		free(uri);
		struct json_object *config = json_object_new_object();
		json_object_object_add(config, "level",
		                       json_object_new_string(level(rule->severity)));
		json_object_object_add(o, "defaultConfiguration", config);
		json_object_array_add(rules, o);
	}
	return rules;
}

static void
sarif_begin(wl_renderer *r)
{
	sarif_state *st = wl_xcalloc(1, sizeof(*st));
	st->results = json_object_new_array();
	st->notifications = json_object_new_array();
	r->state = st;
}

static void
sarif_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags)
{
	sarif_state *st = r->state;
	size_t shown = wl_render_shown(&r->opts, diags);
	if (!shown)
		return;
	for (size_t i = 0; i < shown; i++)
		json_object_array_add(st->results, result_object(r, src, &diags->items[i]));
}

/* An unreadable file is a tool execution notification (the run did not
 * check it), with the file as its location. */
static void
sarif_unreadable(wl_renderer *r, const char *path, const char *reason)
{
	sarif_state *st = r->state;
	struct json_object *n = json_object_new_object();
	json_object_object_add(n, "level", json_object_new_string("error"));
	char *text = wl_xasprintf("%s: %s", path, reason);
	json_object_object_add(n, "message", message(text));
	free(text);
	char *uri = artifact_uri(path);
	struct json_object *phys = json_object_new_object();
	json_object_object_add(phys, "artifactLocation", text_object("uri", uri));
	free(uri);
	struct json_object *loc = json_object_new_object();
	json_object_object_add(loc, "physicalLocation", phys);
	struct json_object *locs = json_object_new_array();
	json_object_array_add(locs, loc);
	json_object_object_add(n, "locations", locs);
	json_object_array_add(st->notifications, n);
}

static void
sarif_finish(wl_renderer *r, const wl_summary *summary)
{
	(void)summary;
	sarif_state *st = r->state;
	struct json_object *driver = json_object_new_object();
	json_object_object_add(driver, "name", json_object_new_string("wrangler-lint"));
	json_object_object_add(driver, "version", json_object_new_string(wl_version()));
	json_object_object_add(driver, "informationUri", json_object_new_string(INFORMATION_URI));
	json_object_object_add(driver, "rules", rules_array());
	struct json_object *tool = json_object_new_object();
	json_object_object_add(tool, "driver", driver);

	struct json_object *run = json_object_new_object();
	json_object_object_add(run, "tool", tool);
	struct json_object *invocation = json_object_new_object();
	bool ok = json_object_array_length(st->notifications) == 0;
	json_object_object_add(invocation, "executionSuccessful", json_object_new_boolean(ok));
	if (ok)
		json_object_put(st->notifications);
	else
		json_object_object_add(invocation, "toolExecutionNotifications", st->notifications);
	struct json_object *invocations = json_object_new_array();
	json_object_array_add(invocations, invocation);
	json_object_object_add(run, "invocations", invocations);
	json_object_object_add(run, "columnKind", json_object_new_string("unicodeCodePoints"));
	json_object_object_add(run, "results", st->results);
	struct json_object *runs = json_object_new_array();
	json_object_array_add(runs, run);

	struct json_object *root = json_object_new_object();
	json_object_object_add(root, "$schema", json_object_new_string(SARIF_SCHEMA));
	json_object_object_add(root, "version", json_object_new_string(SARIF_VERSION));
	json_object_object_add(root, "runs", runs);

	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	                                               JSON_C_TO_STRING_SPACED |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE),
	      r->out);
	fputc('\n', r->out);
	json_object_put(root); /* also releases st->results */
	free(st);
	r->state = NULL;
}

const wl_render_ops wl_render_sarif_ops = {sarif_begin, sarif_file, sarif_finish, sarif_unreadable};
