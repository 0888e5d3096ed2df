#include "strbuf.h"

#include <string.h>

#include "xalloc.h"

void
wl_strbuf_add(wl_strbuf *b, const char *s, size_t n)
{
	wl_xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
wl_strbuf_str(wl_strbuf *b, const char *s)
{
	wl_strbuf_add(b, s, strlen(s));
}

char *
wl_strbuf_take(wl_strbuf *b)
{
	return b->s ? b->s : wl_xstrdup("");
}
