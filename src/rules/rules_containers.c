/* Containers: each `containers[]` entry names, with `class_name`, the
 * Durable Object class that runs it, which must be a class of the same
 * Worker. wrangler checks this only at deploy time. Run from the migrations
 * family, which has the replayed classes. */
#include <string.h>

#include "migrations.h"
#include "model.h"
#include "rules_families.h"

static const wl_rule rule_unknown = {
    "container-class-unknown", "container", WL_SEV_ERROR,
    "A containers[].class_name that names no Durable Object class of that Worker"};
static const wl_rule rule_external = {
    "container-class-external", "container", WL_SEV_ERROR,
    "A container on a Durable Object that another Worker implements (bound through script_name)"};

static const wl_rule *const rules[] = {&rule_external, &rule_unknown};

/* A class of the Worker itself: live after its migrations, live in its
 * exports, or the class of one of its local bindings (wrangler accepts
 * either of the last two). */
static bool
own_class(const wl_env *e, const wl_mig_list *l, const char *name)
{
	const wl_mig_class *c = wl_mig_list_class(l, name);
	if (c && c->live)
		return true;
	if (e->exports && wl_exports_class_live(e->exports, name))
		return true;
	for (size_t i = 0; i < e->n_do_bindings; i++)
		if (e->do_bindings[i].local && strcmp(e->do_bindings[i].class_name, name) == 0)
			return true;
	return false;
}

void
wl_containers_check(wl_check_ctx *ctx, const wl_migrations *res)
{
	const wl_model *m = ctx->model;
	if (!m || m->pages)
		return;
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		/* Not inherited: each env lists its own. */
		const wl_node *containers = wl_node_get(e->node, "containers");
		if (!wl_node_is(containers, json_type_array))
			continue;
		WL_NODE_FOREACH(item, containers)
		{
			const wl_node *cn = wl_node_get(item, "class_name");
			const char *cls = wl_node_str(cn);
			if (!cls || !*cls)
				continue; /* the schema reports the shape */
			const char *cname = wl_node_str(wl_node_get(item, "name"));
			const wl_do_binding *ext = NULL;
			for (size_t k = 0; k < e->n_do_bindings && !ext; k++) {
				const wl_do_binding *b = &e->do_bindings[k];
				if (!b->local && b->script_name && strcmp(b->class_name, cls) == 0)
					ext = b;
			}
			if (own_class(e, res->of_env[i], cls))
				continue;
			if (ext) {
				wl_diag *d = wl_report(
				    ctx, &rule_external, cn, e->name,
				    "container%s%s%s in %s runs on Durable Object class %s, which "
				    "binding %s "
				    "reaches in Worker %s (script_name); a container must be "
				    "configured in "
				    "the Worker that defines its class, so the deploy fails",
				    cname ? " \"" : "", cname ? cname : "", cname ? "\"" : "",
				    wl_env_where(e), cls, ext->name, ext->script_name);
				wl_diag_add_related(d, ext->script_node->span,
				                    "bound through script_name here");
				continue;
			}
			wl_report(
			    ctx, &rule_unknown, cn, e->name,
			    "container%s%s%s in %s names class_name %s, but %s defines no Durable "
			    "Object class %s (no migration or exports entry creates it, no binding "
			    "of its own uses it); the deploy fails",
			    cname ? " \"" : "", cname ? cname : "", cname ? "\"" : "",
			    wl_env_where(e), cls, wl_env_where(e), cls);
		}
	}
}

const wl_rule_family wl_family_containers = {"container", rules, sizeof(rules) / sizeof(rules[0]),
                                             NULL};
