/* wl_strmap: lookups, replacement, growth, keys that share prefixes and
 * hashes' low bits, long keys beside short ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

static void
test_basic(void **state)
{
	(void)state;
	wl_strmap m;
	wl_strmap_init(&m);
	assert_null(wl_strmap_get(&m, "a"));
	wl_strmap_put(&m, "a", (void *)1);
	wl_strmap_put(&m, "", (void *)2);
	wl_strmap_put(&m, "a-very-long-key-that-is-not-kept-inline-at-all", (void *)3);
	assert_ptr_equal(wl_strmap_get(&m, "a"), (void *)1);
	assert_ptr_equal(wl_strmap_get(&m, ""), (void *)2);
	assert_ptr_equal(wl_strmap_get(&m, "a-very-long-key-that-is-not-kept-inline-at-all"),
	                 (void *)3);
	assert_null(wl_strmap_get(&m, "a-very-long-key-that-is-not-kept-inline-at-alL"));
	wl_strmap_put(&m, "a", (void *)4); /* replaces */
	assert_ptr_equal(wl_strmap_get(&m, "a"), (void *)4);
	assert_int_equal(m.len, 3);
	wl_strmap_free(&m);
}

static void
test_growth(void **state)
{
	(void)state;
	enum { N = 100000 };
	char(*keys)[24] = malloc(sizeof(*keys) * N);
	wl_strmap m;
	wl_strmap_init(&m);
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		wl_strmap_put(&m, keys[i], (void *)(uintptr_t)(i + 1));
	}
	assert_int_equal(m.len, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal((uintptr_t)wl_strmap_get(&m, keys[i]), i + 1);
	assert_null(wl_strmap_get(&m, "k100000"));
	assert_true(m.cap >= N && (m.cap & (m.cap - 1)) == 0);
	wl_strmap_free(&m);
	free(keys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
