/* schema.c and rules_schema.c: ECMA-262 patterns, hostile schemas (cycles,
 * exponential alternatives, budgets, backtracking), the cache, threads,
 * which files a config may name, and the built-in tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonc.h"
#include "lint.h"
#include "rules_schema.h"
#include "schema.h"
#include "schema_impl.h"

static const char *source_root = ".";

static wl_schema *
schema_of(const char *json)
{
	struct json_object *o = json_tokener_parse(json);
	assert_non_null(o);
	char *error = NULL;
	wl_schema *s = wl_schema_from_json(o, &error);
	if (!s)
		fail_msg("schema does not compile: %s", error);
	json_object_put(o);
	return s;
}

typedef struct result {
	size_t failures;
	bool complete;
	size_t work;
	wl_schema_issue_kind first_kind;
	char first_message[256];
} result;

static result
check_with(const wl_schema *s, const char *instance, size_t budget)
{
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("i.json", instance, strlen(instance)), &diags);
	wl_schema_issues out = {0};
	result r = {0};
	r.complete = wl_schema_validate(s, doc->root, budget, &out);
	r.work = out.work;
	for (size_t i = 0; i < out.len; i++)
		if (out.items[i].kind < WL_SCHEMA_DEPRECATED) {
			if (!r.failures++) {
				r.first_kind = out.items[i].kind;
				snprintf(r.first_message, sizeof(r.first_message), "%s",
				         out.items[i].message);
			}
		}
	wl_schema_issues_free(&out);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	return r;
}

static result
check(const wl_schema *s, const char *instance)
{
	return check_with(s, instance, wl_schema_default_budget(strlen(instance)));
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- patterns are ECMA-262 ---- */

static void
test_ascii_digits(void **state)
{
	(void)state;
	wl_schema *s = schema_of("{\"pattern\": \"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\"}");
	assert_int_equal(check(s, "\"2025-01-01\"").failures, 0);
	/* Arabic-Indic digits are \d only under Unicode rules. */
	result r =
	    check(s, "\"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5-\xd9\xa0\xd9\xa1-\xd9\xa0\xd9\xa1\"");
	assert_int_equal(r.failures, 1);
	assert_int_equal(r.first_kind, WL_SCHEMA_PATTERN);
	wl_schema_release(s);

	s = schema_of("{\"pattern\": \"^\\\\w+$\"}");
	assert_int_equal(check(s, "\"abc_1\"").failures, 0);
	assert_int_equal(check(s, "\"caf\xc3\xa9\"").failures, 1);
	wl_schema_release(s);
}

static void
test_u_escapes(void **state)
{
	(void)state;
	wl_schema *s = schema_of("{\"pattern\": \"^\\\\u0041+\\\\u00e9$\"}");
	assert_int_equal(check(s, "\"AA\xc3\xa9\"").failures, 0);
	assert_int_equal(check(s, "\"BB\xc3\xa9\"").failures, 1);
	wl_schema_release(s);
}

/* The built-in compatibility_date pattern, through the whole linter. */
static void
test_builtin_date_digits(void **state)
{
	(void)state;
	const char *cfg = "{\"name\": \"a\", \"main\": \"i.ts\", \"compatibility_date\": "
	                  "\"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5-\xd9\xa0\xd9\xa1-\xd9\xa0\xd9\xa1\"}";
	wl_lint_result *r = wl_lint_source(wl_source_new("mem.jsonc", cfg, strlen(cfg)), NULL);
	bool found = false;
	for (size_t i = 0; i < r->diags.len; i++)
		found |= strcmp(r->diags.items[i].rule->id, "schema-pattern") == 0;
	assert_true(found);
	wl_lint_result_free(r);
}

/* ---- hostile schemas finish ---- */

