/* The fix module's pieces: applying edits, tags for new migration steps,
 * style detection, the unified diff, and the round loop's guarantees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fix.h"
#include "jsonc.h"
#include "lint.h"

static wl_doc *
parse(const char *text, wl_diag_list *diags)
{
	wl_diag_list_init(diags);
	return wl_jsonc_parse(wl_source_new("t.jsonc", text, strlen(text)), diags);
}

static void
test_apply_edits(void **state)
{
	(void)state;
	const char *s = "abcdef";
	size_t n;
	wl_edit e[] = {{wl_span_make(4, 5), (char *)"E"},
	               {wl_span_make(0, 0), (char *)">"},
	               {wl_span_make(1, 3), (char *)""}};
	char *out = wl_fix_apply_edits(s, 6, e, 3, &n);
	assert_string_equal(out, ">adEf");
	assert_int_equal(n, 5);
	free(out);
	/* Two insertions at one offset, or a replacement inside another, overlap. */
	wl_edit twice[] = {{wl_span_make(2, 2), (char *)"x"}, {wl_span_make(2, 2), (char *)"y"}};
	assert_null(wl_fix_apply_edits(s, 6, twice, 2, &n));
	wl_edit inside[] = {{wl_span_make(1, 4), (char *)"x"}, {wl_span_make(2, 2), (char *)"y"}};
	assert_null(wl_fix_apply_edits(s, 6, inside, 2, &n));
	wl_edit edge[] = {{wl_span_make(1, 4), (char *)"x"}, {wl_span_make(4, 4), (char *)"y"}};
	out = wl_fix_apply_edits(s, 6, edge, 2, &n);
	assert_string_equal(out, "axyef");
	free(out);
	wl_edit past[] = {{wl_span_make(5, 7), (char *)"x"}};
	assert_null(wl_fix_apply_edits(s, 6, past, 1, &n));
}

static void
expect_tag(const char *config, const char *want)
{
	wl_diag_list diags;
	wl_doc *doc = parse(config, &diags);
	char *tag = wl_fix_next_tag(wl_node_get(doc->root, "migrations"));
	assert_string_equal(tag, want);
	free(tag);
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
}

static void
test_next_tag(void **state)
{
	(void)state;
	expect_tag("{}", "v1");
	expect_tag("{\"migrations\": []}", "v1");
	expect_tag("{\"migrations\": [{\"tag\": \"v1\"}, {\"tag\": \"v2\"}]}", "v3");
	expect_tag("{\"migrations\": [{\"tag\": \"0009\"}]}", "0010");
	expect_tag("{\"migrations\": [{\"tag\": \"m-007\"}]}", "m-008");
	expect_tag("{\"migrations\": [{\"tag\": \"initial\"}]}", "initial-2");
	/* Never a duplicate, even when an earlier tag is ahead. */
	expect_tag("{\"migrations\": [{\"tag\": \"v3\"}, {\"tag\": \"v2\"}]}", "v4");
	expect_tag("{\"migrations\": [{\"tag\": \"v2\"}, {\"tag\": \"v1\"}]}", "v3");
}

static void
expect_style(const char *text, const char *indent, const char *eol, bool trailing)
{
	wl_diag_list diags;
	wl_doc *doc = parse(text, &diags);
	wl_text_style st;
	wl_text_style_detect(doc, &st);
	assert_string_equal(st.indent, indent);
	assert_string_equal(st.eol, eol);
	assert_int_equal(st.trailing_comma, trailing);
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
}

static void
test_style(void **state)
{
	(void)state;
	expect_style("{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}\n", "\t", "\n", false);
	expect_style("{\r\n    \"a\": {\r\n        \"b\": 1,\r\n    },\r\n}\r\n", "    ", "\r\n",
	             true);
	expect_style("{\n  \"a\": [\n    1\n  ]\n}\n", "  ", "\n", false);
	expect_style("{}", "\t", "\n", false);
}

static void
test_one_edit(void **state)
{
	(void)state;
	assert_true(wl_fix_one_edit_apart("Room", "Rooms"));
	assert_true(wl_fix_one_edit_apart("Rooms", "Room"));
	assert_true(wl_fix_one_edit_apart("Room", "Roon"));
	assert_true(wl_fix_one_edit_apart("Room", "oRom"));
	assert_true(wl_fix_one_edit_apart("Chat", "Chta"));
	assert_false(wl_fix_one_edit_apart("Room", "Room"));
	assert_false(wl_fix_one_edit_apart("Room", "Rome"));
	assert_false(wl_fix_one_edit_apart("Room", "Lobby"));
	assert_false(wl_fix_one_edit_apart("ab", "ba1"));
}

static void
test_diff(void **state)
{
	(void)state;
	const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
	const char *b = "1\n2\n3\n4\nfive\n6\n7\n8\n9";
	char *d = wl_fix_unified_diff("w.jsonc", a, strlen(a), b, strlen(b));
	assert_string_equal(d, "--- a/w.jsonc\n+++ b/w.jsonc\n"
	                       "@@ -2,8 +2,8 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n-9\n+9\n"
	                       "\\ No newline at end of file\n");
	free(d);
	d = wl_fix_unified_diff("w.jsonc", a, strlen(a), a, strlen(a));
	assert_string_equal(d, "");
	free(d);
}

static void
test_run_idempotent(void **state)
{
	(void)state;
	const char *text =
	    "{\n\t\"name\": \"a\"\n\t\"main\": \"b\" // c\n\t\"compatibility_date\": "
	    "\"2025-01-01\"\n}\n";
	wl_lint_options opts = {0};
	wl_fix_result *r = wl_fix_run("t.jsonc", text, strlen(text), &opts, false);
	assert_true(r->changed);
	assert_int_equal(r->applied, 2);
	assert_string_equal(r->text, "{\n\t\"name\": \"a\",\n\t\"main\": \"b\", // c\n\t"
	                             "\"compatibility_date\": \"2025-01-01\"\n}\n");
	assert_int_equal(r->lint->diags.len, 0);
	wl_fix_result *again = wl_fix_run("t.jsonc", r->text, r->len, &opts, false);
	assert_false(again->changed);
	assert_int_equal(again->applied, 0);
	wl_fix_result_free(again);
	wl_fix_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_apply_edits), cmocka_unit_test(test_next_tag),
	    cmocka_unit_test(test_style),       cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_one_edit),    cmocka_unit_test(test_run_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
