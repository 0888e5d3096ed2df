/* Reading configs as they are at a git revision (--baseline=REV and the
 * project file's "baseline").
 *
 * A reader keeps one `git cat-file --batch` process per repository and asks
 * it for every config of that repository, so a folder walk costs one git
 * process per repository, not one per config. Git is run as a program with
 * an argument vector (no shell), with no pager, no textconv or fsmonitor
 * hook (they would run the project's commands), no network (protocols
 * refused, no lazy fetch in partial clones) and messages in English.
 *
 * Not thread-safe; a reader belongs to one caller. */
#ifndef WL_GITREAD_H
#define WL_GITREAD_H

#include <stddef.h>

typedef enum wl_git_status {
	WL_GIT_OK,     /* *bytes, *len set (owned, NUL-terminated) */
	WL_GIT_ABSENT, /* the revision exists and has no file at that path */
	WL_GIT_ERROR,  /* *error set (owned, one line, no newline) */
} wl_git_status;

typedef struct wl_git_reader wl_git_reader;

/* A reader that refuses files larger than `limit` bytes. Starts no process
 * until the first read. Never NULL (aborts when out of memory). */
wl_git_reader *wl_git_reader_new(size_t limit);

/* Reads `config_path` as it is at revision `rev`: finds the repository root
 * above the file's folder (the folder holding `.git`), checks once per
 * repository and revision that `rev` names a commit, then asks for
 * REV:PATH with PATH relative to the root. An unknown revision, a folder
 * outside a repository, a path that is not a file at `rev` or a file over
 * the limit is WL_GIT_ERROR; the same failure of one repository gives the
 * same message for each of its configs. */
wl_git_status wl_git_reader_read(wl_git_reader *g, const char *config_path, const char *rev,
                                 char **bytes, size_t *len, char **error);

/* Ends every git process (closing its input, then waiting for it) and frees
 * the reader. NULL is allowed. */
void wl_git_reader_free(wl_git_reader *g);

#endif
