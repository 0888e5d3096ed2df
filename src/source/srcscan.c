#include "source/srcscan.h"

#include <stdlib.h>
#include <string.h>

#include "source/srcpat.h"

/* ---- tokenizer ---------------------------------------------------------- */

static bool
ident_start(unsigned char c)
{
	/* Every non-ASCII byte is taken as part of an identifier: the scanner
	 * only compares names with ASCII words, and invalid UTF-8 stays
	 * harmless (it can only glue bytes into one long name). */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
	       c >= 0x80;
}

static bool
ident_part(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void
wl_srclex_init(wl_srclex *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = text;
	lx->len = len > UINT32_MAX - 1 ? UINT32_MAX - 1 : len;
}

static bool
tok_is(const char *s, const wl_srctok *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == WL_TK_IDENT && t->end - t->start == n &&
	       memcmp(s + t->start, word, n) == 0;
}

bool
wl_srctok_is(const wl_srclex *lx, const wl_srctok *t, const char *word)
{
	return tok_is(lx->s, t, word);
}

static const char *const regex_keywords[] = {
    "return", "typeof", "instanceof", "in",   "of",    "new",   "delete", "void",
    "throw",  "case",   "do",         "else", "yield", "await", NULL,
};

/* Whether a `/` here starts a regular expression, from the previous
 * significant token (the rule every JavaScript highlighter uses). `}` is
 * taken as the end of a block; `)` as the end of an expression. A wrong
 * guess is contained: a regex never spans a line. */
static bool
regex_allowed(const wl_srclex *lx)
{
	if (!lx->has_prev)
		return true;
	const wl_srctok *p = &lx->prev;
	switch (p->kind) {
	case WL_TK_IDENT:
		if (lx->prev_after_dot)
			return false;
		for (size_t i = 0; regex_keywords[i]; i++)
			if (tok_is(lx->s, p, regex_keywords[i]))
				return true;
		return false;
	case WL_TK_TEMPLATE:
	case WL_TK_JSX:
		/* after a `${` or a JSX `{` an expression starts */
		return p->opens;
	case WL_TK_PUNCT:
		if (p->dbl || p->postfix)
			return false;
		return p->punct != ')' && p->punct != ']';
	default:
		return false;
	}
}

/* Keeps the span of a comment that mentions wrangler-lint (a possible
 * suppression directive); other comments cost nothing. */
static void
note_comment(wl_srclex *lx, size_t start)
{
	static const char word[] = "wrangler-lint";
	const size_t k = sizeof(word) - 1;
	if (!lx->keep_directives || lx->pos - start < k)
		return;
	const char *s = lx->s;
	for (size_t i = start; i + k <= lx->pos; i++) {
		if (s[i] == 'w' && memcmp(s + i, word, k) == 0) {
			wl_xgrow((void **)&lx->directives, &lx->cap_directives,
			         lx->n_directives + 1, sizeof(*lx->directives));
			lx->directives[lx->n_directives++] =
			    wl_span_make((uint32_t)start, (uint32_t)lx->pos);
			return;
		}
	}
}

/* Skips white space and comments; reports whether a line break was seen. */
static bool
skip_trivia(wl_srclex *lx)
{
	const unsigned char *s = (const unsigned char *)lx->s;
	size_t n = lx->len;
	bool nl = false;
	if (lx->pos == 0 && n >= 2 && s[0] == '#' && s[1] == '!') {
		while (lx->pos < n && s[lx->pos] != '\n' && s[lx->pos] != '\r')
			lx->pos++;
	}
	while (lx->pos < n) {
		unsigned char c = s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
			lx->pos++;
		} else if (c == '\n' || c == '\r') {
			nl = true;
			lx->pos++;
		} else if (c == 0xC2 && lx->pos + 1 < n && s[lx->pos + 1] == 0xA0) {
			lx->pos += 2; /* no-break space */
		} else if (c == 0xEF && lx->pos + 2 < n && s[lx->pos + 1] == 0xBB &&
		           s[lx->pos + 2] == 0xBF) {
			lx->pos += 3; /* byte order mark */
		} else if (c == 0xE2 && lx->pos + 2 < n && s[lx->pos + 1] == 0x80 &&
		           (s[lx->pos + 2] == 0xA8 || s[lx->pos + 2] == 0xA9)) {
			nl = true; /* LINE / PARAGRAPH SEPARATOR */
			lx->pos += 3;
		} else if (c == '/' && lx->pos + 1 < n && s[lx->pos + 1] == '/') {
			size_t start = lx->pos;
			while (lx->pos < n && s[lx->pos] != '\n' && s[lx->pos] != '\r')
				lx->pos++;
			note_comment(lx, start);
		} else if (c == '/' && lx->pos + 1 < n && s[lx->pos + 1] == '*') {
			size_t start = lx->pos;
			lx->pos += 2;
			while (lx->pos < n &&
			       !(s[lx->pos] == '*' && lx->pos + 1 < n && s[lx->pos + 1] == '/')) {
				if (s[lx->pos] == '\n' || s[lx->pos] == '\r')
					nl = true;
				lx->pos++;
			}
			if (lx->pos < n)
				lx->pos += 2;
			else
				lx->unbalanced = true; /* an unterminated comment */
			note_comment(lx, start);
		} else {
			break;
		}
	}
	return nl;
}

/* Opens a substitution (the caller consumed its `${` or `{`). */
static void
push_sub(wl_srclex *lx, wl_srctok *t, bool jsx, unsigned state, uint32_t level)
{
	if (lx->n_subs == WL_SRCLEX_MAX_TEMPLATE) {
		lx->stopped = true;
		return;
	}
	wl_srclex_sub *sub = &lx->subs[lx->n_subs++];
	sub->depth = lx->depth;
	sub->level = level;
	sub->jsx = jsx;
	sub->state = (unsigned char)state;
	lx->depth++;
	t->opens = true;
}

enum { JSX_TAG_OPEN, JSX_ATTRS, JSX_CHILDREN };

/* Whether the `<` at lx->pos opens a JSX element rather than a TypeScript
 * generic arrow (`<T,>(x) => x`, `<T extends U>(x) => x`). */
