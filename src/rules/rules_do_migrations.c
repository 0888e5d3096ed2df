/* Durable Object migrations: the rule family over the replay of
 * migrations.c. The replay reports the shape of each step and what it cannot
 * apply; this file checks every environment's bindings against the final
 * class states of the list it uses, marks classes bound by other Workers of
 * the file, and reports KV-backed creations. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "history.h"
#include "migrations.h"
#include "model.h"
#include "rules_families.h"
#include "strmap.h"

static const wl_rule rule_delete_still_bound = {
    "do-delete-still-bound", "do-migration", WL_SEV_ERROR,
    "A deleted class is still the class_name of a binding"};
static const wl_rule rule_rename_stale = {
    "do-rename-stale-binding", "do-migration", WL_SEV_ERROR,
    "A binding still uses a class name that a migration renamed away"};
static const wl_rule rule_prefer_sqlite = {
    "do-prefer-sqlite", "do-migration", WL_SEV_WARNING,
    "new_classes creates a KV-backed class; new classes should be SQLite-backed"};
static const wl_rule rule_class_unbound = {
    "do-class-unbound", "do-migration", WL_SEV_NOTE,
    "A class that migrations create but no environment binds"};
/* Classes named in one do-migrations-missing message; the rest are counted. */
#define MISSING_NAMED 8

static const wl_rule rule_migrations_missing = {
    "do-migrations-missing", "do-migration", WL_SEV_ERROR,
    "Local Durable Object bindings without any migrations or live exports"};
static const wl_rule rule_not_created = {
    "do-class-not-created", "do-migration", WL_SEV_ERROR,
    "A bound class that no migration creates (deploy fails with API error 10061)"};
static const wl_rule rule_override_incomplete = {
    "env-migrations-override-incomplete", "env", WL_SEV_ERROR,
    "An environment's own migrations list does not create a class it binds"};

static const wl_rule *const rules[] = {
    &wl_rule_mig_tag_missing,
    &wl_rule_mig_tag_duplicate,
    &wl_rule_mig_unknown_key,
    &wl_rule_mig_invalid,
    &wl_rule_mig_empty,
    &wl_rule_mig_new_and_sqlite,
    &wl_rule_mig_created_twice,
    &wl_rule_mig_replay,
    &rule_delete_still_bound,
    &rule_rename_stale,
    &wl_rule_mig_transfer_precreated,
    &rule_prefer_sqlite,
    &rule_class_unbound,
    &rule_migrations_missing,
    &rule_not_created,
    &rule_override_incomplete,
};

typedef wl_mig_class class_state;
typedef wl_mig_list mig_list;

/* What the binding checks learn about a class of a list (by its index). */
typedef struct class_marks {
	bool bound; /* a binding (of a user, or of another Worker here) uses it */
	/* Bindings (any env using the list) that still use it after a delete. */
	const wl_do_binding *stale[8];
	const wl_env *stale_env[8];
	size_t n_stale;
} class_marks;

/* ---- fixes ---- */

/* Work per fix is bounded: bindings looked at, classes compared. */
#define FIX_SCAN_BINDINGS 4096
#define FIX_NEAR_CLASSES  256

/* Safe: the rename is recorded, the binding only follows it. */
static void
fix_bind_new_name(wl_check_ctx *ctx, wl_diag *d, const wl_do_binding *b, const char *to)
{
	if (d == &ctx->diags->sink || !to || !*to)
		return;
	char *title = wl_xasprintf("bind %s", to);
	wl_fix_replace_string(d, b->class_node, to, title);
	wl_diag_set_fix_safety(d, WL_FIX_SAFE);
	free(title);
}

/* The live class of `l` one edit away from `name`, when exactly one is. */
static const char *
near_live_class(const mig_list *l, const char *name)
{
	if (!l || l->n_classes > FIX_NEAR_CLASSES)
		return NULL;
	const char *found = NULL;
	for (const class_state *c = l->first; c; c = c->next) {
		if (!c->live || !wl_fix_one_edit_apart(name, c->name))
			continue;
		if (found && strcmp(found, c->name) != 0)
			return NULL;
		found = c->name;
	}
	return found;
}

/* The classes of `e`'s local bindings that `l` (NULL or empty: none)
 * leaves uncreated, each once, in binding order; with `all_inheriting`,
 * those of every env without its own migrations or exports. Names one edit
 * from a live class are left out (their fix renames the binding). NULL
 * when there are none or too many for a person to take on trust. */
