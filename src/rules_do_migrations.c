/* Durable Object migrations: the shape of each step, and a replay of every
 * distinct migrations list (the top level's, shared by the environments that
 * inherit it, and each environment's own) with the platform's semantics:
 * within a step deleted, then renamed, then transferred, then new_classes,
 * then new_sqlite_classes. The replay gives each class its state, which the
 * binding checks of every environment using the list then read. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "rules_families.h"
#include "strmap.h"
#include "suggest.h"

static const wl_rule rule_tag_missing = {"do-migration-tag-missing", "do-migration", WL_SEV_ERROR,
                                         "A migration step without a non-empty string tag"};
static const wl_rule rule_tag_duplicate = {"do-migration-tag-duplicate", "do-migration",
                                           WL_SEV_ERROR, "Two migration steps share a tag"};
static const wl_rule rule_unknown_key = {
    "do-migration-unknown-key", "do-migration", WL_SEV_ERROR,
    "An unknown key in a migration step; wrangler only warns and deploys without it"};
static const wl_rule rule_invalid = {"do-migration-invalid", "do-migration", WL_SEV_ERROR,
                                     "A migrations list or step field of the wrong shape"};
static const wl_rule rule_empty = {"do-migration-empty", "do-migration", WL_SEV_WARNING,
                                   "A migration step with a tag and nothing else"};
static const wl_rule rule_new_and_sqlite = {
    "do-class-new-and-sqlite", "do-migration", WL_SEV_ERROR,
    "One class in both new_classes and new_sqlite_classes of a step"};
static const wl_rule rule_created_twice = {
    "do-class-created-twice", "do-migration", WL_SEV_ERROR,
    "A new_classes or new_sqlite_classes entry for a class that already exists"};
static const wl_rule rule_replay = {
    "do-migration-replay", "do-migration", WL_SEV_ERROR,
    "A rename, delete or transfer that the migration history cannot apply"};
static const wl_rule rule_delete_still_bound = {
    "do-delete-still-bound", "do-migration", WL_SEV_ERROR,
    "A deleted class is still the class_name of a binding"};
static const wl_rule rule_rename_stale = {
    "do-rename-stale-binding", "do-migration", WL_SEV_ERROR,
    "A binding still uses a class name that a migration renamed away"};
static const wl_rule rule_transfer_precreated = {
    "do-transfer-precreated", "do-migration", WL_SEV_ERROR,
    "The destination of a transfer was already created by a new_* step"};
static const wl_rule rule_prefer_sqlite = {
    "do-prefer-sqlite", "do-migration", WL_SEV_WARNING,
    "new_classes creates a KV-backed class; new classes should be SQLite-backed"};
static const wl_rule rule_class_unbound = {
    "do-class-unbound", "do-migration", WL_SEV_NOTE,
    "A class that migrations create but no environment binds"};
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
    &rule_tag_missing,
    &rule_tag_duplicate,
    &rule_unknown_key,
    &rule_invalid,
    &rule_empty,
    &rule_new_and_sqlite,
    &rule_created_twice,
    &rule_replay,
    &rule_delete_still_bound,
    &rule_rename_stale,
    &rule_transfer_precreated,
    &rule_prefer_sqlite,
    &rule_class_unbound,
    &rule_migrations_missing,
    &rule_not_created,
    &rule_override_incomplete,
};

static const char *const step_keys[] = {
    "tag",
    "new_classes",
    "new_sqlite_classes",
    "renamed_classes",
    "deleted_classes",
    "transferred_classes",
    NULL,
};

typedef enum { GONE_NONE, GONE_DELETED, GONE_RENAMED } gone_kind;

typedef struct class_state {
	const char *name;
	bool live;
	bool sqlite;
	bool created_by_new;    /* made live by new_classes / new_sqlite_classes */
	const wl_node *created; /* the string that made it live */
	const char *created_tag;
	gone_kind gone; /* why it is not live (when it was once) */
	const wl_node *gone_at;
	const char *gone_tag;
	const char *renamed_to;
	bool bound; /* a local binding of an env using the list uses it */
	/* Bindings (any env using the list) that still use it after a delete. */
	const wl_do_binding *stale[8];
	const wl_env *stale_env[8];
	size_t n_stale;
	struct class_state *next; /* creation order, for deterministic reports */
} class_state;

