/* A JSON Schema (draft-07) validator that knows no rules: it reports
 * neutral issues (what failed, at which instance node, under which schema
 * keyword, with a message) and rules_schema.c turns them into diagnostics.
 *
 * Supported keywords: type, enum, const, properties, patternProperties,
 * additionalProperties, required, dependencies, propertyNames,
 * minProperties, maxProperties, items (a schema or a tuple),
 * additionalItems, contains, minItems, maxItems, uniqueItems, minLength,
 * maxLength, pattern, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf, allOf, anyOf, oneOf, not, if/then/else,
 * boolean subschemas, and $ref to a JSON pointer inside the same document
 * (siblings of $ref are ignored, as draft-07 says). Not supported: $id and
 * refs to other documents, format, content*. Our annotations: deprecated
 * (true or a message), x-removed, x-pattern-description, x-since,
 * x-deprecated-since, x-deprecated-values and x-since-values.
 *
 * Patterns follow ECMA-262 where PCRE2 allows: \d \w \b are ASCII, \uXXXX
 * escapes work; \s is ASCII whitespace only (ECMA's \s also matches
 * U+00A0, U+FEFF, U+2028/9 and the Zs spaces; see docs/schema.md).
 *
 * Thread safety: a compiled wl_schema is immutable once built except for
 * patterns compiled on first use, which are published atomically; any
 * number of threads may validate against one schema at once. A
 * wl_schema_cache is locked internally. Nothing here keeps process-wide
 * state or registers atexit handlers. */
#ifndef WL_SCHEMA_H
#define WL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"

typedef struct wl_schema wl_schema;

/* User schema files larger than this are refused. */
#define WL_SCHEMA_MAX_FILE ((size_t)4 * 1024 * 1024)

/* Compiles the schema in `bytes` (JSONC). Returns NULL and an owned message
 * in *error when it cannot be used. The message never quotes the file
 * unless it is recognisably a JSON Schema (a JSON object with $schema,
 * type, properties, definitions, ...): syntax errors give only a line and
 * column. `origin` names the file in nothing but internal bookkeeping. The
 * result has one reference; release it with wl_schema_release. */
wl_schema *wl_schema_compile(const char *origin, const char *bytes, size_t len, char **error);
/* Reference counting (atomic): a cache may replace a schema another thread
 * still validates against. */
wl_schema *wl_schema_retain(wl_schema *s);
void wl_schema_release(wl_schema *s);
/* Kept for old callers: the same as wl_schema_release. */
void wl_schema_free(wl_schema *s);

/* Orders two dotted versions ("4.107.0"): <0, 0, >0 (missing parts are 0). */
int wl_version_cmp(const char *a, const char *b);

/* The highest "x-since" version in the schema, or NULL (borrowed). */
const char *wl_schema_newest_since(const wl_schema *s);

typedef enum wl_schema_issue_kind {
	WL_SCHEMA_UNKNOWN_KEY, /* a member no property, pattern or additionalProperties admits */
	WL_SCHEMA_TYPE,        /* type; also a value no anyOf branch's type admits */
	WL_SCHEMA_REQUIRED,    /* required, or a property dependency */
	WL_SCHEMA_ENUM,        /* enum, const, not */
	WL_SCHEMA_PATTERN,     /* pattern */
	WL_SCHEMA_RANGE,       /* sizes, counts, bounds, multipleOf, uniqueItems, contains */
	WL_SCHEMA_FALSE,       /* a `false` subschema (properties {"k": false}, items, ...) */
	WL_SCHEMA_ONE_OF,      /* several oneOf branches match */
	/* Annotations: not failures, reported only when validation collects. */
	/* A member whose property schema says deprecated (from x-deprecated-since
	 * on, or with since_after NULL), or a string value its x-deprecated-values
	 * names (then `key` is NULL and `at` is the value). */
	WL_SCHEMA_DEPRECATED,
	WL_SCHEMA_REMOVED, /* a member whose property schema says x-removed */
	/* A member whose property's x-since, or a string value whose
	 * x-since-values version, is newer than since_after (`key` NULL then). */
	WL_SCHEMA_SINCE,
} wl_schema_issue_kind;

typedef struct wl_schema_issue {
	wl_schema_issue_kind kind;
	const char *keyword; /* static: "type", "additionalProperties", "x-since", ... */
	const wl_node *at;   /* the instance node; the member for key issues */
	wl_span span;        /* where to point: a member's key for key issues */
	char *message;       /* owned: a complete clause, e.g. "unknown key \"x\"" */
	const char *key;     /* the key concerned (borrowed), or NULL */
	const char *hint;    /* did-you-mean for unknown keys (borrowed), or NULL */
	const char *since;   /* the x-since or x-since-values version (borrowed) */
} wl_schema_issue;

typedef struct wl_schema_issues {
	wl_schema_issue *items;
	size_t len, cap;
	bool too_complex; /* validation stopped at the work budget */
	size_t work;      /* work units spent */
	/* Set by the caller before validating: the project's wrangler version.
	 * WL_SCHEMA_SINCE annotations are made for keys and values newer than it
	 * (NULL makes none), and a deprecation with x-deprecated-since is made
	 * only when this is that version or newer, or NULL (unknown). */
	const char *since_after;
} wl_schema_issues;

/* The work budget wl_schema_validate uses for a document of `bytes` bytes. */
size_t wl_schema_default_budget(size_t bytes);

/* Validates the instance rooted at `root` (borrowed; issues point into it).
 * Appends to `out`. Stops after `budget` work units (a call per schema and
 * instance pair, a pattern match, an equality test, ...) or a pattern match
 * over PCRE2's match limit, sets out->too_complex and returns false; the
 * issues collected so far are then incomplete. A $ref cycle that revisits
 * the same schema at the same instance node without progress is cut there
 * (it adds no constraint), and anyOf/oneOf branch results are memoised per
 * (schema, instance) pair, so hostile schemas finish. Returns true when
 * validation ran to the end (whether or not it found problems). */
bool wl_schema_validate(const wl_schema *s, const wl_node *root, size_t budget,
                        wl_schema_issues *out);
void wl_schema_issues_free(wl_schema_issues *l);

/* A cache of compiled schemas, owned by the caller (the linter context):
 * the built-in schema, and user schemas by path, each re-checked against
 * the file's device, inode, size and modification time on every load. */
typedef struct wl_schema_cache wl_schema_cache;

wl_schema_cache *wl_schema_cache_new(void);
void wl_schema_cache_free(wl_schema_cache *c);
/* The built-in schema (schemas/wrangler.schema.json, compiled at build
 * time into static tables; this costs no parsing). Borrowed from `c`. */
const wl_schema *wl_schema_cache_builtin(wl_schema_cache *c);
/* Reads and compiles `path`, or reuses the cached compilation when the file
 * has not changed. Only a regular file of at most WL_SCHEMA_MAX_FILE bytes
 * is read (opened without blocking, so a FIFO cannot hang). Returns a
 * reference (release with wl_schema_release) or NULL with an owned message
 * in *error that names `path` and never quotes the file's bytes. */
wl_schema *wl_schema_cache_load(wl_schema_cache *c, const char *path, char **error);

#endif
