#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "walk.h"
#include "xalloc.h"

/* ---- applying ---- */

/* Fixes tried one by one in a round whose batch failed. */
#define WL_FIX_TRY_ALONE 8

static int
edit_cmp(const void *pa, const void *pb)
{
	const wl_edit *a = pa, *b = pb;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	if (a->span.end != b->span.end)
		return a->span.end < b->span.end ? -1 : 1;
	return 0;
}

static bool
edits_overlap(const wl_edit *a, const wl_edit *b)
{
	if (a->span.start == a->span.end && b->span.start == b->span.end)
		return a->span.start == b->span.start;
	return a->span.start < b->span.end && b->span.start < a->span.end;
}

char *
wl_fix_apply_edits(const char *bytes, size_t len, const wl_edit *edits, size_t n, size_t *out_len)
{
	wl_edit *sorted = wl_xmalloc((n ? n : 1) * sizeof(*sorted));
	memcpy(sorted, edits, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), edit_cmp);
	for (size_t i = 0; i < n; i++) {
		if (sorted[i].span.start > sorted[i].span.end || sorted[i].span.end > len ||
		    (i > 0 && edits_overlap(&sorted[i - 1], &sorted[i]))) {
			free(sorted);
			return NULL;
		}
	}
	wl_strbuf b = {0};
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		wl_strbuf_add(&b, bytes + at, sorted[i].span.start - at);
		wl_strbuf_str(&b, sorted[i].text);
		at = sorted[i].span.end;
	}
	wl_strbuf_add(&b, bytes + at, len - at);
	free(sorted);
	*out_len = b.len;
	return wl_strbuf_take(&b);
}

bool
wl_fix_eligible(const wl_diag *d, bool unsafe)
{
	return d->n_fix > 0 && (unsafe || d->fix_safety == WL_FIX_SAFE);
}

/* What identifies a diagnostic across re-lints: positions move when text is
 * inserted before them, so they are left out; syntax errors have no pointer,
 * so their message stands in for it. */
static char *
diag_key(const wl_diag *d)
{
	return wl_xasprintf("%s\x1f%s\x1f%s\x1f%s", d->rule->id, d->env ? d->env : "",
	                    d->pointer ? d->pointer : "", d->pointer ? "" : d->message);
}

/* What identifies a fix: its diagnostic and what it does. */
static char *
fix_key(const wl_diag *d)
{
	char *k = diag_key(d);
	char *r = wl_xasprintf("%s\x1f%s\x1f%s", k, d->fix_title ? d->fix_title : "",
	                       d->n_fix ? d->fix[0].text : "");
	free(k);
	return r;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
sorted_keys(const wl_diag_list *l)
{
	char **keys = wl_xmalloc((l->len + 1) * sizeof(*keys));
	for (size_t i = 0; i < l->len; i++)
		keys[i] = diag_key(&l->items[i]);
	qsort(keys, l->len, sizeof(*keys), str_cmp);
	return keys;
}

static void
free_keys(char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* True when `after` has a diagnostic (counted with repeats) that `before`
 * has not. A list that overflowed its cap counts as adding. */
static bool
adds_diagnostic(const wl_diag_list *before, const wl_diag_list *after)
{
	if (after->dropped > before->dropped)
		return true;
	char **a = sorted_keys(before), **b = sorted_keys(after);
	size_t i = 0, j = 0;
	bool adds = false;
	while (j < after->len && !adds) {
		int c = i < before->len ? strcmp(a[i], b[j]) : 1;
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			adds = true;
		}
	}
	free_keys(a, before->len);
	free_keys(b, after->len);
	return adds;
}

static wl_lint_result *
lint_text(const char *path, const char *text, size_t len, const wl_lint_options *opts)
{
	return wl_lint_source(wl_source_new(path, text, len), opts);
}

typedef struct keyset {
	wl_strlist keys;
} keyset;

static bool
keyset_has(const keyset *s, const char *k)
{
	for (size_t i = 0; i < s->keys.len; i++)
		if (strcmp(s->keys.items[i], k) == 0)
			return true;
	return false;
}

/* Applies the fixes `which` (indices into diags) of one round. */
static char *
apply_fixes(const char *text, size_t len, const wl_diag_list *diags, const size_t *which, size_t n,
            size_t *out_len)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += diags->items[which[i]].n_fix;
	wl_edit *edits = wl_xmalloc((total ? total : 1) * sizeof(*edits));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const wl_diag *d = &diags->items[which[i]];
		for (size_t e = 0; e < d->n_fix; e++)
			edits[k++] = d->fix[e];
	}
	char *out = wl_fix_apply_edits(text, len, edits, k, out_len);
	free(edits);
	return out;
}

