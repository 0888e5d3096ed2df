#include "uri.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static int
hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n); NULL when a %00 would cut the string short. A
 * malformed escape is kept as it is, as editors do. */
static char *
decode(const char *s, size_t n)
{
	char *out = wl_xmalloc(n + 1), *w = out;
	for (size_t i = 0; i < n; i++) {
		int a, b;
		if (s[i] == '%' && i + 2 < n && (a = hex(s[i + 1])) >= 0 &&
		    (b = hex(s[i + 2])) >= 0) {
			char c = (char)(a * 16 + b);
			if (c == '\0') {
				free(out);
				return NULL;
			}
			*w++ = c;
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return out;
}

char *
wl_lsp_uri_to_path(const char *uri)
{
	if (strncmp(uri, "file:/", 6) == 0 && uri[6] != '/') /* "file:/x": no authority */
		return decode(uri + 5, strcspn(uri + 5, "?#"));
	if (strncmp(uri, "file://", 7) != 0)
		return NULL;
	const char *p = uri + 7;
	const char *slash = strchr(p, '/');
	if (!slash)
		return NULL;
	size_t host = (size_t)(slash - p);
	if (host && !(host == 9 && strncmp(p, "localhost", 9) == 0))
		return NULL;
	size_t n = strcspn(slash, "?#");
	return decode(slash, n);
}

char *
wl_lsp_uri_basename(const char *uri)
{
	size_t n = strcspn(uri, "?#");
	size_t i = n;
	while (i > 0 && uri[i - 1] != '/' && uri[i - 1] != ':')
		i--;
	char *name = decode(uri + i, n - i);
	return name ? name : wl_xstrdup("");
}

static bool
plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

char *
wl_lsp_uri_from_path(const char *path)
{
	char *abs = NULL;
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		abs = wl_xasprintf("%s/%s", cwd ? cwd : "", path);
		free(cwd);
		path = abs;
	}
	size_t n = strlen(path);
	char *out = wl_xmalloc(7 + 3 * n + 1), *w = out;
	memcpy(w, "file://", 7);
	w += 7;
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (plain(c)) {
			*w++ = (char)c;
		} else {
			*w++ = '%';
			*w++ = digits[c >> 4];
			*w++ = digits[c & 15];
		}
	}
	*w = '\0';
	free(abs);
	return out;
}
