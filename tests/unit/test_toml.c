/* The TOML front end: the wl_doc it builds (spans, source order, kinds),
 * the side structure for the TOML rules, comments, and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toml.h"

typedef struct parsed {
	wl_doc *doc;
	wl_diag_list diags;
} parsed;

static parsed
parse(const char *text)
{
	parsed p;
	wl_diag_list_init(&p.diags);
	p.doc = wl_toml_parse(wl_source_new("t.toml", text, strlen(text)), &p.diags);
	wl_diag_list_sort(&p.diags);
	return p;
}

static void
done(parsed *p)
{
	wl_diag_list_free(&p->diags);
	wl_doc_free(p->doc);
}

/* The text of a span. */
static char *
text_of(const parsed *p, wl_span s)
{
	return wl_xstrndup(p->doc->src->bytes + s.start, s.end - s.start);
}

static void
assert_span_text(const parsed *p, wl_span s, const char *want)
{
	char *got = text_of(p, s);
	assert_string_equal(got, want);
	free(got);
}

static void
test_spans_and_order(void **state)
{
	(void)state;
	parsed p = parse("name = \"app\"\n"
	                 "a.b.c = 1\n"
	                 "[env.prod]\n"
	                 "x = [1, 2]\n"
	                 "[[env.prod.routes]]\n"
	                 "pattern = 'p'\n");
	assert_int_equal(p.diags.len, 0);
	const wl_node *root = p.doc->root;
	const wl_node *name = wl_node_get(root, "name");
	assert_span_text(&p, name->key_span, "name");
	assert_span_text(&p, name->span, "\"app\"");
	assert_string_equal(wl_node_str(name), "app");
	/* a table made by a dotted key has the key segment's span */
	const wl_node *a = wl_node_get(root, "a");
	assert_span_text(&p, a->span, "a");
	const wl_node *c = wl_node_get(wl_node_get(a, "b"), "c");
	assert_span_text(&p, c->key_span, "c");
	assert_int_equal(json_object_get_int(c->value), 1);
	/* header tables: the header's span; prefixes made by a header too */
	const wl_node *env = wl_node_get(root, "env");
	const wl_node *prod = wl_node_get(env, "prod");
	assert_span_text(&p, prod->span, "[env.prod]");
	assert_span_text(&p, prod->key_span, "prod");
	const wl_node *x = wl_node_get(prod, "x");
	assert_span_text(&p, x->span, "[1, 2]");
	assert_span_text(&p, x->first_child->next->span, "2");
	const wl_node *routes = wl_node_get(prod, "routes");
	assert_true(wl_node_is(routes, json_type_array));
	assert_span_text(&p, routes->first_child->span, "[[env.prod.routes]]");
	char *ptr = wl_node_pointer(wl_node_get(routes->first_child, "pattern"), &p.doc->arena);
	assert_string_equal(ptr, "/env/prod/routes/0/pattern");
	/* children in source order */
	assert_string_equal(root->first_child->key, "name");
	assert_string_equal(root->first_child->next->key, "a");
	assert_string_equal(root->first_child->next->next->key, "env");
	done(&p);
}

static void
test_datetime_kind(void **state)
{
	(void)state;
	parsed p = parse("d = 2024-01-01\nt = 07:32:00\ndt = 1979-05-27 07:32:00Z\n");
	assert_int_equal(p.diags.len, 0);
	const wl_node *d = wl_node_get(p.doc->root, "d");
	assert_true(d->flags & WL_NODE_DATETIME);
	assert_null(wl_node_str(d)); /* never a plain string */
	assert_string_equal(d->str, "2024-01-01");
	assert_string_equal(wl_node_type_name(d), "TOML date");
	assert_string_equal(wl_node_get(p.doc->root, "dt")->str, "1979-05-27 07:32:00Z");
	done(&p);
}

