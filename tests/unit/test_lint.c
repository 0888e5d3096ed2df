/* lint.c: the order of the stages and the gate. Levels, suppressions and the
 * --env filter decide before anything is stored, so the cap counts only what
 * survives; directives after what they cover still cover it; lint calls are
 * re-entrant across threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lint.h"
#include "rules.h"

static wl_lint_result *
lint(const char *text, const wl_lint_options *opts)
{
	return wl_lint_source(wl_source_new("t.jsonc", text, strlen(text)), opts);
}

static size_t
count_rule(const wl_lint_result *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->diags.len; i++)
		if (strcmp(r->diags.items[i].rule->id, id) == 0)
			n++;
	return n;
}

/* 12,000 duplicate keys: more than the 10,000 kept. */
static char *
many_duplicates(const char *tail)
{
	size_t n = 12000;
	char *text = malloc(n * 12 + strlen(tail) + 64), *w = text;
	w += sprintf(w, "{ \"name\": \"w\", \"vars\": {");
	for (size_t i = 0; i < n; i++)
		w += sprintf(w, "\"k\": %zu, ", i);
	sprintf(w, "\"z\": 0 } }\n%s", tail);
	return text;
}

static signed char *
levels_with(const char *id, signed char level)
{
	signed char *levels = malloc(wl_rules_count());
	memset(levels, WL_LEVEL_DEFAULT, wl_rules_count());
	levels[wl_rules_index(wl_rules_find(id))] = level;
	return levels;
}

static void
test_off_fills_nothing(void **state)
{
	(void)state;
	char *text = many_duplicates("");
	wl_lint_result *r = lint(text, NULL);
	assert_int_equal(r->diags.len, WL_DIAG_LIST_MAX);
	assert_true(r->diags.dropped > 0);
	wl_lint_result_free(r);

	signed char *levels = levels_with("jsonc-duplicate-key", WL_LEVEL_OFF);
	wl_lint_options opts = {.levels = levels};
	r = lint(text, &opts);
	assert_int_equal(count_rule(r, "jsonc-duplicate-key"), 0);
	assert_int_equal(r->diags.dropped, 0);
	assert_int_equal(wl_diag_list_total(&r->diags), r->diags.len);
	wl_lint_result_free(r);

	levels[wl_rules_index(wl_rules_find("jsonc-duplicate-key"))] = WL_SEV_NOTE;
	r = lint(text, &opts);
	assert_int_equal(wl_diag_list_count(&r->diags, WL_SEV_NOTE), 11999);
	assert_int_equal(wl_diag_list_count(&r->diags, WL_SEV_ERROR), 0);
	wl_lint_result_free(r);
	free(levels);
	free(text);
}

static void
test_directive_after_front_end(void **state)
{
	(void)state;
	char *text = many_duplicates("// wrangler-lint-disable jsonc-duplicate-key\n");
	wl_lint_result *r = lint(text, NULL);
	assert_int_equal(count_rule(r, "jsonc-duplicate-key"), 0);
	assert_int_equal(count_rule(r, "suppression-unused"), 0);
	assert_int_equal(wl_diag_list_total(&r->diags), r->diags.len);
	wl_lint_result_free(r);
	free(text);
}

static const char envs_text[] =
    "{ \"name\": \"w\",\n"
    "  \"durable_objects\": { \"bindings\": [{ \"name\": \"R\", \"class_name\": \"Room\" }] },\n"
    "  \"migrations\": [{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Room\"] }],\n"
    "  \"env\": {\n"
    "    // wrangler-lint-disable-next-line env-do-bindings-missing\n"
    "    \"a\": {},\n"
    "    \"b\": {} } }\n";

static void
test_env_filter_and_suppression(void **state)
{
	(void)state;
	wl_lint_result *r = lint(envs_text, NULL);
	assert_int_equal(count_rule(r, "env-do-bindings-missing"), 1); /* b; a is suppressed */
	assert_string_equal(r->diags.items[0].env, "b");
	wl_lint_result_free(r);

	/* The directive for a still counts as used when --env b hides a. */
	const char *const only_b[] = {"b", NULL};
	wl_lint_options opts = {.envs = only_b};
	r = lint(envs_text, &opts);
	assert_int_equal(count_rule(r, "env-do-bindings-missing"), 1);
	assert_int_equal(count_rule(r, "suppression-unused"), 0);
	wl_lint_result_free(r);

	const char *const only_a[] = {"a", NULL};
	opts.envs = only_a;
	r = lint(envs_text, &opts);
	assert_int_equal(r->diags.len, 0);
	wl_lint_result_free(r);

	/* A directive for a rule that is off is not reported as unused. */
	signed char *levels = levels_with("env-do-bindings-missing", WL_LEVEL_OFF);
	wl_lint_options off = {.levels = levels};
	r = lint(envs_text, &off);
	assert_int_equal(r->diags.len, 0);
	wl_lint_result_free(r);
	free(levels);
}

