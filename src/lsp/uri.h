/* file: URIs to paths and back (RFC 8089, as editors write them). */
#ifndef WL_LSP_URI_H
#define WL_LSP_URI_H

#include <stdbool.h>

/* The local path of a file URI ("file:///a%20b/c" -> "/a b/c"; a host other
 * than "localhost" or empty is not local). Returns an owned string, or NULL
 * when the URI is not a local file URI or decodes to a NUL byte. */
char *wl_lsp_uri_to_path(const char *uri);
/* The last segment of a URI's path, percent-decoded (for any scheme, so an
 * unsaved buffer is still recognised by its name). Owned; "" when none. */
char *wl_lsp_uri_basename(const char *uri);
/* A file URI for an absolute path, bytes outside RFC 3986's unreserved set
 * and "/" percent-encoded. A relative path is made absolute against the
 * current folder. Owned. */
char *wl_lsp_uri_from_path(const char *path);

#endif
