#include "schema.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonc.h"
#include "schema_impl.h"
#include "suggest.h"
#include "xalloc.h"

struct wl_schema {
	wl_stables t;
	/* Compiled on first use and published with a compare-and-swap, so
	 * validating threads never lock. */
	_Atomic(pcre2_code *) *codes;
	pcre2_match_context *mctx; /* match limits; read-only after creation */
	atomic_uint refs;
};

/* Bounds one match of a hostile pattern (catastrophic backtracking). */
enum { MATCH_LIMIT = 200000, DEPTH_LIMIT = 5000 };

static pcre2_code *
compile_pattern(const char *src, char **error)
{
	/* ECMA-262 semantics where PCRE2 has them: no PCRE2_UCP, so \d \w \b
	 * are ASCII as in JavaScript without the `u` flag's Unicode sets;
	 * \uXXXX escapes; `$` only at the very end. */
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
	int err;
	PCRE2_SIZE off;
	pcre2_code *code =
	    pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	                  PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY, &err, &off, cc);
	pcre2_compile_context_free(cc);
	if (!code && error) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		*error =
		    wl_xasprintf("pattern \"%.80s\" does not compile: %s", src, (const char *)msg);
	}
	return code;
}

static wl_schema *
schema_new(void)
{
	wl_schema *s = wl_xcalloc(1, sizeof(*s));
	atomic_init(&s->refs, 1);
	s->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, DEPTH_LIMIT);
	return s;
}

static void
schema_init_codes(wl_schema *s)
{
	s->codes = wl_xcalloc(s->t.n_patterns ? s->t.n_patterns : 1, sizeof(*s->codes));
	for (uint32_t i = 0; i < s->t.n_patterns; i++)
		atomic_init(&s->codes[i], NULL);
}

wl_schema *
wl_schema_from_tables(const wl_stables *t)
{
	wl_schema *s = schema_new();
	s->t = *t;
	s->t.heap = NULL; /* never freed */
	schema_init_codes(s);
	return s;
}

static const pcre2_code *
pattern_code(const wl_schema *s, uint32_t i)
{
	pcre2_code *code = atomic_load_explicit(&s->codes[i], memory_order_acquire);
	if (code)
		return code;
	code = compile_pattern(s->t.patterns[i], NULL);
	if (!code)
		return NULL; /* only the built-in schema compiles lazily; it is tested */
	pcre2_code *expected = NULL;
	if (!atomic_compare_exchange_strong_explicit(&s->codes[i], &expected, code,
	                                             memory_order_acq_rel, memory_order_acquire)) {
		pcre2_code_free(code); /* another thread won */
		return expected;
	}
	return code;
}

/* A user schema file must look like one before anything of it is quoted:
 * a named .env or key file is refused without a word of its contents. */
