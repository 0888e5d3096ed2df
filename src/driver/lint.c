#include "lint.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "jsonc.h"
#include "model.h"
#include "project.h"
#include "rules.h"
#include "rules_syntax.h"
#include "suppress.h"
#include "toml.h"

bool
wl_path_is_strict_json(const char *path)
{
	size_t n = strlen(path);
	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

static void
check_comment_in_json(wl_doc *doc, wl_diag_list *diags)
{
	if (!doc->n_extensions || !wl_path_is_strict_json(doc->src->path))
		return;
	wl_diag_add(diags, &wl_rule_jsonc_comment_in_json, doc->first_extension,
	            "this .json file uses JSONC extensions (comments or trailing commas: %zu in "
	            "all, the first here); wrangler accepts them, but other JSON tools reading "
	            "it will not: rename the file to wrangler.jsonc or remove them",
	            doc->n_extensions);
}

/* wrangler reads wrangler.json, then wrangler.jsonc, then wrangler.toml, and
 * silently uses the first it finds. */
static void
check_shadowed(const wl_source *src, wl_diag_list *diags)
{
	static const char *const order[] = {"wrangler.json", "wrangler.jsonc", "wrangler.toml"};
	const char *path = src->path;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t rank = 0;
	while (rank < 3 && strcmp(base, order[rank]) != 0)
		rank++;
	for (size_t i = 0; i < rank && rank < 3; i++) {
		char *sibling = wl_xasprintf("%.*s%s", (int)(base - path), path, order[i]);
		struct stat st;
		bool found = stat(sibling, &st) == 0 && S_ISREG(st.st_mode);
		if (found)
			wl_diag_add(diags, &wl_rule_config_file_shadowed, wl_span_make(0, 0),
			            "wrangler reads %s, which sits next to this file, and ignores "
			            "this one; "
			            "keep one of the two",
			            sibling);
		free(sibling);
		if (found)
			break;
	}
}

/* What the gate consults, for one wl_lint_source call. */
struct wl_lint_session {
	const wl_lint_options *opts;
	wl_lint_result *result;
	wl_suppressions **sups; /* one per file that has directives */
	size_t n_sups, cap_sups;
};

static signed char
level_of(const wl_lint_options *opts, const wl_rule *rule)
{
	if (!opts || !opts->levels)
		return WL_LEVEL_DEFAULT;
	return opts->levels[wl_rules_index(rule)];
}

static bool
rule_is_off(void *ctx, const wl_rule *rule)
{
	return level_of(ctx, rule) == WL_LEVEL_OFF;
}

/* Levels, then suppressions, then the --env filter: a directive that covers
 * a diagnostic of another env still counts as used. */
static bool
gate_admit(void *ctx, const wl_rule *rule, const wl_source *src, wl_span span, const char *env,
           wl_severity *severity)
{
	struct wl_lint_session *s = ctx;
	signed char level = level_of(s->opts, rule);
	if (level == WL_LEVEL_OFF)
		return false;
	if (level != WL_LEVEL_DEFAULT)
		*severity = (wl_severity)level;
	for (size_t i = 0; i < s->n_sups; i++)
		if (wl_suppress_source(s->sups[i]) == src &&
		    wl_suppress_covers(s->sups[i], rule, span))
			return false;
	if (s->opts && s->opts->envs && env) {
		for (const char *const *e = s->opts->envs; *e; e++)
			if (strcmp(*e, env) == 0)
				return true;
		return false;
	}
	return true;
}

static void
add_suppressions(struct wl_lint_session *s, wl_suppressions *sup)
{
	if (!sup)
		return;
	wl_xgrow((void **)&s->sups, &s->cap_sups, s->n_sups + 1, sizeof(*s->sups));
	s->sups[s->n_sups++] = sup;
}

static void
result_keep_source(wl_lint_result *r, wl_source *src)
{
	wl_xgrow((void **)&r->sources, &r->cap_sources, r->n_sources + 1, sizeof(*r->sources));
	r->sources[r->n_sources++] = src;
}

wl_source *
wl_check_adopt_source(wl_check_ctx *ctx, wl_source *src, const wl_span *comments, size_t n_comments)
{
	assert(ctx->session);
	result_keep_source(ctx->session->result, src);
	add_suppressions(ctx->session, wl_suppress_scan(src, comments, n_comments, ctx->diags));
	return src;
}

static bool
refuse_all(void *ctx, const wl_rule *rule, const wl_source *src, wl_span span, const char *env,
           wl_severity *severity)
{
	(void)ctx, (void)rule, (void)src, (void)span, (void)env, (void)severity;
	return false;
}

static wl_doc *
parse_as(wl_source *src, wl_diag_list *diags, bool toml)
{
	return toml ? wl_toml_parse(src, diags) : wl_jsonc_parse(src, diags);
}

/* The front end by file name: TOML for .toml, JSONC for the rest. */
static wl_doc *
parse(wl_source *src, wl_diag_list *diags)
{
	return parse_as(src, diags, wl_path_is_toml(src->path));
}

/* Directives can sit after what they suppress (a file-wide one at the end),
 * and the front end reports while it reads: so when the bytes mention a
 * directive at all, read the comments with a first, silent parse. */
static wl_doc *
parse_silently(wl_source *src, bool toml, bool values)
{
	wl_diag_list scratch;
	wl_diag_list_init(&scratch);
	scratch.gate = refuse_all;
	wl_doc *doc =
	    toml || values ? parse_as(src, &scratch, toml) : wl_jsonc_parse_tree(src, &scratch);
	wl_diag_list_free(&scratch);
	return doc;
}

wl_doc *
wl_parse_silently(wl_source *src, bool toml)
{
	return parse_silently(src, toml, true);
}

static wl_suppressions *
early_suppressions(wl_source *src, wl_diag_list *diags)
{
	if (!wl_suppress_may_have_directives(src->bytes, src->len))
		return NULL;
	/* Only the comments are read: JSONC skips the document stage. */
	wl_doc *doc = parse_silently(src, wl_path_is_toml(src->path), false);
	wl_suppressions *sup = wl_suppress_scan(src, doc->comments, doc->n_comments, diags);
	doc->src = NULL; /* still the caller's */
	wl_doc_free(doc);
	return sup;
}

static wl_lint_result *
oversized(wl_source *keep, const char *path, size_t size, const wl_lint_options *opts)
{
	wl_lint_result *r = wl_xcalloc(1, sizeof(*r));
	wl_diag_list_init(&r->diags);
	r->doc = wl_xcalloc(1, sizeof(*r->doc));
	r->doc->src = keep ? keep : wl_source_new(path, "", 0);
	if (keep) { /* a library caller's bytes: not read, not kept */
		free(keep->bytes);
		keep->bytes = wl_xstrdup("");
		keep->len = 0;
	}
	r->diags.src = r->doc->src;
	struct wl_lint_session session = {.opts = opts, .result = r};
	r->diags.gate = gate_admit;
	r->diags.gate_ctx = &session;
	if (size)
		wl_diag_add(&r->diags, &wl_rule_jsonc_file_too_large, wl_span_make(0, 0),
		            "the file is %zu bytes, more than the %zu-byte limit; it was not read",
		            size, WL_MAX_FILE_SIZE);
	else
		wl_diag_add(&r->diags, &wl_rule_jsonc_file_too_large, wl_span_make(0, 0),
		            "the input is more than the %zu-byte limit; it was not read",
		            WL_MAX_FILE_SIZE);
	r->diags.gate = NULL;
	r->diags.gate_ctx = NULL;
	return r;
}

wl_lint_result *
wl_lint_source(wl_source *src, const wl_lint_options *opts)
{
	if (src->len > WL_MAX_FILE_SIZE)
		return oversized(src, NULL, src->len, opts);
	wl_lint_result *r = wl_xcalloc(1, sizeof(*r));
	wl_diag_list_init(&r->diags);
	r->diags.src = src;
	struct wl_lint_session session = {.opts = opts, .result = r};
	r->diags.gate = gate_admit;
	r->diags.gate_ctx = &session;

	add_suppressions(&session, early_suppressions(src, &r->diags));
	if (opts && opts->check_siblings)
		check_shadowed(src, &r->diags);
	r->doc = parse(src, &r->diags);
	if (!(opts && opts->syntax_only)) {
		check_comment_in_json(r->doc, &r->diags);
		wl_model *model = wl_model_build(r->doc);
		wl_check_ctx ctx = {r->doc, model, &r->diags, opts, &session, NULL};
		wl_rules_run(&ctx);
		wl_claims_free(&ctx);
		wl_model_free(model);
	}
	for (size_t i = 0; i < session.n_sups; i++) {
		wl_suppress_report_unused(session.sups[i], &r->diags, rule_is_off,
		                          (void *)(uintptr_t)opts);
		wl_suppress_free(session.sups[i]);
	}
	free(session.sups);
	r->diags.gate = NULL;
	r->diags.gate_ctx = NULL;
	wl_diag_list_sort(&r->diags);
	return r;
}

wl_lint_result *
wl_lint_oversized(const char *path, size_t size, const wl_lint_options *opts)
{
	return oversized(NULL, path, size, opts);
}

void
wl_lint_result_free(wl_lint_result *r)
{
	if (!r)
		return;
	wl_diag_list_free(&r->diags);
	wl_doc_free(r->doc);
	for (size_t i = 0; i < r->n_sources; i++)
		wl_source_free(r->sources[i]);
	free(r->sources);
	free(r);
}
