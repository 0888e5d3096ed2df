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

/* "a\tb" then "é漢😀x" (2 + 3 + 4 bytes before x) on line 1, CR LF after line 0. */
static const char unit_text[] = "a\tb\r\n\xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80x\n";

static void
test_unit_positions(void **state)
{
	(void)state;
	wl_source *s = wl_source_new("t", unit_text, strlen(unit_text));
	uint32_t line, col;
	/* x is at byte 5 + 9 = 14 */
	wl_source_unit_position(s, 14, WL_ENC_UTF16, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 4); /* é 漢 and two units for 😀 */
	wl_source_unit_position(s, 14, WL_ENC_UTF8, &line, &col);
	assert_int_equal(col, 9);
	wl_source_unit_position(s, 14, WL_ENC_UTF32, &line, &col);
	assert_int_equal(col, 3);
	/* inside 😀 (byte 11): the start of the character */
	wl_source_unit_position(s, 11, WL_ENC_UTF16, &line, &col);
	assert_int_equal(col, 2);
	/* on the LF of CR LF: the end of line 0's text */
	wl_source_unit_position(s, 4, WL_ENC_UTF16, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 3);
	/* past the end: the empty last line */
	wl_source_unit_position(s, 1000, WL_ENC_UTF16, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 0);
	wl_source_free(s);
}

static void
test_unit_offsets(void **state)
{
	(void)state;
	wl_source *s = wl_source_new("t", unit_text, strlen(unit_text));
	assert_int_equal(wl_source_unit_offset(s, 1, 4, WL_ENC_UTF16), 14);
	assert_int_equal(wl_source_unit_offset(s, 1, 9, WL_ENC_UTF8), 14);
	assert_int_equal(wl_source_unit_offset(s, 1, 3, WL_ENC_UTF32), 14);
	/* half of the surrogate pair: the start of 😀 */
	assert_int_equal(wl_source_unit_offset(s, 1, 3, WL_ENC_UTF16), 10);
	/* clamped: past the line's text, past the last line */
	assert_int_equal(wl_source_unit_offset(s, 0, 99, WL_ENC_UTF16), 3);
	assert_int_equal(wl_source_unit_offset(s, 1, 99, WL_ENC_UTF16), 15);
	assert_int_equal(wl_source_unit_offset(s, 7, 0, WL_ENC_UTF16), strlen(unit_text));
	assert_int_equal(wl_source_unit_offset(s, 2, 0, WL_ENC_UTF16), strlen(unit_text));
	/* round trip over every offset that starts a character */
	for (uint32_t off = 0; off <= strlen(unit_text); off++) {
		if (off < strlen(unit_text) && ((unsigned char)unit_text[off] & 0xC0) == 0x80)
			continue;
		if (off == 4)
			continue; /* the LF of CR LF */
		uint32_t line, col;
		wl_source_unit_position(s, off, WL_ENC_UTF16, &line, &col);
		assert_int_equal(wl_source_unit_offset(s, line, col, WL_ENC_UTF16), off);
	}
	wl_source_free(s);
	/* a BOM is a character here; an invalid byte one unit */
	s = wl_source_new("t", "\xEF\xBB\xBF\xFFx", 5);
	assert_int_equal(wl_source_unit_offset(s, 0, 2, WL_ENC_UTF16), 4);
	assert_int_equal(wl_source_unit_offset(s, 0, 4, WL_ENC_UTF8), 4);
	wl_source_free(s);
}

static void
test_unit_hint(void **state)
{
	(void)state;
	wl_source *s = wl_source_new("t", unit_text, strlen(unit_text));
	wl_unit_hint h = {0};
	/* every offset, forwards, then backwards, and across lines: the same
	 * answers as without a hint */
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t k = 0; k <= strlen(unit_text); k++) {
			uint32_t off = pass ? (uint32_t)strlen(unit_text) - k : k;
			uint32_t l1, c1, l2, c2;
			wl_source_unit_position(s, off, WL_ENC_UTF16, &l1, &c1);
			wl_source_unit_position_hint(s, off, WL_ENC_UTF16, &h, &l2, &c2);
			assert_int_equal(l1, l2);
			assert_int_equal(c1, c2);
		}
	wl_source_free(s);
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
	    cmocka_unit_test(test_unit_positions),
	    cmocka_unit_test(test_unit_offsets),
	    cmocka_unit_test(test_unit_hint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
