#define _DEFAULT_SOURCE /* getrandom */
#include "strmap.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include "xalloc.h"

/* Keys come from untrusted files: an unkeyed hash lets a crafted config pick
 * colliding keys and make every probe sequence quadratic. SipHash-1-3 with a
 * per-process random key (read once, from getrandom) makes collisions
 * unpredictable. The map's iteration order is never rendered, so the random
 * key cannot change any output. */
static uint64_t sip_k0, sip_k1;
static pthread_once_t sip_once = PTHREAD_ONCE_INIT;

static void
sip_seed(void)
{
	uint64_t k[2] = {0x736f6d6570736575ULL, 0x646f72616e646f6dULL};
	unsigned char *p = (unsigned char *)k;
	size_t got = 0;
	while (got < sizeof(k)) {
		ssize_t r = getrandom(p + got, sizeof(k) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break; /* no entropy source: keep the fixed key, still correct */
		}
		got += (size_t)r;
	}
	sip_k0 = k[0];
	sip_k1 = k[1];
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

/* SipHash-1-3 of `len` bytes: one compression round per word, three
 * finalisation rounds. */
static uint64_t
siphash13(const unsigned char *in, size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ sip_k0, v1 = 0x646f72616e646f6dULL ^ sip_k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ sip_k0, v3 = 0x7465646279746573ULL ^ sip_k1;
	size_t whole = len - len % 8;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = 0;
		for (int b = 7; b >= 0; b--)
			m = (m << 8) | in[i + (size_t)b];
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	for (size_t i = whole; i < len; i++)
		last |= (uint64_t)in[i] << (8 * (i - whole));
	v3 ^= last;
	SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static size_t
hash_str(const char *s, size_t *len)
{
	pthread_once(&sip_once, sip_seed);
	*len = strlen(s);
	return (size_t)siphash13((const unsigned char *)s, *len);
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
