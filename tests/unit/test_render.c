/* Unit tests for the renderers: sources and diagnostic lists are built by
 * hand, rendered into memory and compared with exact expected output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "render.h"
#include "rules.h"
#include "source.h"

static const wl_rule *
rule(const char *id)
{
	const wl_rule *r = wl_rules_find(id);
	assert_non_null(r);
	return r;
}

#define SYNTAX  rule("jsonc-syntax")
#define DUPKEY  rule("jsonc-duplicate-key")
#define RANGE   rule("jsonc-number-range")
#define COMMENT rule("jsonc-comment-in-json")

/* Renders one file into an owned string. */
static char *
render_with(wl_format fmt, wl_source *src, const wl_diag_list *l, const wl_render_options *opts,
            const wl_summary *sum)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	wl_renderer *r = wl_renderer_new(fmt, out, opts);
	wl_renderer_file(r, src, l);
	wl_renderer_finish(r, sum);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* Plain options and the summary of this one file, as the CLI would pass it. */
static char *
render(wl_format fmt, wl_source *src, const wl_diag_list *l)
{
	wl_render_options opts = {false, 0};
	wl_summary sum = {1, {0, 0, 0}};
	for (int s = 0; s < WL_SEV_COUNT; s++)
		sum.by_sev[s] = wl_diag_list_count(l, (wl_severity)s);
	return render_with(fmt, src, l, &opts, &sum);
}

static wl_source *
source(const char *path, const char *text)
{
	return wl_source_new(path, text, strlen(text));
}

static void
expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_format_parse(void **state)
{
	(void)state;
	wl_format f;
	assert_true(wl_format_parse("text", &f));
	assert_int_equal(f, WL_FORMAT_TEXT);
	assert_true(wl_format_parse("json", &f));
	assert_int_equal(f, WL_FORMAT_JSON);
	assert_true(wl_format_parse("gcc", &f));
	assert_int_equal(f, WL_FORMAT_GCC);
	assert_true(wl_format_parse("sarif", &f));
	assert_int_equal(f, WL_FORMAT_SARIF);
	assert_true(wl_format_parse("github", &f));
	assert_int_equal(f, WL_FORMAT_GITHUB);
	assert_false(wl_format_parse("GitHub", &f));
	assert_false(wl_format_parse("sarif2", &f));
	assert_false(wl_format_parse("", &f));
	assert_false(wl_format_parse("TEXT", &f));
	assert_string_equal(wl_version(), WL_VERSION);
}