static const char **
uncreated_classes(wl_check_ctx *ctx, const wl_env *e, const mig_list *l, bool all_inheriting,
                  size_t *n_out)
{
	const wl_model *m = ctx->model;
	size_t cap = 8, n = 0, scanned = 0;
	const char **names = wl_xmalloc(cap * sizeof(*names));
	for (size_t k = 0; k < m->n_envs; k++) {
		const wl_env *x = &m->envs[k];
		if (all_inheriting ? (x->own_migrations || x->exports) : x != e)
			continue;
		for (size_t i = 0; i < x->n_do_bindings; i++) {
			const wl_do_binding *b = &x->do_bindings[i];
			if (++scanned > FIX_SCAN_BINDINGS || n > WL_FIX_MAX_COPIED) {
				free(names);
				return NULL;
			}
			if (!b->local || !b->class_name || !*b->class_name)
				continue;
			const class_state *c = l && l->by_id ? l->by_id[b->class_id] : NULL;
			if ((c && (c->live || c->gone != WL_MIG_GONE_NONE)) ||
			    near_live_class(l, b->class_name))
				continue;
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = strcmp(names[j], b->class_name) == 0;
			if (seen)
				continue;
			wl_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
			names[n++] = b->class_name;
		}
	}
	if (!n) {
		free(names);
		return NULL;
	}
	*n_out = n;
	return names;
}

/* Unsafe (it decides what the deploy creates): a binding whose class is one
 * edit from a live class takes that name; otherwise a new step creates the
 * env's uncreated classes, SQLite-backed. */
static void
fix_not_created(wl_check_ctx *ctx, wl_diag *d, const wl_env *e, const mig_list *l,
                const wl_do_binding *b, wl_text_style_cache *style)
{
	if (d == &ctx->diags->sink)
		return;
	const char *near = near_live_class(l, b->class_name);
	if (near) {
		char *title = wl_xasprintf("bind the existing class %s", near);
		wl_fix_replace_string(d, b->class_node, near, title);
		free(title);
	} else {
		size_t n = 0;
		const char **names = uncreated_classes(ctx, e, l, false, &n);
		if (names)
			wl_fix_add_migration_step(d, ctx->doc, wl_text_style_get(ctx->doc, style),
			                          NULL, l->node, names, n,
			                          n > 1
			                              ? "add a migration step creating the classes"
			                              : "add a migration step creating the class");
		free(names);
	}
	wl_diag_set_fix_safety(d, WL_FIX_UNSAFE);
}

/* Unsafe: the first step of a list, for every class bound locally that the
 * (absent or empty) list leaves uncreated. */
static void
fix_migrations_missing(wl_check_ctx *ctx, wl_diag *d, const wl_env *e, const mig_list *l,
                       wl_text_style_cache *style)
{
	if (d == &ctx->diags->sink)
		return;
	/* Without any list, the new one goes to the top level, which every env
	 * without its own inherits: one step covers them all. */
	bool top = !l || !l->node;
	size_t n = 0;
	const char **names = uncreated_classes(ctx, e, l, top || !l->own, &n);
	if (names)
		wl_fix_add_migration_step(d, ctx->doc, wl_text_style_get(ctx->doc, style),
		                          top ? ctx->doc->root : NULL, top ? NULL : l->node, names,
		                          n, "add a first migration step creating the classes");
	free(names);
	wl_diag_set_fix_safety(d, WL_FIX_UNSAFE);
}

/* ---- bindings against the replayed classes ---- */

/* A local binding of an env that declares its classes with `exports` (and
 * has no migrations): the class must be live there. */
