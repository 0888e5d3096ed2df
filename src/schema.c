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

struct wl_schema {
	wl_doc *doc; /* the schema, parsed by our own front end */
	const wl_node *root;
	wl_strmap patterns; /* pattern text -> pcre2_code* (keys borrowed from doc) */
	pcre2_match_data *md;
};

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
		const wl_node *type = wl_node_get(b, "type");
		bool typed = !type || type_ok(type, n);
		any_type_match |= typed;
		if (!typed)
			score += 100000;
		/* A matching discriminator ("type": {"const": "durable-object"}). */
		const wl_node *props = wl_node_get(b, "properties");
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
	const wl_node *props = wl_node_get(schema, "properties");
	const wl_node *additional = wl_node_get(schema, "additionalProperties");
	const wl_node *required = wl_node_get(schema, "required");
	WL_NODE_FOREACH(req, required)
	{
		const char *k = wl_node_str(req);
		if (k && !wl_node_get(n, k))
			add_issue(out, &wl_rule_schema_required, n, where(n),
			          "missing required key \"%s\"", k);
	}
	WL_NODE_FOREACH(m, n)
	{
		const wl_node *ps = props ? wl_node_get(props, m->key) : NULL;
		if (ps) {
			const wl_node *removed = wl_node_get(ps, "x-removed");
			const wl_node *deprecated = wl_node_get(ps, "deprecated");
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
			if (props && props->n_children < 512) {
				const char **names =
				    wl_xcalloc(props->n_children + 1, sizeof(*names));
				size_t k = 0;
				WL_NODE_FOREACH(p, props)
				{
					names[k++] = p->key;
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
	const wl_node *ref = wl_node_get(schema, "$ref");
	if (wl_node_str(ref)) {
		const wl_node *target;
		if (resolve_ref(v->schema, wl_node_str(ref), &target))
			validate(v, target, n, out, hops + 1);
	}
	const wl_node *type = wl_node_get(schema, "type");
	if (type && !type_ok(type, n)) {
		char *want = type_list(type);
		add_issue(out, &wl_rule_schema_type, n, n->span, "expected %s, found %s %s", want,
		          article(node_kind(n)), node_kind(n));
		free(want);
		return; /* nothing else about it makes sense */
	}
	const wl_node *en = wl_node_get(schema, "enum");
	if (wl_node_is(en, json_type_array)) {
		bool found = false;
		WL_NODE_FOREACH(e, en)
		{
			found |= values_equal(e, n);
		}
		if (!found) {
			char *list = wl_xstrdup("");
			size_t k = 0;
			WL_NODE_FOREACH(e, en)
			{
				if (k++ == 8) {
					char *more = wl_xasprintf("%s, ...", list);
					free(list);
					list = more;
					break;
				}
				char *shown = show_value(e);
				char *more = wl_xasprintf("%s%s%s", list, k > 1 ? ", " : "", shown);
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
	const wl_node *cst = wl_node_get(schema, "const");
	if (cst && !values_equal(cst, n)) {
		char *want = show_value(cst), *have = show_value(n);
		add_issue(out, &wl_rule_schema_enum, n, n->span,
		          "%s is not allowed here: it must be %s", have, want);
		free(want);
		free(have);
	}
	const wl_node *all = wl_node_get(schema, "allOf");
	WL_NODE_FOREACH(b, all)
	{
		validate(v, b, n, out, hops + 1);
	}
	const wl_node *any = wl_node_get(schema, "anyOf");
	if (wl_node_is(any, json_type_array) && any->n_children)
		validate_any(v, any, n, out, hops);
	const wl_node *one = wl_node_get(schema, "oneOf");
	if (wl_node_is(one, json_type_array) && one->n_children)
		validate_any(v, one, n, out, hops);

	switch ((enum json_type)n->type) {
	case json_type_object:
		validate_object(v, schema, n, out, hops);
		break;
	case json_type_array: {
		const wl_node *items = wl_node_get(schema, "items");
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
		const wl_node *min = wl_node_get(schema, "minItems");
		if (min && min->value && (int64_t)n->n_children < json_object_get_int64(min->value))
			add_issue(out, &wl_rule_schema_range, n, n->span,
			          "needs at least %lld item%s",
			          (long long)json_object_get_int64(min->value),
			          json_object_get_int64(min->value) == 1 ? "" : "s");
		break;
	}
	case json_type_string: {
		const char *str = n->str;
		const wl_node *pat = wl_node_get(schema, "pattern");
		pcre2_code *code =
		    wl_node_str(pat) ? wl_strmap_get(&v->schema->patterns, pat->str) : NULL;
		if (code && pcre2_match(code, (PCRE2_SPTR)str, strlen(str), 0, 0, v->schema->md,
		                        NULL) < 0) {
			const char *human =
			    wl_node_str(wl_node_get(schema, "x-pattern-description"));
			if (human)
				add_issue(out, &wl_rule_schema_pattern, n, n->span,
				          "\"%s\" is not valid here: expected %s", str, human);
			else
				add_issue(out, &wl_rule_schema_pattern, n, n->span,
				          "\"%s\" does not match the pattern %s", str, pat->str);
		}
		const wl_node *min = wl_node_get(schema, "minLength");
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
		const wl_node *lo = wl_node_get(schema, "minimum");
		const wl_node *hi = wl_node_get(schema, "maximum");
		const wl_node *mul = wl_node_get(schema, "multipleOf");
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
		return p && p->parent && p->parent->key && strcmp(p->parent->key, "bindings") == 0;
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
			wl_diag *d =
			    run->label ? wl_diag_add(diags, is->rule, is->span, "%s (%s)",
			                             is->message, run->label)
			               : wl_diag_add(diags, is->rule, is->span, "%s", is->message);
			d->severity = is->severity;
			wl_diag_set_pointer(d, wl_node_pointer(is->at));
			const wl_node *env = is->at;
			while (env && env->parent && env->parent->parent &&
			       !(env->parent->key && strcmp(env->parent->key, "env") == 0 &&
			         env->parent->parent == doc->root))
				env = env->parent;
			if (env && env->parent && env->parent->key &&
			    strcmp(env->parent->key, "env") == 0 &&
			    env->parent->parent == doc->root)
				wl_diag_set_env(d, env->key);
		}
	}
	issues_free(&out);
}