/* Columns count code points: é is 2 bytes, 漢 and 字 3, the emoji 4. */
static void
test_text_utf8_columns(void **state)
{
	(void)state;
	wl_source *src =
	    source("t.jsonc", "{\"\xC3\xA9\": \"\xE6\xBC\xA2\xE5\xAD\x97\xF0\x9F\x98\x80\", x}\n");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(7, 19), "a string");
	wl_diag_add(&l, SYNTAX, wl_span_make(21, 22), "unexpected 'x'");
	expect(render(WL_FORMAT_TEXT, src, &l),
	       "t.jsonc:1:7: error: a string [jsonc-syntax]\n"
	       "1 | {\"\xC3\xA9\": \"\xE6\xBC\xA2\xE5\xAD\x97\xF0\x9F\x98\x80\", x}\n"
	       "  |       ^~~~~\n"
	       "t.jsonc:1:14: error: unexpected 'x' [jsonc-syntax]\n"
	       "1 | {\"\xC3\xA9\": \"\xE6\xBC\xA2\xE5\xAD\x97\xF0\x9F\x98\x80\", x}\n"
	       "  |              ^\n"
	       "2 errors, 0 warnings, 0 notes in 1 file\n");
	expect(render(WL_FORMAT_GCC, src, &l),
	       "t.jsonc:1:7: error: a string [jsonc-syntax]\n"
	       "t.jsonc:1:14: error: unexpected 'x' [jsonc-syntax]\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Tabs stay tabs in the frame and in the underline's padding. */
static void
test_text_tabs(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{\n\t\"a\":\t1x\n}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(8, 10), "bad number");
	expect(render(WL_FORMAT_TEXT, src, &l), "t.jsonc:2:7: error: bad number [jsonc-syntax]\n"
	                                        "2 | \t\"a\":\t1x\n"
	                                        "  | \t    \t^~\n"
	                                        "1 error, 0 warnings, 0 notes in 1 file\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* CR LF: no CR in the frame; related notes get their own frames; a span
 * running past the end of its line is underlined to the line's end. */
static void
test_text_crlf_related(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{\r\n  \"a\": 1,\r\n  \"a\": 2\r\n}\r\n");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d = wl_diag_add(&l, DUPKEY, wl_span_make(16, 19), "duplicate key \"a\"");
	wl_diag_add_related(d, wl_span_make(5, 8), "\"a\" first defined here");
	wl_diag_add(&l, RANGE, wl_span_make(10, 25), "runs on");
	wl_diag_add(&l, COMMENT, wl_span_make(24, 24), "empty");
	expect(render(WL_FORMAT_TEXT, src, &l),
	       "t.jsonc:3:3: error: duplicate key \"a\" [jsonc-duplicate-key]\n"
	       "3 |   \"a\": 2\n"
	       "  |   ^~~\n"
	       "t.jsonc:2:3: note: \"a\" first defined here\n"
	       "2 |   \"a\": 1,\n"
	       "  |   ^~~\n"
	       "t.jsonc:2:8: warning: runs on [jsonc-number-range]\n"
	       "2 |   \"a\": 1,\n"
	       "  |        ^~\n"
	       "t.jsonc:4:1: note: empty [jsonc-comment-in-json]\n"
	       "4 | }\n"
	       "  | ^\n"
	       "1 error, 1 warning, 1 note in 1 file\n");
	expect(render(WL_FORMAT_GCC, src, &l),
	       "t.jsonc:3:3: error: duplicate key \"a\" [jsonc-duplicate-key]\n"
	       "t.jsonc:2:8: warning: runs on [jsonc-number-range]\n"
	       "t.jsonc:4:1: note: empty [jsonc-comment-in-json]\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* The gutter fits the largest line number of a diagnostic and its notes. */
static void
test_text_gutter(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "[\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n8,\n9,\n10\n");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d = wl_diag_add(&l, SYNTAX, wl_span_make(2, 3), "one");
	wl_diag_add_related(d, wl_span_make(29, 31), "ten");
	expect(render(WL_FORMAT_TEXT, src, &l), "t.jsonc:2:1: error: one [jsonc-syntax]\n"
	                                        " 2 | 1,\n"
	                                        "   | ^\n"
	                                        "t.jsonc:11:1: note: ten\n"
	                                        "11 | 10\n"
	                                        "   | ^~\n"
	                                        "1 error, 0 warnings, 0 notes in 1 file\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Zero-width spans, the end of the file and empty lines. */
static void
test_text_zero_width(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{\"a\": 1\n\n");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(7, 7), "expected '}'");
	wl_diag_add(&l, SYNTAX, wl_span_make(9, 9), "at the end");
	expect(render(WL_FORMAT_TEXT, src, &l), "t.jsonc:1:8: error: expected '}' [jsonc-syntax]\n"
	                                        "1 | {\"a\": 1\n"
	                                        "  |        ^\n"
	                                        "t.jsonc:3:1: error: at the end [jsonc-syntax]\n"
	                                        "3 |\n"
	                                        "  | ^\n"
	                                        "2 errors, 0 warnings, 0 notes in 1 file\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Control characters, DEL, C1 controls and invalid UTF-8 from the file are
 * escaped in the frame, the message and the path; the underline counts four
 * columns per escaped byte. */
static void
test_text_escapes(void **state)
{
	(void)state;
	wl_source *src = source("we\aird.jsonc", "{\"k\x1B[31m\": 1}\n[\"\xFF\x7F\xC2\x9B\", 1]");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(1, 9), "bad key \"k\x1B[31m\"\nnext");
	wl_diag_add(&l, SYNTAX, wl_span_make(11, 12), "one");
	wl_diag_add(&l, SYNTAX, wl_span_make(23, 24), "two");
	expect(render(WL_FORMAT_TEXT, src, &l),
	       "we\\x07ird.jsonc:1:2: error: bad key \"k\\x1b[31m\"\\x0anext [jsonc-syntax]\n"
	       "1 | {\"k\\x1b[31m\": 1}\n"
	       "  |  ^~~~~~~~~~~\n"
	       "we\\x07ird.jsonc:1:12: error: one [jsonc-syntax]\n"
	       "1 | {\"k\\x1b[31m\": 1}\n"
	       "  |               ^\n"
	       "we\\x07ird.jsonc:2:9: error: two [jsonc-syntax]\n"
	       "2 | [\"\\xff\\x7f\\xc2\\x9b\", 1]\n"
	       "  |                      ^\n"
	       "3 errors, 0 warnings, 0 notes in 1 file\n");
	expect(render(WL_FORMAT_GCC, src, &l),
	       "we\\x07ird.jsonc:1:2: error: bad key \"k\\x1b[31m\"\\x0anext [jsonc-syntax]\n"
	       "we\\x07ird.jsonc:1:12: error: one [jsonc-syntax]\n"
	       "we\\x07ird.jsonc:2:9: error: two [jsonc-syntax]\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

static void
test_text_color(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{\"a\": 1,}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d = wl_diag_add(&l, RANGE, wl_span_make(6, 7), "big");
	wl_diag_add_related(d, wl_span_make(1, 4), "key");
	wl_render_options opts = {true, 0};
	wl_summary sum = {1, {0, 1, 0}};
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, &sum),
	       "\033[1mt.jsonc:1:7:\033[0m \033[1;35mwarning:\033[0m \033[1mbig\033[0m "
	       "\033[2m[jsonc-number-range]\033[0m\n"
	       "1 | {\"a\": 1,}\n"
	       "  |       \033[32m^\033[0m\n"
	       "\033[1mt.jsonc:1:2:\033[0m \033[1;36mnote:\033[0m \033[1mkey\033[0m\n"
	       "1 | {\"a\": 1,}\n"
	       "  |  \033[32m^~~\033[0m\n"
	       "0 errors, 1 warning, 0 notes in 1 file\n");
	/* The gcc format never colours. */
	expect(render_with(WL_FORMAT_GCC, src, &l, &opts, &sum),
	       "t.jsonc:1:7: warning: big [jsonc-number-range]\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

static void
add_three(wl_diag_list *l)
{
	wl_diag_add(l, SYNTAX, wl_span_make(0, 1), "first");
	wl_diag_add(l, SYNTAX, wl_span_make(1, 2), "second");
	wl_diag_add(l, RANGE, wl_span_make(2, 3), "third");
}

static void
test_max_per_file(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "abc");
	wl_diag_list l;
	wl_diag_list_init(&l);
	add_three(&l);
	wl_render_options one = {false, 1}, two = {false, 2}, three = {false, 3};
	wl_summary sum = {1, {2, 1, 0}};
	expect(render_with(WL_FORMAT_TEXT, src, &l, &one, &sum),
	       "t.jsonc:1:1: error: first [jsonc-syntax]\n"
	       "1 | abc\n"
	       "  | ^\n"
	       "t.jsonc: 2 more diagnostics not shown (raise --max-diagnostics to see them)\n"
	       "2 errors, 1 warning, 0 notes in 1 file\n");
	expect(render_with(WL_FORMAT_TEXT, src, &l, &two, &sum),
	       "t.jsonc:1:1: error: first [jsonc-syntax]\n"
	       "1 | abc\n"
	       "  | ^\n"
	       "t.jsonc:1:2: error: second [jsonc-syntax]\n"
	       "1 | abc\n"
	       "  |  ^\n"
	       "t.jsonc: 1 more diagnostic not shown (raise --max-diagnostics to see them)\n"
	       "2 errors, 1 warning, 0 notes in 1 file\n");
	/* Exactly at the limit: nothing is hidden. */
	char *all = render_with(WL_FORMAT_TEXT, src, &l, &three, &sum);
	assert_null(strstr(all, "not shown"));
	free(all);
	expect(render_with(WL_FORMAT_GCC, src, &l, &one, &sum),
	       "t.jsonc:1:1: error: first [jsonc-syntax]\n");
	expect(render_with(WL_FORMAT_JSON, src, &l, &two, &sum),
	       "{\"version\":1,\"tool\":{\"name\":\"wrangler-lint\",\"version\":\"" WL_VERSION
	       "\"},"
	       "\"files\":[{\"path\":\"t.jsonc\",\"diagnostics\":["
	       "{\"rule\":\"jsonc-syntax\",\"severity\":\"error\",\"message\":\"first\","
	       "\"env\":null,\"pointer\":null,"
	       "\"path\":\"t.jsonc\","
	       "\"start\":{\"line\":1,\"column\":1,\"offset\":0},"
	       "\"end\":{\"line\":1,\"column\":2,\"offset\":1},\"related\":[]},"
	       "{\"rule\":\"jsonc-syntax\",\"severity\":\"error\",\"message\":\"second\","
	       "\"env\":null,\"pointer\":null,"
	       "\"path\":\"t.jsonc\","
	       "\"start\":{\"line\":1,\"column\":2,\"offset\":1},"
	       "\"end\":{\"line\":1,\"column\":3,\"offset\":2},\"related\":[]}],"
	       "\"omitted\":1}],"
	       "\"summary\":{\"files\":1,\"errors\":2,\"warnings\":1,\"notes\":0}}\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Diagnostics past the list's storage limit count as omitted too. */
static void
test_dropped(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "abc");
	wl_diag_list l;
	wl_diag_list_init(&l);
	add_three(&l);
	l.dropped = 4;
	l.dropped_by_sev[WL_SEV_ERROR] = 4;
	wl_render_options none = {false, 0}, one = {false, 1};
	wl_summary sum = {1, {6, 1, 0}};
	char *got = render_with(WL_FORMAT_TEXT, src, &l, &one, &sum);
	assert_non_null(strstr(got, "t.jsonc: 6 more diagnostics not shown (raise "
	                            "--max-diagnostics to see them)\n"));
	free(got);
	got = render_with(WL_FORMAT_TEXT, src, &l, &none, &sum);
	assert_non_null(strstr(got, "t.jsonc: 4 more diagnostics not shown (at most 10000 are "
	                            "kept per file)\n"
	                            "6 errors, 1 warning, 0 notes in 1 file\n"));
	free(got);
	got = render_with(WL_FORMAT_JSON, src, &l, &one, &sum);
	assert_non_null(strstr(got, "\"omitted\":6}"));
	free(got);
	got = render_with(WL_FORMAT_JSON, src, &l, &none, &sum);
	assert_non_null(strstr(got, "\"omitted\":4}"));
	free(got);
	wl_diag_list_free(&l);
	wl_source_free(src);
}

static void
test_summary_plurals(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_render_options opts = {false, 0};

	/* No diagnostics at all: no summary line. */
	wl_summary none = {3, {0, 0, 0}};
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, &none), "");

	wl_summary a = {1, {1, 0, 2}}, b = {2, {2, 1, 1}}, c = {5, {0, 0, 1}};
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, &a),
	       "1 error, 0 warnings, 2 notes in 1 file\n");
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, &b),
	       "2 errors, 1 warning, 1 note in 2 files\n");
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, &c),
	       "0 errors, 0 warnings, 1 note in 5 files\n");
	expect(render_with(WL_FORMAT_GCC, src, &l, &opts, &b), "");

	/* Without a summary the renderer counts what it was given. */
	wl_diag_add(&l, COMMENT, wl_span_make(0, 1), "n");
	expect(render_with(WL_FORMAT_TEXT, src, &l, &opts, NULL),
	       "t.jsonc:1:1: note: n [jsonc-comment-in-json]\n"
	       "1 | {}\n"
	       "  | ^\n"
	       "0 errors, 0 warnings, 1 note in 1 file\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

static void
test_json_shape(void **state)
{
	(void)state;
	wl_source *src = source("dir/w\xC3\xA9.jsonc",
	                        "{\r\n\t\"\xE6\xBC\xA2\": 1,\r\n\t\"\xE6\xBC\xA2\": 2\r\n}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d =
	    wl_diag_add(&l, DUPKEY, wl_span_make(16, 21), "duplicate key \"\xE6\xBC\xA2\"");
	wl_diag_add_related(d, wl_span_make(4, 9), "first \"x\\y/z\" here");
	wl_diag_set_env(d, "production");
	wl_diag_set_pointer(d, "/env/production/durable_objects");
	wl_diag_add(&l, SYNTAX, wl_span_make(27, 27), "ctl \x1B and bad \xFF byte");
	expect(render(WL_FORMAT_JSON, src, &l),
	       "{\"version\":1,\"tool\":{\"name\":\"wrangler-lint\",\"version\":\"" WL_VERSION
	       "\"},"
	       "\"files\":[{\"path\":\"dir/w\xC3\xA9.jsonc\",\"diagnostics\":["
	       "{\"rule\":\"jsonc-duplicate-key\",\"severity\":\"error\","
	       "\"message\":\"duplicate key \\\"\xE6\xBC\xA2\\\"\","
	       "\"env\":\"production\",\"pointer\":\"/env/production/durable_objects\","
	       "\"path\":\"dir/w\xC3\xA9.jsonc\","
	       "\"start\":{\"line\":3,\"column\":2,\"offset\":16},"
	       "\"end\":{\"line\":3,\"column\":5,\"offset\":21},"
	       "\"related\":[{\"message\":\"first \\\"x\\\\y/z\\\" here\","
	       "\"path\":\"dir/w\xC3\xA9.jsonc\","
	       "\"start\":{\"line\":2,\"column\":2,\"offset\":4},"
	       "\"end\":{\"line\":2,\"column\":5,\"offset\":9}}]},"
	       "{\"rule\":\"jsonc-syntax\",\"severity\":\"error\","
	       "\"message\":\"ctl \\u001b and bad \xEF\xBF\xBD byte\","
	       "\"env\":null,\"pointer\":null,"
	       "\"path\":\"dir/w\xC3\xA9.jsonc\","
	       "\"start\":{\"line\":4,\"column\":2,\"offset\":27},"
	       "\"end\":{\"line\":4,\"column\":2,\"offset\":27},\"related\":[]}],"
	       "\"omitted\":0}],"
	       "\"summary\":{\"files\":1,\"errors\":2,\"warnings\":0,\"notes\":0}}\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Several files in one document, clean ones included. */
static void
test_json_several_files(void **state)
{
	(void)state;
	wl_source *a = source("a.jsonc", "{}"), *b = source("b.json", "x");
	wl_diag_list la, lb;
	wl_diag_list_init(&la);
	wl_diag_list_init(&lb);
	wl_diag_add(&lb, SYNTAX, wl_span_make(0, 1), "x");
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	wl_renderer *r = wl_renderer_new(WL_FORMAT_JSON, out, NULL);
	wl_renderer_file(r, a, &la);
	wl_renderer_file(r, b, &lb);
	wl_renderer_finish(r, NULL);
	assert_int_equal(fclose(out), 0);
	expect(buf, "{\"version\":1,\"tool\":{\"name\":\"wrangler-lint\",\"version\":\"" WL_VERSION
	            "\"},"
	            "\"files\":[{\"path\":\"a.jsonc\",\"diagnostics\":[],\"omitted\":0},"
	            "{\"path\":\"b.json\",\"diagnostics\":["
	            "{\"rule\":\"jsonc-syntax\",\"severity\":\"error\",\"message\":\"x\","
	            "\"env\":null,\"pointer\":null,"
	            "\"path\":\"b.json\","
	            "\"start\":{\"line\":1,\"column\":1,\"offset\":0},"
	            "\"end\":{\"line\":1,\"column\":2,\"offset\":1},\"related\":[]}],"
	            "\"omitted\":0}],"
	            "\"summary\":{\"files\":2,\"errors\":1,\"warnings\":0,\"notes\":0}}\n");
	wl_diag_list_free(&la);
	wl_diag_list_free(&lb);
	wl_source_free(a);
	wl_source_free(b);
}

/* A UTF-8 byte order mark is not shown and not counted. */
static void
test_text_bom(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "\xEF\xBB\xBF{x}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(4, 5), "x");
	wl_diag_add(&l, SYNTAX, wl_span_make(0, 0), "file");
	expect(render(WL_FORMAT_TEXT, src, &l), "t.jsonc:1:2: error: x [jsonc-syntax]\n"
	                                        "1 | {x}\n"
	                                        "  |  ^\n"
	                                        "t.jsonc:1:1: error: file [jsonc-syntax]\n"
	                                        "1 | {x}\n"
	                                        "  | ^\n"
	                                        "2 errors, 0 warnings, 0 notes in 1 file\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* github: one workflow command per diagnostic; "%", CR and LF escaped in the
 * message, and ":" and "," too in property values (the path); other control
 * bytes and invalid UTF-8 shown as \xHH; notes are notices. */
static void
test_github_escaping(void **state)
{
	(void)state;
	wl_source *src = source("dir,x/a:b%.jsonc", "{\n  \"a\": 1\n}\n");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(4, 7), "100%% sure:\r\nnext, line \x1B[31m \xFF");
	wl_diag *d = wl_diag_add(&l, RANGE, wl_span_make(9, 12), "spans lines");
	wl_diag_add_related(d, wl_span_make(0, 1), "not shown");
	wl_diag_add(&l, COMMENT, wl_span_make(14, 14), "empty %%0A");
	expect(render(WL_FORMAT_GITHUB, src, &l),
	       "::error file=dir%2Cx/a%3Ab%25.jsonc,line=2,col=3,endLine=2,endColumn=6,"
	       "title=jsonc-syntax::100%25 sure:%0D%0Anext, line \\x1b[31m \\xff\n"
	       "::warning file=dir%2Cx/a%3Ab%25.jsonc,line=2,col=8,endLine=3,endColumn=2,"
	       "title=jsonc-number-range::spans lines\n"
	       "::notice file=dir%2Cx/a%3Ab%25.jsonc,line=4,col=1,endLine=4,endColumn=1,"
	       "title=jsonc-comment-in-json::empty %250A\n");
	/* --max-diagnostics is respected; there is no summary. */
	wl_render_options one = {false, 1};
	wl_summary sum = {1, {1, 1, 1}};
	expect(render_with(WL_FORMAT_GITHUB, src, &l, &one, &sum),
	       "::error file=dir%2Cx/a%3Ab%25.jsonc,line=2,col=3,endLine=2,endColumn=6,"
	       "title=jsonc-syntax::100%25 sure:%0D%0Anext, line \\x1b[31m \\xff\n");
	/* Colour is never used. */
	wl_render_options color = {true, 0};
	char *got = render_with(WL_FORMAT_GITHUB, src, &l, &color, &sum);
	assert_null(strchr(got, '\033'));
	free(got);
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* json: a diagnostic with edits has a "fix" member after "related"; one
 * without has none (not null). */
static void
test_json_fix(void **state)
{
	(void)state;
	wl_source *src = source("t.jsonc", "{\"a\": 1 \"b\": {\"new_class\": 2}}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag *d = wl_diag_add(&l, SYNTAX, wl_span_make(8, 8), "expected ','");
	wl_diag_add_edit(d, "insert ','", wl_span_make(8, 8), ",");
	d = wl_diag_add(&l, RANGE, wl_span_make(15, 26), "unknown key");
	wl_diag_add_edit(d, "rename to \"x\"", wl_span_make(15, 26), "\"new_classes\"");
	wl_diag_add_edit(d, "ignored second title", wl_span_make(28, 29), "");
	wl_diag_add(&l, COMMENT, wl_span_make(0, 1), "no fix");
	wl_diag_list_sort(&l);
	expect(
	    render(WL_FORMAT_JSON, src, &l),
	    "{\"version\":1,\"tool\":{\"name\":\"wrangler-lint\",\"version\":\"" WL_VERSION "\"},"
	    "\"files\":[{\"path\":\"t.jsonc\",\"diagnostics\":["
	    "{\"rule\":\"jsonc-comment-in-json\",\"severity\":\"note\",\"message\":\"no fix\","
	    "\"env\":null,\"pointer\":null,"
	    "\"path\":\"t.jsonc\","
	    "\"start\":{\"line\":1,\"column\":1,\"offset\":0},"
	    "\"end\":{\"line\":1,\"column\":2,\"offset\":1},\"related\":[]},"
	    "{\"rule\":\"jsonc-syntax\",\"severity\":\"error\",\"message\":\"expected ','\","
	    "\"env\":null,\"pointer\":null,"
	    "\"path\":\"t.jsonc\","
	    "\"start\":{\"line\":1,\"column\":9,\"offset\":8},"
	    "\"end\":{\"line\":1,\"column\":9,\"offset\":8},\"related\":[],"
	    "\"fix\":{\"title\":\"insert ','\",\"edits\":["
	    "{\"start\":{\"line\":1,\"column\":9,\"offset\":8},"
	    "\"end\":{\"line\":1,\"column\":9,\"offset\":8},\"text\":\",\"}],\"safety\":\"safe\"}},"
	    "{\"rule\":\"jsonc-number-range\",\"severity\":\"warning\",\"message\":\"unknown key\","
	    "\"env\":null,\"pointer\":null,"
	    "\"path\":\"t.jsonc\","
	    "\"start\":{\"line\":1,\"column\":16,\"offset\":15},"
	    "\"end\":{\"line\":1,\"column\":27,\"offset\":26},\"related\":[],"
	    "\"fix\":{\"title\":\"rename to \\\"x\\\"\",\"edits\":["
	    "{\"start\":{\"line\":1,\"column\":16,\"offset\":15},"
	    "\"end\":{\"line\":1,\"column\":27,\"offset\":26},"
	    "\"text\":\"\\\"new_classes\\\"\"},"
	    "{\"start\":{\"line\":1,\"column\":29,\"offset\":28},"
	    "\"end\":{\"line\":1,\"column\":30,\"offset\":29},\"text\":\"\"}],\"safety\":\"safe\"}}"
	    "],"
	    "\"omitted\":0}],"
	    "\"summary\":{\"files\":1,\"errors\":1,\"warnings\":1,\"notes\":1}}\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* A long line is shown as a window around the span, marked with "…". */
static void
test_text_window(void **state)
{
	(void)state;
	char text[400];
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text + 200, "\"key\"", 5);
	wl_source *src = source("w.jsonc", text);
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(200, 205), "here");
	wl_diag_add(&l, SYNTAX, wl_span_make(2, 3), "start");
	wl_diag_add(&l, SYNTAX, wl_span_make(397, 399), "end");
	wl_diag_list_sort(&l);
	/* 40 columns each side. */
	const char *a40 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char want[2048];
	snprintf(want, sizeof(want),
	         "w.jsonc:1:3: error: start [jsonc-syntax]\n"
	         "1 | aaa%s\xE2\x80\xA6\n"
	         "  |   ^\n"
	         "w.jsonc:1:201: error: here [jsonc-syntax]\n"
	         "1 | \xE2\x80\xA6%s\"key\"%s\xE2\x80\xA6\n"
	         "  |  %*s^~~~~\n"
	         "w.jsonc:1:398: error: end [jsonc-syntax]\n"
	         "1 | \xE2\x80\xA6%saa\n"
	         "  |  %*s^~\n"
	         "3 errors, 0 warnings, 0 notes in 1 file\n",
	         a40, a40, a40, 40, "", a40, 40, "");
	expect(render(WL_FORMAT_TEXT, src, &l), want);
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* A long span shows its first 80 columns, then "…". */
static void
test_text_long_span(void **state)
{
	(void)state;
	char text[300] = "{\"";
	memset(text + 2, 'k', 200);
	strcpy(text + 202, "\": 1}");
	wl_source *src = source("w.jsonc", text);
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(1, 203), "unknown key \"%.200s\"", text + 2);
	char *got = render(WL_FORMAT_TEXT, src, &l);
	char k79[80], k48[49];
	memset(k79, 'k', 79);
	k79[79] = '\0';
	memset(k48, 'k', 48);
	k48[48] = '\0';
	char tildes[80];
	memset(tildes, '~', 79);
	tildes[79] = '\0';
	char want[1024];
	snprintf(want, sizeof(want),
	         "w.jsonc:1:2: error: unknown key \"%s\xE2\x80\xA6\" [jsonc-syntax]\n"
	         "1 | {\"%s\xE2\x80\xA6\n"
	         "  |  ^%s\n"
	         "1 error, 0 warnings, 0 notes in 1 file\n",
	         k48, k79, tildes);
	expect(got, want);
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Output grows with the number of diagnostics, not the line length; the
 * columns stay exact on a long line of multi-byte characters. */
static void
test_long_line_scales(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *text = malloc(n + 1);
	assert_non_null(text);
	for (size_t i = 0; i < n; i += 4)
		memcpy(text + i, i % 3 ? "ab\xC3\xA9" : "x\t\"y", 4);
	text[n] = '\0';
	wl_source *src = source("big.jsonc", text);
	free(text);
	wl_diag_list l;
	wl_diag_list_init(&l);
	for (uint32_t k = 0; k < 300; k++) {
		uint32_t at = (uint32_t)((k * 7919u * 4u) % (uint32_t)n);
		wl_diag *d = wl_diag_add(&l, SYNTAX, wl_span_make(at, at + 3), "d%u", k);
		wl_diag_add_related(d, wl_span_make(n - at - 4, n - at), "r");
	}
	wl_diag_list_sort(&l);
	char *out = render(WL_FORMAT_TEXT, src, &l);
	assert_true(strlen(out) < 300 * 1200);
	free(out);
	out = render(WL_FORMAT_GCC, src, &l);
	char *line = out;
	for (size_t i = 0; i < l.len; i++) {
		wl_position pos = wl_source_position(src, l.items[i].span.start);
		char want[96];
		snprintf(want, sizeof(want), "big.jsonc:1:%u: error: %s [jsonc-syntax]\n",
		         (unsigned)pos.column, l.items[i].message);
		assert_memory_equal(line, want, strlen(want));
		line += strlen(want);
	}
	assert_string_equal(line, "");
	free(out);
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Bidi controls and invisible format characters are escaped. */
static void
test_text_bidi(void **state)
{
	(void)state;
	wl_source *src =
	    source("b.jsonc", "{\"a\xE2\x80\xAE\xE2\x80\x8C\xE2\x81\xA6\xE2\x81\xA9"
	                      "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C\xEF\xBB\xBF\xC3\xA9\": 1}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_diag_add(&l, SYNTAX, wl_span_make(1, 26), "key \"a\xE2\x80\xAE\"");
	expect(
	    render(WL_FORMAT_TEXT, src, &l),
	    "b.jsonc:1:2: error: key \"a\\xe2\\x80\\xae\" [jsonc-syntax]\n"
	    /* The escapes are wide: the span is cut after 80 columns. */
	    "1 | {\"a\\xe2\\x80\\xae\\xe2\\x80\\x8c\\xe2\\x81\\xa6\\xe2\\x81\\xa9\\xe2\\x80\\x8e"
	    "\\xe2\\x80\\x8f\\xd8\\x9c\xE2\x80\xA6\n"
	    "  |  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"
	    "~~\n"
	    "1 error, 0 warnings, 0 notes in 1 file\n");
	expect(render(WL_FORMAT_GCC, src, &l),
	       "b.jsonc:1:2: error: key \"a\\xe2\\x80\\xae\" [jsonc-syntax]\n");
	wl_diag_list_free(&l);
	wl_source_free(src);
}

/* Renders one unreadable file and one clean file. */
static char *
render_unreadable(wl_format fmt)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	wl_render_options opts = {false, 0};
	wl_renderer *r = wl_renderer_new(fmt, out, &opts);
	wl_renderer_unreadable(r, "gone\\x.jsonc", "Permission denied");
	wl_source *src = source("ok.jsonc", "{}");
	wl_diag_list l;
	wl_diag_list_init(&l);
	wl_renderer_file(r, src, &l);
	wl_renderer_finish(r, NULL);
	wl_diag_list_free(&l);
	wl_source_free(src);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void
test_unreadable(void **state)
{
	(void)state;
	expect(render_unreadable(WL_FORMAT_JSON),
	       "{\"version\":1,\"tool\":{\"name\":\"wrangler-lint\",\"version\":\"" WL_VERSION
	       "\"},\"files\":[{\"path\":\"gone\\\\x.jsonc\",\"error\":\"Permission denied\","
	       "\"diagnostics\":[],\"omitted\":0},"
	       "{\"path\":\"ok.jsonc\",\"diagnostics\":[],\"omitted\":0}],"
	       "\"summary\":{\"files\":1,\"errors\":0,\"warnings\":0,\"notes\":0}}\n");
	char *sarif = render_unreadable(WL_FORMAT_SARIF);
	assert_non_null(strstr(sarif, "\"executionSuccessful\": false,"));
	assert_non_null(strstr(sarif, "\"toolExecutionNotifications\": [\n"));
	assert_non_null(strstr(sarif, "\"text\": \"gone\\\\x.jsonc: Permission denied\""));
	assert_non_null(strstr(sarif, "\"uri\": \"gone%5Cx.jsonc\""));
	free(sarif);
	expect(render_unreadable(WL_FORMAT_TEXT), "");
	expect(render_unreadable(WL_FORMAT_GCC), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_parse),       cmocka_unit_test(test_text_utf8_columns),
	    cmocka_unit_test(test_text_tabs),          cmocka_unit_test(test_text_crlf_related),
	    cmocka_unit_test(test_text_gutter),        cmocka_unit_test(test_text_zero_width),
	    cmocka_unit_test(test_text_escapes),       cmocka_unit_test(test_text_color),
	    cmocka_unit_test(test_max_per_file),       cmocka_unit_test(test_dropped),
	    cmocka_unit_test(test_summary_plurals),    cmocka_unit_test(test_json_shape),
	    cmocka_unit_test(test_json_several_files), cmocka_unit_test(test_text_bom),
	    cmocka_unit_test(test_github_escaping),    cmocka_unit_test(test_json_fix),
	    cmocka_unit_test(test_text_window),        cmocka_unit_test(test_text_long_span),
	    cmocka_unit_test(test_long_line_scales),   cmocka_unit_test(test_text_bidi),
	    cmocka_unit_test(test_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
