#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strmap.h"
#include "xalloc.h"

void
wl_strlist_push(wl_strlist *l, char *owned)
{
	wl_xgrow((void **)&l->items, &l->cap, l->len + 1, sizeof(*l->items));
	l->items[l->len++] = owned;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
wl_strlist_sort(wl_strlist *l)
{
	if (l->len > 1)
		qsort(l->items, l->len, sizeof(*l->items), str_cmp);
}

void
wl_strlist_free(wl_strlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

/* Iterative-enough matcher: `**` recursion is bounded by the path length. */
static bool
match_here(const char *p, const char *s)
{
	for (;;) {
		if (*p == '\0')
			return *s == '\0';
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			if (*p == '/') {
				/* "**\/" matches zero or more whole segments. */
				p++;
				for (const char *t = s;; t++) {
					if ((t == s || t[-1] == '/') && match_here(p, t))
						return true;
					if (!*t)
						return false;
				}
			}
			for (const char *t = s;; t++) {
				if (match_here(p, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (match_here(p, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (*s == '\0')
			return false;
		if (*p == '?' ? *s == '/' : *p != *s)
			return false;
		p++;
		s++;
	}
}

/* The last segment of path[0, n). */
static const char *
last_segment(const char *path, size_t n)
{
	const char *seg = path;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			seg = path + i + 1;
	return seg;
}

bool
wl_glob_match(const char *pattern, const char *path, bool is_dir)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (pattern[0] == '/')
		pattern++;
	size_t plen = strlen(pattern);
	bool dir_only = false;
	while (plen && pattern[plen - 1] == '/') {
		plen--;
		dir_only = true;
	}
	if (plen == 0)
		return false;
	char *pat = wl_xstrndup(pattern, plen);
	bool anchored = strchr(pat, '/') != NULL;
	bool hit = false;
	/* Each leading folder of the path, then the path itself: what matches a
	 * folder covers everything in it. */
	size_t n = strlen(path);
	for (size_t end = 0; end <= n && !hit; end++) {
		if (end < n && path[end] != '/')
			continue;
		if (end == 0)
			continue;
		bool a_dir = end < n || is_dir;
		if (dir_only && !a_dir)
			continue;
		const char *from = anchored ? path : last_segment(path, end);
		char *prefix = wl_xstrndup(from, (size_t)(path + end - from));
		hit = match_here(pat, prefix);
		free(prefix);
	}
	free(pat);
	return hit;
}

typedef struct walker {
	char *base_real; /* realpath of ignore_base, or NULL */
	size_t base_len;
	char *const *ignore;
	size_t n_ignore;
	wl_strmap seen; /* "dev:ino" of folders entered */
	wl_strlist seen_keys;
	wl_strlist *out;
	wl_walk_report *report;
	wl_strlist ignored_dirs; /* entered only to count, when nothing was found */
	size_t ignored_files;
	bool counting; /* inside an ignored folder: configs are counted, not kept */
} walker;

static bool
ignored(const walker *w, const char *path, bool is_dir)
{
	if (!w->base_real || !w->n_ignore)
		return false;
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	bool hit = false;
	if (strncmp(real, w->base_real, w->base_len) == 0 && real[w->base_len] == '/') {
		const char *rel = real + w->base_len + 1;
		for (size_t i = 0; i < w->n_ignore && !hit; i++)
			hit = wl_glob_match(w->ignore[i], rel, is_dir);
	}
	free(real);
	return hit;
}

static void
unreadable(walker *w, const char *path, int err)
{
	wl_strlist_push(&w->report->unreadable, wl_xstrdup(path));
	wl_strlist_push(&w->report->reasons, wl_xstrdup(strerror(err)));
}

static void
walk_dir(walker *w, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	char *key =
	    wl_xasprintf("%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	if (wl_strmap_get(&w->seen, key)) {
		free(key);
		return; /* a symlink loop, or a folder reached twice */
	}
	wl_strmap_put(&w->seen, key, key);
	wl_strlist_push(&w->seen_keys, key);
	DIR *d = opendir(dir);
	if (!d) {
		if (!w->counting)
			unreadable(w, dir, errno);
		return;
	}
	wl_strlist subdirs = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    strcmp(name, "node_modules") == 0 || strcmp(name, ".git") == 0)
			continue;
		/* "." adds no "./" prefix: CI annotations match paths as the
		 * repository names them. */
		size_t n = strlen(dir);
		char *path = strcmp(dir, ".") == 0 || strcmp(dir, "./") == 0 ? wl_xstrdup(name)
		             : n && dir[n - 1] == '/' ? wl_xasprintf("%s%s", dir, name)
		                                      : wl_xasprintf("%s/%s", dir, name);
		if (stat(path, &st) != 0) {
			/* A dangling link or a link loop is not a config; a name
			 * we may not look at might be one. */
			if (errno == EACCES && !w->counting)
				unreadable(w, path, errno);
			free(path);
			continue;
		}
		bool config = S_ISREG(st.st_mode) && (strcmp(name, "wrangler.json") == 0 ||
		                                      strcmp(name, "wrangler.jsonc") == 0 ||
		                                      strcmp(name, "wrangler.toml") == 0);
		if (S_ISDIR(st.st_mode)) {
			if (!w->counting && ignored(w, path, true))
				wl_strlist_push(&w->ignored_dirs, path);
			else
				wl_strlist_push(&subdirs, path);
		} else if (config && w->counting) {
			w->ignored_files++;
			free(path);
		} else if (config && ignored(w, path, false)) {
			w->ignored_files++;
			free(path);
		} else if (config) {
			wl_strlist_push(w->out, path);
		} else {
			free(path);
		}
	}
	closedir(d);
	/* Sorted, so that which of two links to one folder is entered is stable. */
	wl_strlist_sort(&subdirs);
	for (size_t i = 0; i < subdirs.len; i++)
		walk_dir(w, subdirs.items[i]);
	wl_strlist_free(&subdirs);
}

void
wl_walk_report_free(wl_walk_report *report)
{
	wl_strlist_free(&report->unreadable);
	wl_strlist_free(&report->reasons);
	report->ignored = 0;
}

void
wl_walk(const char *dir, const char *ignore_base, char *const *ignore, size_t n_ignore,
        wl_strlist *out, wl_walk_report *report)
{
	walker w = {0};
	w.base_real = ignore_base ? realpath(ignore_base, NULL) : NULL;
	w.base_len = w.base_real ? strlen(w.base_real) : 0;
	w.ignore = ignore;
	w.n_ignore = n_ignore;
	w.out = out;
	w.report = report;
	wl_strmap_init(&w.seen);
	size_t first = out->len;
	walk_dir(&w, dir);
	/* Only when nothing is left: were there configs the globs excluded? */
	if (out->len == first) {
		w.counting = true;
		for (size_t i = 0; i < w.ignored_dirs.len; i++)
			walk_dir(&w, w.ignored_dirs.items[i]);
		report->ignored += w.ignored_files;
	}
	wl_strlist_free(&w.ignored_dirs);
	/* Sort just what this walk found. */
	wl_strlist found = {out->items + first, out->len - first, out->len - first};
	wl_strlist_sort(&found);
	wl_strmap_free(&w.seen);
	wl_strlist_free(&w.seen_keys);
	free(w.base_real);
}
