#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* FNV-1a: short keys, no adversary worth a keyed hash here (input size bounds
 * the work, and probing stays linear in the number of entries). */
static size_t
hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= (size_t)1099511628211ULL;
	}
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

static wl_strmap_entry *
find_slot(wl_strmap_entry *slots, size_t cap, const char *key, size_t h)
{
	size_t i = h & (cap - 1);
	for (;;) {
		wl_strmap_entry *e = &slots[i];
		if (!e->key || (e->hash == h && strcmp(e->key, key) == 0))
			return e;
		i = (i + 1) & (cap - 1);
	}
}

void *
wl_strmap_get(const wl_strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	wl_strmap_entry *e = find_slot(m->slots, m->cap, key, hash_str(key));
	return e->key ? e->value : NULL;
}

void
wl_strmap_put(wl_strmap *m, const char *key, const void *value)
{
	if ((m->len + 1) * 4 > m->cap * 3) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		wl_strmap_entry *ns = wl_xcalloc(ncap, sizeof(*ns));
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key)
				*find_slot(ns, ncap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	size_t h = hash_str(key);
	wl_strmap_entry *e = find_slot(m->slots, m->cap, key, h);
	if (!e->key) {
		e->key = key;
		e->hash = h;
		m->len++;
	}
	e->value = (void *)(uintptr_t)value;
}
