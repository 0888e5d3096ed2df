#include "jsonc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "rules_syntax.h"
#include "strmap.h"

typedef enum {
	T_EOF,
	T_LBRACE,
	T_RBRACE,
	T_LBRACK,
	T_RBRACK,
	T_COLON,
	T_COMMA,
	T_STRING,
	T_NUMBER,
	T_WORD,
	T_JUNK,
} tok_kind;

typedef struct token {
	tok_kind kind;
	uint32_t start, end;
	const char *str; /* T_STRING: decoded bytes (source or scratch) */
	size_t str_len;
	uint8_t num_type; /* T_NUMBER: json_type_int or json_type_double */
	bool invalid;
} token;

/* A string value holding a NUL (escaped as \u0000): its node's `str` has
 * U+FFFD there, so the exact bytes are kept aside for its json-c value. */
typedef struct nul_string {
	const wl_node *node;
	const char *bytes; /* arena */
	size_t len;
} nul_string;

typedef struct parser {
	wl_doc *doc;
	const unsigned char *s;
	uint32_t len;
	uint32_t pos;
	wl_diag_list *diags;
	token tok;
	bool have_tok;
	char *scratch;
	size_t scratch_len, scratch_cap;
	unsigned n_errors;
	/* The last syntax error reported, so that a repeat (every unclosed
	 * bracket at the end of the file says the same) is not counted toward
	 * the limit: the list drops exact repeats, so it would not be shown. */
	char *last_error; /* the last syntax error's message (a reused buffer) */
	size_t last_error_cap;
	wl_span last_error_span;
	bool gave_up;
	bool depth_reported;
	/* Inside a value read only to stay in step and then discarded: its
	 * nodes are not in the tree, so nothing inside it is reported against
	 * them (a duplicate key there would get a pointer that names nothing). */
	unsigned in_junk;
	unsigned depth;
	/* Duplicate-key diagnostics get their JSON pointer once the tree is
	 * linked up to the root (diag index, node). */
	struct pending_pointer {
		size_t diag;
		const wl_node *node;
	} * pending;
	size_t n_pending, cap_pending;
	nul_string *nul_strings; /* in source order */
	size_t n_nul_strings, cap_nul_strings;
	char number_text[64]; /* a number's text for strtod (longer ones: malloc) */
	struct number {
		bool is_int64;
		int64_t i;
		double d;
	} number; /* the last number read */
} parser;

static void
note_error(parser *p)
{
	p->doc->syntax_errors = true;
}

