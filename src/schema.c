#include "schema.h"

#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonc.h"
#include "rules_schema.h"
#include "strmap.h"
#include "suggest.h"
#include "xalloc.h"

/* The keywords of one schema object, looked up once when the schema is
 * compiled: validation then reads fields instead of scanning members. */
typedef struct keywords {
	const wl_node *ref_target, *type, *en, *cst, *all, *any, *one, *props, *additional,
	    *required, *items, *min_items, *min_length, *minimum, *maximum, *multiple_of, *pattern,
	    *pattern_desc, *deprecated, *removed;
	pcre2_code *pattern_code;
	unsigned type_mask; /* KIND_* bits allowed by "type"; 0 when absent */
} keywords;

enum {
	KIND_OBJECT = 1,
	KIND_ARRAY = 2,
	KIND_STRING = 4,
	KIND_INTEGER = 8,
	KIND_NUMBER = 16,
	KIND_BOOLEAN = 32,
	KIND_NULL = 64,
};

static unsigned
kind_bit(const char *name)
{
	static const char *const names[] = {"object", "array",   "string", "integer",
	                                    "number", "boolean", "null"};
	for (unsigned i = 0; i < 7; i++)
		if (strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

typedef struct kw_slot {
	const wl_node *node;
	keywords *kw;
} kw_slot;

struct wl_schema {
	wl_doc *doc; /* the schema, parsed by our own front end */
	const wl_node *root;
	wl_strmap patterns; /* pattern text -> pcre2_code* (keys borrowed from doc) */
	pcre2_match_data *md;
	kw_slot *kw; /* schema object node -> keywords (open addressing) */
	size_t kw_cap;
	wl_arena arena;
};

static size_t
ptr_hash(const void *p, size_t cap)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

static const keywords *
keywords_of(const wl_schema *s, const wl_node *node)
{
	for (size_t i = ptr_hash(node, s->kw_cap);; i = (i + 1) & (s->kw_cap - 1)) {
		if (s->kw[i].node == node)
			return s->kw[i].kw;
		if (!s->kw[i].node)
			return NULL;
	}
}

/* ---- compiling ---- */

static bool
resolve_ref(const wl_schema *s, const char *ref, const wl_node **out)
{
	/* Only local JSON pointers: "#/definitions/X", "#/$defs/X", "#/a/b". */
	if (ref[0] != '#')
		return false;
	const wl_node *n = s->root;
	const char *p = ref + 1;
	while (*p == '/') {
		p++;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *seg = wl_xmalloc(len + 1);
		size_t k = 0;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '~' && i + 1 < len && (p[i + 1] == '0' || p[i + 1] == '1')) {
				seg[k++] = p[i + 1] == '0' ? '~' : '/';
				i++;
			} else {
				seg[k++] = p[i];
			}
		}
		seg[k] = '\0';
		n = wl_node_get(n, seg);
		free(seg);
		if (!n)
			return false;
		p += len;
	}
	*out = n;
	return *p == '\0';
}

static size_t
count_objects(const wl_node *n)
{
	size_t c = wl_node_is(n, json_type_object);
	if (wl_node_is(n, json_type_object) || wl_node_is(n, json_type_array))
		WL_NODE_FOREACH(m, n)
		{
			c += count_objects(m);
		}
	return c;
}