/* One distinct migrations list and the environments that use it. */
typedef struct mig_list {
	const wl_node *node;
	const wl_env **envs;
	size_t n_envs;
	bool own;          /* an environment's own list (not the top level's) */
	wl_strmap classes; /* name -> class_state */
	class_state *first, *last;
	size_t n_steps;      /* well-formed steps */
	bool replayable;     /* an array */
	class_state **by_id; /* final state of each bound class (model class id) */
	char *users;         /* owned: "the top level and env.x" */
	char *users_or;      /* owned: "the top level or env.x" */
	wl_arena arena;      /* class states and step labels */
} mig_list;

typedef struct replay {
	wl_check_ctx *ctx;
	mig_list *list;
	const char *env; /* diagnostic env: the owner for own lists, else NULL */
	/* Names that the current step creates (new_classes, new_sqlite_classes),
	 * to explain a rename or delete that runs before them in the step. */
	wl_strmap step_new;
} replay;

/* Reports a problem of the list itself. A list shared by several
 * environments is reported once, naming who uses it. */
static wl_diag *rreport(replay *r, const wl_rule *rule, const wl_node *node, wl_span span,
                        const char *fmt, ...) WL_PRINTF(5, 6);

static wl_diag *
rreport(replay *r, const wl_rule *rule, const wl_node *node, wl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = wl_xvasprintf(fmt, ap);
	va_end(ap);
	wl_diag *d;
	if (r->list->n_envs > 1)
		d = wl_report_span(r->ctx, rule, node, span, r->env,
		                   "%s (this migrations list is used by %s)", msg, r->list->users);
	else
		d = wl_report_span(r->ctx, rule, node, span, r->env, "%s", msg);
	free(msg);
	return d;
}

static class_state *
class_get(replay *r, const char *name)
{
	class_state *c = wl_strmap_get(&r->list->classes, name);
	if (c)
		return c;
	c = wl_arena_alloc(&r->list->arena, sizeof(*c));
	c->name = name;
	wl_strmap_put(&r->list->classes, name, c);
	if (r->list->last)
		r->list->last->next = c;
	else
		r->list->first = c;
	r->list->last = c;
	return c;
}

/* Why `c` is not live, as a phrase for messages. */
static char *
why_not_live(const replay *r, const class_state *c)
{
	if (wl_strmap_get(&r->step_new, c->name))
		return wl_xstrdup(
		    "this same step creates it, but within a step deletions, renames and "
		    "transfers run before creations: create it in an earlier step");
	switch (c->gone) {
	case GONE_DELETED:
		return wl_xasprintf("it was deleted in migration \"%s\"", c->gone_tag);
	case GONE_RENAMED:
		return wl_xasprintf("migration \"%s\" renamed it to \"%s\"", c->gone_tag,
		                    c->renamed_to);
	case GONE_NONE:
		break;
	}
	return wl_xstrdup("no earlier migration creates it");
}

static char *
users_phrase(const wl_env *const *envs, size_t n, const char *conj)
{
	if (n == 0)
		return wl_xstrdup("no environment");
	enum { SHOWN = 3 };
	size_t len = 0;
	for (size_t i = 0; i < n && i < SHOWN; i++)
		len += strlen(envs[i]->label) + 8;
	char *out = wl_xmalloc(len + 64);
	out[0] = '\0';
	for (size_t i = 0; i < n && i < SHOWN; i++) {
		if (i > 0)
			strcat(out, (i == n - 1 && n <= SHOWN) ? conj : ", ");
		if (!envs[i]->name)
			strcat(out, "the ");
		strcat(out, envs[i]->label);
	}
	if (n > SHOWN)
		snprintf(out + strlen(out), 64, "%s%zu more environments", conj, n - SHOWN);
	return out;
}

/* ---- step shape ---- */

/* An array of non-empty strings: reports what is not, and returns whether
 * the list is an array (its string items are then replayed). */
