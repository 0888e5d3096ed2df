/* The project file, .wrangler-lint.jsonc: per-rule severities, ignore globs
 * for directory searches, and a default --fail-on. It is read with the same
 * JSONC front end as configs, and its own mistakes are diagnostics against
 * it (rules config-unknown-rule and config-invalid).
 *
 *   { "rules": { "do-prefer-sqlite": "error", "binding-name-not-identifier": "off" },
 *     "ignore": ["legacy/", "fixtures"],
 *     "fail-on": "warning",
 *     "baseline": "origin/main" }   (a git revision: what is deployed, history.h) */
#ifndef WL_PROJECT_H
#define WL_PROJECT_H

#include <stdbool.h>

#include "lint.h"
#include "rules.h"

#define WL_PROJECT_FILE ".wrangler-lint.jsonc"

typedef struct wl_project {
	char *path;          /* owned: the file as found */
	char *dir;           /* owned: its folder, the base of `ignore` */
	signed char *levels; /* owned, wl_rules_count() entries */
	char **ignore;       /* owned globs */
	size_t n_ignore;
	bool has_fail_on;
	wl_severity fail_on;
	char *baseline;         /* owned: "baseline", a git revision, or NULL */
	wl_lint_result *result; /* owned: the project file's own diagnostics */
} wl_project;

/* Reads and checks the project file at `path`. Returns NULL when it cannot
 * be read (errno is set); syntax and content problems are in ->result. */
wl_project *wl_project_load(const char *path);
void wl_project_free(wl_project *p);

/* The project file in `dir` or its nearest parent folder: an owned path, or
 * NULL when there is none. */
char *wl_project_find(const char *dir);

/* Parses "error", "warning", "note" or "off" into a level. */
bool wl_level_parse(const char *name, signed char *out);

extern const wl_rule_family wl_family_project;

#endif
