/* One file through the whole pipeline: read limits, parse, model, rules,
 * sorting. This is the library's entry point for the CLI, the tests, the
 * benchmark and the fuzzer. */
#ifndef WL_LINT_H
#define WL_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "source.h"

/* Files larger than this are not parsed (one jsonc-file-too-large diagnostic). */
#define WL_MAX_FILE_SIZE ((size_t)64 * 1024 * 1024)

struct wl_linter;

typedef struct wl_lint_options {
	/* The long-lived state calls share (caches); NULL: none is kept between
	 * calls. See linter.h. */
	struct wl_linter *linter;
	/* Look next to the file on disk (config-file-shadowed). Off for stdin
	 * and in-memory tests. */
	bool check_siblings;
	/* Parse only: no model, no rules, no suppressions (for files that are
	 * JSONC but not wrangler configs, such as the project file). */
	bool syntax_only;
	/* Per-rule level, indexed like the registry: WL_LEVEL_DEFAULT (-1), a
	 * wl_severity, or WL_LEVEL_OFF (3); see rule.h. NULL: defaults. A rule
	 * that is off is never run to completion: its diagnostics are refused
	 * before they are built, fill no slot and claim nothing. */
	const signed char *levels;
	/* When not NULL (a NULL-terminated list), diagnostics about other
	 * environments are refused; those about none (env NULL) are kept. */
	const char *const *envs;
	/* Validate against this schema file too (--schema), instead of the
	 * config's own "$schema". */
	const char *schema_path;
	/* Ignore the config's "$schema" (--no-user-schema). */
	bool no_user_schema;
	/* Do not read the Worker's source files (--no-source): the source-*
	 * rules are not run. They also need check_siblings (a file on disk). */
	bool no_source;
	/* What is deployed (history.h: --baseline, --baseline-file, --applied);
	 * NULL: no history checks. Borrowed. */
	const struct wl_baseline *baseline;
} wl_lint_options;

typedef struct wl_lint_result {
	wl_doc *doc;        /* owned; its source is the file's */
	wl_diag_list diags; /* sorted and de-duplicated; its gate is cleared */
	/* Other files diagnostics point into (source files, a baseline), owned. */
	wl_source **sources;
	size_t n_sources, cap_sources;
} wl_lint_result;

/* Lints `src` (taking ownership). The result owns everything; free it with
 * wl_lint_result_free. Never fails: problems are diagnostics. A source longer
 * than WL_MAX_FILE_SIZE is not parsed (one jsonc-file-too-large). Re-entrant:
 * calls on different sources may run in parallel threads, also when they
 * share one wl_linter. */
wl_lint_result *wl_lint_source(wl_source *src, const wl_lint_options *opts);
/* The result for a file that was not read because it is larger than
 * WL_MAX_FILE_SIZE: one jsonc-file-too-large diagnostic (at the level the
 * options give it; none when it is off). `size` is the file's size, or 0
 * when unknown (a pipe). `opts` may be NULL. */
wl_lint_result *wl_lint_oversized(const char *path, size_t size, const wl_lint_options *opts);
void wl_lint_result_free(wl_lint_result *r);

/* True when the path names a .json (not .jsonc) file, whose readers other
 * than wrangler expect strict JSON. */
bool wl_path_is_strict_json(const char *path);

/* Parses `src` (adopted by the result) with the TOML front end when `toml`,
 * else the JSONC one, keeping no diagnostic: for a second look at a file
 * (its comments, a baseline) whose problems are reported elsewhere or not at
 * all. Free with wl_doc_free. */
wl_doc *wl_parse_silently(wl_source *src, bool toml);

#endif
