/* Golden tests for the renderers: every fixture in the render directory is
 * linted and rendered in each format, and the output is compared byte for
 * byte with tests/golden/<fixture>.<txt|json|gcc|sarif|github>.
 *
 * usage: golden-runner FIXTURE_DIR GOLDEN_DIR
 * With WL_UPDATE_GOLDEN=1 the golden files are rewritten instead. Paths are
 * shown as "fixtures/render/<name>" and the tool version in json and sarif
 * output is replaced by @VERSION@, so the goldens do not depend on the
 * machine or the release. In sarif output the rule table (driver.rules) is
 * replaced by "@RULES@" and each ruleIndex by "@INDEX@", so adding a rule
 * does not rewrite every golden; tests/sarif_check.c checks both against
 * the registry. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "readfile.h"
#include "render.h"
#include "xalloc.h"

#define DISPLAY_DIR  "fixtures/render/"
#define VERSION_MARK "@VERSION@"
#define RULES_MARK   "\"@RULES@\""
#define INDEX_MARK   "\"@INDEX@\""

static const struct {
	wl_format format;
	const char *ext;
} outputs[] = {
    {WL_FORMAT_TEXT, "txt"},    {WL_FORMAT_JSON, "json"},     {WL_FORMAT_GCC, "gcc"},
    {WL_FORMAT_SARIF, "sarif"}, {WL_FORMAT_GITHUB, "github"},
};

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted fixture names (owned, and so is each name). */
static char **
list_fixtures(const char *dir, size_t *n_out)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "golden-runner: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    !(has_suffix(e->d_name, ".jsonc") || has_suffix(e->d_name, ".json")))
			continue;
		wl_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = wl_xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	*n_out = n;
	return names;
}

/* Reads a whole file; NULL when it cannot be opened. */
static char *
read_file(const char *path, size_t *len)
{
	bool too_large;
	char *buf = wl_read_file(path, WL_MAX_FILE_SIZE, len, &too_large, NULL);
	if (buf && too_large) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* Replaces every occurrence of `from` in the owned string `s`. */
static char *
replace_all(char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), count = 0;
	for (const char *p = s; (p = strstr(p, from)); p += nf)
		count++;
	if (!count)
		return s;
	char *out = wl_xmalloc(strlen(s) + count * nt + 1);
	char *w = out;
	const char *p = s, *hit;
	while ((hit = strstr(p, from))) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, to, nt);
		w += nt;
		p = hit + nf;
	}
	strcpy(w, p);
	free(s);
	return out;
}

/* Replaces s[from, to) of the owned string `s` with `with`. */
static char *
splice(char *s, size_t from, size_t to, const char *with)
{
	size_t n = strlen(s), nw = strlen(with);
	char *out = wl_xmalloc(n - (to - from) + nw + 1);
	memcpy(out, s, from);
	memcpy(out + from, with, nw);
	strcpy(out + from + nw, s + to);
	free(s);
	return out;
}

/* Masks what in pretty-printed sarif output depends on the release and the
 * registry: the driver's version, its rules array (from `"rules": [` to the
 * `]` on a line of the same indentation) and every ruleIndex value. Output
 * without the expected shape is left as it is, so the comparison shows it. */
static char *
mask_sarif(char *s)
{
	char *driver = strstr(s, "\"driver\": {");
	char *ver = driver ? strstr(driver, "\"version\": \"") : NULL;
	if (ver) {
		size_t from = (size_t)(ver - s) + strlen("\"version\": \"");
		char *end = strchr(s + from, '"');
		if (end)
			s = splice(s, from, (size_t)(end - s), VERSION_MARK);
	}
	char *rules = strstr(s, "\"rules\": [\n");
	if (rules) {
		char *line = rules;
		while (line > s && line[-1] != '\n')
			line--;
		char *close = wl_xasprintf("\n%.*s]", (int)(rules - line), line);
		char *end = strstr(rules, close);
		if (end) {
			size_t from = (size_t)(rules - s) + strlen("\"rules\": ");
			s = splice(s, from, (size_t)(end - s) + strlen(close), RULES_MARK);
		}
		free(close);
	}
	static const char key[] = "\"ruleIndex\": ";
	for (char *p = s; (p = strstr(p, key));) {
		size_t from = (size_t)(p - s) + strlen(key), to = from;
		while (s[to] >= '0' && s[to] <= '9')
			to++;
		if (to > from)
			s = splice(s, from, to, INDEX_MARK);
		p = s + from;
	}
	return s;
}

