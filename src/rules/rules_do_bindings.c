/* Durable Object bindings: the shape of `durable_objects`, class names that
 * no module can export, and `script_name` pointing at the Worker itself. */
#include <stdlib.h>
#include <string.h>

#include "migrations.h"
#include "model.h"
#include "patterns.h"
#include "rules_families.h"

static const wl_rule rule_invalid = {
    "do-binding-invalid", "do-binding", WL_SEV_ERROR,
    "A malformed durable_objects section or binding (wrangler rejects it)"};
/* Also reported by the migrations replay (migrations.h). */
const wl_rule wl_rule_do_class_name_invalid = {
    "do-class-name-invalid", "do-binding", WL_SEV_ERROR,
    "A class name (class_name or in migrations) that is not a JavaScript identifier, so no "
    "module can export it"};
#define rule_class_name_invalid wl_rule_do_class_name_invalid
static const wl_rule rule_script_name_self = {
    "do-script-name-self", "do-binding", WL_SEV_WARNING,
    "A binding's script_name names the Worker it is declared in"};

static const wl_rule *const rules[] = {&rule_invalid, &rule_class_name_invalid,
                                       &rule_script_name_self};

/* Reports a required string field of a binding that is missing, not a
 * string, or empty. Returns the string when it is usable. */
static const char *
required_string(wl_check_ctx *ctx, const wl_env *e, const wl_node *item, const wl_node *v,
                const char *field)
{
	if (!v) {
		wl_report(ctx, &rule_invalid, item, e->name,
		          "Durable Object binding has no \"%s\"; every binding needs a string "
		          "\"name\" and \"class_name\"",
		          field);
		return NULL;
	}
	if (v->flags & WL_NODE_INVALID)
		return NULL; /* a syntax error was reported there */
	const char *s = wl_node_str(v);
	if (!s) {
		wl_report(ctx, &rule_invalid, v, e->name,
		          "\"%s\" of a Durable Object binding must be a string, not %s", field,
		          wl_node_type_name(v));
		return NULL;
	}
	if (!*s) {
		wl_report(ctx, &rule_invalid, v, e->name,
		          "\"%s\" of a Durable Object binding is empty", field);
		return NULL;
	}
	return s;
}

static void
check_binding(wl_check_ctx *ctx, const wl_env *e, const wl_node *item, bool pages,
              bool class_checked)
{
	if (item->flags & WL_NODE_INVALID)
		return;
	if (!wl_node_is(item, json_type_object)) {
		wl_report(ctx, &rule_invalid, item, e->name,
		          "a Durable Object binding must be an object with \"name\" and "
		          "\"class_name\", not %s",
		          wl_node_type_name(item));
		return;
	}
	static const char *const fields[] = {"name", "class_name", "script_name", "environment"};
	const wl_node *f[4];
	wl_node_fields(item, fields, f, 4);
	required_string(ctx, e, item, f[0], "name");
	const char *cls = required_string(ctx, e, item, f[1], "class_name");
	if (cls && !class_checked && !wl_is_js_identifier(cls))
		wl_report(ctx, &rule_class_name_invalid, f[1], e->name,
		          "class_name \"%s\" is not a JavaScript identifier, so no `export "
		          "class` declaration can have that name; use letters, digits, '_' or "
		          "'$', not starting with a digit",
		          cls);
	const wl_node *script = f[2];
	const wl_node *envn = f[3];
	if (script && !wl_node_str(script))
		wl_report(ctx, &rule_invalid, script, e->name,
		          "\"script_name\" must be a string (the name of the Worker that "
		          "implements the class), not %s",
		          wl_node_type_name(script));
	if (envn && !wl_node_str(envn))
		wl_report(ctx, &rule_invalid, envn, e->name,
		          "\"environment\" must be a string, not %s", wl_node_type_name(envn));
	else if (envn && !script)
		wl_report(ctx, &rule_invalid, envn, e->name,
		          "\"environment\" needs a \"script_name\": it names an environment of "
		          "that other Worker");
	if (pages && !script)
		wl_report(
		    ctx, &rule_invalid, item, e->name,
		    "a Pages project (pages_build_output_dir is set) cannot implement Durable "
		    "Objects: this binding needs a \"script_name\" naming the Worker that "
		    "defines the class");
	const char *script_s = wl_node_str(script);
	if (script_s && !envn && e->worker_name && strcmp(script_s, e->worker_name) == 0)
		wl_report(ctx, &rule_script_name_self, script, e->name,
		          "script_name \"%s\" is this Worker's own name%s%s; remove script_name: "
		          "wrangler treats the binding as external in some checks and local in "
		          "others",
		          script_s, e->name ? " in " : "", e->name ? e->label : "");
}

/* The checks that remain for a binding the model found well-formed (string
 * name and class_name): reuses the model's fields, and tests each distinct
 * class name once (memo by class id: 0 untested, 1 identifier, 2 not). */
static void
check_valid(wl_check_ctx *ctx, const wl_env *e, const wl_do_binding *b, bool pages,
            unsigned char *memo)
{
	if (!memo[b->class_id])
		memo[b->class_id] = wl_is_js_identifier(b->class_name) ? 1 : 2;
	if (memo[b->class_id] == 2)
		wl_report(ctx, &rule_class_name_invalid, b->class_node, e->name,
		          "class_name \"%s\" is not a JavaScript identifier, so no `export "
		          "class` declaration can have that name; use letters, digits, '_' or "
		          "'$', not starting with a digit",
		          b->class_name);
	if (!b->script_raw && !b->environment_raw && !pages)
		return; /* the common case: a local binding */
	check_binding(ctx, e, b->node, pages, true);
}

static void
check(wl_check_ctx *ctx)
{
	if (!ctx->model)
		return;
	bool pages = ctx->model->pages;
	unsigned char *memo = wl_xcalloc(ctx->model->n_classes + 1, 1);
	for (size_t i = 0; i < ctx->model->n_envs; i++) {
		const wl_env *e = &ctx->model->envs[i];
		const wl_node *dobj = e->durable_objects;
		if (!dobj)
			continue;
		if (!wl_node_is(dobj, json_type_object)) {
			if (!(dobj->flags & WL_NODE_INVALID))
				wl_report(
				    ctx, &rule_invalid, dobj, e->name,
				    "\"durable_objects\" must be an object with a \"bindings\" "
				    "array, not %s",
				    wl_node_type_name(dobj));
			continue;
		}
		const wl_node *bindings = wl_node_get(dobj, "bindings");
		/* wrangler 4.164 accepts a durable_objects block without bindings
		 * (code_update_strategy alone); the schema judges its keys. */
		if (!bindings)
			continue;
		if (!wl_node_is(bindings, json_type_array)) {
			wl_report(ctx, &rule_invalid, bindings, e->name,
			          "\"durable_objects.bindings\" must be an array, not %s",
			          wl_node_type_name(bindings));
			continue;
		}
		/* e->do_bindings holds the well-formed items, in source order. */
		size_t k = 0;
		WL_NODE_FOREACH(item, bindings)
		{
			if (k < e->n_do_bindings && e->do_bindings[k].node == item)
				check_valid(ctx, e, &e->do_bindings[k++], pages, memo);
			else
				check_binding(ctx, e, item, pages, false);
		}
	}
	free(memo);
}

const wl_rule_family wl_family_do_bindings = {"do-binding", rules, sizeof(rules) / sizeof(rules[0]),
                                              check};