static bool
jsx_starts(const wl_srclex *lx)
{
	const unsigned char *s = (const unsigned char *)lx->s;
	size_t n = lx->len, i = lx->pos + 1;
	if (i < n && s[i] == '>')
		return true; /* a fragment */
	if (i >= n || !ident_start(s[i]))
		return false;
	if (lx->has_prev && lx->prev.kind == WL_TK_PUNCT && lx->prev.punct == '<' &&
	    lx->prev.end == lx->pos)
		return false; /* `<<` */
	while (i < n && ident_part(s[i]))
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i < n && (s[i] == ',' || s[i] == '='))
		return false; /* `<T,>` or a type parameter default `<T = unknown>` */
	return !(n - i > 7 && memcmp(s + i, "extends", 7) == 0 && !ident_part(s[i + 7]));
}

/* Scans JSX from `state` with `level` elements open, up to a `{` (which
 * opens a substitution) or the end of the outermost element. JSX text is
 * skipped; only the substitutions are code. */
static void
scan_jsx(wl_srclex *lx, wl_srctok *t, unsigned state, uint32_t level)
{
	const unsigned char *s = (const unsigned char *)lx->s;
	size_t n = lx->len;
	for (;;) {
		if (lx->pos >= n) {
			t->unterminated = true;
			lx->unbalanced = true;
			return;
		}
		unsigned char c = s[lx->pos];
		if (state == JSX_TAG_OPEN) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				lx->pos++;
			} else if (c == '/') { /* a closing tag */
				while (lx->pos < n && s[lx->pos] != '>')
					lx->pos++;
				if (lx->pos < n)
					lx->pos++;
				if (level > 0)
					level--;
				if (level == 0)
					return;
				state = JSX_CHILDREN;
			} else if (c == '>') { /* a fragment */
				lx->pos++;
				level++;
				state = JSX_CHILDREN;
			} else {
				lx->pos++;
				while (lx->pos < n &&
				       (ident_part(s[lx->pos]) || s[lx->pos] == '.' ||
				        s[lx->pos] == ':' || s[lx->pos] == '-'))
					lx->pos++;
				level++;
				state = JSX_ATTRS;
			}
		} else if (state == JSX_ATTRS) {
			if (c == '/' && lx->pos + 1 < n &&
			    (s[lx->pos + 1] == '/' || s[lx->pos + 1] == '*')) {
				/* a comment between attributes */
				bool line = s[lx->pos + 1] == '/';
				lx->pos += 2;
				while (lx->pos < n &&
				       !(line ? (s[lx->pos] == '\n' || s[lx->pos] == '\r')
				              : (s[lx->pos] == '*' && lx->pos + 1 < n &&
				                 s[lx->pos + 1] == '/')))
					lx->pos++;
				if (!line && lx->pos < n)
					lx->pos += 2;
			} else if (c == '/' && lx->pos + 1 < n && s[lx->pos + 1] == '>') {
				lx->pos += 2;
				if (--level == 0)
					return;
				state = JSX_CHILDREN;
			} else if (c == '>') {
				lx->pos++;
				state = JSX_CHILDREN;
			} else if (c == '"' || c == '\'') {
				lx->pos++;
				while (lx->pos < n && s[lx->pos] != c)
					lx->pos++;
				if (lx->pos < n)
					lx->pos++;
			} else if (c == '{') {
				lx->pos++;
				push_sub(lx, t, true, JSX_ATTRS, level);
				return;
			} else {
				lx->pos++;
			}
		} else {
			if (c == '<') {
				lx->pos++;
				state = JSX_TAG_OPEN;
			} else if (c == '{') {
				lx->pos++;
				push_sub(lx, t, true, JSX_CHILDREN, level);
				return;
			} else {
				lx->pos++;
			}
		}
	}
}

/* Scans template characters after a backtick or the `}` closing a
 * substitution, up to the closing backtick or the next `${`. */
static void
scan_template(wl_srclex *lx, wl_srctok *t)
{
	const char *s = lx->s;
	size_t n = lx->len;
	while (lx->pos < n) {
		char c = s[lx->pos];
		if (c == '\\') {
			lx->pos = lx->pos + 2 <= n ? lx->pos + 2 : n;
		} else if (c == '`') {
			lx->pos++;
			return;
		} else if (c == '$' && lx->pos + 1 < n && s[lx->pos + 1] == '{') {
			lx->pos += 2;
			push_sub(lx, t, false, 0, 0);
			return;
		} else {
			lx->pos++;
		}
	}
	t->unterminated = true;
	lx->unbalanced = true;
}

static void
scan_string(wl_srclex *lx, wl_srctok *t, char q)
{
	const char *s = lx->s;
	size_t n = lx->len;
	lx->pos++;
	t->value.start = (uint32_t)lx->pos;
	while (lx->pos < n) {
		char c = s[lx->pos];
		if (c == q) {
			t->value.end = (uint32_t)lx->pos;
			lx->pos++;
			return;
		}
		if (c == '\n' || c == '\r')
			break;
		if (c == '\\') {
			lx->pos++;
			if (lx->pos < n && s[lx->pos] == '\r' && lx->pos + 1 < n &&
			    s[lx->pos + 1] == '\n')
				lx->pos++;
		}
		if (lx->pos < n)
			lx->pos++;
	}
	t->value.end = (uint32_t)lx->pos;
	t->unterminated = true;
}

static void
scan_regex(wl_srclex *lx, wl_srctok *t)
{
	const char *s = lx->s;
	size_t n = lx->len;
	bool in_class = false;
	lx->pos++;
	while (lx->pos < n) {
		char c = s[lx->pos];
		if (c == '\n' || c == '\r') {
			t->unterminated = true;
			return;
		}
		if (c == '\\') {
			lx->pos++;
			if (lx->pos < n && s[lx->pos] != '\n' && s[lx->pos] != '\r')
				lx->pos++;
			continue;
		}
		if (c == '[')
			in_class = true;
		else if (c == ']')
			in_class = false;
		else if (c == '/' && !in_class) {
			lx->pos++;
			while (lx->pos < n && ident_part((unsigned char)s[lx->pos]))
				lx->pos++;
			return;
		}
		lx->pos++;
	}
	t->unterminated = true;
}

