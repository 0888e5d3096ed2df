/* The migrations replay (see migrations.h). Reports go through rreport, so a
 * list shared by several environments is reported once, naming its users,
 * and a silent replay (a baseline) reports nothing. */
#include "migrations.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"
#include "strmap.h"
#include "suggest.h"

/* A replacement key written as the old one was: quoted in JSON (and in
 * TOML when it was quoted), bare otherwise. Owned by the caller. */
static char *
key_as_written(const wl_doc *doc, wl_span old, const char *key)
{
	bool quoted = old.end > old.start && doc->src->bytes[old.start] == '"';
	return quoted ? wl_xasprintf("\"%s\"", key) : wl_xstrdup(key);
}

const wl_rule wl_rule_mig_tag_missing = {"do-migration-tag-missing", "do-migration", WL_SEV_ERROR,
                                         "A migration step without a non-empty string tag"};
const wl_rule wl_rule_mig_tag_duplicate = {"do-migration-tag-duplicate", "do-migration",
                                           WL_SEV_ERROR, "Two migration steps share a tag"};
const wl_rule wl_rule_mig_unknown_key = {
    "do-migration-unknown-key", "do-migration", WL_SEV_ERROR,
    "An unknown key in a migration step; wrangler only warns and deploys without it"};
const wl_rule wl_rule_mig_invalid = {"do-migration-invalid", "do-migration", WL_SEV_ERROR,
                                     "A migrations list or step field of the wrong shape"};
const wl_rule wl_rule_mig_empty = {"do-migration-empty", "do-migration", WL_SEV_WARNING,
                                   "A migration step with a tag and nothing else"};
const wl_rule wl_rule_mig_new_and_sqlite = {
    "do-class-new-and-sqlite", "do-migration", WL_SEV_ERROR,
    "One class in both new_classes and new_sqlite_classes of a step"};
const wl_rule wl_rule_mig_created_twice = {
    "do-class-created-twice", "do-migration", WL_SEV_ERROR,
    "A new_classes or new_sqlite_classes entry for a class that already exists"};
const wl_rule wl_rule_mig_replay = {
    "do-migration-replay", "do-migration", WL_SEV_ERROR,
    "A rename, delete or transfer that the migration history cannot apply"};
const wl_rule wl_rule_mig_transfer_precreated = {
    "do-transfer-precreated", "do-migration", WL_SEV_ERROR,
    "The destination of a transfer was already created by a new_* step"};

#define rule_tag_missing         wl_rule_mig_tag_missing
#define rule_tag_duplicate       wl_rule_mig_tag_duplicate
#define rule_unknown_key         wl_rule_mig_unknown_key
#define rule_invalid             wl_rule_mig_invalid
#define rule_empty               wl_rule_mig_empty
#define rule_new_and_sqlite      wl_rule_mig_new_and_sqlite
#define rule_created_twice       wl_rule_mig_created_twice
#define rule_replay              wl_rule_mig_replay
#define rule_transfer_precreated wl_rule_mig_transfer_precreated

typedef wl_mig_class class_state;
typedef wl_mig_list mig_list;

typedef struct replay {
	wl_check_ctx *ctx; /* NULL: silent */
	mig_list *list;
	const char *env; /* diagnostic env: the owner for own lists, else NULL */
	/* Names that the current step creates (new_classes, new_sqlite_classes),
	 * to explain a rename or delete that runs before them in the step. */
	wl_strmap step_new;
	size_t step; /* index into list->steps of the step being replayed */
	wl_mig_class *last;
	wl_strmap workers; /* worker name -> env, of the list's users */
	/* Refuses everything: a silent replay's reports cost nothing. */
	wl_diag_list silent;
	wl_check_ctx silent_ctx;
} replay;

static const char *const step_keys[] = {
    "tag",
    "new_classes",
    "new_sqlite_classes",
    "renamed_classes",
    "deleted_classes",
    "transferred_classes",
    NULL,
};

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
	c->index = r->list->n_classes++;
	wl_strmap_put(&r->list->classes, name, c);
	if (r->last)
		r->last->next = c;
	else
		r->list->first = c;
	r->last = c;
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
	case WL_MIG_GONE_DELETED:
		return wl_xasprintf("it was deleted in migration \"%s\"", c->gone_tag);
	case WL_MIG_GONE_RENAMED:
		return wl_xasprintf("migration \"%s\" renamed it to \"%s\"", c->gone_tag,
		                    c->renamed_to);
	case WL_MIG_GONE_NONE:
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

/* A class name in a step that no module could export. */
static void
report_class_name(replay *r, const wl_node *item, const char *field, const char *tag)
{
	rreport(r, &wl_rule_do_class_name_invalid, item, item->span,
	        "class name \"%s\" in \"%s\" of migration \"%s\" is not a JavaScript "
	        "identifier, so no `export class` can define it",
	        wl_node_str(item), field, tag);
}

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
		if (s && *s && !wl_is_js_identifier(s))
			report_class_name(r, item, field, tag);
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