static bool
looks_like_schema(const wl_node *root)
{
	static const char *const types[] = {"object", "array",   "string", "integer",
	                                    "number", "boolean", "null"};
	if (!wl_node_is(root, json_type_object))
		return false;
	if (wl_node_str(wl_node_get(root, "$schema")) || wl_node_str(wl_node_get(root, "$ref")))
		return true;
	const char *objs[] = {"properties", "definitions", "$defs", "patternProperties"};
	for (size_t i = 0; i < 4; i++)
		if (wl_node_is(wl_node_get(root, objs[i]), json_type_object))
			return true;
	const char *lists[] = {"anyOf", "allOf", "oneOf"};
	for (size_t i = 0; i < 3; i++)
		if (wl_node_is(wl_node_get(root, lists[i]), json_type_array))
			return true;
	const char *type = wl_node_str(wl_node_get(root, "type"));
	for (size_t i = 0; type && i < 7; i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

wl_schema *
wl_schema_from_json(struct json_object *root, char **error)
{
	wl_schema *s = schema_new();
	if (!wl_stables_build(root, &s->t, error)) {
		wl_schema_release(s);
		return NULL;
	}
	schema_init_codes(s);
	for (uint32_t i = 0; i < s->t.n_patterns; i++) {
		pcre2_code *code = compile_pattern(s->t.patterns[i], error);
		if (!code) {
			wl_schema_release(s);
			return NULL;
		}
		atomic_store(&s->codes[i], code);
	}
	return s;
}

wl_schema *
wl_schema_compile(const char *origin, const char *bytes, size_t len, char **error)
{
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_jsonc_parse(wl_source_new(origin, bytes, len), &diags);
	for (size_t i = 0; i < diags.len; i++) {
		if (diags.items[i].severity == WL_SEV_ERROR) {
			/* The position only: the parser's message may quote the file. */
			wl_position pos = wl_source_position(doc->src, diags.items[i].span.start);
			*error = wl_xasprintf("it is not valid JSON (line %u, column %u)", pos.line,
			                      pos.column);
			wl_diag_list_free(&diags);
			wl_doc_free(doc);
			return NULL;
		}
	}
	wl_diag_list_free(&diags);
	if (!looks_like_schema(doc->root)) {
		*error = wl_xstrdup("it is not a JSON Schema (a JSON object with \"$schema\", "
		                    "\"type\", \"properties\" or \"definitions\")");
		wl_doc_free(doc);
		return NULL;
	}
	wl_schema *s = wl_schema_from_json(doc->root_value, error);
	wl_doc_free(doc);
	return s;
}

wl_schema *
wl_schema_retain(wl_schema *s)
{
	if (s)
		atomic_fetch_add(&s->refs, 1);
	return s;
}

void
wl_schema_release(wl_schema *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	if (s->codes)
		for (uint32_t i = 0; i < s->t.n_patterns; i++)
			pcre2_code_free(atomic_load(&s->codes[i]));
	free(s->codes);
	pcre2_match_context_free(s->mctx);
	wl_stables_free(&s->t);
	free(s);
}

void
wl_schema_free(wl_schema *s)
{
	wl_schema_release(s);
}

const char *
wl_schema_newest_since(const wl_schema *s)
{
	return s ? s->t.newest_since : NULL;
}

/* ---- validating ---- */

typedef struct memo_ent {
	uint32_t si;
	uint8_t full; /* issues collected (1) or only the verdict (0) */
	uint8_t used;
	uint8_t valid;
	const wl_node *n;
	wl_schema_issue *items; /* full: owned copies */
	size_t len;
} memo_ent;

typedef struct frame {
	uint32_t si;
	const wl_node *n;
} frame;

typedef struct vstate {
	const wl_schema *s;
	const wl_stables *t;
	pcre2_match_data *md;
	pcre2_match_context *mctx; /* per call: its limit follows the subject's length */
	size_t work, budget;
	bool exhausted;
	frame *path;
	size_t path_len, path_cap;
	memo_ent *memo;
	size_t memo_len, memo_cap;
	wl_arena scratch;        /* string nodes made for propertyNames */
	const char *since_after; /* x-since annotations newer than this, or none */
} vstate;

/* Deeper than this (a chain of thousands of distinct $refs) is too complex. */
enum { MAX_PATH = 2000 };

static bool
spend(vstate *st, size_t units)
{
	if (st->exhausted)
		return false;
	st->work += units;
	if (st->work > st->budget) {
		st->exhausted = true;
		return false;
	}
	return true;
}

static void add_issue(wl_schema_issues *out, wl_schema_issue_kind kind, const char *keyword,
                      const wl_node *at, wl_span span, const char *fmt, ...) WL_PRINTF(6, 7);

static void
add_issue(wl_schema_issues *out, wl_schema_issue_kind kind, const char *keyword, const wl_node *at,
          wl_span span, const char *fmt, ...)
{
	wl_xgrow((void **)&out->items, &out->cap, out->len + 1, sizeof(*out->items));
	wl_schema_issue *i = &out->items[out->len++];
	memset(i, 0, sizeof(*i));
	i->kind = kind;
	i->keyword = keyword;
	i->at = at;
	i->span = span;
	va_list ap;
	va_start(ap, fmt);
	i->message = wl_xvasprintf(fmt, ap);
	va_end(ap);
}

void
wl_schema_issues_free(wl_schema_issues *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].message);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

static void
issues_append_copy(wl_schema_issues *to, const wl_schema_issue *items, size_t n)
{
	if (!n)
		return;
	wl_xgrow((void **)&to->items, &to->cap, to->len + n, sizeof(*to->items));
	for (size_t i = 0; i < n; i++) {
		to->items[to->len] = items[i];
		to->items[to->len++].message = wl_xstrdup(items[i].message);
	}
}

static void
issues_move(wl_schema_issues *to, wl_schema_issues *from)
{
	if (!from->len) {
		free(from->items);
		from->items = NULL;
		from->cap = 0;
		return;
	}
	wl_xgrow((void **)&to->items, &to->cap, to->len + from->len, sizeof(*to->items));
	memcpy(to->items + to->len, from->items, from->len * sizeof(*from->items));
	to->len += from->len;
	free(from->items);
	from->items = NULL;
	from->len = from->cap = 0;
}

static bool
is_failure(wl_schema_issue_kind k)
{
	return k < WL_SCHEMA_DEPRECATED;
}

static unsigned
node_kind_bit(const wl_node *n)
{
	switch ((enum json_type)n->type) {
	case json_type_object:
		return WL_ST_OBJECT;
	case json_type_array:
		return WL_ST_ARRAY;
	case json_type_string:
		return WL_ST_STRING;
	case json_type_int:
		return WL_ST_INTEGER;
	case json_type_double: {
		double d = json_object_get_double(n->value);
		return isfinite(d) && floor(d) == d ? WL_ST_INTEGER : WL_ST_NUMBER;
	}
	case json_type_boolean:
		return WL_ST_BOOLEAN;
	case json_type_null:
		return WL_ST_NULL;
	}
	return 0;
}

static const char *
node_kind(const wl_node *n)
{
	static const char *const names[] = {"object", "array",   "string", "integer",
	                                    "number", "boolean", "null"};
	unsigned bit = node_kind_bit(n);
	for (unsigned i = 0; i < 7; i++)
		if (bit == 1u << i)
			return names[i];
	return "value";
}

static const char *
article(const char *kind)
{
	return (kind[0] == 'a' || kind[0] == 'o' || kind[0] == 'i') ? "an" : "a";
}

static char *
type_list(const wl_stables *t, const wl_snode *sn)
{
	char *out = wl_xstrdup("");
	for (uint32_t i = 0; i < sn->n_types; i++) {
		const char *name = t->strs[sn->types + i];
		char *more = wl_xasprintf("%s%s%s %s", out,
		                          i == 0                ? ""
		                          : i + 1 < sn->n_types ? ", "
		                                                : " or ",
		                          article(name), name);
		free(out);
		out = more;
	}
	return out;
}

/* Instance strings in messages are cut short: a 20 MB value must not
 * become a 20 MB message. */
static char *
show_string(const char *s)
{
	size_t n = strlen(s);
	if (n <= 120)
		return wl_xasprintf("\"%s\"", s);
	size_t k = 100;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return wl_xasprintf("\"%.*s…\"", (int)k, s);
}

static char *
show_number(double d)
{
	return wl_xasprintf("%.15g", d);
}

static char *
show_sval(const wl_stables *t, const wl_sval *v, int depth)
{
	switch (v->kind) {
	case WL_SV_NULL:
		return wl_xstrdup("null");
	case WL_SV_FALSE:
		return wl_xstrdup("false");
	case WL_SV_TRUE:
		return wl_xstrdup("true");
	case WL_SV_NUMBER:
		return show_number(v->num);
	case WL_SV_STRING:
		return show_string(v->str);
	default:
		break;
	}
	bool obj = v->kind == WL_SV_OBJECT;
	if (depth > 3 || v->n > 8)
		return wl_xstrdup(obj ? "{...}" : "[...]");
	char *out = wl_xstrdup(obj ? "{" : "[");
	for (uint32_t i = 0; i < v->n; i++) {
		const wl_sval *c = &t->values[v->first + i];
		char *item = show_sval(t, c, depth + 1);
		char *more = obj ? wl_xasprintf("%s%s\"%s\":%s", out, i ? "," : "", c->key, item)
		                 : wl_xasprintf("%s%s%s", out, i ? "," : "", item);
		free(item);
		free(out);
		out = more;
	}
	char *done = wl_xasprintf("%s%s", out, obj ? "}" : "]");
	free(out);
	return done;
}

static char *
show_node(const wl_node *n)
{
	if (wl_node_str(n))
		return show_string(n->str);
	if (!n->value)
		return wl_xstrdup("null");
	const char *js = json_object_to_json_string_ext(n->value, JSON_C_TO_STRING_PLAIN);
	if (strlen(js) > 120)
		return wl_xasprintf("%.100s…", js);
	return wl_xstrdup(js);
}

static double
node_number(const wl_node *n)
{
	return json_object_get_double(n->value);
}

static bool
is_number_node(const wl_node *n)
{
	return n->type == json_type_int || n->type == json_type_double;
}

static bool
sval_equal(vstate *st, const wl_sval *v, const wl_node *n)
{
	if (!spend(st, 1))
		return false;
	switch (v->kind) {
	case WL_SV_NULL:
		return n->type == json_type_null;
	case WL_SV_FALSE:
	case WL_SV_TRUE:
		return n->type == json_type_boolean &&
		       (bool)json_object_get_boolean(n->value) == (v->kind == WL_SV_TRUE);
	case WL_SV_NUMBER:
		return is_number_node(n) && node_number(n) == v->num;
	case WL_SV_STRING:
		return n->type == json_type_string && n->str && strcmp(n->str, v->str) == 0;
	case WL_SV_ARRAY: {
		if (n->type != json_type_array || n->n_children != v->n)
			return false;
		uint32_t i = 0;
		WL_NODE_FOREACH(c, n)
		{
			if (i >= v->n || !sval_equal(st, &st->t->values[v->first + i], c))
				return false;
			i++;
		}
		return i == v->n;
	}
	case WL_SV_OBJECT: {
		if (n->type != json_type_object)
			return false;
		uint32_t count = 0;
		WL_NODE_FOREACH(c, n)
		{
			(void)c;
			count++;
		}
		if (count != v->n)
			return false;
		for (uint32_t i = 0; i < v->n; i++) {
			const wl_sval *m = &st->t->values[v->first + i];
			const wl_node *c = wl_node_get(n, m->key);
			if (!c || !sval_equal(st, m, c))
				return false;
		}
		return true;
	}
	}
	return false;
}

static bool
node_equal(vstate *st, const wl_node *a, const wl_node *b)
{
	if (!spend(st, 1))
		return false;
	if (is_number_node(a) && is_number_node(b))
		return node_number(a) == node_number(b);
	if (a->type != b->type)
		return false;
	switch ((enum json_type)a->type) {
	case json_type_null:
		return true;
	case json_type_boolean:
		return json_object_get_boolean(a->value) == json_object_get_boolean(b->value);
	case json_type_string:
		return a->str && b->str && strcmp(a->str, b->str) == 0;
	case json_type_array: {
		if (a->n_children != b->n_children)
			return false;
		const wl_node *y = wl_node_first(b);
		WL_NODE_FOREACH(x, a)
		{
			if (!y || !node_equal(st, x, y))
				return false;
			y = wl_node_next(y);
		}
		return !y;
	}
	case json_type_object: {
		size_t na = 0, nb = 0;
		WL_NODE_FOREACH(x, a)
		{
			const wl_node *y = wl_node_get(b, x->key);
			if (!y || !node_equal(st, x, y))
				return false;
			na++;
		}
		WL_NODE_FOREACH(y, b)
		{
			(void)y;
			nb++;
		}
		return na == nb;
	}
	default:
		return false;
	}
}

/* -1 no match, 1 match, 0 over the match limit (too complex). */
static int
match(vstate *st, uint32_t pattern, const char *str)
{
	const pcre2_code *code = pattern_code(st->s, pattern);
	if (!code)
		return 1;
	size_t len = strlen(str);
	if (!spend(st, 1 + len / 256))
		return 0;
	/* Backtracking blow-ups are exponential, so a limit linear in the
	 * subject still stops them while a long value under a plain pattern
	 * passes. */
	size_t limit = MATCH_LIMIT + 16 * len;
	pcre2_set_match_limit(st->mctx, limit > UINT32_MAX ? UINT32_MAX : (uint32_t)limit);
	int rc = pcre2_match(code, (PCRE2_SPTR)str, len, 0, 0, st->md, st->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return -1;
	st->exhausted = true; /* match, depth or heap limit */
	return 0;
}

static bool validate(vstate *st, uint32_t si, const wl_node *n, wl_schema_issues *out);

/* Follows a $ref chain (siblings of $ref do not count). */
static const wl_snode *
effective(const wl_stables *t, uint32_t si)
{
	const wl_snode *sn = &t->nodes[si];
	for (int hops = 0; sn->kind == WL_SN_OBJECT && sn->ref != WL_SNONE && hops < 16; hops++)
		sn = &t->nodes[sn->ref];
	return sn;
}

static memo_ent *
memo_find(vstate *st, uint32_t si, const wl_node *n, bool full)
{
	if (!st->memo_cap)
		return NULL;
	size_t h = (((uintptr_t)n >> 3) * 0x9E3779B97F4A7C15ull) ^ (si * 0x85EBCA6Bu) ^ full;
	for (size_t i = h & (st->memo_cap - 1);; i = (i + 1) & (st->memo_cap - 1)) {
		memo_ent *e = &st->memo[i];
		if (!e->used)
			return NULL;
		if (e->si == si && e->n == n && e->full == full)
			return e;
	}
}

static memo_ent *
memo_insert(vstate *st, uint32_t si, const wl_node *n, bool full)
{
	if ((st->memo_len + 1) * 2 > st->memo_cap) {
		memo_ent *old = st->memo;
		size_t old_cap = st->memo_cap;
		st->memo_cap = old_cap ? old_cap * 2 : 64;
		st->memo = wl_xcalloc(st->memo_cap, sizeof(*st->memo));
		st->memo_len = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].used) {
				memo_ent *e = memo_insert(st, old[i].si, old[i].n, old[i].full);
				*e = old[i];
			}
		free(old);
	}
	size_t h = (((uintptr_t)n >> 3) * 0x9E3779B97F4A7C15ull) ^ (si * 0x85EBCA6Bu) ^ full;
	size_t i = h & (st->memo_cap - 1);
	while (st->memo[i].used)
		i = (i + 1) & (st->memo_cap - 1);
	memo_ent *e = &st->memo[i];
	memset(e, 0, sizeof(*e));
	e->used = 1;
	e->si = si;
	e->n = n;
	e->full = full;
	st->memo_len++;
	return e;
}

