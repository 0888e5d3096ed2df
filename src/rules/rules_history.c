/* The history-* rules: the current migrations of every environment against
 * what its Worker has deployed (history.h). Findings about a list that
 * several environments share, with the same deployed state, are reported
 * once, naming those environments. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "rules_families.h"
#include "strmap.h"

static const wl_rule rule_edited = {
    "history-step-edited", "history", WL_SEV_ERROR,
    "A deployed migration step was changed; the platform skips it, so the change never applies"};
static const wl_rule rule_removed = {
    "history-step-removed", "history", WL_SEV_ERROR,
    "A deployed migration tag is no longer in the list (the deploy re-sends every step and fails)"};
static const wl_rule rule_reordered = {
    "history-step-reordered", "history", WL_SEV_ERROR,
    "Deployed migration steps out of order, or a new step before the last deployed one"};
static const wl_rule rule_delete_unbind = {
    "history-delete-with-unbind", "history", WL_SEV_ERROR,
    "A pending step deletes a class that the deployed config still binds (API error 10061)"};
static const wl_rule rule_new_env = {
    "history-new-env-replay", "history", WL_SEV_WARNING,
    "A new environment (a new Worker) replays deletes, renames or transfers (API error 10074)"};
static const wl_rule rule_pending = {
    "history-pending-migration", "history", WL_SEV_NOTE,
    "Pending migration steps: deploy with wrangler deploy, not versions upload (API error 10211)"};
static const wl_rule rule_applied_unknown = {
    "history-applied-tag-unknown", "history", WL_SEV_ERROR,
    "An --applied tag that is not in that environment's migrations"};

static const wl_rule *const rules[] = {
    &rule_delete_unbind, &rule_new_env, &rule_pending,   &rule_applied_unknown,
    &rule_edited,        &rule_removed, &rule_reordered,
};

/* ---- canonical forms: what "the same step" means ---- */

typedef struct sb {
	char *p;
	size_t len, cap;
} sb;

