/* The rule registry and the check context.
 *
 * Each rule family lives in its own rules_<family>.c, which defines its rules
 * as static wl_rule objects and exports one wl_rule_family. rules.c lists the
 * families; that list is the only place a new family is added. */
#ifndef WL_RULES_H
#define WL_RULES_H

#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "rule.h"

struct wl_model;
struct wl_lint_options;
struct wl_lint_session;

typedef struct wl_check_ctx {
	const wl_doc *doc;
	const struct wl_model *model; /* NULL when the document has no object root */
	wl_diag_list *diags;
	const struct wl_lint_options *opts; /* may be NULL */
	struct wl_lint_session *session;    /* lint.c's; NULL outside wl_lint_source */
} wl_check_ctx;

/* Hands another file to the lint result (which frees it) so diagnostics may
 * point into it, and honours the suppression directives in its comments
 * (spans into `src`). Only during wl_lint_source. Returns `src`. */
wl_source *wl_check_adopt_source(wl_check_ctx *ctx, wl_source *src, const wl_span *comments,
                                 size_t n_comments);

typedef void (*wl_check_fn)(wl_check_ctx *ctx);

typedef struct wl_rule_family {
	const char *name;
	const wl_rule *const *rules;
	size_t n_rules;
	wl_check_fn check; /* NULL for rules reported by the front end */
} wl_rule_family;

/* The registry, sorted by id. Indices are stable within one build. */
size_t wl_rules_count(void);
const wl_rule *wl_rules_at(size_t i);
/* NULL when no rule has this id. */
const wl_rule *wl_rules_find(const char *id);
size_t wl_rules_index(const wl_rule *rule);

/* Runs every family's check, in the fixed order of the family list. */
void wl_rules_run(wl_check_ctx *ctx);

/* Reports at `node` (its value span), with its JSON pointer and, when `env`
 * is not NULL, the environment name. Returns the new diagnostic. */
wl_diag *wl_report(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, const char *env,
                   const char *fmt, ...) WL_PRINTF(5, 6);
/* Same, at an explicit span (the pointer still names `node`). */
wl_diag *wl_report_span(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, wl_span span,
                        const char *env, const char *fmt, ...) WL_PRINTF(6, 7);

#endif
