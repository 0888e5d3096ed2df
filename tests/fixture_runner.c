/* Fixture runner.
 *
 *   fixture-runner DIR...        every *.jsonc / *.json / *.toml under each DIR is linted
 *                                (*.wrangler-lint.jsonc as a project file) and
 *                                its `// expect: ID` (same line) and
 *                                `// expect-next-line: ID` comments must match
 *                                the diagnostics exactly, both ways.
 *   fixture-runner --corpus DIR  real configs: none may have a jsonc-syntax (or toml-syntax)
 *                                diagnostic (the run itself catches crashes and,
 *                                under sanitizers, memory errors). Exit 77
 *                                (skipped) when DIR does not exist.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history.h"
#include "lint.h"
#include "project.h"
#include "readfile.h"
#include "rules.h"
#include "xalloc.h"

typedef struct strvec {
	char **items;
	size_t len, cap;
} strvec;

static void
strvec_push(strvec *v, char *s)
{
	wl_xgrow((void **)&v->items, &v->cap, v->len + 1, sizeof(*v->items));
	v->items[v->len++] = s;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* False when `dir` cannot be read. */
static bool
walk(const char *dir, strvec *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = wl_xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) != 0) {
			free(path);
		} else if (S_ISDIR(st.st_mode)) {
			if (!walk(path, out))
				fprintf(stderr, "%s: cannot read the folder\n", path);
			free(path);
		} else if (S_ISREG(st.st_mode) &&
		           (has_suffix(path, ".jsonc") || has_suffix(path, ".json") ||
		            has_suffix(path, ".toml"))) {
			strvec_push(out, path);
		} else {
			free(path);
		}
	}
	closedir(d);
	return true;
}

/* .ts, .tsx, .js, .jsx and .d.ts files below dir (fixtures/source). */
static void
walk_sources(const char *dir, strvec *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = wl_xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk_sources(path, out);
			free(path);
		} else if (S_ISREG(st.st_mode) &&
		           (has_suffix(path, ".ts") || has_suffix(path, ".tsx") ||
		            has_suffix(path, ".js") || has_suffix(path, ".jsx"))) {
			strvec_push(out, path);
		} else {
			free(path);
		}
	}
	closedir(d);
}

static char *
slurp(const char *path, size_t *len)
{
	bool too_large;
	char *buf = wl_read_file(path, WL_MAX_FILE_SIZE, len, &too_large, NULL);
	if (buf && too_large) {
		free(buf);
		return NULL;
	}
	return buf;
}

static wl_lint_result *
lint_path(const char *path)
{
	/* Project files (*.wrangler-lint.jsonc) are read as project files. */
	if (has_suffix(path, "wrangler-lint.jsonc")) {
		wl_project *p = wl_project_load(path);
		if (!p) {
			fprintf(stderr, "%s: cannot read\n", path);
			return NULL;
		}
		wl_lint_result *r = p->result;
		p->result = NULL;
		wl_project_free(p);
		return r;
	}
	size_t len;
	char *bytes = slurp(path, &len);
	if (!bytes) {
		fprintf(stderr, "%s: cannot read\n", path);
		return NULL;
	}
	/* History fixtures name what is deployed: `// baseline: FILE` (next to
	 * the fixture) and `// applied: [ENV=]TAG` lines. */
	wl_baseline base = {0};
	wl_applied_tag applied[8];
	char *applied_text[8];
	char *base_path = NULL, *base_bytes = NULL;
	size_t base_len = 0;
	for (const char *at = bytes; (at = strstr(at, "// applied: ")) && base.n_applied < 8;) {
		at += strlen("// applied: ");
		size_t n = strcspn(at, " \r\n");
		applied_text[base.n_applied] = wl_xstrndup(at, n);
		if (wl_applied_parse(applied_text[base.n_applied], &applied[base.n_applied]))
			base.n_applied++;
		else
			free(applied_text[base.n_applied]);
	}
	base.applied = applied;
	const char *bl = strstr(bytes, "// baseline: ");
	if (bl) {
		bl += strlen("// baseline: ");
		const char *slash = strrchr(path, '/');
		base_path = wl_xasprintf("%.*s%.*s", slash ? (int)(slash - path + 1) : 0, path,
		                         (int)strcspn(bl, " \r\n"), bl);
		base_bytes = slurp(base_path, &base_len);
		if (!base_bytes)
			fprintf(stderr, "%s: cannot read baseline %s\n", path, base_path);
		base.name = base_path;
		base.bytes = base_bytes;
		base.len = base_len;
	}
	wl_lint_options opts = {.check_siblings = true,
	                        .baseline = base.bytes || base.n_applied ? &base : NULL};
	wl_lint_result *r = wl_lint_source(wl_source_adopt(path, bytes, len), &opts);
	for (size_t i = 0; i < base.n_applied; i++)
		free(applied_text[i]);
	free(base_path);
	free(base_bytes);
	return r;
}

