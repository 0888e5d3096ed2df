/* Offline validation of the sarif format: logs are rendered in memory, parsed
 * back with json-c (strictly, with UTF-8 validation) and checked field by
 * field against what SARIF 2.1.0 requires of the parts we emit, then against
 * what we promise (the registry as the rule table, regions, fixes, URIs,
 * --max-diagnostics, one run for several files, determinism).
 *
 * usage: sarif-check FIXTURE_DIR
 * Every fixture in FIXTURE_DIR is linted and its log validated; hand-built
 * diagnostic lists cover what the fixtures do not. Prints one line per
 * failure and "N passed, N failed"; exits 1 when something failed. */
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "readfile.h"
#include "render.h"
#include "rules.h"
#include "xalloc.h"

#define HELP_URI_PREFIX "https://github.com/wrangler-lint/wrangler-lint/blob/main/docs/rules/"

/* The case being checked: every failure is reported under its name. */
static const char *case_name;
static bool case_ok;
static size_t passed, failed;

static void
begin_case(const char *name)
{
	case_name = name;
	case_ok = true;
}

static void
end_case(void)
{
	if (case_ok)
		passed++;
	else
		failed++;
}

static void WL_PRINTF(1, 2) fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL %s: ", case_name);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	case_ok = false;
}

/* ---- json-c access with reporting ---- */

static const char *
type_name(json_type t)
{
	return json_type_to_name(t);
}

/* The member `key` of `o`, which must exist and be of type `t`. */
static struct json_object *
need(struct json_object *o, const char *where, const char *key, json_type t)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v)) {
		fail("%s: missing \"%s\"", where, key);
		return NULL;
	}
	if (!json_object_is_type(v, t)) {
		fail("%s.%s: %s where %s is required", where, key,
		     type_name(json_object_get_type(v)), type_name(t));
		return NULL;
	}
	return v;
}

/* Like need, but absence is fine (NULL, no failure). */
static struct json_object *
may(struct json_object *o, const char *where, const char *key, json_type t)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	if (!json_object_is_type(v, t)) {
		fail("%s.%s: %s where %s is required", where, key,
		     type_name(json_object_get_type(v)), type_name(t));
		return NULL;
	}
	return v;
}

