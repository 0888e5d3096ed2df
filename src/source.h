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
/* Byte range of line `line` (1-based) without its line break. */
void wl_source_line(wl_source *src, uint32_t line, uint32_t *start, uint32_t *end);
size_t wl_source_line_count(wl_source *src);

/* Length of the UTF-8 sequence at p (at most `avail` bytes), or 0 when it is
 * not a valid, shortest-form encoding of a scalar value. */
size_t wl_utf8_valid_len(const unsigned char *p, size_t avail);

#endif