/* One anyOf/oneOf branch, memoised: each (branch, instance) pair is
 * evaluated at most once per mode, which keeps nested alternatives linear. */
static bool
branch(vstate *st, uint32_t si, const wl_node *n, wl_schema_issues *out)
{
	memo_ent *e = memo_find(st, si, n, out != NULL);
	if (e) {
		if (out)
			issues_append_copy(out, e->items, e->len);
		return e->valid;
	}
	wl_schema_issues tmp = {0};
	bool valid = validate(st, si, n, out ? &tmp : NULL);
	e = memo_insert(st, si, n, out != NULL);
	e->valid = valid;
	if (out) {
		issues_append_copy(out, tmp.items, tmp.len);
		e->items = tmp.items;
		e->len = tmp.len;
		/* The memo entry owns them now. */
	}
	return valid;
}

static size_t
failures(const wl_schema_issues *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++)
		n += is_failure(l->items[i].kind);
	return n;
}

/* Reports the failed alternatives: the branch the value was meant for is
 * the one whose `const` properties match the object's values, else whose
 * type matches, else the one with the fewest problems. */
static void
report_alternatives(vstate *st, uint32_t list, uint32_t count, const wl_node *n,
                    wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	wl_schema_issues best = {0};
	long best_score = 0;
	bool have_best = false, any_type_match = false;
	for (uint32_t b = 0; b < count && !st->exhausted; b++) {
		uint32_t bi = t->lists[list + b];
		wl_schema_issues tmp = {0};
		branch(st, bi, n, &tmp);
		size_t nf = failures(&tmp);
		long score = (long)(nf < 1000 ? nf : 1000);
		const wl_snode *bk = effective(t, bi);
		bool typed = bk->kind != WL_SN_OBJECT || !bk->type_mask ||
		             (bk->type_mask & node_kind_bit(n));
		/* {"$ref": ..., "type": ...}: the sibling type still tells intent. */
		const wl_snode *own = &t->nodes[bi];
		if (own->kind == WL_SN_OBJECT && own->type_mask &&
		    !(own->type_mask & node_kind_bit(n)))
			typed = false;
		any_type_match |= typed;
		if (!typed)
			score += 100000;
		bool disc = false, disc_miss = false;
		if (bk->kind == WL_SN_OBJECT && n->type == json_type_object)
			for (uint32_t p = 0; p < bk->n_props; p++) {
				const wl_sprop *pr = &t->props[bk->props + p];
				const wl_snode *ps = &t->nodes[pr->node];
				const wl_node *have =
				    ps->kind == WL_SN_OBJECT && ps->cst != WL_SNONE
				        ? wl_node_get(n, pr->name)
				        : NULL;
				if (have) {
					if (sval_equal(st, &t->values[ps->cst], have))
						disc = true;
					else
						disc_miss = true;
				}
			}
		if (disc)
			score -= 50000;
		else if (disc_miss)
			score += 50000;
		if (!have_best || score < best_score) {
			wl_schema_issues_free(&best);
			best = tmp;
			best_score = score;
			have_best = true;
		} else {
			wl_schema_issues_free(&tmp);
		}
	}
	if (!any_type_match) {
		wl_schema_issues_free(&best);
		char *types = NULL;
		for (uint32_t b = 0; b < count; b++) {
			const wl_snode *own = &t->nodes[t->lists[list + b]];
			const wl_snode *bk = own->n_types ? own : effective(t, t->lists[list + b]);
			if (bk->kind != WL_SN_OBJECT || !bk->n_types)
				continue;
			char *tl = type_list(t, bk);
			char *more = types ? wl_xasprintf("%s or %s", types, tl) : wl_xstrdup(tl);
			free(tl);
			free(types);
			types = more;
		}
		add_issue(out, WL_SCHEMA_TYPE, "anyOf", n, n->span, "expected %s, found %s %s",
		          types ? types : "another type", article(node_kind(n)), node_kind(n));
		free(types);
		return;
	}
	issues_move(out, &best);
}