static bool
has(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static const char *
need_string(struct json_object *o, const char *where, const char *key)
{
	struct json_object *v = need(o, where, key, json_type_string);
	return v ? json_object_get_string(v) : NULL;
}

/* An integer member, or -1 (after a failure) when absent or not one. */
static int64_t
need_int(struct json_object *o, const char *where, const char *key)
{
	struct json_object *v = need(o, where, key, json_type_int);
	return v ? json_object_get_int64(v) : -1;
}

/* o.key.text, which SARIF's message objects must have in our use. */
static const char *
need_text(struct json_object *o, const char *where, const char *key)
{
	char *w = wl_xasprintf("%s.%s", where, key);
	const char *t = need_string(need(o, where, key, json_type_object), w, "text");
	free(w);
	return t;
}

static void
expect_str(const char *where, const char *got, const char *want)
{
	if (!got || strcmp(got, want) != 0)
		fail("%s: \"%s\" where \"%s\" was expected", where, got ? got : "(none)", want);
}

static void
expect_int(const char *where, int64_t got, int64_t want)
{
	if (got != want)
		fail("%s: %lld where %lld was expected", where, (long long)got, (long long)want);
}

/* ---- SARIF 2.1.0 structure ---- */

static bool
one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* A URI reference (RFC 3986) as we write them: only unreserved, reserved
 * and percent-encoded characters. */
static void
check_uri(const char *where, const char *uri)
{
	if (!uri)
		return;
	if (!*uri)
		fail("%s: empty uri", where);
	for (const char *p = uri; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (c == '%') {
			if (!is_hex(p[1]) || !is_hex(p[2])) {
				fail("%s: bad percent-encoding in \"%s\"", where, uri);
				return;
			}
			p += 2;
		} else if (!alnum && !strchr("-._~:/?#[]@!$&'()*+,;=", c)) {
			fail("%s: byte 0x%02x must be percent-encoded in \"%s\"", where, c, uri);
			return;
		}
	}
	/* A relative reference whose first segment holds a colon reads as a scheme. */
	const char *colon = strchr(uri, ':'), *slash = strchr(uri, '/');
	if (colon && (!slash || colon < slash) && strncmp(uri, "file:", 5) != 0)
		fail("%s: \"%s\" would be read as having the scheme \"%.*s\"", where, uri,
		     (int)(colon - uri), uri);
}

/* A text region: lines and columns 1-based, end not before start. */
static void
check_region(struct json_object *region, const char *where)
{
	if (!region)
		return;
	int64_t sl = need_int(region, where, "startLine");
	int64_t sc = need_int(region, where, "startColumn");
	int64_t el = need_int(region, where, "endLine");
	int64_t ec = need_int(region, where, "endColumn");
	if (sl < 1 || sc < 1 || el < 1 || ec < 1) {
		fail("%s: lines and columns must be at least 1 (%lld:%lld-%lld:%lld)", where,
		     (long long)sl, (long long)sc, (long long)el, (long long)ec);
		return;
	}
	if (el < sl)
		fail("%s: endLine %lld before startLine %lld", where, (long long)el, (long long)sl);
	if (el == sl && ec < sc)
		fail("%s: endColumn %lld before startColumn %lld on one line", where, (long long)ec,
		     (long long)sc);
	/* charOffset and charLength would have to count code points; not emitted. */
	if (has(region, "charOffset") || has(region, "charLength"))
		fail("%s: charOffset/charLength are not expected", where);
}

static void
check_artifact_location(struct json_object *o, const char *where)
{
	struct json_object *al = need(o, where, "artifactLocation", json_type_object);
	char *w = wl_xasprintf("%s.artifactLocation", where);
	check_uri(w, need_string(al, w, "uri"));
	free(w);
}

static void
check_physical(struct json_object *loc, const char *where)
{
	struct json_object *pl = need(loc, where, "physicalLocation", json_type_object);
	if (!pl)
		return;
	char *w = wl_xasprintf("%s.physicalLocation", where);
	check_artifact_location(pl, w);
	char *wr = wl_xasprintf("%s.region", w);
	check_region(need(pl, w, "region", json_type_object), wr);
	free(wr);
	free(w);
}

static void
check_fixes(struct json_object *fixes, const char *where)
{
	size_t n = json_object_array_length(fixes);
	if (n == 0)
		fail("%s: empty fixes array (omit it instead)", where);
	for (size_t i = 0; i < n; i++) {
		struct json_object *fix = json_object_array_get_idx(fixes, i);
		char *w = wl_xasprintf("%s[%zu]", where, i);
		if (!json_object_is_type(fix, json_type_object)) {
			fail("%s: not an object", w);
			free(w);
			continue;
		}
		if (has(fix, "description"))
			need_text(fix, w, "description");
		struct json_object *changes = need(fix, w, "artifactChanges", json_type_array);
		size_t nc = changes ? json_object_array_length(changes) : 0;
		if (changes && nc == 0)
			fail("%s.artifactChanges: empty (SARIF requires at least one)", w);
		for (size_t c = 0; c < nc; c++) {
			struct json_object *ch = json_object_array_get_idx(changes, c);
			char *wc = wl_xasprintf("%s.artifactChanges[%zu]", w, c);
			check_artifact_location(ch, wc);
			struct json_object *reps = need(ch, wc, "replacements", json_type_array);
			size_t nr = reps ? json_object_array_length(reps) : 0;
			if (reps && nr == 0)
				fail("%s.replacements: empty (SARIF requires at least one)", wc);
			for (size_t r = 0; r < nr; r++) {
				struct json_object *rep = json_object_array_get_idx(reps, r);
				char *wr = wl_xasprintf("%s.replacements[%zu]", wc, r);
				char *wd = wl_xasprintf("%s.deletedRegion", wr);
				check_region(need(rep, wr, "deletedRegion", json_type_object), wd);
				if (has(rep, "insertedContent"))
					need_text(rep, wr, "insertedContent");
				free(wd);
				free(wr);
			}
			free(wc);
		}
		free(w);
	}
}

static void
check_result(struct json_object *res, const char *where, struct json_object *rules)
{
	static const char *const levels[] = {"none", "note", "warning", "error", NULL};
	if (!json_object_is_type(res, json_type_object)) {
		fail("%s: not an object", where);
		return;
	}
	need_text(res, where, "message");
	const char *rule_id = need_string(res, where, "ruleId");
	struct json_object *idx = may(res, where, "ruleIndex", json_type_int);
	if (idx && rules && rule_id) {
		int64_t i = json_object_get_int64(idx);
		if (i < 0 || (size_t)i >= json_object_array_length(rules))
			fail("%s.ruleIndex: %lld is outside driver.rules", where, (long long)i);
		else {
			char *w = wl_xasprintf("%s: driver.rules[ruleIndex %lld].id", where,
			                       (long long)i);
			expect_str(w,
			           json_object_get_string(json_object_object_get(
			               json_object_array_get_idx(rules, (size_t)i), "id")),
			           rule_id);
			free(w);
		}
	}
	if (!idx)
		fail("%s: no ruleIndex", where);
	struct json_object *level = may(res, where, "level", json_type_string);
	if (level && !one_of(json_object_get_string(level), levels))
		fail("%s.level: \"%s\" is not a SARIF level", where, json_object_get_string(level));

	struct json_object *locs = need(res, where, "locations", json_type_array);
	if (locs && json_object_array_length(locs) != 1)
		fail("%s.locations: %zu locations where 1 was expected", where,
		     json_object_array_length(locs));
	for (size_t i = 0; locs && i < json_object_array_length(locs); i++) {
		char *w = wl_xasprintf("%s.locations[%zu]", where, i);
		check_physical(json_object_array_get_idx(locs, i), w);
		free(w);
	}

	struct json_object *rel = may(res, where, "relatedLocations", json_type_array);
	size_t nrel = rel ? json_object_array_length(rel) : 0;
	int64_t *ids = wl_xcalloc(nrel + 1, sizeof(*ids));
	for (size_t i = 0; i < nrel; i++) {
		struct json_object *loc = json_object_array_get_idx(rel, i);
		char *w = wl_xasprintf("%s.relatedLocations[%zu]", where, i);
		int64_t id = need_int(loc, w, "id");
		if (id < 1)
			fail("%s.id: %lld is not a positive integer", w, (long long)id);
		for (size_t k = 0; k < i; k++)
			if (ids[k] == id)
				fail("%s.id: %lld is used twice", w, (long long)id);
		ids[i] = id;
		check_physical(loc, w);
		need_text(loc, w, "message");
		free(w);
	}
	free(ids);

	struct json_object *fixes = may(res, where, "fixes", json_type_array);
	if (fixes) {
		char *w = wl_xasprintf("%s.fixes", where);
		check_fixes(fixes, w);
		free(w);
	}
	may(res, where, "properties", json_type_object);
}

/* Parses a log strictly (trailing bytes other than whitespace are an
 * error); NULL (after a failure) when it is not JSON. */
static struct json_object *
parse(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	enum json_tokener_error err = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (err != json_tokener_success || !root) {
		fail("not valid JSON: %s", json_tokener_error_desc(err));
		json_object_put(root);
		return NULL;
	}
	size_t n = strlen(text);
	if (n < 2 || text[n - 1] != '\n' || text[n - 2] != '}')
		fail("the log is not one object followed by one newline");
	return root;
}

/* Checks the whole log; returns the parsed root (owned) or NULL. */
static struct json_object *
check_log(const char *text)
{
	static const char *const kinds[] = {"utf16CodeUnits", "unicodeCodePoints", NULL};
	struct json_object *root = parse(text);
	if (!root)
		return NULL;
	if (!json_object_is_type(root, json_type_object)) {
		fail("the log is not an object");
		json_object_put(root);
		return NULL;
	}
	expect_str("$schema", need_string(root, "log", "$schema"),
	           "https://json.schemastore.org/sarif-2.1.0.json");
	expect_str("version", need_string(root, "log", "version"), "2.1.0");
	struct json_object *runs = need(root, "log", "runs", json_type_array);
	if (!runs)
		return root;
	if (json_object_array_length(runs) == 0)
		fail("runs: empty");
	for (size_t r = 0; r < json_object_array_length(runs); r++) {
		struct json_object *run = json_object_array_get_idx(runs, r);
		char *w = wl_xasprintf("runs[%zu]", r);
		char *wt = wl_xasprintf("%s.tool", w), *wd = wl_xasprintf("%s.tool.driver", w);
		struct json_object *driver =
		    need(need(run, w, "tool", json_type_object), wt, "driver", json_type_object);
		const char *name = need_string(driver, wd, "name");
		if (name && !*name)
			fail("%s.name: empty", wd);
		struct json_object *rules = may(driver, wd, "rules", json_type_array);
		for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
			struct json_object *rule = json_object_array_get_idx(rules, i);
			char *wr = wl_xasprintf("%s.rules[%zu]", wd, i);
			const char *id = need_string(rule, wr, "id");
			for (size_t k = 0; id && k < i; k++) {
				struct json_object *other = json_object_array_get_idx(rules, k);
				if (strcmp(
				        json_object_get_string(json_object_object_get(other, "id")),
				        id) == 0)
					fail("%s.id: \"%s\" is used twice", wr, id);
			}
			free(wr);
		}
		struct json_object *kind = may(run, w, "columnKind", json_type_string);
		if (kind && !one_of(json_object_get_string(kind), kinds))
			fail("%s.columnKind: \"%s\" is not a SARIF column kind", w,
			     json_object_get_string(kind));
		if (!kind)
			fail("%s: no columnKind (SARIF would assume UTF-16 code units)", w);
		struct json_object *results = need(run, w, "results", json_type_array);
		for (size_t i = 0; results && i < json_object_array_length(results); i++) {
			char *wr = wl_xasprintf("%s.results[%zu]", w, i);
			check_result(json_object_array_get_idx(results, i), wr, rules);
			free(wr);
		}
		free(wd);
		free(wt);
		free(w);
	}
	return root;
}