static void
sb_add(sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 32;
		b->p = wl_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* "N:" without printf (this runs for every item of every compared step). */
static void
sb_len(sb *b, size_t n)
{
	char tmp[24];
	size_t k = sizeof(tmp);
	tmp[--k] = ':';
	do
		tmp[--k] = (char)('0' + n % 10);
	while ((n /= 10) && k);
	sb_add(b, tmp + k, sizeof(tmp) - k);
}

static const char *const op_keys[] = {
    "new_classes",     "new_sqlite_classes",  "deleted_classes",
    "renamed_classes", "transferred_classes", NULL,
};

static bool
is_op_key(const char *k)
{
	for (const char *const *o = op_keys; *o; o++)
		if (strcmp(k, *o) == 0)
			return true;
	return false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Comments, whitespace and key order never count; neither does the order
 * of a class list (`sorted`). Strings are length-prefixed, so the form
 * needs no escaping and no two values share one. */
static void canon(sb *b, const wl_node *n, bool sorted);

static char *
canon_owned(const wl_node *n, bool sorted)
{
	sb b = {0};
	canon(&b, n, sorted);
	if (!b.p)
		sb_add(&b, "", 0);
	return b.p;
}

static void
canon(sb *b, const wl_node *n, bool sorted)
{
	char tmp[64];
	if (!n || (n->flags & WL_NODE_INVALID)) {
		sb_str(b, "?");
		return;
	}
	switch (n->type) {
	case json_type_string: {
		const char *s = wl_node_str(n);
		size_t len = strlen(s);
		sb_str(b, "s");
		sb_len(b, len);
		sb_add(b, s, len);
		return;
	}
	case json_type_null:
		sb_str(b, "n");
		return;
	case json_type_boolean:
		sb_str(b, json_object_get_boolean(n->value) ? "t" : "f");
		return;
	case json_type_int:
	case json_type_double:
		snprintf(tmp, sizeof(tmp), "d%.17g", json_object_get_double(n->value));
		sb_str(b, tmp);
		return;
	case json_type_array: {
		char **items = wl_xcalloc(n->n_children + 1, sizeof(*items));
		size_t k = 0;
		WL_NODE_FOREACH(c, n)
		items[k++] = canon_owned(c, false);
		if (sorted)
			qsort(items, k, sizeof(*items), cmp_str);
		sb_str(b, "[");
		for (size_t i = 0; i < k; i++) {
			size_t len = strlen(items[i]);
			sb_len(b, len);
			sb_add(b, items[i], len);
			free(items[i]);
		}
		sb_str(b, "]");
		free(items);
		return;
	}
	case json_type_object: {
		char **items = wl_xcalloc(n->n_children + 1, sizeof(*items));
		size_t k = 0;
		WL_NODE_FOREACH(c, n)
		{
			sb e = {0};
			sb_len(&e, strlen(c->key));
			sb_str(&e, c->key);
			canon(&e, c, false);
			items[k++] = e.p;
		}
		qsort(items, k, sizeof(*items), cmp_str);
		sb_str(b, "{");
		for (size_t i = 0; i < k; i++) {
			size_t len = strlen(items[i]);
			sb_len(b, len);
			sb_add(b, items[i], len);
			free(items[i]);
		}
		sb_str(b, "}");
		free(items);
		return;
	}
	}
	sb_str(b, "?");
}

/* A step's canonical form: class lists sorted. */
static char *
step_canon(const wl_mig_step *st)
{
	sb b = {0};
	char **items = wl_xcalloc(st->node->n_children + 1, sizeof(*items));
	size_t k = 0;
	WL_NODE_FOREACH(c, st->node)
	{
		sb e = {0};
		sb_len(&e, strlen(c->key));
		sb_str(&e, c->key);
		canon(&e, c, is_op_key(c->key));
		items[k++] = e.p;
	}
	qsort(items, k, sizeof(*items), cmp_str);
	sb_str(&b, "{");
	for (size_t i = 0; i < k; i++) {
		sb_str(&b, items[i]);
		sb_str(&b, ";");
		free(items[i]);
	}
	sb_str(&b, "}");
	free(items);
	return b.p;
}

/* ---- describing an edit ---- */

typedef struct citem {
	char *canon;
	const wl_node *node;
} citem;

static int
cmp_item(const void *a, const void *b)
{
	return strcmp(((const citem *)a)->canon, ((const citem *)b)->canon);
}

static citem *
items_of(const wl_node *list, size_t *n)
{
	*n = 0;
	if (!wl_node_is(list, json_type_array))
		return NULL;
	citem *it = wl_xcalloc(list->n_children + 1, sizeof(*it));
	WL_NODE_FOREACH(c, list)
	{
		it[*n].canon = canon_owned(c, false);
		it[(*n)++].node = c;
	}
	qsort(it, *n, sizeof(*it), cmp_item);
	return it;
}

static void
items_free(citem *it, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(it[i].canon);
	free(it);
}

static void
describe_item(sb *b, const wl_node *n)
{
	const char *s = wl_node_str(n);
	if (s) {
		sb_str(b, s);
		return;
	}
	const char *from = wl_node_str(wl_node_get(n, "from"));
	const char *to = wl_node_str(wl_node_get(n, "to"));
	const char *script = wl_node_str(wl_node_get(n, "from_script"));
	if (from && to) {
		sb_str(b, from);
		if (script) {
			sb_str(b, " (from ");
			sb_str(b, script);
			sb_str(b, ")");
		}
		sb_str(b, " -> ");
		sb_str(b, to);
		return;
	}
	sb_str(b, "an entry");
}

enum { MAX_CHANGES = 4 };

typedef struct changes {
	sb text;
	size_t n;
	bool storage; /* a class moved between new_classes and new_sqlite_classes */
} changes;

static void
change(changes *ch, const char *what)
{
	if (ch->n < MAX_CHANGES) {
		if (ch->n)
			sb_str(&ch->text, "; ");
		sb_str(&ch->text, what);
	}
	ch->n++;
}

static const wl_node *
member(const wl_node *step, const char *key)
{
	return step ? wl_node_get(step, key) : NULL;
}

/* What differs between the deployed step `was` and the current `now`. */
static void
describe(changes *ch, const wl_node *was, const wl_node *now)
{
	size_t nk[2], ns[2];
	citem *kv[2] = {items_of(member(was, "new_classes"), &nk[0]),
	                items_of(member(now, "new_classes"), &nk[1])};
	citem *sq[2] = {items_of(member(was, "new_sqlite_classes"), &ns[0]),
	                items_of(member(now, "new_sqlite_classes"), &ns[1])};
	/* Storage changes first: a class that moved between the two lists. */
	wl_strmap moved;
	wl_strmap_init(&moved);
	wl_strmap was_kv, now_kv;
	wl_strmap_init(&was_kv);
	wl_strmap_init(&now_kv);
	for (size_t i = 0; i < nk[0]; i++)
		if (wl_node_str(kv[0][i].node))
			wl_strmap_put(&was_kv, wl_node_str(kv[0][i].node), kv[0][i].node);
	for (size_t i = 0; i < nk[1]; i++)
		if (wl_node_str(kv[1][i].node))
			wl_strmap_put(&now_kv, wl_node_str(kv[1][i].node), kv[1][i].node);
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < ns[side]; i++) {
			const char *name = wl_node_str(sq[side][i].node);
			if (!name)
				continue;
			/* side 1: now SQLite, was KV; side 0: was SQLite, now KV */
			bool in_kv_other = wl_strmap_get(side ? &was_kv : &now_kv, name) != NULL;
			bool in_kv_same = wl_strmap_get(side ? &now_kv : &was_kv, name) != NULL;
			if (in_kv_other && !in_kv_same && !wl_strmap_get(&moved, name)) {
				sb t = {0};
				sb_str(&t, "class ");
				sb_str(&t, name);
				sb_str(&t, side
				               ? " changed from new_classes to new_sqlite_classes"
				               : " changed from new_sqlite_classes to new_classes");
				change(ch, t.p);
				free(t.p);
				ch->storage = true;
				wl_strmap_put(&moved, name, name);
			}
		}
	items_free(kv[0], nk[0]);
	items_free(kv[1], nk[1]);
	items_free(sq[0], ns[0]);
	items_free(sq[1], ns[1]);
	for (const char *const *k = op_keys; *k; k++) {
		size_t n0, n1;
		citem *a = items_of(member(was, *k), &n0);
		citem *b = items_of(member(now, *k), &n1);
		size_t i = 0, j = 0;
		while (i < n0 || j < n1) {
			int c = i >= n0 ? 1 : j >= n1 ? -1 : strcmp(a[i].canon, b[j].canon);
			if (c == 0) {
				i++, j++;
				continue;
			}
			const wl_node *n = c < 0 ? a[i].node : b[j].node;
			const char *name = wl_node_str(n);
			if (c < 0)
				i++;
			else
				j++;
			if (name && wl_strmap_get(&moved, name))
				continue;
			sb t = {0};
			sb_str(&t, strncmp(*k, "new", 3) == 0 || strncmp(*k, "deleted", 7) == 0
			               ? "class "
			               : "");
			describe_item(&t, n);
			sb_str(&t, c < 0 ? " removed from " : " added to ");
			sb_str(&t, *k);
			change(ch, t.p);
			free(t.p);
		}
		items_free(a, n0);
		items_free(b, n1);
	}
	/* Any other key (a typo'd key, a value of the wrong shape). */
	for (int side = 0; side < 2; side++) {
		const wl_node *x = side ? now : was, *y = side ? was : now;
		WL_NODE_FOREACH(m, x)
		{
			if (is_op_key(m->key) || strcmp(m->key, "tag") == 0)
				continue;
			const wl_node *o = wl_node_get(y, m->key);
			if (o && side)
				continue; /* compared from the other side */
			char *cm = canon_owned(m, false), *co = o ? canon_owned(o, false) : NULL;
			if (!co || strcmp(cm, co) != 0) {
				sb t = {0};
				sb_str(&t, "key ");
				sb_str(&t, m->key);
				sb_str(&t, !o ? (side ? " added" : " removed") : " changed");
				change(ch, t.p);
				free(t.p);
			}
			free(cm);
			free(co);
		}
	}
	wl_strmap_free(&moved);
	wl_strmap_free(&was_kv);
	wl_strmap_free(&now_kv);
	if (ch->n > MAX_CHANGES) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "; and %zu more change%s", ch->n - MAX_CHANGES,
		         ch->n - MAX_CHANGES > 1 ? "s" : "");
		sb_str(&ch->text, tmp);
	}
	if (!ch->n)
		change(ch, "the values of the class lists changed");
}

