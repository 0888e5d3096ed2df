/* Pathological inputs, in the manner of cmark's pathological tests: each case
 * generates a hostile input in memory, lints it with the shipped library,
 * renders it, checks what must come out (counts of diagnostics, output size)
 * and must finish within a budget of CPU time (2 s; five times that under
 * sanitizers, which slow everything down).
 *
 * usage: pathological-runner [NAME-SUBSTRING]   (all cases by default) */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lint.h"
#include "render.h"
#include "xalloc.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SLOWDOWN 5.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SLOWDOWN 5.0
#endif
#endif
#ifndef SLOWDOWN
#define SLOWDOWN 1.0
#endif

#define BUDGET_SECONDS 2.0

typedef struct buf {
	char *s;
	size_t len, cap;
} buf;

static void
put(buf *b, const char *s, size_t n)
{
	wl_xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts_(buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putf(buf *b, const char *fmt, ...) WL_PRINTF(2, 3);

static void
putf(buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(b, tmp, (size_t)n);
}

static void
repeat(buf *b, const char *s, size_t times)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < times; i++)
		put(b, s, n);
}

/* What a case produced: the lint result and its renderings. */
typedef struct outcome {
	wl_lint_result *r;
	char *text; /* --format=text, default --max-diagnostics (200) */
	size_t text_len;
	char *all; /* text with no limit on diagnostics shown */
	size_t all_len;
	char *gcc; /* gcc, no limit */
	size_t gcc_len;
} outcome;

static size_t
count_rule(const outcome *o, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < o->r->diags.len; i++)
		n += strcmp(o->r->diags.items[i].rule->id, id) == 0;
	return n;
}

static size_t
longest_line(const char *s)
{
	size_t best = 0;
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > best)
			best = n;
		p += n + (nl ? 1 : 0);
	}
	return best;
}

static char *
render(const wl_lint_result *r, wl_format fmt, size_t max, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	if (!f)
		abort();
	wl_render_options opts = {.color = false, .max_per_file = max};
	wl_renderer *rd = wl_renderer_new(fmt, f, &opts);
	wl_renderer_file(rd, r->doc->src, &r->diags);
	wl_renderer_finish(rd, NULL);
	fclose(f);
	return out;
}

static int failures;

static void check(bool ok, const char *name, const char *fmt, ...) WL_PRINTF(3, 4);

static void
check(bool ok, const char *name, const char *fmt, ...)
{
	if (ok)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("FAIL %s: ", name);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failures++;
}

/* ---- the cases ---- */

static void
gen_deep_unclosed(buf *b)
{
	puts_(b, "{\"name\": \"deep\", \"a\": ");
	repeat(b, "[", 100000);
}

static void
expect_deep_unclosed(const char *name, const outcome *o)
{
	check(count_rule(o, "jsonc-nesting-too-deep") == 1, name, "%zu nesting diagnostics",
	      count_rule(o, "jsonc-nesting-too-deep"));
	check(count_rule(o, "jsonc-syntax") <= 3, name, "%zu syntax errors",
	      count_rule(o, "jsonc-syntax"));
	check(!strstr(o->text, "too many syntax errors"), name, "\"too many\" with few errors");
}

static void
gen_deep_closed(buf *b)
{
	puts_(b, "{\"name\": \"deep\", \"a\": ");
	repeat(b, "[{\"k\": ", 50000);
	puts_(b, "1");
	repeat(b, "}]", 50000);
	puts_(b, "}");
}

static void
expect_deep_closed(const char *name, const outcome *o)
{
	check(count_rule(o, "jsonc-nesting-too-deep") == 1, name, "%zu nesting diagnostics",
	      count_rule(o, "jsonc-nesting-too-deep"));
	check(count_rule(o, "jsonc-syntax") == 0, name, "%zu syntax errors",
	      count_rule(o, "jsonc-syntax"));
}

static void
gen_duplicate_nulls(buf *b)
{
	puts_(b, "{\"name\": \"dups\",\n");
	repeat(b, "\"k\": null,\n", 200000);
	puts_(b, "\"main\": \"src/index.ts\"}\n");
}

static void
expect_duplicate_nulls(const char *name, const outcome *o)
{
	size_t total = wl_diag_list_count(&o->r->diags, WL_SEV_ERROR);
	check(total == 199999, name, "%zu errors counted, expected 199999", total);
	check(o->r->diags.len <= WL_DIAG_LIST_MAX, name, "%zu stored", o->r->diags.len);
	check(strstr(o->text, "more diagnostics not shown") != NULL, name, "no omitted line");
}

static void
gen_many_keys(buf *b)
{
	puts_(b, "{\"name\": \"keys\", \"main\": \"src/index.ts\", \"compatibility_date\": "
	         "\"2025-01-01\", \"vars\": {\n");
	for (int i = 0; i < 131072; i++)
		putf(b, "%s\"K%x_%d\": %d\n", i ? "," : "", (unsigned)(i * 2654435761u), i, i);
	puts_(b, "}}\n");
}

static void
expect_clean(const char *name, const outcome *o)
{
	check(o->r->diags.len == 0, name, "%zu diagnostics, expected none (first: %s)",
	      o->r->diags.len, o->r->diags.len ? o->r->diags.items[0].message : "");
	check(o->text_len == 0, name, "text output for a clean file");
}