static void
check_exports_binding(wl_check_ctx *ctx, const wl_env *e, const wl_do_binding *b)
{
	const wl_node *entry = wl_node_get(e->exports, b->class_name);
	const char *state = wl_node_str(wl_node_get(entry, "state"));
	const char *type;
	if (state && strcmp(state, "deleted") == 0)
		wl_report(ctx, &rule_delete_still_bound, b->class_node, e->name,
		          "binding %s still uses class %s, which exports.%s declares deleted; "
		          "remove the binding and deploy first, then delete the class (API error "
		          "10061)",
		          b->name, b->class_name, b->class_name);
	else if (state && strcmp(state, "renamed") == 0) {
		wl_diag *d = wl_report(
		    ctx, &rule_rename_stale, b->class_node, e->name,
		    "binding %s still uses class %s, which exports.%s declares renamed%s%s; "
		    "bind the new name",
		    b->name, b->class_name, b->class_name,
		    wl_node_str(wl_node_get(entry, "renamed_to")) ? " to " : "",
		    wl_node_str(wl_node_get(entry, "renamed_to"))
		        ? wl_node_str(wl_node_get(entry, "renamed_to"))
		        : "");
		fix_bind_new_name(ctx, d, b, wl_node_str(wl_node_get(entry, "renamed_to")));
	} else if (state && strcmp(state, "transferred") == 0) {
		const char *to = wl_node_str(wl_node_get(entry, "transferred_to"));
		wl_report(ctx, &rule_not_created, b->class_node, e->name,
		          "class %s (binding %s%s%s) is declared transferred%s%s%s by exports.%s, "
		          "so this Worker no longer has it; bind it with \"script_name\" set to "
		          "the Worker that received it (deploy fails with API error 10061)",
		          b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "",
		          to ? " to \"" : "", to ? to : "", to ? "\"" : "", b->class_name);
	} else if (wl_node_is(entry, json_type_object) &&
	           (type = wl_node_str(wl_node_get(entry, "type"))) != NULL &&
	           strcmp(type, "durable-object") != 0)
		wl_report(ctx, &rule_not_created, b->class_node, e->name,
		          "class %s (binding %s%s%s) is declared in exports with type \"%s\", not "
		          "as a Durable Object; set exports.%s.type to \"durable-object\" (with "
		          "\"storage\": \"sqlite\"), or the deploy fails (API error 10061)",
		          b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "",
		          type, b->class_name);
	else if (entry)
		wl_report(ctx, &rule_not_created, b->class_node, e->name,
		          "class %s (binding %s%s%s) has an exports entry that does not declare a "
		          "live Durable Object; make exports.%s {\"type\": \"durable-object\", "
		          "\"storage\": \"sqlite\"}, or the deploy fails (API error 10061)",
		          b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "",
		          b->class_name);
	else
		wl_report(ctx, &rule_not_created, b->class_node, e->name,
		          "class %s (binding %s%s%s) has no live entry in exports; add "
		          "\"%s\": {\"type\": \"durable-object\", \"storage\": \"sqlite\"} to "
		          "exports, or the deploy fails (API error 10061)",
		          b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "",
		          b->class_name);
}

static void
check_env_bindings(wl_check_ctx *ctx, const wl_env *e, const mig_list *l, class_marks *mk,
                   wl_text_style_cache *style)
{
	bool empty = !l || (l->replayable && l->n_steps == 0);
	if (l && !l->replayable)
		return; /* the list itself was reported */
	char *missing = NULL;
	size_t n_missing = 0;
	for (size_t i = 0; i < e->n_do_bindings; i++) {
		const wl_do_binding *b = &e->do_bindings[i];
		if (!b->local)
			continue;
		class_state *c = empty ? NULL : l->by_id[b->class_id];
		if (c && c->live)
			mk[c->index].bound = true;
		if (e->exports && wl_exports_class_live(e->exports, b->class_name))
			continue;
		if (c && c->live)
			continue;
		if (empty && e->exports) {
			check_exports_binding(ctx, e, b);
			continue;
		}
		if (empty) {
			/* The message names a few; its length (and the work) must not
			 * grow with the number of bindings. */
			if (n_missing < MISSING_NAMED) {
				char *more = wl_xasprintf("%s%s\"%s\"", missing ? missing : "",
				                          missing ? ", " : "", b->class_name);
				free(missing);
				missing = more;
			}
			n_missing++;
			continue;
		}
		if (c && c->gone == WL_MIG_GONE_DELETED)
			continue; /* do-delete-still-bound, at the deletion */
		if (c && c->gone == WL_MIG_GONE_RENAMED) {
			wl_diag *d = wl_report(
			    ctx, &rule_rename_stale, b->class_node, e->name,
			    "binding %s still uses class %s, which migration \"%s\" "
			    "renamed to %s; bind %s instead",
			    b->name, b->class_name, c->gone_tag, c->renamed_to, c->renamed_to);
			wl_diag_add_related(d, c->gone_at->span, "renamed here");
			fix_bind_new_name(ctx, d, b, c->renamed_to);
			continue;
		}
		wl_diag *d;
		if (e->own_migrations)
			d = wl_report(
			    ctx, &rule_override_incomplete, b->class_node, e->name,
			    "%s overrides \"migrations\", and its own list never creates class "
			    "%s (binding %s); an environment's migrations replace the top "
			    "level's entirely, so add a step creating it (deploy fails with API "
			    "error 10061)",
			    e->label, b->class_name, b->name);
		else
			d = wl_report(
			    ctx, &rule_not_created, b->class_node, e->name,
			    "class %s (binding %s%s%s) is not created by any migration; add "
			    "it to new_sqlite_classes in a new step, or the deploy fails with "
			    "API error 10061",
			    b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "");
		wl_diag_add_related(d, wl_node_key_or_value_span(l->node), "migrations used here");
		if (!e->own_migrations)
			fix_not_created(ctx, d, e, l, b, style);
	}
	if (missing) {
		const wl_node *at = e->durable_objects;
		char *more = n_missing > MISSING_NAMED
		                 ? wl_xasprintf(" and %zu more", n_missing - MISSING_NAMED)
		                 : wl_xstrdup("");
		char *more_step = n_missing > MISSING_NAMED ? wl_xstrdup(", ...") : wl_xstrdup("");
		wl_diag *d = wl_report_span(
		    ctx, &rule_migrations_missing, at, wl_node_key_or_value_span(at), e->name,
		    "%s binds Durable Object class%s %s%s in its own Worker but has no "
		    "migrations; add a step such as {\"tag\": \"v1\", "
		    "\"new_sqlite_classes\": [%s%s]} (deploy fails with API error "
		    "10061)",
		    e->name ? e->label : "the top level", n_missing > 1 ? "es" : "", missing, more,
		    missing, more_step);
		fix_migrations_missing(ctx, d, e, l, style);
		free(missing);
		free(more);
		free(more_step);
	}
}