static bool
check_string_list(replay *r, const wl_node *v, const char *field, const char *tag)
{
	if (!wl_node_is(v, json_type_array)) {
		if (!(v->flags & WL_NODE_INVALID))
			rreport(
			    r, &rule_invalid, v, v->span,
			    "\"%s\" of migration \"%s\" must be an array of class names, not %s",
			    field, tag, wl_node_type_name(v));
		return false;
	}
	WL_NODE_FOREACH(item, v)
	{
		const char *s = wl_node_str(item);
		if (!s || !*s) {
			if (!(item->flags & WL_NODE_INVALID))
				rreport(
				    r, &rule_invalid, item, item->span,
				    "\"%s\" of migration \"%s\" must hold class names (non-empty "
				    "strings), not %s",
				    field, tag, s ? "an empty string" : wl_node_type_name(item));
		}
	}
	return true;
}

static bool
check_pair_list(replay *r, const wl_node *v, const char *field, const char *tag,
                const char *const *members, const char *shape)
{
	if (!wl_node_is(v, json_type_array)) {
		if (!(v->flags & WL_NODE_INVALID))
			rreport(r, &rule_invalid, v, v->span,
			        "\"%s\" of migration \"%s\" must be an array of %s objects, not %s",
			        field, tag, shape, wl_node_type_name(v));
		return false;
	}
	WL_NODE_FOREACH(item, v)
	{
		if (item->flags & WL_NODE_INVALID)
			continue;
		if (!wl_node_is(item, json_type_object)) {
			rreport(
			    r, &rule_invalid, item, item->span,
			    "each item of \"%s\" in migration \"%s\" must be a %s object, not %s",
			    field, tag, shape, wl_node_type_name(item));
			continue;
		}
		for (const char *const *m = members; *m; m++) {
			const wl_node *f = wl_node_get(item, *m);
			const char *s = wl_node_str(f);
			if (!s || !*s) {
				rreport(
				    r, &rule_invalid, f ? f : item, (f ? f : item)->span,
				    "item of \"%s\" in migration \"%s\" needs a non-empty string "
				    "\"%s\" (the shape is %s)",
				    field, tag, *m, shape);
			}
		}
	}
	return true;
}

/* An item to replay: a non-empty string, or an object whose `members` are. */
static bool
usable_name(const wl_node *item)
{
	const char *s = wl_node_str(item);
	return s && *s;
}

static bool
usable_pair(const wl_node *item, const char *const *members)
{
	if (!wl_node_is(item, json_type_object))
		return false;
	for (const char *const *m = members; *m; m++)
		if (!usable_name(wl_node_get(item, *m)))
			return false;
	return true;
}

/* ---- replay ---- */

/* `c` becomes live at `at` (the name that made it so) in step `tag`. */
static void
make_live(class_state *c, const wl_node *at, const char *tag, bool sqlite, bool by_new)
{
	c->live = true;
	c->sqlite = sqlite;
	c->created_by_new = by_new;
	c->created = at;
	c->created_tag = tag;
	c->gone = GONE_NONE;
}

static void
op_delete(replay *r, const wl_node *item, const char *tag)
{
	const char *name = wl_node_str(item);
	class_state *c = class_get(r, name);
	if (!c->live) {
		char *why = why_not_live(r, c);
		rreport(r, &rule_replay, item, item->span,
		        "migration \"%s\" deletes class %s, which does not exist at that point "
		        "(%s); the deploy fails (API error 10074)",
		        tag, name, why);
		free(why);
		return;
	}
	c->live = false;
	c->gone = GONE_DELETED;
	c->gone_at = item;
	c->gone_tag = tag;
}

