/* Diagnostics core: ordering, de-duplication, the storage cap, the registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "rules.h"

static const wl_rule rule_a = {"a-rule", "test", WL_SEV_ERROR, "A"};
static const wl_rule rule_b = {"b-rule", "test", WL_SEV_WARNING, "B"};

static void
test_sort_and_dedup(void **state)
{
	(void)state;
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, &rule_b, wl_span_make(5, 6), "x");
	wl_diag_add(&l, &rule_a, wl_span_make(5, 6), "x");
	wl_diag_add(&l, &rule_a, wl_span_make(1, 2), "y");
	wl_diag_add(&l, &rule_a, wl_span_make(5, 6), "x"); /* exact repeat */
	wl_diag *d = wl_diag_add(&l, &rule_a, wl_span_make(5, 6), "x");
	wl_diag_set_env(d, "staging"); /* differs by env: kept */
	wl_diag_list_sort(&l);
	assert_int_equal(l.len, 4);
	assert_int_equal(l.items[0].span.start, 1);
	assert_string_equal(l.items[1].rule->id, "a-rule");
	assert_null(l.items[1].env);
	assert_string_equal(l.items[2].env, "staging");
	assert_string_equal(l.items[3].rule->id, "b-rule");
	assert_int_equal(wl_diag_list_count(&l, WL_SEV_ERROR), 3);
	assert_int_equal(wl_diag_list_count(&l, WL_SEV_WARNING), 1);
	wl_diag_list_free(&l);
}

static void
test_cap_counts_the_rest(void **state)
{
	(void)state;
	wl_diag_list l;
	wl_diag_list_init(&l);
	for (size_t i = 0; i < WL_DIAG_LIST_MAX + 25; i++) {
		wl_diag *d =
		    wl_diag_add(&l, &rule_b, wl_span_make((uint32_t)i, (uint32_t)i), "m%zu", i);
		wl_diag_add_related(d, wl_span_make(0, 0), "r");
		wl_diag_set_pointer(d, "/vars/X");
	}
	assert_int_equal(l.len, WL_DIAG_LIST_MAX);
	/* The stored ones keep their pointer; the scratch entry takes none. */
	assert_string_equal(l.items[WL_DIAG_LIST_MAX - 1].pointer, "/vars/X");
	assert_null(l.sink.pointer);
	assert_int_equal(l.sink.n_related, 0);
	assert_int_equal(l.dropped, 25);
	assert_int_equal(wl_diag_list_total(&l), WL_DIAG_LIST_MAX + 25);
	assert_int_equal(wl_diag_list_count(&l, WL_SEV_WARNING), WL_DIAG_LIST_MAX + 25);
	wl_diag_list_free(&l);
}

static void
test_registry_sorted_unique_kebab(void **state)
{
	(void)state;
	size_t n = wl_rules_count();
	assert_true(n > 30);
	for (size_t i = 0; i < n; i++) {
		const wl_rule *r = wl_rules_at(i);
		if (i > 0)
			assert_true(strcmp(wl_rules_at(i - 1)->id, r->id) < 0);
		assert_ptr_equal(wl_rules_find(r->id), r);
		assert_int_equal(wl_rules_index(r), i);
		for (const char *p = r->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			            *p == '-');
		assert_true(strlen(r->summary) > 10);
	}
	assert_null(wl_rules_find("no-such-rule"));
}

static void
test_severity_names(void **state)
{
	(void)state;
	wl_severity s;
	assert_true(wl_severity_parse("warning", &s));
	assert_int_equal(s, WL_SEV_WARNING);
	assert_false(wl_severity_parse("info", &s));
	assert_string_equal(wl_severity_name(WL_SEV_NOTE), "note");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sort_and_dedup),
	    cmocka_unit_test(test_cap_counts_the_rest),
	    cmocka_unit_test(test_registry_sorted_unique_kebab),
	    cmocka_unit_test(test_severity_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
