/* TOML-only rules: the scoping traps of wrangler.toml, where a key silently
 * lands in the wrong table. They read the headers and the key/value lines the
 * TOML front end records (doc->toml, see toml.h); JSON documents have none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules_families.h"
#include "toml.h"

static const wl_rule rule_key_in_table = {
    "toml-key-in-table", "toml", WL_SEV_WARNING,
    "A config key written after a table header, so it lands in that table instead"};
static const wl_rule rule_top_level_swallowed = {
    "toml-top-level-swallowed", "toml", WL_SEV_WARNING,
    "The top-level keys were written after an [env.X] header and belong to that env"};
static const wl_rule rule_absolute_header = {
    "toml-absolute-header", "toml", WL_SEV_WARNING,
    "A top-level table header written among an env's tables, probably meant for the env"};
static const wl_rule rule_migrations_header_missing = {
    "toml-migrations-header-missing", "toml", WL_SEV_ERROR,
    "Migration keys in another table, or config keys in a migration: a [[migrations]] "
    "header is missing or misplaced"};
static const wl_rule rule_wrong_brackets = {
    "toml-wrong-brackets", "toml", WL_SEV_ERROR,
    "[table] where wrangler expects [[array of tables]], or the other way round"};
static const wl_rule rule_date_value = {
    "toml-date-value", "toml", WL_SEV_ERROR,
    "An unquoted TOML date or time, where wrangler expects a string"};

static const wl_rule *const rules[] = {
    &rule_absolute_header,           &rule_date_value,          &rule_key_in_table,
    &rule_migrations_header_missing, &rule_top_level_swallowed, &rule_wrong_brackets,
};

/* Keys of the top level (and mostly of an env) that a table below a header
 * never has, except `name` in arrays of tables (bindings have names). */
static const char *const config_keys[] = {
    "account_id",
    "ai",
    "alias",
    "analytics_engine_datasets",
    "assets",
    "base_dir",
    "browser",
    "build",
    "compatibility_date",
    "compatibility_flags",
    "containers",
    "d1_databases",
    "data_blobs",
    "define",
    "dev",
    "dispatch_namespaces",
    "durable_objects",
    "env",
    "exports",
    "find_additional_modules",
    "hyperdrive",
    "images",
    "jsx_factory",
    "jsx_fragment",
    "keep_vars",
    "kv_namespaces",
    "legacy_env",
    "limits",
    "logpush",
    "main",
    "migrations",
    "minify",
    "mtls_certificates",
    "name",
    "no_bundle",
    "node_compat",
    "observability",
    "pages_build_output_dir",
    "pipelines",
    "placement",
    "preserve_file_names",
    "preview_urls",
    "queues",
    "r2_buckets",
    "ratelimits",
    "route",
    "routes",
    "rules",
    "secrets_store_secrets",
    "send_email",
    "send_metrics",
    "services",
    "site",
    "tail_consumers",
    "text_blobs",
    "triggers",
    "tsconfig",
    "unsafe",
    "upload_source_maps",
    "usage_model",
    "vars",
    "vectorize",
    "version_metadata",
    "wasm_modules",
    "workers_dev",
    "workflows",
};

static const char *const migration_keys[] = {
    "deleted_classes", "new_classes", "new_sqlite_classes",
    "renamed_classes", "tag",         "transferred_classes",
};

/* Binding keys that are not inherited: an env must repeat them. */
static const char *const per_env_tables[] = {
    "ai",
    "analytics_engine_datasets",
    "browser",
    "d1_databases",
    "dispatch_namespaces",
    "durable_objects",
    "hyperdrive",
    "kv_namespaces",
    "mtls_certificates",
    "queues",
    "r2_buckets",
    "services",
    "tail_consumers",
    "vars",
    "vectorize",
    "workflows",
};

/* Paths below the top level (or env.X) that wrangler reads as arrays, and
 * those it reads as tables. */
