/* wl_linter: the long-lived state that lint calls share, instead of
 * process-wide globals: the project-file cache (per folder, re-read when the
 * file changes) and the compiled user schemas (re-read when the file's
 * device, inode, size or mtime change). The built-in schema is static tables
 * compiled at build time and needs no owner.
 *
 * What is NOT here, and why it is safe: the rule registry and the built-in
 * patterns are immutable tables built once under pthread_once; PCRE2 match
 * data is allocated per call; a wl_source's line table is built by whoever
 * owns the source. So wl_lint_source may run in several threads at once, on
 * different sources, with or without a linter, also sharing one linter: a
 * lint touches only its schema cache, which is locked. The project-file
 * cache is not: it is used by the caller's loop (the CLI's main loop, the
 * LSP server's), one thread at a time. */
#ifndef WL_LINTER_H
#define WL_LINTER_H

#include "project.h"
#include "schema.h"

typedef struct wl_linter {
	wl_project_cache *projects; /* owned */
	wl_schema_cache *schemas;   /* owned: user schemas, re-read when edited */
} wl_linter;

/* `overrides`: --rule levels laid over every project file's (copied; NULL
 * for none). Free with wl_linter_free. */
wl_linter *wl_linter_new(const signed char *overrides);
void wl_linter_free(wl_linter *l);

#endif
