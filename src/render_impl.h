/* Private to the render modules: the renderer object, the per-format
 * operations and the helpers the formats share. Nothing outside
 * render*.c includes this header. */
#ifndef WL_RENDER_IMPL_H
#define WL_RENDER_IMPL_H

#include <stddef.h>
#include <stdio.h>

#include "render.h"

typedef struct wl_render_ops {
	/* Allocates r->state (may leave it NULL). */
	void (*begin)(wl_renderer *r);
	void (*file)(wl_renderer *r, wl_source *src, const wl_diag_list *diags);
	/* Writes what is left and frees r->state; the dispatcher frees r. */
	void (*finish)(wl_renderer *r, const wl_summary *summary);
} wl_render_ops;

struct wl_renderer {
	const wl_render_ops *ops;
	FILE *out; /* borrowed */
	wl_render_options opts;
	wl_summary tally; /* counted here; used when finish gets no summary */
	void *state;      /* owned by the format */
	/* --fix/--diff counts (wl_renderer_set_fixes); text and json show them */
	bool fixing;
	size_t fixes, fixed_files;
};

extern const wl_render_ops wl_render_text_ops;
extern const wl_render_ops wl_render_json_ops;
extern const wl_render_ops wl_render_gcc_ops;
extern const wl_render_ops wl_render_sarif_ops;
extern const wl_render_ops wl_render_github_ops;

/* The file a diagnostic (or related note) is in: its own source, else the
 * file being rendered. */
static inline wl_source *
wl_render_src(wl_source *own, wl_source *file)
{
	return own ? own : file;
}

/* How many of a list's stored diagnostics are shown under the options. */
size_t wl_render_shown(const wl_render_options *opts, const wl_diag_list *diags);

/* How the user's bytes are shown: a code point printed as is, a tab, or
 * bytes printed as \xHH because a terminal would act on them. */
typedef enum wl_unit_kind {
	WL_UNIT_PLAIN,
	WL_UNIT_TAB,
	WL_UNIT_ESCAPED,
} wl_unit_kind;

/* Classifies the unit at p (avail > 0 bytes) and returns its length in bytes. */
size_t wl_render_unit(const unsigned char *p, size_t avail, wl_unit_kind *kind);
/* Writes n bytes of user text with control characters and invalid UTF-8
 * escaped as \xHH (tabs kept). */
void wl_render_escaped(FILE *out, const char *s, size_t n);

struct json_object;
/* A new json-c string holding `s` made valid UTF-8: each byte that is not
 * part of a valid sequence becomes U+FFFD (the json and sarif formats). */
struct json_object *wl_render_json_string(const char *s);

#endif
