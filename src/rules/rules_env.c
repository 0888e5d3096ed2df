/* Environments: what `env.NAME` does not inherit from the top level, and
 * binding names that mean different things in different environments.
 * Every check indexes the top level (or the first definition) once, so the
 * family is linear in the number of bindings. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "model.h"
#include "rules_families.h"

static const wl_rule rule_do_bindings_missing = {
    "env-do-bindings-missing", "env", WL_SEV_ERROR,
    "The top level has durable_objects and an environment has none (it is not inherited)"};
static const wl_rule rule_do_binding_missing = {
    "env-do-binding-missing", "env", WL_SEV_ERROR,
    "An environment's durable_objects lacks a binding name the top level has"};
static const wl_rule rule_do_class_mismatch = {
    "env-do-class-mismatch", "env", WL_SEV_WARNING,
    "One Durable Object binding name maps to different classes in different environments"};
static const wl_rule rule_do_script_mismatch = {
    "env-do-script-name-mismatch", "env", WL_SEV_WARNING,
    "One Durable Object binding name points at different Workers in different environments"};
static const wl_rule rule_binding_missing = {
    "env-binding-missing", "env", WL_SEV_WARNING,
    "A non-inherited binding (or var) at the top level is missing in an environment"};
static const wl_rule rule_type_conflict = {
    "env-binding-type-conflict", "env", WL_SEV_ERROR,
    "One binding name is a different binding type in different environments"};
static const wl_rule rule_top_level_only = {
    "env-top-level-only-key", "env", WL_SEV_WARNING,
    "A key that wrangler reads only at the top level, set inside an environment"};

static const wl_rule rule_route_and_routes = {
    "route-and-routes", "env", WL_SEV_ERROR,
    "Both route and routes are set for one Worker (wrangler rejects the config)"};

static const wl_rule *const rules[] = {
    &rule_do_bindings_missing, &rule_do_binding_missing, &rule_do_class_mismatch,
    &rule_do_script_mismatch,  &rule_binding_missing,    &rule_type_conflict,
    &rule_top_level_only,      &rule_route_and_routes,
};

/* `route` and `routes` are each inherited unless the env sets them, and a
 * Worker may have one of the two. Reported where the env sets one; a pair
 * that every env inherits is reported once, at the top level. */
static void
check_routes(wl_check_ctx *ctx, const wl_env *top, const wl_env *e)
{
	const wl_node *route = wl_node_get(e->node, "route");
	const wl_node *routes = wl_node_get(e->node, "routes");
	bool own = route || routes;
	if (e->name) {
		if (!own)
			return;
		if (!route)
			route = wl_node_get(top->node, "route");
		if (!routes)
			routes = wl_node_get(top->node, "routes");
	}
	if (!route || !routes || route->type == json_type_null || routes->type == json_type_null)
		return;
	const wl_node *at = wl_node_get(e->node, "route") ? wl_node_get(e->node, "route") : routes;
	bool inherited =
	    e->name && (!wl_node_get(e->node, "route") || !wl_node_get(e->node, "routes"));
	wl_diag *d = wl_report_span(
	    ctx, &rule_route_and_routes, at, at->key_span, e->name,
	    "%s has both \"route\" and \"routes\"%s; wrangler rejects this (\"Expected exactly one "
	    "of the following fields [\"routes\",\"route\"]\"): put every pattern in \"routes\"",
	    wl_env_where(e), inherited ? " (one of them inherited from the top level)" : "");
	const wl_node *other = at == route ? routes : route;
	wl_diag_add_related(d, other->key_span, "\"%s\" here", other->key);
}

static void
check_top_level_only(wl_check_ctx *ctx, const wl_env *e)
{
	WL_NODE_FOREACH(m, e->node)
	{
		if (wl_key_is_top_level_only(m->key))
			wl_report_span(ctx, &rule_top_level_only, m, m->key_span, e->name,
			               "\"%s\" is read only at the top level; inside %s wrangler "
			               "ignores it (move it to the top level or remove it)",
			               m->key, e->label);
	}
}