/* True when the fix of `d` overlaps no edit in `chosen`, and its own edits
 * do not overlap each other. */
static bool
fits(const wl_diag *d, const wl_edit *chosen, size_t n_chosen)
{
	for (size_t e = 0; e < d->n_fix; e++) {
		for (size_t c = 0; c < n_chosen; c++)
			if (edits_overlap(&d->fix[e], &chosen[c]))
				return false;
		for (size_t f = 0; f < e; f++)
			if (edits_overlap(&d->fix[e], &d->fix[f]))
				return false;
	}
	return true;
}

/* Tries the chosen fixes of one round on `text`. Returns the new text (owned)
 * and sets *n_applied, or NULL when none could be kept; fixes found to add
 * diagnostics are put into `rejected`. */
static char *
try_round(const char *path, const char *text, size_t len, const wl_lint_options *opts,
          const wl_lint_result *cur, size_t *which, size_t n, keyset *rejected, size_t *out_len,
          size_t *n_applied)
{
	size_t new_len;
	char *next = apply_fixes(text, len, &cur->diags, which, n, &new_len);
	if (next) {
		wl_lint_result *r = lint_text(path, next, new_len, opts);
		bool bad = adds_diagnostic(&cur->diags, &r->diags);
		wl_lint_result_free(r);
		if (!bad) {
			*out_len = new_len;
			*n_applied = n;
			return next;
		}
		free(next);
	}
	/* Something in the batch brings a new diagnostic: find which, alone.
	 * At most a few per round, so a hostile file with many fixes costs a
	 * bounded number of lints per round; the rest wait. */
	size_t kept = 0;
	if (n > WL_FIX_TRY_ALONE)
		n = WL_FIX_TRY_ALONE;
	for (size_t i = 0; i < n; i++) {
		const wl_diag *d = &cur->diags.items[which[i]];
		char *one = apply_fixes(text, len, &cur->diags, &which[i], 1, &new_len);
		bool bad = true;
		if (one) {
			wl_lint_result *r = lint_text(path, one, new_len, opts);
			bad = adds_diagnostic(&cur->diags, &r->diags);
			wl_lint_result_free(r);
			free(one);
		}
		if (bad)
			wl_strlist_push(&rejected->keys, fix_key(d));
		else
			which[kept++] = which[i];
	}
	if (!kept)
		return NULL;
	next = apply_fixes(text, len, &cur->diags, which, kept, &new_len);
	if (next && kept > 1) {
		wl_lint_result *r = lint_text(path, next, new_len, opts);
		bool bad = adds_diagnostic(&cur->diags, &r->diags);
		wl_lint_result_free(r);
		if (bad) { /* fine alone, not together: one per round */
			free(next);
			kept = 1;
			next = apply_fixes(text, len, &cur->diags, which, 1, &new_len);
		}
	}
	if (!next)
		return NULL;
	*out_len = new_len;
	*n_applied = kept;
	return next;
}

