#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "source.h"

const char *
wl_severity_name(wl_severity sev)
{
	switch (sev) {
	case WL_SEV_ERROR:
		return "error";
	case WL_SEV_WARNING:
		return "warning";
	case WL_SEV_NOTE:
		return "note";
	}
	return "error";
}

bool
wl_severity_parse(const char *name, wl_severity *out)
{
	for (int s = 0; s < WL_SEV_COUNT; s++) {
		if (strcmp(name, wl_severity_name((wl_severity)s)) == 0) {
			*out = (wl_severity)s;
			return true;
		}
	}
	return false;
}

void
wl_diag_list_init(wl_diag_list *l)
{
	memset(l, 0, sizeof(*l));
}

/* A diagnostic owns nothing: its text stays in the list's arena until the
 * list is freed. */
static void
diag_clear(wl_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
wl_diag_list_free(wl_diag_list *l)
{
	free(l->items);
	if (l->text) {
		wl_arena_free(l->text);
		free(l->text);
	}
	memset(l, 0, sizeof(*l));
}

/* Room for one more element in an arena array of n: capacities are powers of
 * two, so the arena holds at most twice what the arrays need. */
static void *
arena_grow(wl_arena *a, void *items, size_t n, size_t elem)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return items;
	void *bigger = wl_arena_alloc(a, (n ? 2 * n : 1) * elem);
	if (n)
		memcpy(bigger, items, n * elem);
	return bigger;
}

/* The entry a new diagnostic goes into: the list's next one, or the scratch
 * entry (counted, then discarded) when the gate refuses it or the list is
 * full; *stored says which. */
static wl_diag *
new_entry(wl_diag_list *l, const wl_rule *rule, wl_source *src, wl_span span, const char *env,
          bool *stored)
{
	if (!src)
		src = l->src;
	*stored = false;
	wl_severity sev = rule->severity;
	wl_diag *d;
	if (l->gate && !l->gate(l->gate_ctx, rule, src, span, env, &sev)) {
		/* Refused: nothing is formatted, and the scratch entry takes
		 * no notes or edits (its arena is NULL). */
		l->refused++;
		d = &l->sink;
		diag_clear(d);
		d->rule = rule;
		d->severity = sev;
		d->src = src;
		d->span = span;
		return d;
	}
	if (l->len >= WL_DIAG_LIST_MAX) {
		l->dropped++;
		l->dropped_by_sev[sev]++;
		d = &l->sink;
		diag_clear(d);
		d->rule = rule;
		d->severity = sev;
		d->src = src;
		d->span = span;
		return d;
	}
	wl_xgrow((void **)&l->items, &l->cap, l->len + 1, sizeof(*l->items));
	if (!l->text)
		l->text = wl_xcalloc(1, sizeof(*l->text));
	d = &l->items[l->len++];
	memset(d, 0, sizeof(*d));
	d->rule = rule;
	d->severity = sev;
	d->src = src;
	d->span = span;
	d->arena = l->text;
	if (env)
		d->env = wl_arena_strdup(d->arena, env);
	*stored = true;
	return d;
}

wl_diag *
wl_diag_emitv(wl_diag_list *l, const wl_rule *rule, wl_source *src, wl_span span, const char *env,
              const char *fmt, va_list ap)
{
	bool stored;
	wl_diag *d = new_entry(l, rule, src, span, env, &stored);
	if (stored)
		d->message = wl_arena_vprintf(d->arena, fmt, ap);
	return d;
}

wl_diag *
wl_diag_add_text(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *message)
{
	bool stored;
	wl_diag *d = new_entry(l, rule, NULL, span, NULL, &stored);
	if (stored)
		d->message = wl_arena_strdup(d->arena, message);
	return d;
}

wl_diag *
wl_diag_emit(wl_diag_list *l, const wl_rule *rule, wl_source *src, wl_span span, const char *env,
             const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d = wl_diag_emitv(l, rule, src, span, env, fmt, ap);
	va_end(ap);
	return d;
}

wl_diag *
wl_diag_addv(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *fmt, va_list ap)
{
	return wl_diag_emitv(l, rule, NULL, span, NULL, fmt, ap);
}

wl_diag *
wl_diag_add(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d = wl_diag_emitv(l, rule, NULL, span, NULL, fmt, ap);
	va_end(ap);
	return d;
}