static void
test_ref_cycle_under_any_of(void **state)
{
	(void)state;
	wl_schema *s =
	    schema_of("{\"$ref\": \"#/definitions/a\", \"definitions\": {\"a\": {\"anyOf\": "
	              "[{\"$ref\": \"#/definitions/a\"}, {\"$ref\": \"#/definitions/a\"}],"
	              " \"properties\": {\"x\": {\"$ref\": \"#/definitions/a\"}}}}}");
	char deep[4096] = "";
	for (int i = 0; i < 200; i++)
		strcat(deep, "{\"x\":");
	strcat(deep, "1");
	for (int i = 0; i < 200; i++)
		strcat(deep, "}");
	double t0 = now();
	result r = check(s, deep);
	assert_true(now() - t0 < 2.0);
	assert_true(r.complete);
	assert_int_equal(r.failures, 0);
	wl_schema_release(s);

	/* The same cycle with a failing constraint: still finishes, still fails. */
	s = schema_of("{\"$ref\": \"#/definitions/a\", \"definitions\": {\"a\": {\"type\": "
	              "\"string\", \"anyOf\": [{\"$ref\": \"#/definitions/a\"}, {\"$ref\": "
	              "\"#/definitions/a\"}]}}}");
	r = check(s, "1");
	assert_true(r.complete);
	assert_int_equal(r.failures, 1);
	assert_int_equal(r.first_kind, WL_SCHEMA_TYPE);
	wl_schema_release(s);
}

/* d0 -> anyOf[d1, d1'] -> ... : 2^40 paths without memoisation. */
static void
test_exponential_alternatives(void **state)
{
	(void)state;
	char *json = wl_xstrdup("{\"$ref\": \"#/definitions/d0\", \"definitions\": {");
	for (int i = 0; i < 40; i++) {
		char *more =
		    wl_xasprintf("%s\"d%d\": {\"anyOf\": [{\"$ref\": \"#/definitions/d%d\"}, "
		                 "{\"$ref\": \"#/definitions/d%d\"}]},",
		                 json, i, i + 1, i + 1);
		free(json);
		json = more;
	}
	char *more = wl_xasprintf("%s\"d40\": {\"type\": \"string\"}}}", json);
	free(json);
	wl_schema *s = schema_of(more);
	free(more);
	double t0 = now();
	result r = check(s, "{\"a\": 1}");
	assert_true(now() - t0 < 2.0);
	assert_true(r.complete);
	assert_int_equal(r.failures, 1);
	assert_true(r.work < 10000);
	wl_schema_release(s);
}

static void
test_budget(void **state)
{
	(void)state;
	wl_schema *s = schema_of("{\"items\": {\"type\": \"integer\"}}");
	result r = check_with(s, "[1,2,3,4,5,6,7,8,9,10]", 5);
	assert_false(r.complete);
	r = check_with(s, "[1,2,3,4,5,6,7,8,9,10]", 1000);
	assert_true(r.complete);
	assert_int_equal(r.failures, 0);
	wl_schema_release(s);
}

/* Catastrophic backtracking ends at PCRE2's match limit, not in hours. */
static void
test_backtracking_pattern(void **state)
{
	(void)state;
	wl_schema *s = schema_of("{\"pattern\": \"^(a+)+$\"}");
	char inst[128] = "\"";
	for (int i = 0; i < 60; i++)
		strcat(inst, "a");
	strcat(inst, "b\"");
	double t0 = now();
	result r = check(s, inst);
	assert_true(now() - t0 < 2.0);
	assert_false(r.complete);
	wl_schema_release(s);
}

/* ---- draft-07 keywords and neutral issues ---- */

static void
test_issue_kinds(void **state)
{
	(void)state;
	wl_schema *s = schema_of("{\"properties\": {\"a\": false, \"s\": {\"maxLength\": 2}, "
	                         "\"n\": {\"not\": {\"type\": \"string\"}}}, "
	                         "\"patternProperties\": {\"^x-\": {\"type\": \"integer\"}}, "
	                         "\"additionalProperties\": false}");
	result r = check(s, "{\"a\": 1}");
	assert_int_equal(r.first_kind, WL_SCHEMA_FALSE);
	r = check(s, "{\"s\": \"abc\"}");
	assert_int_equal(r.first_kind, WL_SCHEMA_RANGE);
	r = check(s, "{\"n\": \"abc\"}");
	assert_int_equal(r.first_kind, WL_SCHEMA_ENUM);
	assert_int_equal(check(s, "{\"n\": 1, \"x-y\": 2, \"s\": \"ab\"}").failures, 0);
	r = check(s, "{\"x-y\": \"no\"}");
	assert_int_equal(r.first_kind, WL_SCHEMA_TYPE);
	r = check(s, "{\"other\": 1}");
	assert_int_equal(r.first_kind, WL_SCHEMA_UNKNOWN_KEY);
	wl_schema_release(s);
}

