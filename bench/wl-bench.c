/* wl-bench: in-process timings of the parser and the whole lint.
 *
 *   wl-bench FILE [ITERATIONS]
 *
 * Reads FILE once, then runs each of these ITERATIONS times (default 21,
 * after one untimed warm-up run) and reports the median and the fastest:
 *
 *   json-c     json-c's own tokener (non-strict: comments, trailing commas)
 *              parsing the bytes into a tree, then freeing the tree
 *   wl parse   wl_jsonc_parse: the project's parser, building the same json-c
 *              tree plus a node with spans for every value and key, then
 *              wl_doc_free
 *   wl lint    wl_lint_source: read limits, parse, model, every rule, sorting
 *              of the diagnostics, then wl_lint_result_free
 *
 * Each wl_* run gets its own malloc'ed copy of the bytes, made before the
 * clock starts and adopted by the source (wl_source_adopt), so no timing
 * includes reading or copying the file. The ratios printed are medians:
 * parse / json-c and lint / parse. The peak RSS (getrusage) of this process
 * is printed last; it covers every run plus the file's bytes.
 *
 * The diagnostics of one lint run are summarised (count per rule, first
 * message of each) so a benchmark input that is not clean shows up. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "diag.h"
#include "jsonc.h"
#include "lint.h"
#include "source.h"
#include "toml.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *
read_file(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		char *bigger = realloc(buf, cap * 2 + 1);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	*len_out = len;
	return buf;
}

static char *
copy_bytes(const char *bytes, size_t len)
{
	char *c = malloc(len + 1);
	if (!c) {
		fprintf(stderr, "wl-bench: out of memory\n");
		exit(1);
	}
	memcpy(c, bytes, len);
	c[len] = '\0';
	return c;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

typedef struct {
	double median, min;
} stats;

static stats
summarize(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	stats s;
	s.min = t[0];
	s.median = (n % 2) ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	return s;
}

/* ---- the three measured operations --------------------------------------- */

static int
run_jsonc(const char *bytes, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = json_tokener_parse_ex(tok, bytes, (int)len);
	int ok = root && json_tokener_get_error(tok) == json_tokener_success;
	json_object_put(root);
	json_tokener_free(tok);
	return ok;
}

static double
time_jsonc(const char *bytes, size_t len, int *ok)
{
	double t0 = now_ms();
	*ok = run_jsonc(bytes, len);
	return now_ms() - t0;
}

static double
time_parse(const char *path, const char *bytes, size_t len, size_t *n_diags)
{
	char *copy = copy_bytes(bytes, len);
	double t0 = now_ms();
	wl_source *src = wl_source_adopt(path, copy, len);
	wl_diag_list diags;
	wl_diag_list_init(&diags);
	wl_doc *doc =
	    wl_path_is_toml(path) ? wl_toml_parse(src, &diags) : wl_jsonc_parse(src, &diags);
	*n_diags = wl_diag_list_total(&diags);
	wl_doc_free(doc);
	wl_diag_list_free(&diags);
	return now_ms() - t0;
}

static double
time_lint(const char *path, const char *bytes, size_t len)
{
	char *copy = copy_bytes(bytes, len);
	wl_lint_options opts = {.check_siblings = true};
	double t0 = now_ms();
	wl_source *src = wl_source_adopt(path, copy, len);
	wl_lint_result *r = wl_lint_source(src, &opts);
	wl_lint_result_free(r);
	return now_ms() - t0;
}

/* ---- diagnostics summary ------------------------------------------------- */