/* Up to this many missing bindings are reported one by one; past it, one
 * diagnostic per env says it all, so the output (and the work) does not grow
 * with bindings x environments. */
#define MISSING_ONE_BY_ONE 8

static void
report_many_missing(wl_check_ctx *ctx, const wl_env *top, const wl_env *e, wl_name_marks *own,
                    const wl_node *bindings, size_t missing)
{
	enum { NAMED = 3 };
	const wl_do_binding *named[NAMED] = {NULL, NULL, NULL};
	size_t n_named = 0;
	for (size_t i = 0; i < top->n_do_bindings && n_named < NAMED; i++)
		if (!wl_name_marks_get(own, top->do_bindings[i].name_id))
			named[n_named++] = &top->do_bindings[i];
	assert(n_named == NAMED); /* missing > MISSING_ONE_BY_ONE >= NAMED */
	wl_diag *d = wl_report_span(
	    ctx, &rule_do_binding_missing, bindings, wl_node_key_or_value_span(bindings), e->name,
	    "%s.durable_objects.bindings lacks %zu of the top level's %zu bindings (%s, %s, %s "
	    "and %zu more); bindings are not inherited, so those env.NAME will be undefined here",
	    e->label, missing, top->n_do_bindings, named[0]->name, named[1]->name, named[2]->name,
	    missing - NAMED);
	if (!wl_diag_kept(ctx->diags, d))
		return;
	for (size_t i = 0; i < n_named; i++)
		wl_diag_add_related(d, named[i]->node->span, "top-level binding %s here",
		                    named[i]->name);
}

