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

struct wl_claims;

typedef struct wl_check_ctx {
	const wl_doc *doc;
	const struct wl_model *model; /* NULL when the document has no object root */
	wl_diag_list *diags;
	const struct wl_lint_options *opts; /* may be NULL */
	struct wl_lint_session *session;    /* lint.c's; NULL outside wl_lint_source */
	struct wl_claims *claims;           /* owned by the caller of wl_rules_run */
} wl_check_ctx;

/* Precedence between a specific rule and the schema, made explicit: a rule
 * with `claims` bits claims those aspects of the node it reports, and the
 * schema family skips them there. A claim is made when the problem is found,
 * whether its diagnostic is then kept, suppressed or filtered by --env (the
 * problem was handled); a rule turned off claims nothing, so the schema's
 * generic finding speaks again rather than the problem going unreported.
 * Unrelated rules (a duplicate key, a number out of range) claim nothing. */
/* `rule` is the claiming rule (nothing is claimed when it is off), or NULL
 * for the schema family's own bookkeeping. Reporting through wl_report
 * claims what wl_rule_claims lists; call this for a node other than the one
 * reported. */
void wl_claim(wl_check_ctx *ctx, const wl_rule *rule, const wl_node *node, unsigned aspects);
/* The aspects a rule claims at the node it reports (0 for most rules). */
unsigned wl_rule_claims(const wl_rule *rule);
/* The aspects of `node` claimed so far. */
unsigned wl_claimed(const wl_check_ctx *ctx, const wl_node *node);
/* Frees ctx->claims (and sets it NULL). */
void wl_claims_free(wl_check_ctx *ctx);

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