/* ---- rendering ---- */

static char *
render_files(wl_source *const *srcs, const wl_diag_list *const *lists, size_t n,
             size_t max_per_file)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out) {
		perror("sarif-check: open_memstream");
		exit(2);
	}
	wl_render_options opts = {false, max_per_file};
	wl_renderer *r = wl_renderer_new(WL_FORMAT_SARIF, out, &opts);
	for (size_t i = 0; i < n; i++)
		wl_renderer_file(r, srcs[i], lists[i]);
	wl_renderer_finish(r, NULL);
	if (fclose(out) != 0) {
		perror("sarif-check: fclose");
		exit(2);
	}
	return buf;
}

static char *
render_one(wl_source *src, const wl_diag_list *l, size_t max_per_file)
{
	return render_files(&src, &l, 1, max_per_file);
}

static struct json_object *
first_run(struct json_object *root)
{
	return json_object_array_get_idx(json_object_object_get(root, "runs"), 0);
}

static struct json_object *
results_of(struct json_object *root)
{
	return json_object_object_get(first_run(root), "results");
}

/* runs[0].results[i], or NULL after a failure. */
static struct json_object *
result_at(struct json_object *root, size_t i)
{
	struct json_object *results = results_of(root);
	if (!results || i >= json_object_array_length(results)) {
		fail("no results[%zu]", i);
		return NULL;
	}
	return json_object_array_get_idx(results, i);
}