/* `top_count[id]`: how many top-level DO bindings have name id. */
static void
check_do_presence(wl_check_ctx *ctx, const wl_env *top, const wl_env *e, wl_name_marks *own,
                  const uint32_t *top_count, wl_text_style_cache *style)
{
	if (!top->n_do_bindings)
		return;
	const wl_node *dobj = e->durable_objects;
	if (!dobj) { /* null is present, and reported as malformed */
		const wl_do_binding *b = &top->do_bindings[0];
		wl_diag *d = wl_report_span(
		    ctx, &rule_do_bindings_missing, e->node, e->node->key_span, e->name,
		    "%s has no \"durable_objects\", and durable_objects is not inherited from the "
		    "top level: env.%s%s will be undefined in this environment; repeat the "
		    "bindings in %s.durable_objects",
		    e->label, b->name, top->n_do_bindings > 1 ? " and the other bindings" : "",
		    e->label);
		wl_diag_add_related(d, wl_node_key_or_value_span(top->durable_objects),
		                    "top-level durable_objects here");
		if (d != &ctx->diags->sink && top->n_do_bindings <= WL_FIX_MAX_COPIED) {
			/* The same bindings, as the top level writes them. */
			struct json_object *list = json_object_new_array();
			for (size_t i = 0; i < top->n_do_bindings; i++)
				json_object_array_add(
				    list, json_object_get(top->do_bindings[i].node->value));
			struct json_object *v = json_object_new_object();
			json_object_object_add(v, "bindings", list);
			wl_fix_append(d, ctx->doc, wl_text_style_get(ctx->doc, style), e->node,
			              "durable_objects", v,
			              "add the top-level Durable Object bindings");
			json_object_put(v);
		}
		return;
	}
	const wl_node *bindings = wl_node_get(dobj, "bindings");
	if (!bindings && wl_node_is(dobj, json_type_object))
		bindings = dobj; /* no bindings at all: each one is missing, reported here */
	else if (!wl_node_is(bindings, json_type_array))
		return; /* do-binding-invalid */
	/* Counted from the env's side, so an env costs its own bindings, not
	 * the top level's. */
	wl_name_marks_clear(own);
	size_t present = 0;
	for (size_t i = 0; i < e->n_do_bindings; i++) {
		uint32_t id = e->do_bindings[i].name_id;
		if (!wl_name_marks_get(own, id))
			present += top_count[id];
		wl_name_marks_set(own, id, &e->do_bindings[i]);
	}
	size_t missing = top->n_do_bindings - present;
	if (!missing)
		return;
	if (missing > MISSING_ONE_BY_ONE) {
		report_many_missing(ctx, top, e, own, bindings, missing);
		return;
	}
	struct json_object *missing_list = NULL;
	for (size_t i = 0; i < top->n_do_bindings; i++) {
		const wl_do_binding *b = &top->do_bindings[i];
		if (wl_name_marks_get(own, b->name_id))
			continue;
		wl_diag *d = wl_report_span(
		    ctx, &rule_do_binding_missing, bindings, wl_node_key_or_value_span(bindings),
		    e->name,
		    "%s.durable_objects.bindings has no binding \"%s\" (class %s), which the top "
		    "level has; bindings are not inherited, so env.%s will be undefined here",
		    e->label, b->name, b->class_name, b->name);
		wl_diag_add_related(d, b->node->span, "top-level binding here");
		/* Every missing binding, in the top level's order, whichever of
		 * them this diagnostic names: one edit, so the fixes of the others
		 * are the same edit and are done with it. */
		if (d != &ctx->diags->sink) {
			if (!missing_list) {
				missing_list = json_object_new_array();
				for (size_t j = i; j < top->n_do_bindings; j++)
					if (!wl_name_marks_get(own, top->do_bindings[j].name_id))
						json_object_array_add(
						    missing_list,
						    json_object_get(
						        top->do_bindings[j].node->value));
			}
			wl_fix_append_items(d, ctx->doc, wl_text_style_get(ctx->doc, style),
			                    bindings, missing_list,
			                    missing > 1 ? "add the missing top-level bindings"
			                                : "add the missing top-level binding");
		}
	}
	json_object_put(missing_list);
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The Worker a binding targets, with the usual per-environment suffix taken
 * off ("auth-staging" in env.staging is the staging copy of "auth"). */
static size_t
script_stem(const wl_do_binding *b, const wl_env *e)
{
	size_t n = strlen(b->script_name);
	if (e->name && !b->environment) {
		size_t k = strlen(e->name);
		if (n > k + 1 && b->script_name[n - k - 1] == '-' &&
		    strcmp(b->script_name + n - k, e->name) == 0)
			return n - k - 1;
	}
	return n;
}

static bool
same_script(const wl_do_binding *a, const wl_env *ae, const wl_do_binding *b, const wl_env *be)
{
	size_t na = script_stem(a, ae), nb = script_stem(b, be);
	return na == nb && memcmp(a->script_name, b->script_name, na) == 0;
}

/* The `environment` of a binding that follows the env names: env.staging
 * binds the other Worker's "staging" environment, the top level its top
 * level. Two bindings that both follow have the same role. */
static bool
environment_follows(const wl_do_binding *b, const wl_env *e)
{
	if (!e->name)
		return b->environment == NULL;
	return b->environment && strcmp(b->environment, e->name) == 0;
}

static bool
same_environment(const wl_do_binding *a, const wl_env *ae, const wl_do_binding *b, const wl_env *be)
{
	return same_str(a->environment, b->environment) ||
	       (environment_follows(a, ae) && environment_follows(b, be));
}

/* "its own Worker", "Worker auth", "Worker billing (environment \"prod\")". */
static char *
describe_target(const wl_do_binding *b)
{
	if (b->local)
		return wl_xstrdup("its own Worker");
	if (b->environment)
		return wl_xasprintf("Worker %s (environment \"%s\")", b->script_name,
		                    b->environment);
	return wl_xasprintf("Worker %s", b->script_name);
}

typedef struct first_do {
	const wl_do_binding *b;
	const wl_env *env;
} first_do;

/* One binding name, one class and one target Worker role, in every env. */
static void
check_do_consistency(wl_check_ctx *ctx, const wl_model *m)
{
	first_do *defs = wl_xcalloc(m->n_names ? m->n_names : 1, sizeof(*defs));
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		for (size_t j = 0; j < e->n_do_bindings; j++) {
			const wl_do_binding *b = &e->do_bindings[j];
			first_do *fd = &defs[b->name_id];
			if (!fd->b) {
				fd->b = b;
				fd->env = e;
				continue;
			}
			const wl_do_binding *f = fd->b;
			const wl_env *fe = fd->env;
			if (fe == e)
				continue; /* within one env: binding-name-duplicate */
			if (f->class_id != b->class_id) {
				wl_diag *d = wl_report(
				    ctx, &rule_do_class_mismatch, b->class_node, e->name,
				    "binding %s uses class %s in %s but %s in %s; one binding name "
				    "should mean one class in every environment (the generated Env "
				    "type becomes a union, and code written for one class meets "
				    "the other)",
				    b->name, b->class_name, wl_env_where(e), f->class_name,
				    wl_env_where(fe));
				wl_diag_add_related(d, f->class_node->span, "binding in %s",
				                    wl_env_where(fe));
			}
			/* A binding with neither a known local role nor a script_name
			 * (malformed, or in a Pages project) has no target to compare. */
			bool unknown =
			    (!b->local && !b->script_name) || (!f->local && !f->script_name);
			bool same_role = unknown || (b->local == f->local &&
			                             (b->local || (same_script(b, e, f, fe) &&
			                                           same_environment(b, e, f, fe))));
			if (!same_role) {
				const wl_node *at = b->script_node ? b->script_node : b->node;
				char *here = describe_target(b);
				char *there = describe_target(f);
				wl_diag *d = wl_report(
				    ctx, &rule_do_script_mismatch, at, e->name,
				    "binding %s points at %s in %s but at %s in %s; "
				    "one binding name should reach the same Worker's "
				    "namespace in every environment",
				    b->name, here, wl_env_where(e), there, wl_env_where(fe));
				free(here);
				free(there);
				wl_diag_add_related(d, f->node->span, "binding in %s",
				                    wl_env_where(fe));
			}
		}
	}
	free(defs);
}

