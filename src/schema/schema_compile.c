/* json-c tree -> wl_stables. Shared by the library (user schemas) and the
 * build tool (the built-in schema), so it uses nothing but json-c and
 * xalloc.c. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "schema_impl.h"
#include "xalloc.h"

typedef struct ptr_slot {
	const void *key;
	uint32_t value;
} ptr_slot;

typedef struct builder {
	struct json_object *root;
	wl_arena *arena;
	wl_snode *nodes;
	size_t n_nodes, cap_nodes;
	wl_sval *values;
	size_t n_values, cap_values;
	wl_sprop *props;
	size_t n_props, cap_props;
	wl_spprop *pprops;
	size_t n_pprops, cap_pprops;
	wl_sdep *deps;
	size_t n_deps, cap_deps;
	uint32_t *lists;
	size_t n_lists, cap_lists;
	const char **strs;
	size_t n_strs, cap_strs;
	const char **patterns;
	size_t n_patterns, cap_patterns;
	wl_snotes *notes;
	size_t n_notes, cap_notes;
	ptr_slot *seen; /* schema json object -> node index, so $ref cycles close */
	size_t n_seen, cap_seen;
	const char *newest_since;
	char *error;
} builder;

static size_t
ptr_hash(const void *p, size_t cap)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

static uint32_t *
seen_slot(builder *b, const void *key)
{
	if (!b->cap_seen)
		return NULL;
	for (size_t i = ptr_hash(key, b->cap_seen);; i = (i + 1) & (b->cap_seen - 1)) {
		if (b->seen[i].key == key)
			return &b->seen[i].value;
		if (!b->seen[i].key)
			return NULL;
	}
}

static void
seen_put(builder *b, const void *key, uint32_t value)
{
	if ((b->n_seen + 1) * 2 > b->cap_seen) {
		size_t old_cap = b->cap_seen;
		ptr_slot *old = b->seen;
		b->cap_seen = old_cap ? old_cap * 2 : 64;
		b->seen = wl_xcalloc(b->cap_seen, sizeof(*b->seen));
		b->n_seen = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				seen_put(b, old[i].key, old[i].value);
		free(old);
	}
	size_t i = ptr_hash(key, b->cap_seen);
	while (b->seen[i].key)
		i = (i + 1) & (b->cap_seen - 1);
	b->seen[i].key = key;
	b->seen[i].value = value;
	b->n_seen++;
}

static const char *
str_copy(builder *b, const char *s)
{
	return wl_arena_strdup(b->arena, s);
}

static uint32_t
add_str(builder *b, const char *s)
{
	wl_xgrow((void **)&b->strs, &b->cap_strs, b->n_strs + 1, sizeof(*b->strs));
	b->strs[b->n_strs] = str_copy(b, s);
	return (uint32_t)b->n_strs++;
}

static uint32_t
add_pattern(builder *b, const char *s)
{
	for (size_t i = 0; i < b->n_patterns; i++)
		if (strcmp(b->patterns[i], s) == 0)
			return (uint32_t)i;
	wl_xgrow((void **)&b->patterns, &b->cap_patterns, b->n_patterns + 1, sizeof(*b->patterns));
	b->patterns[b->n_patterns] = str_copy(b, s);
	return (uint32_t)b->n_patterns++;
}

