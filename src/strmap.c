#include "strmap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* FNV-1a: short keys, no adversary worth a keyed hash here (input size bounds
 * the work, and probing stays linear in the number of entries). */
static size_t
hash_str(const char *s, size_t *len)
{
	size_t h = (size_t)14695981039346656037ULL;
	const char *p = s;
	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= (size_t)1099511628211ULL;
	}
	*len = (size_t)(p - s);
	return h;
}

void
wl_strmap_init(wl_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
wl_strmap_free(wl_strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static bool
entry_matches(const wl_strmap_entry *e, const char *key, size_t len, size_t h)
{
	if (e->hash != h)
		return false;
	if (e->len != 255)
		return e->len == len && memcmp(e->small, key, len) == 0;
	return strcmp(e->key, key) == 0;
}

static wl_strmap_entry *
find_slot(wl_strmap_entry *slots, size_t cap, const char *key, size_t len, size_t h)
{
	size_t i = h & (cap - 1);
	for (;;) {
		wl_strmap_entry *e = &slots[i];
		if (!e->key || entry_matches(e, key, len, h))
			return e;
		i = (i + 1) & (cap - 1);
	}
}

void *
wl_strmap_get(const wl_strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t len;
	size_t h = hash_str(key, &len);
	wl_strmap_entry *e = find_slot(m->slots, m->cap, key, len, h);
	return e->key ? e->value : NULL;
}

void
wl_strmap_put(wl_strmap *m, const char *key, const void *value)
{
	if ((m->len + 1) * 4 > m->cap * 3) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		wl_strmap_entry *ns = wl_xcalloc(ncap, sizeof(*ns));
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slots[i].key)
				continue;
			size_t j = m->slots[i].hash & (ncap - 1);
			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	size_t len;
	size_t h = hash_str(key, &len);
	wl_strmap_entry *e = find_slot(m->slots, m->cap, key, len, h);
	if (!e->key) {
		e->key = key;
		e->hash = h;
		if (len < sizeof(e->small)) {
			e->len = (unsigned char)len;
			memcpy(e->small, key, len);
		} else {
			e->len = 255;
		}
		m->len++;
	}
	e->value = (void *)(uintptr_t)value;
}