wl_fix_result *
wl_fix_run(const char *path, const char *bytes, size_t len, const wl_lint_options *opts,
           bool unsafe)
{
	wl_fix_result *res = wl_xcalloc(1, sizeof(*res));
	char *text = wl_xmalloc(len + 1);
	memcpy(text, bytes, len);
	text[len] = '\0';
	size_t text_len = len;
	keyset rejected = {{0}}, applied = {{0}};
	wl_lint_result *cur = lint_text(path, text, text_len, opts);
	for (int round = 0; round < WL_FIX_MAX_ROUNDS; round++) {
		size_t *which = wl_xmalloc((cur->diags.len + 1) * sizeof(*which));
		size_t n = 0;
		wl_edit *chosen = NULL;
		size_t n_chosen = 0, cap_chosen = 0;
		for (size_t i = 0; i < cur->diags.len; i++) {
			const wl_diag *d = &cur->diags.items[i];
			if (!wl_fix_eligible(d, unsafe) || (d->src && d->src != cur->doc->src))
				continue; /* edits only ever apply to the file linted */
			char *k = fix_key(d);
			bool skip = keyset_has(&rejected, k);
			if (!skip && keyset_has(&applied, k)) {
				/* It was applied and its diagnostic is back: it does not
				 * fix what it claims to, so it is not applied again. */
				wl_strlist_push(&rejected.keys, wl_xstrdup(k));
				skip = true;
			}
			free(k);
			if (skip || !fits(d, chosen, n_chosen))
				continue;
			which[n++] = i;
			for (size_t e = 0; e < d->n_fix; e++) {
				wl_xgrow((void **)&chosen, &cap_chosen, n_chosen + 1,
				         sizeof(*chosen));
				chosen[n_chosen++] = d->fix[e];
			}
		}
		free(chosen);
		size_t new_len = 0, n_applied = 0;
		char *next = n ? try_round(path, text, text_len, opts, cur, which, n, &rejected,
		                           &new_len, &n_applied)
		               : NULL;
		if (next)
			for (size_t i = 0; i < n_applied; i++)
				wl_strlist_push(&applied.keys,
				                fix_key(&cur->diags.items[which[i]]));
		free(which);
		if (!next) {
			if (n)
				continue; /* the rejected ones are skipped next round */
			break;
		}
		res->applied += n_applied;
		free(text);
		text = next;
		text_len = new_len;
		wl_lint_result_free(cur);
		cur = lint_text(path, text, text_len, opts);
	}
	wl_strlist_free(&rejected.keys);
	wl_strlist_free(&applied.keys);
	res->text = text;
	res->len = text_len;
	res->changed = text_len != len || memcmp(text, bytes, len) != 0;
	res->lint = cur;
	return res;
}

void
wl_fix_result_free(wl_fix_result *r)
{
	if (!r)
		return;
	free(r->text);
	wl_lint_result_free(r->lint);
	free(r);
}

/* ---- writing ---- */

bool (*wl_fix_write_hook)(const char *step, const char *tmp_path, const char *target);

static bool
hook_ok(const char *step, const char *tmp, const char *target)
{
	if (wl_fix_write_hook && !wl_fix_write_hook(step, tmp, target)) {
		errno = EIO;
		return false;
	}
	return true;
}

static bool
same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* True when the file at `path` still holds exactly `old`. */
static bool
content_unchanged(const char *path, const struct stat *read_st, const char *old, size_t old_len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && same_file_state(read_st, &st);
	char chunk[65536];
	size_t at = 0;
	while (same) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			same = false;
			break;
		}
		if (r == 0)
			break;
		if (at + (size_t)r > old_len || memcmp(old + at, chunk, (size_t)r) != 0)
			same = false;
		at += (size_t)r;
	}
	close(fd);
	return same && at == old_len;
}

static bool
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

