/* Did-you-mean suggestions for misspelt keys. */
#ifndef WL_SUGGEST_H
#define WL_SUGGEST_H

#include <stddef.h>

/* The candidate (from a NULL-terminated list) closest to `word` by optimal
 * string alignment distance, if close enough to be a likely typo, else NULL.
 * A few known confusions (e.g. "classes_with_sqlite") are mapped directly.
 * The result is borrowed from `candidates` or from static storage. */
const char *wl_suggest(const char *word, const char *const *candidates);

/* Optimal string alignment (restricted Damerau-Levenshtein) distance,
 * giving up and returning `limit` + 1 once it exceeds `limit`. */
size_t wl_edit_distance(const char *a, const char *b, size_t limit);

#endif
