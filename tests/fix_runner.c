/* Golden tests for --fix: every fixtures/fix/NAME.jsonc (or .json) is fixed
 * in memory and must become NAME.fixed.jsonc byte for byte; fixing that
 * result again must change nothing; and the fixed text must have lost
 * exactly the diagnostics that had an applicable fix, and gained none.
 * Fixtures whose name starts with "unsafe-" are fixed with the unsafe fixes
 * too. A comment "// fix-also-removes: RULE" names a rule whose diagnostics
 * the fixes resolve as a consequence (a migration key typo fixed creates
 * the classes the step names): those may go too.
 *
 * usage: fix-runner FIXTURE_DIR
 * With WL_UPDATE_GOLDEN=1 the .fixed files are rewritten instead. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "lint.h"
#include "readfile.h"
#include "xalloc.h"

static int failures;

static void
fail(const char *name, const char *what)
{
	printf("FAIL %s: %s\n", name, what);
	failures++;
}

static bool
is_input(const char *name)
{
	size_t n = strlen(name);
	if (strstr(name, ".fixed."))
		return false;
	return (n > 6 && strcmp(name + n - 6, ".jsonc") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The diagnostic without its position (which moves when text is inserted). */
static char *
key_of(const wl_diag *d)
{
	return wl_xasprintf("%s|%s|%s|%s", d->rule->id, d->env ? d->env : "",
	                    d->pointer ? d->pointer : "", d->pointer ? "" : d->message);
}

typedef struct keys {
	char **k;
	size_t n;
} keys;

static keys
keys_of(const wl_diag_list *l, int which, bool unsafe)
{
	/* which: 0 every diagnostic, 1 those with a fix this run applies */
	keys r = {wl_xmalloc((l->len + 1) * sizeof(char *)), 0};
	for (size_t i = 0; i < l->len; i++)
		if (which == 0 || wl_fix_eligible(&l->items[i], unsafe))
			r.k[r.n++] = key_of(&l->items[i]);
	qsort(r.k, r.n, sizeof(char *), cmp_str);
	return r;
}

static void
keys_free(keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->k[i]);
	free(k->k);
}

/* Drops from `k` the keys of rules the fixture says go as a consequence. */
static void
drop_consequences(keys *k, const char *text)
{
	size_t out = 0;
	for (size_t i = 0; i < k->n; i++) {
		const char *bar = strchr(k->k[i], '|');
		char *want =
		    wl_xasprintf("// fix-also-removes: %.*s\n", (int)(bar - k->k[i]), k->k[i]);
		char *want_crlf =
		    wl_xasprintf("// fix-also-removes: %.*s\r\n", (int)(bar - k->k[i]), k->k[i]);
		if (strstr(text, want) || strstr(text, want_crlf))
			free(k->k[i]);
		else
			k->k[out++] = k->k[i];
		free(want);
		free(want_crlf);
	}
	k->n = out;
}

/* a minus b, as multisets of sorted keys. */
static keys
minus(const keys *a, const keys *b)
{
	keys r = {wl_xmalloc((a->n + 1) * sizeof(char *)), 0};
	size_t j = 0;
	for (size_t i = 0; i < a->n; i++) {
		while (j < b->n && strcmp(b->k[j], a->k[i]) < 0)
			j++;
		if (j < b->n && strcmp(b->k[j], a->k[i]) == 0) {
			j++;
			continue;
		}
		r.k[r.n++] = wl_xstrdup(a->k[i]);
	}
	return r;
}

static bool
same_keys(const keys *a, const keys *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->k[i], b->k[i]) != 0)
			return false;
	return true;
}

static void
print_keys(const char *label, const keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		printf("  %s %s\n", label, k->k[i]);
}

static char *
read_whole(const char *path, size_t *len)
{
	bool too_large;
	return wl_read_file(path, WL_MAX_FILE_SIZE, len, &too_large, NULL);
}

static void
run_one(const char *dir, const char *name, bool update)
{
	char *path = wl_xasprintf("%s/%s", dir, name);
	const char *dot = strrchr(name, '.');
	if (!dot)
		dot = name + strlen(name);
	char *stem = wl_xstrndup(name, (size_t)(dot - name));
	char *golden = wl_xasprintf("%s/%s.fixed%s", dir, stem, dot);
	free(stem);
	bool unsafe = strncmp(name, "unsafe-", 7) == 0;
	wl_lint_options opts = {0};
	size_t len;
	char *bytes = read_whole(path, &len);
	if (!bytes) {
		fail(name, "cannot read");
		free(path);
		free(golden);
		return;
	}
	wl_fix_result *r = wl_fix_run(name, bytes, len, &opts, unsafe);
	if (!r->changed || !r->applied)
		fail(name, "nothing was fixed");
	if (update) {
		FILE *f = fopen(golden, "wb");
		if (!f || fwrite(r->text, 1, r->len, f) != r->len || fclose(f) != 0)
			fail(name, "cannot write the golden file");
		else
			printf("updated %s\n", golden);
	} else {
		size_t glen;
		char *want = read_whole(golden, &glen);
		if (!want) {
			fail(name, "no .fixed golden file");
		} else if (glen != r->len || memcmp(want, r->text, glen) != 0) {
			fail(name, "fixed text differs from the golden file; got:");
			fwrite(r->text, 1, r->len, stdout);
			printf("\n-- end --\n");
		}
		free(want);
	}

	/* Idempotent: the fixed text has nothing left to apply. */
	wl_fix_result *again = wl_fix_run(name, r->text, r->len, &opts, unsafe);
	if (again->changed || again->applied)
		fail(name, "a second run changed the fixed text");
	wl_fix_result_free(again);

	/* Exactly the targeted diagnostics are gone, and nothing is new. */
	wl_lint_result *before = wl_lint_source(wl_source_new(name, bytes, len), &opts);
	keys all_before = keys_of(&before->diags, 0, unsafe);
	keys targeted = keys_of(&before->diags, 1, unsafe);
	keys all_after = keys_of(&r->lint->diags, 0, unsafe);
	keys gone = minus(&all_before, &all_after);
	keys added = minus(&all_after, &all_before);
	drop_consequences(&gone, bytes);
	if (!same_keys(&gone, &targeted)) {
		fail(name, "the diagnostics removed are not those the fixes target");
		print_keys("removed:", &gone);
		print_keys("targeted:", &targeted);
	}
	if (added.n) {
		fail(name, "the fixed text has new diagnostics");
		print_keys("new:", &added);
	}
	keys_free(&all_before);
	keys_free(&targeted);
	keys_free(&all_after);
	keys_free(&gone);
	keys_free(&added);
	wl_lint_result_free(before);
	wl_fix_result_free(r);
	free(bytes);
	free(path);
	free(golden);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fix-runner FIXTURE_DIR\n");
		return 2;
	}
	const char *update_env = getenv("WL_UPDATE_GOLDEN");
	bool update = update_env && *update_env == '1';
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 2;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_input(e->d_name))
			continue;
		wl_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = wl_xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	if (!n) {
		fprintf(stderr, "fix-runner: no fixtures in %s\n", argv[1]);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		run_one(argv[1], names[i], update);
		free(names[i]);
	}
	free(names);
	printf("%zu fixtures, %d failures\n", n, failures);
	return failures ? 1 : 0;
}
