/* toml-test decoder for the TOML front end.
 *
 *   toml-decoder                   TOML on stdin -> toml-test tagged JSON on
 *                                  stdout; exit 1 (messages on stderr) when
 *                                  the front end reports any problem
 *   toml-decoder --compare FILE    the same, then compares the result with
 *                                  the expected tagged JSON in FILE
 *                                  semantically: integers by value, floats
 *                                  numerically (nan equals nan), offset
 *                                  date-times as instants, local ones as
 *                                  normalised text; exit 0 when equal, 3 when
 *                                  not.
 *   toml-decoder --json            TOML on stdin -> the same document as plain
 *                                  JSON (dates as strings, #:schema as
 *                                  "$schema"), to compare findings with JSON. */
#include <json-c/json.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "toml.h"

static struct json_object *
tagged(const char *type, const char *value, size_t len)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "value", json_object_new_string_len(value, (int)len));
	return o;
}

static const char *
datetime_type(const char *s)
{
	size_t n = strlen(s);
	if (n >= 3 && s[2] == ':')
		return "time-local";
	if (n == 10)
		return "date-local";
	char last = s[n - 1];
	if (last == 'Z' || last == 'z' || (n > 6 && (s[n - 6] == '+' || s[n - 6] == '-')))
		return "datetime";
	return "datetime-local";
}

static struct json_object *
encode(const wl_node *n)
{
	char buf[64];
	if (n->flags & WL_NODE_DATETIME)
		return tagged(datetime_type(n->str), n->str, strlen(n->str));
	switch ((enum json_type)n->type) {
	case json_type_object: {
		struct json_object *o = json_object_new_object();
		for (const wl_node *c = n->first_child; c; c = c->next)
			json_object_object_add(o, c->key, encode(c));
		return o;
	}
	case json_type_array: {
		struct json_object *a = json_object_new_array();
		for (const wl_node *c = n->first_child; c; c = c->next)
			json_object_array_add(a, encode(c));
		return a;
	}
	case json_type_string:
		return tagged("string", json_object_get_string(n->value),
		              (size_t)json_object_get_string_len(n->value));
	case json_type_int:
		snprintf(buf, sizeof(buf), "%lld", (long long)json_object_get_int64(n->value));
		return tagged("integer", buf, strlen(buf));
	case json_type_double: {
		double d = json_object_get_double(n->value);
		if (isnan(d))
			snprintf(buf, sizeof(buf), "nan");
		else if (isinf(d))
			snprintf(buf, sizeof(buf), "%sinf", d < 0 ? "-" : "+");
		else
			snprintf(buf, sizeof(buf), "%.17g", d);
		return tagged("float", buf, strlen(buf));
	}
	case json_type_boolean:
		return tagged("bool", json_object_get_boolean(n->value) ? "true" : "false",
		              json_object_get_boolean(n->value) ? 4 : 5);
	case json_type_null:
		break;
	}
	return tagged("invalid", "", 0);
}

static struct json_object *
plain(const wl_node *n)
{
	if (n->flags & WL_NODE_DATETIME)
		return json_object_new_string(n->str);
	if (n->type == json_type_object) {
		struct json_object *o = json_object_new_object();
		for (const wl_node *c = n->first_child; c; c = c->next)
			json_object_object_add(o, c->key, plain(c));
		return o;
	}
	if (n->type == json_type_array) {
		struct json_object *a = json_object_new_array();
		for (const wl_node *c = n->first_child; c; c = c->next)
			json_object_array_add(a, plain(c));
		return a;
	}
	return json_object_get(n->value);
}

/* ---- semantic comparison ---- */

static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* Normalises a date/time: 'T' separator, fraction without trailing zeros,
 * and for offset date-times the UTC instant. */
static void
normalise_datetime(const char *type, const char *in, char *out, size_t cap)
{
	char s[128];
	size_t n = strlen(in);
	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (i == 10 && (c == ' ' || c == 't'))
			c = 'T';
		if (c == 'z')
			c = 'Z';
		s[i] = c;
	}
	s[n] = '\0';
	/* Split off the fraction and the offset. */
	char *frac = strchr(s, '.');
	char fr[64] = "";
	char *rest = NULL;
	if (frac) {
		size_t k = 1;
		while (frac[k] >= '0' && frac[k] <= '9')
			k++;
		snprintf(fr, sizeof(fr), "%.*s", (int)(k - 1), frac + 1);
		rest = frac + k;
		*frac = '\0';
		size_t fl = strlen(fr);
		while (fl && fr[fl - 1] == '0')
			fr[--fl] = '\0';
	}
	if (strcmp(type, "datetime") != 0) {
		snprintf(out, cap, "%s.%s%s", s, fr, rest ? rest : "");
		return;
	}
	const char *off = rest;
	if (!off) {
		off = s + 19;
	}
	long long y = atoll(s);
	unsigned mo = (unsigned)atoi(s + 5), d = (unsigned)atoi(s + 8);
	long long secs = days_from_civil(y, mo, d) * 86400 + atoi(s + 11) * 3600LL +
	                 atoi(s + 14) * 60LL + atoi(s + 17);
	if (*off == '+' || *off == '-') {
		long long o = atoi(off + 1) * 3600LL + atoi(off + 4) * 60LL;
		secs -= *off == '+' ? o : -o;
	}
	snprintf(out, cap, "%lld.%s", secs, fr);
}