/* ---- the built-in tables match a run-time compilation ---- */

static void
test_builtin_tables(void **state)
{
	(void)state;
	char *path = wl_xasprintf("%s/schemas/wrangler.schema.json", source_root);
	struct json_object *o = json_object_from_file(path);
	free(path);
	assert_non_null(o);
	wl_stables t;
	char *error = NULL;
	assert_true(wl_stables_build(o, &t, &error));
	assert_int_equal(t.n_nodes, wl_builtin_stables.n_nodes);
	assert_int_equal(t.n_props, wl_builtin_stables.n_props);
	assert_int_equal(t.n_values, wl_builtin_stables.n_values);
	assert_int_equal(t.n_lists, wl_builtin_stables.n_lists);
	for (uint32_t i = 0; i < t.n_props; i++)
		assert_string_equal(t.props[i].name, wl_builtin_stables.props[i].name);
	/* The value annotations, node by node (schema-gen writes them too). */
	size_t annotated = 0;
	for (uint32_t i = 0; i < t.n_nodes; i++) {
		const wl_snode *a = &t.nodes[i], *b = &wl_builtin_stables.nodes[i];
		assert_int_equal(a->deprecated_values, b->deprecated_values);
		assert_int_equal(a->since_values, b->since_values);
		assert_int_equal(a->notes, b->notes);
		const wl_snotes *na = wl_snode_notes(&t, a),
		                *nb = wl_snode_notes(&wl_builtin_stables, b);
		const char *const ta[] = {na->pattern_desc, na->deprecated, na->removed, na->since,
		                          na->deprecated_since};
		const char *const tb[] = {nb->pattern_desc, nb->deprecated, nb->removed, nb->since,
		                          nb->deprecated_since};
		for (size_t k = 0; k < 5; k++) {
			if (ta[k])
				assert_string_equal(ta[k], tb[k]);
			else
				assert_null(tb[k]);
		}
		annotated += (a->deprecated_values != WL_SNONE) + (a->since_values != WL_SNONE) +
		             (na->deprecated_since != NULL);
	}
	assert_int_equal(t.n_notes, wl_builtin_stables.n_notes);
	assert_true(annotated >= 3); /* instance_type, pipelines[].pipeline, ... */
	assert_string_equal(t.newest_since, wl_builtin_stables.newest_since);
	/* Every built-in pattern compiles (they are compiled lazily). */
	for (uint32_t i = 0; i < wl_builtin_stables.n_patterns; i++) {
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "pattern",
		                       json_object_new_string(wl_builtin_stables.patterns[i]));
		wl_schema *s = wl_schema_from_json(p, &error);
		assert_non_null(s);
		wl_schema_release(s);
		json_object_put(p);
	}
	wl_stables_free(&t);
	json_object_put(o);
}

/* ---- the cache ---- */

static char tmpdir[256];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The project's version for `cfg` is `want` (NULL: unknown), found in a
 * file whose shown path contains `from` (when not NULL). */
static void
expect_version(const char *cfg, const char *want, const char *from)
{
	char *where = NULL;
	char *v = wl_project_wrangler_version(cfg, &where);
	if (!want) {
		assert_null(v);
	} else {
		assert_non_null(v);
		assert_string_equal(v, want);
		if (from)
			assert_non_null(strstr(where, from));
	}
	free(v);
	free(where);
}

