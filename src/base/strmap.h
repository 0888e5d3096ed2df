/* wl_strmap: a string-keyed hash map for the checks' indexes (binding names,
 * tags, class states), so no check loops over all other entries.
 * Keys are borrowed (they must outlive the map); values are opaque pointers.
 * Iteration order is unspecified: never render from a map directly. */
#ifndef WL_STRMAP_H
#define WL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct wl_strmap_entry {
	const char *key;
	void *value;
	size_t hash;
	/* Short keys are kept inline too, so a probe compares without
	 * following `key` to wherever it lives (a cache miss per lookup). */
	unsigned char len; /* key length when < sizeof(small), else 255 */
	char small[23];
} wl_strmap_entry;

typedef struct wl_strmap {
	wl_strmap_entry *slots;
	size_t cap, len;
} wl_strmap;

void wl_strmap_init(wl_strmap *m);
void wl_strmap_free(wl_strmap *m);
/* The value for `key`, or NULL. */
void *wl_strmap_get(const wl_strmap *m, const char *key);
/* Sets `key` to `value` (replacing any earlier value). The map does not
 * care about constness: what the caller stores it gets back. */
void wl_strmap_put(wl_strmap *m, const char *key, const void *value);

#endif