static char *
render(wl_format format, const wl_lint_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out) {
		perror("golden-runner: open_memstream");
		exit(2);
	}
	wl_render_options opts = {false, 0};
	wl_summary sum = {1, {0, 0, 0}};
	for (int s = 0; s < WL_SEV_COUNT; s++)
		sum.by_sev[s] = wl_diag_list_count(&res->diags, (wl_severity)s);
	wl_renderer *r = wl_renderer_new(format, out, &opts);
	wl_renderer_file(r, res->doc->src, &res->diags);
	wl_renderer_finish(r, &sum);
	fclose(out);
	if (format == WL_FORMAT_JSON) {
		char *from =
		    wl_xasprintf("\"name\":\"wrangler-lint\",\"version\":\"%s\"", wl_version());
		buf = replace_all(buf, from,
		                  "\"name\":\"wrangler-lint\",\"version\":\"" VERSION_MARK "\"");
		free(from);
	} else if (format == WL_FORMAT_SARIF) {
		buf = mask_sarif(buf);
	}
	return buf;
}

/* Shows bytes so that tabs, CRs and escapes are visible in the report. */
static void
show(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 0x20 || c == 0x7F)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static size_t
line_len(const char *s)
{
	const char *nl = strchr(s, '\n');
	return nl ? (size_t)(nl - s) : strlen(s);
}

/* One context window around the first difference of a long line. */
#define WINDOW 60

static void
show_line(const char *label, const char *line, size_t col)
{
	size_t n = line_len(line), from = 0;
	if (n > 2 * WINDOW && col > WINDOW)
		from = col - WINDOW;
	size_t to = n - from > 2 * WINDOW ? from + 2 * WINDOW : n;
	printf("    %s %s", label, from ? "..." : "");
	show(line + from, to - from);
	printf("%s%s\n", to < n ? "..." : "", line[n] == '\n' ? "" : " (no newline)");
}

/* Reports the first line where `want` and `got` differ. */
static void
report_diff(const char *golden, const char *want, const char *got)
{
	size_t line = 1;
	const char *w = want, *g = got;
	for (;;) {
		size_t wn = line_len(w), gn = line_len(g);
		if (wn != gn || memcmp(w, g, wn) != 0 || (w[wn] == '\n') != (g[gn] == '\n'))
			break;
		if (!w[wn])
			return; /* not reached: the strings differ */
		w += wn + 1;
		g += gn + 1;
		line++;
	}
	size_t col = 0;
	while (w[col] && w[col] == g[col] && w[col] != '\n')
		col++;
	printf("FAIL %s: line %zu differs at byte %zu\n", golden, line, col + 1);
	if (*w || !*g)
		show_line("expected:", w, col);
	else
		printf("    expected: (end of file)\n");
	if (*g || !*w)
		show_line("got:     ", g, col);
	else
		printf("    got:      (end of output)\n");
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: golden-runner FIXTURE_DIR GOLDEN_DIR\n");
		return 2;
	}
	const char *fixture_dir = argv[1], *golden_dir = argv[2];
	const char *env = getenv("WL_UPDATE_GOLDEN");
	bool update = env && strcmp(env, "1") == 0;

	size_t n_names;
	char **names = list_fixtures(fixture_dir, &n_names);
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < n_names; i++) {
		char *path = wl_xasprintf("%s/%s", fixture_dir, names[i]);
		size_t len;
		char *bytes = read_file(path, &len);
		if (!bytes) {
			printf("FAIL %s: cannot read: %s\n", path, strerror(errno));
			failed++;
			free(path);
			continue;
		}
		char *display = wl_xasprintf(DISPLAY_DIR "%s", names[i]);
		wl_lint_options opts = {false};
		wl_lint_result *res = wl_lint_source(wl_source_adopt(display, bytes, len), &opts);
		free(display);

		for (size_t k = 0; k < sizeof(outputs) / sizeof(outputs[0]); k++) {
			char *got = render(outputs[k].format, res);
			char *golden =
			    wl_xasprintf("%s/%s.%s", golden_dir, names[i], outputs[k].ext);
			size_t want_len;
			char *want = read_file(golden, &want_len);
			if (want && strcmp(want, got) == 0) {
				passed++;
			} else if (update) {
				if (write_file(golden, got, strlen(got))) {
					printf("updated %s\n", golden);
					passed++;
				} else {
					printf("FAIL %s: cannot write: %s\n", golden,
					       strerror(errno));
					failed++;
				}
			} else if (!want) {
				printf(
				    "FAIL %s: missing (run with WL_UPDATE_GOLDEN=1 to create it)\n",
				    golden);
				failed++;
			} else {
				report_diff(golden, want, got);
				failed++;
			}
			free(want);
			free(golden);
			free(got);
		}
		wl_lint_result_free(res);
		free(path);
		free(names[i]);
	}
	free(names);
	if (n_names == 0) {
		printf("FAIL %s: no fixtures\n", fixture_dir);
		failed++;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
