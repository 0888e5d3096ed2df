/* wl_strbuf: a growable, always NUL-terminated string for code that builds
 * text piece by piece (fix edits, unified diffs). Zero-initialise one
 * (wl_strbuf b = {0}); out of memory aborts (xalloc.h). */
#ifndef WL_STRBUF_H
#define WL_STRBUF_H

#include <stddef.h>

typedef struct wl_strbuf {
	char *s; /* NULL until the first addition */
	size_t len, cap;
} wl_strbuf;

/* Appends n bytes of s. */
void wl_strbuf_add(wl_strbuf *b, const char *s, size_t n);
/* Appends the C string s. */
void wl_strbuf_str(wl_strbuf *b, const char *s);
/* The text, owned by the caller (free with free()): "" when nothing was
 * added. The buffer must not be used afterwards. */
char *wl_strbuf_take(wl_strbuf *b);

#endif