/* ---- reporting ---- */

typedef struct group {
	const wl_hist_env *lead;
	const char *env; /* diagnostic env: NULL for a group or the top level */
	char *where;     /* owned: "env.x", "the top level and env.y" */
} group;

typedef struct hctx {
	wl_check_ctx *ctx;
	const wl_history *h;
} hctx;

/* Byte-identical steps are equal: the usual case costs one memcmp. */
static bool
same_bytes(const hctx *x, const wl_mig_step *now, const wl_mig_step *was)
{
	const wl_baseline *b = x->h->baseline;
	wl_span a = now->node->span, c = was->node->span;
	if (!b->bytes || a.end - a.start != c.end - c.start || c.end > b->len)
		return false;
	return memcmp(x->ctx->doc->src->bytes + a.start, b->bytes + c.start, a.end - a.start) == 0;
}

static wl_span
list_span(const wl_hist_env *he)
{
	if (he->cur)
		return wl_node_key_or_value_span(he->cur->node);
	if (!he->env->name) /* the top level: the start of the file, not all of it */
		return (wl_span){he->env->node->span.start, he->env->node->span.start};
	return wl_node_key_or_value_span(he->env->node);
}

static const wl_node *
list_node(const wl_hist_env *he)
{
	return he->cur ? he->cur->node : he->env->node;
}

