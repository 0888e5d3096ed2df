#include "source/srcignore.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"
#include "xalloc.h"

#define MAX_GITIGNORE_BYTES (256u << 10)

static const char *const build_dirs[] = {
    "dist",          "build",   "out",    ".open-next",   ".svelte-kit",
    ".output",       ".next",   ".nuxt",  ".vercel",      ".wrangler",
    ".react-router", ".mastra", ".vinxi", "node_modules", NULL,
};

bool
wl_srcignore_build_output(const char *path)
{
	const char *seg = path;
	for (;;) {
		const char *end = strchr(seg, '/');
		if (!end)
			return false; /* the last segment is the file */
		size_t n = (size_t)(end - seg);
		for (size_t i = 0; build_dirs[i]; i++)
			if (strlen(build_dirs[i]) == n && memcmp(seg, build_dirs[i], n) == 0)
				return true;
		seg = end + 1;
	}
}

/* The absolute form of a path that may not exist: the real path of its
 * deepest existing folder, then the rest as written. Owned, or NULL. */
static char *
absolute(const char *path)
{
	char *copy = wl_xstrdup(path);
	size_t n = strlen(copy);
	for (;;) {
		char *slash = strrchr(copy, '/');
		const char *dir = ".";
		if (slash == copy)
			dir = "/";
		else if (slash) {
			*slash = '\0';
			dir = copy;
		}
		char *real = realpath(dir, NULL);
		if (real) {
			size_t cut = slash ? (size_t)(slash - copy) + 1 : 0;
			char *out = wl_xasprintf("%s/%s", strcmp(real, "/") == 0 ? "" : real,
			                         path + (cut <= n ? cut : n));
			free(real);
			free(copy);
			return out;
		}
		if (!slash) {
			free(copy);
			return NULL;
		}
	}
}

static char *
read_small(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > MAX_GITIGNORE_BYTES) {
		fclose(f);
		return NULL;
	}
	char *buf = wl_xmalloc((size_t)st.st_size + 1);
	size_t got = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	buf[got] = '\0';
	return buf;
}

/* One .gitignore line against `rel` (relative to the file's folder). A
 * pattern with a leading or inner '/' is anchored to that folder: it is
 * matched against as many leading segments of rel as it has; the others
 * match a name at any depth (wl_glob_match does that, and folders). */
static bool
line_matches(const char *line, const char *rel)
{
	size_t n = strlen(line);
	bool dir_only = n > 1 && line[n - 1] == '/';
	char *pat = wl_xstrndup(line[0] == '/' ? line + 1 : line,
	                        n - (line[0] == '/') - (dir_only ? 1 : 0));
	bool anchored = line[0] == '/' || strchr(pat, '/') != NULL;
	bool hit;
	if (!anchored || strstr(pat, "**")) {
		hit = wl_glob_match(line, rel, false);
	} else {
		size_t segs = 1;
		for (const char *p = pat; *p; p++)
			segs += *p == '/';
		const char *end = rel;
		for (size_t k = 0; k < segs && end; k++) {
			end = strchr(end, '/');
			if (end && k + 1 < segs)
				end++;
		}
		bool is_dir = end != NULL;
		char *subject = is_dir ? wl_xstrndup(rel, (size_t)(end - rel)) : wl_xstrdup(rel);
		hit = (!dir_only || is_dir) && wl_glob_match(pat, subject, is_dir);
		free(subject);
	}
	free(pat);
	return hit;
}

static bool
file_matches(const char *gitignore, const char *rel)
{
	char *text = read_small(gitignore);
	if (!text)
		return false;
	bool hit = false;
	for (char *line = text; line && !hit;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n && line[0] != '#' && line[0] != '!')
			hit = line_matches(line, rel);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return hit;
}

bool
wl_srcignore_ignored(const char *root, const char *path)
{
	char *root_real = realpath(root, NULL);
	char *abs = absolute(path);
	bool hit = false;
	size_t rn = root_real ? strlen(root_real) : 0;
	if (root_real && abs && strncmp(abs, root_real, rn) == 0 && abs[rn] == '/') {
		const char *rel = abs + rn + 1;
		/* .gitignore of root, then of each folder down to the file's */
		for (const char *p = rel; !hit;) {
			size_t level = (size_t)(p - rel);
			char *gi = level ? wl_xasprintf("%s/%.*s/.gitignore", root_real,
			                                (int)(level - 1), rel)
			                 : wl_xasprintf("%s/.gitignore", root_real);
			hit = file_matches(gi, rel + level);
			free(gi);
			const char *slash = strchr(p, '/');
			if (!slash)
				break;
			p = slash + 1;
		}
	}
	free(root_real);
	free(abs);
	return hit;
}
