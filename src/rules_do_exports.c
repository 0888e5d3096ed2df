/* Declarative `exports` (wrangler 4.107+): the Durable Object lifecycle as a
 * map of class name -> state, and its exclusion with `migrations`. */
#include <string.h>

#include "model.h"
#include "patterns.h"
#include "rules_families.h"

static const wl_rule rule_and_migrations = {
    "do-exports-and-migrations", "do-export", WL_SEV_ERROR,
    "Both exports (with Durable Object entries) and migrations are set"};
static const wl_rule rule_invalid = {"do-export-invalid", "do-export", WL_SEV_ERROR,
                                     "An exports entry that breaks the state rules"};

static const wl_rule *const rules[] = {&rule_and_migrations, &rule_invalid};

typedef struct state_rule {
	const char *state;
	const char *allowed[6]; /* besides "type" and "state" */
	const char *required;
} state_rule;

static const state_rule states[] = {
    {"created", {"storage", "container", NULL}, "storage"},
    {"deleted", {NULL}, NULL},
    {"renamed", {"renamed_to", NULL}, "renamed_to"},
    {"transferred", {"transferred_to", NULL}, "transferred_to"},
    {"expecting-transfer", {"transfer_from", "storage", "container", NULL}, "transfer_from"},
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
	if (!type || (strcmp(type, "durable-object") != 0 && strcmp(type, "worker") != 0)) {
		wl_report(ctx, &rule_invalid, type_n ? type_n : entry, env,
		          "\"exports.%s.type\" must be \"durable-object\" or \"worker\"", cls);
		return;
	}
	if (strcmp(type, "worker") == 0)
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
	if (sr->required && !wl_node_get(entry, sr->required)) {
		wl_report(
		    ctx, &rule_invalid, state_n ? state_n : entry, env,
		    "\"exports.%s\" in state \"%s\" needs \"%s\"%s", cls, sr->state, sr->required,
		    strcmp(sr->required, "storage") == 0 ? " (\"sqlite\" or \"legacy-kv\")" : "");
	}
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
		}
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