static void
op_rename(replay *r, const wl_node *item, const char *tag)
{
	const wl_node *from_n = wl_node_get(item, "from");
	const wl_node *to_n = wl_node_get(item, "to");
	const char *from = wl_node_str(from_n), *to = wl_node_str(to_n);
	if (strcmp(from, to) == 0) {
		rreport(r, &rule_replay, item, item->span,
		        "migration \"%s\" renames class %s to itself", tag, from);
		return;
	}
	class_state *src = class_get(r, from);
	if (!src->live) {
		char *why = why_not_live(r, src);
		rreport(r, &rule_replay, from_n, from_n->span,
		        "migration \"%s\" renames class %s, which does not exist at that point "
		        "(%s); the deploy fails (API error 10074)",
		        tag, from, why);
		free(why);
		return;
	}
	class_state *dst = class_get(r, to);
	if (dst->live) {
		wl_diag *d = rreport(r, &rule_replay, to_n, to_n->span,
		                     "migration \"%s\" renames %s to %s, but class %s already "
		                     "exists (created in migration \"%s\")",
		                     tag, from, to, to, dst->created_tag);
		wl_diag_add_related(d, dst->created->span, "%s created here", to);
		return;
	}
	make_live(dst, to_n, tag, src->sqlite, false);
	src->live = false;
	src->gone = GONE_RENAMED;
	src->gone_at = from_n;
	src->gone_tag = tag;
	src->renamed_to = to;
}

static void
op_transfer(replay *r, const wl_node *item, const char *tag)
{
	const wl_node *to_n = wl_node_get(item, "to");
	const char *to = wl_node_str(to_n);
	class_state *dst = class_get(r, to);
	if (dst->live) {
		wl_diag *d;
		if (dst->created_by_new)
			d = rreport(
			    r, &rule_transfer_precreated, to_n, to_n->span,
			    "migration \"%s\" transfers into class %s, which migration \"%s\" "
			    "already created; the destination of a transfer must not be created "
			    "first",
			    tag, to, dst->created_tag);
		else
			d = rreport(
			    r, &rule_replay, to_n, to_n->span,
			    "migration \"%s\" transfers into class %s, which already exists "
			    "(since migration \"%s\")",
			    tag, to, dst->created_tag);
		wl_diag_add_related(d, dst->created->span, "%s created here", to);
		return;
	}
	/* The platform makes the destination live; wrangler's own replay
	 * forgets this, we do not. Its storage is the source's, unknown here. */
	make_live(dst, to_n, tag, true, false);
}

static void
op_new(replay *r, const wl_node *item, const char *tag, bool sqlite)
{
	const char *name = wl_node_str(item);
	class_state *c = class_get(r, name);
	if (c->live && c->created_tag == tag) {
		wl_diag *d;
		if (c->created_by_new)
			d = rreport(r, &rule_created_twice, item, item->span,
			            "class %s is listed twice in migration \"%s\"", name, tag);
		else
			d = rreport(
			    r, &rule_transfer_precreated, item, item->span,
			    "migration \"%s\" both transfers into class %s and creates it; "
			    "the destination of a transfer must not be created (transfers run "
			    "first within a step)",
			    tag, name);
		wl_diag_add_related(d, c->created->span, "%s first made here", name);
		return;
	}
	if (c->live) {
		wl_diag *d;
		if (c->sqlite != sqlite && c->created_by_new)
			d = rreport(
			    r, &rule_created_twice, item, item->span,
			    "migration \"%s\" creates class %s again, as %s; it already exists "
			    "as %s (migration \"%s\"). A class's storage cannot be converted: "
			    "create a new SQLite class, move the data, then delete the old one",
			    tag, name, sqlite ? "SQLite-backed" : "KV-backed",
			    c->sqlite ? "SQLite-backed" : "KV-backed", c->created_tag);
		else
			d = rreport(
			    r, &rule_created_twice, item, item->span,
			    "migration \"%s\" creates class %s, which already exists (since "
			    "migration \"%s\"); the deploy fails",
			    tag, name, c->created_tag);
		wl_diag_add_related(d, c->created->span, "%s created here", name);
		return;
	}
	make_live(c, item, tag, sqlite, true);
}