static bool
validate_any(vstate *st, uint32_t list, uint32_t count, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	for (uint32_t b = 0; b < count; b++) {
		uint32_t bi = t->lists[list + b];
		if (branch(st, bi, n, NULL)) {
			/* Valid: collect the branch's annotations (deprecated, x-since). */
			if (out)
				branch(st, bi, n, out);
			return true;
		}
		if (st->exhausted)
			return true;
	}
	if (out)
		report_alternatives(st, list, count, n, out);
	return false;
}

static bool
validate_one(vstate *st, uint32_t list, uint32_t count, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	uint32_t matched = 0, first = WL_SNONE;
	for (uint32_t b = 0; b < count && !st->exhausted; b++) {
		uint32_t bi = t->lists[list + b];
		if (branch(st, bi, n, NULL)) {
			if (!matched)
				first = bi;
			matched++;
		}
	}
	if (st->exhausted)
		return true;
	if (matched == 1) {
		if (out)
			branch(st, first, n, out);
		return true;
	}
	if (out) {
		if (matched == 0)
			report_alternatives(st, list, count, n, out);
		else
			add_issue(out, WL_SCHEMA_ONE_OF, "oneOf", n, n->span,
			          "matches %u of the alternatives, but exactly one is allowed",
			          (unsigned)matched);
	}
	return false;
}

