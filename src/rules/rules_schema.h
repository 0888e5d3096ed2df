/* The schema-* rules: validation against the built-in schema and the
 * project's own schema, reported by rules_schema.c from schema.c's neutral
 * issues.
 *
 * The family's check (wl_family_schema) calls wl_rules_schema_check with the
 * linter's wl_schema_cache (wl_lint_options.linter), or, for callers
 * without a linter, with a cache made for the one call. */
#ifndef WL_RULES_SCHEMA_H
#define WL_RULES_SCHEMA_H

#include <stdbool.h>

#include "rules.h"
#include "schema.h"

extern const wl_rule wl_rule_schema_unknown_key;
extern const wl_rule wl_rule_schema_type;
extern const wl_rule wl_rule_schema_required;
extern const wl_rule wl_rule_schema_enum;
extern const wl_rule wl_rule_schema_pattern;
extern const wl_rule wl_rule_schema_range;
extern const wl_rule wl_rule_schema_deprecated;
extern const wl_rule wl_rule_schema_unavailable;
extern const wl_rule wl_rule_schema_needs_newer_wrangler;

/* Validates ctx's document against the built-in schema and the schema that
 * --schema (ctx->opts->schema_path) or the config's "$schema" names, and
 * reports schema-* diagnostics. `cache` (borrowed) holds the compiled
 * schemas; NULL makes a temporary one for this call. */
void wl_rules_schema_check(wl_check_ctx *ctx, wl_schema_cache *cache);

/* The folder user schemas must lie in: the nearest ancestor of the
 * config's folder holding .git (the repository root), else the config's
 * folder, with symbolic links resolved. Owned; NULL when the folder cannot
 * be resolved. */
char *wl_schema_project_root(const char *config_path);

/* Loads the schema a config names: `ref` relative to the config's folder,
 * accepted only when its real path (links resolved) lies inside
 * wl_schema_project_root(config_path); with `explicit_path` (--schema, the
 * user's own choice) `ref` is used as given. Returns a reference (release
 * with wl_schema_release) or NULL with an owned one-line reason in *error
 * that never quotes the file. */
wl_schema *wl_rules_schema_load(wl_schema_cache *cache, const char *config_path, const char *ref,
                                bool explicit_path, char **error);

/* The wrangler version the project uses: "version" of
 * node_modules/wrangler/package.json in the config's folder or above (up to
 * wl_schema_project_root), else the lowest version the "wrangler" range of
 * the nearest package.json that has one allows ("^4.86.0" -> "4.86.0"; a
 * "catalog:" range is read from the nearest pnpm-workspace.yaml).
 * Owned; NULL when unknown. *where gets the owned path it came from. */
char *wl_project_wrangler_version(const char *config_path, char **where);

/* The range the pnpm-workspace.yaml text `text` (len bytes, any content)
 * gives wrangler in catalog `name` ("" or "default": the default catalog).
 * Owned; NULL when it names none or the text is not block mappings. */
char *wl_pnpm_catalog_range(const char *text, size_t len, const char *name);

#endif
