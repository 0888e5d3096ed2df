/* The JSONC front end: tokenizer and recovering parser.
 *
 * Accepts what wrangler accepts (comments, trailing commas, a UTF-8 BOM) and
 * works in two stages: the front end proper reads the bytes into the node
 * tree (a wl_node with spans for every value and key, the comments) and
 * reports every syntax problem to `diags` (rules in rules_syntax.h); then the
 * document stage builds the json-c values from the finished tree. json-c's own
 * tokener never sees the input. Parsing never stops at the first problem, and
 * always returns a document, possibly partial. */
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

/* The front end alone: as wl_jsonc_parse, with the same diagnostics, but no
 * json-c values (every node's value and the document's root_value are NULL),
 * for readers that need only the tree or the comments (the early scan for
 * suppression directives). */
wl_doc *wl_jsonc_parse_tree(wl_source *src, wl_diag_list *diags);

#endif
