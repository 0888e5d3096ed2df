#include "toml.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonc.h"
#include "rules_syntax.h"

/* How a table or array came to be; TOML's redefinition rules depend on it. */
typedef enum {
	K_VALUE,    /* a scalar */
	K_IMPLICIT, /* a table created as a prefix of a header: [a] for [a.b] */
	K_EXPLICIT, /* a table defined by its own header */
	K_DOTTED,   /* a table created by a dotted key */
	K_INLINE,   /* an inline table: closed for good */
	K_AOT,      /* an array of tables */
	K_ARRAY,    /* a static array: closed for good */
} tkind;

/* Every node is a tnode; wl_node comes first, so the node behind a json-c
 * value (its userdata) can be cast back. */
typedef struct tnode {
	wl_node n;
	wl_node *tail; /* last child, for appending in source order */
	uint16_t depth;
	uint8_t kind;
} tnode;

typedef struct keyseg {
	const char *key; /* arena */
	wl_span span;
} keyseg;

typedef struct parser {
	wl_doc *doc;
	const unsigned char *s;
	uint32_t len, pos;
	wl_diag_list *diags;
	unsigned n_errors;
	bool gave_up, depth_reported;
	/* An array or inline table left open ended at a line that starts a new
	 * statement: every caller stops, and the main loop reads that line. */
	bool resync;
	char *scratch;
	size_t scratch_len, scratch_cap;
	keyseg *segs;
	size_t n_segs, cap_segs;
	tnode *root, *cur;
	/* The tables the last good header went through, one per segment (the
	 * last element for arrays of tables): the next header usually shares
	 * its prefix ([[env.X.durable_objects.bindings]] again and again). */
	struct hop {
		const char *key;
		tnode *table;
	} * hops;
	size_t n_hops, cap_hops;
	wl_toml_header *cur_header; /* NULL above the first header */
	wl_toml_info *info;
	wl_toml_header *last_header;
	wl_toml_key *last_key;
} parser;

bool
wl_path_is_toml(const char *path)
{
	size_t n = strlen(path);
	return n >= 5 && strcasecmp(path + n - 5, ".toml") == 0;
}

