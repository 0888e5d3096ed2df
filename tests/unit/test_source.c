/* wl_source: offsets to lines and columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "source.h"

static wl_position
pos(const char *text, uint32_t off)
{
	wl_source *s = wl_source_new("t", text, strlen(text));
	wl_position p = wl_source_position(s, off);
	wl_source_free(s);
	return p;
}

static void
test_lf_lines(void **state)
{
	(void)state;
	wl_position p = pos("ab\ncd\n", 4);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 2);
	assert_int_equal(p.offset, 4);
}

static void
test_crlf_is_one_break(void **state)
{
	(void)state;
	wl_position p = pos("a\r\nb\r\nc", 6);
	assert_int_equal(p.line, 3);
	assert_int_equal(p.column, 1);
	p = pos("a\rb", 2);
	assert_int_equal(p.line, 2);
}

static void
test_columns_count_code_points(void **state)
{
	(void)state;
	/* "é漢😀x": 2 + 3 + 4 bytes before x */
	wl_position p = pos("\xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80x", 9);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 4);
	p = pos("\tx", 1);
	assert_int_equal(p.column, 2);
}

static void
test_bom_not_counted(void **state)
{
	(void)state;
	wl_position p = pos("\xEF\xBB\xBF{}", 3);
	assert_int_equal(p.column, 1);
}

static void
test_offset_clamped_and_line_text(void **state)
{
	(void)state;
	wl_source *s = wl_source_new("t", "one\r\ntwo", 8);
	wl_position p = wl_source_position(s, 100);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 4);
	uint32_t a, b;
	wl_source_line(s, 1, &a, &b);
	assert_int_equal(a, 0);
	assert_int_equal(b, 3);
	wl_source_line(s, 2, &a, &b);
	assert_int_equal(a, 5);
	assert_int_equal(b, 8);
	assert_int_equal(wl_source_line_count(s), 2);
	wl_source_free(s);
}

static void
test_utf8_validation(void **state)
{
	(void)state;
	assert_int_equal(wl_utf8_valid_len((const unsigned char *)"\xC3\xA9", 2), 2);
	assert_int_equal(wl_utf8_valid_len((const unsigned char *)"\xC0\x80", 2), 0); /* overlong */
	assert_int_equal(wl_utf8_valid_len((const unsigned char *)"\xED\xA0\x80", 3),
	                 0); /* surrogate */
	assert_int_equal(wl_utf8_valid_len((const unsigned char *)"\xF4\x90\x80\x80", 4), 0);
	assert_int_equal(wl_utf8_valid_len((const unsigned char *)"\xE6\xBC", 2),
	                 0); /* truncated */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lf_lines),
	    cmocka_unit_test(test_crlf_is_one_break),
	    cmocka_unit_test(test_columns_count_code_points),
	    cmocka_unit_test(test_bom_not_counted),
	    cmocka_unit_test(test_offset_clamped_and_line_text),
	    cmocka_unit_test(test_utf8_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