/* Bindings are matched by class_name, local or not (the API does so). */
static void
check_deleted_bound(wl_check_ctx *ctx, const mig_list *l, class_marks *mk, const char *env)
{
	for (size_t i = 0; i < l->n_envs; i++) {
		const wl_env *e = l->envs[i];
		for (size_t j = 0; j < e->n_do_bindings; j++) {
			const wl_do_binding *b = &e->do_bindings[j];
			class_state *c = l->by_id[b->class_id];
			if (!c || c->live || c->gone != WL_MIG_GONE_DELETED)
				continue;
			class_marks *k = &mk[c->index];
			if (k->n_stale < sizeof(k->stale) / sizeof(k->stale[0])) {
				k->stale[k->n_stale] = b;
				k->stale_env[k->n_stale] = e;
			}
			k->n_stale++;
		}
	}
	for (const class_state *c = l->first; c; c = c->next) {
		const class_marks *k = &mk[c->index];
		if (!k->n_stale)
			continue;
		const wl_env *e = k->stale_env[0];
		wl_diag *d =
		    wl_report(ctx, &rule_delete_still_bound, c->gone_at, env,
		              "migration \"%s\" deletes class %s, but binding %s in %s%s "
		              "still uses it%s; remove the binding and deploy first, then "
		              "delete the class (API error 10061)",
		              c->gone_tag, c->name, k->stale[0]->name, e->name ? "" : "the ",
		              e->label, k->n_stale > 1 ? " (and others)" : "");
		size_t shown = k->n_stale < 8 ? k->n_stale : 8;
		for (size_t j = 0; j < shown; j++)
			wl_diag_add_related(d, k->stale[j]->class_node->span,
			                    "still bound here (%s)", k->stale_env[j]->label);
	}
}

static void
check_unbound(wl_check_ctx *ctx, const mig_list *l, const class_marks *mk, const char *env)
{
	for (const class_state *c = l->first; c; c = c->next) {
		if (!c->live || mk[c->index].bound)
			continue;
		wl_report(ctx, &rule_class_unbound, c->created, env,
		          "class %s is created by migration \"%s\" but no binding in %s (nor any "
		          "other Worker's binding in this file) uses it; fine if code reaches it "
		          "through ctx.exports, otherwise it is dead configuration",
		          c->name, c->created_tag, l->users_or);
	}
}

