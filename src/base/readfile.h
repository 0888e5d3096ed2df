/* Reading whole files with a size limit: the one reader behind configs, the
 * project file, user schemas and the tests' fixtures; and the path helper
 * they share.
 *
 * Failure is reported through errno and a NULL result; being over the limit
 * is not a failure (the caller decides what to say), so it is flagged. */
#ifndef WL_READFILE_H
#define WL_READFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads all of `fd` (a file, pipe or terminal), stopping once more than
 * `limit` bytes have been seen. Returns an owned, NUL-terminated buffer
 * (free with free()) and its length in *len; *too_large is set when the input
 * is longer than `limit` (the buffer then holds only a prefix). NULL with
 * errno set on a read error. */
char *wl_read_fd(int fd, size_t limit, size_t *len, bool *too_large);

/* Opens and reads `path`, which must be a regular file (else NULL with errno
 * EISDIR for a folder, EINVAL for anything else). A regular file known to be
 * over the limit is not read at all: NULL is not returned then, but an empty
 * buffer with *too_large set and *size_out (when not NULL) its size. */
char *wl_read_file(const char *path, size_t limit, size_t *len, bool *too_large, size_t *size_out);

/* The folder part of `path` as an owned string: "/" for a file in the root
 * folder, `none` (copied, e.g. "." or "") when the path has no slash. */
char *wl_path_dir(const char *path, const char *none);

/* Cuts the last component off the absolute folder path `dir`, in place
 * ("/a/b" becomes "/a", "/a" becomes "/"); false, leaving `dir` alone, when
 * it is already the root (or has no slash). For walks up the tree. */
bool wl_path_up(char *dir);

/* The repository root at or above the real path of `dir`: the nearest folder
 * holding `.git` (a folder, or a file in worktrees and submodules). Owned;
 * NULL when there is none or `dir` does not resolve. */
char *wl_path_repo_root(const char *dir);

#endif
