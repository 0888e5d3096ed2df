/* A JSON Schema validator for the keywords wrangler schemas use:
 * type, properties, additionalProperties, required, items, enum, const,
 * anyOf, oneOf (treated as anyOf), allOf, $ref to #/definitions/ and #/$defs/,
 * pattern (PCRE2, compiled once per schema), minimum, maximum, multipleOf,
 * minItems, minLength; and our extensions "deprecated" (true or a message),
 * "x-removed" (a message) and "x-pattern-description". Other keywords
 * (description, default, examples, ...) are ignored.
 *
 * A compiled schema owns its json-c tree and its compiled patterns. */
#ifndef WL_SCHEMA_H
#define WL_SCHEMA_H

#include <stdbool.h>

#include "diag.h"
#include "doc.h"

typedef struct wl_schema wl_schema;

/* Compiles the schema in `bytes` (JSONC). Returns NULL and an owned message
 * in *error when it cannot be used (syntax errors, not an object, a $ref
 * that does not resolve, a pattern that does not compile). */
wl_schema *wl_schema_compile(const char *origin, const char *bytes, size_t len, char **error);
void wl_schema_free(wl_schema *s);

/* wrangler-lint's own schema (schemas/wrangler.schema.json, compiled into
 * the binary), compiled on first use and kept for the process. */
const wl_schema *wl_schema_builtin(void);

/* Places where a schema is known to be wrong: validation issues at these
 * paths are not reported (wrangler 4.86's published schema rejects valid
 * transferred_classes and a DO binding's remote). */
typedef struct wl_schema_exemption {
	const char *pointer_suffix_pattern; /* e.g. "/migrations/#/transferred_classes" */
} wl_schema_exemption;

typedef struct wl_schema_run {
	const wl_schema *schema;
	const char *label; /* appended to messages: "(node_modules/...)", or NULL */
	bool known_gaps;   /* skip wrangler's published-schema gaps */
} wl_schema_run;

/* Validates `doc` and reports schema-* diagnostics. Issues at a byte offset
 * where `skip_offsets` (sorted, n entries) already has a diagnostic are not
 * reported (a more specific rule said it). */
void wl_schema_validate(const wl_schema_run *run, const wl_doc *doc, wl_diag_list *diags,
                        const uint32_t *skip_offsets, size_t n_skip);

#endif