static void
summarize_diags(const char *path, const char *bytes, size_t len)
{
	wl_lint_options opts = {.check_siblings = true};
	wl_lint_result *r = wl_lint_source(wl_source_new(path, bytes, len), &opts);
	const wl_diag_list *l = &r->diags;
	printf("diagnostics: %zu error, %zu warning, %zu note\n",
	       wl_diag_list_count(l, WL_SEV_ERROR), wl_diag_list_count(l, WL_SEV_WARNING),
	       wl_diag_list_count(l, WL_SEV_NOTE));
	/* count per rule, in order of first appearance */
	const wl_diag **first = calloc(l->len ? l->len : 1, sizeof(*first));
	size_t *count = calloc(l->len ? l->len : 1, sizeof(*count));
	size_t n_rules = 0;
	for (size_t i = 0; first && count && i < l->len; i++) {
		size_t k = 0;
		while (k < n_rules && first[k]->rule != l->items[i].rule)
			k++;
		if (k == n_rules)
			first[n_rules++] = &l->items[i];
		count[k]++;
	}
	for (size_t k = 0; k < n_rules; k++) {
		const wl_diag *d = first[k];
		wl_position pos = wl_source_position(r->doc->src, d->span.start);
		printf("  %-8s %-32s x%-6zu first at %u:%u: %s\n", wl_severity_name(d->severity),
		       d->rule->id, count[k], pos.line, pos.column, d->message);
	}
	free(first);
	free(count);
	wl_lint_result_free(r);
}

int
main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: wl-bench FILE [ITERATIONS]\n");
		return 2;
	}
	const char *path = argv[1];
	int iters = 21;
	if (argc == 3) {
		char *end;
		errno = 0;
		long v = strtol(argv[2], &end, 10);
		if (errno || *end || v < 1 || v > 100000) {
			fprintf(stderr, "wl-bench: bad iteration count: %s\n", argv[2]);
			return 2;
		}
		iters = (int)v;
	}
	size_t len;
	char *bytes = read_file(path, &len);
	if (!bytes) {
		perror(path);
		return 1;
	}
	if (len > 0x7fffffff) {
		fprintf(stderr, "wl-bench: %s is too large for json_tokener\n", path);
		return 1;
	}

	double *tj = malloc((size_t)iters * sizeof(double));
	double *tp = malloc((size_t)iters * sizeof(double));
	double *tl = malloc((size_t)iters * sizeof(double));
	if (!tj || !tp || !tl) {
		fprintf(stderr, "wl-bench: out of memory\n");
		return 1;
	}
	int ok = 1;
	size_t parse_diags = 0;

	/* warm-up: page in the code and let malloc grow its arenas */
	time_jsonc(bytes, len, &ok);
	time_parse(path, bytes, len, &parse_diags);
	time_lint(path, bytes, len);

	/* interleaved, so drift (frequency, other load) hits all three alike */
	for (int i = 0; i < iters; i++) {
		int ok_i;
		tj[i] = time_jsonc(bytes, len, &ok_i);
		ok = ok && ok_i;
		tp[i] = time_parse(path, bytes, len, &parse_diags);
		tl[i] = time_lint(path, bytes, len);
	}
	stats sj = summarize(tj, iters), sp = summarize(tp, iters), sl = summarize(tl, iters);
	double mb = (double)len / (1024.0 * 1024.0);

	printf("file: %s (%zu bytes, %.2f MiB), %d iterations\n", path, len, mb, iters);
	if (!ok)
		printf("warning: json-c's tokener did not accept the file\n");
	printf("%-10s %12s %12s %12s\n", "", "median ms", "min ms", "MiB/s");
	printf("%-10s %12.3f %12.3f %12.1f\n", "json-c", sj.median, sj.min, mb / (sj.median / 1e3));
	printf("%-10s %12.3f %12.3f %12.1f\n", "wl parse", sp.median, sp.min,
	       mb / (sp.median / 1e3));
	printf("%-10s %12.3f %12.3f %12.1f\n", "wl lint", sl.median, sl.min,
	       mb / (sl.median / 1e3));
	printf("ratio parse/json-c: %.2f   (target <= 1.00 on ~8 MB)\n", sp.median / sj.median);
	printf("ratio lint/parse:   %.2f   (target <= 1.50 on ~8 MB)\n", sl.median / sp.median);
	if (parse_diags)
		printf("note: the parser reported %zu diagnostics\n", parse_diags);
	summarize_diags(path, bytes, len);

	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		printf("peak RSS (this process, all runs): %ld KiB\n", ru.ru_maxrss);

	free(tj);
	free(tp);
	free(tl);
	free(bytes);
	return 0;
}