typedef struct expect {
	uint32_t line;
	uint32_t col; /* 0: any column */
	char id[96];
	bool matched;
} expect;

/* Collects the expectations of every comment of the document. */
static size_t
collect_expectations(wl_lint_result *r, expect **out)
{
	wl_doc *doc = r->doc;
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t c = 0; c < doc->n_comments; c++) {
		wl_span sp = doc->comments[c];
		char *text = wl_xstrndup(doc->src->bytes + sp.start, sp.end - sp.start);
		uint32_t line = wl_source_position(doc->src, sp.start).line;
		const char *markers[] = {"expect-next-line:", "expect:"};
		for (int m = 0; m < 2; m++) {
			char *at = strstr(text, markers[m]);
			if (!at)
				continue;
			uint32_t target = line + (m == 0 ? 1 : 0);
			char *p = at + strlen(markers[m]);
			for (;;) {
				p += strspn(p, " \t,");
				size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
				if (k == 0 || k >= sizeof((*out)->id))
					break;
				wl_xgrow((void **)out, &cap, n + 1, sizeof(**out));
				(*out)[n].line = target;
				memcpy((*out)[n].id, p, k);
				(*out)[n].id[k] = '\0';
				(*out)[n].matched = false;
				(*out)[n].col = 0;
				p += k;
				if (*p == '@') {
					char *end;
					unsigned long col = strtoul(p + 1, &end, 10);
					if (end == p + 1 || col == 0 || col > UINT32_MAX)
						col = UINT32_MAX; /* matches nothing: reported
						                     missing */
					(*out)[n].col = (uint32_t)col;
					p = end == p + 1 ? p + 1 : end;
				}
				n++;
			}
			break; /* one marker per comment */
		}
		free(text);
	}
	return n;
}

/* A diagnostic in a file other than the config (a .ts file the source
 * checks read) is expected by an `expect: ID` comment on its line or an
 * `expect-next-line: ID` comment on the line before, in that file. (Those
 * files are not searched for unmet expectations.) */
static bool
line_expects(wl_source *src, uint32_t line, const char *marker, const char *id)
{
	if (line == 0 || line > wl_source_line_count(src))
		return false;
	uint32_t a, b;
	wl_source_line(src, line, &a, &b);
	char *text = wl_xstrndup(src->bytes + a, b - a);
	bool hit = false;
	char *at = strstr(text, marker);
	if (at) {
		char *p = at + strlen(marker);
		size_t n = strlen(id);
		for (;;) {
			p += strspn(p, " \t,");
			size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (!k)
				break;
			if (k == n && strncmp(p, id, n) == 0)
				hit = true;
			p += k;
		}
	}
	free(text);
	return hit;
}

static bool
expected_in_source(const wl_diag *dg)
{
	uint32_t line = wl_source_position(dg->src, dg->span.start).line;
	return line_expects(dg->src, line, "expect:", dg->rule->id) ||
	       line_expects(dg->src, line - 1, "expect-next-line:", dg->rule->id);
}

/* The expectations in the source files next to a config (its folder and
 * below): each must be met by a diagnostic in that file on that line. */
static bool
source_expectations_met(const char *config_path, const wl_lint_result *r)
{
	const char *slash = strrchr(config_path, '/');
	if (!slash)
		return true;
	char *dir = wl_xstrndup(config_path, (size_t)(slash - config_path));
	strvec files = {0};
	walk_sources(dir, &files);
	bool ok = true;
	for (size_t i = 0; i < files.len; i++) {
		size_t len;
		char *text = slurp(files.items[i], &len);
		wl_source *src = wl_source_adopt(files.items[i], text, len);
		for (uint32_t line = 1; line <= wl_source_line_count(src); line++) {
			for (size_t rid = 0; rid < wl_rules_count(); rid++) {
				const char *id = wl_rules_at(rid)->id;
				uint32_t target = 0;
				if (line_expects(src, line, "expect:", id))
					target = line;
				else if (line_expects(src, line, "expect-next-line:", id))
					target = line + 1;
				if (!target)
					continue;
				bool met = false;
				for (size_t d = 0; d < r->diags.len && !met; d++) {
					const wl_diag *dg = &r->diags.items[d];
					met = dg->src && strcmp(dg->src->path, src->path) == 0 &&
					      strcmp(dg->rule->id, id) == 0 &&
					      wl_source_position(dg->src, dg->span.start).line ==
					          target;
				}
				if (!met) {
					printf("%s:%u: missing %s\n", src->path, target, id);
					ok = false;
				}
			}
		}
		wl_source_free(src);
		free(files.items[i]);
	}
	free(files.items);
	free(dir);
	return ok;
}

