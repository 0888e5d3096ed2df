/* Declarative `exports` (wrangler 4.107+): the Durable Object lifecycle as a
 * map of class name -> state, Workflow entries (4.139+), the links between
 * Durable Object entries and `containers`, and the exclusion with
 * `migrations`. The shapes follow wrangler 4.164's validator; the schema
 * checks the types of a Workflow entry's fields. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "patterns.h"
#include "rules_families.h"
#include "xalloc.h"

static const wl_rule rule_and_migrations = {
    "do-exports-and-migrations", "do-export", WL_SEV_ERROR,
    "Both exports (with Durable Object entries) and migrations are set"};
static const wl_rule rule_invalid = {"do-export-invalid", "do-export", WL_SEV_ERROR,
                                     "An exports entry that breaks the state rules"};

static const wl_rule rule_container = {
    "do-export-container", "do-export", WL_SEV_ERROR,
    "A container not linked to a Durable Object, or an exports entry naming a missing container"};

static const wl_rule *const rules[] = {&rule_and_migrations, &rule_invalid, &rule_container};

typedef struct state_rule {
	const char *state;
	const char *allowed[6];  /* besides "type" and "state" */
	const char *required[3]; /* NULL-terminated */
} state_rule;

static const state_rule states[] = {
    {"created", {"storage", "container", NULL}, {"storage", NULL}},
    {"deleted", {NULL}, {NULL}},
    {"renamed", {"renamed_to", NULL}, {"renamed_to", NULL}},
    {"transferred", {"transferred_to", NULL}, {"transferred_to", NULL}},
    /* 4.164 needs storage here too (4.107 did not). */
    {"expecting-transfer",
     {"transfer_from", "storage", "container", NULL},
     {"transfer_from", "storage", NULL}},
};

static bool
has_do_entries(const wl_node *exports)
{
	WL_NODE_FOREACH(e, exports)
	{
		const char *type = wl_node_str(wl_node_get(e, "type"));
		if (type && strcmp(type, "durable-object") == 0)
			return true;
	}
	return false;
}

static void
check_entry(wl_check_ctx *ctx, const char *env, const wl_node *entry)
{
	const char *cls = entry->key;
	if (!wl_node_is(entry, json_type_object)) {
		if (!(entry->flags & WL_NODE_INVALID))
			wl_report(ctx, &rule_invalid, entry, env,
			          "\"exports.%s\" must be an object with a \"type\", not %s", cls,
			          wl_node_type_name(entry));
		return;
	}
	const wl_node *type_n = wl_node_get(entry, "type");
	const char *type = wl_node_str(type_n);
	if (!type || (strcmp(type, "durable-object") != 0 && strcmp(type, "worker") != 0 &&
	              strcmp(type, "workflow") != 0)) {
		wl_report(
		    ctx, &rule_invalid, type_n ? type_n : entry, env,
		    "\"exports.%s.type\" must be \"durable-object\", \"worker\" or \"workflow\"",
		    cls);
		return;
	}
	/* Worker and Workflow entries have no states: the schema checks their keys. */
	if (strcmp(type, "durable-object") != 0)
		return;
	const wl_node *state_n = wl_node_get(entry, "state");
	const char *state = state_n ? wl_node_str(state_n) : "created";
	const state_rule *sr = NULL;
	for (size_t i = 0; state && i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(state, states[i].state) == 0)
			sr = &states[i];
	if (!sr) {
		wl_report(
		    ctx, &rule_invalid, state_n, env,
		    "\"exports.%s.state\" must be one of \"created\", \"deleted\", \"renamed\", "
		    "\"transferred\" or \"expecting-transfer\"",
		    cls);
		return;
	}
	WL_NODE_FOREACH(m, entry)
	{
		if (strcmp(m->key, "type") == 0 || strcmp(m->key, "state") == 0)
			continue;
		bool ok = false;
		for (size_t i = 0; sr->allowed[i]; i++)
			if (strcmp(m->key, sr->allowed[i]) == 0)
				ok = true;
		if (!ok)
			wl_report_span(ctx, &rule_invalid, m, m->key_span, env,
			               "\"exports.%s.%s\" is not allowed on state \"%s\"", cls,
			               m->key, sr->state);
	}
	for (size_t i = 0; sr->required[i]; i++)
		if (!wl_node_get(entry, sr->required[i]))
			wl_report(ctx, &rule_invalid, state_n ? state_n : entry, env,
			          "\"exports.%s\" in state \"%s\" needs \"%s\"%s", cls, sr->state,
			          sr->required[i],
			          strcmp(sr->required[i], "storage") == 0
			              ? " (\"sqlite\" or \"legacy-kv\")"
			              : "");
	const wl_node *storage_n = wl_node_get(entry, "storage");
	const char *storage = wl_node_str(storage_n);
	if (storage_n &&
	    (!storage || (strcmp(storage, "sqlite") != 0 && strcmp(storage, "legacy-kv") != 0)))
		wl_report(ctx, &rule_invalid, storage_n, env,
		          "\"exports.%s.storage\" must be \"sqlite\" or \"legacy-kv\"", cls);
	if (storage && strcmp(storage, "legacy-kv") == 0 && wl_node_get(entry, "container"))
		wl_report(
		    ctx, &rule_invalid, wl_node_get(entry, "container"), env,
		    "\"exports.%s.container\" requires \"storage\": \"sqlite\"; containers are "
		    "not supported on legacy-kv Durable Objects",
		    cls);
	const wl_node *renamed_n = wl_node_get(entry, "renamed_to");
	if (renamed_n && sr == &states[2]) {
		const char *to = wl_node_str(renamed_n);
		if (!to || !wl_is_js_identifier(to))
			wl_report(ctx, &rule_invalid, renamed_n, env,
			          "\"exports.%s.renamed_to\" must be a valid JavaScript identifier",
			          cls);
		else if (strcmp(to, cls) == 0)
			wl_report(ctx, &rule_invalid, renamed_n, env,
			          "\"exports.%s.renamed_to\" cannot equal the class's own name",
			          cls);
	}
}

