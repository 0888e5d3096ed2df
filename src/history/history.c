/* Baselines: deciding per environment which migration steps are deployed
 * (see history.h). */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "strmap.h"
#include "toml.h"

bool
wl_applied_parse(char *arg, wl_applied_tag *out)
{
	char *eq = strchr(arg, '=');
	if (eq) {
		*eq = '\0';
		out->env = arg;
		out->tag = eq + 1;
		if (!*out->env)
			return false;
	} else {
		out->env = NULL;
		out->tag = arg;
	}
	return *out->tag != '\0';
}

/* ---- per environment ---- */

static bool
same_name(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Index of the first step tagged `tag` in `l`, or -1. */
static long
find_tag(const wl_strmap *index, const char *tag)
{
	void *v = wl_strmap_get(index, tag);
	return v ? (long)((size_t)v - 1) : -1;
}

static void
index_steps(wl_strmap *m, const wl_mig_list *l)
{
	wl_strmap_init(m);
	if (!l)
		return;
	for (size_t i = 0; i < l->n_steps; i++)
		if (l->steps[i].tag && !wl_strmap_get(m, l->steps[i].tag))
			wl_strmap_put(m, l->steps[i].tag, (void *)(i + 1));
}

static void
set_deployed(wl_hist_env *he, const wl_mig_list *from_list, size_t n, const wl_strmap *base_index)
{
	he->d_tags = wl_xcalloc(n ? n : 1, sizeof(*he->d_tags));
	he->d_base = wl_xcalloc(n ? n : 1, sizeof(*he->d_base));
	he->n_d = 0;
	for (size_t i = 0; i < n; i++) {
		const wl_mig_step *st = &from_list->steps[i];
		if (!st->tag)
			continue;
		he->d_tags[he->n_d] = st->tag;
		if (from_list == he->base) {
			he->d_base[he->n_d] = st;
		} else if (he->base) {
			long k = find_tag(base_index, st->tag);
			he->d_base[he->n_d] = k >= 0 ? &he->base->steps[k] : NULL;
		}
		he->n_d++;
	}
}

wl_history *
wl_history_open(wl_check_ctx *ctx, const wl_migrations *cur)
{
	const wl_lint_options *opts = ctx->opts;
	if (!opts || !opts->baseline || !ctx->model)
		return NULL;
	const wl_baseline *b = opts->baseline;
	if (!b->bytes && !b->n_applied)
		return NULL;
	wl_history *h = wl_xcalloc(1, sizeof(*h));
	h->baseline = b;
	const wl_model *m = ctx->model;
	if (b->bytes && !b->absent) {
		/* The baseline is read as its name says (REV:wrangler.toml, a
		 * --baseline-file deployed.toml), else in the config's own format. */
		const char *name = b->name ? b->name : "baseline";
		size_t nl = strlen(name);
		bool named_json = wl_path_is_strict_json(name) ||
		                  (nl >= 6 && strcasecmp(name + nl - 6, ".jsonc") == 0);
		bool toml = wl_path_is_toml(name) || (!named_json && ctx->doc->toml);
		h->doc = wl_parse_silently(wl_source_new(name, b->bytes, b->len), toml);
		h->model = wl_model_build(h->doc);
		h->replay = wl_migrations_replay(h->model, NULL);
		/* The lint result keeps the file so notes can point into it. */
		if (ctx->session) {
			h->src = wl_check_adopt_source(ctx, h->doc->src, NULL, 0);
			h->doc->src = NULL; /* now the result's */
		}
	}
	h->n_envs = m->n_envs;
	h->envs = wl_xcalloc(m->n_envs ? m->n_envs : 1, sizeof(*h->envs));
	h->applied_used = wl_xcalloc(b->n_applied ? b->n_applied : 1, sizeof(*h->applied_used));
	/* Baseline envs by name (the top level under ""). */
	wl_strmap base_envs;
	wl_strmap_init(&base_envs);
	if (h->model)
		for (size_t i = h->model->n_envs; i-- > 0;)
			wl_strmap_put(&base_envs,
			              h->model->envs[i].name ? h->model->envs[i].name : "",
			              (void *)(i + 1));
	wl_strmap groups;
	wl_strmap_init(&groups);
	char **keys = wl_xcalloc(m->n_envs + 1, sizeof(*keys));
	size_t n_keys = 0;
	for (size_t i = 0; i < m->n_envs; i++) {
		wl_hist_env *he = &h->envs[i];
		he->env = &m->envs[i];
		he->cur = cur->of_env[i];
		if (h->model) {
			void *v = wl_strmap_get(&base_envs, he->env->name ? he->env->name : "");
			if (v) {
				size_t k = (size_t)v - 1;
				he->base_env = &h->model->envs[k];
				he->base = h->replay->of_env[k];
				he->known = true;
			} else {
				he->is_new = true;
			}
		}
		for (size_t k = b->n_applied; k-- > 0;)
			if (same_name(b->applied[k].env, he->env->name)) {
				he->applied = &b->applied[k];
				h->applied_used[k] = true;
				break; /* the last one given wins */
			}
		if (he->applied) {
			he->known = true;
			he->is_new = false;
		}
		he->group = i;
		if (!he->known && !he->is_new)
			continue;
		/* Environments with the same lists and no --applied of their own
		 * share one deployed state, computed once. */
		if (!he->applied) {
			char *key = wl_xasprintf("%p %p %d", (const void *)he->cur,
			                         (const void *)he->base, he->is_new);
			void *v = wl_strmap_get(&groups, key);
			if (v) {
				const wl_hist_env *first = &h->envs[(size_t)v - 1];
				he->group = (size_t)v - 1;
				he->shares = true;
				he->d_tags = first->d_tags;
				he->d_base = first->d_base;
				he->n_d = first->n_d;
				he->cur_applied = first->cur_applied;
				free(key);
				continue;
			}
			keys[n_keys++] = key;
			wl_strmap_put(&groups, key, (void *)(i + 1));
		}
		if (!he->known)
			continue;
		wl_strmap cur_index, base_index;
		index_steps(&cur_index, he->cur);
		index_steps(&base_index, he->base);
		if (he->applied) {
			/* The tag deployed is the truth: in the baseline, the steps
			 * up to it; else the current list's steps up to it. */
			long kb = find_tag(&base_index, he->applied->tag);
			long kc = find_tag(&cur_index, he->applied->tag);
			if (kb >= 0)
				set_deployed(he, he->base, (size_t)kb + 1, &base_index);
			else if (kc >= 0)
				set_deployed(he, he->cur, (size_t)kc + 1, &base_index);
			else if (he->base)
				set_deployed(he, he->base, he->base->n_steps, &base_index);
			he->applied_unknown = kc < 0;
		} else if (he->base && he->base->replayable) {
			set_deployed(he, he->base, he->base->n_steps, &base_index);
		}
		if (he->cur) {
			he->cur_applied =
			    wl_xcalloc(he->cur->n_steps + 1, sizeof(*he->cur_applied));
			wl_strmap deployed;
			wl_strmap_init(&deployed);
			for (size_t k = 0; k < he->n_d; k++)
				wl_strmap_put(&deployed, he->d_tags[k], he->d_tags[k]);
			for (size_t k = 0; k < he->cur->n_steps; k++)
				he->cur_applied[k] =
				    he->cur->steps[k].tag &&
				    wl_strmap_get(&deployed, he->cur->steps[k].tag);
			wl_strmap_free(&deployed);
		}
		wl_strmap_free(&cur_index);
		wl_strmap_free(&base_index);
	}
	wl_strmap_free(&base_envs);
	wl_strmap_free(&groups);
	for (size_t k = 0; k < n_keys; k++)
		free(keys[k]);
	free(keys);
	/* Per list: which steps every environment using it has deployed. */
	h->cur = cur;
	h->list_applied = wl_xcalloc(cur->n_lists + 1, sizeof(*h->list_applied));
	h->list_unknown = wl_xcalloc(cur->n_lists + 1, sizeof(*h->list_unknown));
	for (size_t i = 0; i < h->n_envs; i++) {
		const wl_hist_env *he = &h->envs[i];
		if (!he->cur)
			continue;
		size_t li = (size_t)(he->cur - cur->lists);
		if (!he->known || !he->cur_applied) {
			h->list_unknown[li] = true;
			continue;
		}
		if (he->shares)
			continue; /* the same flags as its group's first */
		bool *all = h->list_applied[li];
		if (!all) {
			all = h->list_applied[li] = wl_xcalloc(he->cur->n_steps + 1, sizeof(*all));
			memcpy(all, he->cur_applied, he->cur->n_steps * sizeof(*all));
		} else {
			for (size_t k = 0; k < he->cur->n_steps; k++)
				all[k] = all[k] && he->cur_applied[k];
		}
	}
	return h;
}

void
wl_history_free(wl_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_envs; i++) {
		if (h->envs[i].shares)
			continue;
		free(h->envs[i].d_tags);
		free(h->envs[i].d_base);
		free(h->envs[i].cur_applied);
	}
	if (h->cur)
		for (size_t i = 0; i < h->cur->n_lists; i++)
			free(h->list_applied[i]);
	free(h->list_applied);
	free(h->list_unknown);
	free(h->envs);
	free(h->applied_used);
	wl_migrations_free(h->replay);
	wl_model_free(h->model);
	wl_doc_free(h->doc);
	free(h);
}

bool
wl_history_step_pending(const wl_history *h, const wl_mig_list *l, size_t step)
{
	if (!h || !l || !h->cur)
		return false;
	size_t li = (size_t)(l - h->cur->lists);
	if (li >= h->cur->n_lists || h->list_unknown[li] || step >= l->n_steps)
		return false;
	return !(h->list_applied[li] && h->list_applied[li][step]);
}

bool
wl_history_step_applied(const wl_history *h, const wl_mig_list *l, size_t step)
{
	if (!h || !l || !h->cur)
		return false;
	size_t li = (size_t)(l - h->cur->lists);
	return li < h->cur->n_lists && !h->list_unknown[li] && h->list_applied[li] &&
	       step < l->n_steps && h->list_applied[li][step];
}