static void
fill_value(builder *b, struct json_object *o, wl_sval *v)
{
	memset(v, 0, sizeof(*v));
	switch (json_object_get_type(o)) {
	case json_type_null:
		v->kind = WL_SV_NULL;
		break;
	case json_type_boolean:
		v->kind = json_object_get_boolean(o) ? WL_SV_TRUE : WL_SV_FALSE;
		break;
	case json_type_int:
		v->kind = WL_SV_NUMBER;
		v->integer = 1;
		v->num = json_object_get_double(o);
		break;
	case json_type_double:
		v->kind = WL_SV_NUMBER;
		v->num = json_object_get_double(o);
		break;
	case json_type_string:
		v->kind = WL_SV_STRING;
		v->str = str_copy(b, json_object_get_string(o));
		break;
	case json_type_array: {
		v->kind = WL_SV_ARRAY;
		size_t n = json_object_array_length(o);
		wl_sval *tmp = wl_xcalloc(n ? n : 1, sizeof(*tmp));
		for (size_t i = 0; i < n; i++)
			fill_value(b, json_object_array_get_idx(o, i), &tmp[i]);
		wl_xgrow((void **)&b->values, &b->cap_values, b->n_values + n, sizeof(*b->values));
		if (n)
			memcpy(b->values + b->n_values, tmp, n * sizeof(*tmp));
		v->first = (uint32_t)b->n_values;
		v->n = (uint32_t)n;
		b->n_values += n;
		free(tmp);
		break;
	}
	case json_type_object: {
		v->kind = WL_SV_OBJECT;
		size_t n = (size_t)json_object_object_length(o), i = 0;
		wl_sval *tmp = wl_xcalloc(n ? n : 1, sizeof(*tmp));
		json_object_object_foreach(o, key, val)
		{
			fill_value(b, val, &tmp[i]);
			tmp[i++].key = str_copy(b, key);
		}
		wl_xgrow((void **)&b->values, &b->cap_values, b->n_values + i, sizeof(*b->values));
		if (i)
			memcpy(b->values + b->n_values, tmp, i * sizeof(*tmp));
		v->first = (uint32_t)b->n_values;
		v->n = (uint32_t)i;
		b->n_values += i;
		free(tmp);
		break;
	}
	}
}

static uint32_t
add_value(builder *b, struct json_object *o)
{
	wl_sval v;
	fill_value(b, o, &v);
	wl_xgrow((void **)&b->values, &b->cap_values, b->n_values + 1, sizeof(*b->values));
	b->values[b->n_values] = v;
	return (uint32_t)b->n_values++;
}

/* A JSON pointer fragment ("#/definitions/A~1B", percent-encoded or not). */
static struct json_object *
resolve(builder *b, const char *ref, bool *ok)
{
	*ok = false;
	if (ref[0] != '#')
		return NULL;
	struct json_object *cur = b->root;
	const char *p = ref + 1;
	while (*p) {
		if (*p != '/')
			return NULL;
		p++;
		size_t len = strcspn(p, "/");
		char *seg = wl_xmalloc(len + 1);
		size_t k = 0;
		for (size_t i = 0; i < len; i++) {
			char c = p[i];
			if (c == '%' && i + 2 < len) {
				char hex[3] = {p[i + 1], p[i + 2], 0};
				char *end;
				long x = strtol(hex, &end, 16);
				if (*end == '\0' && x > 0) {
					c = (char)x;
					i += 2;
				}
			}
			seg[k++] = c;
		}
		seg[k] = '\0';
		/* ~1 then ~0, per RFC 6901, after percent-decoding. */
		size_t w = 0;
		for (size_t i = 0; i < k; i++) {
			if (seg[i] == '~' && (seg[i + 1] == '0' || seg[i + 1] == '1')) {
				seg[w++] = seg[i + 1] == '0' ? '~' : '/';
				i++;
			} else {
				seg[w++] = seg[i];
			}
		}
		seg[w] = '\0';
		struct json_object *next = NULL;
		if (json_object_is_type(cur, json_type_object)) {
			if (!json_object_object_get_ex(cur, seg, &next)) {
				free(seg);
				return NULL;
			}
		} else if (json_object_is_type(cur, json_type_array)) {
			char *end;
			unsigned long idx = strtoul(seg, &end, 10);
			if (!*seg || *end || idx >= json_object_array_length(cur)) {
				free(seg);
				return NULL;
			}
			next = json_object_array_get_idx(cur, idx);
		} else {
			free(seg);
			return NULL;
		}
		free(seg);
		cur = next;
		p += len;
	}
	*ok = true;
	return cur;
}

static uint32_t compile(builder *b, struct json_object *o);