bool
wl_diag_kept(const wl_diag_list *l, const wl_diag *d)
{
	return d != &l->sink;
}

void
wl_diag_set_env(wl_diag *d, const char *env)
{
	if (d->arena)
		d->env = env ? wl_arena_strdup(d->arena, env) : NULL;
}

void
wl_diag_set_pointer(wl_diag *d, const char *pointer)
{
	if (d->arena)
		d->pointer = pointer;
}

static void add_related_v(wl_diag *d, wl_source *src, wl_span span, const char *fmt, va_list ap)
    WL_PRINTF(4, 0);

static void
add_related_v(wl_diag *d, wl_source *src, wl_span span, const char *fmt, va_list ap)
{
	if (!d->arena)
		return;
	d->related = arena_grow(d->arena, d->related, d->n_related, sizeof(*d->related));
	d->related[d->n_related].src = src ? src : d->src;
	d->related[d->n_related].span = span;
	d->related[d->n_related].message = wl_arena_vprintf(d->arena, fmt, ap);
	d->n_related++;
}

void
wl_diag_add_related(wl_diag *d, wl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_related_v(d, NULL, span, fmt, ap);
	va_end(ap);
}

void
wl_diag_add_related_in(wl_diag *d, wl_source *src, wl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_related_v(d, src, span, fmt, ap);
	va_end(ap);
}

void
wl_diag_add_edit(wl_diag *d, const char *title, wl_span span, const char *text)
{
	if (!d->arena)
		return;
	d->fix = arena_grow(d->arena, d->fix, d->n_fix, sizeof(*d->fix));
	d->fix[d->n_fix].span = span;
	d->fix[d->n_fix].text = wl_arena_strdup(d->arena, text);
	d->n_fix++;
	if (!d->fix_title)
		d->fix_title = wl_arena_strdup(d->arena, title);
}

void
wl_diag_set_fix_safety(wl_diag *d, wl_fix_safety safety)
{
	d->fix_safety = safety;
}

const char *
wl_fix_safety_name(wl_fix_safety safety)
{
	return safety == WL_FIX_SAFE ? "safe" : "unsafe";
}

void
wl_diag_list_filter(wl_diag_list *l, bool (*keep)(wl_diag *d, void *ctx), void *ctx)
{
	size_t out = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (!keep(&l->items[i], ctx)) {
			diag_clear(&l->items[i]);
			continue;
		}
		if (out != i)
			l->items[out] = l->items[i];
		out++;
	}
	l->len = out;
}

static int
strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* By file path; two distinct sources never compare equal, so repeats are
 * only removed within one file. */
static int
src_cmp(const wl_source *a, const wl_source *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	return a < b ? -1 : 1; /* two sources with one name: any fixed order */
}

static int
diag_cmp(const void *pa, const void *pb)
{
	const wl_diag *a = pa, *b = pb;
	int s = src_cmp(a->src, b->src);
	if (s)
		return s;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	if (a->span.end != b->span.end)
		return a->span.end < b->span.end ? -1 : 1;
	int c = strcmp(a->rule->id, b->rule->id);
	if (c)
		return c;
	if ((c = strcmp(a->message, b->message)))
		return c;
	if ((c = strcmp_null(a->env, b->env)))
		return c;
	return strcmp_null(a->pointer, b->pointer);
}

void
wl_diag_list_sort(wl_diag_list *l)
{
	if (l->len < 2)
		return;
	qsort(l->items, l->len, sizeof(*l->items), diag_cmp);
	size_t out = 1;
	for (size_t i = 1; i < l->len; i++) {
		if (diag_cmp(&l->items[out - 1], &l->items[i]) == 0 &&
		    l->items[out - 1].severity == l->items[i].severity) {
			diag_clear(&l->items[i]);
			continue;
		}
		if (out != i)
			l->items[out] = l->items[i];
		out++;
	}
	l->len = out;
}

size_t
wl_diag_list_total(const wl_diag_list *l)
{
	return l->len + l->dropped;
}

size_t
wl_diag_list_count(const wl_diag_list *l, wl_severity sev)
{
	size_t n = l->dropped_by_sev[sev];
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i].severity == sev)
			n++;
	return n;
}