wl_write_status
wl_fix_write(const char *path, const struct stat *read_st, const char *old, size_t old_len,
             const char *bytes, size_t len, char **err)
{
	*err = NULL;
	char *target = realpath(path, NULL);
	if (!target) {
		*err = wl_xasprintf("cannot resolve the file: %s", strerror(errno));
		return WL_WRITE_FAILED;
	}
	if (!content_unchanged(target, read_st, old, old_len)) {
		*err = wl_xstrdup("changed on disk since it was read; not fixed");
		free(target);
		return WL_WRITE_CHANGED;
	}
	const char *slash = strrchr(target, '/');
	char *dir = wl_xstrndup(target, slash == target ? 1 : (size_t)(slash - target));
	char *tmp = wl_xasprintf("%s/.%s.wrangler-lint-XXXXXX", dir, slash + 1);
	const char *step = "open";
	int fd = -1;
	if (hook_ok(step, tmp, target))
		fd = mkstemp(tmp);
	if (fd < 0) {
		*err =
		    wl_xasprintf("cannot create a temporary file in %s: %s", dir, strerror(errno));
		free(dir);
		free(tmp);
		free(target);
		return WL_WRITE_FAILED;
	}
	bool ok = (step = "write", hook_ok(step, tmp, target)) && write_all(fd, bytes, len) &&
	          fchmod(fd, read_st->st_mode & 07777) == 0 &&
	          (step = "fsync", hook_ok(step, tmp, target)) && fsync(fd) == 0;
	/* Owner and group as before where we may set them (root); a plain user
	 * keeps their own, which is what the original had anyway. */
	if (ok && fchown(fd, read_st->st_uid, read_st->st_gid) != 0)
		errno = 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	wl_write_status status = WL_WRITE_OK;
	if (ok) {
		/* The last look before the rename: another writer may have been
		 * faster than us. */
		if (!hook_ok("check", tmp, target) ||
		    !content_unchanged(target, read_st, old, old_len)) {
			status = WL_WRITE_CHANGED;
			*err = wl_xstrdup("changed on disk since it was read; not fixed");
		} else if (!(step = "rename", hook_ok(step, tmp, target)) ||
		           rename(tmp, target) != 0) {
			saved = errno;
			ok = false;
		}
	}
	if (!ok) {
		status = WL_WRITE_FAILED;
		*err = wl_xasprintf("cannot write (%s): %s; the file is unchanged", step,
		                    strerror(saved));
	}
	if (status != WL_WRITE_OK) {
		unlink(tmp);
	} else {
		/* Make the rename itself durable; a failure here loses nothing. */
		int dfd = open(dir, O_RDONLY);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	free(tmp);
	free(target);
	return status;
}

/* ---- unified diff ---- */

typedef struct line {
	const char *s;
	size_t len; /* including the line break */
} line;

static line *
split_lines(const char *s, size_t n, size_t *count)
{
	size_t cap = 16, k = 0;
	line *v = wl_xmalloc(cap * sizeof(*v));
	size_t at = 0;
	while (at < n) {
		size_t e = at;
		while (e < n && s[e] != '\n')
			e++;
		if (e < n)
			e++;
		wl_xgrow((void **)&v, &cap, k + 1, sizeof(*v));
		v[k].s = s + at;
		v[k++].len = e - at;
		at = e;
	}
	*count = k;
	return v;
}

static bool
line_eq(const line *a, const line *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* One line of output, with the marker for a missing final line break. */
static void
emit(wl_strbuf *out, char mark, const line *l)
{
	wl_strbuf_add(out, &mark, 1);
	wl_strbuf_add(out, l->s, l->len);
	if (!l->len || l->s[l->len - 1] != '\n')
		wl_strbuf_str(out, "\n\\ No newline at end of file\n");
}

typedef struct op {
	char kind; /* ' ', '-', '+' */
	size_t a, b;
} op;

/* The edit script of the middle (after common prefix and suffix) by LCS; when
 * the middle is too large for the table, all of it is replaced. */
static op *
script(const line *a, size_t na, const line *b, size_t nb, size_t pa, size_t pb, size_t *n_ops)
{
	size_t cap = na + nb + 1, k = 0;
	op *ops = wl_xmalloc(cap * sizeof(*ops));
	if (na && nb && na <= (size_t)8e6 / nb) {
		unsigned *t = wl_xcalloc((na + 1) * (nb + 1), sizeof(*t));
#define T(i, j) t[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				T(i, j) =
				    line_eq(&a[i], &b[j])
				        ? T(i + 1, j + 1) + 1
				        : (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (i < na && j < nb && line_eq(&a[i], &b[j])) {
				ops[k++] = (op){' ', pa + i++, pb + j++};
			} else if (j < nb && (i == na || T(i, j + 1) > T(i + 1, j))) {
				ops[k++] = (op){'+', pa + i, pb + j++};
			} else {
				ops[k++] = (op){'-', pa + i++, pb + j};
			}
		}
#undef T
		free(t);
	} else {
		for (size_t i = 0; i < na; i++)
			ops[k++] = (op){'-', pa + i, pb};
		for (size_t j = 0; j < nb; j++)
			ops[k++] = (op){'+', pa + na, pb + j};
	}
	*n_ops = k;
	return ops;
}

char *
wl_fix_unified_diff(const char *path, const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == blen && memcmp(a, b, alen) == 0)
		return wl_xstrdup("");
	size_t na, nb;
	line *la = split_lines(a, alen, &na), *lb = split_lines(b, blen, &nb);
	size_t pre = 0;
	while (pre < na && pre < nb && line_eq(&la[pre], &lb[pre]))
		pre++;
	size_t suf = 0;
	while (suf < na - pre && suf < nb - pre && line_eq(&la[na - 1 - suf], &lb[nb - 1 - suf]))
		suf++;
	size_t n_mid;
	op *mid = script(la + pre, na - pre - suf, lb + pre, nb - pre - suf, pre, pre, &n_mid);
	/* The whole script: common prefix, middle, common suffix. */
	size_t n_ops = pre + n_mid + suf;
	op *ops = wl_xmalloc((n_ops + 1) * sizeof(*ops));
	for (size_t i = 0; i < pre; i++)
		ops[i] = (op){' ', i, i};
	memcpy(ops + pre, mid, n_mid * sizeof(*ops));
	for (size_t i = 0; i < suf; i++)
		ops[pre + n_mid + i] = (op){' ', na - suf + i, nb - suf + i};
	free(mid);

	wl_strbuf out = {0};
	wl_strbuf_str(&out, "--- a/");
	wl_strbuf_str(&out, path);
	wl_strbuf_str(&out, "\n+++ b/");
	wl_strbuf_str(&out, path);
	wl_strbuf_str(&out, "\n");
	const size_t ctx = 3;
	size_t i = 0;
	while (i < n_ops) {
		while (i < n_ops && ops[i].kind == ' ')
			i++;
		if (i == n_ops)
			break;
		/* A hunk: from ctx lines before this change to ctx lines after the
		 * last change that is at most 2*ctx unchanged lines from the next. */
		size_t start = i >= ctx ? i - ctx : 0;
		size_t end = i;
		for (;;) {
			while (end < n_ops && ops[end].kind != ' ')
				end++;
			size_t same = 0;
			while (end + same < n_ops && ops[end + same].kind == ' ')
				same++;
			if (end + same < n_ops && same <= 2 * ctx) {
				end += same;
				continue;
			}
			end += same < ctx ? same : ctx;
			break;
		}
		size_t a0 = ops[start].a, b0 = ops[start].b, ca = 0, cb = 0;
		for (size_t k = start; k < end; k++) {
			if (ops[k].kind != '+')
				ca++;
			if (ops[k].kind != '-')
				cb++;
		}
		char head[96];
		snprintf(head, sizeof(head), "@@ -%zu,%zu +%zu,%zu @@\n", ca ? a0 + 1 : a0, ca,
		         cb ? b0 + 1 : b0, cb);
		wl_strbuf_str(&out, head);
		for (size_t k = start; k < end; k++)
			emit(&out, ops[k].kind, ops[k].kind == '+' ? &lb[ops[k].b] : &la[ops[k].a]);
		i = end;
	}
	free(ops);
	free(la);
	free(lb);
	return wl_strbuf_take(&out);
}