/* new_classes entries: KV-backed creations (the replay made them live). */
static void
check_prefer_sqlite(wl_check_ctx *ctx, const mig_list *l, const wl_history *h)
{
	const char *env = l->own ? l->envs[0]->name : NULL;
	for (size_t i = 0; i < l->n_steps; i++) {
		const wl_mig_step *st = &l->steps[i];
		if (!st->new_kv)
			continue;
		WL_NODE_FOREACH(item, st->new_kv)
		{
			const char *name = wl_node_str(item);
			if (!name || !*name)
				continue;
			char *msg;
			if (wl_history_step_applied(h, l, i))
				msg = wl_xasprintf("migration \"%s\" created %s as a KV-backed "
				                   "class (new_classes) and "
				                   "is already deployed, so it cannot change (an "
				                   "edit would be skipped); "
				                   "to move to SQLite, create a new class with "
				                   "new_sqlite_classes in a "
				                   "new step, move the data, then delete %s",
				                   st->label, name, name);
			else
				msg = wl_xasprintf("migration \"%s\" creates %s as a KV-backed "
				                   "class (new_classes); "
				                   "create new classes with new_sqlite_classes "
				                   "(the Free plan rejects "
				                   "new_classes with API error 10097)",
				                   st->label, name);
			wl_diag *d;
			if (l->n_envs > 1)
				d = wl_report(ctx, &rule_prefer_sqlite, item, env,
				              "%s (this migrations list is used by %s)", msg,
				              l->users);
			else
				d = wl_report(ctx, &rule_prefer_sqlite, item, env, "%s", msg);
			free(msg);
			/* Known to be pending (a baseline says so): the step can still
			 * create its classes SQLite-backed. Unsafe: it changes what
			 * deploys. One fix per step, on its first class. */
			if (item == wl_node_first(st->new_kv) && wl_diag_kept(ctx->diags, d) &&
			    wl_history_step_pending(h, l, i) &&
			    wl_fix_rename_key(d, ctx->doc, st->new_kv, "new_sqlite_classes",
			                      "create the step's classes SQLite-backed "
			                      "(rename new_classes to new_sqlite_classes)"))
				wl_diag_set_fix_safety(d, WL_FIX_UNSAFE);
		}
	}
}

static void
check(wl_check_ctx *ctx)
{
	const wl_model *m = ctx->model;
	if (!m)
		return;
	wl_migrations *res = wl_migrations_replay(m, ctx);
	wl_history *hist = wl_history_open(ctx, res);
	mig_list *lists = res->lists;
	size_t n_lists = res->n_lists;
	mig_list **of_env = res->of_env;
	class_marks **marks = wl_xcalloc(n_lists ? n_lists : 1, sizeof(*marks));
	for (size_t i = 0; i < n_lists; i++) {
		marks[i] = wl_xcalloc(lists[i].n_classes + 1, sizeof(*marks[i]));
		if (lists[i].replayable)
			check_prefer_sqlite(ctx, &lists[i], hist);
	}
	/* 2. Every env's local bindings against its list. */
	wl_text_style_cache style = {0};
	for (size_t i = 0; i < m->n_envs; i++)
		check_env_bindings(ctx, &m->envs[i], of_env[i],
		                   of_env[i] ? marks[of_env[i] - lists] : NULL, &style);
	/* 3. A binding with script_name naming another env's Worker in this file
	 * binds that Worker's class: it counts as bound there. */
	wl_strmap workers;
	wl_strmap_init(&workers);
	for (size_t i = 0; i < m->n_envs; i++)
		if (m->envs[i].worker_name && of_env[i])
			wl_strmap_put(&workers, m->envs[i].worker_name, of_env[i]);
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		for (size_t j = 0; j < e->n_do_bindings; j++) {
			const wl_do_binding *b = &e->do_bindings[j];
			if (b->local || !b->script_name || b->environment)
				continue;
			mig_list *l = wl_strmap_get(&workers, b->script_name);
			if (l && l->replayable && l->by_id[b->class_id])
				marks[l - lists][l->by_id[b->class_id]->index].bound = true;
		}
	}
	wl_strmap_free(&workers);
	/* 4. What each list says about all of its users' bindings. */
	for (size_t i = 0; i < n_lists; i++) {
		mig_list *l = &lists[i];
		if (!l->replayable)
			continue;
		const char *env = l->own ? l->envs[0]->name : NULL;
		check_deleted_bound(ctx, l, marks[i], env);
		check_unbound(ctx, l, marks[i], env);
	}
	for (size_t i = 0; i < n_lists; i++)
		free(marks[i]);
	free(marks);
	wl_containers_check(ctx, res);
	wl_history_report(ctx, hist);
	wl_history_free(hist);
	wl_migrations_free(res);
}

const wl_rule_family wl_family_do_migrations = {"do-migration", rules,
                                                sizeof(rules) / sizeof(rules[0]), check};