static wl_diag *syntax_error(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
    WL_PRINTF(4, 5);

static wl_diag *
syntax_error(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
{
	p->doc->syntax_errors = true;
	if (p->gave_up)
		return NULL;
	if (++p->n_errors > WL_MAX_SYNTAX_ERRORS) {
		wl_diag_add(
		    p->diags, &wl_rule_toml_syntax, wl_span_make(start, end),
		    "too many syntax errors (more than %d); the rest of the file is not read",
		    WL_MAX_SYNTAX_ERRORS);
		/* The loops check gave_up and stop; pos stays where it is, so no
		 * caller steps past the end. */
		p->gave_up = true;
		return NULL;
	}
	va_list ap;
	va_start(ap, fmt);
	wl_diag *d =
	    wl_diag_addv(p->diags, &wl_rule_toml_syntax, wl_span_make(start, end), fmt, ap);
	va_end(ap);
	return d;
}

static void
related(wl_diag *d, wl_span sp, const char *what)
{
	if (d)
		wl_diag_add_related(d, sp, "%s", what);
}

/* ---- nodes ---- */

static tnode *
new_node(parser *p, enum json_type type, tkind kind, uint32_t start, uint32_t end)
{
	tnode *t = wl_arena_alloc(&p->doc->arena, sizeof(*t));
	t->n.type = (uint8_t)type;
	t->n.span = wl_span_make(start, end);
	t->kind = (uint8_t)kind;
	return t;
}

static void
attach(tnode *t, struct json_object *v)
{
	t->n.value = v;
	if (v)
		json_object_set_userdata(v, &t->n, NULL);
}

static tnode *
new_table(parser *p, tkind kind, wl_span sp)
{
	tnode *t = new_node(p, json_type_object, kind, sp.start, sp.end);
	attach(t, json_object_new_object());
	return t;
}

static tnode *
invalid_node(parser *p, uint32_t start, uint32_t end)
{
	tnode *t = new_node(p, json_type_null, K_VALUE, start, end);
	t->n.flags = WL_NODE_INVALID;
	return t;
}

/* A value that never joins the tree is kept alive with the document (the
 * json-c tree must not reference freed nodes, nor leak). */
static void
orphan(parser *p, tnode *t)
{
	if (!t->n.value)
		return;
	wl_doc *d = p->doc;
	wl_xgrow((void **)&d->orphans, &d->cap_orphans, d->n_orphans + 1, sizeof(*d->orphans));
	d->orphans[d->n_orphans++] = t->n.value;
}

static void
link_child(tnode *parent, tnode *c)
{
	c->n.parent = &parent->n;
	c->n.index = parent->n.n_children++;
	if (parent->tail)
		parent->tail->next = &c->n;
	else
		parent->n.first_child = &c->n;
	parent->tail = &c->n;
	c->depth = (uint16_t)(parent->depth + 1);
}

/* Looks `key` up in table t; *hash gets its hash for add_member, so a new
 * key is hashed once (through json-c's own table). */
static tnode *
lookup(tnode *t, const char *key, unsigned long *hash)
{
	struct lh_table *tbl = json_object_get_object(t->n.value);
	*hash = lh_get_hash(tbl, key);
	struct lh_entry *e = lh_table_lookup_entry_w_hash(tbl, key, *hash);
	if (!e)
		return NULL;
	struct json_object *v = (struct json_object *)lh_entry_v(e);
	if (v)
		return (tnode *)json_object_get_userdata(v);
	/* An invalid value (no json-c object); at most WL_MAX_SYNTAX_ERRORS exist. */
	for (wl_node *c = t->n.first_child; c; c = c->next)
		if (strcmp(c->key, key) == 0)
			return (tnode *)c;
	return NULL;
}

/* Adds a member known to be new, with the hash lookup() computed. */
static void
add_member(tnode *t, tnode *c, const char *key, wl_span key_span, unsigned long hash)
{
	lh_table_insert_w_hash(json_object_get_object(t->n.value), key, c->n.value, hash,
	                       JSON_C_OBJECT_ADD_CONSTANT_KEY);
	c->n.key = key;
	c->n.key_span = key_span;
	link_child(t, c);
}

static const char *
describe(const tnode *t)
{
	switch ((tkind)t->kind) {
	case K_IMPLICIT:
	case K_EXPLICIT:
		return "a table";
	case K_DOTTED:
		return "a table defined by dotted keys";
	case K_INLINE:
		return "an inline table";
	case K_AOT:
		return "an array of tables";
	case K_ARRAY:
		return "an array";
	case K_VALUE:
		break;
	}
	return t->n.flags & WL_NODE_DATETIME ? "a date-time value" : "a value";
}

/* ---- characters ---- */

/* Bare-key characters: A-Z a-z 0-9 _ - (a table: this is the hot loop). */
static const unsigned char bare_chars[256] = {
    ['-'] = 1, ['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static bool
is_bare(unsigned char c)
{
	return bare_chars[c];
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
skip_ws(parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static bool
at_newline(const parser *p)
{
	return p->pos < p->len &&
	       (p->s[p->pos] == '\n' ||
	        (p->s[p->pos] == '\r' && p->pos + 1 < p->len && p->s[p->pos + 1] == '\n'));
}

static void
skip_newline(parser *p)
{
	p->pos += p->s[p->pos] == '\r' ? 2 : 1;
}

/* Skips the rest of the line (after an error), newline included. */
static void
skip_line(parser *p)
{
	const unsigned char *nl =
	    p->pos < p->len ? memchr(p->s + p->pos, '\n', p->len - p->pos) : NULL;
	p->pos = nl ? (uint32_t)(nl - p->s) + 1 : p->len;
}

static void
schema_directive(parser *p, uint32_t start, uint32_t end)
{
	/* taplo: `#:schema PATH` names the file's schema. */
	uint32_t i = start + 8;
	while (i < end && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	uint32_t e = end;
	while (e > i && (p->s[e - 1] == ' ' || p->s[e - 1] == '\t' || p->s[e - 1] == '\r'))
		e--;
	if (e == i || p->info->schema)
		return;
	tnode *t = new_node(p, json_type_string, K_VALUE, i, e);
	attach(t, json_object_new_string_len((const char *)p->s + i, (int)(e - i)));
	t->n.str = wl_arena_strndup(&p->doc->arena, (const char *)p->s + i, e - i);
	orphan(p, t);
	/* Reported as "/$schema", like the JSON member it stands for; the root
	 * does not list it among its children. */
	t->n.parent = &p->root->n;
	t->n.key = "$schema";
	t->n.key_span = t->n.span;
	p->info->schema = &t->n;
}

/* Reads a comment at p->pos ('#') to the end of the line. */
static void
lex_comment(parser *p)
{
	uint32_t start = p->pos, i = start + 1;
	const unsigned char *s = p->s;
	while (i < p->len && s[i] != '\n') {
		unsigned char c = s[i];
		if (c == '\r' && i + 1 < p->len && s[i + 1] == '\n')
			break;
		if (c >= 0x80) {
			size_t n = wl_utf8_valid_len(s + i, p->len - i);
			if (!n) {
				syntax_error(p, i, i + 1, "invalid UTF-8 byte 0x%02X in a comment",
				             c);
				n = 1;
			}
			i += (uint32_t)n;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			syntax_error(p, i, i + 1,
			             "control character U+%04X in a comment; TOML allows only tab",
			             c);
		i++;
	}
	wl_doc *d = p->doc;
	wl_xgrow((void **)&d->comments, &d->cap_comments, d->n_comments + 1, sizeof(*d->comments));
	d->comments[d->n_comments++] = wl_span_make(start, i);
	if (i - start >= 8 && memcmp(s + start, "#:schema", 8) == 0 &&
	    (i - start == 8 || s[start + 8] == ' ' || s[start + 8] == '\t'))
		schema_directive(p, start, i);
	p->pos = i;
}

/* Whitespace, newlines and comments (inside arrays, and between lines). */
static void
skip_ws_nl(parser *p)
{
	for (;;) {
		skip_ws(p);
		if (p->pos >= p->len)
			return;
		if (at_newline(p))
			skip_newline(p);
		else if (p->s[p->pos] == '#')
			lex_comment(p);
		else
			return;
	}
}

/* After a reported error in a header: up to the comment or the line break,
 * which end_of_line then reads. */
static void
skip_rest(parser *p)
{
	while (p->pos < p->len && p->s[p->pos] != '\n' && p->s[p->pos] != '#')
		p->pos++;
	if (p->pos > 0 && p->pos < p->len && p->s[p->pos] == '\n' && p->s[p->pos - 1] == '\r')
		p->pos--;
}

/* ---- strings ---- */

static void
scratch_append(parser *p, const void *data, size_t n)
{
	wl_xgrow((void **)&p->scratch, &p->scratch_cap, p->scratch_len + n + 1, 1);
	memcpy(p->scratch + p->scratch_len, data, n);
	p->scratch_len += n;
}

static void
scratch_append_cp(parser *p, uint32_t cp)
{
	unsigned char b[4];
	scratch_append(p, b, wl_utf8_encode(cp, b));
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape at p->pos (the backslash) of a basic string. */
static void
lex_escape(parser *p)
{
	const unsigned char *s = p->s;
	uint32_t bs = p->pos, i = bs + 1;
	if (i >= p->len) {
		p->pos = i;
		return;
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
	case 'b':
		simple = "\b";
		break;
	case 't':
		simple = "\t";
		break;
	case 'n':
		simple = "\n";
		break;
	case 'f':
		simple = "\f";
		break;
	case 'r':
		simple = "\r";
		break;
	default:
		break;
	}
	if (simple) {
		scratch_append(p, simple, 1);
		p->pos = i + 1;
		return;
	}
	if (e == 'u' || e == 'U') {
		uint32_t want = e == 'u' ? 4 : 8, k = 0, cp = 0;
		while (k < want && i + 1 + k < p->len && hexval(s[i + 1 + k]) >= 0)
			cp = cp * 16 + (uint32_t)hexval(s[i + 1 + k++]);
		if (k < want) {
			syntax_error(p, bs, i + 1 + k,
			             "invalid escape: '\\%c' must be followed by %u hex digits", e,
			             want);
			p->pos = i + 1 + k;
			return;
		}
		if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
			syntax_error(p, bs, i + 1 + want,
			             "escape '\\%c%.*s' is not a Unicode scalar value", e,
			             (int)want, (const char *)s + i + 1);
			cp = 0xFFFD;
		}
		scratch_append_cp(p, cp);
		p->pos = i + 1 + want;
		return;
	}
	size_t n = e >= 0x80 ? wl_utf8_valid_len(s + i, p->len - i) : 1;
	if (!n)
		n = 1;
	if (e >= 0x20 && e < 0x7F)
		syntax_error(p, bs, i + 1,
		             "invalid escape '\\%c'; TOML 1.0 allows \\b \\t \\n \\f \\r \\\" \\\\ "
		             "\\uXXXX and \\UXXXXXXXX",
		             e);
	else
		syntax_error(p, bs, i + (uint32_t)n, "invalid escape sequence in a string");
	p->pos = i + (e == '\n' || e == '\r' ? 0 : (uint32_t)n);
}

/* Lexes a string of any kind at p->pos into (str, len): source bytes or the
 * scratch buffer. `multi` allows the triple-quoted forms (values only). */
static void
lex_string(parser *p, bool multi, const char **str, size_t *len)
{
	const unsigned char *s = p->s;
	unsigned char q = s[p->pos];
	uint32_t start = p->pos, i = start + 1;
	bool literal = q == '\'';
	bool ml = false;
	/* Most strings are one line of plain ASCII: no copy at all. */
	{
		uint32_t j = i;
		while (j < p->len && s[j] >= 0x20 && s[j] < 0x7F && s[j] != q && s[j] != '\\')
			j++;
		if (j < p->len && s[j] == q && (j > i || j + 1 >= p->len || s[j + 1] != q)) {
			*str = (const char *)s + i;
			*len = j - i;
			p->pos = j + 1;
			return;
		}
	}
	if (i + 1 < p->len && s[i] == q && s[i + 1] == q) {
		if (!multi)
			syntax_error(p, start, start + 3, "a key cannot be a multi-line string");
		ml = true;
		i += 2;
		if (i < p->len && s[i] == '\n')
			i++;
		else if (i + 1 < p->len && s[i] == '\r' && s[i + 1] == '\n')
			i += 2;
	}
	p->scratch_len = 0;
	uint32_t from = i;
	for (;;) {
		if (i >= p->len) {
			scratch_append(p, s + from, i - from);
			syntax_error(p, start, i, "unterminated string: missing closing %s",
			             ml ? (literal ? "'''" : "\"\"\"") : (literal ? "'" : "\""));
			break;
		}
		unsigned char c = s[i];
		if (c == q) {
			if (!ml) {
				scratch_append(p, s + from, i - from);
				i++;
				break;
			}
			uint32_t run = 0;
			while (i + run < p->len && s[i + run] == q)
				run++;
			if (run >= 3) {
				if (run > 5)
					syntax_error(p, i + 5, i + run,
					             "too many quotes closing a multi-line string");
				scratch_append(p, s + from, i + (run > 5 ? 2 : run - 3) - from);
				i += run;
				break;
			}
			i += run;
			continue;
		}
		if (c == '\\' && !literal) {
			scratch_append(p, s + from, i - from);
			uint32_t j = i + 1;
			if (ml) {
				/* A line-ending backslash trims the newline and the
				 * whitespace after it. */
				while (j < p->len && (s[j] == ' ' || s[j] == '\t'))
					j++;
				if (j < p->len &&
				    (s[j] == '\n' ||
				     (s[j] == '\r' && j + 1 < p->len && s[j + 1] == '\n'))) {
					while (
					    j < p->len &&
					    (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' ||
					     (s[j] == '\r' && j + 1 < p->len && s[j + 1] == '\n')))
						j++;
					i = from = j;
					continue;
				}
			}
			p->pos = i;
			lex_escape(p);
			i = from = p->pos;
			continue;
		}
		if (c == '\n' || (c == '\r' && i + 1 < p->len && s[i + 1] == '\n')) {
			if (ml) {
				i += c == '\r' ? 2 : 1;
				continue;
			}
			syntax_error(p, start, i, "unterminated string: missing closing %s",
			             literal ? "'" : "\"");
			scratch_append(p, s + from, i - from);
			break;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			syntax_error(p, i, i + 1, "control character U+%04X inside a string; %s", c,
			             literal ? "use a basic (double-quoted) string with an escape"
			                     : "write it as an escape such as \\u00XX");
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = wl_utf8_valid_len(s + i, p->len - i);
			if (!n) {
				syntax_error(p, i, i + 1,
				             "invalid UTF-8 byte 0x%02X inside a string", c);
				scratch_append(p, s + from, i - from);
				scratch_append_cp(p, 0xFFFD);
				i++;
				from = i;
				continue;
			}
			i += (uint32_t)n;
			continue;
		}
		i++;
	}
	*str = p->scratch ? p->scratch : "";
	*len = p->scratch_len;
	p->pos = i;
}

/* ---- keys ---- */

/* Reads a (dotted) key, pushing its segments on p->segs (a stack, as
 * values may hold inline tables with keys of their own). False after an
 * error (reported), with nothing pushed. */
static bool
parse_key(parser *p)
{
	size_t base = p->n_segs;
	for (;;) {
		skip_ws(p);
		uint32_t start = p->pos;
		const char *key;
		if (p->pos < p->len && (p->s[p->pos] == '"' || p->s[p->pos] == '\'')) {
			const char *str;
			size_t len;
			lex_string(p, false, &str, &len);
			key = wl_doc_text(p->doc, str, len);
		} else if (p->pos < p->len && is_bare(p->s[p->pos])) {
			while (p->pos < p->len && is_bare(p->s[p->pos]))
				p->pos++;
			key = wl_arena_strndup(&p->doc->arena, (const char *)p->s + start,
			                       p->pos - start);
		} else {
			uint32_t end = p->pos < p->len && !at_newline(p) ? p->pos + 1 : p->pos;
			if (p->pos < p->len && p->s[p->pos] >= 0x21 && p->s[p->pos] < 0x7F)
				syntax_error(
				    p, start, end,
				    "expected a key, found '%c'; keys are bare (A-Z a-z 0-9 _ "
				    "-) or quoted",
				    p->s[p->pos]);
			else
				syntax_error(p, start, end, "expected a key");
			p->n_segs = base;
			return false;
		}
		if (p->n_segs - base >= WL_MAX_DEPTH) {
			if (!p->depth_reported) {
				wl_diag_add(p->diags, &wl_rule_jsonc_nesting_too_deep,
				            wl_span_make(start, p->pos),
				            "a key with more than %d parts; this line is skipped",
				            WL_MAX_DEPTH);
				p->depth_reported = true;
			}
			p->doc->syntax_errors = true;
			p->n_segs = base;
			return false;
		}
		wl_xgrow((void **)&p->segs, &p->cap_segs, p->n_segs + 1, sizeof(*p->segs));
		p->segs[p->n_segs].key = key;
		p->segs[p->n_segs++].span = wl_span_make(start, p->pos);
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == '.') {
			p->pos++;
			continue;
		}
		return true;
	}
}

static wl_span
key_span_all(const parser *p, size_t base)
{
	return wl_span_make(p->segs[base].span.start, p->segs[p->n_segs - 1].span.end);
}

/* ---- scalar values ---- */

static bool
digits(const unsigned char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

static unsigned
num2(const unsigned char *s)
{
	return (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
}

static bool
valid_date(const unsigned char *s, uint32_t n)
{
	if (n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	unsigned y = num2(s) * 100 + num2(s + 2), m = num2(s + 5), d = num2(s + 8);
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	return true;
}

/* HH:MM:SS(.frac)? at s; returns its length or 0. */
static uint32_t
valid_time(const unsigned char *s, uint32_t n)
{
	if (n < 8 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' ||
	    !digits(s + 6, 2))
		return 0;
	if (num2(s) > 23 || num2(s + 3) > 59 || num2(s + 6) > 60)
		return 0;
	uint32_t i = 8;
	if (i < n && s[i] == '.') {
		i++;
		uint32_t f = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == f)
			return 0;
	}
	return i;
}

/* 1 offset date-time, 2 local date-time, 3 local date, 4 local time, 0 none. */
static int
datetime_kind(const unsigned char *s, uint32_t n)
{
	if (n >= 3 && s[2] == ':') {
		uint32_t t = valid_time(s, n);
		return t && t == n ? 4 : 0;
	}
	if (n < 10 || !valid_date(s, 10))
		return 0;
	if (n == 10)
		return 3;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return 0;
	uint32_t t = valid_time(s + 11, n - 11);
	if (!t)
		return 0;
	uint32_t i = 11 + t;
	if (i == n)
		return 2;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return 1;
	if ((s[i] == '+' || s[i] == '-') && i + 6 == n && digits(s + i + 1, 2) && s[i + 3] == ':' &&
	    digits(s + i + 4, 2) && num2(s + i + 1) <= 23 && num2(s + i + 4) <= 59)
		return 1;
	return 0;
}

/* Digits of one base with '_' only between two digits. */
static bool
digit_run(const unsigned char *s, uint32_t n, int base)
{
	if (n == 0)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '_') {
			if (i == 0 || i + 1 == n || s[i + 1] == '_')
				return false;
			continue;
		}
		int v = hexval(c);
		if (v < 0 || v >= base)
			return false;
	}
	return true;
}

/* JavaScript's Number.MAX_SAFE_INTEGER: smol-toml refuses integers beyond it. */
#define SAFE_INT ((UINT64_C(1) << 53) - 1)

static tnode *
int_node(parser *p, uint32_t start, uint32_t end, const unsigned char *s, uint32_t n, int base,
         bool neg)
{
	uint64_t v = 0;
	bool over = false;
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		v = v * (uint64_t)base + (uint64_t)hexval(s[i]);
		if (v > SAFE_INT) {
			over = true;
			break;
		}
	}
	if (over) {
		syntax_error(p, start, end,
		             "integer %.*s%s is beyond 2^53 - 1; wrangler's TOML reader refuses "
		             "integers it cannot represent exactly (quote it if it is an id)",
		             (int)(end - start > 40 ? 40 : end - start), (const char *)p->s + start,
		             end - start > 40 ? "..." : "");
		return invalid_node(p, start, end);
	}
	tnode *t = new_node(p, json_type_int, K_VALUE, start, end);
	attach(t, json_object_new_int64(neg ? -(int64_t)v : (int64_t)v));
	return t;
}

static bool
valid_decimal_int(const unsigned char *s, uint32_t n)
{
	if (n > 1 && s[0] == '0')
		return false;
	return digit_run(s, n, 10);
}

static tnode *
float_node(parser *p, uint32_t start, uint32_t end, double d)
{
	tnode *t = new_node(p, json_type_double, K_VALUE, start, end);
	attach(t, json_object_new_double(d));
	return t;
}

static bool
valid_float(const unsigned char *s, uint32_t n)
{
	uint32_t i = 0;
	while (i < n && s[i] != '.' && s[i] != 'e' && s[i] != 'E')
		i++;
	if (!valid_decimal_int(s, i))
		return false;
	if (i == n)
		return false;
	if (s[i] == '.') {
		uint32_t f = ++i;
		while (i < n && s[i] != 'e' && s[i] != 'E')
			i++;
		if (!digit_run(s + f, i - f, 10))
			return false;
	}
	if (i < n) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!digit_run(s + i, n - i, 10))
			return false;
	}
	return true;
}

/* A value that is not a string, array or inline table: a run of value
 * characters (plus the time of a date-time written with a space). */
static tnode *
parse_scalar(parser *p)
{
	const unsigned char *s = p->s;
	uint32_t start = p->pos, i = start;
	while (i < p->len && (is_bare(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == ':'))
		i++;
	if (i - start == 10 && valid_date(s + start, 10) && i + 3 < p->len && s[i] == ' ' &&
	    is_digit(s[i + 1]) && is_digit(s[i + 2]) && s[i + 3] == ':') {
		i++;
		while (i < p->len && (is_bare(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == ':'))
			i++;
	}
	uint32_t end = i, n = end - start;
	const unsigned char *t = s + start;
	p->pos = end;
	if (n == 0) {
		uint32_t e = start < p->len && !at_newline(p) ? start + 1 : start;
		if (start < p->len && s[start] >= 0x21 && s[start] < 0x7F)
			syntax_error(p, start, e, "expected a value, found '%c'", s[start]);
		else
			syntax_error(p, start, e, "expected a value");
		if (e > start && !(s[start] == ',' || s[start] == ']' || s[start] == '}'))
			p->pos = e;
		return invalid_node(p, start, e);
	}
	if ((n == 4 && memcmp(t, "true", 4) == 0) || (n == 5 && memcmp(t, "false", 5) == 0)) {
		tnode *b = new_node(p, json_type_boolean, K_VALUE, start, end);
		attach(b, json_object_new_boolean(t[0] == 't'));
		return b;
	}
	bool sign = t[0] == '+' || t[0] == '-';
	const unsigned char *u = t + sign;
	uint32_t un = n - sign;
	if (un == 3 && (memcmp(u, "inf", 3) == 0 || memcmp(u, "nan", 3) == 0)) {
		double d = u[0] == 'i' ? INFINITY : NAN;
		return float_node(p, start, end, t[0] == '-' ? -d : d);
	}
	if (!sign && n >= 8 && (t[2] == ':' || (n >= 10 && t[4] == '-'))) {
		int k = datetime_kind(t, n);
		if (k) {
			tnode *dt = new_node(p, json_type_object, K_VALUE, start, end);
			dt->n.flags = WL_NODE_DATETIME;
			attach(dt, json_object_new_object());
			dt->n.str = wl_arena_strndup(&p->doc->arena, (const char *)t, n);
			return dt;
		}
		syntax_error(p, start, end, "invalid date or time '%.*s'", (int)(n > 40 ? 40 : n),
		             (const char *)t);
		return invalid_node(p, start, end);
	}
	if (!sign && n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
		int base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
		if (digit_run(t + 2, n - 2, base))
			return int_node(p, start, end, t + 2, n - 2, base, false);
	} else if (valid_decimal_int(u, un)) {
		return int_node(p, start, end, u, un, 10, t[0] == '-');
	} else if (valid_float(u, un)) {
		char small[64];
		char *buf = n < sizeof(small) ? small : wl_xmalloc(n + 1);
		size_t k = 0;
		for (uint32_t j = 0; j < n; j++)
			if (t[j] != '_')
				buf[k++] = (char)t[j];
		buf[k] = '\0';
		double d = strtod(buf, NULL);
		if (buf != small)
			free(buf);
		return float_node(p, start, end, d);
	}
	bool wordy = (t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z');
	/* The whole run up to a separator, so `src/index.ts` is one error. */
	while (end < p->len && !strchr(" \t\r\n#,]}", s[end]))
		end++;
	n = end - start;
	p->pos = end;
	syntax_error(p, start, end, "invalid value '%.*s'%s", (int)(n > 40 ? 40 : n),
	             (const char *)t,
	             wordy ? "; strings must be quoted, and TOML has only true and false"
	                   : "; not a valid TOML number, date or time");
	return invalid_node(p, start, end);
}

/* ---- arrays and inline tables ---- */

static tnode *parse_value(parser *p, unsigned depth);
static void insert_keyval(parser *p, tnode *table, tnode *val, bool record, size_t base);
static void parse_inline_keyvals(parser *p, tnode *table, uint32_t open);

/* Skips an array or inline table nested too deep, without recursion. */
static tnode *
skip_deep(parser *p)
{
	uint32_t start = p->pos;
	if (!p->depth_reported) {
		wl_diag_add(p->diags, &wl_rule_jsonc_nesting_too_deep,
		            wl_span_make(start, start + 1),
		            "arrays and tables are nested more than %d levels deep; this value is "
		            "skipped",
		            WL_MAX_DEPTH);
		p->depth_reported = true;
	}
	p->doc->syntax_errors = true;
	size_t level = 0;
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c == '"' || c == '\'') {
			const char *str;
			size_t len;
			lex_string(p, true, &str, &len);
			continue;
		}
		if (c == '#') {
			lex_comment(p);
			continue;
		}
		p->pos++;
		if (c == '[' || c == '{')
			level++;
		else if ((c == ']' || c == '}') && --level == 0)
			break;
	}
	return invalid_node(p, start, p->pos);
}

/* Whether the line at `i` reads as a table header or as `key =`: inside an
 * array or inline table left open, such a line ends it (recovery). */
static bool
starts_statement(const parser *p, uint32_t i)
{
	const unsigned char *s = p->s;
	if (i < p->len && s[i] == '[') {
		/* [a.b] or [[a.b]] and nothing but a comment after it */
		uint32_t j = i + 1 + (i + 1 < p->len && s[i + 1] == '[');
		uint32_t k = j;
		while (k < p->len && (is_bare(s[k]) || s[k] == '.' || s[k] == ' ' || s[k] == '\t' ||
		                      s[k] == '"' || s[k] == '\''))
			k++;
		if (k == j || k >= p->len || s[k] != ']')
			return false;
		k += 1 + (j == i + 2 && k + 1 < p->len && s[k + 1] == ']');
		while (k < p->len && (s[k] == ' ' || s[k] == '\t'))
			k++;
		return k >= p->len || s[k] == '\n' || s[k] == '\r' || s[k] == '#';
	}
	uint32_t k = i;
	while (k < p->len && (is_bare(s[k]) || s[k] == '.' || s[k] == '"' || s[k] == '\''))
		k++;
	if (k == i)
		return false;
	while (k < p->len && (s[k] == ' ' || s[k] == '\t'))
		k++;
	return k < p->len && s[k] == '=' && !(k + 1 < p->len && s[k + 1] == '=');
}

static tnode *
parse_array(parser *p, unsigned depth)
{
	uint32_t open = p->pos;
	tnode *arr = new_node(p, json_type_array, K_ARRAY, open, open + 1);
	p->pos++;
	uint32_t last_end = open + 1;
	bool want_comma = false;
	for (;;) {
		uint32_t before = p->pos;
		skip_ws_nl(p);
		bool new_line = memchr(p->s + before, '\n', p->pos - before) != NULL;
		if (p->pos >= p->len || p->gave_up) {
			related(
			    syntax_error(p, last_end, last_end,
			                 "unterminated array: expected ']' before the end of the "
			                 "file"),
			    wl_span_make(open, open + 1), "array opened here");
			arr->n.span.end = last_end;
			break;
		}
		unsigned char c = p->s[p->pos];
		if (c == ']') {
			p->pos++;
			arr->n.span.end = p->pos;
			break;
		}
		/* A header or `key =` on a new line: the array was never closed;
		 * the line is left to the caller. */
		if (new_line && starts_statement(p, p->pos)) {
			related(
			    syntax_error(p, last_end, last_end, "unterminated array: expected ']'"),
			    wl_span_make(open, open + 1), "array opened here");
			arr->n.span.end = last_end;
			p->resync = true;
			break;
		}
		if (c == ',') {
			if (!want_comma)
				syntax_error(p, p->pos, p->pos + 1,
				             "unexpected ',': expected a value");
			want_comma = false;
			p->pos++;
			continue;
		}
		if (want_comma)
			syntax_error(p, last_end, last_end, "expected ',' between array items");
		tnode *item = parse_value(p, depth + 1);
		link_child(arr, item);
		last_end = item->n.span.end;
		want_comma = true;
		if (p->resync) {
			arr->n.span.end = last_end;
			break;
		}
		if ((item->n.flags & WL_NODE_INVALID) && p->pos == item->n.span.start) {
			/* no progress: step over one character */
			p->pos++;
		}
	}
	attach(arr, json_object_new_array_ext(arr->n.n_children ? (int)arr->n.n_children : 1));
	for (wl_node *c = arr->n.first_child; c; c = c->next)
		json_object_array_add(arr->n.value, c->value);
	return arr;
}

static tnode *
parse_inline(parser *p, unsigned depth)
{
	uint32_t open = p->pos;
	tnode *t = new_table(p, K_INLINE, wl_span_make(open, open + 1));
	t->depth = (uint16_t)depth;
	p->pos++;
	parse_inline_keyvals(p, t, open);
	t->n.span.end = p->pos;
	return t;
}

static void
parse_inline_keyvals(parser *p, tnode *t, uint32_t open)
{
	bool newline_reported = false, want_comma = false, after_comma = false;
	uint32_t last_end = p->pos;
	for (;;) {
		skip_ws(p);
		if (p->gave_up)
			return;
		if (p->pos < p->len && (at_newline(p) || p->s[p->pos] == '#')) {
			/* TOML 1.1 allows this and wrangler's reader does not: say so
			 * once, then read on as 1.1 would, up to a header line. */
			if (!newline_reported)
				related(
				    syntax_error(p, p->pos, p->pos,
				                 "newline inside an inline table: TOML 1.0 (and so "
				                 "wrangler) requires an inline table on one line"),
				    wl_span_make(open, open + 1), "inline table opened here");
			newline_reported = true;
			skip_ws_nl(p);
			if (p->pos < p->len && p->s[p->pos] == '[') {
				related(syntax_error(p, last_end, last_end,
				                     "unterminated inline table: expected '}'"),
				        wl_span_make(open, open + 1), "inline table opened here");
				p->resync = true;
				return;
			}
			continue;
		}
		if (p->pos >= p->len) {
			related(syntax_error(p, last_end, last_end,
			                     "unterminated inline table: expected '}'"),
			        wl_span_make(open, open + 1), "inline table opened here");
			return;
		}
		unsigned char c = p->s[p->pos];
		if (c == '}') {
			if (after_comma)
				syntax_error(p, p->pos, p->pos + 1,
				             "trailing comma in an inline table: TOML 1.0 does not "
				             "allow it");
			p->pos++;
			return;
		}
		if (c == ',') {
			if (!want_comma)
				syntax_error(p, p->pos, p->pos + 1,
				             "unexpected ',': expected a key");
			want_comma = false;
			after_comma = true;
			p->pos++;
			continue;
		}
		if (want_comma)
			syntax_error(p, last_end, last_end,
			             "expected ',' between inline table keys");
		size_t base = p->n_segs;
		if (!parse_key(p)) {
			while (p->pos < p->len && !at_newline(p) && p->s[p->pos] != ',' &&
			       p->s[p->pos] != '}')
				p->pos++;
		} else {
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == '=') {
				p->pos++;
				skip_ws(p);
				tnode *val =
				    parse_value(p, t->depth + (unsigned)(p->n_segs - base));
				insert_keyval(p, t, val, false, base);
				if (val->n.flags & WL_NODE_INVALID)
					while (p->pos < p->len && !at_newline(p) &&
					       p->s[p->pos] != ',' && p->s[p->pos] != '}')
						p->pos++;
			} else {
				wl_span ks = key_span_all(p, base);
				syntax_error(p, ks.end, ks.end, "expected '=' after the key");
				while (p->pos < p->len && !at_newline(p) && p->s[p->pos] != ',' &&
				       p->s[p->pos] != '}')
					p->pos++;
			}
			p->n_segs = base;
		}
		last_end = p->pos;
		want_comma = true;
		after_comma = false;
		if (p->resync)
			return;
	}
}

static tnode *
parse_value(parser *p, unsigned depth)
{
	if (p->pos >= p->len || at_newline(p)) {
		syntax_error(p, p->pos, p->pos, "expected a value");
		return invalid_node(p, p->pos, p->pos);
	}
	unsigned char c = p->s[p->pos];
	if (c == '[' || c == '{') {
		if (depth > WL_MAX_DEPTH)
			return skip_deep(p);
		return c == '[' ? parse_array(p, depth) : parse_inline(p, depth);
	}
	if (c == '"' || c == '\'') {
		uint32_t start = p->pos;
		const char *str;
		size_t len;
		lex_string(p, true, &str, &len);
		tnode *t = new_node(p, json_type_string, K_VALUE, start, p->pos);
		attach(t, json_object_new_string_len(str, (int)len));
		t->n.str = wl_doc_text(p->doc, str, len);
		return t;
	}
	return parse_scalar(p);
}

/* ---- key/value lines and headers ---- */

/* Puts `val` at the dotted key in p->segs under `table`. */
static void
insert_keyval(parser *p, tnode *table, tnode *val, bool record, size_t base)
{
	tnode *t = table, *first = NULL;
	if (table->depth + (p->n_segs - base) > WL_MAX_DEPTH) {
		if (!p->depth_reported) {
			wl_diag_add(
			    p->diags, &wl_rule_jsonc_nesting_too_deep, key_span_all(p, base),
			    "tables are nested more than %d levels deep; this key is skipped",
			    WL_MAX_DEPTH);
			p->depth_reported = true;
		}
		p->doc->syntax_errors = true;
		orphan(p, val);
		return;
	}
	for (size_t i = base; i + 1 < p->n_segs; i++) {
		unsigned long h;
		tnode *c = lookup(t, p->segs[i].key, &h);
		if (!c) {
			c = new_table(p, K_DOTTED, p->segs[i].span);
			add_member(t, c, p->segs[i].key, p->segs[i].span, h);
		} else if (c->kind != K_DOTTED) {
			wl_diag *d = syntax_error(p, p->segs[i].span.start, p->segs[i].span.end,
			                          "cannot add keys to \"%s\" with a dotted key: it "
			                          "is %s defined elsewhere%s",
			                          p->segs[i].key, describe(c),
			                          c->kind == K_IMPLICIT || c->kind == K_EXPLICIT
			                              ? "; add them under its [header]"
			                              : "");
			related(d, wl_node_key_or_value_span(&c->n), "defined here");
			orphan(p, val);
			return;
		}
		if (!first)
			first = c;
		t = c;
	}
	keyseg *last = &p->segs[p->n_segs - 1];
	unsigned long h;
	tnode *old = lookup(t, last->key, &h);
	if (old) {
		wl_diag *d = syntax_error(p, last->span.start, last->span.end,
		                          "\"%s\" is defined twice (it is already %s)", last->key,
		                          describe(old));
		related(d, wl_node_key_or_value_span(&old->n), "first defined here");
		orphan(p, val);
		return;
	}
	add_member(t, val, last->key, last->span, h);
	if (!first)
		first = val;
	if (record) {
		wl_toml_key *k = wl_arena_alloc(&p->doc->arena, sizeof(*k));
		k->node = &first->n;
		k->header = p->cur_header;
		if (p->last_key)
			p->last_key->next = k;
		else
			p->info->keys = k;
		p->last_key = k;
		p->info->n_keys++;
	}
}

/* A detached table for the lines after a bad header, so they are still
 * read (and checked for syntax) without landing anywhere. */
static tnode *
scratch_table(parser *p, wl_span sp)
{
	tnode *t = new_table(p, K_EXPLICIT, sp);
	orphan(p, t);
	return t;
}

static void
parse_header(parser *p, bool indented)
{
	uint32_t start = p->pos;
	bool aot = p->pos + 1 < p->len && p->s[p->pos + 1] == '[';
	p->pos += aot ? 2 : 1;
	wl_toml_header *h = wl_arena_alloc(&p->doc->arena, sizeof(*h));
	if (p->last_header)
		p->last_header->next = h;
	else
		p->info->headers = h;
	p->last_header = h;
	p->info->n_headers++;
	h->array = aot;
	h->indented = indented;
	p->cur_header = h;
	p->n_segs = 0;
	if (!parse_key(p)) {
		h->span = wl_span_make(start, p->pos);
		p->cur = scratch_table(p, h->span);
		skip_rest(p);
		return;
	}
	skip_ws(p);
	bool closed = p->pos < p->len && p->s[p->pos] == ']' &&
	              (!aot || (p->pos + 1 < p->len && p->s[p->pos + 1] == ']'));
	h->key_span = key_span_all(p, 0);
	if (!closed) {
		syntax_error(p, p->pos, p->pos < p->len && !at_newline(p) ? p->pos + 1 : p->pos,
		             "expected '%s' to close the table header", aot ? "]]" : "]");
		h->span = wl_span_make(start, p->pos);
		p->cur = scratch_table(p, h->span);
		skip_rest(p);
		return;
	}
	p->pos += aot ? 2 : 1;
	wl_span hs = wl_span_make(start, p->pos);
	h->span = hs;
	const char **segs = wl_arena_alloc(&p->doc->arena, p->n_segs * sizeof(*segs));
	for (size_t i = 0; i < p->n_segs; i++)
		segs[i] = p->segs[i].key;
	h->segs = segs;
	h->n_segs = (uint32_t)p->n_segs;
	p->cur = NULL;
	size_t cached = p->n_hops;
	p->n_hops = 0; /* rebuilt below when the header is good */
	tnode *t = p->root;
	bool too_deep = p->n_segs + 1 > WL_MAX_DEPTH;
	/* Each segment adds at most two levels (an array and its element). */
	for (size_t i = 0; !too_deep && 2 * p->n_segs + 1 > WL_MAX_DEPTH && i + 1 < p->n_segs;
	     i++) {
		/* Arrays of tables on the way add levels: measure first. */
		unsigned long hash;
		tnode *c = lookup(t, p->segs[i].key, &hash);
		if (!c)
			break;
		if (c->kind == K_AOT)
			c = (tnode *)c->tail;
		else if (c->kind != K_IMPLICIT && c->kind != K_EXPLICIT && c->kind != K_DOTTED)
			break;
		too_deep = c->depth + (p->n_segs - i) + 1 > WL_MAX_DEPTH;
		t = c;
	}
	if (too_deep) {
		if (!p->depth_reported) {
			wl_diag_add(
			    p->diags, &wl_rule_jsonc_nesting_too_deep, hs,
			    "tables are nested more than %d levels deep; this table is skipped",
			    WL_MAX_DEPTH);
			p->depth_reported = true;
		}
		p->doc->syntax_errors = true;
		p->cur = scratch_table(p, hs);
		return;
	}
	t = p->root;
	wl_xgrow((void **)&p->hops, &p->cap_hops, p->n_segs, sizeof(*p->hops));
	bool same = true;
	for (size_t i = 0; i + 1 < p->n_segs; i++) {
		keyseg *sg = &p->segs[i];
		same = same && i < cached && strcmp(p->hops[i].key, sg->key) == 0;
		if (same) {
			t = p->hops[i].table;
			continue;
		}
		unsigned long hash;
		tnode *c = lookup(t, sg->key, &hash);
		p->hops[i].key = sg->key;
		if (!c) {
			c = new_table(p, K_IMPLICIT, hs);
			add_member(t, c, sg->key, sg->span, hash);
		} else if (c->kind == K_AOT) {
			c = (tnode *)c->tail;
		} else if (c->kind != K_IMPLICIT && c->kind != K_EXPLICIT && c->kind != K_DOTTED) {
			wl_diag *d = syntax_error(p, sg->span.start, sg->span.end,
			                          "cannot define a table inside \"%s\": it is %s",
			                          sg->key, describe(c));
			related(d, wl_node_key_or_value_span(&c->n), "defined here");
			p->cur = scratch_table(p, hs);
			return;
		}
		p->hops[i].table = c;
		t = c;
	}
	keyseg *last = &p->segs[p->n_segs - 1];
	unsigned long hash;
	tnode *c = lookup(t, last->key, &hash);
	if (aot) {
		if (!c) {
			c = new_node(p, json_type_array, K_AOT, hs.start, hs.end);
			attach(c, json_object_new_array_ext(4)); /* json-c's default is 32 */
			add_member(t, c, last->key, last->span, hash);
		} else if (c->kind != K_AOT) {
			wl_diag *d = syntax_error(
			    p, last->span.start, last->span.end,
			    "[[%.*s]] appends to an array of tables, but \"%s\" is already %s",
			    (int)(h->key_span.end - h->key_span.start),
			    (const char *)p->s + h->key_span.start, last->key, describe(c));
			related(d, wl_node_key_or_value_span(&c->n), "defined here");
			p->cur = scratch_table(p, hs);
			return;
		}
		tnode *el = new_table(p, K_EXPLICIT, hs);
		json_object_array_add(c->n.value, el->n.value);
		link_child(c, el);
		p->cur = el;
	} else {
		if (!c) {
			c = new_table(p, K_EXPLICIT, hs);
			add_member(t, c, last->key, last->span, hash);
		} else if (c->kind == K_IMPLICIT) {
			c->kind = K_EXPLICIT;
			c->n.span = hs;
			c->n.key_span = last->span;
		} else {
			wl_diag *d = syntax_error(
			    p, hs.start, hs.end,
			    c->kind == K_EXPLICIT ? "table [%.*s] is defined twice"
			    : c->kind == K_AOT ? "[%.*s] is an array of tables; write [[%.*s]] to "
			                         "add an element"
			                       : "table [%.*s] redefines a key that is already a "
			                         "value or a table defined by dotted keys",
			    (int)(h->key_span.end - h->key_span.start),
			    (const char *)p->s + h->key_span.start,
			    (int)(h->key_span.end - h->key_span.start),
			    (const char *)p->s + h->key_span.start);
			related(d, wl_node_key_or_value_span(&c->n), "first defined here");
			p->cur = scratch_table(p, hs);
			return;
		}
		p->cur = c;
	}
	h->table = &p->cur->n;
	p->hops[p->n_segs - 1].key = last->key;
	p->hops[p->n_segs - 1].table = p->cur;
	p->n_hops = p->n_segs;
}

/* After a key/value or a header: only a comment may follow on the line. */
static void
end_of_line(parser *p)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return;
	if (p->s[p->pos] == '#')
		lex_comment(p);
	if (p->pos >= p->len)
		return;
	if (at_newline(p)) {
		skip_newline(p);
		return;
	}
	uint32_t e = p->pos;
	while (e < p->len && p->s[e] != '\n' && p->s[e] != '\r' && p->s[e] != '#')
		e++;
	while (e > p->pos && (p->s[e - 1] == ' ' || p->s[e - 1] == '\t'))
		e--;
	if (e == p->pos)
		e = p->pos + 1;
	syntax_error(p, p->pos, e,
	             p->s[p->pos] == '\r' ? "carriage return without a line feed"
	                                  : "expected the end of the line (each key/value "
	                                    "pair and table header goes on its own line)");
	skip_line(p);
}

static bool
looks_binary(const unsigned char *s, uint32_t len, uint32_t *at)
{
	uint32_t n = len < 4096 ? len : 4096, bad = 0, first_bad = 0;
	for (uint32_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == 0) {
			*at = i;
			return true;
		}
		size_t k = c >= 0x80 ? wl_utf8_valid_len(s + i, len - i) : 1;
		if (k == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')) {
			if (bad++ == 0)
				first_bad = i;
			k = 1;
		}
		i += (uint32_t)k;
	}
	*at = first_bad;
	return n >= 16 && bad * 10 > n;
}

wl_doc *
wl_toml_parse(wl_source *src, wl_diag_list *diags)
{
	wl_doc *doc = wl_xcalloc(1, sizeof(*doc));
	doc->src = src;
	parser p;
	memset(&p, 0, sizeof(p));
	p.doc = doc;
	p.s = (const unsigned char *)src->bytes;
	p.len = (uint32_t)src->len;
	p.diags = diags;
	p.info = wl_arena_alloc(&doc->arena, sizeof(*p.info));
	doc->toml = p.info;
	if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	p.root = new_table(&p, K_EXPLICIT, wl_span_make(0, p.len));
	doc->root = &p.root->n;
	doc->root_value = p.root->n.value;
	p.cur = p.root;

	uint32_t at;
	if (looks_binary(p.s, p.len, &at)) {
		syntax_error(&p, at, at + 1,
		             "this is not a text file (%s at byte %u); a wrangler config is UTF-8 "
		             "TOML",
		             p.s[at] == 0 ? "NUL byte" : "undecodable bytes", at);
		return doc;
	}
	while (p.pos < p.len && !p.gave_up) {
		uint32_t line_start = p.pos;
		skip_ws(&p);
		if (p.pos >= p.len)
			break;
		unsigned char c = p.s[p.pos];
		if (at_newline(&p)) {
			skip_newline(&p);
			continue;
		}
		if (c == '#') {
			lex_comment(&p);
			continue;
		}
		if (c == '[') {
			parse_header(&p, p.pos > line_start);
		} else if (is_bare(c) || c == '"' || c == '\'') {
			p.n_segs = 0;
			if (!parse_key(&p)) {
				skip_line(&p);
				continue;
			}
			skip_ws(&p);
			if (p.pos >= p.len || p.s[p.pos] != '=') {
				wl_span ks = key_span_all(&p, 0);
				syntax_error(&p, ks.end, ks.end, "expected '=' after the key");
				skip_line(&p);
				continue;
			}
			p.pos++;
			skip_ws(&p);
			tnode *val = parse_value(&p, p.cur->depth + (unsigned)p.n_segs);
			insert_keyval(&p, p.cur, val, true, 0);
			if (p.resync) {
				p.resync = false;
				continue;
			}
			if (val->n.flags & WL_NODE_INVALID) /* one error for a bad value */
				while (p.pos < p.len && p.s[p.pos] != '\n' && p.s[p.pos] != '#')
					p.pos++;
		} else {
			uint32_t e = p.pos + 1;
			if (c >= 0x80) {
				size_t k = wl_utf8_valid_len(p.s + p.pos, p.len - p.pos);
				if (!k)
					syntax_error(&p, p.pos, e, "invalid UTF-8 byte 0x%02X", c);
				else
					syntax_error(
					    &p, p.pos, p.pos + (uint32_t)k,
					    "unexpected character '%.*s': expected a key or a "
					    "[table] header",
					    (int)k, (const char *)p.s + p.pos);
			} else if (c == '\r') {
				syntax_error(&p, p.pos, e, "carriage return without a line feed");
			} else if (c < 0x20 || c == 0x7F) {
				syntax_error(&p, p.pos, e, "unexpected control character U+%04X",
				             c);
			} else {
				syntax_error(&p, p.pos, e,
				             "unexpected '%c': expected a key or a [table] header",
				             c);
			}
			skip_line(&p);
			continue;
		}
		end_of_line(&p);
	}
	free(p.segs);
	free(p.hops);
	free(p.scratch);
	return doc;
}