static const wl_sprop *
find_prop(const wl_stables *t, const wl_snode *sn, const char *key)
{
	if (!sn->n_props)
		return NULL;
	size_t lo = 0, hi = sn->n_props;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const wl_sprop *p = &t->props[sn->props + t->lists[sn->props_sorted + mid]];
		int c = strcmp(key, p->name);
		if (c == 0)
			return p;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *
suggestion(const wl_stables *t, const wl_snode *sn, const char *key)
{
	if (!sn->n_props || sn->n_props >= 512)
		return NULL;
	const char **names = wl_xcalloc(sn->n_props + 1, sizeof(*names));
	for (uint32_t i = 0; i < sn->n_props; i++)
		names[i] = t->props[sn->props + i].name;
	const char *hint = wl_suggest(key, names);
	free(names);
	return hint;
}

/* A deprecation from wrangler `since` on (NULL: always) applies unless the
 * project's wrangler is known to be older: with no version, say it. */
static bool
deprecated_now(const vstate *st, const char *since)
{
	return !since || !st->since_after || wl_version_cmp(st->since_after, since) >= 0;
}

/* The member of the object value `obj` (values[]) named `name` whose value
 * is a string, or NULL. */
static const wl_sval *
string_member(const wl_stables *t, uint32_t obj, const char *name)
{
	const wl_sval *o = &t->values[obj];
	for (uint32_t i = 0; i < o->n; i++) {
		const wl_sval *m = &t->values[o->first + i];
		if (m->kind == WL_SV_STRING && strcmp(m->key, name) == 0)
			return m;
	}
	return NULL;
}

/* x-deprecated-values and x-since-values: annotations on a string value,
 * at the value. */
static void
annotate_value(vstate *st, const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	if (n->type != json_type_string || !n->str)
		return;
	if (sn->deprecated_values != WL_SNONE && spend(st, t->values[sn->deprecated_values].n)) {
		const wl_sval *m = string_member(t, sn->deprecated_values, n->str);
		if (m && deprecated_now(st, wl_snode_notes(t, sn)->deprecated_since)) {
			char *have = show_node(n);
			add_issue(out, WL_SCHEMA_DEPRECATED, "x-deprecated-values", n, n->span,
			          "%s is deprecated%s%s", have, m->str[0] ? ": " : "", m->str);
			free(have);
		}
	}
	if (sn->since_values != WL_SNONE && st->since_after &&
	    spend(st, t->values[sn->since_values].n)) {
		const wl_sval *m = string_member(t, sn->since_values, n->str);
		if (m && wl_version_cmp(m->str, st->since_after) > 0) {
			char *have = show_node(n);
			add_issue(out, WL_SCHEMA_SINCE, "x-since-values", n, n->span,
			          "%s needs wrangler %s or newer", have, m->str);
			free(have);
			out->items[out->len - 1].since = m->str;
		}
	}
}

static void
annotate_member(const vstate *st, uint32_t psi, const wl_node *m, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	const wl_snode *ps = &t->nodes[psi];
	if (ps->kind != WL_SN_OBJECT || ps->notes == WL_SNONE)
		return;
	const wl_snotes *nt = wl_snode_notes(t, ps);
	if (nt->removed) {
		add_issue(out, WL_SCHEMA_REMOVED, "x-removed", m, m->key_span,
		          "\"%s\" is no longer supported: %s", m->key,
		          nt->removed[0] ? nt->removed : "remove it");
		out->items[out->len - 1].key = m->key;
	} else if ((ps->flags & WL_SF_DEPRECATED) && deprecated_now(st, nt->deprecated_since)) {
		add_issue(out, WL_SCHEMA_DEPRECATED, "deprecated", m, m->key_span,
		          "\"%s\" is deprecated%s%s", m->key, nt->deprecated ? ": " : "",
		          nt->deprecated ? nt->deprecated : "");
		out->items[out->len - 1].key = m->key;
	}
	/* Only keys newer than the caller's version: most keys are old, and a
	 * message per member of a large config is work for nothing. */
	if (nt->since && st->since_after && wl_version_cmp(nt->since, st->since_after) > 0) {
		add_issue(out, WL_SCHEMA_SINCE, "x-since", m, m->key_span,
		          "\"%s\" needs wrangler %s or newer", m->key, nt->since);
		out->items[out->len - 1].key = m->key;
		out->items[out->len - 1].since = nt->since;
	}
}

static bool
validate_object(vstate *st, const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	bool ok = true;
	for (uint32_t r = 0; r < sn->n_required; r++) {
		const char *rk = t->strs[sn->required + r];
		if (!wl_node_get(n, rk)) {
			ok = false;
			if (!out)
				return false;
			add_issue(out, WL_SCHEMA_REQUIRED, "required", n,
			          wl_node_key_or_value_span(n), "missing required key \"%s\"", rk);
			out->items[out->len - 1].key = rk;
		}
	}
	size_t count = 0;
	/* Did-you-mean costs a distance per allowed name: bounded per object,
	 * so a million unknown keys cost a million lookups, not 70 million
	 * distances. */
	size_t hints_left = 64;
	WL_NODE_FOREACH(m, n)
	{
		count++;
		if (st->exhausted)
			return true;
		bool matched = false;
		const wl_sprop *p = find_prop(t, sn, m->key);
		if (p) {
			matched = true;
			if (out)
				annotate_member(st, p->node, m, out);
			if (!validate(st, p->node, m, out)) {
				ok = false;
				if (!out)
					return false;
			}
		}
		for (uint32_t k = 0; k < sn->n_pprops; k++) {
			const wl_spprop *pp = &t->pprops[sn->pprops + k];
			int r = match(st, pp->pattern, m->key);
			if (r == 0)
				return true;
			if (r < 0)
				continue;
			matched = true;
			if (!validate(st, pp->node, m, out)) {
				ok = false;
				if (!out)
					return false;
			}
		}
		if (matched || sn->additional == WL_SNONE)
			continue;
		const wl_snode *ad = &t->nodes[sn->additional];
		if (ad->kind == WL_SN_FALSE) {
			ok = false;
			if (!out)
				return false;
			const char *hint = hints_left ? suggestion(t, sn, m->key) : NULL;
			if (hints_left)
				hints_left--;
			add_issue(out, WL_SCHEMA_UNKNOWN_KEY, "additionalProperties", m,
			          m->key_span, "unknown key \"%s\"%s%s%s", m->key,
			          hint ? " (did you mean \"" : "", hint ? hint : "",
			          hint ? "\"?)" : "");
			out->items[out->len - 1].key = m->key;
			out->items[out->len - 1].hint = hint;
		} else if (!validate(st, sn->additional, m, out)) {
			ok = false;
			if (!out)
				return false;
		}
	}
	for (uint32_t d = 0; d < sn->n_deps; d++) {
		const wl_sdep *dep = &t->deps[sn->deps + d];
		if (!wl_node_get(n, dep->name))
			continue;
		for (uint32_t r = 0; r < dep->n_required; r++) {
			const char *rk = t->strs[dep->required + r];
			if (!wl_node_get(n, rk)) {
				ok = false;
				if (!out)
					return false;
				add_issue(out, WL_SCHEMA_REQUIRED, "dependencies", n,
				          wl_node_key_or_value_span(n),
				          "missing key \"%s\", which \"%s\" requires", rk,
				          dep->name);
				out->items[out->len - 1].key = rk;
			}
		}
		if (dep->node != WL_SNONE && !validate(st, dep->node, n, out)) {
			ok = false;
			if (!out)
				return false;
		}
	}
	if (sn->property_names != WL_SNONE) {
		WL_NODE_FOREACH(m, n)
		{
			/* The key as a string instance; issues point at the member. */
			wl_node *kn = wl_arena_alloc(&st->scratch, sizeof(*kn));
			kn->type = json_type_string;
			kn->str = m->key;
			kn->span = m->key_span;
			kn->parent = (wl_node *)(uintptr_t)n;
			size_t before = out ? out->len : 0;
			if (!validate(st, sn->property_names, kn, out)) {
				ok = false;
				if (!out)
					return false;
			}
			for (size_t i = before; out && i < out->len; i++)
				if (out->items[i].at == kn)
					out->items[i].at = m;
		}
	}
	if (sn->min_props >= 0 && (int64_t)count < sn->min_props) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "minProperties", n, n->span,
			          "needs at least %lld key%s", (long long)sn->min_props,
			          sn->min_props == 1 ? "" : "s");
	}
	if (sn->max_props >= 0 && (int64_t)count > sn->max_props) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "maxProperties", n, n->span,
			          "has %zu keys; at most %lld are allowed", count,
			          (long long)sn->max_props);
	}
	return ok;
}