/* Follows a path of member names and array indices ("#3") from `o`. */
static struct json_object *
at(struct json_object *o, const char *path)
{
	char *copy = wl_xstrdup(path);
	char *save = NULL;
	for (char *part = strtok_r(copy, ".", &save); part && o;
	     part = strtok_r(NULL, ".", &save)) {
		if (part[0] == '#') {
			size_t i = (size_t)strtoul(part + 1, NULL, 10);
			o = json_object_is_type(o, json_type_array) &&
			            i < json_object_array_length(o)
			        ? json_object_array_get_idx(o, i)
			        : NULL;
		} else if (!json_object_object_get_ex(o, part, &o)) {
			o = NULL;
		}
	}
	free(copy);
	return o;
}

static void
expect_at_str(struct json_object *o, const char *path, const char *want)
{
	struct json_object *v = at(o, path);
	expect_str(path,
	           v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL,
	           want);
}

static void
expect_at_int(struct json_object *o, const char *path, int64_t want)
{
	struct json_object *v = at(o, path);
	if (!v || !json_object_is_type(v, json_type_int)) {
		fail("%s: missing or not an integer", path);
		return;
	}
	expect_int(path, json_object_get_int64(v), want);
}

static void
expect_absent(struct json_object *o, const char *path)
{
	if (at(o, path))
		fail("%s: present where it should be absent", path);
}