static void
add_keywords(wl_schema *s, const wl_node *n)
{
	keywords *k = wl_arena_alloc(&s->arena, sizeof(*k));
	WL_NODE_FOREACH(m, n)
	{
		const char *key = m->key;
		if (key[0] == '$' && strcmp(key, "$ref") == 0 && wl_node_str(m))
			resolve_ref(s, m->str, &k->ref_target);
		else if (strcmp(key, "type") == 0)
			k->type = m;
		else if (strcmp(key, "enum") == 0)
			k->en = m;
		else if (strcmp(key, "const") == 0)
			k->cst = m;
		else if (strcmp(key, "allOf") == 0)
			k->all = m;
		else if (strcmp(key, "anyOf") == 0)
			k->any = m;
		else if (strcmp(key, "oneOf") == 0)
			k->one = m;
		else if (strcmp(key, "properties") == 0)
			k->props = m;
		else if (strcmp(key, "additionalProperties") == 0)
			k->additional = m;
		else if (strcmp(key, "required") == 0)
			k->required = m;
		else if (strcmp(key, "items") == 0)
			k->items = m;
		else if (strcmp(key, "minItems") == 0)
			k->min_items = m;
		else if (strcmp(key, "minLength") == 0)
			k->min_length = m;
		else if (strcmp(key, "minimum") == 0)
			k->minimum = m;
		else if (strcmp(key, "maximum") == 0)
			k->maximum = m;
		else if (strcmp(key, "multipleOf") == 0)
			k->multiple_of = m;
		else if (strcmp(key, "pattern") == 0 && wl_node_str(m))
			k->pattern = m;
		else if (strcmp(key, "x-pattern-description") == 0)
			k->pattern_desc = m;
		else if (strcmp(key, "deprecated") == 0)
			k->deprecated = m;
		else if (strcmp(key, "x-removed") == 0)
			k->removed = m;
	}
	if (k->pattern)
		k->pattern_code = wl_strmap_get(&s->patterns, k->pattern->str);
	if (wl_node_str(k->type))
		k->type_mask = kind_bit(k->type->str);
	else if (wl_node_is(k->type, json_type_array))
		WL_NODE_FOREACH(t, k->type)
		{
			if (wl_node_str(t))
				k->type_mask |= kind_bit(t->str);
		}
	/* "number" admits integers too. */
	if (k->type_mask & KIND_NUMBER)
		k->type_mask |= KIND_INTEGER;
	size_t i = ptr_hash(n, s->kw_cap);
	while (s->kw[i].node)
		i = (i + 1) & (s->kw_cap - 1);
	s->kw[i].node = n;
	s->kw[i].kw = k;
}

static void
index_keywords(wl_schema *s, const wl_node *n)
{
	if (wl_node_is(n, json_type_object))
		add_keywords(s, n);
	if (wl_node_is(n, json_type_object) || wl_node_is(n, json_type_array))
		WL_NODE_FOREACH(m, n)
		{
			index_keywords(s, m);
		}
}

