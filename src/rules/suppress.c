#include "suppress.h"

#include <stdlib.h>
#include <string.h>

static const wl_rule rule_unused = {"suppression-unused", "suppression", WL_SEV_WARNING,
                                    "A wrangler-lint-disable directive that suppresses nothing"};
static const wl_rule rule_unknown = {
    "suppression-unknown-rule", "suppression", WL_SEV_WARNING,
    "A wrangler-lint-disable directive naming a rule that does not exist"};

static const wl_rule *const rules[] = {&rule_unused, &rule_unknown};

/* Reported by this module, which lint.c drives. */
const wl_rule_family wl_family_suppression = {"suppression", rules,
                                              sizeof(rules) / sizeof(rules[0]), NULL};

typedef enum { SCOPE_NEXT_LINE, SCOPE_LINE, SCOPE_FILE } scope;

typedef struct target {
	size_t rule;   /* registry index */
	uint32_t line; /* the covered line; 0 for the whole file */
	wl_span span;  /* the rule id in the comment */
	scope scope;
	bool used;
} target;

struct wl_suppressions {
	wl_source *src;
	target *items; /* sorted by (rule, line, span) once scanning is done */
	size_t len, cap;
};

static const char directive_word[] = "wrangler-lint-disable";

static const struct {
	const char *word;
	scope scope;
} directives[] = {
    /* Longest first: "wrangler-lint-disable" prefixes the others. */
    {"wrangler-lint-disable-next-line", SCOPE_NEXT_LINE},
    {"wrangler-lint-disable-line", SCOPE_LINE},
    {"wrangler-lint-disable", SCOPE_FILE},
};

bool
wl_suppress_may_have_directives(const char *bytes, size_t len)
{
	size_t n = sizeof(directive_word) - 1;
	const char *p = bytes, *end = bytes + len;
	while ((size_t)(end - p) >= n) {
		const char *hit = memchr(p, 'w', (size_t)(end - p) - n + 1);
		if (!hit)
			return false;
		if (memcmp(hit, directive_word, n) == 0)
			return true;
		p = hit + 1;
	}
	return false;
}

static bool
is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_break(char c)
{
	return c == '\n' || c == '\r';
}

/* Reads one directive from text[i, end) if it starts there. `line` is the
 * line it is on, `last_line` the comment's last line. */
static void
parse_directive(wl_suppressions *s, uint32_t i, uint32_t end, uint32_t line, uint32_t last_line,
                wl_span comment, wl_diag_list *diags)
{
	const char *text = s->src->bytes;
	scope sc = SCOPE_FILE;
	size_t k = 0;
	for (; k < sizeof(directives) / sizeof(directives[0]); k++) {
		size_t n = strlen(directives[k].word);
		if (end - i >= n && memcmp(text + i, directives[k].word, n) == 0 &&
		    (i + n == end || !is_id_char(text[i + n]))) {
			sc = directives[k].scope;
			i += (uint32_t)n;
			break;
		}
	}
	if (k == sizeof(directives) / sizeof(directives[0]))
		return;
	size_t named = 0;
	for (;;) {
		while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == ','))
			i++;
		if (i >= end || (text[i] == '-' && i + 1 < end && text[i + 1] == '-'))
			break; /* the rest is the reason */
		uint32_t start = i;
		while (i < end && is_id_char(text[i]))
			i++;
		if (i == start) {
			i++; /* a stray character: skip it */
			continue;
		}
		named++;
		char *id = wl_xstrndup(text + start, i - start);
		const wl_rule *rule = wl_rules_find(id);
		if (!rule) {
			wl_diag_emit(diags, &rule_unknown, s->src, wl_span_make(start, i), NULL,
			             "no rule is called \"%s\"; see wrangler-lint --list-rules",
			             id);
		} else {
			wl_xgrow((void **)&s->items, &s->cap, s->len + 1, sizeof(*s->items));
			target *t = &s->items[s->len++];
			t->rule = wl_rules_index(rule);
			t->span = wl_span_make(start, i);
			t->scope = sc;
			t->line = sc == SCOPE_NEXT_LINE ? last_line + 1
			          : sc == SCOPE_LINE    ? line
			                                : 0;
			t->used = false;
		}
		free(id);
	}
	if (!named) /* say so rather than silently doing nothing */
		wl_diag_emit(diags, &rule_unknown, s->src, comment, NULL,
		             "this directive names no rule; list the rule ids it suppresses");
}

