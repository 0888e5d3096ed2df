/* The ignore-glob matcher (gitignore semantics) and the folder walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "walk.h"
#include "xalloc.h"

#define MATCH(pat, path)        assert_true(wl_glob_match(pat, path, false))
#define NO_MATCH(pat, path)     assert_false(wl_glob_match(pat, path, false))
#define MATCH_DIR(pat, path)    assert_true(wl_glob_match(pat, path, true))
#define NO_MATCH_DIR(pat, path) assert_false(wl_glob_match(pat, path, true))

static void
test_star_and_question(void **state)
{
	(void)state;
	MATCH("*.jsonc", "wrangler.jsonc");
	MATCH("wrangler.json?", "wrangler.jsonc");
	NO_MATCH("wrangler.json?", "wrangler.json");
	/* `*` and `?` stay within a segment; what matches a folder covers
	 * everything below it. */
	MATCH("apps/*", "apps/a/wrangler.jsonc");
	NO_MATCH("apps/*.jsonc", "apps/a/x.jsonc");
	MATCH("apps/*/wrangler.jsonc", "apps/a/wrangler.jsonc");
	NO_MATCH("apps/*/wrangler.jsonc", "apps/a/b/wrangler.jsonc");
	NO_MATCH("a?b", "a/b");
	NO_MATCH("", "x");
}

static void
test_double_star(void **state)
{
	(void)state;
	MATCH("**/fixtures/**", "a/b/fixtures/c/wrangler.jsonc");
	MATCH("**/fixtures/**", "fixtures/wrangler.jsonc");
	MATCH("legacy/**", "legacy/x/y/wrangler.json");
	NO_MATCH("legacy/**", "apps/legacy2/wrangler.json");
	MATCH("a/**/b", "a/b");
	MATCH("a/**/b", "a/x/y/b");
	NO_MATCH("a/**/b", "a/xb");
}

static void
test_slashless_any_segment(void **state)
{
	(void)state;
	MATCH("examples", "examples/wrangler.jsonc");
	MATCH("examples", "apps/examples/wrangler.jsonc");
	NO_MATCH("examples", "apps/examples2/wrangler.jsonc");
	MATCH("wrangler.json", "a/b/wrangler.json");
}

static void
test_anchored_and_prefix(void **state)
{
	(void)state;
	/* A slash anywhere but the end anchors the pattern at the base folder. */
	MATCH("apps/legacy", "apps/legacy/wrangler.jsonc");
	NO_MATCH("apps/legacy", "x/apps/legacy/wrangler.jsonc");
	/* A leading "/" or "./" means the same folder. */
	MATCH("/apps/legacy", "apps/legacy/wrangler.jsonc");
	MATCH("./apps/legacy", "apps/legacy/wrangler.jsonc");
	MATCH("./legacy/b/wrangler.jsonc", "legacy/b/wrangler.jsonc");
	MATCH("././x", "x");
	MATCH("./*.jsonc", "wrangler.jsonc");
	NO_MATCH("./", "x");
	NO_MATCH("/", "x");
}

static void
test_trailing_slash_dirs_only(void **state)
{
	(void)state;
	MATCH_DIR("legacy/", "legacy");
	MATCH("legacy/", "legacy/wrangler.jsonc"); /* inside an ignored folder */
	MATCH("legacy/", "apps/legacy/wrangler.jsonc");
	NO_MATCH("legacy/", "legacy"); /* a file called legacy */
	NO_MATCH("wrangler.jsonc/", "apps/wrangler.jsonc");
	MATCH_DIR("wrangler.jsonc/", "apps/wrangler.jsonc");
	MATCH_DIR("apps/old/", "apps/old");
	NO_MATCH_DIR("apps/old/", "apps/older");
	MATCH("./legacy//", "legacy/b/wrangler.jsonc");
}

/* A walk over a temporary tree: sorted paths, ignored configs counted when
 * nothing is left. */
static void
test_walk_ignored_counted(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/wl-walk-XXXXXX";
	char *root = mkdtemp(tmpl);
	assert_non_null(root);
	const char *dirs[] = {"a", "a/b", "legacy", "legacy/x", "node_modules"};
	for (size_t i = 0; i < 5; i++) {
		char *d = wl_xasprintf("%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(d, 0755), 0);
		free(d);
	}
	const char *files[] = {"a/b/wrangler.jsonc", "legacy/x/wrangler.json",
	                       "node_modules/wrangler.jsonc", "a/other.jsonc"};
	for (size_t i = 0; i < 4; i++) {
		char *f = wl_xasprintf("%s/%s", root, files[i]);
		FILE *fp = fopen(f, "w");
		assert_non_null(fp);
		fputs("{}\n", fp);
		fclose(fp);
		free(f);
	}
	wl_strlist out = {0};
	wl_walk_report rep = {0};
	char *globs[] = {"legacy/"};
	wl_walk(root, root, globs, 1, &out, &rep);
	assert_int_equal(out.len, 1);
	char *want = wl_xasprintf("%s/a/b/wrangler.jsonc", root);
	assert_string_equal(out.items[0], want);
	free(want);
	assert_int_equal(rep.unreadable.len, 0);
	assert_int_equal(rep.ignored, 0); /* something was found: not counted */
	wl_strlist_free(&out);

	char *all[] = {"legacy", "a/"};
	wl_walk(root, root, all, 2, &out, &rep);
	assert_int_equal(out.len, 0);
	assert_int_equal(rep.ignored, 2);
	wl_strlist_free(&out);
	wl_walk_report_free(&rep);

	/* A dangling symbolic link is neither a config nor an unreadable folder. */
	char *gone = wl_xasprintf("%s/gone", root);
	assert_int_equal(mkdir(gone, 0755), 0);
	assert_int_equal(rmdir(gone), 0);
	assert_int_equal(symlink("nowhere", gone), 0);
	wl_walk(root, NULL, NULL, 0, &out, &rep);
	assert_int_equal(out.len, 2); /* a dangling link is not a config */
	assert_int_equal(rep.unreadable.len, 0);
	wl_strlist_free(&out);
	wl_walk_report_free(&rep);

	char *cmd = wl_xasprintf("rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(gone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_star_and_question),
	    cmocka_unit_test(test_double_star),
	    cmocka_unit_test(test_slashless_any_segment),
	    cmocka_unit_test(test_anchored_and_prefix),
	    cmocka_unit_test(test_trailing_slash_dirs_only),
	    cmocka_unit_test(test_walk_ignored_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
