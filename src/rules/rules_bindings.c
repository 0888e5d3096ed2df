/* Binding names of every type: unique within each resolved environment, and
 * usable as `env.NAME` in JavaScript. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "patterns.h"
#include "rules_families.h"

static const wl_rule rule_duplicate = {
    "binding-name-duplicate", "binding", WL_SEV_ERROR,
    "One binding name used twice in one environment, within a type or across types"};
static const wl_rule rule_not_identifier = {
    "binding-name-not-identifier", "binding", WL_SEV_WARNING,
    "A binding name that is not a JavaScript identifier (env.NAME cannot reach it)"};

static const wl_rule rule_reserved = {
    "binding-name-reserved", "binding", WL_SEV_ERROR,
    "A binding named ASSETS in a Pages project, where the name is reserved"};

static const wl_rule *const rules[] = {&rule_duplicate, &rule_not_identifier, &rule_reserved};

/* Per name id: 0 not yet tested, 1 an identifier, 2 not one. */
static bool
name_is_identifier(unsigned char *memo, const wl_binding *b)
{
	if (!memo[b->name_id])
		memo[b->name_id] = wl_is_js_identifier(b->name) ? 1 : 2;
	return memo[b->name_id] == 1;
}

static void
check_env(wl_check_ctx *ctx, const wl_env *e, bool pages, wl_name_marks *seen, unsigned char *memo)
{
	wl_name_marks_clear(seen);
	for (size_t i = 0; i < e->n_bindings; i++) {
		const wl_binding *b = &e->bindings[i];
		if (pages && !b->inherited && strcmp(b->name, "ASSETS") == 0)
			wl_report_span(ctx, &rule_reserved, b->name_node, wl_binding_span(b),
			               e->name,
			               "the name ASSETS is reserved in Pages projects "
			               "(pages_build_output_dir is set); use a different name for "
			               "this %s binding",
			               b->type);
		if (!*b->name) {
			/* No code can use it, and every other empty name would look
			 * like its duplicate: one finding at each, nothing else. */
			if (!b->inherited)
				wl_report_span(ctx, &rule_not_identifier, b->name_node,
				               wl_binding_span(b), e->name,
				               "%s binding name is empty: the Worker cannot reach "
				               "it as env.NAME; give it a name",
				               b->type);
			continue;
		}
		const wl_binding *first = wl_name_marks_get(seen, b->name_id);
		if (!first) {
			wl_name_marks_set(seen, b->name_id, b);
			if (!b->inherited && !name_is_identifier(memo, b))
				wl_report_span(
				    ctx, &rule_not_identifier, b->name_node, wl_binding_span(b),
				    e->name,
				    "%s binding name \"%s\" is not a JavaScript identifier: "
				    "code must write env[\"%s\"] instead of env.%s, and "
				    "generated types are awkward",
				    b->type, b->name, b->name, b->name);
			continue;
		}
		if (first->inherited && b->inherited)
			continue; /* reported where the top level declares both */
		/* Report at the later of the two in the file, except that an env's
		 * own binding is preferred to one it inherits from the top level. */
		const wl_binding *at = b, *other = first;
		if (b->inherited || (!first->inherited &&
		                     first->name_node->span.start > b->name_node->span.start)) {
			at = first;
			other = b;
		}
		wl_diag *d;
		if (strcmp(first->type, b->type) == 0)
			d = wl_report_span(
			    ctx, &rule_duplicate, at->name_node, wl_binding_span(at), e->name,
			    "%s assigned to multiple %s bindings in %s%s; binding names "
			    "must be unique so that each can be referenced in the Worker",
			    b->name, b->type, e->name ? "" : "the ", e->label);
		else
			d = wl_report_span(
			    ctx, &rule_duplicate, at->name_node, wl_binding_span(at), e->name,
			    "%s assigned to %s and %s bindings in %s%s; binding names "
			    "must be unique so that each can be referenced in the Worker",
			    b->name, first->type, b->type, e->name ? "" : "the ", e->label);
		wl_diag_add_related(d, wl_binding_span(other), "%s also bound here (%s)%s", b->name,
		                    other->type,
		                    other->inherited ? ", inherited from the top level" : "");
	}
}

static void
check(wl_check_ctx *ctx)
{
	if (!ctx->model)
		return;
	bool pages = ctx->model->pages;
	wl_name_marks seen;
	wl_name_marks_init(&seen, ctx->model);
	unsigned char *memo = wl_xcalloc(ctx->model->n_names + 1, 1);
	for (size_t i = 0; i < ctx->model->n_envs; i++)
		check_env(ctx, &ctx->model->envs[i], pages, &seen, memo);
	free(memo);
	wl_name_marks_free(&seen);
}

const wl_rule_family wl_family_bindings = {"binding", rules, sizeof(rules) / sizeof(rules[0]),
                                           check};