static uint32_t
new_node(builder *b, uint8_t kind)
{
	wl_xgrow((void **)&b->nodes, &b->cap_nodes, b->n_nodes + 1, sizeof(*b->nodes));
	wl_snode *n = &b->nodes[b->n_nodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->ref = n->additional = n->items = n->additional_items = n->not_ = n->contains =
	    n->property_names = n->if_ = n->then_ = n->else_ = WL_SNONE;
	n->en = n->cst = n->pattern = WL_SNONE;
	n->deprecated_values = n->since_values = n->notes = WL_SNONE;
	n->min_items = n->max_items = n->min_length = n->max_length = n->min_props = n->max_props =
	    -1;
	return (uint32_t)b->n_nodes++;
}

static uint32_t
compile_list(builder *b, struct json_object *arr, uint32_t *n_out)
{
	size_t n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	uint32_t *tmp = wl_xcalloc(n ? n : 1, sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		tmp[i] = compile(b, json_object_array_get_idx(arr, i));
	wl_xgrow((void **)&b->lists, &b->cap_lists, b->n_lists + n, sizeof(*b->lists));
	if (n)
		memcpy(b->lists + b->n_lists, tmp, n * sizeof(*tmp));
	free(tmp);
	*n_out = (uint32_t)n;
	uint32_t first = (uint32_t)b->n_lists;
	b->n_lists += n;
	return first;
}

static uint32_t
string_list(builder *b, struct json_object *arr, uint32_t *n_out)
{
	uint32_t first = (uint32_t)b->n_strs, n = 0;
	if (json_object_is_type(arr, json_type_array))
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			struct json_object *s = json_object_array_get_idx(arr, i);
			if (json_object_is_type(s, json_type_string)) {
				add_str(b, json_object_get_string(s));
				n++;
			}
		}
	*n_out = n;
	return first;
}

static unsigned
type_bit(const char *name)
{
	static const char *const names[] = {"object", "array",   "string", "integer",
	                                    "number", "boolean", "null"};
	for (unsigned i = 0; i < 7; i++)
		if (strcmp(name, names[i]) == 0)
			return 1u << i;
	return 0;
}

static bool
is_number(struct json_object *o)
{
	return json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double);
}

static int64_t
count_of(struct json_object *o)
{
	if (!is_number(o))
		return -1;
	double d = json_object_get_double(o);
	return d < 0 ? 0 : d > 9e18 ? INT64_MAX : (int64_t)d;
}

typedef struct sort_ent {
	const char *name;
	uint32_t index;
} sort_ent;

static int
sort_cmp(const void *x, const void *y)
{
	const sort_ent *a = x, *c = y;
	int r = strcmp(a->name, c->name);
	return r ? r : (a->index > c->index) - (a->index < c->index);
}