static bool
validate_array(vstate *st, const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	bool ok = true;
	uint32_t i = 0;
	WL_NODE_FOREACH(it, n)
	{
		if (st->exhausted)
			return true;
		uint32_t si = WL_SNONE;
		if (sn->items != WL_SNONE)
			si = sn->items;
		else if (sn->n_tuple && i < sn->n_tuple)
			si = t->lists[sn->tuple + i];
		else if (sn->n_tuple)
			si = sn->additional_items;
		i++;
		if (si == WL_SNONE)
			continue;
		if (sn->n_tuple && i > sn->n_tuple && t->nodes[si].kind == WL_SN_FALSE) {
			ok = false;
			if (out)
				add_issue(out, WL_SCHEMA_RANGE, "additionalItems", n, n->span,
				          "has %u items; at most %u are allowed", n->n_children,
				          sn->n_tuple);
			break;
		}
		if (!validate(st, si, it, out)) {
			ok = false;
			if (!out)
				return false;
		}
	}
	if (sn->contains != WL_SNONE) {
		bool found = false;
		WL_NODE_FOREACH(it, n)
		{
			if (validate(st, sn->contains, it, NULL)) {
				found = true;
				break;
			}
		}
		if (!found && !st->exhausted) {
			ok = false;
			if (out)
				add_issue(out, WL_SCHEMA_RANGE, "contains", n, n->span,
				          "needs at least one item of the allowed shape");
		}
	}
	if (sn->min_items >= 0 && (int64_t)n->n_children < sn->min_items) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "minItems", n, n->span,
			          "needs at least %lld item%s", (long long)sn->min_items,
			          sn->min_items == 1 ? "" : "s");
	}
	if (sn->max_items >= 0 && (int64_t)n->n_children > sn->max_items) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "maxItems", n, n->span,
			          "has %u items; at most %lld are allowed", n->n_children,
			          (long long)sn->max_items);
	}
	if (sn->flags & WL_SF_UNIQUE) {
		uint32_t a = 0;
		WL_NODE_FOREACH(x, n)
		{
			uint32_t b = a + 1;
			for (const wl_node *y = wl_node_next(x); y && ok;
			     y = wl_node_next(y), b++) {
				if (node_equal(st, x, y) && !st->exhausted) {
					ok = false;
					if (out)
						add_issue(
						    out, WL_SCHEMA_RANGE, "uniqueItems", y, y->span,
						    "item %u repeats item %u; items must be unique",
						    b, a);
				}
			}
			if (!ok || st->exhausted)
				break;
			a++;
		}
	}
	return ok;
}

static bool
validate_string(vstate *st, const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	bool ok = true;
	const char *str = n->str ? n->str : "";
	if (sn->pattern != WL_SNONE) {
		int r = match(st, sn->pattern, str);
		if (r == 0)
			return true;
		if (r < 0) {
			ok = false;
			if (!out)
				return false;
			char *shown = show_string(str);
			const char *desc = wl_snode_notes(st->t, sn)->pattern_desc;
			if (desc)
				add_issue(out, WL_SCHEMA_PATTERN, "pattern", n, n->span,
				          "%s is not valid here: expected %s", shown, desc);
			else
				add_issue(out, WL_SCHEMA_PATTERN, "pattern", n, n->span,
				          "%s does not match the pattern %s", shown,
				          st->t->patterns[sn->pattern]);
			free(shown);
		}
	}
	if (sn->min_length >= 0 || sn->max_length >= 0) {
		int64_t cps = 0;
		for (const char *c = str; *c; c++)
			cps += ((unsigned char)*c & 0xC0) != 0x80;
		if (sn->min_length >= 0 && cps < sn->min_length) {
			ok = false;
			if (out)
				add_issue(out, WL_SCHEMA_RANGE, "minLength", n, n->span,
				          cps ? "is too short: at least %lld characters"
				              : "must not be empty (at least %lld characters)",
				          (long long)sn->min_length);
		}
		if (sn->max_length >= 0 && cps > sn->max_length) {
			ok = false;
			if (out)
				add_issue(out, WL_SCHEMA_RANGE, "maxLength", n, n->span,
				          "is too long: at most %lld characters",
				          (long long)sn->max_length);
		}
	}
	return ok;
}