static int
run_fixtures(int n_dirs, char **dirs)
{
	strvec files = {0};
	size_t passed = 0, failed = 0;
	for (int i = 0; i < n_dirs; i++) {
		size_t before = files.len;
		if (!walk(dirs[i], &files)) {
			printf("%s: no such fixture folder (or it cannot be read)\n", dirs[i]);
			failed++;
		} else if (files.len == before) {
			printf("%s: no fixtures in this folder\n", dirs[i]);
			failed++;
		}
	}
	qsort(files.items, files.len, sizeof(char *), str_cmp);
	for (size_t i = 0; i < files.len; i++) {
		const char *path = files.items[i];
		wl_lint_result *r = lint_path(path);
		if (!r) {
			failed++;
			continue;
		}
		expect *ex;
		size_t n_ex = collect_expectations(r, &ex);
		bool ok = true;
		for (size_t d = 0; d < r->diags.len; d++) {
			const wl_diag *dg = &r->diags.items[d];
			if (dg->src && dg->src != r->doc->src) {
				/* in another file (the source checks): its own comments */
				if (!expected_in_source(dg)) {
					wl_position p = wl_source_position(dg->src, dg->span.start);
					printf("%s:%u: unexpected %s: %s\n", dg->src->path, p.line,
					       dg->rule->id, dg->message);
					ok = false;
				}
				continue;
			}
			wl_position pos = wl_source_position(r->doc->src, dg->span.start);
			uint32_t line = pos.line;
			bool found = false;
			/* An expectation with the column first, so that `ID` and
			 * `ID@COL` on one line pair up whatever their order. */
			for (int pass = 0; pass < 2 && !found; pass++) {
				for (size_t e = 0; e < n_ex && !found; e++) {
					if (ex[e].matched || ex[e].line != line ||
					    strcmp(ex[e].id, dg->rule->id) != 0)
						continue;
					if (pass == 0 ? ex[e].col != pos.column : ex[e].col != 0)
						continue;
					ex[e].matched = true;
					found = true;
				}
			}
			if (!found) {
				printf("%s:%u:%u: unexpected %s: %s\n", path, line, pos.column,
				       dg->rule->id, dg->message);
				ok = false;
			}
		}
		for (size_t e = 0; e < n_ex; e++) {
			if (!ex[e].matched) {
				if (ex[e].col)
					printf("%s:%u:%u: missing %s\n", path, ex[e].line,
					       ex[e].col, ex[e].id);
				else
					printf("%s:%u: missing %s\n", path, ex[e].line, ex[e].id);
				ok = false;
			}
			if (!wl_rules_find(ex[e].id)) {
				printf("%s:%u: expectation names unknown rule %s\n", path,
				       ex[e].line, ex[e].id);
				ok = false;
			}
		}
		if (has_suffix(path, "wrangler.jsonc") && !source_expectations_met(path, r))
			ok = false;
		if (ok)
			passed++;
		else
			failed++;
		free(ex);
		wl_lint_result_free(r);
	}
	for (size_t i = 0; i < files.len; i++)
		free(files.items[i]);
	free(files.items);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

static int
run_corpus(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("corpus folder %s not found: skipped\n", dir);
		return 77;
	}
	strvec files = {0};
	(void)walk(dir, &files);
	qsort(files.items, files.len, sizeof(char *), str_cmp);
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < files.len; i++) {
		wl_lint_result *r = lint_path(files.items[i]);
		bool ok = r != NULL;
		for (size_t d = 0; r && d < r->diags.len; d++) {
			const wl_diag *dg = &r->diags.items[d];
			if (strcmp(dg->rule->id, "jsonc-syntax") == 0 ||
			    strcmp(dg->rule->id, "toml-syntax") == 0) {
				wl_position pos = wl_source_position(r->doc->src, dg->span.start);
				printf("%s:%u:%u: %s [%s]\n", files.items[i], pos.line, pos.column,
				       dg->message, dg->rule->id);
				ok = false;
			}
		}
		if (ok)
			passed++;
		else
			failed++;
		wl_lint_result_free(r);
		free(files.items[i]);
	}
	free(files.items);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--corpus") == 0)
		return run_corpus(argv[2]);
	if (argc < 2) {
		fprintf(stderr, "usage: fixture-runner DIR... | --corpus DIR\n");
		return 2;
	}
	return run_fixtures(argc - 1, argv + 1);
}