/* `per_env` lists the top-level bindings an env must repeat (not Durable
 * Objects, which check_do_presence covers), computed once. */
static void
check_binding_presence(wl_check_ctx *ctx, const wl_env *top, const wl_env *e, wl_name_marks *own,
                       const wl_binding *const *per_env, size_t n_per_env)
{
	/* Whole keys first: the same test wrangler makes, for every env. */
	WL_NODE_FOREACH(m, top->node)
	{
		if (!wl_key_is_non_inheritable(m->key) || strcmp(m->key, "durable_objects") == 0 ||
		    m->type == json_type_null)
			continue;
		if (wl_node_get(e->node, m->key))
			continue;
		wl_diag *d = wl_report_span(
		    ctx, &rule_binding_missing, e->node, e->node->key_span, e->name,
		    "\"%s\" exists at the top level but not in %s; it is not inherited, so %s has "
		    "none: add \"%s\" to %s",
		    m->key, e->label, e->label, m->key, e->label);
		wl_diag_add_related(d, m->key_span, "top-level \"%s\" here", m->key);
	}
	/* Then binding names within keys both define: an index of the env's
	 * names, with a chain through bindings that share a name. */
	wl_name_marks_clear(own);
	size_t *next = wl_xcalloc(e->n_bindings ? e->n_bindings : 1, sizeof(*next));
	for (size_t i = e->n_bindings; i-- > 0;) {
		const wl_binding *head = wl_name_marks_get(own, e->bindings[i].name_id);
		next[i] = head ? (size_t)(head - e->bindings) + 1 : 0;
		wl_name_marks_set(own, e->bindings[i].name_id, &e->bindings[i]);
	}
	const char *last_key = NULL;
	const wl_node *env_key = NULL;
	for (size_t i = 0; i < n_per_env; i++) {
		const wl_binding *b = per_env[i];
		if (b->key != last_key) { /* bindings of one key are contiguous */
			last_key = b->key;
			env_key = wl_node_get(e->node, b->key);
		}
		if (!env_key || env_key->type == json_type_null ||
		    (env_key->flags & WL_NODE_INVALID))
			continue; /* absent (reported above) or not a usable value */
		const wl_binding *o = wl_name_marks_get(own, b->name_id);
		while (o && strcmp(o->key, b->key) != 0)
			o = next[o - e->bindings] ? &e->bindings[next[o - e->bindings] - 1] : NULL;
		if (o)
			continue;
		wl_diag *d;
		if (b->name_is_key)
			d = wl_report_span(
			    ctx, &rule_binding_missing, env_key, wl_node_key_or_value_span(env_key),
			    e->name,
			    "\"%s.%s\" exists at the top level but not in %s; it is not "
			    "inherited",
			    b->key, b->name, e->label);
		else
			d = wl_report_span(
			    ctx, &rule_binding_missing, env_key, wl_node_key_or_value_span(env_key),
			    e->name,
			    "%s binding \"%s\" is at the top level but not in %s; it is "
			    "not inherited",
			    b->type, b->name, e->label);
		wl_diag_add_related(d, wl_binding_span(b), "top-level binding here");
	}
	free(next);
}

