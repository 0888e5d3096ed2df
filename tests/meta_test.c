/* Keeps rules, fixtures and docs in step (run with the source root):
 *  - every registered rule has an expectation in fixtures/rules/ (or
 *    fixtures/toml/) and a page
 *    docs/rules/<id>.md, and every page names a registered rule;
 *  - the first ```jsonc (or ```json, or ```toml) block under "## Problematic config"
 *    triggers the rule, and the one under "## Correct config" triggers
 *    nothing at all, and the ```text block after "wrangler-lint reports:" is
 *    exactly the gcc-format output for the problematic example (set
 *    WL_UPDATE_DOCS=1 to rewrite those blocks). Two rules that need a file
 *    system situation rather than content (config-file-shadowed,
 *    jsonc-file-too-large) show shell blocks and are exempt from running. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history.h"
#include "lint.h"
#include "project.h"
#include "readfile.h"
#include "render.h"
#include "rules.h"
#include "xalloc.h"

static size_t failures;

/* The history rules' pages show what is deployed: a ```jsonc block under
 * "## Deployed config" (the baseline, as HEAD:wrangler.jsonc) and/or a
 * block of [ENV=]TAG lines under "## Deployed tags"; both examples of the
 * page are linted against it. */
static const wl_baseline *page_baseline;

static void fail(const char *fmt, ...) WL_PRINTF(1, 2);

static void
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

static char *
slurp(const char *path)
{
	size_t len;
	bool too_large;
	char *buf = wl_read_file(path, WL_MAX_FILE_SIZE, &len, &too_large, NULL);
	if (buf && too_large) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Appends the text of every fixture under dir to *all. */
static void
gather(const char *dir, char **all, size_t *len)
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
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			gather(path, all, len);
		} else {
			char *text = slurp(path);
			if (text) {
				size_t n = strlen(text);
				*all = wl_xrealloc(*all, *len + n + 2);
				memcpy(*all + *len, text, n);
				*len += n;
				(*all)[(*len)++] = '\n';
				(*all)[*len] = '\0';
				free(text);
			}
		}
		free(path);
	}
	closedir(d);
}

static bool
has_expectation(const char *all, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = all; (p = strstr(p, "expect")); p++) {
		const char *q = p + 6;
		if (strncmp(q, "-next-line", 10) == 0)
			q += 10;
		if (*q != ':')
			continue;
		q++;
		/* ids listed after the marker, separated by spaces or commas */
		for (;;) {
			q += strspn(q, " \t,");
			size_t k = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (!k)
				break;
			if (k == n && strncmp(q, id, n) == 0)
				return true;
			q += k;
		}
	}
	return false;
}

/* The first fenced block after `heading`; *lang gets its info string. */
static char *
block_after(const char *doc, const char *heading, char *lang, size_t lang_cap)
{
	const char *h = strstr(doc, heading);
	if (!h)
		return NULL;
	const char *f = strstr(h, "\n```");
	if (!f)
		return NULL;
	f += 4;
	size_t k = strcspn(f, "\n");
	snprintf(lang, lang_cap, "%.*s", (int)k, f);
	const char *body = f + k + 1;
	const char *end = strstr(body, "\n```");
	if (!end)
		return NULL;
	return wl_xstrndup(body, (size_t)(end - body) + 1);
}

/* A block's info string is a language ("jsonc", "json") and optionally a
 * file name: ".wrangler-lint.jsonc" makes it a project file. */
static wl_lint_result *
lint_text(const char *text, const char *lang)
{
	if (strstr(lang, ".wrangler-lint.jsonc")) {
		char dir[] = "/tmp/wl-meta-XXXXXX";
		if (!mkdtemp(dir))
			return NULL;
		char *path = wl_xasprintf("%s/.wrangler-lint.jsonc", dir);
		FILE *f = fopen(path, "wb");
		fputs(text, f);
		fclose(f);
		wl_project *p = wl_project_load(path);
		wl_lint_result *r = p->result;
		p->result = NULL;
		wl_project_free(p);
		remove(path);
		remove(dir);
		free(path);
		/* Shown under its plain name, whatever the folder. */
		free(r->doc->src->path);
		r->doc->src->path = wl_xstrdup(".wrangler-lint.jsonc");
		return r;
	}
	const char *path = strncmp(lang, "toml", 4) == 0                     ? "wrangler.toml"
	                   : strncmp(lang, "json", 4) == 0 && lang[4] != 'c' ? "wrangler.json"
	                                                                     : "wrangler.jsonc";
	wl_lint_options opts = {.check_siblings = false, .baseline = page_baseline};
	return wl_lint_source(wl_source_new(path, text, strlen(text)), &opts);
}

static bool
is_runnable(const char *lang)
{
	return strncmp(lang, "jsonc", 5) == 0 || strncmp(lang, "json", 4) == 0 ||
	       strncmp(lang, "toml", 4) == 0;
}

/* The gcc-format lines for a lint result (owned string). */
static char *
gcc_output(wl_lint_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	wl_render_options opts = {.color = false, .max_per_file = 0};
	wl_renderer *r = wl_renderer_new(WL_FORMAT_GCC, out, &opts);
	wl_renderer_file(r, res->doc->src, &res->diags);
	wl_renderer_finish(r, NULL);
	fclose(out);
	return buf;
}

/* Compares (or, with WL_UPDATE_DOCS=1, rewrites) the text block that follows
 * "wrangler-lint reports:" after the problematic example. */