/* startLine, startColumn, endLine, endColumn of the region at `path`. */
static void
expect_region(struct json_object *o, const char *path, int sl, int sc, int el, int ec)
{
	char *p[4] = {
	    wl_xasprintf("%s.startLine", path),
	    wl_xasprintf("%s.startColumn", path),
	    wl_xasprintf("%s.endLine", path),
	    wl_xasprintf("%s.endColumn", path),
	};
	int want[4] = {sl, sc, el, ec};
	for (int i = 0; i < 4; i++) {
		expect_at_int(o, p[i], want[i]);
		free(p[i]);
	}
}

static wl_source *
source(const char *path, const char *text)
{
	return wl_source_new(path, text, strlen(text));
}

static const wl_rule *
rule(const char *id)
{
	const wl_rule *r = wl_rules_find(id);
	if (!r) {
		fprintf(stderr, "sarif-check: no rule %s\n", id);
		exit(2);
	}
	return r;
}

/* ---- cases ---- */

/* The rule table is the registry, in order, with what code scanning shows. */
static void
case_rules(void)
{
	begin_case("rules: the registry in order");
	wl_source *src = source("t.jsonc", "{}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	char *text = render_one(src, &l, 0);
	struct json_object *root = check_log(text);
	struct json_object *driver = at(root, "runs.#0.tool.driver");
	struct json_object *rules = at(driver, "rules");
	size_t n = wl_rules_count();
	if (!rules || json_object_array_length(rules) != n) {
		fail("driver.rules: %zu rules where the registry has %zu",
		     rules ? json_object_array_length(rules) : 0, n);
		n = 0;
	}
	expect_at_str(driver, "name", "wrangler-lint");
	expect_at_str(driver, "version", wl_version());
	expect_at_str(driver, "informationUri", "https://github.com/wrangler-lint/wrangler-lint");
	for (size_t i = 0; i < n; i++) {
		const wl_rule *want = wl_rules_at(i);
		struct json_object *got = json_object_array_get_idx(rules, i);
		char *help = wl_xasprintf(HELP_URI_PREFIX "%s.md", want->id);
		expect_at_str(got, "id", want->id);
		expect_at_str(got, "shortDescription.text", want->summary);
		expect_at_str(got, "fullDescription.text", want->summary);
		expect_at_str(got, "helpUri", help);
		expect_at_str(got, "defaultConfiguration.level", wl_severity_name(want->severity));
		struct json_object *name = at(got, "name");
		if (!name || !json_object_is_type(name, json_type_string) ||
		    strcmp(json_object_get_string(name), want->id) == 0 ||
		    strchr(json_object_get_string(name), '-'))
			fail("rules[%zu].name: not a Pascal-case name distinct from the id", i);
		struct json_object *text_help = at(got, "help.text");
		if (!text_help || !strstr(json_object_get_string(text_help), help))
			fail("rules[%zu].help.text: does not link the rule's page", i);
		free(help);
	}
	expect_at_str(root, "runs.#0.columnKind", "unicodeCodePoints");
	struct json_object *results = results_of(root);
	if (!results || json_object_array_length(results) != 0)
		fail("results: not an empty array for a clean file");
	json_object_put(root);
	free(text);
	wl_diag_list_free(&l);
	wl_source_free(src);
	end_case();
}

/* Related locations, fixes, properties, levels and regions of a hand-built
 * list, number by number. */
static void
case_hand_built(void)
{
	begin_case("hand-built: related locations, fixes, properties");
	/* Line 2 starts at 3; "é" is 2 bytes, so byte columns and code-point
	 * columns differ after it. */
	wl_source *src =
	    source("dir\\my file.jsonc", "{\r\n\t\"\xC3\xA9\": 1,\r\n\t\"\xC3\xA9\": 2 \"x\": 3\r\n"
	                                 "  \"migrations\": [{\"new_sqlite_class\": []}]\r\n}");
	/* Lines start at offsets 3, 14, 31 and 75; the file is 76 bytes. */
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d = wl_diag_add(&l, rule("jsonc-duplicate-key"), wl_span_make(15, 19),
	                         "duplicate key \"\xC3\xA9\" \x1B and \xFF");
	wl_diag_add_related(d, wl_span_make(4, 8), "first here");
	wl_diag_add_related(d, wl_span_make(3, 3), "line start");
	wl_diag_set_env(d, "production");
	wl_diag_set_pointer(d, "/vars/\xC3\xA9");
	/* The missing comma after `2`: an insertion. */
	d = wl_diag_add(&l, rule("jsonc-syntax"), wl_span_make(22, 22),
	                "expected ',' between object members");
	wl_diag_add_edit(d, "insert ','", wl_span_make(22, 22), ",");
	d->severity = WL_SEV_NOTE; /* the level follows the diagnostic, not the rule */
	/* A rename: replace the key with its quoted suggestion. */
	d = wl_diag_add(&l, rule("do-migration-unknown-key"), wl_span_make(49, 67),
	                "unknown key \"new_sqlite_class\"");
	wl_diag_add_edit(d, "rename to new_sqlite_classes", wl_span_make(49, 67),
	                 "\"new_sqlite_classes\"");
	/* A span over two lines, and an empty one at the end of the file. */
	wl_diag_add(&l, rule("jsonc-number-range"), wl_span_make(28, 37), "two lines");
	wl_diag_add(&l, rule("jsonc-syntax"), wl_span_make(76, 76), "at the end");
	wl_diag_list_sort(&l);

	char *text = render_one(src, &l, 0);
	struct json_object *root = check_log(text);
	struct json_object *results = results_of(root);
	if (!results || json_object_array_length(results) != 5)
		fail("results: %zu where 5 were expected",
		     results ? json_object_array_length(results) : 0);

	struct json_object *r = result_at(root, 0);
	expect_at_str(r, "ruleId", "jsonc-duplicate-key");
	expect_at_int(r, "ruleIndex", (int64_t)wl_rules_index(rule("jsonc-duplicate-key")));
	expect_at_str(r, "level", "error");
	expect_at_str(r, "message.text", "duplicate key \"\xC3\xA9\" \x1B and \xEF\xBF\xBD");
	expect_at_str(r, "locations.#0.physicalLocation.artifactLocation.uri",
	              "dir%5Cmy%20file.jsonc");
	expect_region(r, "locations.#0.physicalLocation.region", 3, 2, 3, 5);
	expect_at_int(r, "relatedLocations.#0.id", 1);
	expect_at_int(r, "relatedLocations.#1.id", 2);
	expect_region(r, "relatedLocations.#0.physicalLocation.region", 2, 2, 2, 5);
	expect_region(r, "relatedLocations.#1.physicalLocation.region", 2, 1, 2, 1);
	expect_at_str(r, "relatedLocations.#0.message.text", "first here");
	expect_at_str(r, "relatedLocations.#0.physicalLocation.artifactLocation.uri",
	              "dir%5Cmy%20file.jsonc");
	expect_at_str(r, "properties.env", "production");
	expect_at_str(r, "properties.pointer", "/vars/\xC3\xA9");
	expect_absent(r, "fixes");

	r = result_at(root, 1);
	expect_at_str(r, "ruleId", "jsonc-syntax");
	expect_at_str(r, "level", "note");
	expect_region(r, "locations.#0.physicalLocation.region", 3, 8, 3, 8);
	expect_at_str(r, "fixes.#0.description.text", "insert ','");
	expect_at_str(r, "fixes.#0.artifactChanges.#0.artifactLocation.uri",
	              "dir%5Cmy%20file.jsonc");
	expect_region(r, "fixes.#0.artifactChanges.#0.replacements.#0.deletedRegion", 3, 8, 3, 8);
	expect_at_str(r, "fixes.#0.artifactChanges.#0.replacements.#0.insertedContent.text", ",");
	expect_absent(r, "fixes.#1");
	expect_absent(r, "relatedLocations");
	expect_absent(r, "properties");

	r = result_at(root, 2);
	expect_at_str(r, "ruleId", "jsonc-number-range");
	expect_at_str(r, "level", "warning");
	expect_region(r, "locations.#0.physicalLocation.region", 3, 14, 4, 7);

	r = result_at(root, 3);
	expect_at_str(r, "ruleId", "do-migration-unknown-key");
	expect_region(r, "locations.#0.physicalLocation.region", 4, 19, 4, 37);
	expect_at_str(r, "fixes.#0.description.text", "rename to new_sqlite_classes");
	expect_region(r, "fixes.#0.artifactChanges.#0.replacements.#0.deletedRegion", 4, 19, 4, 37);
	expect_at_str(r, "fixes.#0.artifactChanges.#0.replacements.#0.insertedContent.text",
	              "\"new_sqlite_classes\"");

	r = result_at(root, 4);
	expect_region(r, "locations.#0.physicalLocation.region", 5, 2, 5, 2);

	json_object_put(root);
	free(text);
	wl_diag_list_free(&l);
	wl_source_free(src);
	end_case();
}

/* Paths as given become URI references: percent-encoded, slashes only,
 * absolute paths as file URIs. */
static void
case_uris(void)
{
	static const struct {
		const char *path, *uri;
	} cases[] = {
	    {"wrangler.jsonc", "wrangler.jsonc"},
	    {"./a b/wrangler.jsonc", "./a%20b/wrangler.jsonc"},
	    {"apps\\api\\wrangler.jsonc", "apps%5Capi%5Cwrangler.jsonc"},
	    {"/srv/app/wrangler.jsonc", "file:///srv/app/wrangler.jsonc"},
	    {"C:\\work\\app\\wrangler.jsonc", "C%3A%5Cwork%5Capp%5Cwrangler.jsonc"},
	    {"<stdin>", "%3Cstdin%3E"},
	    {"a:b.jsonc", "a%3Ab.jsonc"},
	    {"100%#?.jsonc", "100%25%23%3F.jsonc"},
	    {"caf\xC3\xA9.jsonc", "caf%C3%A9.jsonc"},
	    {"bad\xFF\x01.jsonc", "bad%FF%01.jsonc"},
	    {"x[1]{2}\"q\"|^`.jsonc", "x%5B1%5D%7B2%7D%22q%22%7C%5E%60.jsonc"},
	};
	begin_case("uris: paths as URI references");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wl_source *src = source(cases[i].path, "{}");
		wl_diag_list l;
		wl_diag_list_init(&l);
		wl_diag_add(&l, rule("jsonc-syntax"), wl_span_make(0, 1), "x");
		char *text = render_one(src, &l, 0);
		struct json_object *root = check_log(text);
		expect_at_str(result_at(root, 0),
		              "locations.#0.physicalLocation.artifactLocation.uri", cases[i].uri);
		json_object_put(root);
		free(text);
		wl_diag_list_free(&l);
		wl_source_free(src);
	}
	end_case();
}