static void
replay_step(replay *r, const wl_node *step, const char *tag)
{
	const wl_node *deleted = wl_node_get(step, "deleted_classes");
	const wl_node *renamed = wl_node_get(step, "renamed_classes");
	const wl_node *transferred = wl_node_get(step, "transferred_classes");
	const wl_node *kv = wl_node_get(step, "new_classes");
	const wl_node *sqlite = wl_node_get(step, "new_sqlite_classes");
	static const char *const rename_members[] = {"from", "to", NULL};
	static const char *const transfer_members[] = {"from", "from_script", "to", NULL};

	bool ok_deleted = deleted && check_string_list(r, deleted, "deleted_classes", tag);
	bool ok_renamed = renamed && check_pair_list(r, renamed, "renamed_classes", tag,
	                                             rename_members, "{from, to}");
	bool ok_transferred =
	    transferred && check_pair_list(r, transferred, "transferred_classes", tag,
	                                   transfer_members, "{from, from_script, to}");
	bool ok_kv = kv && check_string_list(r, kv, "new_classes", tag);
	bool ok_sqlite = sqlite && check_string_list(r, sqlite, "new_sqlite_classes", tag);

	wl_strmap_init(&r->step_new);
	if (ok_kv)
		WL_NODE_FOREACH(item, kv)
		{
			if (usable_name(item))
				wl_strmap_put(&r->step_new, wl_node_str(item), item);
		}
	if (ok_sqlite)
		WL_NODE_FOREACH(item, sqlite)
		{
			if (usable_name(item))
				wl_strmap_put(&r->step_new, wl_node_str(item), item);
		}
	if (ok_deleted)
		WL_NODE_FOREACH(item, deleted)
		{
			if (usable_name(item))
				op_delete(r, item, tag);
		}
	if (ok_renamed)
		WL_NODE_FOREACH(item, renamed)
		{
			if (usable_pair(item, rename_members))
				op_rename(r, item, tag);
		}
	if (ok_transferred)
		WL_NODE_FOREACH(item, transferred)
		{
			if (usable_pair(item, transfer_members))
				op_transfer(r, item, tag);
		}
	wl_strmap_free(&r->step_new);
	wl_strmap_init(&r->step_new);
	if (ok_kv)
		WL_NODE_FOREACH(item, kv)
		{
			if (!usable_name(item))
				continue;
			rreport(r, &rule_prefer_sqlite, item, item->span,
			        "migration \"%s\" creates %s as a KV-backed class (new_classes); "
			        "create new classes with new_sqlite_classes (the Free plan rejects "
			        "new_classes with API error 10097)",
			        tag, wl_node_str(item));
			op_new(r, item, tag, false);
		}
	/* An index of the step's KV-backed names keeps hostile steps linear. */
	wl_strmap kv_names;
	wl_strmap_init(&kv_names);
	if (ok_kv && ok_sqlite)
		WL_NODE_FOREACH(item, kv)
		{
			if (usable_name(item))
				wl_strmap_put(&kv_names, wl_node_str(item), item);
		}
	if (ok_sqlite)
		WL_NODE_FOREACH(item, sqlite)
		{
			const char *name = wl_node_str(item);
			if (!usable_name(item))
				continue;
			if (wl_strmap_get(&kv_names, name)) {
				rreport(
				    r, &rule_new_and_sqlite, item, item->span,
				    "class %s is in both new_classes and new_sqlite_classes of "
				    "migration \"%s\"; a class has one storage backend: keep it in "
				    "one list",
				    name, tag);
				continue;
			}
			op_new(r, item, tag, true);
		}
	wl_strmap_free(&kv_names);
	wl_strmap_free(&r->step_new);
}