static void
scan_number(wl_srclex *lx)
{
	const char *s = lx->s;
	size_t n = lx->len, start = lx->pos;
	bool hex =
	    n - start >= 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X');
	while (lx->pos < n) {
		unsigned char c = (unsigned char)s[lx->pos];
		if (ident_part(c) || c == '.') {
			lx->pos++;
		} else if ((c == '+' || c == '-') && !hex && lx->pos > start &&
		           (s[lx->pos - 1] == 'e' || s[lx->pos - 1] == 'E')) {
			lx->pos++;
		} else {
			break;
		}
	}
}

wl_srctok
wl_srclex_next(wl_srclex *lx)
{
	wl_srctok t;
	memset(&t, 0, sizeof(t));
	if (lx->stopped) {
		t.kind = WL_TK_EOF;
		t.start = t.end = (uint32_t)lx->len;
		t.depth = lx->depth;
		return t;
	}
	t.nl_before = skip_trivia(lx);
	t.start = (uint32_t)lx->pos;
	t.depth = lx->depth;
	const unsigned char *s = (const unsigned char *)lx->s;
	size_t n = lx->len;
	if (lx->pos >= n) {
		t.kind = WL_TK_EOF;
		t.end = t.start;
		return t;
	}
	unsigned char c = s[lx->pos];
	if (ident_start(c) || (c == '\\' && lx->pos + 1 < n && s[lx->pos + 1] == 'u')) {
		t.kind = WL_TK_IDENT;
		lx->pos++;
		while (lx->pos < n && (ident_part(s[lx->pos]) || s[lx->pos] == '\\'))
			lx->pos++;
	} else if (c == '#' && lx->pos + 1 < n && ident_start(s[lx->pos + 1])) {
		t.kind = WL_TK_PRIVATE;
		lx->pos++;
		while (lx->pos < n && ident_part(s[lx->pos]))
			lx->pos++;
	} else if (is_digit(c) || (c == '.' && lx->pos + 1 < n && is_digit(s[lx->pos + 1]))) {
		t.kind = WL_TK_NUMBER;
		scan_number(lx);
	} else if (c == '"' || c == '\'') {
		t.kind = WL_TK_STRING;
		scan_string(lx, &t, (char)c);
	} else if (c == '`') {
		t.kind = WL_TK_TEMPLATE;
		lx->pos++;
		scan_template(lx, &t);
	} else if (c == '/' && regex_allowed(lx)) {
		t.kind = WL_TK_REGEX;
		scan_regex(lx, &t);
	} else if (c == '}' && lx->n_subs > 0 && lx->depth > 0 &&
	           lx->subs[lx->n_subs - 1].depth == lx->depth - 1) {
		/* the end of a substitution: the template or JSX goes on */
		wl_srclex_sub sub = lx->subs[--lx->n_subs];
		lx->depth--;
		t.depth = lx->depth;
		t.closes = true;
		lx->pos++;
		if (sub.jsx) {
			t.kind = WL_TK_JSX;
			scan_jsx(lx, &t, sub.state, sub.level);
		} else {
			t.kind = WL_TK_TEMPLATE;
			scan_template(lx, &t);
		}
	} else if (c == '<' && lx->jsx && regex_allowed(lx) && jsx_starts(lx)) {
		t.kind = WL_TK_JSX;
		lx->pos++;
		scan_jsx(lx, &t, JSX_TAG_OPEN, 0);
	} else {
		t.kind = WL_TK_PUNCT;
		t.punct = (char)c;
		/* `x! / 2`: a `!` right after an expression asserts non-null and
		 * the expression goes on (`!=` is the same either way) */
		t.postfix = c == '!' && !regex_allowed(lx);
		lx->pos++;
		if ((c == '+' || c == '-') && lx->pos < n && s[lx->pos] == c) {
			t.dbl = true;
			lx->pos++;
		}
		if (c == '(' || c == '[' || c == '{') {
			lx->depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (lx->depth > 0)
				lx->depth--;
			else
				lx->unbalanced = true;
			t.depth = lx->depth;
			/* A closer that ends an open substitution without its `}`
			 * (unbalanced input): that template is abandoned. */
			while (lx->n_subs > 0 && lx->subs[lx->n_subs - 1].depth >= lx->depth) {
				lx->n_subs--;
				lx->unbalanced = true;
			}
		}
	}
	t.end = (uint32_t)lx->pos;
	lx->prev_after_dot = lx->has_prev && lx->prev.kind == WL_TK_PUNCT && lx->prev.punct == '.';
	lx->prev = t;
	lx->has_prev = true;
	return t;
}

/* ---- extraction ---------------------------------------------------------- */

/* Levels of ( [ { ${ whose kind is remembered (for `Env` inside
 * `declare global` / namespaces); deeper levels count as "other". */
#define KIND_LEVELS 256

enum block_kind { BLOCK_OTHER, BLOCK_GLOBAL, BLOCK_CLOUDFLARE, BLOCK_NAMESPACE };

typedef struct parser {
	wl_srclex lx;
	wl_srcscan *r;
	wl_srctok cur;
	wl_srctok hist[3]; /* hist[0]: the token before cur */
	wl_srctok la;
	bool has_la;
	unsigned char kinds[KIND_LEVELS];
	uint32_t n_other; /* open levels < KIND_LEVELS of BLOCK_OTHER */
	bool in_decl;     /* after export const/let/var: a `,` starts another name */
	uint32_t decl_depth;
} parser;

static bool
is_punct(const wl_srctok *t, char c)
{
	return t->kind == WL_TK_PUNCT && t->punct == c && !t->dbl;
}

static bool
is_word(parser *p, const wl_srctok *t, const char *w)
{
	return tok_is(p->lx.s, t, w);
}

static bool
is_name(const wl_srctok *t)
{
	return t->kind == WL_TK_IDENT || t->kind == WL_TK_STRING;
}