/* Every line of the comment may start a directive: after the comment's
 * opener on its first line, after blanks and a leading `*` on the others. */
static void
parse_comment(wl_suppressions *s, wl_span sp, wl_diag_list *diags)
{
	const char *text = s->src->bytes;
	uint32_t end = sp.end;
	bool block = sp.end - sp.start >= 2 && text[sp.start] == '/' && text[sp.start + 1] == '*';
	if (block && end >= sp.start + 4 && text[end - 1] == '/' && text[end - 2] == '*')
		end -= 2; /* the closing star-slash */
	uint32_t i = sp.start + (text[sp.start] == '#' ? 1 : 2);
	uint32_t first_line = wl_source_position(s->src, sp.start).line;
	uint32_t last_line =
	    block ? wl_source_position(s->src, sp.end ? sp.end - 1 : 0).line : first_line;
	uint32_t line = first_line;
	bool first = true;
	while (i < end) {
		uint32_t eol = i;
		while (eol < end && !is_break(text[eol]))
			eol++;
		while (i < eol && (text[i] == ' ' || text[i] == '\t' || (!first && text[i] == '*')))
			i++;
		if (eol - i >= sizeof(directive_word) - 1)
			parse_directive(s, i, eol, line, last_line, sp, diags);
		if (eol >= end)
			break;
		i = eol + 1;
		if (text[eol] == '\r' && i < end && text[i] == '\n')
			i++;
		line++;
		first = false;
	}
}

static int
target_cmp(const void *pa, const void *pb)
{
	const target *a = pa, *b = pb;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return 0;
}

wl_suppressions *
wl_suppress_scan(wl_source *src, const wl_span *comments, size_t n_comments, wl_diag_list *diags)
{
	if (!wl_suppress_may_have_directives(src->bytes, src->len))
		return NULL;
	wl_suppressions *s = wl_xcalloc(1, sizeof(*s));
	s->src = src;
	for (size_t i = 0; i < n_comments; i++) {
		wl_span sp = comments[i];
		if (sp.end - sp.start < 1 + sizeof(directive_word) - 1)
			continue; /* shorter than any directive */
		parse_comment(s, sp, diags);
	}
	if (!s->len) {
		wl_suppress_free(s);
		return NULL;
	}
	qsort(s->items, s->len, sizeof(*s->items), target_cmp);
	return s;
}

/* The first target with (rule, line), or NULL. */
static target *
find(wl_suppressions *s, size_t rule, uint32_t line)
{
	size_t lo = 0, hi = s->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const target *t = &s->items[mid];
		if (t->rule < rule || (t->rule == rule && t->line < line))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->len && s->items[lo].rule == rule && s->items[lo].line == line)
		return &s->items[lo];
	return NULL;
}

bool
wl_suppress_covers(wl_suppressions *s, const wl_rule *rule, wl_span span)
{
	if (!s)
		return false;
	size_t idx = wl_rules_index(rule);
	target *t = find(s, idx, 0);
	if (!t) {
		uint32_t line = wl_source_position(s->src, span.start).line;
		t = find(s, idx, line);
	}
	if (!t)
		return false;
	t->used = true;
	return true;
}

wl_source *
wl_suppress_source(const wl_suppressions *s)
{
	return s->src;
}

void
wl_suppress_report_unused(wl_suppressions *s, wl_diag_list *diags,
                          bool (*is_off)(void *ctx, const wl_rule *rule), void *ctx)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->len; i++) {
		/* Repeats of one (rule, line) share the first one's use. */
		if (i > 0 && s->items[i].rule == s->items[i - 1].rule &&
		    s->items[i].line == s->items[i - 1].line)
			s->items[i].used = s->items[i - 1].used;
		const target *t = &s->items[i];
		const wl_rule *rule = wl_rules_at(t->rule);
		if (t->used || (is_off && is_off(ctx, rule)))
			continue;
		wl_diag_emit(diags, &rule_unused, s->src, t->span, NULL,
		             "this directive suppresses no %s diagnostic%s; remove it", rule->id,
		             t->scope == SCOPE_NEXT_LINE ? " on the next line"
		             : t->scope == SCOPE_LINE    ? " on this line"
		                                         : " in this file");
	}
}

void
wl_suppress_free(wl_suppressions *s)
{
	if (!s)
		return;
	free(s->items);
	free(s);
}
