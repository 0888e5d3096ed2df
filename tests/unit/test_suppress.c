/* Suppression directives: parsing, scopes, the index, unused reporting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonc.h"
#include "rules.h"
#include "suppress.h"

/* Parses `text`, reads its directives; the caller frees both. */
static wl_doc *
scan(const char *text, wl_suppressions **out, wl_diag_list *diags)
{
	wl_diag_list_init(diags);
	wl_source *src = wl_source_new("t.jsonc", text, strlen(text));
	diags->src = src;
	wl_diag_list junk;
	wl_diag_list_init(&junk);
	wl_doc *doc = wl_jsonc_parse(src, &junk);
	wl_diag_list_free(&junk);
	*out = wl_suppress_scan(src, doc->comments, doc->n_comments, diags);
	return doc;
}

static wl_span
line_span(const wl_doc *doc, uint32_t line)
{
	uint32_t s, e;
	wl_source_line(doc->src, line, &s, &e);
	return wl_span_make(s, e);
}

static void
test_scopes(void **state)
{
	(void)state;
	const wl_rule *dup = wl_rules_find("jsonc-duplicate-key");
	const wl_rule *syn = wl_rules_find("jsonc-syntax");
	wl_diag_list diags;
	wl_suppressions *s;
	wl_doc *doc = scan("{\n"
	                   "  // wrangler-lint-disable-next-line jsonc-duplicate-key\n"
	                   "  \"a\": 1, \"a\": 2, // wrangler-lint-disable-line jsonc-syntax\n"
	                   "  \"b\": 1\n"
	                   "}\n",
	                   &s, &diags);
	assert_non_null(s);
	assert_int_equal(diags.len, 0);
	assert_true(wl_suppress_covers(s, dup, line_span(doc, 3)));
	assert_false(wl_suppress_covers(s, dup, line_span(doc, 4)));
	assert_false(wl_suppress_covers(s, dup, line_span(doc, 2)));
	assert_true(wl_suppress_covers(s, syn, line_span(doc, 3)));
	assert_false(wl_suppress_covers(s, syn, line_span(doc, 4)));
	wl_suppress_report_unused(s, &diags, NULL, NULL);
	assert_int_equal(diags.len, 0); /* both were used */
	wl_suppress_free(s);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
}

static void
test_block_comment_lines(void **state)
{
	(void)state;
	const wl_rule *dup = wl_rules_find("jsonc-duplicate-key");
	wl_diag_list diags;
	wl_suppressions *s;
	/* Next-line counts from the comment's last line (line 4), so line 5. */
	wl_doc *doc = scan("{\n"
	                   "  /* a note\n"
	                   "   * wrangler-lint-disable-next-line jsonc-duplicate-key -- why\n"
	                   "   */\n"
	                   "  \"a\": 1, \"a\": 2\n"
	                   "}\n",
	                   &s, &diags);
	assert_non_null(s);
	assert_false(wl_suppress_covers(s, dup, line_span(doc, 4)));
	assert_true(wl_suppress_covers(s, dup, line_span(doc, 5)));
	wl_suppress_free(s);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
}

static void
test_file_scope_and_unused(void **state)
{
	(void)state;
	const wl_rule *dup = wl_rules_find("jsonc-duplicate-key");
	wl_diag_list diags;
	wl_suppressions *s;
	wl_doc *doc = scan("{ \"a\": 1 }\n"
	                   "// wrangler-lint-disable jsonc-duplicate-key, jsonc-syntax\n"
	                   "// wrangler-lint-disable no-such-rule\n"
	                   "// wrangler-lint-disable\n",
	                   &s, &diags);
	assert_non_null(s);
	/* The unknown rule and the directive that names none. */
	assert_int_equal(diags.len, 2);
	assert_string_equal(diags.items[0].rule->id, "suppression-unknown-rule");
	assert_string_equal(diags.items[1].rule->id, "suppression-unknown-rule");
	assert_true(wl_suppress_covers(s, dup, wl_span_make(2, 5)));
	wl_suppress_report_unused(s, &diags, NULL, NULL);
	assert_int_equal(diags.len, 3); /* jsonc-syntax suppressed nothing */
	assert_string_equal(diags.items[2].rule->id, "suppression-unused");
	assert_non_null(strstr(diags.items[2].message, "jsonc-syntax"));
	wl_suppress_free(s);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
}

static void
test_no_directives(void **state)
{
	(void)state;
	wl_diag_list diags;
	wl_suppressions *s;
	wl_doc *doc = scan("{ \"a\": \"wrangler-lint-disable x\" } // a comment\n", &s, &diags);
	assert_null(s); /* the keyword in a string is not a directive */
	assert_false(wl_suppress_may_have_directives("{}", 2));
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
}

/* Many directives on many lines: lookups stay logarithmic, and repeats of one
 * directive share its use. */
static void
test_many(void **state)
{
	(void)state;
	const wl_rule *dup = wl_rules_find("jsonc-duplicate-key");
	size_t n = 5000;
	char *text = malloc(n * 96 + 16), *w = text;
	w += sprintf(w, "{\n");
	for (size_t i = 0; i < n; i++)
		w += sprintf(
		    w, "// wrangler-lint-disable-next-line jsonc-duplicate-key\n\"k%zu\": 1,\n", i);
	sprintf(w, "\"z\": 0 }\n");
	wl_diag_list diags;
	wl_suppressions *s;
	wl_doc *doc = scan(text, &s, &diags);
	for (uint32_t line = 3; line < 3 + 2 * n; line += 2)
		assert_true(wl_suppress_covers(s, dup, line_span(doc, line)));
	assert_false(wl_suppress_covers(s, dup, line_span(doc, 2)));
	wl_suppress_report_unused(s, &diags, NULL, NULL);
	assert_int_equal(diags.len, 0);
	wl_suppress_free(s);
	wl_diag_list_free(&diags);
	wl_doc_free(doc);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scopes),
	    cmocka_unit_test(test_block_comment_lines),
	    cmocka_unit_test(test_file_scope_and_unused),
	    cmocka_unit_test(test_no_directives),
	    cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
