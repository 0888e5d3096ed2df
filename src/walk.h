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

/* Matches `path` (relative, '/'-separated) against `pattern`: `*` and `?`
 * stay within one path segment, `**` spans segments, and a pattern without
 * '/' matches a name in any segment (as .gitignore does). */
bool wl_glob_match(const char *pattern, const char *path);

/* Appends to `out` every wrangler.json / wrangler.jsonc below `dir`, shown
 * as `dir`/relative/path, in sorted order. node_modules and .git are
 * skipped, as is every file or folder whose path relative to `ignore_base`
 * matches one of `ignore` (none when ignore_base is NULL). Symbolic links to
 * folders are followed once: a folder already visited is not entered again.
 * Unreadable folders are skipped silently. */
void wl_walk(const char *dir, const char *ignore_base, char *const *ignore, size_t n_ignore,
             wl_strlist *out);

#endif