static void
note_open(parser *p, const wl_srctok *t, uint32_t depth)
{
	unsigned char kind = BLOCK_OTHER;
	if (is_punct(t, '{')) {
		const wl_srctok *a = &p->hist[0], *b = &p->hist[1];
		if (a->kind == WL_TK_IDENT && is_word(p, a, "global") && is_word(p, b, "declare"))
			kind = BLOCK_GLOBAL;
		else if ((a->kind == WL_TK_IDENT || a->kind == WL_TK_STRING) &&
		         (is_word(p, b, "namespace") || is_word(p, b, "module")))
			kind = is_word(p, a, "Cloudflare") ? BLOCK_CLOUDFLARE : BLOCK_NAMESPACE;
	}
	if (depth < KIND_LEVELS) {
		p->kinds[depth] = kind;
		if (kind == BLOCK_OTHER)
			p->n_other++;
	}
}

static void
note_close(parser *p, uint32_t depth)
{
	if (depth < KIND_LEVELS && p->kinds[depth] == BLOCK_OTHER && p->n_other > 0)
		p->n_other--;
	if (depth < KIND_LEVELS)
		p->kinds[depth] = BLOCK_NAMESPACE; /* closed: no longer counted */
}

static wl_srctok
raw_next(parser *p)
{
	if (p->has_la) {
		p->has_la = false;
		return p->la;
	}
	return wl_srclex_next(&p->lx);
}

/* Consumes the next token, keeping the block kinds and the history. */
static wl_srctok
next(parser *p)
{
	wl_srctok t = raw_next(p);
	p->hist[2] = p->hist[1];
	p->hist[1] = p->hist[0];
	p->hist[0] = p->cur;
	p->cur = t;
	if (t.kind == WL_TK_PUNCT) {
		if (t.punct == '(' || t.punct == '[' || t.punct == '{')
			note_open(p, &t, t.depth);
		else if (t.punct == ')' || t.punct == ']' || t.punct == '}')
			note_close(p, t.depth);
	} else if (t.kind == WL_TK_TEMPLATE || t.kind == WL_TK_JSX) {
		if (t.closes)
			note_close(p, t.depth);
		if (t.opens)
			note_open(p, &t, t.depth);
	}
	return t;
}

static wl_srctok *
peek(parser *p)
{
	if (!p->has_la) {
		p->la = wl_srclex_next(&p->lx);
		p->has_la = true;
	}
	return &p->la;
}

static bool
after_dot(const parser *p)
{
	return p->hist[0].kind == WL_TK_PUNCT && p->hist[0].punct == '.';
}

/* Whether an `Env` at this depth is at a module's or namespace's top level
 * (not inside a function, class or object). */
static bool
ns_level(const parser *p, uint32_t depth)
{
	return depth < KIND_LEVELS && p->n_other == 0;
}

static wl_src_env_scope
scope_at(const parser *p, uint32_t depth)
{
	if (depth == 0)
		return WL_ENV_SCOPE_MODULE;
	switch (p->kinds[depth - 1]) {
	case BLOCK_GLOBAL:
		return WL_ENV_SCOPE_GLOBAL;
	case BLOCK_CLOUDFLARE:
		return WL_ENV_SCOPE_CLOUDFLARE;
	default:
		return WL_ENV_SCOPE_NAMESPACE;
	}
}

/* The name a token stands for, copied into the arena: an identifier, or a
 * string's content (export { x as "name" }). */
static const char *
tok_text(parser *p, const wl_srctok *t)
{
	if (t->kind == WL_TK_STRING)
		return wl_arena_strndup(&p->r->arena, p->lx.s + t->value.start,
		                        t->value.end - t->value.start);
	return wl_arena_strndup(&p->r->arena, p->lx.s + t->start, t->end - t->start);
}

static bool
text_is(parser *p, const wl_srctok *t, const char *w)
{
	if (t->kind == WL_TK_STRING) {
		size_t n = strlen(w);
		return t->value.end - t->value.start == n &&
		       memcmp(p->lx.s + t->value.start, w, n) == 0;
	}
	return is_word(p, t, w);
}

static void
add_export(parser *p, wl_src_export_kind kind, const wl_srctok *name, const char *imported,
           const char *module, wl_span span)
{
	wl_srcscan *r = p->r;
	if (name && text_is(p, name, "default") && kind != WL_SRC_EXPORT_STAR_AS) {
		r->has_default = true;
		return;
	}
	wl_xgrow((void **)&r->exports, &r->cap_exports, r->n_exports + 1, sizeof(*r->exports));
	wl_src_export *e = &r->exports[r->n_exports++];
	e->kind = kind;
	e->name = name ? tok_text(p, name) : NULL;
	e->imported = imported;
	e->module = module;
	e->span = span;
}

static void
add_import(parser *p, const char *imported, const char *local, const char *module, wl_span span,
           bool type_only, bool dynamic)
{
	wl_srcscan *r = p->r;
	wl_xgrow((void **)&r->imports, &r->cap_imports, r->n_imports + 1, sizeof(*r->imports));
	wl_src_import *im = &r->imports[r->n_imports++];
	im->imported = imported;
	im->local = local;
	im->module = module;
	im->span = span;
	im->type_only = type_only;
	im->dynamic = dynamic;
}

static wl_span
tspan(const wl_srctok *t)
{
	return wl_span_make(t->start, t->end);
}

