/* Fixes: applying the edits that diagnostics carry, and the helpers that
 * fix generators (the rule families, the front end) use to make edits that
 * read as if a person wrote them.
 *
 * The edits themselves are made once, by the fix generators with these
 * helpers, and carried by the diagnostics: --fix (src/main.c) applies them
 * through wl_fix_run, the language server offers the same edits as code
 * actions (its "fix all" takes the non-overlapping safe ones in one list,
 * src/lsp/features.c). Edits are byte spans of the text that was
 * linted; outside them every byte is kept (comments, blank lines, BOM, line
 * endings). A fix is applied all or nothing. */
#ifndef WL_FIX_H
#define WL_FIX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"
#include "doc.h"
#include "lint.h"
#include "source.h"

/* Fix generators copy at most this many values (bindings, classes) into one
 * fix: past it a person should look, and the work per file stays bounded. */
#define WL_FIX_MAX_COPIED 64

/* Rounds of apply-then-relint before wl_fix_run stops. */
#define WL_FIX_MAX_ROUNDS 32

/* ---- applying ---- */

/* Applies `edits` (any order, spans of `bytes`) to `bytes`. Returns an owned,
 * NUL-terminated buffer (free with free()) and its length in *out_len, or
 * NULL when two edits overlap or one lies outside the buffer. Two insertions
 * at the same offset overlap; an insertion at the edge of a replacement does
 * not. */
char *wl_fix_apply_edits(const char *bytes, size_t len, const wl_edit *edits, size_t n,
                         size_t *out_len);

/* True when the diagnostic has a fix that this run may apply. */
bool wl_fix_eligible(const wl_diag *d, bool unsafe);

typedef struct wl_fix_result {
	char *text; /* owned, NUL-terminated: the fixed bytes (a copy when unchanged) */
	size_t len;
	size_t applied; /* fixes applied */
	bool changed;   /* text differs from the input */
	/* owned: the fixed text linted; its diagnostics are what remains */
	wl_lint_result *lint;
} wl_fix_result;

/* Lints `bytes` as `path` with `opts` and applies every eligible fix: those
 * that do not overlap together, then lints again, for at most
 * WL_FIX_MAX_ROUNDS rounds. A fix whose result brings a diagnostic that was
 * not there before is dropped (it is tried alone once, then never again in
 * this run), and so is one whose diagnostic comes back after it was
 * applied; so a second run on the result applies nothing. Never fails.
 * Free the result with wl_fix_result_free. */
wl_fix_result *wl_fix_run(const char *path, const char *bytes, size_t len,
                          const wl_lint_options *opts, bool unsafe);
void wl_fix_result_free(wl_fix_result *r);

/* ---- writing ---- */

typedef enum wl_write_status {
	WL_WRITE_OK = 0,
	WL_WRITE_CHANGED, /* the file changed on disk since it was read: not written */
	WL_WRITE_FAILED,  /* an I/O error; the original is intact */
} wl_write_status;

/* Test hook: when set, it is called at each step of wl_fix_write ("open",
 * "write", "fsync", "rename", and "check" just before the final check
 * that the file is unchanged) with the temporary file's and the target's
 * paths; returning false makes that step fail as an I/O error would (EIO).
 * NULL (the default) in the shipped program. */
extern bool (*wl_fix_write_hook)(const char *step, const char *tmp_path, const char *target);

/* Replaces the file at `path` by `bytes`: a symbolic link is followed and its
 * target replaced. Writes a temporary file in the target's folder, flushes
 * it (fsync), gives it the original's mode, and renames it over the target,
 * but only if the target still has the identity, size, modification time
 * and content (`old`, `old_len`) it had when it was read (`read_st`, from
 * fstat of the descriptor it was read from). On failure the original is
 * untouched, the temporary file removed, and *err (owned, free with free())
 * says why in one line without the path. */
wl_write_status wl_fix_write(const char *path, const struct stat *read_st, const char *old,
                             size_t old_len, const char *bytes, size_t len, char **err);

/* ---- unified diff ---- */

/* An owned unified diff (3 lines of context) from `a` to `b`, headed
 * "--- a/PATH" and "+++ b/PATH"; an empty string when they are equal. Lines
 * keep their own endings; a last line without one is followed by
 * "\ No newline at end of file". */
char *wl_fix_unified_diff(const char *path, const char *a, size_t alen, const char *b, size_t blen);

/* ---- helpers for fix generators ---- */

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