static void
check_reported_block(const char *path, char **doc, const char *id, const char *expected)
{
	char *marker = strstr(*doc, "## Problematic config");
	marker = marker ? strstr(marker, "wrangler-lint reports:") : NULL;
	if (!marker)
		return; /* optional */
	char *open = strstr(marker, "```text\n");
	if (!open)
		return;
	char *body = open + 8;
	char *close = strstr(body, "```");
	if (!close)
		return;
	size_t n = (size_t)(close - body);
	if (strlen(expected) == n && memcmp(body, expected, n) == 0)
		return;
	const char *update = getenv("WL_UPDATE_DOCS");
	if (update && strcmp(update, "1") == 0) {
		char *fixed = wl_xasprintf("%.*s%s%s", (int)(body - *doc), *doc, expected, close);
		FILE *f = fopen(path, "wb");
		if (f) {
			fputs(fixed, f);
			fclose(f);
		}
		free(*doc);
		*doc = fixed;
		return;
	}
	fail("%s: the \"wrangler-lint reports\" block is stale; expected:\n%s", id, expected);
}

static bool
exempt(const char *id)
{
	/* the source-* rules read files next to the config: their pages show
	 * shell sessions, and fixtures/source/ holds their projects */
	return strncmp(id, "source-", 7) == 0 || strcmp(id, "config-file-shadowed") == 0 ||
	       strcmp(id, "jsonc-file-too-large") == 0 ||
	       strcmp(id, "schema-needs-newer-wrangler") == 0;
}

static void
check_doc(const char *root, const wl_rule *r)
{
	char *path = wl_xasprintf("%s/docs/rules/%s.md", root, r->id);
	char *doc = slurp(path);
	if (!doc) {
		fail("%s: no docs/rules/%s.md", r->id, r->id);
		free(path);
		return;
	}
	char lang[32];
	wl_baseline base = {.name = "HEAD:wrangler.jsonc"};
	wl_applied_tag applied[8];
	char *deployed = block_after(doc, "## Deployed config", lang, sizeof(lang));
	char *tags = block_after(doc, "## Deployed tags", lang, sizeof(lang));
	if (deployed) {
		base.bytes = deployed;
		base.len = strlen(deployed);
	}
	for (char *line = tags ? strtok(tags, "\n") : NULL; line && base.n_applied < 8;
	     line = strtok(NULL, "\n"))
		if (wl_applied_parse(line, &applied[base.n_applied]))
			base.n_applied++;
	base.applied = applied;
	page_baseline = deployed || base.n_applied ? &base : NULL;
	char *bad = block_after(doc, "## Problematic config", lang, sizeof(lang));
	bool runnable = bad && is_runnable(lang);
	if (!bad) {
		fail("%s: docs page has no block under \"## Problematic config\"%s", r->id, "");
	} else if (!runnable && !exempt(r->id)) {
		fail("%s: the problematic example is not a jsonc block (%s)", r->id, lang);
	} else if (runnable) {
		wl_lint_result *res = lint_text(bad, lang);
		bool hit = false;
		for (size_t i = 0; i < res->diags.len; i++)
			if (res->diags.items[i].rule == r)
				hit = true;
		if (!hit)
			fail("%s: the problematic example does not trigger it%s", r->id, "");
		char *expected = gcc_output(res);
		check_reported_block(path, &doc, r->id, expected);
		free(expected);
		wl_lint_result_free(res);
	}
	free(bad);
	char *good = block_after(doc, "## Correct config", lang, sizeof(lang));
	runnable = good && is_runnable(lang);
	if (!good) {
		fail("%s: docs page has no block under \"## Correct config\"%s", r->id, "");
	} else if (runnable) {
		wl_lint_result *res = lint_text(good, lang);
		for (size_t i = 0; i < res->diags.len; i++)
			fail("%s: the correct example triggers %s", r->id,
			     res->diags.items[i].rule->id);
		wl_lint_result_free(res);
	} else if (!exempt(r->id)) {
		fail("%s: the correct example is not a jsonc block (%s)", r->id, lang);
	}
	free(good);
	free(deployed);
	free(tags);
	page_baseline = NULL;
	free(doc);
	free(path);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: meta-test SOURCE_ROOT\n");
		return 2;
	}
	const char *root = argv[1];
	char *fixtures = wl_xstrdup("");
	size_t len = 0;
	char *dir = wl_xasprintf("%s/fixtures/rules", root);
	gather(dir, &fixtures, &len);
	free(dir);
	dir = wl_xasprintf("%s/fixtures/toml", root);
	gather(dir, &fixtures, &len);
	free(dir);
	dir = wl_xasprintf("%s/fixtures/source", root);
	gather(dir, &fixtures, &len);
	free(dir);
	size_t ok = 0, bad = 0;
	for (size_t i = 0; i < wl_rules_count(); i++) {
		const wl_rule *r = wl_rules_at(i);
		size_t before = failures;
		if (!has_expectation(fixtures, r->id))
			fail("%s: no fixture under fixtures/rules/ expects it%s", r->id, "");
		check_doc(root, r);
		if (failures == before)
			ok++;
		else
			bad++;
	}
	/* No page without a rule. */
	char *docs = wl_xasprintf("%s/docs/rules", root);
	DIR *d = opendir(docs);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0 ||
		    strcmp(e->d_name, "README.md") == 0)
			continue;
		char *id = wl_xstrndup(e->d_name, n - 3);
		if (!wl_rules_find(id)) {
			fail("docs/rules/%s.md documents no registered rule%s", id, "");
			bad++;
		}
		free(id);
	}
	if (d)
		closedir(d);
	free(docs);
	free(fixtures);
	printf("%zu passed, %zu failed\n", ok, bad);
	return failures ? 1 : 0;
}
