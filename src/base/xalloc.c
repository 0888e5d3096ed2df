#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
die_oom(size_t size)
{
	fprintf(stderr, "wrangler-lint: out of memory (allocating %zu bytes)\n", size);
	abort();
}

_Noreturn void
wl_oom(void)
{
	fprintf(stderr, "wrangler-lint: out of memory\n");
	abort();
}

void *
wl_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		die_oom(size);
	return p;
}

void *
wl_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(n * size);
	return p;
}

void *
wl_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		die_oom(size);
	return p;
}

void
wl_xgrow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			die_oom(SIZE_MAX);
		ncap *= 2;
	}
	*ptr = wl_xrealloc(*ptr, ncap * elem);
	*cap = ncap;
}

char *
wl_xstrdup(const char *s)
{
	return wl_xstrndup(s, strlen(s));
}

char *
wl_xstrndup(const char *s, size_t n)
{
	char *p = wl_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Most messages fit: they are formatted once, into the stack, then copied. */
enum { FORMAT_SMALL = 512 };

/* Formats into small (FORMAT_SMALL bytes) and returns the whole text's
 * length: when that is FORMAT_SMALL or more the text did not fit, and the
 * caller formats again into a buffer of that length + 1. (The NULL test
 * also keeps GCC's -Wformat-truncation quiet under -fsanitize=undefined.) */
static size_t format_small(char *small, const char *fmt, va_list ap) WL_PRINTF(2, 0);

static size_t
format_small(char *small, const char *fmt, va_list ap)
{
	if (!fmt)
		abort();
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, FORMAT_SMALL, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		small[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

char *
wl_xvasprintf(const char *fmt, va_list ap)
{
	char small[FORMAT_SMALL];
	size_t n = format_small(small, fmt, ap);
	char *p = wl_xmalloc(n + 1);
	if (n < FORMAT_SMALL)
		memcpy(p, small, n + 1);
	else
		vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *
wl_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = wl_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

struct wl_arena_chunk {
	wl_arena_chunk *next;
	max_align_t data[];
};

enum { ARENA_FIRST_CHUNK = 4 * 1024, ARENA_CHUNK = 64 * 1024 };

void *
wl_arena_take_chunk(wl_arena *a, size_t size)
{
	/* Small first chunks, doubling: a 2 KB config should not pay for 64 KB
	 * it never uses. Not zeroed: the newest is mostly unused, and zeroing
	 * whole chunks was 5 % of the front end's instructions on small files. */
	a->chunk = a->chunk ? a->chunk * 2 : ARENA_FIRST_CHUNK;
	if (a->chunk > ARENA_CHUNK)
		a->chunk = ARENA_CHUNK;
	size_t cap = size > a->chunk ? size : a->chunk;
	wl_arena_chunk *c = wl_xmalloc(sizeof(*c) + cap);
	c->next = a->head;
	a->head = c;
	a->cur = (char *)c->data + size;
	a->left = cap - size;
	return c->data;
}

char *
wl_arena_strndup(wl_arena *a, const char *s, size_t n)
{
	char *p = wl_arena_take(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
wl_arena_strdup(wl_arena *a, const char *s)
{
	return wl_arena_strndup(a, s, strlen(s));
}

char *
wl_arena_vprintf(wl_arena *a, const char *fmt, va_list ap)
{
	if (fmt && !strchr(fmt, '%')) /* "object opened here": its own text */
		return wl_arena_strdup(a, fmt);
	char small[FORMAT_SMALL];
	size_t n = format_small(small, fmt, ap);
	if (n < FORMAT_SMALL)
		return wl_arena_strndup(a, small, n);
	char *p = wl_arena_take(a, n + 1);
	vsnprintf(p, n + 1, fmt, ap);
	return p;
}

void
wl_arena_free(wl_arena *a)
{
	wl_arena_chunk *c = a->head;
	while (c) {
		wl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->cur = NULL;
	a->left = 0;
}