static void
gen_many_directives(buf *b)
{
	puts_(b, "{\"name\": \"dirs\", \"main\": \"src/index.ts\", \"compatibility_date\": "
	         "\"2025-01-01\", \"vars\": {\"d\": 0,\n");
	for (int i = 0; i < 20000; i++)
		puts_(b, "// wrangler-lint-disable-next-line jsonc-duplicate-key -- generated\n"
		         "\"d\": 1,\n");
	puts_(b, "\"e\": 2}}\n");
}

static void
expect_many_directives(const char *name, const outcome *o)
{
	check(count_rule(o, "jsonc-duplicate-key") == 0, name, "%zu duplicate keys shown",
	      count_rule(o, "jsonc-duplicate-key"));
	check(count_rule(o, "suppression-unused") == 0, name, "%zu unused directives",
	      count_rule(o, "suppression-unused"));
}

static void
gen_long_key(buf *b)
{
	puts_(b, "{\"name\": \"long\", \"main\": \"src/index.ts\", \"compatibility_date\": "
	         "\"2025-01-01\", \"");
	repeat(b, "ABCDEFGHIJ", 2000000); /* a 20 MB key */
	puts_(b, "\": 1, \"vars\": {\"V\": \"");
	repeat(b, "x\xC3\xA9", 1000000);
	puts_(b, "\"}}");
}

static void
expect_long_key(const char *name, const outcome *o)
{
	check(o->r->diags.len >= 1, name, "no diagnostic for the unknown 20 MB key");
	check(longest_line(o->gcc) < 1200, name, "a gcc line of %zu bytes", longest_line(o->gcc));
	check(o->text_len < 4096, name, "%zu bytes of text output", o->text_len);
}

/* A minified config: one line of about 952 KB with thousands of findings. */
static void
gen_minified(buf *b)
{
	puts_(b, "{\"name\": \"mini\", \"main\": \"src/index.ts\", \"compatibility_date\": "
	         "\"2025-01-01\", \"vars\": {");
	for (int i = 0; b->len < 700000; i++)
		putf(b, "%s\"V%d\": \"value number %d\"", i ? ", " : "", i % 6000, i);
	puts_(b, "}, \"kv_namespaces\": [");
	for (int i = 0; b->len < 952 * 1024 - 64; i++)
		putf(b, "%s{\"binding\": \"bad-name-%d\", \"id\": \"%032x\"}", i ? ", " : "", i,
		     (unsigned)i);
	puts_(b, "]}");
}

static void
expect_minified(const char *name, const outcome *o)
{
	size_t n = o->r->diags.len, shown = n < 200 ? n : 200;
	check(n >= 1000, name, "only %zu diagnostics", n);
	/* Frames are windows: output is proportional to what is shown. */
	check(o->text_len < shown * 1500 + 1024, name, "%zu bytes of text for %zu shown",
	      o->text_len, shown);
	check(o->all_len < n * 1500 + 1024, name, "%zu bytes of text for all %zu", o->all_len, n);
	check(longest_line(o->all) < 1200, name, "a text line of %zu bytes", longest_line(o->all));
}

typedef struct pcase {
	const char *name;
	void (*gen)(buf *b);
	void (*expect)(const char *name, const outcome *o);
} pcase;

static const pcase cases[] = {
    {"deep unclosed nesting (100k)", gen_deep_unclosed, expect_deep_unclosed},
    {"deep closed nesting (100k)", gen_deep_closed, expect_deep_closed},
    {"duplicate null keys (200k)", gen_duplicate_nulls, expect_duplicate_nulls},
    {"many distinct keys (131072)", gen_many_keys, expect_clean},
    {"many suppression directives (20k)", gen_many_directives, expect_many_directives},
    {"long key and long string (20 MB + 3 MB)", gen_long_key, expect_long_key},
    {"minified one-line config (952 KB)", gen_minified, expect_minified},
};

static double
cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	double budget = BUDGET_SECONDS * SLOWDOWN;
	size_t run = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const pcase *c = &cases[i];
		if (only && !strstr(c->name, only))
			continue;
		run++;
		buf b = {0};
		c->gen(&b);
		int before = failures;
		double t0 = cpu_seconds();
		wl_lint_options opts = {0};
		outcome o = {0};
		o.r = wl_lint_source(wl_source_adopt("patho.jsonc", b.s, b.len), &opts);
		o.text = render(o.r, WL_FORMAT_TEXT, 200, &o.text_len);
		o.all = render(o.r, WL_FORMAT_TEXT, 0, &o.all_len);
		o.gcc = render(o.r, WL_FORMAT_GCC, 0, &o.gcc_len);
		double t = cpu_seconds() - t0;
		c->expect(c->name, &o);
		check(t < budget, c->name, "took %.2f s of CPU, budget %.1f s", t, budget);
		printf("%s %s: %.3f s, %zu bytes in, %zu diagnostics, %zu bytes of text\n",
		       failures == before ? "ok  " : "FAIL", c->name, t, b.len,
		       wl_diag_list_total(&o.r->diags), o.text_len);
		free(o.text);
		free(o.all);
		free(o.gcc);
		wl_lint_result_free(o.r);
	}
	if (run == 0) {
		printf("no case matches '%s'\n", only ? only : "");
		return 1;
	}
	printf("%zu cases, %d failed\n", run, failures);
	return failures ? 1 : 0;
}