static void
test_cache_invalidation(void **state)
{
	(void)state;
	char *path = wl_xasprintf("%s/s.json", tmpdir);
	write_file(path, "{\"type\": \"object\"}");
	wl_schema_cache *c = wl_schema_cache_new();
	char *error = NULL;
	wl_schema *a = wl_schema_cache_load(c, path, &error);
	assert_non_null(a);
	wl_schema *b = wl_schema_cache_load(c, path, &error);
	assert_ptr_equal(a, b); /* unchanged: reused */
	wl_schema_release(b);
	assert_int_equal(check(a, "[]").failures, 1);
	/* Same size, new contents and modification time: recompiled. */
	write_file(path, "{\"type\": \"array\" }");
	struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
	utimensat(AT_FDCWD, path, times, 0);
	wl_schema *d = wl_schema_cache_load(c, path, &error);
	assert_non_null(d);
	assert_ptr_not_equal(a, d);
	assert_int_equal(check(d, "[]").failures, 0);
	/* The old one is still usable by whoever holds it. */
	assert_int_equal(check(a, "[]").failures, 1);
	wl_schema_release(a);
	wl_schema_release(d);
	wl_schema_cache_free(c);
	unlink(path);
	free(path);
}

typedef struct job {
	wl_schema_cache *cache;
	int bad;
} job;

static void *
worker(void *arg)
{
	job *j = arg;
	const char *inst = "{\"name\": \"Bad Name\", \"compatibility_date\": \"2025-01-01\", "
	                   "\"r2_buckets\": [{\"binding\": \"B\", \"bucket_name\": \"Ab\"}]}";
	for (int i = 0; i < 30; i++) {
		result r = check(wl_schema_cache_builtin(j->cache), inst);
		if (r.failures != 2)
			j->bad++;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	(void)state;
	wl_schema_cache *c = wl_schema_cache_new();
	pthread_t t[4];
	job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (job){c, 0};
		pthread_create(&t[i], NULL, worker, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].bad, 0);
	}
	wl_schema_cache_free(c);
}

/* ---- what a config's $schema may read ---- */

static wl_lint_result *
lint_file(const char *path, const char *text)
{
	write_file(path, text);
	return wl_lint_source(wl_source_new(path, text, strlen(text)), NULL);
}

static const wl_diag *
find(const wl_lint_result *r, const char *id)
{
	for (size_t i = 0; i < r->diags.len; i++)
		if (strcmp(r->diags.items[i].rule->id, id) == 0)
			return &r->diags.items[i];
	return NULL;
}

static void
test_schema_never_echoes_files(void **state)
{
	(void)state;
	char *proj = wl_xasprintf("%s/proj", tmpdir);
	mkdir(proj, 0700);
	char *git = wl_xasprintf("%s/.git", proj);
	mkdir(git, 0700);
	char *vars = wl_xasprintf("%s/.dev.vars", proj);
	write_file(vars, "SECRET_TOKEN=ghp_0123456789abcdef\n");
	char *json = wl_xasprintf("%s/creds.json", proj);
	write_file(json, "{\"token\": \"ghp_0123456789abcdef\", \"user\": \"x\"}");
	char *bad = wl_xasprintf("%s/bad.json", proj);
	write_file(bad, "{\"$schema\": \"x\", \"ghp_0123456789abcdef\" 1}");
	char *cfg = wl_xasprintf("%s/sub/wrangler.jsonc", proj);
	char *sub = wl_xasprintf("%s/sub", proj);
	mkdir(sub, 0700);
	char *link = wl_xasprintf("%s/passwd.json", sub);
	unlink(link);
	assert_int_equal(symlink("/etc/passwd", link), 0);

	const char *refs[] = {"../.dev.vars", "../creds.json", "../bad.json",
	                      "/etc/passwd",  "passwd.json",   "../../../../../../../etc/passwd"};
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		char *text = wl_xasprintf("{\"$schema\": \"%s\", \"name\": \"a\"}", refs[i]);
		wl_lint_result *r = lint_file(cfg, text);
		const wl_diag *d = find(r, "schema-unavailable");
		assert_non_null(d);
		assert_null(strstr(d->message, "ghp_"));
		assert_null(strstr(d->message, "SECRET"));
		assert_null(strstr(d->message, "root:"));
		assert_null(strstr(d->message, "token"));
		if (i >= 3) /* outside the repository, directly or by a link */
			assert_non_null(strstr(d->message, "outside the project"));
		wl_lint_result_free(r);
		free(text);
	}
	/* A real schema in the repository, above the config's folder: used. */
	char *good = wl_xasprintf("%s/house.schema", proj);
	write_file(good, "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", "
	                 "\"properties\": {\"name\": {\"pattern\": \"^team-\"}}}");
	wl_lint_result *r = lint_file(cfg, "{\"$schema\": \"../house.schema\", \"name\": \"a\"}");
	assert_null(find(r, "schema-unavailable"));
	assert_non_null(find(r, "schema-pattern"));
	wl_lint_result_free(r);

	unlink(link);
	unlink(cfg);
	unlink(good);
	unlink(vars);
	unlink(json);
	unlink(bad);
	rmdir(sub);
	rmdir(git);
	rmdir(proj);
	free(good);
	free(link);
	free(sub);
	free(cfg);
	free(bad);
	free(json);
	free(vars);
	free(git);
	free(proj);
}

