/* Private to the render modules: the renderer object, the per-format
 * operations and the helpers the formats share. Nothing outside
 * render*.c includes this header. */
#ifndef WL_RENDER_IMPL_H
#define WL_RENDER_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "render.h"

typedef struct wl_render_ops {
	/* Allocates r->state (may leave it NULL). */
	void (*begin)(wl_renderer *r);
	void (*file)(wl_renderer *r, wl_source *src, const wl_diag_list *diags);
	/* Writes what is left and frees r->state; the dispatcher frees r. */
	void (*finish)(wl_renderer *r, const wl_summary *summary);
	/* A file that could not be read; NULL when the format leaves it to
	 * the caller's message on stderr. */
	void (*unreadable)(wl_renderer *r, const char *path, const char *reason);
} wl_render_ops;

/* Column counts of one source, for positions on very long lines: blocks[k]
 * is the number of code points in the first k * WL_RENDER_BLOCK bytes. */
typedef struct wl_render_cols {
	const wl_source *src; /* borrowed; NULL when the slot is free */
	uint32_t *blocks;     /* owned, built on first need */
	size_t n_blocks;
} wl_render_cols;

#define WL_RENDER_COL_SLOTS 4

struct wl_renderer {
	const wl_render_ops *ops;
	FILE *out; /* borrowed */
	wl_render_options opts;
	wl_summary tally; /* counted here; used when finish gets no summary */
	void *state;      /* owned by the format */
	/* --fix/--diff counts (wl_renderer_set_fixes); text and json show them */
	bool fixing;
	size_t fixes, fixed_files;
	/* Valid during one wl_renderer_file call: sources are only borrowed. */
	wl_render_cols cols[WL_RENDER_COL_SLOTS];
	unsigned cols_next;
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
/* What wl_source_position returns, in time bounded by a few KiB of
 * scanning however long the line is; *line_start (may be NULL) gets the
 * byte offset where the line's text starts (after a BOM). */
wl_position wl_render_position(wl_renderer *r, wl_source *src, uint32_t offset,
                               uint32_t *line_start);

/* A message as the line formats show it: a quoted ("..." or `...`) value
 * longer than WL_RENDER_QUOTE_MAX code points is cut to its first
 * WL_RENDER_QUOTE_KEEP followed by "…", and the whole message to
 * WL_RENDER_MESSAGE_MAX code points, so a 20 MB key gives a short line.
 * Returns an owned string; free with free(). */
#define WL_RENDER_QUOTE_MAX   64
#define WL_RENDER_QUOTE_KEEP  48
#define WL_RENDER_MESSAGE_MAX 1000
char *wl_render_shorten(const char *msg);

/* Writes n bytes of user text with control characters and invalid UTF-8
 * escaped as \xHH (tabs kept). */
void wl_render_escaped(FILE *out, const char *s, size_t n);

struct json_object;
/* A new json-c string holding `s` made valid UTF-8: each byte that is not
 * part of a valid sequence becomes U+FFFD (the json and sarif formats). */
struct json_object *wl_render_json_string(const char *s);

#endif