/* A note at `n` in the baseline file: "<what> (<tag>)". */
static void
related_base(const hctx *x, wl_diag *d, const wl_node *n, const char *what, const char *tag)
{
	if (x->h->src && n)
		wl_diag_add_related_in(d, x->h->src, n->span, "%s (%s)", what, tag);
}

static wl_diag *emit(hctx *x, const wl_rule *rule, const wl_node *node, wl_span span,
                     const group *g, const char *fmt, ...) WL_PRINTF(6, 7);

static wl_diag *
emit(hctx *x, const wl_rule *rule, const wl_node *node, wl_span span, const group *g,
     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = wl_xvasprintf(fmt, ap);
	va_end(ap);
	wl_diag *d = wl_report_span(x->ctx, rule, node, span, g->env, "%s", msg);
	free(msg);
	return d;
}

static void
check_order(hctx *x, const wl_hist_env *he, const group *g)
{
	const wl_mig_list *l = he->cur;
	wl_strmap index;
	wl_strmap_init(&index);
	if (l)
		for (size_t i = 0; i < l->n_steps; i++)
			if (l->steps[i].tag && !wl_strmap_get(&index, l->steps[i].tag))
				wl_strmap_put(&index, l->steps[i].tag, (void *)(i + 1));
	/* Removed tags: one finding per environment, naming a few. */
	size_t n_removed = 0;
	sb names = {0};
	const wl_mig_step *first_removed = NULL;
	long last = -1;
	const char *last_tag = NULL;
	for (size_t k = 0; k < he->n_d; k++) {
		void *v = wl_strmap_get(&index, he->d_tags[k]);
		if (!v) {
			if (n_removed < 3) {
				sb_str(&names, n_removed ? ", \"" : "\"");
				sb_str(&names, he->d_tags[k]);
				sb_str(&names, "\"");
			}
			if (!first_removed)
				first_removed = he->d_base[k];
			n_removed++;
			continue;
		}
		long p = (long)((size_t)v - 1);
		if (p < last) {
			wl_diag *d = emit(
			    x, &rule_reordered, l->steps[p].node, l->steps[p].node->span, g,
			    "migration \"%s\" was deployed after \"%s\" (in %s), but now comes "
			    "before it; deployed steps must keep their order: move it back",
			    he->d_tags[k], last_tag, g->where);
			related_base(x, d, he->d_base[k] ? he->d_base[k]->node : NULL,
			             "deployed order", he->d_tags[k]);
		} else {
			last = p;
			last_tag = he->d_tags[k];
		}
		/* Content: only where the baseline has the step. */
		if (he->d_base[k] && !same_bytes(x, &l->steps[p], he->d_base[k])) {
			char *now = step_canon(&l->steps[p]);
			char *was = step_canon(he->d_base[k]);
			if (strcmp(now, was) != 0) {
				changes ch = {0};
				describe(&ch, he->d_base[k]->node, l->steps[p].node);
				wl_diag *d = emit(
				    x, &rule_edited, l->steps[p].node,
				    wl_node_key_or_value_span(
				        wl_node_get(l->steps[p].node, "tag")
				            ? wl_node_get(l->steps[p].node, "tag")
				            : l->steps[p].node),
				    g,
				    "migration \"%s\" is already deployed in %s and was changed "
				    "(%s); the "
				    "platform never re-runs a deployed step, so this change is "
				    "silently "
				    "skipped: restore the step and make the change in a new step%s",
				    he->d_tags[k], g->where, ch.text.p,
				    ch.storage ? " (storage cannot change: create a new SQLite "
				                 "class, move "
				                 "the data, then delete the old one)"
				               : "");
				related_base(x, d, he->d_base[k]->node, "deployed as this",
				             he->d_tags[k]);
				free(ch.text.p);
			}
			free(now);
			free(was);
		}
	}
	if (n_removed && !l) {
		wl_diag *d = emit(
		    x, &rule_removed, list_node(he), list_span(he), g,
		    "%s no longer has \"migrations\", but migration%s %s%s %s deployed; the next "
		    "list wrangler sends must start with the deployed steps, or the API rejects "
		    "it (errors 10074/10079): keep the deployed steps",
		    g->where, n_removed > 1 ? "s" : "", names.p, n_removed > 3 ? " and more" : "",
		    n_removed > 1 ? "are" : "is");
		related_base(x, d, first_removed ? first_removed->node : NULL, "deployed here",
		             first_removed && first_removed->tag ? first_removed->tag : "");
	} else if (n_removed) {
		wl_diag *d = emit(
		    x, &rule_removed, list_node(he), list_span(he), g,
		    "deployed migration%s %s%s %s no longer in the migrations of %s; wrangler will "
		    "not find the deployed tag, re-sends every step, and the API rejects them "
		    "(errors 10074/10079): restore the deployed steps and add changes after them",
		    n_removed > 1 ? "s" : "", names.p, n_removed > 3 ? " and more" : "",
		    n_removed > 1 ? "are" : "is", g->where);
		related_base(x, d, first_removed ? first_removed->node : NULL, "deployed here",
		             first_removed && first_removed->tag ? first_removed->tag : "");
	}
	free(names.p);
	/* New steps before the last deployed one are never applied. */
	if (l && he->cur_applied && last >= 0)
		for (long i = 0; i < last; i++) {
			if (he->cur_applied[i])
				continue;
			const wl_mig_step *st = &l->steps[i];
			emit(x, &rule_reordered, st->node, st->node->span, g,
			     "migration \"%s\" is new but comes before \"%s\", which is deployed "
			     "in %s; "
			     "the platform only applies steps after the deployed tag, so this one "
			     "would "
			     "never run: move it to the end",
			     st->label, last_tag, g->where);
		}
	wl_strmap_free(&index);
}

