/* wl_rule: one entry of the rule registry (see rules.h for the table).
 * Rule objects are static and immutable; diagnostics point at them. */
#ifndef WL_RULE_H
#define WL_RULE_H

#include <stdbool.h>

typedef enum wl_severity {
	WL_SEV_ERROR = 0,
	WL_SEV_WARNING = 1,
	WL_SEV_NOTE = 2,
} wl_severity;

#define WL_SEV_COUNT 3

/* Per-rule levels (project file, --rule), indexed like the registry: the
 * rule's default, a wl_severity, or off. */
#define WL_LEVEL_DEFAULT (-1)
#define WL_LEVEL_OFF     3

typedef struct wl_rule {
	const char *id;       /* stable kebab-case id, e.g. "do-class-not-created" */
	const char *family;   /* "jsonc", "env", "binding", "do-binding", ... */
	wl_severity severity; /* default severity */
	const char *summary;  /* one line, no trailing period */
} wl_rule;

/* "error", "warning", "note". */
const char *wl_severity_name(wl_severity sev);
/* Parses a severity name; returns false when unknown. */
bool wl_severity_parse(const char *name, wl_severity *out);

#endif
