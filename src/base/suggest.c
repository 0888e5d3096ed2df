#include "suggest.h"

#include <string.h>

#include "xalloc.h"

size_t
wl_edit_distance(const char *a, const char *b, size_t limit)
{
	size_t n = strlen(a), m = strlen(b);
	if ((n > m ? n - m : m - n) > limit)
		return limit + 1;
	if (n > 256 || m > 256)
		return limit + 1; /* keys are short; don't spend on hostile ones */
	size_t rows[3][257];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] <= limit ? prev[m] : limit + 1;
}

/* Confusions too far apart for edit distance, seen in real configs. */
static const char *const known[][2] = {
    {"classes_with_sqlite", "new_sqlite_classes"},
    {"sqlite_classes", "new_sqlite_classes"},
    {"new_sqlite", "new_sqlite_classes"},
    {"renamed", "renamed_classes"},
    {"deleted", "deleted_classes"},
    {"transferred", "transferred_classes"},
};

const char *
wl_suggest(const char *word, const char *const *candidates)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(word, known[i][0]) == 0)
			for (const char *const *c = candidates; *c; c++)
				if (strcmp(*c, known[i][1]) == 0)
					return *c;
	size_t len = strlen(word);
	size_t limit = len < 4 ? 1 : len < 8 ? 2 : 3;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (const char *const *c = candidates; *c; c++) {
		size_t clen = strlen(*c);
		if (clen > len + limit || len > clen + limit)
			continue; /* the lengths alone are too far apart */
		size_t d = wl_edit_distance(word, *c, limit);
		if (d < best_d) {
			best_d = d;
			best = *c;
		}
	}
	return best;
}
