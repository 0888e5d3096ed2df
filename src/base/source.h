/* wl_source: one input file's bytes, its display path and its line table.
 *
 * Lines are 1-based; a line ends at LF, CR LF or a lone CR. Columns are
 * 1-based and count Unicode code points: every byte that is not a UTF-8
 * continuation byte starts a new column (a tab is one column). A UTF-8 byte order mark at offset 0
 * is not counted. */
#ifndef WL_SOURCE_H
#define WL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "span.h"

typedef struct wl_source {
	char *path;  /* owned; as shown in output */
	char *bytes; /* owned; NUL-terminated copy, len bytes before the NUL */
	size_t len;
	uint32_t *line_starts; /* owned, built on first use */
	size_t n_lines;
	/* The last column computed, so that queries in increasing order on one
	 * long line (a minified config) count each byte once, not once per
	 * diagnostic. Like the line table, it is the owner's: a source is
	 * queried by one thread at a time. */
	uint32_t memo_line_start, memo_offset, memo_column;
} wl_source;

typedef struct wl_position {
	uint32_t line;   /* 1-based */
	uint32_t column; /* 1-based, in code points */
	uint32_t offset; /* 0-based byte offset */
} wl_position;

/* Takes a copy of `bytes`. The caller frees the result with wl_source_free. */
wl_source *wl_source_new(const char *path, const char *bytes, size_t len);
/* Takes ownership of `bytes` (malloc'ed, with a NUL at bytes[len]). */
wl_source *wl_source_adopt(const char *path, char *bytes, size_t len);
void wl_source_free(wl_source *src);

/* Line and column of a byte offset (clamped to the file's length). Not
 * const: it builds the line table on first use and remembers the last
 * column (see above). */
wl_position wl_source_position(wl_source *src, uint32_t offset);
/* The 0-based index of the line holding byte `offset` (not clamped: an
 * offset past the end is on the last line). */
size_t wl_source_line_index(wl_source *src, uint32_t offset);
/* Byte range of line `line` (1-based) without its line break. */
void wl_source_line(wl_source *src, uint32_t line, uint32_t *start, uint32_t *end);
size_t wl_source_line_count(wl_source *src);

/* Writes the UTF-8 encoding of scalar value `cp` (at most U+10FFFF) to
 * out[0..3] and returns its length, 1 to 4. */
size_t wl_utf8_encode(uint32_t cp, unsigned char out[4]);

/* Length of the UTF-8 sequence at p (at most `avail` bytes), or 0 when it is
 * not a valid, shortest-form encoding of a scalar value. */
size_t wl_utf8_valid_len(const unsigned char *p, size_t avail);

/* Positions in code units, as the Language Server Protocol counts them: a
 * 0-based line (the same line breaks as above) and a 0-based column counting
 * the line's code units in `enc` (UTF-16: characters beyond U+FFFF are two
 * units). Unlike the 1-based functions above, a byte order mark is an ordinary
 * character here: an editor's text holds it. A byte that does not start a
 * valid UTF-8 sequence counts as one unit in every encoding. */
typedef enum wl_encoding {
	WL_ENC_UTF8,
	WL_ENC_UTF16,
	WL_ENC_UTF32,
} wl_encoding;

/* Line and column of a byte offset. The offset is clamped to the file's
 * length; one inside a character or a line break is moved back to the start
 * of that character / the end of that line's text. */
void wl_source_unit_position(wl_source *src, uint32_t offset, wl_encoding enc, uint32_t *line,
                             uint32_t *column);
/* The byte offset of a line and column. A line past the last gives the end
 * of the file; a column past the line's text gives the end of that text
 * (before its line break); a column inside a character (half of a UTF-16
 * surrogate pair) gives the start of that character. */
uint32_t wl_source_unit_offset(wl_source *src, uint32_t line, uint32_t column, wl_encoding enc);
/* The same as wl_source_unit_position, resuming from the caller's last
 * answer when it is on the same line and before `offset`: queries in
 * increasing order on one long line (a minified config) then count each byte
 * once. Zero-initialise the hint; use it with one source and encoding only. */
typedef struct wl_unit_hint {
	bool valid;
	uint32_t line, offset, column;
} wl_unit_hint;
void wl_source_unit_position_hint(wl_source *src, uint32_t offset, wl_encoding enc,
                                  wl_unit_hint *hint, uint32_t *line, uint32_t *column);

#endif