static bool
validate_number(const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	bool ok = true;
	double d = node_number(n);
	if ((sn->flags & WL_SF_MINIMUM) && d < sn->minimum) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "minimum", n, n->span,
			          "must be at least %g", sn->minimum);
	}
	if ((sn->flags & WL_SF_MAXIMUM) && d > sn->maximum) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "maximum", n, n->span, "must be at most %g",
			          sn->maximum);
	}
	if ((sn->flags & WL_SF_XMINIMUM) && !(d > sn->xminimum)) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "exclusiveMinimum", n, n->span,
			          "must be more than %g", sn->xminimum);
	}
	if ((sn->flags & WL_SF_XMAXIMUM) && !(d < sn->xmaximum)) {
		ok = false;
		if (out)
			add_issue(out, WL_SCHEMA_RANGE, "exclusiveMaximum", n, n->span,
			          "must be less than %g", sn->xmaximum);
	}
	if (sn->flags & WL_SF_MULTIPLE) {
		double q = d / sn->multiple_of;
		if (!isfinite(q) || fabs(q - nearbyint(q)) > 1e-9 * fmax(1.0, fabs(q))) {
			ok = false;
			if (out)
				add_issue(out, WL_SCHEMA_RANGE, "multipleOf", n, n->span,
				          "must be a multiple of %g", sn->multiple_of);
		}
	}
	return ok;
}

static bool
validate_body(vstate *st, const wl_snode *sn, const wl_node *n, wl_schema_issues *out)
{
	const wl_stables *t = st->t;
	/* Like deprecated and x-since, these count beside a $ref too. */
	if (out)
		annotate_value(st, sn, n, out);
	if (sn->ref != WL_SNONE)
		return validate(st, sn->ref, n, out);
	unsigned kind = node_kind_bit(n);
	if (sn->type_mask && !(sn->type_mask & kind)) {
		if (out) {
			char *want = type_list(t, sn);
			add_issue(out, WL_SCHEMA_TYPE, "type", n, n->span,
			          "expected %s, found %s %s", want, article(node_kind(n)),
			          node_kind(n));
			free(want);
		}
		return false; /* nothing else about it makes sense */
	}
	bool ok = true;
#define FAIL()                                                                                     \
	do {                                                                                       \
		ok = false;                                                                        \
		if (!out)                                                                          \
			return false;                                                              \
	} while (0)
	if (sn->en != WL_SNONE) {
		const wl_sval *en = &t->values[sn->en];
		bool found = false;
		for (uint32_t i = 0; i < en->n && !found; i++)
			found = sval_equal(st, &t->values[en->first + i], n);
		if (!found && !st->exhausted) {
			FAIL();
			char *list = wl_xstrdup("");
			for (uint32_t i = 0; i < en->n; i++) {
				if (i == 8) {
					char *more = wl_xasprintf("%s, ...", list);
					free(list);
					list = more;
					break;
				}
				char *shown = show_sval(t, &t->values[en->first + i], 0);
				char *more = wl_xasprintf("%s%s%s", list, i ? ", " : "", shown);
				free(shown);
				free(list);
				list = more;
			}
			char *have = show_node(n);
			add_issue(out, WL_SCHEMA_ENUM, "enum", n, n->span,
			          "%s is not allowed here: use one of %s", have, list);
			free(have);
			free(list);
		}
	}
	if (sn->cst != WL_SNONE && !sval_equal(st, &t->values[sn->cst], n) && !st->exhausted) {
		FAIL();
		char *want = show_sval(t, &t->values[sn->cst], 0), *have = show_node(n);
		add_issue(out, WL_SCHEMA_ENUM, "const", n, n->span,
		          "%s is not allowed here: it must be %s", have, want);
		free(want);
		free(have);
	}
	for (uint32_t i = 0; i < sn->n_all; i++)
		if (!validate(st, t->lists[sn->all + i], n, out))
			FAIL();
	if (sn->n_any && !validate_any(st, sn->any, sn->n_any, n, out))
		FAIL();
	if (sn->n_one && !validate_one(st, sn->one, sn->n_one, n, out))
		FAIL();
	if (sn->not_ != WL_SNONE && branch(st, sn->not_, n, NULL) && !st->exhausted) {
		FAIL();
		char *have = show_node(n);
		add_issue(out, WL_SCHEMA_ENUM, "not", n, n->span,
		          "%s is not allowed here: the schema excludes this value", have);
		free(have);
	}
	if (sn->if_ != WL_SNONE) {
		uint32_t next = branch(st, sn->if_, n, NULL) ? sn->then_ : sn->else_;
		if (next != WL_SNONE && !validate(st, next, n, out))
			FAIL();
	}
	bool sub = true;
	switch ((enum json_type)n->type) {
	case json_type_object:
		sub = validate_object(st, sn, n, out);
		break;
	case json_type_array:
		sub = validate_array(st, sn, n, out);
		break;
	case json_type_string:
		sub = validate_string(st, sn, n, out);
		break;
	case json_type_int:
	case json_type_double:
		sub = validate_number(sn, n, out);
		break;
	default:
		break;
	}
#undef FAIL
	return ok && sub;
}