static void
test_size_limit(void **state)
{
	(void)state;
	size_t n = WL_MAX_FILE_SIZE + 1;
	char *big = malloc(n + 1);
	memset(big, ' ', n);
	big[n] = '\0';
	wl_lint_result *r = wl_lint_source(wl_source_adopt("big.jsonc", big, n), NULL);
	assert_int_equal(r->diags.len, 1);
	assert_string_equal(r->diags.items[0].rule->id, "jsonc-file-too-large");
	assert_int_equal(r->doc->src->len, 0); /* not kept */
	wl_lint_result_free(r);
}

static void *
lint_in_thread(void *arg)
{
	(void)arg;
	size_t errors = 0;
	for (int i = 0; i < 20; i++) {
		wl_lint_result *r = lint(envs_text, NULL);
		errors += wl_diag_list_count(&r->diags, WL_SEV_ERROR);
		wl_lint_result_free(r);
	}
	return (void *)(uintptr_t)errors;
}

static void
test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, lint_in_thread, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *errors;
		assert_int_equal(pthread_join(t[i], &errors), 0);
		assert_int_equal((uintptr_t)errors, 20);
	}
}

/* The tree's invariants hold on well-formed and broken inputs alike. */
static void
test_doc_check(void **state)
{
	(void)state;
	static const char *const inputs[] = {
	    "{ \"a\": [1, {\"b\": null}], \"c\": \"x\" }",
	    "{ \"a\": 1, 2 {\"x\": 1, \"x\": 2} }",
	    "{ \"a\": [1, 2, { \"b\": ",
	    "{ a: 1, 'b': 2, \"c\" 3 \"d\": }",
	    "[[[[[[[[]]]]]]]]",
	    "{ \"a\": 1, \"a\": null, \"a\": {} }",
	    "",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		wl_lint_result *r = lint(inputs[i], NULL);
		const char *why = wl_doc_check(r->doc);
		if (why)
			fail_msg("input %zu: %s", i, why);
		wl_lint_result_free(r);
	}
	/* And the check does fail on a broken tree. */
	wl_lint_result *r = lint(inputs[0], NULL);
	r->doc->root->first_child->parent = NULL;
	assert_non_null(wl_doc_check(r->doc));
	wl_lint_result_free(r);
	r = lint(inputs[0], NULL);
	r->doc->root->n_children++;
	assert_non_null(wl_doc_check(r->doc));
	wl_lint_result_free(r);
	/* And on values that do not match their nodes. */
	r = lint(inputs[0], NULL);
	wl_node *a = r->doc->root->first_child, *c = a->next;
	struct json_object *swap = a->value;
	a->value = c->value;
	c->value = swap;
	assert_non_null(wl_doc_check(r->doc));
	c->value = a->value;
	a->value = swap;
	assert_null(wl_doc_check(r->doc));
	a->first_child->value = NULL; /* the 1 in [1, {...}] */
	assert_non_null(wl_doc_check(r->doc));
	a->first_child->value = json_object_array_get_idx(a->value, 0);
	wl_lint_result_free(r);
}

/* A claim follows enablement: a suppressed specific finding still keeps
 * the schema quiet at that node; a rule turned off claims nothing, so the
 * schema's generic finding speaks again. */
static void
test_claims(void **state)
{
	(void)state;
	static const char toml_text[] = "name = \"w\"\n"
	                                "# wrangler-lint-disable-next-line toml-date-value\n"
	                                "compatibility_date = 2025-01-01\n";
	wl_lint_result *r =
	    wl_lint_source(wl_source_new("wrangler.toml", toml_text, strlen(toml_text)), NULL);
	assert_int_equal(count_rule(r, "schema-type"), 0);
	assert_int_equal(count_rule(r, "toml-date-value"), 0);
	wl_lint_result_free(r);

	signed char *levels = levels_with("toml-date-value", WL_LEVEL_OFF);
	wl_lint_options opts = {.levels = levels};
	r = wl_lint_source(wl_source_new("wrangler.toml", toml_text, strlen(toml_text)), &opts);
	assert_int_equal(count_rule(r, "schema-type"), 1);
	wl_lint_result_free(r);
	free(levels);

	/* jsonc-duplicate-key claims nothing: with it off, an unknown key at
	 * the same offset is still reported. */
	static const char dup[] = "{ \"name\": \"w\", \"zz\": 1, \"zz\": 2 }";
	levels = levels_with("jsonc-duplicate-key", WL_LEVEL_OFF);
	opts.levels = levels;
	r = lint(dup, &opts);
	assert_int_equal(count_rule(r, "schema-unknown-key"), 1);
	wl_lint_result_free(r);
	free(levels);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_off_fills_nothing),
	    cmocka_unit_test(test_directive_after_front_end),
	    cmocka_unit_test(test_env_filter_and_suppression),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_doc_check),
	    cmocka_unit_test(test_claims),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
