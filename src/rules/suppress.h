/* Inline suppression comments in a linted file (a config, or a source file
 * the source checks read):
 *
 *   // wrangler-lint-disable-next-line RULE-ID[, RULE-ID] -- optional reason
 *   // wrangler-lint-disable-line RULE-ID[, RULE-ID]       (the comment's line)
 *   // wrangler-lint-disable RULE-ID[, RULE-ID]            (the whole file)
 *
 * Line comments (`//`, or `#` in TOML), block comments, and each line of a
 * multi-line block comment may hold a directive. "Next line" is the line after
 * the comment's last line, as in ESLint; "line" is the directive's own line.
 *
 * Directives are read once, right after parsing, into an index by rule and
 * line, and consulted when a diagnostic is reported (the lint gate), so a
 * suppressed diagnostic is never built. A directive naming an unregistered
 * rule is reported (suppression-unknown-rule); one that suppressed nothing by
 * the end is reported too (suppression-unused), unless its rule is turned off. */
#ifndef WL_SUPPRESS_H
#define WL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "rules.h"
#include "source.h"

typedef struct wl_suppressions wl_suppressions;

/* Reads the directives in the comments (spans into `src`, in order) and
 * reports malformed ones into `diags`. Returns an owned index, free with
 * wl_suppress_free; NULL when the comments hold no directive. `src` is
 * borrowed and must outlive the index. */
wl_suppressions *wl_suppress_scan(wl_source *src, const wl_span *comments, size_t n_comments,
                                  wl_diag_list *diags);

/* True when a directive of `s` covers `rule` at `span` (in s's source);
 * marks that directive used. O(log directives). */
bool wl_suppress_covers(wl_suppressions *s, const wl_rule *rule, wl_span span);

/* The source the index was read from. */
wl_source *wl_suppress_source(const wl_suppressions *s);

/* Reports every directive that suppressed nothing as suppression-unused,
 * except those whose rule `is_off(ctx, rule)` says is turned off. */
void wl_suppress_report_unused(wl_suppressions *s, wl_diag_list *diags,
                               bool (*is_off)(void *ctx, const wl_rule *rule), void *ctx);

void wl_suppress_free(wl_suppressions *s);

/* True when `bytes` may hold a directive (a cheap scan for the keyword), so
 * callers can skip reading comments up front. */
bool wl_suppress_may_have_directives(const char *bytes, size_t len);

extern const wl_rule_family wl_family_suppression;

#endif