static void
test_info_and_comments(void **state)
{
	(void)state;
	parsed p = parse("#:schema ./s.json\n"
	                 "name = \"a\" # trailing\n"
	                 "[vars]\n"
	                 "  K = \"v\"\n"
	                 "  [[durable_objects.bindings]]\n");
	const wl_toml_info *t = p.doc->toml;
	assert_non_null(t);
	assert_int_equal(p.doc->n_comments, 2);
	assert_span_text(&p, p.doc->comments[1], "# trailing");
	assert_non_null(t->schema);
	assert_string_equal(t->schema->str, "./s.json");
	char *ptr = wl_node_pointer(t->schema, &p.doc->arena);
	assert_string_equal(ptr, "/$schema");
	assert_int_equal(t->n_headers, 2);
	assert_false(t->headers->array);
	assert_false(t->headers->indented);
	assert_true(t->headers->next->array);
	assert_true(t->headers->next->indented);
	assert_int_equal(t->headers->next->n_segs, 2);
	assert_string_equal(t->headers->next->segs[1], "bindings");
	assert_int_equal(t->n_keys, 2);
	assert_null(t->keys->header);
	assert_ptr_equal(t->keys->next->header, t->headers);
	assert_string_equal(t->keys->next->node->key, "K");
	done(&p);
}

static void
test_conflicts_have_related(void **state)
{
	(void)state;
	parsed p = parse("[a]\nx = 1\n[a]\ny.z = 1\ny = 2\n");
	assert_int_equal(p.diags.len, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(p.diags.items[i].rule->id, "toml-syntax");
		assert_int_equal(p.diags.items[i].n_related, 1);
	}
	assert_span_text(&p, p.diags.items[0].span, "[a]");
	assert_span_text(&p, p.diags.items[0].related[0].span, "a");
	done(&p);
}

static void
test_wrangler_strictness(void **state)
{
	(void)state;
	parsed p = parse("big = 9007199254740992\nok = 9007199254740991\nt = { a = 1,\n b = 2 }\n");
	assert_int_equal(p.diags.len, 2);
	assert_true(strstr(p.diags.items[0].message, "2^53") != NULL);
	assert_true(strstr(p.diags.items[1].message, "newline inside an inline table") != NULL);
	assert_int_equal(json_object_get_int64(wl_node_get(p.doc->root, "ok")->value),
	                 9007199254740991LL);
	/* read on as TOML 1.1 would: b belongs to t */
	assert_non_null(wl_node_get(wl_node_get(p.doc->root, "t"), "b"));
	done(&p);
}

static void
test_recovery_at_next_line(void **state)
{
	(void)state;
	parsed p = parse("flags = [\"a\",\n  \"b\"\nmain = \"x\"\n[vars]\nK = 1\n");
	assert_int_equal(p.diags.len, 1);
	assert_true(strstr(p.diags.items[0].message, "unterminated array") != NULL);
	assert_non_null(wl_node_get(p.doc->root, "main"));
	assert_non_null(wl_node_get(wl_node_get(p.doc->root, "vars"), "K"));
	done(&p);
}

static void
test_depth_bounded(void **state)
{
	(void)state;
	size_t n = 3000;
	char *text = wl_xmalloc(2 * n + 8);
	memcpy(text, "a = ", 4);
	memset(text + 4, '[', n);
	memset(text + 4 + n, ']', n);
	text[4 + 2 * n] = '\0';
	parsed p = parse(text);
	size_t deep = 0;
	for (size_t i = 0; i < p.diags.len; i++)
		deep += strcmp(p.diags.items[i].rule->id, "jsonc-nesting-too-deep") == 0;
	assert_int_equal(deep, 1);
	done(&p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spans_and_order),
	    cmocka_unit_test(test_datetime_kind),
	    cmocka_unit_test(test_info_and_comments),
	    cmocka_unit_test(test_conflicts_have_related),
	    cmocka_unit_test(test_wrangler_strictness),
	    cmocka_unit_test(test_recovery_at_next_line),
	    cmocka_unit_test(test_depth_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
