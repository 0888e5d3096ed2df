/* Private to src/lsp/: the server's state, shared by server.c (protocol,
 * documents, publishing) and features.c (diagnostics as LSP objects, code
 * actions, hover). */
#ifndef WL_LSP_IMPL_H
#define WL_LSP_IMPL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "lint.h"
#include "project.h"
#include "server.h"
#include "source.h"
#include "transport.h"

typedef enum lsp_kind { LSP_CONFIG, LSP_PROJECT } lsp_kind;

typedef struct lsp_doc {
	char *uri;  /* owned */
	char *path; /* owned: the file's path (file URIs) or its name */
	bool is_file;
	lsp_kind kind;
	int64_t version;
	wl_source *text;      /* owned: the editor's text */
	wl_lint_result *lint; /* owned: the last lint of `text`; NULL before the first */
	wl_project *project;  /* owned: LSP_PROJECT documents read as project files */
	int64_t lint_version;
	char **foreign; /* owned: other files' URIs given diagnostics last time */
	size_t n_foreign, cap_foreign;
	bool dirty; /* `text` changed since the last lint */
	/* "Fix all" for the last lint (features.c), worked out on the first
	 * code-action request after it: the span of `text` that changes, its
	 * replacement (owned) and the fixes applied; fix_all_done says whether
	 * it was worked out. Editors ask for actions at every cursor move. */
	bool fix_all_done;
	wl_span fix_all_span;
	char *fix_all_text;
	size_t fix_all_fixes;
} lsp_doc;

typedef struct lsp_dir_project {
	char *dir;     /* owned */
	wl_project *p; /* owned; NULL when no project file governs the folder */
} lsp_dir_project;

struct wl_linter;

typedef struct lsp_server {
	wl_lsp_options opts;
	struct wl_linter *linter; /* owned: state lint calls share */
	wl_lsp_reader reader;
	wl_lsp_writer writer;
	wl_encoding enc;
	bool initialized, shutdown, exit, dead;
	lsp_doc **docs;
	size_t n_docs, cap_docs;
	lsp_dir_project *dirs;
	size_t n_dirs, cap_dirs;
	long long dirs_time; /* when the folder cache was started */
	bool watch_files;    /* the client can register file watchers */
	bool pending;
	long long first_pending, last_change;
} lsp_server;

/* The options a config document is linted with: its folder's project file
 * (cached by the server), and no file system under opts.no_fs. */
void wl_lsp_lint_options(lsp_server *s, const lsp_doc *d, wl_lint_options *o);

/* The diagnostics of a document's last lint (NULL before the first). */
const wl_lint_result *wl_lsp_doc_result(const lsp_doc *doc);

/* Where the last conversions of one source ended, so that many ranges in
 * document order on a long line cost one pass over it (see source.h). */
typedef struct lsp_hints {
	const wl_source *src;
	wl_unit_hint start, end, related;
} lsp_hints;

/* Owned json-c objects. `h` may be NULL, or hints for one source (used only
 * for ranges in that source). */
struct json_object *wl_lsp_range(wl_source *src, wl_span sp, wl_encoding enc, lsp_hints *h);
struct json_object *wl_lsp_diagnostic(const lsp_server *s, const lsp_doc *doc, const wl_diag *d,
                                      lsp_hints *h);
/* The result of textDocument/codeAction and textDocument/hover for `doc`,
 * whose lint is current. */
struct json_object *wl_lsp_code_actions(lsp_server *s, lsp_doc *doc, struct json_object *params);
/* textDocument/completion: the keys the schema allows in the object under
 * the cursor that it does not have yet. */
struct json_object *wl_lsp_completion(const lsp_server *s, const lsp_doc *doc,
                                      struct json_object *params);
struct json_object *wl_lsp_hover(const lsp_server *s, const lsp_doc *doc,
                                 struct json_object *params);

/* Offsets of an LSP Position / Range in `src`; false when malformed. */
bool wl_lsp_position_offset(wl_source *src, struct json_object *pos, wl_encoding enc,
                            uint32_t *out);
bool wl_lsp_range_offsets(wl_source *src, struct json_object *range, wl_encoding enc,
                          uint32_t *start, uint32_t *end);

/* The URI of a file diagnostics point into: the document's own for its
 * text, else a file URI. Owned. */
char *wl_lsp_source_uri(const lsp_doc *doc, const wl_source *src);

/* The rule's documentation page. Owned. */
char *wl_lsp_rule_href(const wl_rule *rule);

#endif