static uint32_t
compile(builder *b, struct json_object *o)
{
	if (json_object_is_type(o, json_type_boolean))
		return new_node(b, json_object_get_boolean(o) ? WL_SN_TRUE : WL_SN_FALSE);
	if (!json_object_is_type(o, json_type_object))
		return new_node(b, WL_SN_TRUE); /* not a schema: constrains nothing */
	uint32_t *known = seen_slot(b, o);
	if (known)
		return *known;
	uint32_t idx = new_node(b, WL_SN_OBJECT);
	seen_put(b, o, idx);
	wl_snode n = b->nodes[idx];
	wl_snotes notes = {0};
	struct json_object *v;
	if (json_object_object_get_ex(o, "$ref", &v) && json_object_is_type(v, json_type_string)) {
		bool ok;
		struct json_object *target = resolve(b, json_object_get_string(v), &ok);
		if (!ok) {
			if (!b->error)
				b->error = wl_xasprintf("$ref \"%s\" does not resolve",
				                        json_object_get_string(v));
		} else {
			n.ref = compile(b, target);
		}
	}
	json_object_object_foreach(o, key, val)
	{
		if (strcmp(key, "type") == 0) {
			n.flags |= WL_SF_TYPE;
			if (json_object_is_type(val, json_type_string)) {
				n.type_mask |= (uint8_t)type_bit(json_object_get_string(val));
				n.types = add_str(b, json_object_get_string(val));
				n.n_types = 1;
			} else {
				n.types = string_list(b, val, &n.n_types);
				for (uint32_t i = 0; i < n.n_types; i++)
					n.type_mask |= (uint8_t)type_bit(b->strs[n.types + i]);
			}
			if (n.type_mask & WL_ST_NUMBER)
				n.type_mask |= WL_ST_INTEGER; /* "number" admits integers */
		} else if (strcmp(key, "enum") == 0 && json_object_is_type(val, json_type_array)) {
			n.en = add_value(b, val);
		} else if (strcmp(key, "const") == 0) {
			n.cst = add_value(b, val);
		} else if (strcmp(key, "allOf") == 0) {
			n.all = compile_list(b, val, &n.n_all);
		} else if (strcmp(key, "anyOf") == 0) {
			n.any = compile_list(b, val, &n.n_any);
		} else if (strcmp(key, "oneOf") == 0) {
			n.one = compile_list(b, val, &n.n_one);
		} else if (strcmp(key, "not") == 0) {
			n.not_ = compile(b, val);
		} else if (strcmp(key, "if") == 0) {
			n.if_ = compile(b, val);
		} else if (strcmp(key, "then") == 0) {
			n.then_ = compile(b, val);
		} else if (strcmp(key, "else") == 0) {
			n.else_ = compile(b, val);
		} else if (strcmp(key, "properties") == 0 &&
		           json_object_is_type(val, json_type_object)) {
			size_t cnt = (size_t)json_object_object_length(val), i = 0;
			wl_sprop *tmp = wl_xcalloc(cnt ? cnt : 1, sizeof(*tmp));
			json_object_object_foreach(val, pk, pv)
			{
				tmp[i].name = str_copy(b, pk);
				tmp[i++].node = compile(b, pv);
			}
			wl_xgrow((void **)&b->props, &b->cap_props, b->n_props + i,
			         sizeof(*b->props));
			if (i)
				memcpy(b->props + b->n_props, tmp, i * sizeof(*tmp));
			n.props = (uint32_t)b->n_props;
			n.n_props = (uint32_t)i;
			b->n_props += i;
			sort_ent *order = wl_xcalloc(i ? i : 1, sizeof(*order));
			for (size_t k = 0; k < i; k++)
				order[k] = (sort_ent){tmp[k].name, (uint32_t)k};
			qsort(order, i, sizeof(*order), sort_cmp);
			wl_xgrow((void **)&b->lists, &b->cap_lists, b->n_lists + i,
			         sizeof(*b->lists));
			n.props_sorted = (uint32_t)b->n_lists;
			for (size_t k = 0; k < i; k++)
				b->lists[b->n_lists++] = order[k].index;
			free(order);
			free(tmp);
		} else if (strcmp(key, "patternProperties") == 0 &&
		           json_object_is_type(val, json_type_object)) {
			size_t cnt = (size_t)json_object_object_length(val), i = 0;
			wl_spprop *tmp = wl_xcalloc(cnt ? cnt : 1, sizeof(*tmp));
			json_object_object_foreach(val, pk, pv)
			{
				tmp[i].pattern = add_pattern(b, pk);
				tmp[i++].node = compile(b, pv);
			}
			wl_xgrow((void **)&b->pprops, &b->cap_pprops, b->n_pprops + i,
			         sizeof(*b->pprops));
			if (i)
				memcpy(b->pprops + b->n_pprops, tmp, i * sizeof(*tmp));
			n.pprops = (uint32_t)b->n_pprops;
			n.n_pprops = (uint32_t)i;
			b->n_pprops += i;
			free(tmp);
		} else if (strcmp(key, "dependencies") == 0 &&
		           json_object_is_type(val, json_type_object)) {
			size_t cnt = (size_t)json_object_object_length(val), i = 0;
			wl_sdep *tmp = wl_xcalloc(cnt ? cnt : 1, sizeof(*tmp));
			json_object_object_foreach(val, dk, dv)
			{
				tmp[i].name = str_copy(b, dk);
				tmp[i].node = WL_SNONE;
				if (json_object_is_type(dv, json_type_array))
					tmp[i].required = string_list(b, dv, &tmp[i].n_required);
				else
					tmp[i].node = compile(b, dv);
				i++;
			}
			wl_xgrow((void **)&b->deps, &b->cap_deps, b->n_deps + i, sizeof(*b->deps));
			if (i)
				memcpy(b->deps + b->n_deps, tmp, i * sizeof(*tmp));
			n.deps = (uint32_t)b->n_deps;
			n.n_deps = (uint32_t)i;
			b->n_deps += i;
			free(tmp);
		} else if (strcmp(key, "additionalProperties") == 0) {
			n.additional = compile(b, val);
		} else if (strcmp(key, "propertyNames") == 0) {
			n.property_names = compile(b, val);
		} else if (strcmp(key, "required") == 0) {
			n.required = string_list(b, val, &n.n_required);
		} else if (strcmp(key, "items") == 0) {
			if (json_object_is_type(val, json_type_array))
				n.tuple = compile_list(b, val, &n.n_tuple);
			else
				n.items = compile(b, val);
		} else if (strcmp(key, "additionalItems") == 0) {
			n.additional_items = compile(b, val);
		} else if (strcmp(key, "contains") == 0) {
			n.contains = compile(b, val);
		} else if (strcmp(key, "uniqueItems") == 0) {
			if (json_object_get_boolean(val))
				n.flags |= WL_SF_UNIQUE;
		} else if (strcmp(key, "minItems") == 0) {
			n.min_items = count_of(val);
		} else if (strcmp(key, "maxItems") == 0) {
			n.max_items = count_of(val);
		} else if (strcmp(key, "minLength") == 0) {
			n.min_length = count_of(val);
		} else if (strcmp(key, "maxLength") == 0) {
			n.max_length = count_of(val);
		} else if (strcmp(key, "minProperties") == 0) {
			n.min_props = count_of(val);
		} else if (strcmp(key, "maxProperties") == 0) {
			n.max_props = count_of(val);
		} else if (is_number(val) && strcmp(key, "minimum") == 0) {
			n.flags |= WL_SF_MINIMUM;
			n.minimum = json_object_get_double(val);
		} else if (is_number(val) && strcmp(key, "maximum") == 0) {
			n.flags |= WL_SF_MAXIMUM;
			n.maximum = json_object_get_double(val);
		} else if (is_number(val) && strcmp(key, "exclusiveMinimum") == 0) {
			n.flags |= WL_SF_XMINIMUM;
			n.xminimum = json_object_get_double(val);
		} else if (is_number(val) && strcmp(key, "exclusiveMaximum") == 0) {
			n.flags |= WL_SF_XMAXIMUM;
			n.xmaximum = json_object_get_double(val);
		} else if (is_number(val) && strcmp(key, "multipleOf") == 0 &&
		           json_object_get_double(val) > 0) {
			n.flags |= WL_SF_MULTIPLE;
			n.multiple_of = json_object_get_double(val);
		} else if (strcmp(key, "pattern") == 0 &&
		           json_object_is_type(val, json_type_string)) {
			n.pattern = add_pattern(b, json_object_get_string(val));
		} else if (strcmp(key, "x-pattern-description") == 0 &&
		           json_object_is_type(val, json_type_string)) {
			notes.pattern_desc = str_copy(b, json_object_get_string(val));
		} else if (strcmp(key, "deprecated") == 0) {
			if (json_object_is_type(val, json_type_string)) {
				n.flags |= WL_SF_DEPRECATED;
				notes.deprecated = str_copy(b, json_object_get_string(val));
			} else if (json_object_is_type(val, json_type_boolean) &&
			           json_object_get_boolean(val)) {
				n.flags |= WL_SF_DEPRECATED;
			}
		} else if (strcmp(key, "x-removed") == 0) {
			notes.removed = str_copy(b, json_object_is_type(val, json_type_string)
			                                ? json_object_get_string(val)
			                                : "");
		} else if (strcmp(key, "x-deprecated-since") == 0 &&
		           json_object_is_type(val, json_type_string)) {
			notes.deprecated_since = str_copy(b, json_object_get_string(val));
		} else if (strcmp(key, "x-deprecated-values") == 0 &&
		           json_object_is_type(val, json_type_object)) {
			n.deprecated_values = add_value(b, val);
		} else if (strcmp(key, "x-since-values") == 0 &&
		           json_object_is_type(val, json_type_object)) {
			n.since_values = add_value(b, val);
			/* Only the string versions count; the rest is ignored when
			 * validating too. */
			const wl_sval *sv = &b->values[n.since_values];
			for (uint32_t i = 0; i < sv->n; i++) {
				const wl_sval *m = &b->values[sv->first + i];
				if (m->kind == WL_SV_STRING &&
				    (!b->newest_since ||
				     wl_version_cmp(m->str, b->newest_since) > 0))
					b->newest_since = m->str;
			}
		} else if (strcmp(key, "x-since") == 0 &&
		           json_object_is_type(val, json_type_string)) {
			notes.since = str_copy(b, json_object_get_string(val));
			if (!b->newest_since || wl_version_cmp(notes.since, b->newest_since) > 0)
				b->newest_since = notes.since;
		} else if (strcmp(key, "x-wrangler-version") == 0 &&
		           json_object_is_type(val, json_type_string)) {
			/* The release the whole schema was checked against: it knows
			 * that release's keys even where none is newer than 4.160. */
			const char *release = str_copy(b, json_object_get_string(val));
			if (!b->newest_since || wl_version_cmp(release, b->newest_since) > 0)
				b->newest_since = release;
		}
	}
	if (notes.pattern_desc || notes.deprecated || notes.removed || notes.since ||
	    notes.deprecated_since) {
		wl_xgrow((void **)&b->notes, &b->cap_notes, b->n_notes + 1, sizeof(*b->notes));
		b->notes[b->n_notes] = notes;
		n.notes = (uint32_t)b->n_notes++;
	}
	b->nodes[idx] = n;
	return idx;
}