static wl_diag *syntax_error(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
    WL_PRINTF(4, 5);

static wl_diag *
syntax_error(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
{
	note_error(p);
	if (p->gave_up)
		return NULL;
	/* Formatted once, on the stack when it fits: a junk file makes a
	 * hundred of these, and each used to cost two formattings and two
	 * allocations besides the diagnostic's own copy. */
	char small[256];
	va_list ap;
	/* Many messages have no arguments: those are their own text. */
	int n = 0;
	const char *msg = fmt;
	if (strchr(fmt, '%')) {
		va_start(ap, fmt);
		n = vsnprintf(small, sizeof(small), fmt, ap);
		va_end(ap);
		msg = small;
	}
	char *heap = NULL;
	if (n < 0) {
		small[0] = '\0';
		msg = small;
	} else if ((size_t)n >= sizeof(small)) {
		va_start(ap, fmt);
		heap = wl_xvasprintf(fmt, ap);
		va_end(ap);
		msg = heap;
	}
	if (p->last_error && p->last_error_span.start == start && p->last_error_span.end == end &&
	    strcmp(p->last_error, msg) == 0) {
		free(heap);
		return NULL;
	}
	size_t len = strlen(msg);
	wl_xgrow((void **)&p->last_error, &p->last_error_cap, len + 1, 1);
	memcpy(p->last_error, msg, len + 1);
	free(heap);
	p->last_error_span = wl_span_make(start, end);
	if (++p->n_errors > WL_MAX_SYNTAX_ERRORS) {
		wl_diag_add(
		    p->diags, &wl_rule_jsonc_syntax, wl_span_make(start, end),
		    "too many syntax errors (more than %d); the rest of the file is not read",
		    WL_MAX_SYNTAX_ERRORS);
		p->gave_up = true;
		p->pos = p->len;
		return NULL;
	}
	return wl_diag_add_text(p->diags, &wl_rule_jsonc_syntax, wl_span_make(start, end),
	                        p->last_error);
}

/* Trailing commas are seen only when their bracket closes, possibly after a
 * later comment: keep the earliest. */
/* An insertion fix for a syntax error (NULL when the error was not kept). */
static void
add_fix(wl_diag *d, const char *title, uint32_t at, const char *text)
{
	if (d) {
		wl_diag_add_edit(d, title, wl_span_make(at, at), text);
		wl_diag_set_fix_safety(d, WL_FIX_SAFE);
	}
}

static void
note_extension(parser *p, uint32_t start, uint32_t end)
{
	if (p->doc->n_extensions++ == 0 || start < p->doc->first_extension.start)
		p->doc->first_extension = wl_span_make(start, end);
}

/* ---- tokenizer ---- */

static void
add_comment(parser *p, uint32_t start, uint32_t end)
{
	wl_doc *d = p->doc;
	wl_xgrow((void **)&d->comments, &d->cap_comments, d->n_comments + 1, sizeof(*d->comments));
	d->comments[d->n_comments++] = wl_span_make(start, end);
	note_extension(p, start, end);
}

/* Length of a non-ASCII whitespace character at p (as JavaScript's JSON
 * readers skip it), or 0. */
static unsigned
unicode_space_len(const unsigned char *p, size_t avail)
{
	if (avail >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2; /* U+00A0 */
	if (avail < 3)
		return 0;
	if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return 3; /* U+FEFF */
	if (p[0] == 0xE2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
		return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
		return 3; /* U+205F */
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3; /* U+3000 */
	if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
		return 3; /* U+1680 */
	return 0;
}

/* Word-at-a-time scanning (eight bytes per test while eight remain, then
 * byte by byte) for long runs: most of a large config's bytes are
 * indentation, string contents and comments, and a test per byte is what
 * the lexer spent its time on. Runs start byte by byte, as most are short
 * (a key, a line's indentation) and a word test costs more than a few byte
 * tests. The tests below are exact about whether some byte matches, so a hit
 * only sends the scan to its byte loop. */
enum { SHORT_RUN = 16 };
#define WL_ONES  UINT64_C(0x0101010101010101)
#define WL_HIGHS UINT64_C(0x8080808080808080)

static uint64_t
load8(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof(w));
	return w;
}

/* Nonzero when some byte of w is below n (n <= 128). */
static uint64_t
has_below(uint64_t w, unsigned n)
{
	return (w - WL_ONES * n) & ~w & WL_HIGHS;
}

/* 0x80 in exactly the bytes of w that are zero. */
static uint64_t
zero_bytes(uint64_t w)
{
	uint64_t low7 = ~WL_HIGHS;
	return ~(((w & low7) + low7) | w | low7);
}

/* True when all eight bytes are JSON whitespace (space, LF, tab, CR). */
static bool
all_space(uint64_t w)
{
	return (zero_bytes(w ^ (WL_ONES * ' ')) | zero_bytes(w ^ (WL_ONES * '\n')) |
	        zero_bytes(w ^ (WL_ONES * '\t')) | zero_bytes(w ^ (WL_ONES * '\r'))) == WL_HIGHS;
}

/* Nonzero when some byte of w equals c. */
static uint64_t
has_byte(uint64_t w, unsigned char c)
{
	return has_below(w ^ (WL_ONES * c), 1);
}

/* The end of the run of plain string bytes from i: printable ASCII other
 * than the quote and the backslash. */
static uint32_t
plain_string_run(const unsigned char *s, uint32_t i, uint32_t len, unsigned char quote)
{
	uint32_t stop = len - i > SHORT_RUN ? i + SHORT_RUN : len;
	while (i < stop && s[i] >= 0x20 && s[i] < 0x80 && s[i] != quote && s[i] != '\\')
		i++;
	if (i < stop || i == len)
		return i;
	while (len - i >= 8) {
		uint64_t w = load8(s + i);
		if ((w & WL_HIGHS) | has_below(w, 0x20) | has_byte(w, quote) | has_byte(w, '\\'))
			break;
		i += 8;
	}
	while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != quote && s[i] != '\\')
		i++;
	return i;
}

/* The end of a line comment's text from i: the next CR or LF, or len. */
static uint32_t
line_end(const unsigned char *s, uint32_t i, uint32_t len)
{
	const unsigned char *lf = memchr(s + i, '\n', len - i);
	uint32_t end = lf ? (uint32_t)(lf - s) : len;
	const unsigned char *cr = memchr(s + i, '\r', end - i);
	return cr ? (uint32_t)(cr - s) : end;
}

/* Skips whitespace and comments from p->pos and returns the new position
 * (also left in p->pos). The position and the length stay in locals: the
 * coverage counters and sanitizer checks of a fuzzing build are stores the
 * compiler must assume alias the parser, so each p->len would be a load. */
static uint32_t
skip_space(parser *p)
{
	const unsigned char *s = p->s;
	const uint32_t len = p->len;
	uint32_t i = p->pos;
	for (;;) {
		uint32_t short_end = len - i > SHORT_RUN ? i + SHORT_RUN : len;
		for (;;) {
			if (i >= short_end)
				while (len - i >= 8 && all_space(load8(s + i)))
					i += 8;
			if (i < len &&
			    (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
				i++;
			else
				break;
		}
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			uint32_t j = line_end(s, i + 2, len);
			add_comment(p, i, j);
			i = j;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const unsigned char *end = NULL;
			if (i + 2 < len)
				end = memchr(s + i + 2, '*', len - i - 2);
			while (end && !((uint32_t)(end - s) + 1 < len && end[1] == '/'))
				end = (uint32_t)(end - s) + 1 < len
				          ? memchr(end + 1, '*', len - (uint32_t)(end - s) - 1)
				          : NULL;
			if (!end) {
				add_comment(p, i, len);
				syntax_error(
				    p, i, i + 2,
				    "unterminated block comment: '/*' has no closing '*/'");
				i = len;
				break;
			}
			uint32_t j = (uint32_t)(end - s) + 2;
			add_comment(p, i, j);
			i = j;
		} else if (c == '\v' || c == '\f' ||
		           (c >= 0x80 && unicode_space_len(s + i, len - i))) {
			/* wrangler's reader (and JSON.parse) reject these: one
			 * diagnostic for a run of them, then carry on. */
			uint32_t j = i;
			for (;;) {
				unsigned n = 0;
				if (j < len)
					n = (s[j] == '\v' || s[j] == '\f')
					        ? 1
					        : unicode_space_len(s + j, len - j);
				if (!n)
					break;
				j += n;
			}
			unsigned cp = c;
			if (c >= 0xE0)
				cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) |
				     (s[i + 2] & 0x3Fu);
			else if (c >= 0xC0)
				cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
			syntax_error(
			    p, i, j,
			    "whitespace character U+%04X is not allowed in JSON (only space, "
			    "tab, CR and LF are); wrangler rejects the file",
			    cp);
			i = j;
		} else {
			break;
		}
	}
	p->pos = i;
	return i;
}

static void
scratch_append(parser *p, const void *data, size_t n)
{
	wl_xgrow((void **)&p->scratch, &p->scratch_cap, p->scratch_len + n + 1, 1);
	memcpy(p->scratch + p->scratch_len, data, n);
	p->scratch_len += n;
}

/* Encodes in place: a local buffer would give the lexer, into which this
 * is inlined, a guarded stack frame per token under AddressSanitizer. */
static void
scratch_append_cp(parser *p, uint32_t cp)
{
	wl_xgrow((void **)&p->scratch, &p->scratch_cap, p->scratch_len + 4 + 1, 1);
	p->scratch_len += wl_utf8_encode(cp, (unsigned char *)p->scratch + p->scratch_len);
}

static int
hex4(const unsigned char *s, uint32_t avail)
{
	if (avail < 4)
		return -1;
	int v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c = s[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Decodes one escape at p->pos (the backslash) into the scratch buffer. */
static void
lex_escape(parser *p)
{
	const unsigned char *s = p->s;
	uint32_t bs = p->pos;
	uint32_t i = bs + 1;
	if (i >= p->len) {
		p->pos = i;
		return; /* the caller reports the unterminated string */
	}
	unsigned char e = s[i];
	const char *simple = NULL;
	switch (e) {
	case '"':
		simple = "\"";
		break;
	case '\\':
		simple = "\\";
		break;
	case '/':
		simple = "/";
		break;
	case 'b':
		simple = "\b";
		break;
	case 'f':
		simple = "\f";
		break;
	case 'n':
		simple = "\n";
		break;
	case 'r':
		simple = "\r";
		break;
	case 't':
		simple = "\t";
		break;
	default:
		break;
	}
	if (simple) {
		scratch_append(p, simple, 1);
		p->pos = i + 1;
		return;
	}
	if (e == 'u') {
		int cp = hex4(s + i + 1, p->len - i - 1);
		if (cp < 0) {
			uint32_t end = i + 1;
			while (end < p->len && end < i + 5 && s[end] != '"' && s[end] >= 0x20 &&
			       s[end] < 0x80)
				end++;
			syntax_error(p, bs, end,
			             "invalid escape: '\\u' must be followed by four hex digits");
			p->pos = end;
			return;
		}
		uint32_t end = i + 5;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			int lo = -1;
			if (end + 1 < p->len && s[end] == '\\' && s[end + 1] == 'u')
				lo = hex4(s + end + 2, p->len - end - 2);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				scratch_append_cp(p, 0x10000 + (((uint32_t)cp - 0xD800) << 10) +
				                         ((uint32_t)lo - 0xDC00));
				p->pos = end + 6;
				return;
			}
			/* wrangler's reader accepts it (JavaScript strings are
			 * UTF-16), so it is a warning, not a syntax error. */
			wl_diag_add(
			    p->diags, &wl_rule_jsonc_lone_surrogate, wl_span_make(bs, end),
			    "lone surrogate escape '\\u%04X': a high surrogate must be "
			    "followed by a low one (\\uDC00-\\uDFFF); wrangler accepts it, but "
			    "it is not a character and becomes U+FFFD when written as UTF-8",
			    (unsigned)cp);
			scratch_append_cp(p, 0xFFFD);
		} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
			wl_diag_add(
			    p->diags, &wl_rule_jsonc_lone_surrogate, wl_span_make(bs, end),
			    "lone surrogate escape '\\u%04X': a low surrogate without a high "
			    "one; wrangler accepts it, but it is not a character and becomes "
			    "U+FFFD when written as UTF-8",
			    (unsigned)cp);
			scratch_append_cp(p, 0xFFFD);
		} else {
			scratch_append_cp(p, (uint32_t)cp);
		}
		p->pos = end;
		return;
	}
	size_t n = e >= 0x80 ? wl_utf8_valid_len(s + i, p->len - i) : 1;
	if (n == 0)
		n = 1;
	if (e >= 0x20 && e < 0x7F)
		syntax_error(
		    p, bs, i + 1,
		    "invalid escape '\\%c'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and "
		    "\\uXXXX",
		    e);
	else
		syntax_error(p, bs, i + (uint32_t)n, "invalid escape sequence in string");
	/* Keep the decoded string valid UTF-8: an undecodable byte is U+FFFD. */
	if (e >= 0x80 && wl_utf8_valid_len(s + i, p->len - i) == 0)
		scratch_append_cp(p, 0xFFFD);
	else if (e >= 0x20)
		scratch_append(p, s + i, n);
	p->pos = i + (uint32_t)n;
}

static void
lex_string(parser *p, token *t)
{
	const unsigned char *s = p->s;
	const uint32_t len = p->len;
	unsigned char quote = s[p->pos];
	uint32_t start = p->pos;
	uint32_t i = start + 1;
	uint32_t seg = i;
	uint32_t content_end;
	bool scratch = false;
	p->scratch_len = 0;
	if (quote == '\'')
		syntax_error(p, start, start + 1,
		             "single-quoted string; JSON strings use double quotes");
	for (;;) {
		i = plain_string_run(s, i, len, quote);
		if (i >= len || s[i] == '\n' || s[i] == '\r') {
			syntax_error(p, start, i, "unterminated string: missing closing quote");
			content_end = i;
			break;
		}
		unsigned char c = s[i];
		if (c == quote) {
			content_end = i++;
			break;
		}
		if (c == '\\') {
			scratch_append(p, s + seg, i - seg);
			scratch = true;
			p->pos = i;
			lex_escape(p);
			i = p->pos;
			seg = i;
			continue;
		}
		if (c < 0x20) {
			if (c == 0)
				syntax_error(p, i, i + 1, "NUL byte inside a string");
			else
				syntax_error(
				    p, i, i + 1,
				    "control character U+%04X inside a string; write it as an "
				    "escape such as \\u%04X",
				    c, c);
			i++;
			continue;
		}
		size_t n = wl_utf8_valid_len(s + i, len - i);
		if (n == 0) {
			syntax_error(p, i, i + 1, "invalid UTF-8 byte 0x%02X inside a string", c);
			scratch_append(p, s + seg, i - seg);
			scratch_append_cp(p, 0xFFFD);
			scratch = true;
			i++;
			seg = i;
			continue;
		}
		i += (uint32_t)n;
	}
	if (scratch) {
		scratch_append(p, s + seg, content_end - seg);
		t->str = p->scratch;
		t->str_len = p->scratch_len;
	} else {
		t->str = (const char *)s + start + 1;
		t->str_len = content_end - start - 1;
	}
	t->kind = T_STRING;
	t->start = start;
	t->end = i;
	p->pos = i;
}

static bool
is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A uint64 is a double exactly when its bits below the top 53 are zero. */
static bool
u64_fits_double(uint64_t v)
{
	if (v <= UINT64_C(1) << 53)
		return true;
	unsigned bits = 0;
	for (uint64_t x = v; x; x >>= 1)
		bits++;
	return bits <= 53 || (v & ((UINT64_C(1) << (bits - 53)) - 1)) == 0;
}

static bool
has_nonzero_digit(const char *num)
{
	for (const char *c = num; *c && *c != 'e' && *c != 'E'; c++)
		if (*c >= '1' && *c <= '9')
			return true;
	return false;
}

/* Whether the double prints back as the same integer (digits as written). */
static bool
decimal_matches(const char *num, double d)
{
	char back[400];
	snprintf(back, sizeof(back), "%.0f", d);
	const char *a = num[0] == '-' ? num + 1 : num, *b = back[0] == '-' ? back + 1 : back;
	return strcmp(a, b) == 0;
}

static void
report_inexact(parser *p, uint32_t start, uint32_t end, double as_read)
{
	uint32_t n = end - start;
	wl_diag_add(p->diags, &wl_rule_jsonc_number_range, wl_span_make(start, end),
	            "integer %.*s%s cannot be represented exactly by a JavaScript number; "
	            "wrangler reads it as %.17g",
	            (int)(n > 40 ? 40 : n), (const char *)p->s + start, n > 40 ? "..." : "",
	            as_read);
}

typedef struct number number;

/* The value of a number the tokenizer accepted, s[start, end): an integer
 * that fits in int64 (is_int64, i), else a double (d) read by strtod from a
 * NUL-terminated copy in buf, which holds end - start + 1 bytes; errno is as
 * strtod left it. (The lexer passes its parser's `number`: a local whose
 * address is taken would cost it a guarded stack frame per token under
 * AddressSanitizer.) */
static void
number_value(const unsigned char *s, uint32_t start, uint32_t end, char *buf, number *r)
{
	*r = (number){false, 0, 0};
	bool neg = s[start] == '-', is_int = true, overflow = false;
	uint64_t v = 0;
	for (uint32_t k = start + neg; k < end && is_int; k++) {
		if (!is_digit(s[k])) {
			is_int = false;
		} else if (!overflow) {
			unsigned digit = (unsigned)(s[k] - '0');
			if (v > (UINT64_MAX - digit) / 10)
				overflow = true;
			else
				v = v * 10 + digit;
		}
	}
	if (is_int && !overflow && v <= (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
		r->is_int64 = true;
		r->i = neg ? (int64_t)(0 - v) : (int64_t)v;
		return;
	}
	memcpy(buf, s + start, end - start);
	buf[end - start] = '\0';
	errno = 0;
	r->d = strtod(buf, NULL);
}

static void
lex_number(parser *p, token *t)
{
	const unsigned char *s = p->s;
	uint32_t start = p->pos, end = start;
	while (end < p->len &&
	       (is_word_char(s[end]) || s[end] == '.' || s[end] == '+' || s[end] == '-'))
		end++;
	t->kind = T_NUMBER;
	t->start = start;
	t->end = end;
	t->invalid = false;
	p->pos = end;

	uint32_t i = start;
	bool neg = false, is_int = true;
	if (s[i] == '-') {
		neg = true;
		i++;
	}
	if (i < end && s[i] == '0')
		i++;
	else if (i < end && is_digit(s[i]))
		while (i < end && is_digit(s[i]))
			i++;
	else
		goto bad;
	if (i < end && s[i] == '.') {
		is_int = false;
		i++;
		if (i >= end || !is_digit(s[i]))
			goto bad;
		while (i < end && is_digit(s[i]))
			i++;
	}
	if (i < end && (s[i] == 'e' || s[i] == 'E')) {
		is_int = false;
		i++;
		if (i < end && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= end || !is_digit(s[i]))
			goto bad;
		while (i < end && is_digit(s[i]))
			i++;
	}
	if (i != end)
		goto bad;

	size_t n = end - start;
	char *buf = n < sizeof(p->number_text) ? p->number_text : wl_xmalloc(n + 1);
	number *v = &p->number;
	number_value(s, start, end, buf, v);
	double d = v->d;
	if (v->is_int64) {
		uint64_t magnitude = v->i < 0 ? 0 - (uint64_t)v->i : (uint64_t)v->i;
		if (!u64_fits_double(magnitude))
			report_inexact(p, start, end, (double)v->i);
		t->num_type = json_type_int;
	} else {
		if (isinf(d))
			wl_diag_add(p->diags, &wl_rule_jsonc_number_range, wl_span_make(start, end),
			            "number %.*s%s is too large for a double; JavaScript (and so "
			            "wrangler) reads it as %sInfinity",
			            (int)(n > 40 ? 40 : n), buf, n > 40 ? "..." : "",
			            neg ? "-" : "");
		else if (errno == ERANGE && d == 0 && has_nonzero_digit(buf))
			wl_diag_add(p->diags, &wl_rule_jsonc_number_range, wl_span_make(start, end),
			            "number %.*s%s is too small for a double; JavaScript (and so "
			            "wrangler) reads it as 0",
			            (int)(n > 40 ? 40 : n), buf, n > 40 ? "..." : "");
		else if (is_int && !decimal_matches(buf, d))
			report_inexact(p, start, end, d);
		t->num_type = json_type_double;
	}
	if (buf != p->number_text)
		free(buf);
	return;
bad:
	t->invalid = true;
	syntax_error(p, start, end, "invalid number '%.*s'%s",
	             (int)(end - start > 40 ? 40 : end - start), (const char *)s + start,
	             end - start > 40 ? "..." : "");
}

static bool
is_structural(unsigned char c)
{
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',' || c == '"' ||
	       c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/';
}

/* The end of a run of bytes that cannot continue JSON: up to whitespace, a
 * structural character or a comment, so one stray word is one error. */
static uint32_t
run_end(const parser *p, uint32_t i)
{
	const unsigned char *s = p->s;
	while (i < p->len && !is_structural(s[i]))
		i++;
	while (i < p->len && s[i] == '/' &&
	       !(i + 1 < p->len && (s[i + 1] == '/' || s[i + 1] == '*'))) {
		i++;
		while (i < p->len && !is_structural(s[i]))
			i++;
	}
	return i;
}

static void
lex_junk(parser *p, token *t)
{
	const unsigned char *s = p->s;
	uint32_t start = p->pos;
	unsigned char c = s[start];
	size_t n = c >= 0x80 ? wl_utf8_valid_len(s + start, p->len - start) : 1;
	uint32_t end = run_end(p, start);
	if (end == start)
		end = start + 1;
	if (c == 0)
		syntax_error(p, start, start + 1, "NUL byte; JSONC text cannot contain NUL bytes");
	else if (c >= 0x80 && n == 0)
		syntax_error(p, start, end, "invalid UTF-8 byte 0x%02X", c);
	else if (c >= 0x20 && c < 0x7F)
		syntax_error(p, start, end, "unexpected character '%c'", c);
	else if (c < 0x80)
		syntax_error(p, start, end, "unexpected control character U+%04X", c);
	else
		syntax_error(p, start, end, "unexpected character '%.*s'", (int)n,
		             (const char *)s + start);
	t->kind = T_JUNK;
	t->start = start;
	t->end = end;
	p->pos = end;
}

static void
lex(parser *p, token *t)
{
	/* Field by field: a memset per token is a call under AddressSanitizer. */
	t->str = NULL;
	t->str_len = 0;
	t->num_type = 0;
	t->invalid = false;
	const uint32_t pos = skip_space(p), len = p->len;
	if (pos >= len || p->gave_up) {
		t->kind = T_EOF;
		t->start = t->end = len;
		return;
	}
	const unsigned char *s = p->s;
	unsigned char c = s[pos];
	t->start = pos;
	t->end = pos + 1;
	switch (c) {
	case '{':
		t->kind = T_LBRACE;
		break;
	case '}':
		t->kind = T_RBRACE;
		break;
	case '[':
		t->kind = T_LBRACK;
		break;
	case ']':
		t->kind = T_RBRACK;
		break;
	case ':':
		t->kind = T_COLON;
		break;
	case ',':
		t->kind = T_COMMA;
		break;
	case '"':
	case '\'':
		lex_string(p, t);
		return;
	default:
		if (c == '-' || is_digit(c)) {
			lex_number(p, t);
			return;
		}
		if (is_word_char(c)) {
			uint32_t end = pos;
			while (end < len && is_word_char(s[end]))
				end++;
			if (end < len && !is_structural(s[end]) && s[end] != ' ')
				end = run_end(p, end); /* e.g. src/index.ts: one word */
			t->kind = T_WORD;
			t->end = end;
			p->pos = end;
			return;
		}
		lex_junk(p, t);
		return;
	}
	p->pos = pos + 1;
}

static token *
peek(parser *p)
{
	if (!p->have_tok) {
		lex(p, &p->tok);
		p->have_tok = true;
	}
	return &p->tok;
}

static void
consume(parser *p)
{
	p->have_tok = false;
}

/* ---- parser ---- */

static wl_node *
new_node(parser *p, enum json_type type, uint32_t start, uint32_t end)
{
	wl_node *n = wl_arena_alloc(&p->doc->arena, sizeof(*n));
	n->type = (uint8_t)type;
	n->span = wl_span_make(start, end);
	return n;
}

static wl_node *
invalid_node(parser *p, uint32_t start, uint32_t end)
{
	wl_node *n = new_node(p, json_type_null, start, end);
	n->flags = WL_NODE_INVALID;
	return n;
}

static bool
word_is(parser *p, const token *t, const char *w)
{
	size_t n = strlen(w);
	return t->end - t->start == n && memcmp(p->s + t->start, w, n) == 0;
}

static wl_node *parse_value(parser *p);

/* Skips one over-deep value without recursion. */
static wl_node *
skip_deep(parser *p)
{
	token *t = peek(p);
	uint32_t start = t->start, end = t->end;
	if (!p->depth_reported) {
		wl_diag_add(p->diags, &wl_rule_jsonc_nesting_too_deep,
		            wl_span_make(t->start, t->end),
		            "arrays and objects are nested more than %d levels deep; this value is "
		            "skipped",
		            WL_MAX_DEPTH);
		p->depth_reported = true;
	}
	note_error(p);
	size_t level = 0;
	do {
		t = peek(p);
		if (t->kind == T_EOF)
			break;
		if (t->kind == T_LBRACE || t->kind == T_LBRACK)
			level++;
		else if (t->kind == T_RBRACE || t->kind == T_RBRACK)
			level--;
		end = t->end;
		consume(p);
	} while (level > 0);
	return invalid_node(p, start, end);
}

static bool
starts_value(tok_kind k)
{
	return k == T_LBRACE || k == T_LBRACK || k == T_STRING || k == T_NUMBER || k == T_WORD ||
	       k == T_JUNK;
}

/* Finding the member a duplicate shadows: a scan of the members while the
 * object is small (most are), an index built on first need past that (on
 * the heap: an index on the stack would cost every value a guarded frame
 * under AddressSanitizer, as parse_object is inlined into parse_value), so a
 * hostile run of repeated keys stays linear. */
enum { MEMBER_SCAN_MAX = 8 };

static wl_strmap *
index_members(const wl_node *obj)
{
	wl_strmap *ix = wl_xcalloc(1, sizeof(*ix));
	wl_strmap_init(ix);
	for (wl_node *c = obj->first_child; c; c = c->next)
		if (!(c->flags & WL_NODE_SHADOWED))
			wl_strmap_put(ix, c->key, c);
	return ix;
}

static wl_node *
shadowed_member(wl_node *obj, wl_strmap **ix, const char *key)
{
	if (!*ix && obj->n_children <= MEMBER_SCAN_MAX) {
		for (wl_node *c = obj->first_child; c; c = c->next)
			if (!(c->flags & WL_NODE_SHADOWED) && strcmp(c->key, key) == 0)
				return c;
		return NULL;
	}
	if (!*ix)
		*ix = index_members(obj);
	return wl_strmap_get(*ix, key);
}

static void
add_member(parser *p, wl_node *obj, wl_node **tail, wl_node *m, const char *key, wl_strmap **ix)
{
	wl_node *prev = shadowed_member(obj, ix, key);
	if (prev) {
		if (!p->in_junk) {
			wl_diag *d = wl_diag_add(
			    p->diags, &wl_rule_jsonc_duplicate_key, m->key_span,
			    "duplicate key \"%s\": wrangler silently uses this later value "
			    "and ignores the earlier one",
			    key);
			if (d != &p->diags->sink) {
				wl_xgrow((void **)&p->pending, &p->cap_pending, p->n_pending + 1,
				         sizeof(*p->pending));
				p->pending[p->n_pending].diag = (size_t)(d - p->diags->items);
				p->pending[p->n_pending++].node = m;
			}
			wl_diag_add_related(d, prev->key_span, "\"%s\" previously defined here",
			                    key);
			/* Unsafe: the earlier value may be the one that was meant. */
			if (d != &p->diags->sink &&
			    wl_fix_remove_member(d, p->doc, prev,
			                         "remove the earlier, ignored member"))
				wl_diag_set_fix_safety(d, WL_FIX_UNSAFE);
		}
		prev->flags |= WL_NODE_SHADOWED;
		m->flags |= WL_NODE_REPEATS;
	}
	m->parent = obj;
	m->key = key;
	m->index = obj->n_children++;
	if (*ix)
		wl_strmap_put(*ix, key, m);
	if (*tail)
		(*tail)->next = m;
	else
		obj->first_child = m;
	*tail = m;
}

static wl_node *
parse_object(parser *p)
{
	token *t = peek(p);
	uint32_t open = t->start;
	wl_node *obj = new_node(p, json_type_object, open, t->end);
	consume(p);
	wl_node *tail = NULL;
	wl_strmap *index = NULL;
	bool after_comma = false, after_member = false;
	uint32_t last_comma = 0, last_end = obj->span.end;
	for (;;) {
		t = peek(p);
		if (t->kind == T_RBRACE) {
			if (after_comma)
				note_extension(p, last_comma, last_comma + 1);
			obj->span.end = t->end;
			consume(p);
			break;
		}
		if (t->kind == T_EOF) {
			wl_diag *d =
			    syntax_error(p, last_end, last_end,
			                 "unterminated object: expected '}' before the end of "
			                 "the file");
			if (d)
				wl_diag_add_related(d, wl_span_make(open, open + 1),
				                    "object opened here");
			obj->span.end = last_end;
			break;
		}
		if (t->kind == T_RBRACK) {
			/* Most often a typo for '}': close the object with it. */
			wl_diag *d = syntax_error(p, t->start, t->end,
			                          "expected '}' to close the object, found ']'");
			if (d)
				wl_diag_add_related(d, wl_span_make(open, open + 1),
				                    "object opened here");
			obj->span.end = t->end;
			consume(p);
			break;
		}
		if (t->kind == T_COMMA) {
			if (!after_member || after_comma)
				syntax_error(p, t->start, t->end,
				             "unexpected ',': expected a property name");
			after_comma = true;
			last_comma = t->start;
			consume(p);
			continue;
		}
		if (t->kind == T_COLON) {
			syntax_error(p, t->start, t->end,
			             "unexpected ':': expected a property name");
			consume(p);
			continue;
		}
		/* A member (or something in its place). */
		if (after_member && !after_comma)
			add_fix(syntax_error(p, last_end, last_end,
			                     "expected ',' between object members"),
			        "insert ','", last_end, ",");
		after_comma = false;
		uint32_t kstart = t->start, kend = t->end;
		char *key = NULL;
		if (t->kind == T_STRING) {
			key = wl_doc_text(p->doc, t->str, t->str_len);
			consume(p);
		} else if (t->kind == T_WORD) {
			consume(p);
			if (peek(p)->kind == T_COLON) {
				syntax_error(p, kstart, kend,
				             "property name '%.*s' must be a double-quoted string",
				             (int)(kend - kstart), (const char *)p->s + kstart);
				key = wl_arena_strndup(&p->doc->arena, (const char *)p->s + kstart,
				                       kend - kstart);
			} else {
				syntax_error(
				    p, kstart, kend,
				    "expected a property name in double quotes, found '%.*s'",
				    (int)(kend - kstart > 40 ? 40 : kend - kstart),
				    (const char *)p->s + kstart);
				after_member = true;
				last_end = kend;
				continue;
			}
		} else {
			/* Not a key: report once, then read the value to stay in step. */
			if (t->kind != T_JUNK)
				syntax_error(p, t->start, t->end,
				             "expected a property name in double quotes");
			p->in_junk++;
			wl_node *junk = parse_value(p);
			p->in_junk--;
			after_member = true;
			last_end = junk->span.end;
			continue;
		}
		t = peek(p);
		wl_node *val;
		if (t->kind == T_COLON) {
			consume(p);
			t = peek(p);
			if (starts_value(t->kind)) {
				val = parse_value(p);
			} else {
				syntax_error(p, t->start, t->start, "expected a value for \"%s\"",
				             key);
				val = invalid_node(p, t->start, t->start);
			}
		} else if (starts_value(t->kind)) {
			add_fix(syntax_error(p, kend, kend,
			                     "expected ':' after property name \"%s\"", key),
			        "insert ':'", kend, ":");
			val = parse_value(p);
		} else {
			syntax_error(p, kend, kend,
			             "expected ':' and a value after property name \"%s\"", key);
			val = invalid_node(p, kend, kend);
		}
		val->key_span = wl_span_make(kstart, kend);
		add_member(p, obj, &tail, val, key, &index);
		after_member = true;
		last_end = val->span.end;
	}
	if (index) {
		wl_strmap_free(index);
		free(index);
	}
	return obj;
}

static wl_node *
parse_array(parser *p)
{
	token *t = peek(p);
	uint32_t open = t->start;
	wl_node *arr = new_node(p, json_type_array, open, t->end);
	consume(p);
	wl_node *tail = NULL;
	bool after_comma = false, after_item = false;
	uint32_t last_comma = 0, last_end = arr->span.end;
	for (;;) {
		t = peek(p);
		if (t->kind == T_RBRACK) {
			if (after_comma)
				note_extension(p, last_comma, last_comma + 1);
			arr->span.end = t->end;
			consume(p);
			break;
		}
		if (t->kind == T_EOF) {
			wl_diag *d =
			    syntax_error(p, last_end, last_end,
			                 "unterminated array: expected ']' before the end of "
			                 "the file");
			if (d)
				wl_diag_add_related(d, wl_span_make(open, open + 1),
				                    "array opened here");
			arr->span.end = last_end;
			break;
		}
		if (t->kind == T_RBRACE) {
			/* Most often a typo for ']': close the array with it. */
			wl_diag *d = syntax_error(p, t->start, t->end,
			                          "expected ']' to close the array, found '}'");
			if (d)
				wl_diag_add_related(d, wl_span_make(open, open + 1),
				                    "array opened here");
			arr->span.end = t->end;
			consume(p);
			break;
		}
		if (t->kind == T_COMMA) {
			if (!after_item || after_comma)
				syntax_error(p, t->start, t->end,
				             "unexpected ',': expected a value");
			after_comma = true;
			last_comma = t->start;
			consume(p);
			continue;
		}
		if (t->kind == T_COLON) {
			syntax_error(p, t->start, t->end, "unexpected ':' in an array");
			consume(p);
			continue;
		}
		if (after_item && !after_comma)
			add_fix(
			    syntax_error(p, last_end, last_end, "expected ',' between array items"),
			    "insert ','", last_end, ",");
		after_comma = false;
		wl_node *item = parse_value(p);
		item->parent = arr;
		item->index = arr->n_children++;
		if (tail)
			tail->next = item;
		else
			arr->first_child = item;
		tail = item;
		after_item = true;
		last_end = item->span.end;
	}
	return arr;
}

/* Parses the value at the current token; the token must start a value. */
static wl_node *
parse_value(parser *p)
{
	token *t = peek(p);
	wl_node *n;
	switch (t->kind) {
	case T_LBRACE:
	case T_LBRACK:
		if (p->depth >= WL_MAX_DEPTH)
			return skip_deep(p);
		p->depth++;
		n = t->kind == T_LBRACE ? parse_object(p) : parse_array(p);
		p->depth--;
		return n;
	case T_STRING:
		n = new_node(p, json_type_string, t->start, t->end);
		n->str = wl_doc_text(p->doc, t->str, t->str_len);
		if (memchr(t->str, '\0', t->str_len)) {
			wl_xgrow((void **)&p->nul_strings, &p->cap_nul_strings,
			         p->n_nul_strings + 1, sizeof(*p->nul_strings));
			p->nul_strings[p->n_nul_strings++] = (nul_string){
			    n, wl_arena_strndup(&p->doc->arena, t->str, t->str_len), t->str_len};
		}
		consume(p);
		return n;
	case T_NUMBER:
		if (t->invalid)
			n = invalid_node(p, t->start, t->end);
		else
			n = new_node(p, t->num_type, t->start, t->end);
		consume(p);
		return n;
	case T_WORD:
		if (word_is(p, t, "true") || word_is(p, t, "false")) {
			n = new_node(p, json_type_boolean, t->start, t->end);
		} else if (word_is(p, t, "null")) {
			n = new_node(p, json_type_null, t->start, t->end);
		} else {
			syntax_error(
			    p, t->start, t->end,
			    "unexpected word '%.*s'; strings must be in double quotes, and "
			    "JSON has only true, false and null",
			    (int)(t->end - t->start > 40 ? 40 : t->end - t->start),
			    (const char *)p->s + t->start);
			n = invalid_node(p, t->start, t->end);
		}
		consume(p);
		return n;
	case T_JUNK:
		n = invalid_node(p, t->start, t->end);
		consume(p);
		return n;
	default:
		syntax_error(p, t->start, t->end, "expected a value");
		return invalid_node(p, t->start, t->start);
	}
}

/* A file whose first bytes hold NUL or mostly undecodable bytes is not text:
 * one diagnostic says so instead of hundreds of syntax errors. */
static bool
looks_binary(const unsigned char *s, uint32_t len, uint32_t *at)
{
	uint32_t n = len < 4096 ? len : 4096, bad = 0, first_bad = 0;
	for (uint32_t i = 0; i < n;) {
		/* Eight printable ASCII bytes at a time: this runs before every
		 * parse, over most of a small file. */
		if (n - i >= 8) {
			uint64_t w = load8(s + i);
			if (!((w & WL_HIGHS) | has_below(w, 0x20))) {
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c == 0) {
			*at = i;
			return true;
		}
		size_t k = c >= 0x80 ? wl_utf8_valid_len(s + i, len - i) : 1;
		if (k == 0 ||
		    (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')) {
			if (bad++ == 0)
				first_bad = i;
			k = 1;
		}
		i += (uint32_t)k;
	}
	*at = first_bad;
	return n >= 16 && bad * 10 > n;
}

/* "little-endian" or "big-endian" when the bytes start with a UTF-16 byte
 * order mark, or when the first bytes alternate NUL and non-NUL as ASCII
 * text in UTF-16 does; NULL otherwise. */
static const char *
looks_utf16(const unsigned char *s, uint32_t len)
{
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return "little-endian";
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return "big-endian";
	uint32_t pairs = (len < 512 ? len : 512) / 2, le = 0, be = 0;
	for (uint32_t i = 0; i < pairs; i++) {
		unsigned a = s[2 * i], b = s[2 * i + 1];
		le += a != 0 && b == 0;
		be += a == 0 && b != 0;
	}
	if (pairs >= 1 && le * 10 >= pairs * 9)
		return "little-endian";
	if (pairs >= 1 && be * 10 >= pairs * 9)
		return "big-endian";
	return NULL;
}

/* ---- the document: json-c values for the finished tree ---- */

typedef struct builder {
	wl_doc *doc;
	const nul_string *nul; /* in source order, as the walk meets them */
	size_t n_nul, next_nul;
	/* Here rather than on the stack, as for the lexer (number_value). */
	char number_text[64];
	number number;
} builder;

static struct json_object *
string_value(builder *b, const wl_node *n)
{
	/* Entries of discarded (junk) values are passed over. */
	while (b->next_nul < b->n_nul && b->nul[b->next_nul].node->span.start < n->span.start)
		b->next_nul++;
	if (b->next_nul < b->n_nul && b->nul[b->next_nul].node == n) {
		const nul_string *e = &b->nul[b->next_nul++];
		return json_object_new_string_len(e->bytes, (int)e->len);
	}
	return json_object_new_string(n->str);
}

static struct json_object *
number_json(builder *b, const wl_node *n)
{
	size_t len = n->span.end - n->span.start;
	char *buf = len < sizeof(b->number_text) ? b->number_text : wl_xmalloc(len + 1);
	number_value((const unsigned char *)b->doc->src->bytes, n->span.start, n->span.end, buf,
	             &b->number);
	if (buf != b->number_text)
		free(buf);
	return b->number.is_int64 ? json_object_new_int64(b->number.i)
	                          : json_object_new_double(b->number.d);
}

static struct json_object *
build_value(builder *b, wl_node *n)
{
	struct json_object *v;
	switch (n->type) {
	case json_type_object:
		v = json_object_new_object();
		for (wl_node *c = n->first_child; c; c = c->next) {
			struct json_object *cv = build_value(b, c);
			if (!(c->flags & WL_NODE_REPEATS)) {
				json_object_object_add_ex(v, c->key, cv,
				                          JSON_C_OBJECT_ADD_KEY_IS_NEW |
				                              JSON_C_OBJECT_KEY_IS_CONSTANT);
				continue;
			}
			/* json-c frees the value it replaces; the shadowed node still
			 * points at it, so the document keeps a reference. */
			struct json_object *old = json_object_object_get(v, c->key);
			if (old) {
				wl_doc *doc = b->doc;
				wl_xgrow((void **)&doc->orphans, &doc->cap_orphans,
				         doc->n_orphans + 1, sizeof(*doc->orphans));
				doc->orphans[doc->n_orphans++] = json_object_get(old);
			}
			json_object_object_add_ex(v, c->key, cv, JSON_C_OBJECT_KEY_IS_CONSTANT);
		}
		break;
	case json_type_array:
		/* Sized exactly: json-c's default reserves 32 slots. */
		v = json_object_new_array_ext(n->n_children ? (int)n->n_children : 1);
		for (wl_node *c = n->first_child; c; c = c->next)
			json_object_array_add(v, build_value(b, c));
		break;
	case json_type_string:
		v = string_value(b, n);
		break;
	case json_type_int:
	case json_type_double:
		v = number_json(b, n);
		break;
	case json_type_boolean:
		v = json_object_new_boolean(b->doc->src->bytes[n->span.start] == 't');
		break;
	default: /* null, and values that could not be read */
		return NULL;
	}
	n->value = v;
	json_object_set_userdata(v, n, NULL);
	return v;
}

static wl_doc *
parse(wl_source *src, wl_diag_list *diags, bool values)
{
	wl_doc *doc = wl_xcalloc(1, sizeof(*doc));
	doc->src = src;
	parser p;
	memset(&p, 0, sizeof(p));
	p.doc = doc;
	p.s = (const unsigned char *)src->bytes;
	p.len = (uint32_t)src->len;
	p.diags = diags;
	if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;

	uint32_t at;
	const char *utf16 = looks_utf16(p.s, p.len);
	if (utf16) {
		bool bom = p.len >= 2 && ((p.s[0] == 0xFF && p.s[1] == 0xFE) ||
		                          (p.s[0] == 0xFE && p.s[1] == 0xFF));
		syntax_error(&p, 0, bom ? 2 : 0,
		             "this file looks like UTF-16 (%s%s); a wrangler config must be UTF-8: "
		             "convert it, e.g. with iconv -f UTF-16 -t UTF-8",
		             utf16, bom ? ", with a byte order mark" : "");
		free(p.last_error);
		return doc;
	}
	if (looks_binary(p.s, p.len, &at)) {
		syntax_error(&p, at, at + 1,
		             "this is not a text file (%s at byte %u); a wrangler config is UTF-8 "
		             "JSONC",
		             p.s[at] == 0 ? "NUL byte" : "undecodable bytes", at);
		free(p.last_error);
		return doc;
	}

	token *t = peek(&p);
	if (t->kind == T_EOF) {
		if (!p.gave_up)
			syntax_error(&p, t->start, t->start,
			             doc->n_comments
			                 ? "no value: the file holds only comments; expected "
			                   "a JSON object"
			                 : "the file is empty; expected a JSON object");
	} else {
		if (!starts_value(t->kind)) {
			syntax_error(&p, t->start, t->end, "expected a JSON object");
			while ((t = peek(&p))->kind != T_EOF && !starts_value(t->kind))
				consume(&p);
		}
		if (t->kind != T_EOF) {
			doc->root = parse_value(&p);
			t = peek(&p);
			if (t->kind != T_EOF)
				syntax_error(
				    &p, t->start, t->end,
				    "unexpected content after the end of the top-level value");
			const wl_node *r = doc->root;
			if (!(r->flags & WL_NODE_INVALID) && r->type != json_type_object)
				syntax_error(&p, r->span.start, r->span.end,
				             "a wrangler configuration is a JSON object, not %s%s",
				             r->type == json_type_null    ? ""
				             : r->type == json_type_array ? "an "
				                                          : "a ",
				             wl_node_type_name(r));
		}
	}
	consume(&p);
	for (size_t i = 0; i < p.n_pending; i++) {
		wl_diag *d = &diags->items[p.pending[i].diag];
		wl_diag_set_pointer(d, wl_node_pointer(p.pending[i].node, d->arena));
	}
	if (values && doc->root) {
		builder b = {doc, p.nul_strings, p.n_nul_strings, 0, {0}, {false, 0, 0}};
		doc->root_value = build_value(&b, doc->root);
	}
	free(p.nul_strings);
	free(p.pending);
	free(p.scratch);
	free(p.last_error);
	return doc;
}

wl_doc *
wl_jsonc_parse(wl_source *src, wl_diag_list *diags)
{
	return parse(src, diags, true);
}

wl_doc *
wl_jsonc_parse_tree(wl_source *src, wl_diag_list *diags)
{
	return parse(src, diags, false);
}