/* `class` was just consumed. */
static void
handle_class(parser *p, uint32_t decl_start, bool exported, bool exported_default)
{
	wl_srctok kw = p->cur;
	wl_srctok *u = peek(p);
	wl_srctok name;
	bool from_const = false;
	if (u->kind == WL_TK_IDENT && !is_word(p, u, "extends") && !is_word(p, u, "implements")) {
		name = next(p);
	} else if (u->kind == WL_TK_PUNCT && u->punct != '{') {
		return; /* `class` used as a name: { class: 1 }, f(class) */
	} else if (!exported && !exported_default && is_punct(&p->hist[0], '=') &&
	           p->hist[1].kind == WL_TK_IDENT) {
		name = p->hist[1]; /* const X = class extends … */
		from_const = true;
	} else {
		return;
	}
	wl_srcscan *r = p->r;
	wl_xgrow((void **)&r->classes, &r->cap_classes, r->n_classes + 1, sizeof(*r->classes));
	wl_src_class *c = &r->classes[r->n_classes++];
	c->name = tok_text(p, &name);
	c->name_span = tspan(&name);
	c->decl_span =
	    wl_span_make(from_const ? name.start : decl_start, from_const ? kw.end : name.end);
	c->exported = exported;
	c->exported_default = exported_default;
	c->from_const = from_const;
	c->base = NULL;
	c->depth = kw.depth;
	if (exported)
		add_export(p, WL_SRC_EXPORT_LOCAL, &name, NULL, NULL, tspan(&name));
	size_t idx = r->n_classes - 1;
	/* `<T extends …>` type parameters, then `extends A.B<…>` */
	if (is_punct(peek(p), '<')) {
		uint32_t d = peek(p)->depth;
		unsigned angle = 0;
		for (;;) {
			wl_srctok t = next(p);
			if (t.kind == WL_TK_EOF || t.depth < d || is_punct(&t, '{'))
				return;
			if (is_punct(&t, '<'))
				angle++;
			else if (is_punct(&t, '>') && --angle == 0)
				break;
		}
	}
	if (!is_word(p, peek(p), "extends"))
		return;
	next(p);
	wl_srctok base = {0};
	while (peek(p)->kind == WL_TK_IDENT) {
		base = next(p);
		if (!is_punct(peek(p), '.'))
			break;
		next(p);
	}
	if (base.kind == WL_TK_IDENT)
		r->classes[idx].base = tok_text(p, &base);
}

/* `@` was just consumed: skips `name(.name)*` and a balanced argument list. */
static void
skip_decorator(parser *p)
{
	if (peek(p)->kind != WL_TK_IDENT)
		return;
	next(p);
	while (is_punct(peek(p), '.')) {
		next(p);
		if (peek(p)->kind != WL_TK_IDENT)
			return;
		next(p);
	}
	if (!is_punct(peek(p), '('))
		return;
	uint32_t d = next(p).depth;
	for (;;) {
		wl_srctok t = next(p);
		if (t.kind == WL_TK_EOF || (is_punct(&t, ')') && t.depth == d))
			return;
	}
}

typedef struct spec {
	wl_srctok a, b; /* a as b */
	bool type_only;
} spec;

typedef struct specs {
	spec *v;
	size_t n, cap;
} specs;

/* `{` was just consumed: reads `[type] a [as b], …` up to the matching `}`. */
static void
read_specifiers(parser *p, specs *out)
{
	uint32_t d = p->cur.depth;
	out->n = 0;
	for (;;) {
		wl_srctok t = next(p);
		if (t.kind == WL_TK_EOF || (is_punct(&t, '}') && t.depth == d))
			return;
		if (!is_name(&t) || t.depth != d + 1)
			continue;
		bool type_only = false;
		if (is_word(p, &t, "type") && is_name(peek(p)) && !is_word(p, peek(p), "as")) {
			type_only = true;
			t = next(p);
		}
		wl_srctok b = t;
		if (is_word(p, peek(p), "as")) {
			next(p);
			if (is_name(peek(p)))
				b = next(p);
		}
		wl_xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n].a = t;
		out->v[out->n].b = b;
		out->v[out->n].type_only = type_only;
		out->n++;
	}
}

/* Reads `from "m"` if it comes next; returns the module or NULL. */
static const char *
read_from(parser *p, wl_span *span)
{
	if (!is_word(p, peek(p), "from"))
		return NULL;
	next(p);
	if (peek(p)->kind != WL_TK_STRING)
		return NULL;
	wl_srctok m = next(p);
	*span = tspan(&m);
	return tok_text(p, &m);
}

static void handle_interface(parser *p);
static void handle_type_alias(parser *p);

/* `export` at the module's top level was just consumed. */
static void
handle_export(parser *p, specs *sp)
{
	wl_srcscan *r = p->r;
	uint32_t start = p->cur.start;
	r->has_esm = true;
	for (;;) {
		wl_srctok u = next(p);
		if (is_punct(&u, '@')) {
			skip_decorator(p);
			continue;
		}
		if (is_punct(&u, '{') || (is_word(p, &u, "type") && is_punct(peek(p), '{'))) {
			bool type_only = !is_punct(&u, '{');
			if (type_only)
				next(p);
			read_specifiers(p, sp);
			wl_span ms;
			const char *module = read_from(p, &ms);
			for (size_t i = 0; i < sp->n; i++) {
				if (type_only || sp->v[i].type_only)
					continue;
				add_export(p, module ? WL_SRC_EXPORT_FROM : WL_SRC_EXPORT_LOCAL,
				           &sp->v[i].b, tok_text(p, &sp->v[i].a), module,
				           tspan(&sp->v[i].b));
			}
			return;
		}
		if (is_word(p, &u, "type") && is_punct(peek(p), '*'))
			return; /* export type * from: types only */
		if (is_word(p, &u, "type")) {
			handle_type_alias(p);
			return;
		}
		if (is_word(p, &u, "interface")) {
			handle_interface(p);
			return;
		}
		if (is_punct(&u, '*')) {
			wl_srctok star = u;
			wl_span ms;
			if (is_word(p, peek(p), "as")) {
				next(p);
				if (!is_name(peek(p)))
					return;
				wl_srctok name = next(p);
				const char *module = read_from(p, &ms);
				if (module)
					add_export(p, WL_SRC_EXPORT_STAR_AS, &name, NULL, module,
					           tspan(&name));
				return;
			}
			const char *module = read_from(p, &ms);
			if (module)
				add_export(p, WL_SRC_EXPORT_STAR, NULL, NULL, module, tspan(&star));
			return;
		}
		if (is_word(p, &u, "default")) {
			r->has_default = true;
			while (is_punct(peek(p), '@')) {
				next(p);
				skip_decorator(p);
			}
			if (is_word(p, peek(p), "abstract"))
				next(p);
			if (is_word(p, peek(p), "class")) {
				next(p);
				handle_class(p, start, false, true);
			}
			return;
		}
		if (is_word(p, &u, "declare"))
			continue;
		if (is_word(p, &u, "abstract")) {
			if (is_word(p, peek(p), "class")) {
				next(p);
				handle_class(p, start, true, false);
			}
			return;
		}
		if (is_word(p, &u, "class")) {
			handle_class(p, start, true, false);
			return;
		}
		if (is_word(p, &u, "const") || is_word(p, &u, "let") || is_word(p, &u, "var") ||
		    is_word(p, &u, "using")) {
			if (is_word(p, peek(p), "enum"))
				next(p);
			wl_srctok *n = peek(p);
			if (n->kind == WL_TK_IDENT) {
				wl_srctok name = next(p);
				add_export(p, WL_SRC_EXPORT_LOCAL, &name, NULL, NULL, tspan(&name));
			} else if (is_punct(n, '{') || is_punct(n, '[')) {
				r->unknown_exports = true; /* destructuring: names not listed */
			}
			p->in_decl = true;
			p->decl_depth = u.depth;
			return;
		}
		if (is_word(p, &u, "async")) {
			if (!is_word(p, peek(p), "function"))
				return;
			u = next(p);
		}
		if (is_word(p, &u, "function") || is_word(p, &u, "enum") ||
		    is_word(p, &u, "namespace") || is_word(p, &u, "module") ||
		    is_word(p, &u, "import")) {
			if (is_punct(peek(p), '*'))
				next(p);
			if (peek(p)->kind == WL_TK_IDENT) {
				wl_srctok name = next(p);
				add_export(p, WL_SRC_EXPORT_LOCAL, &name, NULL, NULL, tspan(&name));
			}
			return;
		}
		if (is_punct(&u, '='))
			r->unknown_exports = true; /* export = x (CommonJS in TypeScript) */
		return;
	}
}

