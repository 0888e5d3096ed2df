/* Inline suppression comments in the linted file:
 *
 *   // wrangler-lint-disable-next-line RULE-ID[, RULE-ID] -- optional reason
 *   // wrangler-lint-disable-line RULE-ID[, RULE-ID]       (the comment's line)
 *   // wrangler-lint-disable RULE-ID[, RULE-ID]            (the whole file)
 *
 * Block comments work too. A directive naming an unregistered rule is
 * reported (suppression-unknown-rule); one that suppresses nothing is
 * reported too (suppression-unused). */
#ifndef WL_SUPPRESS_H
#define WL_SUPPRESS_H

#include "diag.h"
#include "doc.h"
#include "rules.h"

/* Removes the diagnostics that directives in `doc`'s comments cover and adds
 * the suppression-* diagnostics. Call once, after every rule has run. */
void wl_suppress_apply(wl_doc *doc, wl_diag_list *diags);

extern const wl_rule_family wl_family_suppression;

#endif
