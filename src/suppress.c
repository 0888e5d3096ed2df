#include "suppress.h"

#include <stdlib.h>
#include <string.h>

static const wl_rule rule_unused = {"suppression-unused", "suppression", WL_SEV_WARNING,
                                    "A wrangler-lint-disable directive that suppresses nothing"};
static const wl_rule rule_unknown = {
    "suppression-unknown-rule", "suppression", WL_SEV_WARNING,
    "A wrangler-lint-disable directive naming a rule that does not exist"};

static const wl_rule *const rules[] = {&rule_unused, &rule_unknown};

/* Reported by wl_suppress_apply, which lint.c calls after the checks. */
const wl_rule_family wl_family_suppression = {"suppression", rules,
                                              sizeof(rules) / sizeof(rules[0]), NULL};

typedef enum { SCOPE_NEXT_LINE, SCOPE_LINE, SCOPE_FILE } scope;

typedef struct target {
	const wl_rule *rule;
	wl_span span; /* the rule id in the comment */
	scope scope;
	uint32_t line; /* for line scopes */
	bool used;
} target;

typedef struct targets {
	target *items;
	size_t len, cap;
} targets;

static const struct {
	const char *word;
	scope scope;
} directives[] = {
    /* Longest first: "wrangler-lint-disable" prefixes the others. */
    {"wrangler-lint-disable-next-line", SCOPE_NEXT_LINE},
    {"wrangler-lint-disable-line", SCOPE_LINE},
    {"wrangler-lint-disable", SCOPE_FILE},
};

static bool
is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/* Reads the directive in the comment at `sp`, if any, into `out`. */
static void
parse_comment(wl_doc *doc, wl_span sp, targets *out, wl_diag_list *diags)
{
	const char *text = doc->src->bytes;
	/* Line and block comments in JSONC, `#` in TOML. */
	uint32_t i = sp.start + (text[sp.start] == '#' ? 1 : 2), end = sp.end;
	if (text[sp.start] == '/' && text[sp.start + 1] == '*' && end >= sp.start + 4)
		end -= 2; /* drop the closing star-slash */
	while (i < end && (text[i] == ' ' || text[i] == '\t'))
		i++;
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
	uint32_t line = wl_source_position(doc->src, sp.start).line;
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
			wl_diag_add(diags, &rule_unknown, wl_span_make(start, i),
			            "no rule is called \"%s\"; see wrangler-lint --list-rules", id);
		} else {
			wl_xgrow((void **)&out->items, &out->cap, out->len + 1,
			         sizeof(*out->items));
			target *t = &out->items[out->len++];
			t->rule = rule;
			t->span = wl_span_make(start, i);
			t->scope = sc;
			t->line = sc == SCOPE_NEXT_LINE ? line + 1 : line;
			t->used = false;
		}
		free(id);
	}
	if (!named) /* say so rather than silently doing nothing */
		wl_diag_add(diags, &rule_unknown, sp,
		            "this directive names no rule; list the rule ids it suppresses");
}

typedef struct filter_ctx {
	wl_doc *doc;
	targets *t;
} filter_ctx;

static bool
keep_unsuppressed(wl_diag *d, void *vctx)
{
	filter_ctx *ctx = vctx;
	uint32_t line = 0;
	bool have_line = false;
	bool suppressed = false;
	for (size_t i = 0; i < ctx->t->len; i++) {
		target *t = &ctx->t->items[i];
		if (t->rule != d->rule)
			continue;
		if (t->scope != SCOPE_FILE) {
			if (!have_line) {
				line = wl_source_position(ctx->doc->src, d->span.start).line;
				have_line = true;
			}
			if (t->line != line)
				continue;
		}
		t->used = true;
		suppressed = true;
	}
	return !suppressed;
}

void
wl_suppress_apply(wl_doc *doc, wl_diag_list *diags)
{
	targets t = {0};
	for (size_t i = 0; i < doc->n_comments; i++) {
		wl_span sp = doc->comments[i];
		if (sp.end - sp.start < 1 + 21) /* shorter than any directive */
			continue;
		parse_comment(doc, sp, &t, diags);
	}
	if (!t.len)
		return;
	filter_ctx ctx = {doc, &t};
	wl_diag_list_filter(diags, keep_unsuppressed, &ctx);
	for (size_t i = 0; i < t.len; i++)
		if (!t.items[i].used)
			wl_diag_add(diags, &rule_unused, t.items[i].span,
			            "this directive suppresses no %s diagnostic%s; remove it",
			            t.items[i].rule->id,
			            t.items[i].scope == SCOPE_NEXT_LINE ? " on the next line"
			            : t.items[i].scope == SCOPE_LINE    ? " on this line"
			                                                : " in this file");
	free(t.items);
}