/* `import` (not after a dot) was just consumed. */
static void
handle_import(parser *p, specs *sp)
{
	wl_srcscan *r = p->r;
	wl_srctok kw = p->cur;
	wl_srctok *u = peek(p);
	if (is_punct(u, '(')) {
		next(p);
		if (peek(p)->kind != WL_TK_STRING)
			return;
		wl_srctok m = next(p);
		if (is_punct(peek(p), ')') || is_punct(peek(p), ','))
			add_import(p, NULL, NULL, tok_text(p, &m), tspan(&m), false, true);
		return;
	}
	if (is_punct(u, '.') || kw.depth != 0)
		return;
	r->has_esm = true;
	bool type_only = false, has_def = false, star = false;
	wl_srctok def = {0}, star_local = {0};
	sp->n = 0;
	if (is_word(p, u, "type")) {
		wl_srctok ty = next(p);
		wl_srctok *v = peek(p);
		if (is_punct(v, '{') || is_punct(v, '*') ||
		    (v->kind == WL_TK_IDENT && !is_word(p, v, "from"))) {
			type_only = true;
		} else {
			/* `import type from "m"` / `import type, {…}`: a default
			 * import named `type` */
			def = ty;
			has_def = true;
		}
	}
	if (!has_def && peek(p)->kind == WL_TK_STRING) {
		wl_srctok m = next(p);
		add_import(p, NULL, NULL, tok_text(p, &m), tspan(&m), false, false);
		return;
	}
	if (!has_def && peek(p)->kind == WL_TK_IDENT && !is_word(p, peek(p), "from")) {
		def = next(p);
		has_def = true;
	}
	if (has_def) {
		if (is_punct(peek(p), '='))
			return; /* import A = require("m") / import A = B.C */
		if (is_punct(peek(p), ','))
			next(p);
	}
	if (is_punct(peek(p), '*')) {
		next(p);
		if (is_word(p, peek(p), "as")) {
			next(p);
			if (peek(p)->kind == WL_TK_IDENT) {
				star_local = next(p);
				star = true;
			}
		}
	} else if (is_punct(peek(p), '{')) {
		next(p);
		read_specifiers(p, sp);
	}
	wl_span ms;
	const char *module = read_from(p, &ms);
	if (!module)
		return;
	size_t before = r->n_imports;
	if (has_def)
		add_import(p, "default", tok_text(p, &def), module, ms, type_only, false);
	if (star)
		add_import(p, "*", tok_text(p, &star_local), module, ms, type_only, false);
	for (size_t i = 0; i < sp->n; i++)
		add_import(p, tok_text(p, &sp->v[i].a), tok_text(p, &sp->v[i].b), module, ms,
		           type_only || sp->v[i].type_only, false);
	if (r->n_imports == before)
		add_import(p, NULL, NULL, module, ms, type_only, false); /* import {} from */
}

static const char *const binding_types[] = {
    "KVNamespace",
    "R2Bucket",
    "D1Database",
    "Fetcher",
    "Queue",
    "Service",
    "AnalyticsEngineDataset",
    "Hyperdrive",
    "VectorizeIndex",
    "Vectorize",
    "Ai",
    "DispatchNamespace",
    "Workflow",
    "SendEmail",
    "RateLimit",
    "ImagesBinding",
    "SecretsStoreSecret",
    "BrowserRendering",
    "WorkerVersionMetadata",
    "MTlsCertificate",
    "AssetsBinding",
    NULL,
};

static const char *const primitive_types[] = {"string", "number", "boolean", "bigint", NULL};

static bool
word_in(parser *p, const wl_srctok *t, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (is_word(p, t, list[i]))
			return true;
	return false;
}

/* Index of the `>` matching the `<` at tokens[open], or n. */
static size_t
match_angle(const wl_srctok *v, size_t open, size_t n)
{
	size_t depth = 0;
	for (size_t i = open; i < n; i++) {
		if (is_punct(&v[i], '<'))
			depth++;
		else if (is_punct(&v[i], '>') && --depth == 0)
			return i;
	}
	return n;
}

#define TYPE_TOKENS 32