static const char *const array_paths[] = {
    "analytics_engine_datasets",
    "containers",
    "d1_databases",
    "dispatch_namespaces",
    "durable_objects.bindings",
    "hyperdrive",
    "kv_namespaces",
    "migrations",
    "mtls_certificates",
    "queues.consumers",
    "queues.producers",
    "r2_buckets",
    "routes",
    "rules",
    "services",
    "tail_consumers",
    "unsafe.bindings",
    "vectorize",
    "workflows",
};
static const char *const table_paths[] = {
    "ai",   "alias",           "assets", "browser",       "build",     "define",
    "dev",  "durable_objects", "limits", "observability", "placement", "queues",
    "site", "triggers",        "unsafe", "vars",
};

/* Every list above is sorted: each key line and header is looked up, so
 * search them. */
static bool
in_list(const char *s, const char *const *list, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s, list[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

#define IN(s, list) in_list((s), (list), sizeof(list) / sizeof((list)[0]))

static bool
is_config_key(const char *s)
{
	return IN(s, config_keys);
}

/* Number of leading segments naming an env: 2 for env.X..., else 0. */
static uint32_t
env_prefix(const wl_toml_header *h)
{
	return h->n_segs >= 2 && strcmp(h->segs[0], "env") == 0 ? 2 : 0;
}

#define PATH_MAX_LEN 256

/* The header's path below its scope ("durable_objects.bindings") into out
 * (PATH_MAX_LEN bytes); false when longer, as no rule is about such paths. */
static bool
rel_path(const wl_toml_header *h, char *out)
{
	size_t at = 0;
	out[0] = '\0';
	for (uint32_t i = env_prefix(h); i < h->n_segs; i++) {
		size_t k = strlen(h->segs[i]);
		if (at + k + 2 > PATH_MAX_LEN)
			return false;
		if (at)
			out[at++] = '.';
		memcpy(out + at, h->segs[i], k);
		at += k;
		out[at] = '\0';
	}
	return true;
}

/* "env.NAME." before a path in messages, as three %s arguments. */
#define ENV_PREFIX(pre, env) (pre) ? "env." : "", (pre) ? (env) : "", (pre) ? "." : ""

static bool
is_env_header(const wl_toml_header *h)
{
	return h->n_segs == 2 && env_prefix(h);
}

/* Offset of the start of the line holding `at`. */
static uint32_t
line_start(const wl_doc *doc, uint32_t at)
{
	while (at > 0 && doc->src->bytes[at - 1] != '\n' && doc->src->bytes[at - 1] != '\r')
		at--;
	return at;
}

/* Tables whose keys are not wrangler's to name: upload metadata passed
 * through as is, and the legacy [build.upload] (which has its own `main`). */
static bool
free_form(const char *path)
{
	return strcmp(path, "unsafe") == 0 || strncmp(path, "unsafe.", 7) == 0 ||
	       strcmp(path, "build.upload") == 0 || strncmp(path, "build.upload.", 13) == 0;
}

static void
check_keys(wl_check_ctx *ctx, const wl_toml_info *t)
{
	const wl_toml_header *reported_section = NULL, *path_of = NULL;
	char path[PATH_MAX_LEN]; /* of the header path_of, computed once per header */
	bool path_ok = false;
	for (const wl_toml_key *k = t->keys; k; k = k->next) {
		const wl_toml_header *h = k->header;
		if (!h || !h->table || is_env_header(h))
			continue;
		const char *key = k->node->key;
		bool migration_key = IN(key, migration_keys), config_key = is_config_key(key);
		if (!migration_key && !config_key)
			continue;
		if (path_of != k->header) {
			path_ok = rel_path(h, path);
			path_of = k->header;
		}
		if (!path_ok)
			continue;
		uint32_t pre = env_prefix(h);
		const char *env = pre ? h->segs[1] : NULL;
		bool is_migration = strcmp(path, "migrations") == 0;
		bool is_do_bindings = strcmp(path, "durable_objects.bindings") == 0;
		if (is_do_bindings && migration_key) {
			{
				wl_diag *d = wl_report_span(
				    ctx, &rule_migrations_header_missing, k->node,
				    k->node->key_span, env,
				    "\"%s\" is a migration key, but it sits in the [[%.*s]] table "
				    "opened above: a [[%s%s%smigrations]] header is missing before "
				    "it",
				    key, (int)(h->key_span.end - h->key_span.start),
				    ctx->doc->src->bytes + h->key_span.start, pre ? "env." : "",
				    pre ? h->segs[1] : "", pre ? "." : "");
				wl_diag_add_related(d, h->span,
				                    "this table gets the migration keys");
				if (reported_section != k->header) { /* one fix per table */
					reported_section = k->header;
					uint32_t ls = line_start(ctx->doc, k->node->key_span.start);
					char *text = pre ? wl_xasprintf("[[env.%s.migrations]]\n",
					                                h->segs[1])
					                 : wl_xstrdup("[[migrations]]\n");
					wl_diag_add_edit(d, "add the missing [[migrations]] header",
					                 wl_span_make(ls, ls), text);
					free(text);
				}
			}
		} else if (is_migration && config_key) {
			wl_diag *d = wl_report_span(
			    ctx, &rule_migrations_header_missing, k->node, k->node->key_span, env,
			    "\"%s\" is a %s setting, but it follows a [[migrations]] header and so "
			    "belongs to that migration; move it above the first table header",
			    key, env ? "env" : "top-level");
			wl_diag_add_related(d, h->span, "the migration it landed in");
		} else if (!is_migration && config_key && !free_form(path) &&
		           !((h->array || IN(path, array_paths)) && strcmp(key, "name") == 0) &&
		           strcmp(key, "env") != 0) {
			wl_diag *d;
			if (env)
				d = wl_report_span(
				    ctx, &rule_key_in_table, k->node, k->node->key_span, env,
				    "\"%s\" follows the [%s] header, so it is a key of env.%s.%s, "
				    "not "
				    "the env's \"%s\" setting; move it directly under [env.%s], "
				    "before its sub-tables",
				    key, path, env, path, key, env);
			else
				d = wl_report_span(
				    ctx, &rule_key_in_table, k->node, k->node->key_span, NULL,
				    "\"%s\" follows the [%s%s%s] header, so it is a key of %s%s, "
				    "not the "
				    "top-level \"%s\" setting; move it above the first table "
				    "header",
				    key, h->array ? "[" : "", path, h->array ? "]" : "", path,
				    strcmp(path, "vars") == 0 ? " (a variable)" : "", key);
			wl_diag_add_related(d, h->span, "the table it landed in");
		}
	}
}

static void
check_swallowed(wl_check_ctx *ctx, const wl_toml_info *t)
{
	if (!t->n_headers)
		return;
	static const char *const essentials[] = {"compatibility_date", "main", "name"};
	const wl_node *root = ctx->doc->root;
	for (const wl_toml_key *k = t->keys; k; k = k->next) {
		const wl_toml_header *h = k->header;
		if (!h || !is_env_header(h) || !IN(k->node->key, essentials) ||
		    wl_node_get(root, k->node->key))
			continue;
		/* Only when the env header comes before every top-level key of the
		 * file, or the top level has none of the essentials at all. */
		bool none = true;
		for (size_t e = 0; e < 3; e++)
			none &= wl_node_get(root, essentials[e]) == NULL;
		if (!none)
			continue;
		wl_diag *d = wl_report_span(
		    ctx, &rule_top_level_swallowed, k->node, k->node->key_span, h->segs[1],
		    "the top level has no \"%s\": this one follows the [env.%s] header and so "
		    "belongs to env.%s; if it is the Worker's own setting, move it (and the "
		    "other top-level keys) above the first [env.*] header",
		    k->node->key, h->segs[1], h->segs[1]);
		wl_diag_add_related(d, h->span, "the env header the keys follow");
		return;
	}
	const wl_toml_header *first = t->headers;
	bool top_keys = t->keys && !t->keys->header;
	if (!top_keys && env_prefix(first) && first->table)
		wl_report_span(ctx, &rule_top_level_swallowed, first->table, first->span, NULL,
		               "the file starts with an [env.%s] header: every key after it "
		               "belongs to env.%s, and the top level is empty; write the top-level "
		               "keys above it",
		               first->segs[1], first->segs[1]);
}

static void
check_headers(wl_check_ctx *ctx, const wl_toml_info *t)
{
	const wl_toml_header *last_env = NULL;
	for (const wl_toml_header *h = t->headers; h; h = h->next) {
		if (!h->n_segs)
			continue;
		uint32_t pre = env_prefix(h);
		char path[PATH_MAX_LEN];
		if (!rel_path(h, path)) {
			if (pre)
				last_env = h;
			continue;
		}
		const char *env = pre ? h->segs[1] : NULL;
		const char *open = h->array ? "[[" : "[", *close = h->array ? "]]" : "]";
		if (h->table && path[0]) {
			if (!h->array && IN(path, array_paths))
				wl_report_span(
				    ctx, &rule_wrong_brackets, h->table, h->span, env,
				    "[%s%s%s%s] defines a table, but wrangler expects a list "
				    "here: write [[%s%s%s%s]] (one per entry)",
				    ENV_PREFIX(pre, env), path, ENV_PREFIX(pre, env), path);
			else if (h->array && IN(path, table_paths)) {
				/* The array the header made is what the schema's type
				 * check would flag: this rule says it better. */
				wl_claim(ctx, &rule_wrong_brackets, h->table->parent,
				         WL_CLAIM_TYPE);
				wl_report_span(
				    ctx, &rule_wrong_brackets, h->table, h->span, env,
				    "[[%s%s%s%s]] defines a list of tables, but wrangler "
				    "expects one table "
				    "here: write [%s%s%s%s]%s",
				    ENV_PREFIX(pre, env), path, ENV_PREFIX(pre, env), path,
				    strcmp(path, "durable_objects") == 0
				        ? " for the table, or "
				          "[[durable_objects.bindings]] for each "
				          "binding"
				        : "");
			}
		}
		if (pre) {
			last_env = h;
		} else if (last_env && h->table) {
			const char *top = h->segs[0];
			const char *name = last_env->segs[1];
			const wl_node *envn =
			    wl_node_get(wl_node_get(ctx->doc->root, "env"), last_env->segs[1]);
			bool indented = h->indented;
			bool per_env = IN(top, per_env_tables);
			bool lacks = envn && !wl_node_get(envn, top);
			if ((per_env && (indented || lacks)) ||
			    (indented &&
			     (strcmp(top, "migrations") == 0 || strcmp(top, "routes") == 0))) {
				wl_diag *d = wl_report_span(
				    ctx, &rule_absolute_header, h->table, h->span, NULL,
				    "%s%s%s is a top-level header, though it follows [env.%s]%s: "
				    "for "
				    "env.%s write %senv.%s.%s%s",
				    open, path, close, name,
				    indented ? " and is indented like its tables"
				             : ", which has none of its own",
				    name, open, name, path, close);
				wl_diag_add_related(d, last_env->span,
				                    "the env it probably belongs to");
			}
		}
	}
}

static void
check_dates(wl_check_ctx *ctx)
{
	/* Pre-order walk over parent links: no recursion. */
	const wl_node *n = ctx->doc->root;
	while (n) {
		if (n->flags & WL_NODE_DATETIME) {
			wl_diag *d = wl_report(
			    ctx, &rule_date_value, n, NULL,
			    "%s is an unquoted TOML date, not a string: wrangler reads it as a "
			    "JavaScript Date and rejects it where a string is expected (or "
			    "silently "
			    "ignores it); quote it: \"%s\"",
			    n->str, n->str);
			wl_diag_add_edit(d, "quote the date",
			                 wl_span_make(n->span.start, n->span.start), "\"");
			wl_diag_add_edit(d, "quote the date",
			                 wl_span_make(n->span.end, n->span.end), "\"");
		}
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		while (n && !n->next)
			n = n->parent;
		if (n)
			n = n->next;
	}
}

static void
check(wl_check_ctx *ctx)
{
	const wl_toml_info *t = ctx->doc->toml;
	if (!t || !ctx->doc->root)
		return;
	check_keys(ctx, t);
	check_swallowed(ctx, t);
	check_headers(ctx, t);
	check_dates(ctx);
}

const wl_rule_family wl_family_toml = {"toml", rules, sizeof(rules) / sizeof(rules[0]), check};