/* ---- the project's wrangler ---- */

static void
test_versions(void **state)
{
	(void)state;
	assert_true(wl_version_cmp("4.107.0", "4.86.0") > 0);
	assert_true(wl_version_cmp("4.86", "4.86.0") == 0);
	assert_true(wl_version_cmp("3.99.9", "4.0.0") < 0);

	/* x-since annotations only for keys newer than the caller's version. */
	wl_schema *s = schema_of("{\"properties\": {\"old\": {\"x-since\": \"4.10.0\"}, "
	                         "\"new\": {\"x-since\": \"4.107.0\"}}}");
	assert_string_equal(wl_schema_newest_since(s), "4.107.0");
	const char *inst = "{\"old\": 1, \"new\": 2}";
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("i.json", inst, strlen(inst)), &diags);
	wl_schema_issues out = {0};
	out.since_after = "4.86.0";
	assert_true(wl_schema_validate(s, doc->root, 100000, &out));
	assert_int_equal(out.len, 1);
	assert_int_equal(out.items[0].kind, WL_SCHEMA_SINCE);
	assert_string_equal(out.items[0].key, "new");
	wl_schema_issues_free(&out);
	memset(&out, 0, sizeof(out));
	assert_true(wl_schema_validate(s, doc->root, 100000, &out));
	assert_int_equal(out.len, 0); /* no version: no annotations */
	wl_schema_issues_free(&out);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	wl_schema_release(s);

	char *proj = wl_xasprintf("%s/vproj", tmpdir);
	char *app = wl_xasprintf("%s/app", proj);
	char *git = wl_xasprintf("%s/.git", proj);
	mkdir(proj, 0700);
	mkdir(git, 0700);
	mkdir(app, 0700);
	char *cfg = wl_xasprintf("%s/wrangler.jsonc", app);
	char *pkg = wl_xasprintf("%s/package.json", proj);
	/* Nothing: unknown. */
	expect_version(cfg, NULL, NULL);
	/* A range in the repository's package.json, above the config. */
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"^4.86.1\"}}");
	expect_version(cfg, "4.86.1", "../package.json");
	/* An npm alias, and a partial version, which is the lowest it allows. */
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"npm:wrangler@^4.90.0\"}}");
	expect_version(cfg, "4.90.0", NULL);
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"4.x\"}}");
	expect_version(cfg, "4.0.0", NULL);
	/* "*" says nothing. */
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"*\"}}");
	expect_version(cfg, NULL, NULL);
	/* pnpm catalogs: the default one and a named one, from the
	 * pnpm-workspace.yaml at or above the package.json. */
	char *yaml = wl_xasprintf("%s/pnpm-workspace.yaml", proj);
	write_file(yaml, "packages:\n  - app\n# versions\ncatalog:\n  react: ^18.3.1\n"
	                 "  \"wrangler\": '^4.90.2' # pinned\ncatalogs:\n  cf:\n"
	                 "    esbuild: 0.25.0\n    wrangler: 4.120.0\r\n");
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"catalog:\"}}");
	expect_version(cfg, "4.90.2", "../pnpm-workspace.yaml");
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"catalog:cf\"}}");
	expect_version(cfg, "4.120.0", NULL);
	/* A catalog that does not name wrangler: unknown, not another range. */
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"catalog:other\"}}");
	expect_version(cfg, NULL, NULL);
	/* The default catalog written under catalogs:, in the package's own
	 * package.json below the workspace's. */
	char *app_pkg = wl_xasprintf("%s/package.json", app);
	write_file(yaml, "catalogs:\n  default:\n    wrangler: ~4.100.1\n");
	write_file(app_pkg, "{\"dependencies\": {\"wrangler\": \"catalog:default\"}}");
	expect_version(cfg, "4.100.1", NULL);
	/* A flow mapping is not read: unknown, and not the range of a
	 * package.json above the workspace file. */
	char *app_yaml = wl_xasprintf("%s/pnpm-workspace.yaml", app);
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"^4.86.1\"}}");
	write_file(app_yaml, "catalog: { wrangler: ^4.1.0 }\n");
	write_file(app_pkg, "{\"dependencies\": {\"wrangler\": \"catalog:\"}}");
	expect_version(cfg, NULL, NULL);
	unlink(app_yaml);
	free(app_yaml);
	unlink(app_pkg);
	free(app_pkg);
	unlink(yaml);
	free(yaml);
	/* An installed wrangler wins over any range. */
	write_file(pkg, "{\"devDependencies\": {\"wrangler\": \"^4.86.1\"}}");
	char *nm = wl_xasprintf("%s/node_modules", app);
	char *nmw = wl_xasprintf("%s/node_modules/wrangler", app);
	char *nmp = wl_xasprintf("%s/node_modules/wrangler/package.json", app);
	mkdir(nm, 0700);
	mkdir(nmw, 0700);
	write_file(nmp, "{\"name\": \"wrangler\", \"version\": \"4.164.0\"}");
	expect_version(cfg, "4.164.0", NULL);
	unlink(nmp);
	rmdir(nmw);
	rmdir(nm);
	unlink(pkg);
	rmdir(app);
	rmdir(git);
	rmdir(proj);
	free(nmp);
	free(nmw);
	free(nm);
	free(pkg);
	free(cfg);
	free(git);
	free(app);
	free(proj);
}