/* Checks every $ref resolves and compiles every pattern, once. */
static bool
prepare(wl_schema *s, const wl_node *n, char **error)
{
	if (wl_node_is(n, json_type_object)) {
		WL_NODE_FOREACH(m, n)
		{
			if (strcmp(m->key, "$ref") == 0 && wl_node_str(m)) {
				const wl_node *target;
				if (!resolve_ref(s, wl_node_str(m), &target)) {
					*error = wl_xasprintf("$ref \"%s\" does not resolve",
					                      wl_node_str(m));
					return false;
				}
			} else if (strcmp(m->key, "pattern") == 0 && wl_node_str(m) &&
			           !wl_strmap_get(&s->patterns, wl_node_str(m))) {
				int err;
				PCRE2_SIZE off;
				pcre2_code *code = pcre2_compile(
				    (PCRE2_SPTR)wl_node_str(m), PCRE2_ZERO_TERMINATED,
				    PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
				if (!code) {
					PCRE2_UCHAR msg[256];
					pcre2_get_error_message(err, msg, sizeof(msg));
					*error = wl_xasprintf("pattern \"%s\" does not compile: %s",
					                      wl_node_str(m), (const char *)msg);
					return false;
				}
				pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
				wl_strmap_put(&s->patterns, wl_node_str(m), code);
			}
			if (!prepare(s, m, error))
				return false;
		}
	} else if (wl_node_is(n, json_type_array)) {
		WL_NODE_FOREACH(m, n)
		{
			if (!prepare(s, m, error))
				return false;
		}
	}
	return true;
}

static void
free_patterns(wl_schema *s)
{
	for (size_t i = 0; i < s->patterns.cap; i++)
		if (s->patterns.slots[i].key)
			pcre2_code_free(s->patterns.slots[i].value);
	wl_strmap_free(&s->patterns);
}

wl_schema *
wl_schema_compile(const char *origin, const char *bytes, size_t len, char **error)
{
	wl_schema *s = wl_xcalloc(1, sizeof(*s));
	wl_strmap_init(&s->patterns);
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	s->doc = wl_jsonc_parse(wl_source_new(origin, bytes, len), &diags);
	bool ok = true;
	for (size_t i = 0; i < diags.len && ok; i++) {
		if (diags.items[i].severity == WL_SEV_ERROR) {
			wl_position pos =
			    wl_source_position(s->doc->src, diags.items[i].span.start);
			*error =
			    wl_xasprintf("%u:%u: %s", pos.line, pos.column, diags.items[i].message);
			ok = false;
		}
	}
	wl_diag_list_free(&diags);
	s->root = s->doc->root;
	if (ok && !wl_node_is(s->root, json_type_object)) {
		*error = wl_xstrdup("a schema is a JSON object");
		ok = false;
	}
	if (ok && !prepare(s, s->root, error))
		ok = false;
	if (ok) {
		s->kw_cap = 16;
		while (s->kw_cap < count_objects(s->root) * 2)
			s->kw_cap *= 2;
		s->kw = wl_xcalloc(s->kw_cap, sizeof(*s->kw));
		index_keywords(s, s->root);
	}
	if (!ok) {
		wl_schema_free(s);
		return NULL;
	}
	s->md = pcre2_match_data_create(1, NULL);
	return s;
}

void
wl_schema_free(wl_schema *s)
{
	if (!s)
		return;
	free_patterns(s);
	free(s->kw);
	wl_arena_free(&s->arena);
	pcre2_match_data_free(s->md);
	wl_doc_free(s->doc);
	free(s);
}

/* ---- validating ---- */

typedef struct issue {
	const wl_rule *rule;
	wl_severity severity;
	const wl_node *at; /* for the JSON pointer */
	wl_span span;
	char *message;
} issue;

typedef struct issues {
	issue *items;
	size_t len, cap;
} issues;

typedef struct validator {
	const wl_schema *schema;
	const wl_schema_run *run;
} validator;

static void add_issue(issues *out, const wl_rule *rule, const wl_node *at, wl_span span,
                      const char *fmt, ...) WL_PRINTF(5, 6);

static void
add_issue(issues *out, const wl_rule *rule, const wl_node *at, wl_span span, const char *fmt, ...)
{
	wl_xgrow((void **)&out->items, &out->cap, out->len + 1, sizeof(*out->items));
	issue *i = &out->items[out->len++];
	i->rule = rule;
	i->severity = rule->severity;
	i->at = at;
	i->span = span;
	va_list ap;
	va_start(ap, fmt);
	i->message = wl_xvasprintf(fmt, ap);
	va_end(ap);
}

static void
issues_free(issues *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].message);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

static void
issues_move(issues *to, issues *from)
{
	for (size_t i = 0; i < from->len; i++) {
		wl_xgrow((void **)&to->items, &to->cap, to->len + 1, sizeof(*to->items));
		to->items[to->len++] = from->items[i];
	}
	free(from->items);
	from->items = NULL;
	from->len = from->cap = 0;
}

/* The JSON Schema type name of a document node. */
static const char *
node_kind(const wl_node *n)
{
	switch ((enum json_type)n->type) {
	case json_type_object:
		return "object";
	case json_type_array:
		return "array";
	case json_type_string:
		return "string";
	case json_type_int:
		return "integer";
	case json_type_double: {
		double d = json_object_get_double(n->value);
		return isfinite(d) && floor(d) == d ? "integer" : "number";
	}
	case json_type_boolean:
		return "boolean";
	case json_type_null:
		return "null";
	}
	return "value";
}

static unsigned
node_kind_bit(const wl_node *n)
{
	switch ((enum json_type)n->type) {
	case json_type_object:
		return KIND_OBJECT;
	case json_type_array:
		return KIND_ARRAY;
	case json_type_string:
		return KIND_STRING;
	case json_type_int:
		return KIND_INTEGER;
	case json_type_double: {
		double d = json_object_get_double(n->value);
		return isfinite(d) && floor(d) == d ? KIND_INTEGER : KIND_NUMBER;
	}
	case json_type_boolean:
		return KIND_BOOLEAN;
	case json_type_null:
		return KIND_NULL;
	}
	return 0;
}