static void
replay_list(replay *r)
{
	mig_list *l = r->list;
	const wl_node *list = l->node;
	if (!wl_node_is(list, json_type_array)) {
		if (!(list->flags & WL_NODE_INVALID))
			rreport(r, &rule_invalid, list, list->span,
			        "\"migrations\" must be an array of migration steps, not %s",
			        wl_node_type_name(list));
		return;
	}
	l->replayable = true;
	wl_strmap tags;
	wl_strmap_init(&tags);
	WL_NODE_FOREACH(step, list)
	{
		if (step->flags & WL_NODE_INVALID)
			continue;
		if (!wl_node_is(step, json_type_object)) {
			rreport(
			    r, &rule_invalid, step, step->span,
			    step->type == json_type_null
			        ? "a migration step is null; wrangler crashes on it (TypeError) "
			          "instead of reporting it"
			        : "a migration step must be an object with a \"tag\", not %s",
			    wl_node_type_name(step));
			continue;
		}
		l->n_steps++;
		const wl_node *tag_n = wl_node_get(step, "tag");
		const char *tag = wl_node_str(tag_n);
		if (!tag_n) {
			rreport(
			    r, &rule_tag_missing, step, step->span,
			    "migration step %u has no \"tag\"; every step needs a unique string "
			    "tag",
			    step->index + 1);
		} else if (!tag || !*tag) {
			if (!(tag_n->flags & WL_NODE_INVALID))
				rreport(r, &rule_tag_missing, tag_n, tag_n->span,
				        "the tag of migration step %u must be a non-empty string, "
				        "not %s",
				        step->index + 1, tag ? "\"\"" : wl_node_type_name(tag_n));
		} else {
			const wl_node *first = wl_strmap_get(&tags, tag);
			if (first) {
				wl_diag *d =
				    rreport(r, &rule_tag_duplicate, tag_n, tag_n->span,
				            "migration tag \"%s\" is used twice; tags must be "
				            "unique (wrangler sends only the steps after the "
				            "deployed tag, and finds the first one)",
				            tag);
				wl_diag_add_related(d, first->span, "first tag here");
			} else {
				wl_strmap_put(&tags, tag, tag_n);
			}
		}
		char *label = tag && *tag ? NULL : wl_xasprintf("#%u", step->index + 1);
		const char *name = label ? label : tag;

		bool unknown = false, any_op = false;
		WL_NODE_FOREACH(m, step)
		{
			bool known = false;
			for (const char *const *k = step_keys; *k; k++)
				if (strcmp(m->key, *k) == 0)
					known = true;
			if (!known) {
				unknown = true;
				const char *hint = wl_suggest(m->key, step_keys);
				wl_diag *d = rreport(
				    r, &rule_unknown_key, m, m->key_span,
				    "unknown key \"%s\" in migration \"%s\"%s%s%s: wrangler only "
				    "warns and deploys without this step's intent",
				    m->key, name, hint ? " (did you mean \"" : "", hint ? hint : "",
				    hint ? "\"?)" : "");
				if (hint) {
					char *title = wl_xasprintf("rename to %s", hint);
					char *quoted = wl_xasprintf("\"%s\"", hint);
					wl_diag_add_edit(d, title, m->key_span, quoted);
					free(title);
					free(quoted);
				}
			} else if (strcmp(m->key, "tag") != 0 &&
			           (!wl_node_is(m, json_type_array) || m->n_children > 0)) {
				any_op = true;
			}
		}
		if (!any_op && !unknown)
			rreport(r, &rule_empty, tag_n ? tag_n : step, (tag_n ? tag_n : step)->span,
			        "migration \"%s\" does nothing: it has a tag and no class changes",
			        name);
		/* The replay keeps tag strings: the arena owns the label's copy. */
		const char *kept =
		    label ? wl_arena_strndup(&r->list->arena, label, strlen(label)) : tag;
		free(label);
		replay_step(r, step, kept);
	}
	wl_strmap_free(&tags);
}

/* ---- bindings against the replayed classes ---- */

/* A local binding of an env that declares its classes with `exports` (and
 * has no migrations): the class must be live there. */