/* Two Workflow entries may not declare the same Workflow name. */
static void
check_workflow_names(wl_check_ctx *ctx, const char *env, const wl_node *exports)
{
	WL_NODE_FOREACH(e, exports)
	{
		const char *type = wl_node_str(wl_node_get(e, "type"));
		const wl_node *name_n = wl_node_get(e, "name");
		const char *name = wl_node_str(name_n);
		if (!type || strcmp(type, "workflow") != 0 || !name)
			continue;
		WL_NODE_FOREACH(f, exports)
		{
			if (f == e)
				break;
			const char *ft = wl_node_str(wl_node_get(f, "type"));
			const char *fn = wl_node_str(wl_node_get(f, "name"));
			if (ft && strcmp(ft, "workflow") == 0 && fn && strcmp(fn, name) == 0) {
				wl_report(
				    ctx, &rule_invalid, name_n, env,
				    "\"exports.%s\" and \"exports.%s\" both declare the Workflow "
				    "\"%s\": Workflow names must be unique",
				    f->key, e->key, name);
				break;
			}
		}
	}
}

/* A live Durable Object entry: one that has (or will have) a class. */
static bool
is_live_do(const wl_node *entry)
{
	const char *type = wl_node_str(wl_node_get(entry, "type"));
	if (!type || strcmp(type, "durable-object") != 0)
		return false;
	const wl_node *st = wl_node_get(entry, "state");
	const char *state = wl_node_str(st);
	return !st || (state &&
	               (strcmp(state, "created") == 0 || strcmp(state, "expecting-transfer") == 0));
}

/* The name a container goes by: its own `name`, else the one wrangler
 * derives, "<top-level name>-<class_name>[-<env>]" in lowercase with spaces
 * as '-'. Owned; NULL when neither is known. Free with free(). */
static char *
container_name(const wl_node *c, const char *top_name, const char *env)
{
	const char *n = wl_node_str(wl_node_get(c, "name"));
	if (n)
		return wl_xstrdup(n);
	const char *cls = wl_node_str(wl_node_get(c, "class_name"));
	if (!cls || !top_name)
		return NULL;
	char *d = env ? wl_xasprintf("%s-%s-%s", top_name, cls, env)
	              : wl_xasprintf("%s-%s", top_name, cls);
	for (char *p = d; *p; p++)
		*p = *p == ' ' ? '-' : (char)tolower((unsigned char)*p);
	return d;
}

/* The exports entry (live, Durable Object) whose `container` is `name`. */
static const wl_node *
entry_using(const wl_node *exports, const char *name)
{
	WL_NODE_FOREACH(entry, exports)
	{
		const char *cname = wl_node_str(wl_node_get(entry, "container"));
		if (name && cname && strcmp(cname, name) == 0 && is_live_do(entry))
			return entry;
	}
	return NULL;
}

/* wrangler 4.164 links a container to its Durable Object either by the
 * container's `class_name` or by an exports entry's `container` naming the
 * container. Checked per environment against its own `containers` (not
 * inherited) and the exports in effect there, as wrangler does. */