/* --max-diagnostics: the rest are not listed. Several files: one run. And the
 * same input renders to the same bytes. */
static void
case_limits_and_files(void)
{
	begin_case("max-per-file, several files, determinism");
	wl_source *a = source("a.jsonc", "abc"), *b = source("b.jsonc", "xyz");
	wl_diag_list la, lb;
	wl_diag_list_init(&la);
	wl_diag_list_init(&lb);
	wl_diag_add(&la, rule("jsonc-syntax"), wl_span_make(0, 1), "first");
	wl_diag_add(&la, rule("jsonc-syntax"), wl_span_make(1, 2), "second");
	wl_diag_add(&la, rule("jsonc-number-range"), wl_span_make(2, 3), "third");
	wl_diag_add(&lb, rule("jsonc-syntax"), wl_span_make(0, 1), "other file");

	char *text = render_one(a, &la, 2);
	struct json_object *root = check_log(text);
	struct json_object *results = results_of(root);
	if (!results || json_object_array_length(results) != 2)
		fail("max 2: %zu results", results ? json_object_array_length(results) : 0);
	expect_at_str(result_at(root, 1), "message.text", "second");
	json_object_put(root);
	free(text);

	wl_source *srcs[] = {a, b};
	const wl_diag_list *lists[] = {&la, &lb};
	text = render_files(srcs, lists, 2, 1);
	root = check_log(text);
	if (json_object_array_length(json_object_object_get(root, "runs")) != 1)
		fail("several files: not one run");
	results = results_of(root);
	if (!results || json_object_array_length(results) != 2)
		fail("several files, max 1: %zu results",
		     results ? json_object_array_length(results) : 0);
	expect_at_str(result_at(root, 0), "locations.#0.physicalLocation.artifactLocation.uri",
	              "a.jsonc");
	expect_at_str(result_at(root, 1), "locations.#0.physicalLocation.artifactLocation.uri",
	              "b.jsonc");
	expect_at_str(result_at(root, 1), "message.text", "other file");
	json_object_put(root);

	char *again = render_files(srcs, lists, 2, 1);
	if (strcmp(text, again) != 0)
		fail("two renderings of the same input differ");
	free(again);
	free(text);
	wl_diag_list_free(&la);
	wl_diag_list_free(&lb);
	wl_source_free(a);
	wl_source_free(b);
	end_case();
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *
read_file(const char *path, size_t *len)
{
	bool too_large;
	char *buf = wl_read_file(path, WL_MAX_FILE_SIZE, len, &too_large, NULL);
	if (buf && too_large) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Each fixture's log is valid, lists every diagnostic, and carries a fix
 * exactly where the diagnostic has one. Returns how many fixes were seen. */
static size_t
case_fixture(const char *dir, const char *name)
{
	char *label = wl_xasprintf("fixture %s", name);
	begin_case(label);
	char *path = wl_xasprintf("%s/%s", dir, name);
	size_t len = 0, fixes = 0;
	char *bytes = read_file(path, &len);
	if (!bytes) {
		fail("cannot read %s: %s", path, strerror(errno));
		free(path);
		end_case();
		free(label);
		return 0;
	}
	wl_lint_options opts = {.check_siblings = false};
	wl_lint_result *res = wl_lint_source(wl_source_adopt(path, bytes, len), &opts);
	char *text = render_one(res->doc->src, &res->diags, 0);
	struct json_object *root = check_log(text);
	struct json_object *results = results_of(root);
	size_t n = results ? json_object_array_length(results) : 0;
	if (n != res->diags.len)
		fail("%zu results for %zu diagnostics", n, res->diags.len);
	for (size_t i = 0; i < n && i < res->diags.len; i++) {
		const wl_diag *d = &res->diags.items[i];
		struct json_object *r = json_object_array_get_idx(results, i);
		expect_at_str(r, "ruleId", d->rule->id);
		expect_at_str(r, "level", wl_severity_name(d->severity));
		bool has_fix = at(r, "fixes") != NULL;
		if (has_fix != (d->n_fix > 0))
			fail("results[%zu]: fixes %s, the diagnostic has %zu edits", i,
			     has_fix ? "present" : "absent", d->n_fix);
		fixes += d->n_fix > 0;
		struct json_object *rel = at(r, "relatedLocations");
		if ((rel ? json_object_array_length(rel) : 0) != d->n_related)
			fail("results[%zu]: related locations do not match", i);
	}
	json_object_put(root);
	free(text);
	wl_lint_result_free(res);
	free(path);
	end_case();
	free(label);
	return fixes;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
case_fixtures(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		begin_case("fixtures");
		fail("%s: %s", dir, strerror(errno));
		end_case();
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    !(has_suffix(e->d_name, ".jsonc") || has_suffix(e->d_name, ".json")))
			continue;
		wl_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = wl_xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	size_t fixes = 0;
	for (size_t i = 0; i < n; i++) {
		fixes += case_fixture(dir, names[i]);
		free(names[i]);
	}
	free(names);
	begin_case("fixtures: at least one fix among them");
	if (n == 0)
		fail("no fixtures in %s", dir);
	else if (fixes == 0)
		fail("no fixture has a diagnostic with a fix");
	end_case();
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sarif-check FIXTURE_DIR\n");
		return 2;
	}
	case_rules();
	case_hand_built();
	case_uris();
	case_limits_and_files();
	case_fixtures(argv[1]);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
