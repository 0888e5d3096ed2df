/* Fixes: applying the edits that diagnostics carry (--fix, --diff, the
 * language server's "fix all"), writing the result, and unified diffs.
 *
 * The edits themselves are made once, by the fix generators (the rule
 * families, the front end) with the helpers of edit.h, and carried by the
 * diagnostics: --fix (src/main.c) applies them through wl_fix_run, the
 * language server offers the same edits as code actions (its "fix all"
 * takes the non-overlapping safe ones in one list, src/lsp/features.c).
 * Edits are byte spans of the text that was linted; outside them every byte
 * is kept (comments, blank lines, BOM, line endings). A fix is applied all
 * or nothing. */
#ifndef WL_FIX_H
#define WL_FIX_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"
#include "doc.h"
#include "edit.h"
#include "lint.h"
#include "source.h"

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

#endif