/* Keys of a rename or transfer item other than its members: wrangler
 * ignores them, so a typo'd "form" leaves the item without its "from". */
static void
check_pair_keys(replay *r, const wl_node *item, const char *field, const char *tag,
                const char *const *members)
{
	WL_NODE_FOREACH(k, item)
	{
		bool known = false;
		for (const char *const *m = members; *m && !known; m++)
			known = strcmp(k->key, *m) == 0;
		if (known)
			continue;
		const char *hint = wl_suggest(k->key, members);
		wl_diag *d =
		    rreport(r, &rule_unknown_key, k, k->key_span,
		            "unknown key \"%s\" in an item of \"%s\" in migration \"%s\"%s%s%s; "
		            "wrangler ignores it",
		            k->key, field, tag, hint ? " (did you mean \"" : "", hint ? hint : "",
		            hint ? "\"?)" : "");
		/* Renaming onto a key the item already has would make a duplicate. */
		if (hint && !wl_node_get(item, hint) && wl_diag_kept(r->ctx->diags, d)) {
			char *title = wl_xasprintf("rename to %s", hint);
			char *quoted = key_as_written(r->ctx->doc, k->key_span, hint);
			wl_diag_add_edit(d, title, k->key_span, quoted);
			free(title);
			free(quoted);
		}
	}
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
			} else if (strcmp(*m, "from_script") != 0 && !wl_is_js_identifier(s)) {
				report_class_name(r, f, field, tag);
			}
		}
		check_pair_keys(r, item, field, tag, members);
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

static bool
created_by_new(const class_state *c)
{
	return c->how == WL_MIG_NEW || c->how == WL_MIG_NEW_SQLITE;
}

/* `c` becomes live at `at` (the name that made it so) in the current step. */
static void
make_live(replay *r, class_state *c, const wl_node *at, const char *tag, bool sqlite,
          wl_mig_how how, const char *from, const char *from_script)
{
	c->live = true;
	c->sqlite = sqlite;
	c->how = how;
	c->created = at;
	c->created_tag = tag;
	c->created_step = r->step;
	c->from = from;
	c->from_script = from_script;
	c->gone = WL_MIG_GONE_NONE;
}

/* `c` stops being live at `at` in step `tag`. */
static void
make_gone(class_state *c, wl_mig_gone kind, const wl_node *at, const char *tag)
{
	c->live = false;
	c->gone = kind;
	c->gone_at = at;
	c->gone_tag = tag;
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
	make_gone(c, WL_MIG_GONE_DELETED, item, tag);
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
	make_live(r, dst, to_n, tag, src->sqlite, WL_MIG_RENAME, from, NULL);
	make_gone(src, WL_MIG_GONE_RENAMED, from_n, tag);
	src->renamed_to = to;
}

