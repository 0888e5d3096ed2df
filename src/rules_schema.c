/* Whole-config validation: the built-in schema (every key of the top level
 * and of each env.NAME) and, when the config's "$schema" names a local file
 * (typically node_modules/wrangler/config-schema.json), that schema too, so
 * the checked fields follow the wrangler the project uses. Runs after the
 * other families: where one of them already reported a position, the more
 * specific rule wins and the schema stays quiet there. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lint.h"
#include "rules_families.h"
#include "rules_schema.h"
#include "schema.h"
#include "toml.h"
#include "strmap.h"

const wl_rule wl_rule_schema_unknown_key = {
    "schema-unknown-key", "schema", WL_SEV_WARNING,
    "A key the configuration schema does not allow (with a did-you-mean suggestion)"};
const wl_rule wl_rule_schema_type = {"schema-type", "schema", WL_SEV_ERROR,
                                     "A value of the wrong JSON type"};
const wl_rule wl_rule_schema_required = {"schema-required", "schema", WL_SEV_ERROR,
                                         "A required key is missing"};
const wl_rule wl_rule_schema_enum = {"schema-enum", "schema", WL_SEV_ERROR,
                                     "A value outside the allowed set"};
const wl_rule wl_rule_schema_pattern = {"schema-pattern", "schema", WL_SEV_ERROR,
                                        "A string in the wrong format (name, date, ...)"};
const wl_rule wl_rule_schema_range = {"schema-range", "schema", WL_SEV_ERROR,
                                      "A number, string or list outside its allowed range or size"};
const wl_rule wl_rule_schema_deprecated = {
    "schema-deprecated", "schema", WL_SEV_WARNING,
    "A deprecated field (an error when wrangler has removed it)"};
const wl_rule wl_rule_schema_unavailable = {
    "schema-unavailable", "schema", WL_SEV_NOTE,
    "The schema named by $schema (or --schema) could not be used"};

static const wl_rule *const rules[] = {
    &wl_rule_schema_unknown_key, &wl_rule_schema_type,        &wl_rule_schema_required,
    &wl_rule_schema_enum,        &wl_rule_schema_pattern,     &wl_rule_schema_range,
    &wl_rule_schema_deprecated,  &wl_rule_schema_unavailable,
};

/* User schemas, compiled once per process and path. */
typedef struct cached_schema {
	wl_schema *schema; /* NULL when it could not be used */
	char *error;
} cached_schema;

static wl_strmap user_schemas;
static bool user_schemas_ready;

static void
free_user_schemas(void)
{
	for (size_t i = 0; i < user_schemas.cap; i++) {
		cached_schema *c = user_schemas.slots[i].value;
		if (!user_schemas.slots[i].key)
			continue;
		wl_schema_free(c->schema);
		free(c->error);
		free((char *)(uintptr_t)user_schemas.slots[i].key);
		free(c);
	}
	wl_strmap_free(&user_schemas);
}

static cached_schema *
load_user_schema(const char *path)
{
	if (!user_schemas_ready) {
		wl_strmap_init(&user_schemas);
		atexit(free_user_schemas);
		user_schemas_ready = true;
	}
	cached_schema *c = wl_strmap_get(&user_schemas, path);
	if (c)
		return c;
	c = wl_xcalloc(1, sizeof(*c));
	/* Only a regular file of sane size: a FIFO or a device named by a
	 * config's $schema must not hang or flood the linter. */
	struct stat st;
	FILE *f = NULL;
	if (stat(path, &st) != 0)
		c->error = wl_xasprintf("cannot read %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		c->error = wl_xasprintf("%s is not a regular file", path);
	else if ((size_t)st.st_size > WL_MAX_FILE_SIZE)
		c->error =
		    wl_xasprintf("%s is larger than the %zu-byte limit", path, WL_MAX_FILE_SIZE);
	else if (!(f = fopen(path, "rb")))
		c->error = wl_xasprintf("cannot read %s: %s", path, strerror(errno));
	if (f) {
		size_t cap = 1 << 16, len = 0, r;
		char *buf = wl_xmalloc(cap);
		while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
			len += r;
			if (len == cap) {
				if (cap > WL_MAX_FILE_SIZE)
					break;
				cap *= 2;
				buf = wl_xrealloc(buf, cap);
			}
		}
		fclose(f);
		char *error = NULL;
		c->schema = wl_schema_compile(path, buf, len, &error);
		if (!c->schema)
			c->error = wl_xasprintf("%s is not a usable schema: %s", path, error);
		free(error);
		free(buf);
	}
	wl_strmap_put(&user_schemas, wl_xstrdup(path), c);
	return c;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The file a local $schema value names, relative to the config's folder;
 * NULL for URLs (never fetched) and for stdin without a name. */
static char *
schema_file(const char *config_path, const char *ref)
{
	if (strstr(ref, "://"))
		return NULL;
	if (ref[0] == '/')
		return wl_xstrdup(ref);
	const char *slash = strrchr(config_path, '/');
	if (!slash)
		return wl_xstrdup(ref);
	return wl_xasprintf("%.*s/%s", (int)(slash - config_path), config_path, ref);
}

static void
check(wl_check_ctx *ctx)
{
	const wl_lint_options *opts = ctx->opts;
	if (!ctx->doc->root)
		return;
	/* Offsets other rules reported: the more specific rule wins there. */
	size_t n = ctx->diags->len;
	uint32_t *skip = wl_xmalloc((n ? n : 1) * sizeof(*skip));
	for (size_t i = 0; i < n; i++)
		skip[i] = ctx->diags->items[i].span.start;
	qsort(skip, n, sizeof(*skip), cmp_u32);

	wl_schema_run builtin = {wl_schema_builtin(), NULL, false};
	wl_schema_validate(&builtin, ctx->doc, ctx->diags, skip, n);

	/* The project's own schema: --schema, else a local "$schema". */
	const wl_node *ref = wl_node_get(ctx->doc->root, "$schema");
	if (!ref && ctx->doc->toml) /* taplo's #:schema directive */
		ref = ctx->doc->toml->schema;
	char *path = NULL;
	if (opts && opts->schema_path)
		path = wl_xstrdup(opts->schema_path);
	else if (!(opts && opts->no_user_schema) && wl_node_str(ref))
		path = schema_file(ctx->doc->src->path, wl_node_str(ref));
	if (path) {
		cached_schema *c = load_user_schema(path);
		if (c->schema) {
			/* Report only what the built-in schema did not already say. */
			size_t m = ctx->diags->len;
			uint32_t *skip2 = wl_xmalloc((m ? m : 1) * sizeof(*skip2));
			for (size_t i = 0; i < m; i++)
				skip2[i] = ctx->diags->items[i].span.start;
			qsort(skip2, m, sizeof(*skip2), cmp_u32);
			char *label = wl_xasprintf("per %s", path);
			wl_schema_run user = {c->schema, label, true};
			wl_schema_validate(&user, ctx->doc, ctx->diags, skip2, m);
			free(label);
			free(skip2);
		} else {
			const wl_node *at =
			    ref && !(opts && opts->schema_path) ? ref : ctx->doc->root;
			wl_report_span(
			    ctx, &wl_rule_schema_unavailable, at,
			    ref && !(opts && opts->schema_path) ? at->span : wl_span_make(0, 0),
			    NULL, "%s; only wrangler-lint's own schema was checked", c->error);
		}
		free(path);
	}
	free(skip);
}

const wl_rule_family wl_family_schema = {"schema", rules, sizeof(rules) / sizeof(rules[0]), check};