static void
check_pending(hctx *x, const wl_hist_env *he, const group *g)
{
	const wl_mig_list *l = he->cur;
	if (!l || !l->replayable)
		return;
	size_t n = 0;
	const wl_mig_step *first = NULL;
	for (size_t i = 0; i < l->n_steps; i++)
		if (!he->cur_applied || !he->cur_applied[i]) {
			if (!first)
				first = &l->steps[i];
			n++;
		}
	if (!first)
		return;
	emit(x, &rule_pending, first->node,
	     wl_node_key_or_value_span(
	         wl_node_get(first->node, "tag") ? wl_node_get(first->node, "tag") : first->node),
	     g,
	     "%zu migration step%s pending for %s, from \"%s\": deploy with `wrangler deploy`; "
	     "`wrangler versions upload` and gradual deployments refuse pending migrations (API "
	     "error 10211)",
	     n, n > 1 ? "s are" : " is", g->where, first->label);
}

/* A pending delete of a class that the deployed config binds, while the
 * current config no longer does: binding and class removed in one deploy. */
static void
check_delete_unbind(hctx *x, const wl_hist_env *he, const group *g)
{
	const wl_mig_list *l = he->cur;
	if (!l || !he->base_env)
		return;
	wl_strmap was_bound, now_bound;
	wl_strmap_init(&was_bound);
	wl_strmap_init(&now_bound);
	for (size_t i = he->base_env->n_do_bindings; i-- > 0;)
		if (he->base_env->do_bindings[i].local)
			wl_strmap_put(&was_bound, he->base_env->do_bindings[i].class_name,
			              &he->base_env->do_bindings[i]);
	for (size_t i = 0; i < he->env->n_do_bindings; i++)
		wl_strmap_put(&now_bound, he->env->do_bindings[i].class_name, he);
	for (size_t i = 0; i < l->n_steps; i++) {
		if ((he->cur_applied && he->cur_applied[i]) || !l->steps[i].deleted)
			continue;
		WL_NODE_FOREACH(del, l->steps[i].deleted)
		{
			const char *name = wl_node_str(del);
			if (!name || !*name || wl_strmap_get(&now_bound, name))
				continue;
			const wl_do_binding *b = wl_strmap_get(&was_bound, name);
			if (!b)
				continue;
			wl_diag *d = emit(
			    x, &rule_delete_unbind, del, del->span, g,
			    "migration \"%s\" deletes class %s in the same deploy that removes its "
			    "binding %s from %s; the API rejects deleting a class whose binding "
			    "the "
			    "deployed version still has (error 10061): deploy without the binding "
			    "first, then delete the class in a later deploy",
			    l->steps[i].label, name, b->name, g->where);
			if (x->h->src)
				wl_diag_add_related_in(d, x->h->src, b->class_node->span,
				                       "still bound in the deployed config (%s)",
				                       b->name);
		}
	}
	wl_strmap_free(&was_bound);
	wl_strmap_free(&now_bound);
}