static void
op_transfer(replay *r, const wl_node *item, const char *tag)
{
	const wl_node *to_n = wl_node_get(item, "to");
	const char *to = wl_node_str(to_n);
	const wl_node *script_n = wl_node_get(item, "from_script");
	const wl_env *self = wl_strmap_get(&r->workers, wl_node_str(script_n));
	if (self) {
		rreport(r, &rule_replay, script_n, script_n->span,
		        "migration \"%s\" transfers class %s from script \"%s\", which is "
		        "%s's own Worker; from_script names the Worker the class comes from "
		        "(to move a class within a Worker, rename it)",
		        tag, wl_node_str(wl_node_get(item, "from")), self->worker_name,
		        wl_env_where(self));
	}
	class_state *dst = class_get(r, to);
	if (dst->live) {
		wl_diag *d;
		if (created_by_new(dst))
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
	make_live(r, dst, to_n, tag, true, WL_MIG_TRANSFER, wl_node_str(wl_node_get(item, "from")),
	          wl_node_str(wl_node_get(item, "from_script")));
}

static void
op_new(replay *r, const wl_node *item, const char *tag, bool sqlite)
{
	const char *name = wl_node_str(item);
	class_state *c = class_get(r, name);
	if (c->live && c->created_tag == tag) {
		wl_diag *d;
		if (created_by_new(c))
			d = rreport(r, &rule_created_twice, item, item->span,
			            "class %s is listed twice in migration \"%s\"", name, tag);
		else if (c->how == WL_MIG_RENAME)
			d = rreport(r, &rule_created_twice, item, item->span,
			            "migration \"%s\" both renames %s to %s and creates %s; the "
			            "rename already makes it exist (renames run first within a "
			            "step), so the deploy fails",
			            tag, c->from, name, name);
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
		if (c->sqlite != sqlite && created_by_new(c))
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
	make_live(r, c, item, tag, sqlite, sqlite ? WL_MIG_NEW_SQLITE : WL_MIG_NEW, NULL, NULL);
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
	wl_mig_step *st = &r->list->steps[r->step];
	st->deleted = ok_deleted ? deleted : NULL;
	st->renamed = ok_renamed ? renamed : NULL;
	st->transferred = ok_transferred ? transferred : NULL;
	st->new_kv = ok_kv ? kv : NULL;
	st->new_sqlite = ok_sqlite ? sqlite : NULL;

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
	l->steps = wl_xcalloc(list->n_children ? list->n_children : 1, sizeof(*l->steps));
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
		wl_mig_step *st = &l->steps[l->n_steps];
		r->step = l->n_steps++;
		st->node = step;
		st->index = step->index;
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
				/* Renaming onto a key the step already has would make a
				 * duplicate key that drops one of the two lists. */
				if (hint && !wl_node_get(step, hint) &&
				    wl_diag_kept(r->ctx->diags, d)) {
					char *title = wl_xasprintf("rename to %s", hint);
					char *quoted =
					    key_as_written(r->ctx->doc, m->key_span, hint);
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
		const char *kept = label ? wl_arena_strdup(&r->list->arena, label) : tag;
		free(label);
		st->tag = tag && *tag ? tag : NULL;
		st->label = kept;
		replay_step(r, step, kept);
	}
	wl_strmap_free(&tags);
}

static bool
refuse_all(void *ctx, const wl_rule *rule, const struct wl_source *src, wl_span span,
           const char *env, wl_severity *severity)
{
	(void)ctx, (void)rule, (void)src, (void)span, (void)env, (void)severity;
	return false;
}

wl_migrations *
wl_migrations_replay(const wl_model *m, wl_check_ctx *ctx)
{
	wl_migrations *res = wl_xcalloc(1, sizeof(*res));
	res->model = m;
	if (!m)
		return res;
	/* Distinct lists: the top level's (shared by inheriting envs), then each
	 * env's own, in source order. */
	mig_list *lists = wl_xcalloc(m->n_envs ? m->n_envs : 1, sizeof(*lists));
	size_t n_lists = 0;
	mig_list **of_env = wl_xcalloc(m->n_envs ? m->n_envs : 1, sizeof(*of_env));
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
	for (size_t i = 0; i < n_lists; i++) {
		mig_list *l = &lists[i];
		l->users = users_phrase(l->envs, l->n_envs, " and ");
		l->users_or = users_phrase(l->envs, l->n_envs, " or ");
		replay r = {.ctx = ctx, .list = l, .env = l->own ? l->envs[0]->name : NULL};
		if (!ctx) {
			wl_diag_list_init(&r.silent);
			r.silent.gate = refuse_all;
			r.silent_ctx.doc = m->doc;
			r.silent_ctx.model = m;
			r.silent_ctx.diags = &r.silent;
			r.ctx = &r.silent_ctx;
		}
		wl_strmap_init(&r.step_new);
		wl_strmap_init(&r.workers);
		for (size_t k = l->n_envs; k-- > 0;)
			if (l->envs[k]->worker_name)
				wl_strmap_put(&r.workers, l->envs[k]->worker_name, l->envs[k]);
		replay_list(&r);
		wl_strmap_free(&r.step_new);
		wl_strmap_free(&r.workers);
		if (!ctx) {
			wl_claims_free(&r.silent_ctx);
			wl_diag_list_free(&r.silent);
		}
		/* Bindings look their class up by id, not by string. */
		l->by_id = wl_xcalloc(m->n_classes + 1, sizeof(*l->by_id));
		for (class_state *c = l->first; c; c = c->next) {
			uint32_t id;
			if (wl_model_class_id(m, c->name, &id))
				l->by_id[id] = c;
		}
	}
	res->lists = lists;
	res->n_lists = n_lists;
	res->of_env = of_env;
	return res;
}

void
wl_migrations_free(wl_migrations *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_lists; i++) {
		wl_mig_list *l = &r->lists[i];
		wl_strmap_free(&l->classes);
		wl_arena_free(&l->arena);
		free(l->by_id);
		free(l->envs);
		free(l->steps);
		free(l->users);
		free(l->users_or);
	}
	free(r->lists);
	free(r->of_env);
	free(r);
}

const wl_mig_class *
wl_mig_list_class(const wl_mig_list *l, const char *name)
{
	return l ? wl_strmap_get(&l->classes, name) : NULL;
}

const char *
wl_mig_how_key(wl_mig_how how)
{
	switch (how) {
	case WL_MIG_NEW:
		return "new_classes";
	case WL_MIG_NEW_SQLITE:
		return "new_sqlite_classes";
	case WL_MIG_RENAME:
		return "renamed_classes";
	case WL_MIG_TRANSFER:
		return "transferred_classes";
	case WL_MIG_NONE:
		break;
	}
	return "";
}