static bool
validate(vstate *st, uint32_t si, const wl_node *n, wl_schema_issues *out)
{
	if (!n || (n->flags & WL_NODE_INVALID) || !spend(st, 1))
		return true; /* syntax errors were reported; a spent budget ends all */
	const wl_snode *sn = &st->t->nodes[si];
	if (sn->kind == WL_SN_TRUE)
		return true;
	if (sn->kind == WL_SN_FALSE) {
		if (out) {
			if (n->key)
				add_issue(out, WL_SCHEMA_FALSE, "false", n, n->key_span,
				          "\"%s\" is not allowed here", n->key);
			else
				add_issue(out, WL_SCHEMA_FALSE, "false", n, n->span,
				          "no value is allowed here");
			out->items[out->len - 1].key = n->key;
		}
		return false;
	}
	/* The same schema at the same instance node again, with nothing
	 * consumed in between: a $ref cycle, which adds no constraint. The
	 * frames of one instance node are the top of the path. */
	for (size_t i = st->path_len; i > 0 && st->path[i - 1].n == n; i--)
		if (st->path[i - 1].si == si)
			return true;
	if (st->path_len >= MAX_PATH) {
		st->exhausted = true;
		return true;
	}
	wl_xgrow((void **)&st->path, &st->path_cap, st->path_len + 1, sizeof(*st->path));
	st->path[st->path_len++] = (frame){si, n};
	bool ok = validate_body(st, sn, n, out);
	st->path_len--;
	return ok;
}

size_t
wl_schema_default_budget(size_t bytes)
{
	return 2000000 + 8 * bytes;
}

bool
wl_schema_validate(const wl_schema *s, const wl_node *root, size_t budget, wl_schema_issues *out)
{
	if (!s || !root || !s->t.n_nodes)
		return true;
	vstate st = {0};
	st.s = s;
	st.t = &s->t;
	st.md = pcre2_match_data_create(1, NULL);
	st.mctx = pcre2_match_context_copy(s->mctx);
	st.budget = budget;
	st.since_after = out->since_after;
	validate(&st, 0, root, out);
	pcre2_match_data_free(st.md);
	pcre2_match_context_free(st.mctx);
	for (size_t i = 0; i < st.memo_cap; i++)
		if (st.memo[i].used) {
			for (size_t k = 0; k < st.memo[i].len; k++)
				free(st.memo[i].items[k].message);
			free(st.memo[i].items);
		}
	free(st.memo);
	free(st.path);
	/* Issues at propertyNames' key nodes were moved to the members. */
	wl_arena_free(&st.scratch);
	out->work += st.work;
	if (st.exhausted)
		out->too_complex = true;
	return !st.exhausted;
}

/* ---- the cache ---- */

typedef struct cache_ent {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	wl_schema *schema; /* NULL when unusable */
	char *error;
} cache_ent;

struct wl_schema_cache {
	pthread_mutex_t lock;
	wl_schema *builtin;
	cache_ent *items;
	size_t len, cap;
};

/* More distinct user schemas than this and the oldest is dropped. */
enum { CACHE_MAX = 32 };

wl_schema_cache *
wl_schema_cache_new(void)
{
	wl_schema_cache *c = wl_xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->builtin = wl_schema_from_tables(&wl_builtin_stables);
	return c;
}

static void
ent_clear(cache_ent *e)
{
	free(e->path);
	wl_schema_release(e->schema);
	free(e->error);
}

void
wl_schema_cache_free(wl_schema_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->len; i++)
		ent_clear(&c->items[i]);
	free(c->items);
	wl_schema_release(c->builtin);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

const wl_schema *
wl_schema_cache_builtin(wl_schema_cache *c)
{
	return c->builtin;
}

static bool
same_file(const cache_ent *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static wl_schema *
hit(const cache_ent *e, char **error)
{
	if (e->schema)
		return wl_schema_retain(e->schema);
	*error = wl_xstrdup(e->error);
	return NULL;
}

wl_schema *
wl_schema_cache_load(wl_schema_cache *c, const char *path, char **error)
{
	/* Non-blocking, so a FIFO cannot stall us before fstat says what it is. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*error = wl_xasprintf("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		*error = wl_xasprintf("cannot read %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*error = wl_xasprintf("%s is not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((size_t)st.st_size > WL_SCHEMA_MAX_FILE) {
		*error = wl_xasprintf("%s is larger than the %zu-byte limit for schemas", path,
		                      WL_SCHEMA_MAX_FILE);
		close(fd);
		return NULL;
	}
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->len; i++)
		if (strcmp(c->items[i].path, path) == 0 && same_file(&c->items[i], &st)) {
			wl_schema *s = hit(&c->items[i], error);
			pthread_mutex_unlock(&c->lock);
			close(fd);
			return s;
		}
	pthread_mutex_unlock(&c->lock);

	/* Read and compile outside the lock: other threads keep validating. */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = wl_xmalloc(cap);
	bool too_big = false;
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == cap) {
			if (cap > WL_SCHEMA_MAX_FILE) {
				too_big = true; /* it grew while we read */
				break;
			}
			cap *= 2;
			buf = wl_xrealloc(buf, cap);
		}
	}
	close(fd);
	cache_ent e = {0};
	e.path = wl_xstrdup(path);
	e.dev = st.st_dev;
	e.ino = st.st_ino;
	e.size = st.st_size;
	e.mtime = st.st_mtim;
	if (too_big) {
		e.error = wl_xasprintf("%s is larger than the %zu-byte limit for schemas", path,
		                       WL_SCHEMA_MAX_FILE);
	} else {
		char *why = NULL;
		e.schema = wl_schema_compile(path, buf, len, &why);
		if (!e.schema)
			e.error = wl_xasprintf("%s is not a usable schema: %s", path, why);
		free(why);
	}
	free(buf);
	wl_schema *result = hit(&e, error);

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->len; i++)
		if (strcmp(c->items[i].path, path) == 0) {
			ent_clear(&c->items[i]);
			c->items[i] = e;
			pthread_mutex_unlock(&c->lock);
			return result;
		}
	if (c->len == CACHE_MAX) {
		ent_clear(&c->items[0]);
		memmove(c->items, c->items + 1, (c->len - 1) * sizeof(*c->items));
		c->len--;
	}
	wl_xgrow((void **)&c->items, &c->cap, c->len + 1, sizeof(*c->items));
	c->items[c->len++] = e;
	pthread_mutex_unlock(&c->lock);
	return result;
}