bool
wl_stables_build(struct json_object *root, wl_stables *out, char **error)
{
	builder b = {0};
	b.root = root;
	b.arena = wl_xcalloc(1, sizeof(*b.arena));
	compile(&b, root);
	free(b.seen);
	memset(out, 0, sizeof(*out));
	out->nodes = b.nodes;
	out->n_nodes = (uint32_t)b.n_nodes;
	out->values = b.values;
	out->n_values = (uint32_t)b.n_values;
	out->props = b.props;
	out->n_props = (uint32_t)b.n_props;
	out->pprops = b.pprops;
	out->n_pprops = (uint32_t)b.n_pprops;
	out->deps = b.deps;
	out->n_deps = (uint32_t)b.n_deps;
	out->lists = b.lists;
	out->n_lists = (uint32_t)b.n_lists;
	out->strs = b.strs;
	out->n_strs = (uint32_t)b.n_strs;
	out->patterns = b.patterns;
	out->n_patterns = (uint32_t)b.n_patterns;
	out->notes = b.notes;
	out->n_notes = (uint32_t)b.n_notes;
	out->newest_since = b.newest_since;
	out->heap = b.arena;
	if (b.error) {
		*error = b.error;
		wl_stables_free(out);
		return false;
	}
	return true;
}

void
wl_stables_free(wl_stables *t)
{
	if (!t->heap)
		return;
	free((void *)(uintptr_t)t->nodes);
	free((void *)(uintptr_t)t->values);
	free((void *)(uintptr_t)t->props);
	free((void *)(uintptr_t)t->pprops);
	free((void *)(uintptr_t)t->deps);
	free((void *)(uintptr_t)t->lists);
	free((void *)(uintptr_t)t->strs);
	free((void *)(uintptr_t)t->patterns);
	free((void *)(uintptr_t)t->notes);
	wl_arena_free(t->heap);
	free(t->heap);
	memset(t, 0, sizeof(*t));
}

int
wl_version_cmp(const char *a, const char *b)
{
	for (int part = 0; part < 4; part++) {
		unsigned long x = 0, y = 0;
		while (*a >= '0' && *a <= '9')
			x = x * 10 + (unsigned long)(*a++ - '0');
		while (*b >= '0' && *b <= '9')
			y = y * 10 + (unsigned long)(*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
		while (*a && *a != '.')
			a++;
		while (*b && *b != '.')
			b++;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}
