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
	/* What the file was when read, to notice edits (long-running callers). */
	struct {
		unsigned long long dev, ino;
		long long size, mtime_sec;
		long mtime_nsec;
	} stamp;
	bool stale; /* replaced in its cache by a newer load */
} wl_project;

/* Reads and checks the project file at `path`. Returns NULL when it cannot
 * be read (errno is set); syntax and content problems are in ->result. */
wl_project *wl_project_load(const char *path);
/* Parses project-file text already read (`buf`, malloc'ed, NUL at buf[len],
 * taken over) as if it were the file at `path`. Never fails. */
wl_project *wl_project_parse(const char *path, char *buf, size_t len);
void wl_project_free(wl_project *p);

/* The project file in `dir` or its nearest parent folder: an owned path
 * (relative to the working directory when it is below it or near above it,
 * else absolute), or NULL when there is none. */
char *wl_project_find(const char *dir);

/* Project files found and loaded once per folder, for a run over many
 * configs or a long-running server. A file edited since it was loaded (its
 * device, inode, size or mtime changed) is loaded again on the next lookup;
 * earlier loads stay valid (and owned by the cache) until it is freed. Not
 * thread-safe: one cache per thread, or a lock around it. */
typedef struct wl_project_cache wl_project_cache;

/* `overrides` (--rule levels, wl_rules_count() entries, copied) are laid over
 * every project's levels; NULL for none. Free with wl_project_cache_free. */
wl_project_cache *wl_project_cache_new(const signed char *overrides);
void wl_project_cache_free(wl_project_cache *c);
/* The project file governing files in `dir`, or NULL when none applies. When
 * the file exists but cannot be read, NULL with *failed_path set to its path
 * (errno set). The result is borrowed from the cache. */
wl_project *wl_project_cache_for_dir(wl_project_cache *c, const char *dir,
                                     const char **failed_path);
/* Loads `path` (e.g. --config) through the cache; NULL with errno set. */
wl_project *wl_project_cache_load(wl_project_cache *c, const char *path);
/* Every project loaded so far, in load order (for showing their own
 * diagnostics once each). */
size_t wl_project_cache_count(const wl_project_cache *c);
wl_project *wl_project_cache_at(const wl_project_cache *c, size_t i);

/* Parses "error", "warning", "note" or "off" into a level. */
bool wl_level_parse(const char *name, signed char *out);

extern const wl_rule_family wl_family_project;

#endif