static bool
kind_matches(const char *want, const wl_node *n)
{
	const char *have = node_kind(n);
	return strcmp(want, have) == 0 ||
	       (strcmp(want, "number") == 0 && strcmp(have, "integer") == 0);
}

static const char *
article(const char *kind)
{
	return (kind[0] == 'a' || kind[0] == 'o' || kind[0] == 'i') ? "an" : "a";
}

static bool
type_ok(const wl_node *type, const wl_node *n)
{
	if (wl_node_str(type))
		return kind_matches(wl_node_str(type), n);
	if (wl_node_is(type, json_type_array)) {
		WL_NODE_FOREACH(t, type)
		{
			if (wl_node_str(t) && kind_matches(wl_node_str(t), n))
				return true;
		}
		return false;
	}
	return true;
}

static char *
type_list(const wl_node *type)
{
	if (wl_node_str(type))
		return wl_xasprintf("%s %s", article(wl_node_str(type)), wl_node_str(type));
	char *out = wl_xstrdup("");
	size_t i = 0;
	WL_NODE_FOREACH(t, type)
	{
		if (!wl_node_str(t))
			continue;
		char *more = wl_xasprintf("%s%s%s %s", out,
		                          i == 0            ? ""
		                          : wl_node_next(t) ? ", "
		                                            : " or ",
		                          article(wl_node_str(t)), wl_node_str(t));
		free(out);
		out = more;
		i++;
	}
	return out;
}

/* A short rendering of a schema value for messages ("sqlite", 3, true). */
static char *
show_value(const wl_node *v)
{
	if (wl_node_str(v))
		return wl_xasprintf("\"%s\"", wl_node_str(v));
	if (!v->value)
		return wl_xstrdup("null");
	return wl_xstrdup(json_object_to_json_string_ext(v->value, JSON_C_TO_STRING_PLAIN));
}

static bool
values_equal(const wl_node *a, const wl_node *b)
{
	if (!a->value || !b->value)
		return !a->value && !b->value && a->type == b->type;
	if (a->type == json_type_string && b->type == json_type_string)
		return strcmp(a->str, b->str) == 0;
	return json_object_equal(a->value, b->value) == 1;
}

static void validate(const validator *v, const wl_node *schema, const wl_node *n, issues *out,
                     unsigned hops);

/* The member span to blame for an object-level problem: its key if any. */
static wl_span
where(const wl_node *n)
{
	return wl_node_key_or_value_span(n);
}

/* Picks, among failed anyOf/oneOf branches, the one the value was meant to
 * match: a branch whose `const` properties match the object's values, else
 * whose type matches, else the one with the fewest problems. */
