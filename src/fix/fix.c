#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walk.h"
#include "xalloc.h"

/* ---- growable text ---- */

typedef struct buf {
	char *s;
	size_t len, cap;
} buf;

static void
buf_add(buf *b, const char *s, size_t n)
{
	wl_xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static char *
buf_take(buf *b)
{
	if (!b->s)
		return wl_xstrdup("");
	return b->s;
}

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
	buf b = {0};
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		buf_add(&b, bytes + at, sorted[i].span.start - at);
		buf_str(&b, sorted[i].text);
		at = sorted[i].span.end;
	}
	buf_add(&b, bytes + at, len - at);
	free(sorted);
	*out_len = b.len;
	return buf_take(&b);
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
emit(buf *out, char mark, const line *l)
{
	buf_add(out, &mark, 1);
	buf_add(out, l->s, l->len);
	if (!l->len || l->s[l->len - 1] != '\n')
		buf_str(out, "\n\\ No newline at end of file\n");
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

	buf out = {0};
	buf_str(&out, "--- a/");
	buf_str(&out, path);
	buf_str(&out, "\n+++ b/");
	buf_str(&out, path);
	buf_str(&out, "\n");
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
		buf_str(&out, head);
		for (size_t k = start; k < end; k++)
			emit(&out, ops[k].kind, ops[k].kind == '+' ? &lb[ops[k].b] : &la[ops[k].a]);
		i = end;
	}
	free(ops);
	free(la);
	free(lb);
	return buf_take(&out);
}

/* ---- style ---- */

static const char *
src_bytes(const wl_doc *doc)
{
	return doc->src->bytes;
}

/* The offset after whitespace and comments from `at`. */
static uint32_t
skip_space(const char *s, uint32_t len, uint32_t at)
{
	while (at < len) {
		char c = s[at];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			at++;
		} else if (c == '/' && at + 1 < len && s[at + 1] == '/') {
			while (at < len && s[at] != '\n' && s[at] != '\r')
				at++;
		} else if (c == '/' && at + 1 < len && s[at + 1] == '*') {
			const char *e = strstr(s + at + 2, "*/");
			at = e ? (uint32_t)(e - s) + 2 : len;
		} else {
			break;
		}
	}
	return at;
}