/* Validates `inst` against `s` with `since_after` and returns the issues. */
static wl_schema_issues
annotations(const wl_schema *s, const char *inst, const char *since_after)
{
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new("i.json", inst, strlen(inst)), &diags);
	wl_schema_issues out = {0};
	out.since_after = since_after;
	assert_true(wl_schema_validate(s, doc->root, 100000, &out));
	/* Issues point into the document: keep only what the tests read. */
	for (size_t i = 0; i < out.len; i++) {
		out.items[i].at = NULL;
		out.items[i].key = out.items[i].key ? "(key)" : NULL;
	}
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	return out;
}

static void
test_value_annotations(void **state)
{
	(void)state;
	wl_schema *s = schema_of(
	    "{\"properties\": {"
	    "\"size\": {\"anyOf\": [{\"enum\": [\"dev\", \"lite\", \"standard\"]}, "
	    "{\"type\": \"object\"}], "
	    "\"x-deprecated-values\": {\"dev\": \"renamed \\\"lite\\\"\", \"standard\": \"\", "
	    "\"odd\": 7}},"
	    "\"old\": {\"type\": \"string\", \"deprecated\": \"use new\", "
	    "\"x-deprecated-since\": \"4.96.0\"},"
	    "\"kind\": {\"enum\": [\"a\", \"b\"], \"x-since-values\": {\"b\": \"4.139.0\"}},"
	    "\"proto\": {\"const\": \"udp\", \"x-since-values\": {\"udp\": \"4.200.0\"}},"
	    "\"mode\": {\"$ref\": \"#/definitions/m\", \"x-deprecated-values\": {\"x\": \"old\"}}"
	    "}, \"definitions\": {\"m\": {\"enum\": [\"x\", \"y\"]}}}");
	/* A value newer than every key raises the schema's newest version. */
	assert_string_equal(wl_schema_newest_since(s), "4.200.0");
	/* The release a schema was checked against counts as known too: the
	 * built-in schema describes 4.164.0, though no key is newer than 4.160. */
	wl_schema *released = schema_of("{\"x-wrangler-version\": \"4.164.0\", \"properties\": "
	                                "{\"a\": {\"x-since\": \"4.160.0\"}}}");
	assert_string_equal(wl_schema_newest_since(released), "4.164.0");
	wl_schema_free(released);
	assert_string_equal(wl_builtin_stables.newest_since, "4.164.0");

	/* A deprecated value, at the value, with its message; an old one that
	 * is not deprecated, and the object branch, say nothing. */
	wl_schema_issues out = annotations(s, "{\"size\": \"dev\"}", NULL);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.items[0].kind, WL_SCHEMA_DEPRECATED);
	assert_string_equal(out.items[0].keyword, "x-deprecated-values");
	assert_null(out.items[0].key);
	assert_string_equal(out.items[0].message, "\"dev\" is deprecated: renamed \"lite\"");
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"size\": \"standard\"}", "4.164.0");
	assert_int_equal(out.len, 1);
	assert_string_equal(out.items[0].message, "\"standard\" is deprecated");
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"size\": \"lite\"}", NULL);
	assert_int_equal(out.len, 0);
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"size\": {}}", NULL);
	assert_int_equal(out.len, 0);
	wl_schema_issues_free(&out);
	/* Not a string message: ignored; a key of that name is no value. */
	out = annotations(s, "{\"size\": \"odd\"}", NULL);
	assert_true(out.len >= 1); /* not in the enum, not an object */
	for (size_t i = 0; i < out.len; i++)
		assert_true(out.items[i].kind < WL_SCHEMA_DEPRECATED);
	wl_schema_issues_free(&out);

	/* Beside a $ref too. */
	out = annotations(s, "{\"mode\": \"x\"}", NULL);
	assert_int_equal(out.len, 1);
	assert_string_equal(out.items[0].message, "\"x\" is deprecated: old");
	wl_schema_issues_free(&out);

	/* x-deprecated-since: from that version on, or when it is unknown. */
	const char *old = "{\"old\": \"x\"}";
	out = annotations(s, old, "4.95.9");
	assert_int_equal(out.len, 0);
	wl_schema_issues_free(&out);
	out = annotations(s, old, "4.96.0");
	assert_int_equal(out.len, 1);
	assert_int_equal(out.items[0].kind, WL_SCHEMA_DEPRECATED);
	assert_non_null(out.items[0].key);
	wl_schema_issues_free(&out);
	out = annotations(s, old, NULL);
	assert_int_equal(out.len, 1);
	assert_int_equal(out.items[0].kind, WL_SCHEMA_DEPRECATED);
	wl_schema_issues_free(&out);

	/* x-since-values: only with a known, older version. */
	out = annotations(s, "{\"kind\": \"b\", \"proto\": \"udp\"}", "4.139.0");
	assert_int_equal(out.len, 1);
	assert_int_equal(out.items[0].kind, WL_SCHEMA_SINCE);
	assert_string_equal(out.items[0].keyword, "x-since-values");
	assert_string_equal(out.items[0].since, "4.200.0");
	assert_string_equal(out.items[0].message, "\"udp\" needs wrangler 4.200.0 or newer");
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"kind\": \"b\"}", "4.100.0");
	assert_int_equal(out.len, 1);
	assert_string_equal(out.items[0].since, "4.139.0");
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"kind\": \"a\"}", "4.100.0");
	assert_int_equal(out.len, 0);
	wl_schema_issues_free(&out);
	out = annotations(s, "{\"kind\": \"b\"}", NULL);
	assert_int_equal(out.len, 0);
	wl_schema_issues_free(&out);
	wl_schema_release(s);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		source_root = argv[1];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/wl-test-schema-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_digits),
	    cmocka_unit_test(test_u_escapes),
	    cmocka_unit_test(test_builtin_date_digits),
	    cmocka_unit_test(test_ref_cycle_under_any_of),
	    cmocka_unit_test(test_exponential_alternatives),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_backtracking_pattern),
	    cmocka_unit_test(test_issue_kinds),
	    cmocka_unit_test(test_builtin_tables),
	    cmocka_unit_test(test_cache_invalidation),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_schema_never_echoes_files),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_value_annotations),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return rc;
}
