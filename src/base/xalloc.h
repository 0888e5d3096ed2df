/* Allocation helpers that never return NULL.
 *
 * Out of memory is not a recoverable condition for a command-line linter: each
 * wl_x* function prints one line to stderr and aborts when the allocator fails,
 * so callers never check for NULL. Everything returned is owned by the caller
 * and released with free(), except arena memory (see wl_arena). */
#ifndef WL_XALLOC_H
#define WL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#if defined(__GNUC__)
#define WL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WL_PRINTF(fmt, args)
#endif

/* For allocations made by libraries (PCRE2, json-c) that return NULL: prints
 * one line and aborts. */
_Noreturn void wl_oom(void);

void *wl_xmalloc(size_t size);
void *wl_xcalloc(size_t n, size_t size);
void *wl_xrealloc(void *ptr, size_t size);
/* Grows *ptr so it holds at least `need` elements of `elem` bytes; *cap is updated. */
void wl_xgrow(void **ptr, size_t *cap, size_t need, size_t elem);
char *wl_xstrdup(const char *s);
char *wl_xstrndup(const char *s, size_t n);
/* Returns an owned, formatted string; free with free(). */
char *wl_xasprintf(const char *fmt, ...) WL_PRINTF(1, 2);
char *wl_xvasprintf(const char *fmt, va_list ap) WL_PRINTF(1, 0);

/* A bump allocator for many small objects that die together (document nodes,
 * keys), freed all at once by wl_arena_free. An empty arena is all zeros. */
typedef struct wl_arena_chunk wl_arena_chunk;
typedef struct wl_arena {
	wl_arena_chunk *head;
	char *cur;
	size_t left;
	size_t chunk; /* the size of the last chunk; 0 before the first */
} wl_arena;

/* The slow path of wl_arena_take: a new chunk, and size bytes of it. */
void *wl_arena_take_chunk(wl_arena *a, size_t size);

/* size bytes, suitably aligned and not initialised, for callers that write
 * all of them. Inline, so that a node's allocation and zeroing are a few
 * instructions and stores rather than calls (the front end makes one per
 * value; under AddressSanitizer a memset call checks its whole region). */
static inline void *
wl_arena_take(wl_arena *a, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (size > a->left)
		return wl_arena_take_chunk(a, size);
	void *p = a->cur;
	a->cur += size;
	a->left -= size;
	return p;
}

/* size bytes, zeroed. */
static inline void *
wl_arena_alloc(wl_arena *a, size_t size)
{
	return memset(wl_arena_take(a, size), 0, size);
}
/* Copies n bytes into the arena and NUL-terminates them. */
char *wl_arena_strndup(wl_arena *a, const char *s, size_t n);
/* Copies the C string s into the arena. */
char *wl_arena_strdup(wl_arena *a, const char *s);
/* A formatted string in the arena. */
char *wl_arena_vprintf(wl_arena *a, const char *fmt, va_list ap) WL_PRINTF(2, 0);
void wl_arena_free(wl_arena *a);

#endif
