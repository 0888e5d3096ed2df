/* wl_doc: one parsed file. It owns the source, the json-c tree, the span
 * information of every value and key (wl_node), and the comments.
 *
 * The json-c tree is the document model: rules read values with json-c's
 * accessors. Each json-c value carries its wl_node as userdata; JSON null has
 * no json-c object, so wl_node is also the way to reach nulls and positions.
 * Nodes are immutable after parsing and live until wl_doc_free. A document
 * from the front end alone (wl_jsonc_parse_tree) has the nodes and no
 * values. */
#ifndef WL_DOC_H
#define WL_DOC_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "span.h"
#include "xalloc.h"

enum {
	/* An earlier member with the same key; json-c holds only the last one. */
	WL_NODE_SHADOWED = 1 << 0,
	/* A placeholder for a value that could not be parsed. */
	WL_NODE_INVALID = 1 << 1,
	/* A TOML date, time or date-time (toml.c): an empty object, as wrangler
	 * sees a JavaScript Date; `str` holds the text as written. */
	WL_NODE_DATETIME = 1 << 2,
	/* A member whose key an earlier member of its object has (that one is
	 * WL_NODE_SHADOWED): the document stage replaces the earlier value. */
	WL_NODE_REPEATS = 1 << 3,
};

typedef struct wl_node wl_node;
struct wl_node {
	struct json_object *value; /* borrowed from the tree; NULL for null/invalid */
	wl_node *parent;
	wl_node *first_child; /* members or items in source order */
	wl_node *next;
	const char *key;  /* member key (arena); NULL for items and the root */
	const char *str;  /* string values: a copy in the arena, next to the
	                     nodes, so checks read names without touching the
	                     json-c objects again (cache misses); else NULL */
	wl_span span;     /* the value */
	wl_span key_span; /* the key including its quotes; members only */
	uint32_t index;   /* array index, or member ordinal */
	uint32_t n_children;
	uint8_t type; /* enum json_type */
	uint8_t flags;
};

typedef struct wl_doc {
	wl_source *src;                 /* owned */
	struct json_object *root_value; /* owned (one reference) */
	wl_node *root;                  /* NULL when the file holds no value */
	wl_arena arena;                 /* nodes and keys */
	wl_span *comments;              /* owned; every comment, in order */
	size_t n_comments, cap_comments;
	struct json_object **orphans; /* values replaced by duplicate keys, kept alive */
	size_t n_orphans, cap_orphans;
	/* JSONC extensions seen (for jsonc-comment-in-json): count and first offset. */
	size_t n_extensions;
	wl_span first_extension;
	bool syntax_errors; /* the tree may be partial */
	/* TOML files only: headers, keys per header, #:schema (toml.h; arena). */
	const struct wl_toml_info *toml;
} wl_doc;

/* A copy of a decoded string or key in the document's arena. json-c keys
 * and C strings end at NUL, so an escaped \u0000 becomes U+FFFD in the copy:
 * "a\u0000b" and "a\u0000c" stay distinct keys and names. */
char *wl_doc_text(wl_doc *doc, const char *str, size_t len);

/* Frees the document, its source and its tree. */
void wl_doc_free(wl_doc *doc);

/* The node behind a json-c value (NULL for NULL). */
static inline const wl_node *
wl_node_of(struct json_object *v)
{
	return v ? (const wl_node *)json_object_get_userdata(v) : NULL;
}

/* The effective (last) member `key` of an object node; NULL when `obj` is not
 * an object or has no such member. A present null member returns its node. */
const wl_node *wl_node_get(const wl_node *obj, const char *key);
/* The next sibling that is not shadowed by a later duplicate. */
const wl_node *wl_node_next(const wl_node *n);
const wl_node *wl_node_first(const wl_node *n);
#define WL_NODE_FOREACH(child, parent)                                                             \
	for (const wl_node *child = wl_node_first(parent); child; child = wl_node_next(child))

static inline bool
wl_node_is(const wl_node *n, enum json_type t)
{
	return n && n->type == (uint8_t)t && !(n->flags & WL_NODE_INVALID);
}
/* Looks up several members of an object node in one pass: out[i] is the
 * effective member `keys[i]` (NULL when absent or `obj` is not an object). */
void wl_node_fields(const wl_node *obj, const char *const *keys, const wl_node **out, size_t n);
/* The string value, or NULL when the node is not a string. */
const char *wl_node_str(const wl_node *n);
/* "object", "array", "string", "number", "boolean" or "null". */
const char *wl_node_type_name(const wl_node *n);
/* The key's span for members, else the value's span. */
wl_span wl_node_key_or_value_span(const wl_node *n);
/* Checks the tree's invariants (a debugging aid for the fuzzers and tests):
 * every child's parent link and count, spans within the file, a member's
 * key before its value, children inside their parent's span and in source
 * order; and that the json-c values match the nodes (each points back at
 * its node, has its type, holds its children), or that there are none when
 * the document has no values (wl_jsonc_parse_tree). For JSONC documents: a
 * TOML table's key and value spans follow its header, not this order
 * (fuzz/fuzz_toml.c checks TOML trees). Returns NULL when all hold, else a
 * static description of the first violation. Iterative: any depth is fine. */
const char *wl_doc_check(const wl_doc *doc);
/* The RFC 6901 JSON pointer of the node ("" for the root), in `arena` (freed
 * with it; a diagnostic's pointer goes in its list's arena, d->arena).
 * Returns NULL when `arena` is NULL: the scratch entry of a diagnostic list
 * has none, and takes no pointer. */
char *wl_node_pointer(const wl_node *n, wl_arena *arena);

#endif