static void
check_containers(wl_check_ctx *ctx, const wl_model *m, const wl_env *e)
{
	const wl_node *containers = wl_node_get(e->node, "containers");
	const wl_node *ex = wl_node_is(e->exports, json_type_object) ? e->exports : NULL;
	if (containers && !wl_node_is(containers, json_type_array))
		return;
	const char *top_name = m->n_envs ? wl_node_str(wl_node_get(m->envs[0].node, "name")) : NULL;
	size_t n = containers ? containers->n_children : 0;
	char **names = wl_xcalloc(n ? n : 1, sizeof(*names));
	size_t i = 0;
	WL_NODE_FOREACH(c, containers)
	{
		names[i++] =
		    wl_node_is(c, json_type_object) ? container_name(c, top_name, e->name) : NULL;
	}
	/* wrangler skips the references when this env has no containers but
	 * the other side of the file (top level vs. the envs) has some. */
	bool elsewhere = false;
	/* An inherited exports object is checked where it is written, unless
	 * this env has containers of its own to resolve its names against. */
	if (!containers && e->name && !e->own_exports)
		elsewhere = true;
	if (!containers) {
		for (size_t k = 0; k < m->n_envs; k++)
			if (!m->envs[k].name != !e->name &&
			    wl_node_get(m->envs[k].node, "containers"))
				elsewhere = true;
	}
	WL_NODE_FOREACH(entry, ex)
	{
		const wl_node *cn = wl_node_get(entry, "container");
		const char *cname = wl_node_str(cn);
		if (elsewhere || !is_live_do(entry) || !cname || !cname[0])
			continue;
		bool found = false;
		for (size_t k = 0; k < n; k++)
			if (names[k] && strcmp(names[k], cname) == 0)
				found = true;
		if (!found) {
			wl_report(ctx, &rule_container, cn, e->name,
			          "\"exports.%s.container\" names the container \"%s\", but no "
			          "container in \"containers\"%s%s has that name",
			          entry->key, cname, e->name ? " of " : "",
			          e->name ? e->label : "");
			continue;
		}
		const wl_node *first = entry_using(ex, cname);
		if (first && first != entry)
			wl_report(ctx, &rule_container, cn, e->name,
			          "the container \"%s\" is already used by \"exports.%s\": a "
			          "container backs a single Durable Object",
			          cname, first->key);
	}
	i = 0;
	WL_NODE_FOREACH(c, containers)
	{
		const char *name = names[i++];
		if (!wl_node_is(c, json_type_object))
			continue;
		const wl_node *cls_n = wl_node_get(c, "class_name");
		const char *cls = wl_node_str(cls_n);
		if (!cls_n) {
			if (!name)
				wl_report(
				    ctx, &rule_container, c, e->name,
				    "this container has neither \"class_name\" nor \"name\": set "
				    "\"class_name\" to the Durable Object class it belongs to");
			else if (!entry_using(ex, name))
				wl_report(
				    ctx, &rule_container, wl_node_get(c, "name"), e->name,
				    "the container \"%s\" is not linked to a Durable Object: set "
				    "its \"class_name\", or name it in a Durable Object's exports "
				    "entry (\"container\": \"%s\")",
				    name, name);
			continue;
		}
		const wl_node *own = cls ? wl_node_get(ex, cls) : NULL;
		const wl_node *ref_n =
		    own && is_live_do(own) ? wl_node_get(own, "container") : NULL;
		const char *ref = wl_node_str(ref_n);
		if (ref && name && strcmp(ref, name) != 0)
			wl_report(
			    ctx, &rule_container, cls_n, e->name,
			    "the container \"%s\" belongs to \"%s\" by its \"class_name\", but "
			    "\"exports.%s.container\" is \"%s\": the two must name each other",
			    name, cls, cls, ref);
	}
	for (size_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
}

static void
check(wl_check_ctx *ctx)
{
	const wl_model *m = ctx->model;
	if (!m)
		return;
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		/* An inherited exports object is checked where it is written. */
		bool own = !e->name || e->own_exports;
		const wl_node *ex = e->exports;
		if (ex && own) {
			if (!wl_node_is(ex, json_type_object)) {
				if (!(ex->flags & WL_NODE_INVALID))
					wl_report(ctx, &rule_invalid, ex, e->name,
					          "\"exports\" must be an object keyed by class "
					          "name, not %s",
					          wl_node_type_name(ex));
				continue;
			}
			WL_NODE_FOREACH(entry, ex)
			{
				check_entry(ctx, e->name, entry);
			}
			check_workflow_names(ctx, e->name, ex);
		}
		check_containers(ctx, m, e);
		/* Report each (exports, migrations) pair once: where one of them is
		 * the env's own, or at the top level. */
		/* An empty migrations list declares nothing: no conflict. */
		if (!ex || !e->migrations || (e->name && !e->own_exports && !e->own_migrations) ||
		    (wl_node_is(e->migrations, json_type_array) && e->migrations->n_children == 0))
			continue;
		if (!wl_node_is(ex, json_type_object) || !has_do_entries(ex))
			continue;
		wl_diag *d = wl_report_span(ctx, &rule_and_migrations, ex,
		                            wl_node_key_or_value_span(ex), e->name,
		                            "\"migrations\" and \"exports\" are mutually "
		                            "exclusive%s%s: declare the Durable "
		                            "Object lifecycle with one of them",
		                            e->name ? " in " : "", e->name ? e->label : "");
		wl_diag_add_related(d, wl_node_key_or_value_span(e->migrations), "migrations here");
	}
}

const wl_rule_family wl_family_do_exports = {"do-export", rules, sizeof(rules) / sizeof(rules[0]),
                                             check};
