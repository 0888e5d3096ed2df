/* Diagnostics: what every check reports and every renderer prints.
 *
 * A wl_diag_list owns its diagnostics and everything they point to except the
 * rule (static) and the source (owned by the caller, which must keep it alive
 * until rendering is done). Messages are formatted once, without a trailing
 * period or newline. */
#ifndef WL_DIAG_H
#define WL_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "rule.h"
#include "span.h"
#include "xalloc.h"

typedef struct wl_related {
	wl_span span;
	char *message; /* owned */
} wl_related;

/* A machine-applicable edit: replace the bytes of `span` with `text`
 * (an empty span inserts). */
typedef struct wl_edit {
	wl_span span;
	char *text; /* owned */
} wl_edit;

/* Whether a fix may be applied without a person looking at it (--fix), or
 * only on request (--unsafe-fixes) because it changes what the config means
 * or guesses an intent. Zero is unsafe, so a fix is safe only when marked. */
typedef enum wl_fix_safety {
	WL_FIX_UNSAFE = 0,
	WL_FIX_SAFE = 1,
} wl_fix_safety;

typedef struct wl_diag {
	const wl_rule *rule; /* borrowed, static */
	wl_severity severity;
	wl_span span;
	char *message;       /* owned */
	char *env;           /* owned; NULL when not about one environment */
	char *pointer;       /* owned RFC 6901 pointer; NULL when unknown */
	wl_related *related; /* owned array */
	size_t n_related;
	wl_edit *fix; /* owned: the edits of one fix (may be none) */
	size_t n_fix;
	char *fix_title; /* owned: what the fix does, e.g. "rename to new_sqlite_classes" */
	wl_fix_safety fix_safety;
} wl_diag;

/* At most this many diagnostics are stored per list; the rest are only counted. */
#define WL_DIAG_LIST_MAX 10000

typedef struct wl_diag_list {
	wl_diag *items;
	size_t len, cap;
	size_t dropped; /* reported past WL_DIAG_LIST_MAX */
	size_t dropped_by_sev[WL_SEV_COUNT];
	wl_diag sink; /* receives additions once the list is full */
} wl_diag_list;

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
void wl_diag_set_env(wl_diag *d, const char *env);
/* Takes ownership of `pointer`. */
void wl_diag_set_pointer(wl_diag *d, char *pointer);
void wl_diag_add_related(wl_diag *d, wl_span span, const char *fmt, ...) WL_PRINTF(3, 4);
/* Adds an edit to the diagnostic's fix; `title` (copied) describes the whole
 * fix and is set by the first call. */
void wl_diag_add_edit(wl_diag *d, const char *title, wl_span span, const char *text);
/* Sets the safety of the diagnostic's fix (unsafe until set). */
void wl_diag_set_fix_safety(wl_diag *d, wl_fix_safety safety);
/* "safe" or "unsafe". */
const char *wl_fix_safety_name(wl_fix_safety safety);

/* Keeps the diagnostics for which keep(d, ctx) is true, in order; frees the
 * others. */
void wl_diag_list_filter(wl_diag_list *l, bool (*keep)(wl_diag *d, void *ctx), void *ctx);

/* Sorts by (offset, end, rule id, message, env) and drops exact repeats. */
void wl_diag_list_sort(wl_diag_list *l);
/* Total number reported (stored + dropped), and per severity. */
size_t wl_diag_list_total(const wl_diag_list *l);
size_t wl_diag_list_count(const wl_diag_list *l, wl_severity sev);

#endif
