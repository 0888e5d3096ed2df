/* The JSONC front end: tokenizer and recovering parser.
 *
 * Accepts what wrangler accepts (comments, trailing commas, a UTF-8 BOM) and
 * builds the json-c tree itself, with a wl_node (spans) for every value and
 * key. json-c's own tokener never sees the input. Every syntax problem found
 * is reported to `diags` (rules in rules_syntax.h); parsing never stops at the
 * first one, and always returns a document, possibly partial. */
#ifndef WL_JSONC_H
#define WL_JSONC_H

#include "diag.h"
#include "doc.h"

/* Arrays and objects nested deeper than this are reported and skipped. */
#define WL_MAX_DEPTH 512
/* After this many jsonc-syntax errors in one file the parser stops. */
#define WL_MAX_SYNTAX_ERRORS 100

/* Parses `src`, taking ownership of it (it is freed with the document).
 * Returns an owned document; free with wl_doc_free. Never NULL. */
wl_doc *wl_jsonc_parse(wl_source *src, wl_diag_list *diags);

#endif