/* Classifies a member's type from its first tokens. */
static void
classify_type(parser *p, wl_src_env_member *m, const wl_srctok *v, size_t n, bool truncated)
{
	m->kind = WL_ENV_TYPE_OTHER;
	if (n == 0)
		return;
	bool all_literals = !truncated;
	for (size_t i = 0; i < n; i++)
		if (!(v[i].kind == WL_TK_STRING || v[i].kind == WL_TK_NUMBER ||
		      is_punct(&v[i], '|')))
			all_literals = false;
	if (all_literals) {
		m->kind = WL_ENV_TYPE_PRIMITIVE;
		return;
	}
	if (v[0].kind != WL_TK_IDENT)
		return;
	m->type_name = tok_text(p, &v[0]);
	/* what may follow the type: nothing, or `| undefined` */
	size_t end = 1;
	if (n > 1 && is_punct(&v[1], '<')) {
		end = match_angle(v, 1, n);
		if (end == n)
			return; /* not closed within the tokens kept */
		end++;
	}
	for (size_t i = end; i < n; i++)
		if (!(is_punct(&v[i], '|') || is_word(p, &v[i], "undefined") ||
		      is_word(p, &v[i], "null")))
			return;
	if (truncated)
		return;
	if (is_word(p, &v[0], "DurableObjectNamespace") || is_word(p, &v[0], "AgentNamespace")) {
		m->kind = WL_ENV_TYPE_DO;
		if (end == 1)
			return;
		/* the argument: a (qualified) name, or import("m").Name */
		size_t last = end - 2; /* the token before `>` */
		if (last < 2 || v[last].kind != WL_TK_IDENT)
			return;
		for (size_t i = 2; i <= last; i++) {
			bool ok = v[i].kind == WL_TK_IDENT || is_punct(&v[i], '.');
			if (is_word(p, &v[i], "import") && i + 3 <= last &&
			    is_punct(&v[i + 1], '(') && v[i + 2].kind == WL_TK_STRING &&
			    is_punct(&v[i + 3], ')')) {
				i += 3;
				continue;
			}
			if (!ok || is_word(p, &v[i], "typeof") || is_word(p, &v[i], "keyof"))
				return;
		}
		m->class_name = tok_text(p, &v[last]);
		return;
	}
	if (end == 1 && word_in(p, &v[0], primitive_types))
		m->kind = WL_ENV_TYPE_PRIMITIVE;
	else if (word_in(p, &v[0], binding_types))
		m->kind = WL_ENV_TYPE_BINDING;
}

static bool
continues_type(const wl_srctok *last)
{
	if (last->kind != WL_TK_PUNCT)
		return false;
	return strchr("|&:<,=?(.[", last->punct) != NULL;
}

/* `{` of an Env body was just consumed: reads its members. */
static void
read_members(parser *p, wl_src_env *env)
{
	uint32_t d = p->cur.depth;
	size_t cap = 0;
	for (;;) {
		wl_srctok t = next(p);
		if (t.kind == WL_TK_EOF || (is_punct(&t, '}') && t.depth == d))
			return;
		if (t.depth != d + 1)
			continue;
		if (is_punct(&t, '[')) {
			env->has_index_signature = true;
			continue;
		}
		if (is_word(p, &t, "readonly") && is_name(peek(p)))
			t = next(p);
		if (!(is_name(&t) || t.kind == WL_TK_NUMBER))
			continue;
		wl_srctok *u = peek(p);
		bool optional = false;
		if (is_punct(u, '?')) {
			optional = true;
			next(p);
			u = peek(p);
		}
		if (!is_punct(u, ':'))
			continue; /* a method, or something the scanner does not read */
		next(p);
		wl_srctok v[TYPE_TOKENS];
		size_t n = 0;
		bool truncated = false;
		uint32_t tstart = 0, tend = 0;
		wl_srctok last = p->cur;
		for (;;) {
			wl_srctok *x = peek(p);
			if (x->kind == WL_TK_EOF || (is_punct(x, '}') && x->depth == d))
				break;
			if (x->depth == d + 1 && (is_punct(x, ';') || is_punct(x, ',')))
				break;
			if (x->depth == d + 1 && x->nl_before && n > 0 && !continues_type(&last) &&
			    !is_punct(x, '|') && !is_punct(x, '&') && !is_punct(x, '.') &&
			    !is_punct(x, '>'))
				break;
			wl_srctok y = next(p);
			if (n == 0)
				tstart = y.start;
			tend = y.end;
			if (n < TYPE_TOKENS)
				v[n] = y;
			else
				truncated = true;
			n++;
			last = y;
		}
		wl_xgrow((void **)&env->members, &cap, env->n_members + 1, sizeof(*env->members));
		wl_src_env_member *m = &env->members[env->n_members++];
		memset(m, 0, sizeof(*m));
		m->name = tok_text(p, &t);
		m->name_span = tspan(&t);
		m->type_span = wl_span_make(tstart, tend);
		m->optional = optional;
		classify_type(p, m, v, n < TYPE_TOKENS ? n : TYPE_TOKENS, truncated);
		if (m->kind == WL_ENV_TYPE_DO || m->kind == WL_ENV_TYPE_BINDING)
			env->declares_binding = true;
	}
}

static wl_src_env *
new_env(parser *p, const wl_srctok *name, uint32_t depth)
{
	wl_srcscan *r = p->r;
	wl_xgrow((void **)&r->envs, &r->cap_envs, r->n_envs + 1, sizeof(*r->envs));
	wl_src_env *e = &r->envs[r->n_envs++];
	memset(e, 0, sizeof(*e));
	e->name = tok_text(p, name);
	e->name_span = tspan(name);
	e->scope = scope_at(p, depth);
	return e;
}

/* Whether an interface called `t` holds a Worker's bindings: `Env`, and
 * in a file `wrangler types` generated also the interfaces it declares
 * them in (`__BaseEnv_Env`, per-environment `ProductionEnv`, a custom
 * `--env-interface` name's `__BaseEnv_CloudflareBindings`), at the file's
 * top level or in namespace Cloudflare. */
static bool
env_like(parser *p, const wl_srctok *t, uint32_t depth)
{
	if (t->kind != WL_TK_IDENT)
		return false;
	if (is_word(p, t, "Env"))
		return true;
	if (!p->r->generated)
		return false;
	wl_src_env_scope scope = scope_at(p, depth);
	if (scope != WL_ENV_SCOPE_MODULE && scope != WL_ENV_SCOPE_CLOUDFLARE)
		return false;
	size_t n = t->end - t->start;
	const char *s = p->lx.s + t->start;
	return (n > 10 && memcmp(s, "__BaseEnv_", 10) == 0) ||
	       (n > 3 && memcmp(s + n - 3, "Env", 3) == 0);
}