static bool
has_newline(const char *s, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

static const wl_node *
last_child(const wl_node *n)
{
	const wl_node *last = NULL;
	for (const wl_node *c = n->first_child; c; c = c->next)
		last = c;
	return last;
}

/* Whether a container has a comma after its last child. */
static bool
trailing_comma(const wl_doc *doc, const wl_node *n, uint32_t *comma_at)
{
	const wl_node *last = last_child(n);
	if (!last)
		return false;
	uint32_t at = skip_space(src_bytes(doc), (uint32_t)doc->src->len, last->span.end);
	if (at < doc->src->len && src_bytes(doc)[at] == ',') {
		if (comma_at)
			*comma_at = at;
		return true;
	}
	return false;
}

static void
count_trailing(const wl_doc *doc, const wl_node *n, size_t *yes, size_t *no, int depth)
{
	if (!n || depth > 64 || (n->type != json_type_object && n->type != json_type_array))
		return;
	const wl_node *last = last_child(n);
	if (last && has_newline(src_bytes(doc), last->span.end, n->span.end)) {
		if (trailing_comma(doc, n, NULL))
			(*yes)++;
		else
			(*no)++;
	}
	for (const wl_node *c = n->first_child; c; c = c->next)
		count_trailing(doc, c, yes, no, depth + 1);
}

void
wl_text_style_detect(const wl_doc *doc, wl_text_style *out)
{
	memset(out, 0, sizeof(*out));
	const char *s = src_bytes(doc);
	size_t len = doc->src->len;
	size_t crlf = 0, lf = 0, tabs = 0, spaces = 0;
	size_t steps[17] = {0};
	size_t prev = 0;
	bool prev_spaces = false;
	for (size_t at = 0; at < len;) {
		size_t e = at;
		while (e < len && s[e] != '\n')
			e++;
		if (e < len) {
			if (e > at && s[e - 1] == '\r')
				crlf++;
			else
				lf++;
		}
		size_t w = at;
		while (w < e && (s[w] == ' ' || s[w] == '\t'))
			w++;
		bool blank = w == e || (w + 1 == e && s[w] == '\r');
		if (!blank) {
			if (w > at && s[at] == '\t') {
				tabs++;
				prev_spaces = false;
			} else {
				size_t n = w - at;
				if (n)
					spaces++;
				if (prev_spaces && n > prev && n - prev <= 16)
					steps[n - prev]++;
				prev = n;
				prev_spaces = true;
			}
		}
		at = e + 1;
	}
	out->eol = crlf > lf ? "\r\n" : "\n";
	size_t best = 0;
	for (size_t k = 1; k <= 16; k++)
		if (steps[k] > steps[best])
			best = k;
	if (spaces > tabs && best) {
		memset(out->indent, ' ', best);
		out->indent[best] = '\0';
	} else {
		strcpy(out->indent, "\t");
	}
	size_t yes = 0, no = 0;
	count_trailing(doc, doc->root, &yes, &no, 0);
	out->trailing_comma = yes > no;
}

const wl_text_style *
wl_text_style_get(const wl_doc *doc, wl_text_style_cache *c)
{
	if (!c->ready) {
		wl_text_style_detect(doc, &c->st);
		c->ready = true;
	}
	return &c->st;
}

char *
wl_fix_line_indent(const wl_doc *doc, uint32_t offset)
{
	const char *s = src_bytes(doc);
	uint32_t start = offset;
	while (start > 0 && s[start - 1] != '\n' && s[start - 1] != '\r')
		start--;
	uint32_t e = start;
	while (e < doc->src->len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	return wl_xstrndup(s + start, e - start);
}

/* ---- formatting ---- */

static void
json_scalar(buf *b, struct json_object *v)
{
	buf_str(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
json_key(buf *b, const char *key)
{
	struct json_object *k = json_object_new_string(key);
	json_scalar(b, k);
	json_object_put(k);
}

static bool
is_scalar(struct json_object *v)
{
	return !json_object_is_type(v, json_type_object) &&
	       !json_object_is_type(v, json_type_array);
}

/* The node a value came from, when it came from this document. */
static const wl_node *
doc_node(const wl_doc *doc, struct json_object *v)
{
	const wl_node *n = v ? wl_node_of(v) : NULL;
	if (n && n->span.end <= doc->src->len && n->span.start < n->span.end)
		return n;
	return NULL;
}

static void format_value(buf *b, const wl_doc *doc, const wl_text_style *st, struct json_object *v,
                         const char *base, bool inline_objects, int depth);

static void
newline_indent(buf *b, const wl_text_style *st, const char *base, int extra)
{
	buf_str(b, st->eol);
	buf_str(b, base);
	for (int i = 0; i < extra; i++)
		buf_str(b, st->indent);
}

static void
format_value(buf *b, const wl_doc *doc, const wl_text_style *st, struct json_object *v,
             const char *base, bool inline_objects, int depth)
{
	const wl_node *n = doc_node(doc, v);
	if (!v) {
		buf_str(b, "null");
		return;
	}
	if (is_scalar(v)) {
		if (n)
			buf_add(b, src_bytes(doc) + n->span.start, n->span.end - n->span.start);
		else
			json_scalar(b, v);
		return;
	}
	if (n && !has_newline(src_bytes(doc), n->span.start, n->span.end)) {
		/* Written on one line: copied as the person wrote it. */
		buf_add(b, src_bytes(doc) + n->span.start, n->span.end - n->span.start);
		return;
	}
	if (depth > 64)
		inline_objects = true;
	char *inner = wl_xasprintf("%s%s", base, st->indent);
	if (json_object_is_type(v, json_type_array)) {
		size_t len = json_object_array_length(v);
		bool flat = true;
		for (size_t i = 0; i < len && flat; i++)
			flat = is_scalar(json_object_array_get_idx(v, i));
		buf one = {0};
		if (flat || inline_objects) {
			buf_str(&one, "[");
			for (size_t i = 0; i < len; i++) {
				if (i)
					buf_str(&one, ", ");
				format_value(&one, doc, st, json_object_array_get_idx(v, i), inner,
				             true, depth + 1);
			}
			buf_str(&one, "]");
		}
		if (one.s && (inline_objects || one.len <= 60)) {
			buf_str(b, one.s);
		} else {
			buf_str(b, "[");
			for (size_t i = 0; i < len; i++) {
				if (i)
					buf_str(b, ",");
				newline_indent(b, st, inner, 0);
				format_value(b, doc, st, json_object_array_get_idx(v, i), inner,
				             inline_objects, depth + 1);
			}
			if (st->trailing_comma && len)
				buf_str(b, ",");
			if (len)
				newline_indent(b, st, base, 0);
			buf_str(b, "]");
		}
		free(one.s);
		free(inner);
		return;
	}
	size_t i = 0;
	if (json_object_object_length(v) == 0) {
		buf_str(b, "{}");
		free(inner);
		return;
	}
	buf_str(b, inline_objects ? "{ " : "{");
	json_object_object_foreach(v, key, val)
	{
		if (i++)
			buf_str(b, inline_objects ? ", " : ",");
		if (!inline_objects)
			newline_indent(b, st, inner, 0);
		json_key(b, key);
		buf_str(b, ": ");
		format_value(b, doc, st, val, inner, inline_objects, depth + 1);
	}
	if (inline_objects) {
		buf_str(b, " }");
	} else {
		if (st->trailing_comma)
			buf_str(b, ",");
		newline_indent(b, st, base, 0);
		buf_str(b, "}");
	}
	free(inner);
}

char *
wl_fix_format_value(const wl_doc *doc, const wl_text_style *st, struct json_object *v,
                    const char *base, bool inline_objects)
{
	buf b = {0};
	format_value(&b, doc, st, v, base, inline_objects, 0);
	return buf_take(&b);
}

/* ---- edits for generators ---- */

/* The offset where the line holding `at` ends (before its line break), after
 * any comment that starts on it; `*clean` is false when something other than
 * whitespace and comments comes first (then that offset is returned). */
static uint32_t
line_end_after(const char *s, uint32_t len, uint32_t at, bool *clean)
{
	*clean = true;
	while (at < len) {
		char c = s[at];
		if (c == '\n' || c == '\r')
			return at;
		if (c == ' ' || c == '\t') {
			at++;
		} else if (c == '/' && at + 1 < len && s[at + 1] == '/') {
			while (at < len && s[at] != '\n' && s[at] != '\r')
				at++;
		} else if (c == '/' && at + 1 < len && s[at + 1] == '*') {
			const char *e = strstr(s + at + 2, "*/");
			at = e ? (uint32_t)(e - s) + 2 : len;
		} else {
			*clean = false;
			return at;
		}
	}
	return at;
}

typedef struct child {
	const char *key; /* NULL for array items */
	struct json_object *value;
} child;

/* The children as text: one per line at `indent` (the first line's indent is
 * the caller's), or all on one line. */
static char *
children_text(const wl_doc *doc, const wl_text_style *st, const child *c, size_t n,
              const char *indent, bool inline_objects, bool one_line)
{
	buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (i && one_line) {
			buf_str(&b, ", ");
		} else if (i) {
			buf_str(&b, ",");
			newline_indent(&b, st, indent, 0);
		}
		if (c[i].key) {
			json_key(&b, c[i].key);
			buf_str(&b, ": ");
		}
		char *v =
		    wl_fix_format_value(doc, st, c[i].value, indent, inline_objects || one_line);
		buf_str(&b, v);
		free(v);
	}
	return buf_take(&b);
}

static bool
append_children(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *obj,
                bool members, const child *kids, size_t n_kids, const char *title)
{
	const char *s = src_bytes(doc);
	uint32_t len = (uint32_t)doc->src->len;
	char open = members ? '{' : '[', close = members ? '}' : ']';
	if (doc->toml) /* the edits are JSON text */
		return false;
	if (!obj || !n_kids || obj->span.end < obj->span.start + 2 || obj->span.end > len ||
	    s[obj->span.start] != open || s[obj->span.end - 1] != close ||
	    (obj->flags & WL_NODE_INVALID))
		return false;
	uint32_t o = obj->span.start, c = obj->span.end - 1;
	const wl_node *last = last_child(obj);
	buf b = {0};
	if (!last) {
		char *outer = wl_fix_line_indent(doc, o);
		char *inner = wl_xasprintf("%s%s", outer, st->indent);
		bool only_space =
		    skip_space(s, len, o + 1) == c && !memchr(s + o + 1, '/', c - o - 1);
		/* Inside a parent written on one line, the new children stay on it. */
		bool one_line =
		    obj->parent && !has_newline(s, obj->parent->span.start, obj->parent->span.end);
		if (only_space && one_line) {
			char *m = children_text(doc, st, kids, n_kids, inner, true, true);
			if (members)
				buf_str(&b, " ");
			buf_str(&b, m);
			if (members)
				buf_str(&b, " ");
			wl_diag_add_edit(d, title, wl_span_make(o + 1, c), b.s);
			free(m);
		} else if (only_space) {
			/* "{}" or "[ ]": the new children on their own lines. */
			char *m = children_text(doc, st, kids, n_kids, inner, false, false);
			newline_indent(&b, st, inner, 0);
			buf_str(&b, m);
			if (st->trailing_comma)
				buf_str(&b, ",");
			newline_indent(&b, st, outer, 0);
			wl_diag_add_edit(d, title, wl_span_make(o + 1, c), b.s);
			free(m);
		} else {
			/* Comments inside: the children go before the closer, which
			 * keeps them where they are. */
			uint32_t ls = c;
			while (ls > o + 1 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
				ls--;
			bool own_line = s[ls - 1] == '\n' || s[ls - 1] == '\r';
			char *m = children_text(doc, st, kids, n_kids, inner, !own_line, !own_line);
			if (own_line) {
				buf_str(&b, inner);
				buf_str(&b, m);
				if (st->trailing_comma)
					buf_str(&b, ",");
				buf_str(&b, st->eol);
				wl_diag_add_edit(d, title, wl_span_make(ls, ls), b.s);
			} else {
				buf_str(&b, " ");
				buf_str(&b, m);
				buf_str(&b, " ");
				wl_diag_add_edit(d, title, wl_span_make(c, c), b.s);
			}
			free(m);
		}
		free(b.s);
		free(outer);
		free(inner);
		return true;
	}
	uint32_t comma = 0;
	bool has_comma = trailing_comma(doc, obj, &comma);
	uint32_t after = has_comma ? comma + 1 : last->span.end;
	bool multi = has_newline(s, last->span.end, c);
	/* New items look like the last one: an object on one line stays so. */
	bool like_inline = !members && last->type == json_type_object &&
	                   !has_newline(s, last->span.start, last->span.end);
	if (multi) {
		bool clean;
		uint32_t at = line_end_after(s, len, after, &clean);
		if (clean) {
			uint32_t first = members ? last->key_span.start : last->span.start;
			char *indent = wl_fix_line_indent(doc, first);
			char *m = children_text(doc, st, kids, n_kids, indent, like_inline, false);
			if (!has_comma && at == last->span.end)
				buf_str(&b, ",");
			else if (!has_comma)
				wl_diag_add_edit(d, title,
				                 wl_span_make(last->span.end, last->span.end), ",");
			newline_indent(&b, st, indent, 0);
			buf_str(&b, m);
			if (has_comma)
				buf_str(&b, ",");
			wl_diag_add_edit(d, title, wl_span_make(at, at), b.s);
			free(m);
			free(indent);
			free(b.s);
			return true;
		}
	}
	/* One line (or the closer right after the last child): inline. */
	char *m = children_text(doc, st, kids, n_kids, "", true, true);
	if (has_comma) {
		buf_str(&b, " ");
		buf_str(&b, m);
		buf_str(&b, ",");
	} else {
		buf_str(&b, ", ");
		buf_str(&b, m);
	}
	wl_diag_add_edit(d, title, wl_span_make(after, after), b.s);
	free(m);
	free(b.s);
	return true;
}

bool
wl_fix_append(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *obj,
              const char *key, struct json_object *value, const char *title)
{
	child k = {key, value};
	return append_children(d, doc, st, obj, key != NULL, &k, 1, title);
}

bool
wl_fix_append_items(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *arr,
                    struct json_object *items, const char *title)
{
	size_t n = json_object_array_length(items);
	child *kids = wl_xcalloc(n ? n : 1, sizeof(*kids));
	for (size_t i = 0; i < n; i++)
		kids[i].value = json_object_array_get_idx(items, i);
	bool ok = append_children(d, doc, st, arr, false, kids, n, title);
	free(kids);
	return ok;
}

bool
wl_fix_remove_member(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *title)
{
	const char *s = src_bytes(doc);
	uint32_t len = (uint32_t)doc->src->len;
	if (doc->toml || !m->key || m->span.end > len || m->key_span.start >= m->span.end)
		return false;
	uint32_t comma = skip_space(s, len, m->span.end);
	if (comma >= len || s[comma] != ',')
		return false;
	uint32_t start = m->key_span.start, end = comma + 1;
	uint32_t ls = start;
	while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
		ls--;
	uint32_t le = end;
	while (le < len && (s[le] == ' ' || s[le] == '\t'))
		le++;
	bool line_start = ls == 0 || s[ls - 1] == '\n' || s[ls - 1] == '\r';
	bool line_end = le == len || s[le] == '\n' || s[le] == '\r';
	if (line_start && line_end) {
		/* Alone on its lines: the lines go, with their break. */
		if (le < len && s[le] == '\r')
			le++;
		if (le < len && s[le] == '\n')
			le++;
		wl_diag_add_edit(d, title, wl_span_make(ls, le), "");
	} else {
		wl_diag_add_edit(d, title, wl_span_make(start, le), "");
	}
	return true;
}

bool
wl_fix_rename_key(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *key,
                  const char *title)
{
	/* A TOML key may be bare or dotted: the span is not a JSON string. */
	if (doc->toml || !m->key || m->key_span.end <= m->key_span.start ||
	    m->key_span.end > doc->src->len || src_bytes(doc)[m->key_span.start] != '"' ||
	    (m->parent && wl_node_get(m->parent, key)))
		return false;
	struct json_object *v = json_object_new_string(key);
	wl_diag_add_edit(d, title, m->key_span,
	                 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(v);
	return true;
}

void
wl_fix_replace_string(wl_diag *d, const wl_node *n, const char *text, const char *title)
{
	struct json_object *v = json_object_new_string(text);
	wl_diag_add_edit(d, title, n->span,
	                 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(v);
}

/* ---- migrations ---- */

static bool
tag_used(const wl_node *list, const char *tag)
{
	if (!list)
		return false;
	for (const wl_node *s = list->first_child; s; s = s->next) {
		const char *t = wl_node_str(wl_node_get(s, "tag"));
		if (t && strcmp(t, tag) == 0)
			return true;
	}
	return false;
}

char *
wl_fix_next_tag(const wl_node *list)
{
	const char *last = NULL;
	size_t steps = 0;
	if (wl_node_is(list, json_type_array))
		for (const wl_node *s = list->first_child; s; s = s->next, steps++) {
			const char *t = wl_node_str(wl_node_get(s, "tag"));
			if (t && *t)
				last = t;
		}
	else
		list = NULL;
	/* The last tag's pattern: a prefix and a number ("v2", "migration-0003"). */
	char *prefix = wl_xstrdup("v");
	unsigned long long next = steps + 1;
	int width = 0;
	if (last) {
		size_t n = strlen(last), k = n;
		while (k > 0 && last[k - 1] >= '0' && last[k - 1] <= '9')
			k--;
		if (k < n && n - k <= 18) {
			free(prefix);
			prefix = wl_xstrndup(last, k);
			next = strtoull(last + k, NULL, 10) + 1;
			if (last[k] == '0' && n - k > 1)
				width = (int)(n - k);
		} else {
			/* "initial", "add-chat": no number to follow; continue with
			 * the step count after a dash. */
			free(prefix);
			prefix = wl_xasprintf("%s-", last);
			next = steps + 1;
		}
	}
	char *tag = NULL;
	for (;; next++) {
		free(tag);
		tag = wl_xasprintf("%s%0*llu", prefix, width, next);
		if (!tag_used(list, tag))
			break;
	}
	free(prefix);
	return tag;
}

bool
wl_fix_add_migration_step(wl_diag *d, const wl_doc *doc, const wl_text_style *st,
                          const wl_node *owner, const wl_node *list, const char *const *classes,
                          size_t n, const char *title)
{
	if (!n)
		return false;
	char *tag = wl_fix_next_tag(list);
	struct json_object *step = json_object_new_object();
	json_object_object_add(step, "tag", json_object_new_string(tag));
	struct json_object *names = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(names, json_object_new_string(classes[i]));
	json_object_object_add(step, "new_sqlite_classes", names);
	bool ok;
	if (wl_node_is(list, json_type_array)) {
		ok = wl_fix_append(d, doc, st, list, NULL, step, title);
	} else if (!list && wl_node_is(owner, json_type_object)) {
		struct json_object *arr = json_object_new_array();
		json_object_array_add(arr, json_object_get(step));
		ok = wl_fix_append(d, doc, st, owner, "migrations", arr, title);
		json_object_put(arr);
	} else {
		ok = false;
	}
	json_object_put(step);
	free(tag);
	return ok;
}

bool
wl_fix_one_edit_apart(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na + 1 < nb || nb + 1 < na || strcmp(a, b) == 0)
		return false;
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (na == nb) {
		/* One substitution, or two neighbours swapped. */
		if (strcmp(a + i + 1, b + i + 1) == 0)
			return true;
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       strcmp(a + i + 2, b + i + 2) == 0;
	}
	/* One insertion or deletion at the first difference. */
	return na > nb ? strcmp(a + i + 1, b + i) == 0 : strcmp(a + i, b + i + 1) == 0;
}