static void
validate_any(const validator *v, const wl_node *branches, const wl_node *n, issues *out,
             unsigned hops)
{
	issues best = {0};
	int best_score = 0;
	bool have_best = false, any_type_match = false;
	WL_NODE_FOREACH(b, branches)
	{
		issues tmp = {0};
		validate(v, b, n, &tmp, hops + 1);
		if (tmp.len == 0) {
			issues_free(&best);
			return; /* a branch matches */
		}
		int score = (int)(tmp.len < 1000 ? tmp.len : 1000);
		const keywords *bk = keywords_of(v->schema, b);
		const wl_node *type = bk ? bk->type : NULL;
		bool typed = !type || type_ok(type, n);
		any_type_match |= typed;
		if (!typed)
			score += 100000;
		/* A matching discriminator ("type": {"const": "durable-object"}). */
		const wl_node *props = bk ? bk->props : NULL;
		bool disc = false, disc_miss = false;
		WL_NODE_FOREACH(p, props)
		{
			const wl_node *c = wl_node_get(p, "const");
			const wl_node *have = c ? wl_node_get(n, p->key) : NULL;
			if (c && have) {
				if (values_equal(c, have))
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
			issues_free(&best);
			best = tmp;
			best_score = score;
			have_best = true;
		} else {
			issues_free(&tmp);
		}
	}
	if (!any_type_match) {
		/* None even has the right type: say which types would do. */
		issues_free(&best);
		char *list = NULL;
		WL_NODE_FOREACH(b, branches)
		{
			const wl_node *type = wl_node_get(b, "type");
			if (!type)
				continue;
			char *t = type_list(type);
			char *more = list ? wl_xasprintf("%s or %s", list, t) : wl_xstrdup(t);
			free(t);
			free(list);
			list = more;
		}
		add_issue(out, &wl_rule_schema_type, n, n->span, "expected %s, found %s %s",
		          list ? list : "another type", article(node_kind(n)), node_kind(n));
		free(list);
		return;
	}
	issues_move(out, &best);
}

static void
validate_object(const validator *v, const wl_node *schema, const wl_node *n, issues *out,
                unsigned hops)
{
	const keywords *k = keywords_of(v->schema, schema);
	const wl_node *props = k->props;
	const wl_node *additional = k->additional;
	const wl_node *required = k->required;
	WL_NODE_FOREACH(req, required)
	{
		const char *rk = wl_node_str(req);
		if (rk && !wl_node_get(n, rk))
			add_issue(out, &wl_rule_schema_required, n, where(n),
			          "missing required key \"%s\"", rk);
	}
	/* Did-you-mean costs a distance per allowed name: bounded per object,
	 * so a million unknown keys cost a million lookups, not 70 million
	 * distances. */
	size_t hints_left = 64;
	WL_NODE_FOREACH(m, n)
	{
		const wl_node *ps = props ? wl_node_get(props, m->key) : NULL;
		if (ps) {
			const keywords *pk = keywords_of(v->schema, ps);
			const wl_node *removed = pk ? pk->removed : NULL;
			const wl_node *deprecated = pk ? pk->deprecated : NULL;
			if (removed) {
				add_issue(out, &wl_rule_schema_deprecated, m, m->key_span,
				          "\"%s\" is no longer supported: %s", m->key,
				          wl_node_str(removed) ? wl_node_str(removed)
				                               : "remove it");
				out->items[out->len - 1].severity = WL_SEV_ERROR;
			} else if (deprecated && (wl_node_str(deprecated) ||
			                          (wl_node_is(deprecated, json_type_boolean) &&
			                           json_object_get_boolean(deprecated->value)))) {
				add_issue(out, &wl_rule_schema_deprecated, m, m->key_span,
				          "\"%s\" is deprecated%s%s", m->key,
				          wl_node_str(deprecated) ? ": " : "",
				          wl_node_str(deprecated) ? wl_node_str(deprecated) : "");
			}
			validate(v, ps, m, out, 0);
			continue;
		}
		if (!additional)
			continue;
		if (wl_node_is(additional, json_type_boolean)) {
			if (json_object_get_boolean(additional->value))
				continue;
			/* Did-you-mean among the allowed names. */
			const char *hint = NULL;
			if (props && props->n_children < 512 && hints_left) {
				hints_left--;
				const char **names =
				    wl_xcalloc(props->n_children + 1, sizeof(*names));
				size_t nn = 0;
				WL_NODE_FOREACH(p, props)
				{
					names[nn++] = p->key;
				}
				hint = wl_suggest(m->key, names);
				free(names);
			}
			add_issue(out, &wl_rule_schema_unknown_key, m, m->key_span,
			          "unknown key \"%s\"%s%s%s", m->key,
			          hint ? " (did you mean \"" : "", hint ? hint : "",
			          hint ? "\"?)" : "");
		} else {
			validate(v, additional, m, out, 0);
		}
	}
	(void)hops;
}

static void
validate(const validator *v, const wl_node *schema, const wl_node *n, issues *out, unsigned hops)
{
	if (!n || (n->flags & WL_NODE_INVALID) || !wl_node_is(schema, json_type_object))
		return; /* syntax errors were reported; boolean schemas accept */
	if (hops > 64)
		return; /* a $ref cycle that never descends: the schema's fault */
	const keywords *k = keywords_of(v->schema, schema);
	if (k->ref_target)
		validate(v, k->ref_target, n, out, hops + 1);
	const wl_node *type = k->type;
	if (k->type_mask && !(k->type_mask & node_kind_bit(n))) {
		char *want = type_list(type);
		add_issue(out, &wl_rule_schema_type, n, n->span, "expected %s, found %s %s", want,
		          article(node_kind(n)), node_kind(n));
		free(want);
		return; /* nothing else about it makes sense */
	}
	const wl_node *en = k->en;
	if (wl_node_is(en, json_type_array)) {
		bool found = false;
		WL_NODE_FOREACH(e, en)
		{
			found |= values_equal(e, n);
		}
		if (!found) {
			char *list = wl_xstrdup("");
			size_t shown_n = 0;
			WL_NODE_FOREACH(e, en)
			{
				if (shown_n++ == 8) {
					char *more = wl_xasprintf("%s, ...", list);
					free(list);
					list = more;
					break;
				}
				char *shown = show_value(e);
				char *more =
				    wl_xasprintf("%s%s%s", list, shown_n > 1 ? ", " : "", shown);
				free(shown);
				free(list);
				list = more;
			}
			char *have = show_value(n);
			add_issue(out, &wl_rule_schema_enum, n, n->span,
			          "%s is not allowed here: use one of %s", have, list);
			free(have);
			free(list);
		}
	}
	const wl_node *cst = k->cst;
	if (cst && !values_equal(cst, n)) {
		char *want = show_value(cst), *have = show_value(n);
		add_issue(out, &wl_rule_schema_enum, n, n->span,
		          "%s is not allowed here: it must be %s", have, want);
		free(want);
		free(have);
	}
	const wl_node *all = k->all;
	WL_NODE_FOREACH(b, all)
	{
		validate(v, b, n, out, hops + 1);
	}
	const wl_node *any = k->any;
	if (wl_node_is(any, json_type_array) && any->n_children)
		validate_any(v, any, n, out, hops);
	const wl_node *one = k->one;
	if (wl_node_is(one, json_type_array) && one->n_children)
		validate_any(v, one, n, out, hops);

	switch ((enum json_type)n->type) {
	case json_type_object:
		validate_object(v, schema, n, out, hops);
		break;
	case json_type_array: {
		const wl_node *items = k->items;
		if (wl_node_is(items, json_type_object)) {
			WL_NODE_FOREACH(it, n)
			{
				validate(v, items, it, out, 0);
			}
		} else if (wl_node_is(items, json_type_array)) {
			const wl_node *s = wl_node_first(items);
			WL_NODE_FOREACH(it, n)
			{
				if (!s)
					break;
				validate(v, s, it, out, 0);
				s = wl_node_next(s);
			}
		}
		const wl_node *min = k->min_items;
		if (min && min->value && (int64_t)n->n_children < json_object_get_int64(min->value))
			add_issue(out, &wl_rule_schema_range, n, n->span,
			          "needs at least %lld item%s",
			          (long long)json_object_get_int64(min->value),
			          json_object_get_int64(min->value) == 1 ? "" : "s");
		break;
	}
	case json_type_string: {
		const char *str = n->str;
		const wl_node *pat = k->pattern;
		pcre2_code *code = k->pattern_code;
		if (code && pcre2_match(code, (PCRE2_SPTR)str, strlen(str), 0, 0, v->schema->md,
		                        NULL) < 0) {
			const char *human = wl_node_str(k->pattern_desc);
			if (human)
				add_issue(out, &wl_rule_schema_pattern, n, n->span,
				          "\"%s\" is not valid here: expected %s", str, human);
			else
				add_issue(out, &wl_rule_schema_pattern, n, n->span,
				          "\"%s\" does not match the pattern %s", str, pat->str);
		}
		const wl_node *min = k->min_length;
		if (min && min->value) {
			int64_t cps = 0;
			for (const char *c = str; *c; c++)
				cps += ((unsigned char)*c & 0xC0) != 0x80;
			if (cps < json_object_get_int64(min->value))
				add_issue(out, &wl_rule_schema_range, n, n->span,
				          cps ? "is too short: at least %lld characters"
				              : "must not be empty (at least %lld characters)",
				          (long long)json_object_get_int64(min->value));
		}
		break;
	}
	case json_type_int:
	case json_type_double: {
		double d = json_object_get_double(n->value);
		const wl_node *lo = k->minimum;
		const wl_node *hi = k->maximum;
		const wl_node *mul = k->multiple_of;
		if (lo && lo->value && d < json_object_get_double(lo->value))
			add_issue(out, &wl_rule_schema_range, n, n->span, "must be at least %g",
			          json_object_get_double(lo->value));
		if (hi && hi->value && d > json_object_get_double(hi->value))
			add_issue(out, &wl_rule_schema_range, n, n->span, "must be at most %g",
			          json_object_get_double(hi->value));
		if (mul && mul->value && json_object_get_double(mul->value) > 0) {
			double q = d / json_object_get_double(mul->value);
			if (fabs(q - nearbyint(q)) > 1e-9)
				add_issue(out, &wl_rule_schema_range, n, n->span,
				          "must be a multiple of %g",
				          json_object_get_double(mul->value));
		}
		break;
	}
	default:
		break;
	}
}

/* wrangler 4.86's published schema rejects valid configuration here. */
static bool
known_gap(const issue *i)
{
	if (i->rule != &wl_rule_schema_unknown_key)
		return false;
	const wl_node *m = i->at;
	const wl_node *p = m->parent; /* the object holding the key */
	if (strcmp(m->key, "transferred_classes") == 0)
		return p && p->parent && p->parent->key &&
		       strcmp(p->parent->key, "migrations") == 0;
	if (strcmp(m->key, "remote") == 0)
		return p && p->parent && p->parent->key &&
		       strcmp(p->parent->key, "bindings") == 0 && p->parent->parent &&
		       p->parent->parent->key &&
		       strcmp(p->parent->parent->key, "durable_objects") == 0;
	return false;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void
wl_schema_validate(const wl_schema_run *run, const wl_doc *doc, wl_diag_list *diags,
                   const uint32_t *skip_offsets, size_t n_skip)
{
	if (!run->schema || !doc->root)
		return;
	validator v = {run->schema, run};
	issues out = {0};
	validate(&v, run->schema->root, doc->root, &out, 0);
	for (size_t i = 0; i < out.len; i++) {
		issue *is = &out.items[i];
		/* Another rule at the key or the value of this node said it. */
		uint32_t offs[3] = {is->span.start, is->at->span.start,
		                    is->at->key ? is->at->key_span.start : is->span.start};
		bool skip = false;
		for (size_t k = 0; k < 3 && n_skip && !skip; k++)
			skip =
			    bsearch(&offs[k], skip_offsets, n_skip, sizeof(*skip_offsets), cmp_u32);
		if (!skip && !(run->known_gaps && known_gap(is))) {
			const wl_node *env = is->at;
			while (env && env->parent && env->parent->parent &&
			       !(env->parent->key && strcmp(env->parent->key, "env") == 0 &&
			         env->parent->parent == doc->root))
				env = env->parent;
			const char *env_name = env && env->parent && env->parent->key &&
			                               strcmp(env->parent->key, "env") == 0 &&
			                               env->parent->parent == doc->root
			                           ? env->key
			                           : NULL;
			wl_diag *d = run->label
			                 ? wl_diag_emit(diags, is->rule, NULL, is->span, env_name,
			                                "%s (%s)", is->message, run->label)
			                 : wl_diag_emit(diags, is->rule, NULL, is->span, env_name,
			                                "%s", is->message);
			if (!wl_diag_kept(diags, d))
				continue;
			/* A stronger severity than the rule's (a removed key), unless the
			 * project changed the rule's level. */
			if (d->severity == is->rule->severity)
				d->severity = is->severity;
			wl_diag_set_pointer(d, wl_node_pointer(is->at));
		}
	}
	issues_free(&out);
}
