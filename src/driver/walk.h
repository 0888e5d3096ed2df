/* Finding configs under a directory, and the glob syntax of `ignore`. */
#ifndef WL_WALK_H
#define WL_WALK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wl_strlist {
	char **items; /* owned strings */
	size_t len, cap;
} wl_strlist;

void wl_strlist_push(wl_strlist *l, char *owned);
void wl_strlist_sort(wl_strlist *l);
void wl_strlist_free(wl_strlist *l);

/* Matches `path` (relative, '/'-separated; `is_dir` when it names a
 * folder) against an ignore glob, as .gitignore does: `*` and `?` stay
 * within one path segment, `**` spans segments, a pattern without '/'
 * matches a name in any segment, a leading "./" or "/" is dropped (the
 * pattern is relative to the project file's folder either way), a trailing
 * '/' matches folders only, and a pattern that matches a folder matches
 * everything below it. */
bool wl_glob_match(const char *pattern, const char *path, bool is_dir);

/* Appends to `out` every wrangler.json / wrangler.jsonc below `dir`, shown
 * as `dir`/relative/path, in sorted order. node_modules and .git are
 * skipped, as is every file or folder whose path relative to `ignore_base`
 * matches one of `ignore` (none when ignore_base is NULL). Symbolic links to
 * folders are followed once: a folder already visited is not entered again.
 * What the walk could not do goes to `report`, which the caller owns (free
 * with wl_walk_report_free; it may be filled by several walks). */
typedef struct wl_walk_report {
	wl_strlist unreadable; /* folders (or entries) that could not be read */
	wl_strlist reasons;    /* why, one per unreadable path (strerror's text) */
	size_t ignored;        /* configs excluded by `ignore` (counted only when the walk
	                        * found none, inside ignored folders too) */
} wl_walk_report;

void wl_walk(const char *dir, const char *ignore_base, char *const *ignore, size_t n_ignore,
             wl_strlist *out, wl_walk_report *report);
void wl_walk_report_free(wl_walk_report *report);

#endif
