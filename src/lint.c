#include "lint.h"

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

/* Project and command-line settings: rule levels, then the --env filter. */
static bool
apply_options(wl_diag *d, void *ctx)
{
	const wl_lint_options *opts = ctx;
	if (opts->levels) {
		signed char level = opts->levels[wl_rules_index(d->rule)];
		if (level == WL_LEVEL_OFF)
			return false;
		if (level != WL_LEVEL_DEFAULT)
			d->severity = (wl_severity)level;
	}
	if (opts->envs && d->env) {
		for (const char *const *e = opts->envs; *e; e++)
			if (strcmp(*e, d->env) == 0)
				return true;
		return false;
	}
	return true;
}

wl_lint_result *
wl_lint_source(wl_source *src, const wl_lint_options *opts)
{
	wl_lint_result *r = wl_xcalloc(1, sizeof(*r));
	wl_diag_list_init(&r->diags);
	if (opts && opts->check_siblings)
		check_shadowed(src, &r->diags);
	r->doc = wl_path_is_toml(src->path) ? wl_toml_parse(src, &r->diags)
	                                    : wl_jsonc_parse(src, &r->diags);
	if (opts && opts->syntax_only) {
		wl_diag_list_sort(&r->diags);
		return r;
	}
	check_comment_in_json(r->doc, &r->diags);
	wl_model *model = wl_model_build(r->doc);
	wl_check_ctx ctx = {r->doc, model, &r->diags, opts};
	wl_rules_run(&ctx);
	wl_model_free(model);
	wl_suppress_apply(r->doc, &r->diags);
	if (opts && (opts->levels || opts->envs))
		wl_diag_list_filter(&r->diags, apply_options, (void *)(uintptr_t)opts);
	wl_diag_list_sort(&r->diags);
	return r;
}

wl_lint_result *
wl_lint_oversized(const char *path, size_t size)
{
	wl_lint_result *r = wl_xcalloc(1, sizeof(*r));
	wl_diag_list_init(&r->diags);
	r->doc = wl_xcalloc(1, sizeof(*r->doc));
	r->doc->src = wl_source_new(path, "", 0);
	if (size)
		wl_diag_add(&r->diags, &wl_rule_jsonc_file_too_large, wl_span_make(0, 0),
		            "the file is %zu bytes, more than the %zu-byte limit; it was not read",
		            size, WL_MAX_FILE_SIZE);
	else
		wl_diag_add(&r->diags, &wl_rule_jsonc_file_too_large, wl_span_make(0, 0),
		            "the input is more than the %zu-byte limit; it was not read",
		            WL_MAX_FILE_SIZE);
	return r;
}

void
wl_lint_result_free(wl_lint_result *r)
{
	if (!r)
		return;
	wl_diag_list_free(&r->diags);
	wl_doc_free(r->doc);
	free(r);
}
