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

/* Aspects of a node that a generic check (the schema) and a more specific
 * rule may both judge; see wl_claim in rules.h. */
enum {
	WL_CLAIM_TYPE = 1 << 0,    /* the value's type or shape */
	WL_CLAIM_VALUE = 1 << 1,   /* its value: enum, pattern, range */
	WL_CLAIM_KEY = 1 << 2,     /* the member's key: unknown, deprecated */
	WL_CLAIM_MEMBERS = 1 << 3, /* an object's required members */
	WL_CLAIM_ALL = 0xF,
};

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