static void
check_exports_binding(wl_check_ctx *ctx, const wl_env *e, const wl_do_binding *b)
{
	const wl_node *entry = wl_node_get(e->exports, b->class_name);
	const char *state = wl_node_str(wl_node_get(entry, "state"));
	if (state && strcmp(state, "deleted") == 0)
		wl_report(ctx, &rule_delete_still_bound, b->class_node, e->name,
		          "binding %s still uses class %s, which exports.%s declares deleted; "
		          "remove the binding and deploy first, then delete the class (API error "
		          "10061)",
		          b->name, b->class_name, b->class_name);
	else if (state && strcmp(state, "renamed") == 0)
		wl_report(ctx, &rule_rename_stale, b->class_node, e->name,
		          "binding %s still uses class %s, which exports.%s declares renamed%s%s; "
		          "bind the new name",
		          b->name, b->class_name, b->class_name,
		          wl_node_str(wl_node_get(entry, "renamed_to")) ? " to " : "",
		          wl_node_str(wl_node_get(entry, "renamed_to"))
		              ? wl_node_str(wl_node_get(entry, "renamed_to"))
		              : "");
	else
		wl_report(ctx, &rule_not_created, b->class_node, e->name,
		          "class %s (binding %s%s%s) has no live entry in exports; add "
		          "\"%s\": {\"type\": \"durable-object\", \"storage\": \"sqlite\"} to "
		          "exports, or the deploy fails (API error 10061)",
		          b->class_name, b->name, e->name ? " in " : "", e->name ? e->label : "",
		          b->class_name);
}

static void
check_env_bindings(wl_check_ctx *ctx, const wl_env *e, mig_list *l)
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
			c->bound = true;
		if (e->exports && wl_exports_class_live(e->exports, b->class_name))
			continue;
		if (c && c->live)
			continue;
		if (empty && e->exports) {
			check_exports_binding(ctx, e, b);
			continue;
		}
		if (empty) {
			char *more = wl_xasprintf("%s%s\"%s\"", missing ? missing : "",
			                          missing ? ", " : "", b->class_name);
			free(missing);
			missing = more;
			n_missing++;
			continue;
		}
		if (c && c->gone == GONE_DELETED)
			continue; /* do-delete-still-bound, at the deletion */
		if (c && c->gone == GONE_RENAMED) {
			wl_diag *d = wl_report(
			    ctx, &rule_rename_stale, b->class_node, e->name,
			    "binding %s still uses class %s, which migration \"%s\" "
			    "renamed to %s; bind %s instead",
			    b->name, b->class_name, c->gone_tag, c->renamed_to, c->renamed_to);
			wl_diag_add_related(d, c->gone_at->span, "renamed here");
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
	}
	if (missing) {
		const wl_node *at = e->durable_objects;
		wl_report_span(ctx, &rule_migrations_missing, at, wl_node_key_or_value_span(at),
		               e->name,
		               "%s binds Durable Object class%s %s in its own Worker but has no "
		               "migrations; add a step such as {\"tag\": \"v1\", "
		               "\"new_sqlite_classes\": [%s]} (deploy fails with API error 10061)",
		               e->name ? e->label : "the top level", n_missing > 1 ? "es" : "",
		               missing, missing);
		free(missing);
	}
}

/* Bindings are matched by class_name, local or not (the API does so). */
static void
check_deleted_bound(wl_check_ctx *ctx, mig_list *l, const char *env)
{
	for (size_t i = 0; i < l->n_envs; i++) {
		const wl_env *e = l->envs[i];
		for (size_t j = 0; j < e->n_do_bindings; j++) {
			const wl_do_binding *b = &e->do_bindings[j];
			class_state *c = l->by_id[b->class_id];
			if (!c || c->live || c->gone != GONE_DELETED)
				continue;
			if (c->n_stale < sizeof(c->stale) / sizeof(c->stale[0])) {
				c->stale[c->n_stale] = b;
				c->stale_env[c->n_stale] = e;
			}
			c->n_stale++;
		}
	}
	for (class_state *c = l->first; c; c = c->next) {
		if (!c->n_stale)
			continue;
		const wl_env *e = c->stale_env[0];
		wl_diag *d =
		    wl_report(ctx, &rule_delete_still_bound, c->gone_at, env,
		              "migration \"%s\" deletes class %s, but binding %s in %s%s "
		              "still uses it%s; remove the binding and deploy first, then "
		              "delete the class (API error 10061)",
		              c->gone_tag, c->name, c->stale[0]->name, e->name ? "" : "the ",
		              e->label, c->n_stale > 1 ? " (and others)" : "");
		size_t shown = c->n_stale < 8 ? c->n_stale : 8;
		for (size_t k = 0; k < shown; k++)
			wl_diag_add_related(d, c->stale[k]->class_node->span,
			                    "still bound here (%s)", c->stale_env[k]->label);
	}
}

