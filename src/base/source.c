#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

wl_source *
wl_source_adopt(const char *path, char *bytes, size_t len)
{
	wl_source *src = wl_xcalloc(1, sizeof(*src));
	src->path = wl_xstrdup(path);
	src->bytes = bytes;
	src->len = len;
	return src;
}

wl_source *
wl_source_new(const char *path, const char *bytes, size_t len)
{
	char *copy = wl_xmalloc(len + 1);
	if (len)
		memcpy(copy, bytes, len);
	copy[len] = '\0';
	return wl_source_adopt(path, copy, len);
}

void
wl_source_free(wl_source *src)
{
	if (!src)
		return;
	free(src->path);
	free(src->bytes);
	free(src->line_starts);
	free(src);
}

/* Built lazily: most files lint clean and never need it. */
static void
build_lines(wl_source *src)
{
	if (src->line_starts)
		return;
	size_t cap = 64, n = 0;
	uint32_t *starts = wl_xmalloc(cap * sizeof(*starts));
	starts[n++] = 0;
	const char *b = src->bytes;
	for (size_t i = 0; i < src->len; i++) {
		if (b[i] != '\n' && b[i] != '\r')
			continue;
		if (b[i] == '\r' && i + 1 < src->len && b[i + 1] == '\n')
			i++;
		if (n == cap) {
			cap *= 2;
			starts = wl_xrealloc(starts, cap * sizeof(*starts));
		}
		starts[n++] = (uint32_t)(i + 1);
	}
	src->line_starts = starts;
	src->n_lines = n;
}

size_t
wl_source_line_count(wl_source *src)
{
	build_lines(src);
	return src->n_lines;
}

static uint32_t
count_code_points(const char *s, uint32_t from, uint32_t to)
{
	uint32_t n = 0;
	for (uint32_t i = from; i < to; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
wl_source_line_index(wl_source *src, uint32_t offset)
{
	build_lines(src);
	size_t lo = 0, hi = src->n_lines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

wl_position
wl_source_position(wl_source *src, uint32_t offset)
{
	if (offset > src->len)
		offset = (uint32_t)src->len;
	size_t lo = wl_source_line_index(src, offset);
	uint32_t start = src->line_starts[lo];
	if (lo == 0 && src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0 && offset >= 3)
		start = 3;
	wl_position pos;
	pos.line = (uint32_t)lo + 1;
	/* An offset inside a CR LF pair sits on the line the pair ends. */
	uint32_t from = start, col = 0;
	if (src->memo_offset && src->memo_line_start == start && src->memo_offset <= offset) {
		from = src->memo_offset;
		col = src->memo_column;
	}
	col += count_code_points(src->bytes, from, offset);
	if (offset - start > 4096) { /* short lines are cheap: keep the memo for long ones */
		src->memo_line_start = start;
		src->memo_offset = offset;
		src->memo_column = col;
	}
	pos.column = col + 1;
	pos.offset = offset;
	return pos;
}

void
wl_source_line(wl_source *src, uint32_t line, uint32_t *start, uint32_t *end)
{
	build_lines(src);
	if (line < 1)
		line = 1;
	if (line > src->n_lines)
		line = (uint32_t)src->n_lines;
	uint32_t s = src->line_starts[line - 1];
	if (line == 1 && src->len >= 3 && memcmp(src->bytes, "\xEF\xBB\xBF", 3) == 0)
		s = 3;
	uint32_t e = s;
	while (e < src->len && src->bytes[e] != '\n' && src->bytes[e] != '\r')
		e++;
	*start = s;
	*end = e;
}

size_t
wl_utf8_encode(uint32_t cp, unsigned char out[4])
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
wl_utf8_valid_len(const unsigned char *p, size_t avail)
{
	if (avail == 0)
		return 0;
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	unsigned cp = c & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* One character at p (at most `avail` bytes, avail > 0): its length in bytes
 * and in code units of `enc`. */
static uint32_t
char_units(const char *p, size_t avail, wl_encoding enc, uint32_t *bytes)
{
	size_t n =
	    (unsigned char)p[0] < 0x80 ? 1 : wl_utf8_valid_len((const unsigned char *)p, avail);
	if (n == 0)
		n = 1; /* an undecodable byte */
	*bytes = (uint32_t)n;
	switch (enc) {
	case WL_ENC_UTF8:
		return (uint32_t)n;
	case WL_ENC_UTF16:
		return n == 4 ? 2 : 1;
	case WL_ENC_UTF32:
		break;
	}
	return 1;
}

/* The end of line `i`'s text (0-based index into the line table). */
static uint32_t
line_text_end(const wl_source *src, size_t i)
{
	uint32_t e = i + 1 < src->n_lines ? src->line_starts[i + 1] : (uint32_t)src->len;
	while (e > src->line_starts[i] && (src->bytes[e - 1] == '\n' || src->bytes[e - 1] == '\r'))
		e--;
	return e;
}

void
wl_source_unit_position_hint(wl_source *src, uint32_t offset, wl_encoding enc, wl_unit_hint *hint,
                             uint32_t *line, uint32_t *column)
{
	if (offset > src->len)
		offset = (uint32_t)src->len;
	size_t lo = wl_source_line_index(src, offset);
	uint32_t end = line_text_end(src, lo);
	if (offset > end)
		offset = end;
	uint32_t i = src->line_starts[lo], col = 0;
	if (hint && hint->valid && hint->line == lo && hint->offset <= offset) {
		i = hint->offset;
		col = hint->column;
	}
	while (i < offset) {
		uint32_t n;
		uint32_t units = char_units(src->bytes + i, end - i, enc, &n);
		if (i + n > offset)
			break; /* the offset is inside this character */
		col += units;
		i += n;
	}
	if (hint) {
		hint->valid = true;
		hint->line = (uint32_t)lo;
		hint->offset = i;
		hint->column = col;
	}
	*line = (uint32_t)lo;
	*column = col;
}

void
wl_source_unit_position(wl_source *src, uint32_t offset, wl_encoding enc, uint32_t *line,
                        uint32_t *column)
{
	wl_source_unit_position_hint(src, offset, enc, NULL, line, column);
}

uint32_t
wl_source_unit_offset(wl_source *src, uint32_t line, uint32_t column, wl_encoding enc)
{
	build_lines(src);
	if (line >= src->n_lines)
		return (uint32_t)src->len;
	uint32_t i = src->line_starts[line], end = line_text_end(src, line);
	uint32_t col = 0;
	while (i < end && col < column) {
		uint32_t n;
		uint32_t units = char_units(src->bytes + i, end - i, enc, &n);
		if (col + units > column)
			break;
		col += units;
		i += n;
	}
	return i;
}