/* `interface` was just consumed. */
static void
handle_interface(parser *p)
{
	uint32_t d = p->cur.depth;
	if (!ns_level(p, d) || !env_like(p, peek(p), d))
		return;
	wl_srctok name = next(p);
	bool has_extends = false;
	wl_span ext = {0, 0};
	for (;;) {
		wl_srctok *u = peek(p);
		if (u->kind == WL_TK_EOF || u->depth < d || (u->depth == d && is_punct(u, ';')))
			return;
		if (u->depth == d && is_punct(u, '{'))
			break;
		if (has_extends) {
			if (ext.end == 0)
				ext.start = u->start;
			ext.end = u->end;
		}
		if (is_word(p, u, "extends") && !has_extends)
			has_extends = true;
		next(p);
	}
	next(p);
	/* the body's tokens are read before `new_env`'s pointer is taken, so
	 * nothing else is appended to r->envs while it is live */
	wl_src_env *e = new_env(p, &name, d);
	e->has_extends = has_extends;
	e->extends_span = ext;
	read_members(p, e);
}

/* `type` was just consumed. */
static void
handle_type_alias(parser *p)
{
	uint32_t d = p->cur.depth;
	if (!ns_level(p, d) || !is_word(p, peek(p), "Env"))
		return;
	wl_srctok name = next(p);
	if (!is_punct(peek(p), '='))
		return; /* type Env<T> = …: not read */
	next(p);
	wl_src_env *e = new_env(p, &name, d);
	e->is_type_alias = true;
	if (!is_punct(peek(p), '{')) {
		e->has_extends = true; /* type Env = Other & { … }: not read */
		return;
	}
	next(p);
	size_t idx = p->r->n_envs - 1;
	read_members(p, e);
	if (is_punct(peek(p), '&') || is_punct(peek(p), '|'))
		p->r->envs[idx].has_extends = true;
}

static bool
statement_word(parser *p, const wl_srctok *t)
{
	static const char *const words[] = {
	    "export", "import", "const",     "let",  "var",  "class", "function", "async",
	    "if",     "for",    "interface", "type", "enum", "while", "return",   NULL,
	};
	return word_in(p, t, words);
}

wl_srcscan *
wl_srcscan_run(const char *text, size_t len)
{
	return wl_srcscan_run_ex(text, len, 0);
}

wl_srcscan *
wl_srcscan_run_ex(const char *text, size_t len, unsigned flags)
{
	wl_srcscan *r = wl_xcalloc(1, sizeof(*r));
	parser p;
	memset(&p, 0, sizeof(p));
	p.r = r;
	wl_srclex_init(&p.lx, text, len);
	p.lx.keep_directives = true;
	p.lx.jsx = (flags & WL_SRCSCAN_JSX) != 0;
	r->generated = wl_srcpat_generated_header(text, len);
	specs sp = {0};
	for (;;) {
		wl_srctok t = next(&p);
		if (t.kind == WL_TK_EOF)
			break;
		if (p.in_decl && t.depth == p.decl_depth) {
			if (is_punct(&t, ',')) {
				wl_srctok *n = peek(&p);
				if (n->kind == WL_TK_IDENT) {
					wl_srctok name = next(&p);
					add_export(&p, WL_SRC_EXPORT_LOCAL, &name, NULL, NULL,
					           tspan(&name));
				} else if (is_punct(n, '{') || is_punct(n, '[')) {
					r->unknown_exports = true;
				}
				continue;
			}
			if (is_punct(&t, ';') || (t.nl_before && statement_word(&p, &t)))
				p.in_decl = false;
		}
		if (t.kind != WL_TK_IDENT)
			continue;
		if (is_word(&p, &t, "addEventListener")) {
			/* also self.addEventListener / globalThis.addEventListener */
			if (is_punct(peek(&p), '(')) {
				next(&p);
				wl_srctok *s = peek(&p);
				if (s->kind == WL_TK_STRING && text_is(&p, s, "fetch") &&
				    !r->fetch_listener) {
					r->fetch_listener = true;
					r->fetch_listener_span = wl_span_make(t.start, t.end);
				}
			}
			continue;
		}
		if (after_dot(&p))
			continue;
		if (t.depth == 0 && is_word(&p, &t, "export")) {
			p.in_decl = false;
			handle_export(&p, &sp);
		} else if (is_word(&p, &t, "import")) {
			handle_import(&p, &sp);
		} else if (is_word(&p, &t, "class")) {
			uint32_t start = t.start;
			if (is_word(&p, &p.hist[0], "abstract"))
				start = p.hist[0].start;
			handle_class(&p, start, false, false);
		} else if (is_word(&p, &t, "interface")) {
			handle_interface(&p);
		} else if (is_word(&p, &t, "type")) {
			handle_type_alias(&p);
		} else if (is_word(&p, &t, "module")) {
			if (is_punct(peek(&p), '.')) {
				next(&p);
				if (is_word(&p, peek(&p), "exports"))
					r->cjs = true;
			}
		} else if (is_word(&p, &t, "exports")) {
			if (is_punct(peek(&p), '.') || is_punct(peek(&p), '['))
				r->cjs = true;
		}
	}
	free(sp.v);
	r->incomplete = p.lx.stopped;
	r->directives = p.lx.directives;
	r->n_directives = p.lx.n_directives;
	r->unbalanced = p.lx.unbalanced || p.lx.depth != 0 || p.lx.n_subs != 0;
	return r;
}

void
wl_srcscan_free(wl_srcscan *scan)
{
	if (!scan)
		return;
	for (size_t i = 0; i < scan->n_envs; i++)
		free(scan->envs[i].members);
	free(scan->envs);
	free(scan->exports);
	free(scan->classes);
	free(scan->imports);
	free(scan->directives);
	wl_arena_free(&scan->arena);
	free(scan);
}

bool
wl_srcscan_exports_name(const wl_srcscan *scan, const char *name)
{
	for (size_t i = 0; i < scan->n_exports; i++) {
		const wl_src_export *e = &scan->exports[i];
		if (e->kind != WL_SRC_EXPORT_STAR && e->name && strcmp(e->name, name) == 0)
			return true;
	}
	return false;
}