static void
check_unbound(wl_check_ctx *ctx, mig_list *l, const char *env)
{
	for (class_state *c = l->first; c; c = c->next) {
		if (!c->live || c->bound)
			continue;
		wl_report(ctx, &rule_class_unbound, c->created, env,
		          "class %s is created by migration \"%s\" but no binding in %s (nor any "
		          "other Worker's binding in this file) uses it; fine if code reaches it "
		          "through ctx.exports, otherwise it is dead configuration",
		          c->name, c->created_tag, l->users_or);
	}
}

static void
check(wl_check_ctx *ctx)
{
	const wl_model *m = ctx->model;
	if (!m)
		return;
	/* Distinct lists: the top level's (shared by inheriting envs), then each
	 * env's own, in source order. */
	mig_list *lists = wl_xcalloc(m->n_envs, sizeof(*lists));
	size_t n_lists = 0;
	mig_list **of_env = wl_xcalloc(m->n_envs, sizeof(*of_env));
	const wl_node *top_list = m->envs[0].migrations;
	mig_list *top = NULL;
	for (size_t i = 0; i < m->n_envs; i++) {
		const wl_env *e = &m->envs[i];
		if (!e->migrations)
			continue;
		mig_list *l;
		if (e->migrations == top_list && top) {
			l = top;
		} else {
			l = &lists[n_lists++];
			l->node = e->migrations;
			l->own = e->own_migrations;
			wl_strmap_init(&l->classes);
			if (e->migrations == top_list)
				top = l;
		}
		l->n_envs++;
		of_env[i] = l;
	}
	for (size_t i = 0; i < n_lists; i++) {
		lists[i].envs = wl_xcalloc(lists[i].n_envs, sizeof(*lists[i].envs));
		lists[i].n_envs = 0;
	}
	for (size_t i = 0; i < m->n_envs; i++)
		if (of_env[i])
			of_env[i]->envs[of_env[i]->n_envs++] = &m->envs[i];
	/* 1. Replay each list once. */
	for (size_t i = 0; i < n_lists; i++) {
		mig_list *l = &lists[i];
		l->users = users_phrase(l->envs, l->n_envs, " and ");
		l->users_or = users_phrase(l->envs, l->n_envs, " or ");
		replay r = {.ctx = ctx, .list = l, .env = l->own ? l->envs[0]->name : NULL};
		wl_strmap_init(&r.step_new);
		replay_list(&r);
		wl_strmap_free(&r.step_new);
		/* Bindings look their class up by id, not by string. */
		l->by_id = wl_xcalloc(m->n_classes + 1, sizeof(*l->by_id));
		for (class_state *c = l->first; c; c = c->next) {
			uint32_t id;
			if (wl_model_class_id(m, c->name, &id))
				l->by_id[id] = c;
		}
	}
	/* 2. Every env's local bindings against its list. */
	for (size_t i = 0; i < m->n_envs; i++)
		check_env_bindings(ctx, &m->envs[i], of_env[i]);
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
				l->by_id[b->class_id]->bound = true;
		}
	}
	wl_strmap_free(&workers);
	/* 4. What each list says about all of its users' bindings. */
	for (size_t i = 0; i < n_lists; i++) {
		mig_list *l = &lists[i];
		if (!l->replayable)
			continue;
		const char *env = l->own ? l->envs[0]->name : NULL;
		check_deleted_bound(ctx, l, env);
		check_unbound(ctx, l, env);
	}
	for (size_t i = 0; i < n_lists; i++) {
		wl_strmap_free(&lists[i].classes);
		wl_arena_free(&lists[i].arena);
		free(lists[i].by_id);
		free(lists[i].envs);
		free(lists[i].users);
		free(lists[i].users_or);
	}
	free(lists);
	free(of_env);
}

const wl_rule_family wl_family_do_migrations = {"do-migration", rules,
                                                sizeof(rules) / sizeof(rules[0]), check};
