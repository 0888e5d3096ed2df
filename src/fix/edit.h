/* Making fixes: the helpers that fix generators (the rule families, the
 * front end) use to attach edits to a diagnostic that read as if a person
 * wrote them (the file's indentation, line endings and trailing commas;
 * values formatted as JSON text; migration tags following the list's own
 * pattern). Applying them is fix.h's. Nothing here reads files or lints. */
#ifndef WL_EDIT_H
#define WL_EDIT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "doc.h"

/* Fix generators copy at most this many values (bindings, classes) into one
 * fix: past it a person should look, and the work per file stays bounded. */
#define WL_FIX_MAX_COPIED 64

/* How a file is written, as detected from its text. */
typedef struct wl_text_style {
	char indent[17];     /* one level: "\t" or 1..16 spaces */
	const char *eol;     /* "\n" or "\r\n" (static) */
	bool trailing_comma; /* multi-line objects and arrays end with a comma */
} wl_text_style;

/* Detects the style of `doc` (tabs or N spaces by the most common step
 * between indented lines; CR LF when most line breaks are; trailing commas
 * when most multi-line containers have one). Defaults: tab, LF, none. */
void wl_text_style_detect(const wl_doc *doc, wl_text_style *out);

/* The style detected on first use, for a check that makes several fixes. */
typedef struct wl_text_style_cache {
	bool ready;
	wl_text_style st;
} wl_text_style_cache;
const wl_text_style *wl_text_style_get(const wl_doc *doc, wl_text_style_cache *c);

/* Formats `v` (a json-c value; NULL is null) as JSON text for a value whose
 * first line is indented by `base` (whitespace): objects one member per
 * line, each nesting level one st->indent deeper (or all on one line, "{
 * \"a\": 1 }", when `inline_objects`), arrays of scalars on one line when
 * short, strings escaped; scalars that came from the parsed document keep
 * their source text (numbers stay as written), and so do objects and
 * arrays from it that were written on one line. Returns an owned string (free
 * with free()). */
char *wl_fix_format_value(const wl_doc *doc, const wl_text_style *st, struct json_object *v,
                          const char *base, bool inline_objects);

/* The leading whitespace of the line `offset` is on (owned, free with
 * free()). */
char *wl_fix_line_indent(const wl_doc *doc, uint32_t offset);

/* Adds to `d` the edits that append a new last member (`key`, unquoted;
 * `value` a json-c value as for wl_fix_format_value) to the object node
 * `obj`, or, with key NULL, a new last item to the array node `obj`: one
 * per line in a multi-line container (after any comment on the last
 * member's line), inline in a one-line one, with the comma the previous
 * member needs and a trailing comma when the container (or, for an empty
 * one, the file) has the habit. False (and no edit) when the container's
 * text is not safe to edit (a syntax error inside it) or the file is TOML. */
bool wl_fix_append(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *obj,
                   const char *key, struct json_object *value, const char *title);

/* Same for several new last items of the array node `arr`: the items of the
 * json-c array `items`, in order. */
bool wl_fix_append_items(wl_diag *d, const wl_doc *doc, const wl_text_style *st, const wl_node *arr,
                         struct json_object *items, const char *title);

/* Adds to `d` the edit that removes the object member `m` and the comma after
 * it (the whole line when it is alone on its lines). False when `m` is not
 * followed by a comma (the last member). */
bool wl_fix_remove_member(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *title);

/* Adds to `d` the edit that renames the member `m` to `key`. False (no edit)
 * when its object already has that key (the rename would make a duplicate)
 * or the file is TOML. */
bool wl_fix_rename_key(wl_diag *d, const wl_doc *doc, const wl_node *m, const char *key,
                       const char *title);

/* Adds to `d` the edit that replaces the string node `n` by the JSON string
 * `text`. */
void wl_fix_replace_string(wl_diag *d, const wl_node *n, const char *text, const char *title);

/* ---- migrations ---- */

/* The tag for a new last step of the migrations array `list` (NULL or not
 * an array: "v1"), following the list's own pattern: the last tag's prefix
 * with the next number and the same zero padding ("v2" -> "v3", "0009" ->
 * "0010"), or, when the last tag ends in no number, that tag, a dash and
 * the step count; never a tag the list already uses. Owned. */
char *wl_fix_next_tag(const wl_node *list);

/* Adds to `d` the edits that append to the migrations array `list` a step
 * { "tag": wl_fix_next_tag(list), "new_sqlite_classes": [classes] }, or,
 * when `list` is NULL, a "migrations" member holding that one step to the
 * object `owner`. False (no edit) when neither can be edited. */
bool wl_fix_add_migration_step(wl_diag *d, const wl_doc *doc, const wl_text_style *st,
                               const wl_node *owner, const wl_node *list,
                               const char *const *classes, size_t n, const char *title);

/* True when `a` and `b` differ by exactly one inserted, deleted or replaced
 * character, or two neighbouring characters swapped (byte-wise). */
bool wl_fix_one_edit_apart(const char *a, const char *b);

#endif
