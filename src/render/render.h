/* Renderers: diagnostics to text. They know diagnostics, sources and the rule
 * registry, nothing of parsing or checking.
 *
 * The interface streams, file by file, so formats that wrap every file in one
 * document (json, sarif) can do so: wl_renderer_new, then wl_renderer_file for
 * each file in output order, then wl_renderer_finish, which writes what is
 * left and frees the renderer. Output goes to `out`; write errors are left to
 * the caller to detect with ferror(). */
#ifndef WL_RENDER_H
#define WL_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "source.h"

typedef enum wl_format {
	WL_FORMAT_TEXT,
	WL_FORMAT_JSON,
	WL_FORMAT_GCC,
	WL_FORMAT_SARIF,  /* one SARIF 2.1.0 log for the whole run */
	WL_FORMAT_GITHUB, /* GitHub Actions workflow commands (annotations) */
} wl_format;

typedef struct wl_render_options {
	bool color;          /* ANSI colours (text only) */
	size_t max_per_file; /* diagnostics shown per file; 0 = no limit */
} wl_render_options;

typedef struct wl_summary {
	size_t files;
	size_t by_sev[3]; /* indexed by wl_severity, every diagnostic found */
} wl_summary;

typedef struct wl_renderer wl_renderer;

/* Parses "text", "json", "gcc", "sarif", "github"; false when unknown. */
bool wl_format_parse(const char *name, wl_format *out);

/* Returns an owned renderer; it is freed by wl_renderer_finish. */
wl_renderer *wl_renderer_new(wl_format format, FILE *out, const wl_render_options *opts);
/* Renders one file's diagnostics (already sorted). `src` is only read. */
void wl_renderer_file(wl_renderer *r, wl_source *src, const wl_diag_list *diags);
void wl_renderer_finish(wl_renderer *r, const wl_summary *summary);
/* With --fix or --diff: the fixes applied (or that would be) and the files
 * they changed, shown by the text and json formats at finish. */
void wl_renderer_set_fixes(wl_renderer *r, size_t fixes, size_t files);
/* Records a file that could not be read (`reason`, e.g. strerror's text),
 * for the formats that list them in their document (json: a file entry
 * with an "error"; sarif: a tool execution notification, and the
 * invocation is not successful). The text formats write nothing: the
 * caller reports it on stderr. Both strings are copied. */
void wl_renderer_unreadable(wl_renderer *r, const char *path, const char *reason);

/* The project's version string, e.g. "0.1.0". */
const char *wl_version(void);

#endif
