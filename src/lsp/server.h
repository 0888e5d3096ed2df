/* The language server (wrangler-lint --lsp): LSP 3.17 over a byte stream.
 *
 * Lifecycle: initialize (position encoding negotiated: UTF-8 when the
 * client offers it, else UTF-16), initialized, shutdown, exit. Documents
 * named wrangler.json, wrangler.jsonc, wrangler.toml and .wrangler-lint.jsonc
 * are kept in memory (full and incremental sync) and linted a few
 * milliseconds after the last change of a burst; diagnostics are pushed
 * (publishDiagnostics) and cleared on close. Code actions (each diagnostic's fix, fix all, disable
 * a rule for a line), hover (the built-in schema's help for a key, the rule's summary on a
 * diagnostic) and completion (the schema's keys) are answered from the last lint.
 *
 * The server is single-threaded; it never aborts on input: malformed
 * framing, JSON or parameters get JSON-RPC errors (or are ignored, for
 * notifications). Diagnostics go to the client; stderr gets one line per
 * refused message. */
#ifndef WL_LSP_SERVER_H
#define WL_LSP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct wl_lsp_options {
	/* Never touch the file system: no project files, no sibling checks, no
	 * $schema files (the fuzzer). */
	bool no_fs;
} wl_lsp_options;

/* Serves until `exit` or end of input. Returns the process exit status: 0
 * when a shutdown request came before the end, else 1. Messages are read from
 * `in_fd` and written to `out_fd`; SIGPIPE must be ignored by the caller (a
 * client that goes away ends the server with status 1). */
int wl_lsp_run(int in_fd, int out_fd, const wl_lsp_options *opts);
/* The same over a buffer (borrowed); output is built and discarded. */
int wl_lsp_run_mem(const char *data, size_t len, const wl_lsp_options *opts);

#endif
