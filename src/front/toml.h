/* The TOML front end: a TOML 1.0.0 parser (as strict as wrangler's
 * smol-toml) that builds the same wl_doc the JSONC front end builds: the
 * json-c tree plus a wl_node with spans for every key and value, children in
 * source order, and every `#` comment in doc->comments.
 *
 * TOML-specific facts: a table created only by a header has the header's
 * span; a table created by a dotted key has that key segment's span; a
 * date/time value is a node flagged WL_NODE_DATETIME (an empty json-c object,
 * as wrangler sees a JavaScript Date; the text as written in `str`). The
 * headers and which keys were written under which header are recorded in
 * doc->toml for the TOML-only rules.
 *
 * Every problem is reported (toml-syntax, and jsonc-nesting-too-deep past
 * WL_MAX_DEPTH), with recovery at the next line; parsing always returns a
 * document, possibly partial. Time and memory are linear in the input. */
#ifndef WL_TOML_H
#define WL_TOML_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "doc.h"

/* Headers and keys live in the document's arena, linked in source order
 * (no arrays to grow and copy: big files stay at one pass over memory). */
typedef struct wl_toml_header wl_toml_header;
struct wl_toml_header {
	const wl_toml_header *next;
	wl_span span;            /* the whole header, brackets included */
	wl_span key_span;        /* the dotted key inside the brackets */
	const wl_node *table;    /* the table (or array element) it opens; NULL if invalid */
	const char *const *segs; /* the key's segments (arena), n_segs of them */
	uint32_t n_segs;
	bool array;    /* [[...]] */
	bool indented; /* whitespace before it on its line */
};

typedef struct wl_toml_key wl_toml_key;
struct wl_toml_key {
	const wl_toml_key *next;
	/* The member the key/value line defined in its section's table: for
	 * `a.b = 1` the node of `a`. */
	const wl_node *node;
	const wl_toml_header *header; /* the header above it; NULL above the first */
};

typedef struct wl_toml_info {
	const wl_toml_header *headers; /* the first; then ->next, in source order */
	size_t n_headers;
	const wl_toml_key *keys; /* every key/value line outside inline tables */
	size_t n_keys;
	/* taplo's `#:schema PATH` directive: a detached string node whose span
	 * and str are the path; it counts as "$schema". NULL when absent. */
	const wl_node *schema;
} wl_toml_info;

/* Parses `src` as TOML, taking ownership of it (freed with the document).
 * Returns an owned document with doc->toml set; free with wl_doc_free. */
wl_doc *wl_toml_parse(wl_source *src, wl_diag_list *diags);

/* True when the path names a .toml file (case-insensitive). */
bool wl_path_is_toml(const char *path);

#endif