static void
check_new_env(hctx *x, const wl_hist_env *he, const group *g)
{
	const wl_mig_list *l = he->cur;
	if (!l)
		return;
	for (size_t i = 0; i < l->n_steps; i++) {
		const wl_mig_step *st = &l->steps[i];
		const wl_node *ops[] = {st->deleted, st->renamed, st->transferred};
		static const char *const what[] = {"deletes", "renames", "transfers"};
		for (size_t k = 0; k < 3; k++) {
			if (!ops[k] || !ops[k]->first_child)
				continue;
			emit(x, &rule_new_env, ops[k]->first_child, ops[k]->first_child->span, g,
			     "%s is not in the deployed config, so its first deploy creates a new "
			     "Worker and replays every migration; migration \"%s\" %s a class that "
			     "a "
			     "new Worker never had (API error 10074): give %s its own migrations "
			     "that "
			     "create the classes it binds",
			     g->where, st->label, what[k], g->where);
			return;
		}
	}
}

static char *
group_where(const wl_hist_env *const *members, size_t n)
{
	sb b = {0};
	for (size_t i = 0; i < n && i < 3; i++) {
		if (i)
			sb_str(&b, i == n - 1 ? " and " : ", ");
		sb_str(&b, wl_env_where(members[i]->env));
	}
	if (n > 3) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), " and %zu more environments", n - 3);
		sb_str(&b, tmp);
	}
	return b.p;
}

