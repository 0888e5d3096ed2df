#include "pages.h"

#include <string.h>

const wl_rule_page *
wl_rule_page_find(const char *id)
{
	size_t lo = 0, hi = wl_rule_pages_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, wl_rule_pages[mid].id);
		if (c == 0)
			return &wl_rule_pages[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
