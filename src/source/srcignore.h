/* srcignore: whether a path that does not exist is build output, for the
 * source checks' `source-entry-missing` (a note, not an error, for an entry
 * that appears only after a build).
 *
 * Owns the reading of .gitignore files between a repository root and a
 * path's folder, matched with wl_glob_match. It errs towards "ignored":
 * negations (`!pattern`) are not applied, so a path is ignored when any
 * pattern of any of those files matches it or one of its folders. Files
 * over 256 KiB and unreadable files are skipped; nothing outside root is
 * read. Never fails. */
#ifndef WL_SRCIGNORE_H
#define WL_SRCIGNORE_H

#include <stdbool.h>

/* `path` (relative to the current folder or absolute; need not exist) is
 * matched by a .gitignore in `root` or a folder between root and it. */
bool wl_srcignore_ignored(const char *root, const char *path);

/* A folder of `path` is one that build tools write to: dist, build, out,
 * .open-next, .svelte-kit, .output, .next, .nuxt, .vercel, .wrangler,
 * .react-router, .mastra, .vinxi, node_modules. */
bool wl_srcignore_build_output(const char *path);

#endif