void
wl_history_report(wl_check_ctx *ctx, const wl_history *h)
{
	if (!h)
		return;
	hctx x = {.ctx = ctx, .h = h};
	const wl_baseline *b = h->baseline;
	/* --applied entries that name no environment of this file. */
	for (size_t k = 0; k < b->n_applied; k++) {
		if (h->applied_used[k] || !ctx->doc->root)
			continue;
		wl_report_span(ctx, &rule_applied_unknown, ctx->doc->root,
		               (wl_span){ctx->doc->root->span.start, ctx->doc->root->span.start},
		               NULL,
		               "--applied=%s=%s names environment \"%s\", which this file does not "
		               "define",
		               b->applied[k].env, b->applied[k].tag, b->applied[k].env);
	}
	/* Groups as linked lists in env order (history.c assigned them). */
	size_t *next = wl_xcalloc(h->n_envs + 1, sizeof(*next));
	size_t *head = wl_xcalloc(h->n_envs + 1, sizeof(*head));
	for (size_t i = h->n_envs; i-- > 0;) {
		next[i] = head[h->envs[i].group];
		head[h->envs[i].group] = i + 1;
	}
	const wl_hist_env **members = wl_xcalloc(h->n_envs + 1, sizeof(*members));
	for (size_t i = 0; i < h->n_envs; i++) {
		const wl_hist_env *he = &h->envs[i];
		if (he->group != i || (!he->known && !he->is_new))
			continue;
		size_t n = 0;
		for (size_t j = head[i]; j; j = next[j - 1])
			members[n++] = &h->envs[j - 1];
		group g = {.lead = he,
		           .env = n == 1 ? he->env->name : NULL,
		           .where = group_where(members, n)};
		if (he->applied_unknown)
			emit(
			    &x, &rule_applied_unknown, list_node(he), list_span(he), &g,
			    "--applied=%s%s%s: no migration step of %s has this tag; name a tag of "
			    "its list (`wrangler deployments status` shows the deployed one)",
			    he->applied->env ? he->applied->env : "", he->applied->env ? "=" : "",
			    he->applied->tag, g.where);
		/* An unknown tag and no baseline: nothing is known of what is
		 * deployed, so nothing more is said. */
		if (he->applied_unknown && !he->base_env) {
			free(g.where);
			continue;
		}
		if (he->is_new)
			check_new_env(&x, he, &g);
		else if (!he->cur || he->cur->replayable)
			check_order(&x, he, &g);
		/* Bindings are each environment's own. */
		for (size_t k = 0; k < n; k++) {
			group one = {.lead = members[k],
			             .env = members[k]->env->name,
			             .where = wl_xstrdup(wl_env_where(members[k]->env))};
			check_delete_unbind(&x, members[k], &one);
			free(one.where);
		}
		check_pending(&x, he, &g);
		free(g.where);
	}
	free(next);
	free(head);
	free(members);
}

const wl_rule_family wl_family_history = {"history", rules, sizeof(rules) / sizeof(rules[0]), NULL};