static void
check_type_conflicts(wl_check_ctx *ctx, const wl_model *m)
{
	typedef struct first_def {
		const wl_binding *b;
		const wl_env *env;
	} first_def;
	first_def *defs = wl_xcalloc(m->n_names ? m->n_names : 1, sizeof(*defs));
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		for (size_t j = 0; j < e->n_bindings; j++) {
			const wl_binding *b = &e->bindings[j];
			if (b->inherited)
				continue;
			first_def *f = &defs[b->name_id];
			if (!f->b) {
				f->b = b;
				f->env = e;
				continue;
			}
			if (f->env == e || strcmp(f->b->type, b->type) == 0)
				continue;
			wl_diag *d = wl_report_span(
			    ctx, &rule_type_conflict, b->name_node, wl_binding_span(b), e->name,
			    "binding %s has type %s in %s but %s in %s; code and generated types "
			    "cannot serve both: use distinct names for different binding types",
			    b->name, b->type, wl_env_where(e), f->b->type, wl_env_where(f->env));
			wl_diag_add_related(d, wl_binding_span(f->b), "%s binding in %s",
			                    f->b->type, wl_env_where(f->env));
		}
	}
	free(defs);
}

static void
check(wl_check_ctx *ctx)
{
	const wl_model *m = ctx->model;
	if (!m)
		return;
	const wl_env *top = &m->envs[0];
	wl_name_marks marks;
	wl_name_marks_init(&marks, m);
	wl_text_style_cache style = {0};
	uint32_t *top_count = wl_xcalloc(m->n_names + 1, sizeof(*top_count));
	for (size_t i = 0; i < top->n_do_bindings; i++)
		top_count[top->do_bindings[i].name_id]++;
	const wl_binding **per_env = wl_xcalloc(top->n_bindings + 1, sizeof(*per_env));
	size_t n_per_env = 0;
	for (size_t i = 0; i < top->n_bindings; i++) {
		const wl_binding *b = &top->bindings[i];
		/* An empty name is reported once, where it is. */
		if (b->per_env && strcmp(b->key, "durable_objects") != 0 && *b->name)
			per_env[n_per_env++] = b;
	}
	check_routes(ctx, top, top);
	for (size_t i = 1; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		check_routes(ctx, top, e);
		check_top_level_only(ctx, e);
		check_do_presence(ctx, top, e, &marks, top_count, &style);
		check_binding_presence(ctx, top, e, &marks, per_env, n_per_env);
	}
	free(per_env);
	free(top_count);
	wl_name_marks_free(&marks);
	check_do_consistency(ctx, m);
	check_type_conflicts(ctx, m);
}

const wl_rule_family wl_family_env = {"env", rules, sizeof(rules) / sizeof(rules[0]), check};
