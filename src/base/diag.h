/* Diagnostics: what every check reports and every renderer prints.
 *
 * A wl_diag_list owns its diagnostics and everything they point to except the
 * rule (static) and the sources (owned by the lint result, which keeps every
 * file a diagnostic points into alive until rendering is done). Messages are
 * formatted once, without a trailing period or newline. The text and the
 * arrays of a list's diagnostics (messages, environments, related notes,
 * edits) live in one arena of the list and are freed with it, not one by
 * one: a file full of syntax errors makes hundreds of them, each of which
 * used to cost several allocations.
 *
 * Every diagnostic and related note is a location: a source (file) and a byte
 * span in it. A list has a default source (the config being linted) that
 * additions without an explicit source get; the source checks point into .ts
 * files and the history checks into a baseline revision of the config. A
 * fix's edits are always in its diagnostic's own file.
 *
 * Enablement is decided before a diagnostic is built: a list may carry a gate
 * (rule levels, `off`, the --env filter, suppression directives) that is asked
 * first; what it refuses costs no formatting, fills no slot and is not
 * counted. */
#ifndef WL_DIAG_H
#define WL_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "rule.h"
#include "span.h"
#include "xalloc.h"

struct wl_source;

/* A place in a file: the source is borrowed (see above). */
typedef struct wl_loc {
	struct wl_source *src;
	wl_span span;
} wl_loc;

typedef struct wl_related {
	struct wl_source *src; /* borrowed; never NULL once added */
	wl_span span;
	char *message; /* in the list's arena */
} wl_related;

/* A machine-applicable edit: replace the bytes of `span` with `text`
 * (an empty span inserts). */
typedef struct wl_edit {
	wl_span span;
	char *text; /* in the list's arena */
} wl_edit;

/* How far a fix can be trusted: safe fixes are applied by --fix and offered
 * as preferred code actions; unsafe ones change meaning (e.g. create a class)
 * and need --unsafe-fixes. */
typedef enum wl_fix_safety {
	WL_FIX_SAFE = 0,
	WL_FIX_UNSAFE = 1,
} wl_fix_safety;

typedef struct wl_diag {
	const wl_rule *rule; /* borrowed, static */
	wl_severity severity;
	struct wl_source *src; /* borrowed; the file the span is in */
	wl_span span;
	char *message;       /* in the list's arena */
	char *env;           /* in the arena; NULL when not about one environment */
	const char *pointer; /* RFC 6901 pointer, in the arena (or static); NULL when unknown */
	wl_related *related; /* array in the arena */
	size_t n_related;
	wl_edit *fix; /* in the arena: the edits of one fix (may be none) */
	size_t n_fix;
	char *fix_title; /* in the arena: what the fix does, e.g. "rename to new_sqlite_classes" */
	wl_fix_safety fix_safety;
	/* The list's arena; NULL for the scratch entry (refused or past the
	 * cap), which is discarded, so it takes no text: decorating it is a
	 * no-op. */
	wl_arena *arena;
} wl_diag;

/* At most this many diagnostics are stored per list; the rest are only counted. */
#define WL_DIAG_LIST_MAX 10000

/* Asked before each addition: returns false to refuse the diagnostic, or
 * true, possibly after changing *severity. `src` is the diagnostic's file,
 * `env` its environment (NULL for none). */
typedef bool (*wl_diag_gate_fn)(void *ctx, const wl_rule *rule, const struct wl_source *src,
                                wl_span span, const char *env, wl_severity *severity);

typedef struct wl_diag_list {
	wl_diag *items;
	size_t len, cap;
	size_t dropped; /* kept by the gate but past WL_DIAG_LIST_MAX */
	size_t dropped_by_sev[WL_SEV_COUNT];
	size_t refused;        /* refused by the gate (not counted anywhere else) */
	wl_diag sink;          /* receives additions that are refused or past the cap */
	wl_arena *text;        /* owned; the diagnostics' text (NULL until the first) */
	struct wl_source *src; /* borrowed default source of additions */
	wl_diag_gate_fn gate;  /* NULL: every diagnostic is kept */
	void *gate_ctx;
} wl_diag_list;

/* An empty list whose additions default to `src` (may be NULL until set). */
void wl_diag_list_init(wl_diag_list *l);
void wl_diag_list_free(wl_diag_list *l);

/* Appends a diagnostic with the rule's default severity and returns it so the
 * caller can attach an env, a pointer or related locations. The pointer is
 * valid until the next addition. Never returns NULL: past WL_DIAG_LIST_MAX it
 * returns a scratch entry that is counted and discarded. */
wl_diag *wl_diag_add(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *fmt, ...)
    WL_PRINTF(4, 5);
wl_diag *wl_diag_addv(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *fmt,
                      va_list ap) WL_PRINTF(4, 0);
/* The general form: an explicit file (NULL: the list's default) and the
 * environment, both known to the gate before anything is built. */
wl_diag *wl_diag_emitv(wl_diag_list *l, const wl_rule *rule, struct wl_source *src, wl_span span,
                       const char *env, const char *fmt, va_list ap) WL_PRINTF(6, 0);
wl_diag *wl_diag_emit(wl_diag_list *l, const wl_rule *rule, struct wl_source *src, wl_span span,
                      const char *env, const char *fmt, ...) WL_PRINTF(6, 7);
/* wl_diag_add with a finished message (copied), for callers that formatted
 * it already. */
wl_diag *wl_diag_add_text(wl_diag_list *l, const wl_rule *rule, wl_span span, const char *message);
/* True when `d` was stored (not refused by the gate, not past the cap). */
bool wl_diag_kept(const wl_diag_list *l, const wl_diag *d);
/* Sets the environment after the fact. Prefer wl_diag_emit, which lets the
 * gate see the environment. */
void wl_diag_set_env(wl_diag *d, const char *env);
/* Sets the JSON pointer, which must live as long as the list: in its arena
 * (wl_node_pointer(node, d->arena)) or static. Ignored for the scratch
 * entry. */
void wl_diag_set_pointer(wl_diag *d, const char *pointer);
/* A related note in the diagnostic's own file. */
void wl_diag_add_related(wl_diag *d, wl_span span, const char *fmt, ...) WL_PRINTF(3, 4);
/* A related note in another file. */
void wl_diag_add_related_in(wl_diag *d, struct wl_source *src, wl_span span, const char *fmt, ...)
    WL_PRINTF(4, 5);
/* Adds an edit to the diagnostic's fix; `title` (copied) describes the whole
 * fix and is set by the first call. */
void wl_diag_add_edit(wl_diag *d, const char *title, wl_span span, const char *text);
/* Marks the diagnostic's fix safe (the default) or unsafe. */
void wl_diag_set_fix_safety(wl_diag *d, wl_fix_safety safety);
/* "safe" or "unsafe". */
const char *wl_fix_safety_name(wl_fix_safety safety);

/* Keeps the diagnostics for which keep(d, ctx) is true, in order; frees the
 * others. */
void wl_diag_list_filter(wl_diag_list *l, bool (*keep)(wl_diag *d, void *ctx), void *ctx);

/* Sorts by (file path, offset, end, rule id, message, env, pointer) and
 * drops exact repeats. */
void wl_diag_list_sort(wl_diag_list *l);
/* Total number reported (stored + dropped), and per severity. */
size_t wl_diag_list_total(const wl_diag_list *l);
size_t wl_diag_list_count(const wl_diag_list *l, wl_severity sev);

#endif