static bool equal(struct json_object *a, struct json_object *b);

static bool
equal_scalar(struct json_object *a, struct json_object *b)
{
	const char *ta = json_object_get_string(json_object_object_get(a, "type"));
	const char *tb = json_object_get_string(json_object_object_get(b, "type"));
	struct json_object *va = json_object_object_get(a, "value");
	struct json_object *vb = json_object_object_get(b, "value");
	if (!ta || !tb || strcmp(ta, tb) != 0 || !va || !vb)
		return false;
	const char *sa = json_object_get_string(va), *sb = json_object_get_string(vb);
	if (strcmp(ta, "integer") == 0)
		return strtoll(sa, NULL, 10) == strtoll(sb, NULL, 10);
	if (strcmp(ta, "float") == 0) {
		double x = strtod(sa, NULL), y = strtod(sb, NULL);
		return (isnan(x) && isnan(y)) || x == y;
	}
	if (strncmp(ta, "date", 4) == 0 || strcmp(ta, "time-local") == 0) {
		char na[160], nb[160];
		normalise_datetime(ta, sa, na, sizeof(na));
		normalise_datetime(ta, sb, nb, sizeof(nb));
		return strcmp(na, nb) == 0;
	}
	int la = json_object_get_string_len(va), lb = json_object_get_string_len(vb);
	return la == lb && memcmp(sa, sb, (size_t)la) == 0;
}

static bool
is_tagged(struct json_object *o)
{
	return json_object_is_type(o, json_type_object) && json_object_object_length(o) == 2 &&
	       json_object_object_get_ex(o, "type", NULL) &&
	       json_object_object_get_ex(o, "value", NULL) &&
	       json_object_is_type(json_object_object_get(o, "type"), json_type_string);
}

static bool
equal(struct json_object *a, struct json_object *b)
{
	if (json_object_get_type(a) != json_object_get_type(b))
		return false;
	if (json_object_is_type(a, json_type_array)) {
		size_t n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!equal(json_object_array_get_idx(a, i),
			           json_object_array_get_idx(b, i)))
				return false;
		return true;
	}
	if (!json_object_is_type(a, json_type_object))
		return false;
	if (is_tagged(a) && is_tagged(b))
		return equal_scalar(a, b);
	if (json_object_object_length(a) != json_object_object_length(b))
		return false;
	json_object_object_foreach(a, k, va)
	{
		struct json_object *vb;
		if (!json_object_object_get_ex(b, k, &vb) || !equal(va, vb))
			return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	const char *expected = argc == 3 && strcmp(argv[1], "--compare") == 0 ? argv[2] : NULL;
	bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc != 1 && !expected && !as_json) {
		fprintf(stderr, "usage: toml-decoder [--compare EXPECTED.json] < FILE.toml\n");
		return 2;
	}
	size_t cap = 1 << 16, len = 0, r;
	char *buf = wl_xmalloc(cap + 1);
	while ((r = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += r;
		if (len == cap)
			buf = wl_xrealloc(buf, (cap *= 2) + 1);
	}
	buf[len] = '\0';
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc = wl_toml_parse(wl_source_adopt("stdin.toml", buf, len), &diags);
	int status = 0;
	if (diags.len) {
		for (size_t i = 0; i < diags.len; i++) {
			wl_position pos = wl_source_position(doc->src, diags.items[i].span.start);
			fprintf(stderr, "%u:%u: %s [%s]\n", pos.line, pos.column,
			        diags.items[i].message, diags.items[i].rule->id);
		}
		status = 1;
	} else if (as_json) {
		struct json_object *out = json_object_new_object();
		if (doc->toml->schema)
			json_object_object_add(out, "$schema",
			                       json_object_new_string(doc->toml->schema->str));
		for (const wl_node *c = doc->root->first_child; c; c = c->next)
			json_object_object_add(out, c->key, plain(c));
		puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
		                                             JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(out);
	} else {
		struct json_object *out = encode(doc->root);
		if (expected) {
			struct json_object *want = json_object_from_file(expected);
			if (!want) {
				fprintf(stderr, "%s: cannot read\n", expected);
				status = 2;
			} else if (!equal(out, want)) {
				fprintf(
				    stderr, "got: %s\n",
				    json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
				status = 3;
			}
			json_object_put(want);
		} else {
			puts(json_object_to_json_string_ext(
			    out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		}
		json_object_put(out);
	}
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	return status;
}
