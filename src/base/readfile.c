#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

char *
wl_read_fd(int fd, size_t limit, size_t *len, bool *too_large)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = wl_xmalloc(cap + 1);
	*too_large = false;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				*too_large = true;
				break;
			}
			cap *= 2;
			buf = wl_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			free(buf);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > limit)
		*too_large = true;
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *
wl_read_file(const char *path, size_t limit, size_t *len, bool *too_large, size_t *size_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return NULL;
	}
	if (size_out)
		*size_out = (size_t)st.st_size;
	if ((size_t)st.st_size > limit) {
		close(fd);
		*too_large = true;
		*len = 0;
		return wl_xcalloc(1, 1);
	}
	char *buf = wl_read_fd(fd, limit, len, too_large);
	int saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

char *
wl_path_dir(const char *path, const char *none)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return wl_xstrdup(none);
	return wl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

char *
wl_path_repo_root(const char *dir)
{
	char *cur = realpath(dir, NULL);
	if (!cur)
		return NULL;
	for (;;) {
		char *dotgit = wl_xasprintf("%s%s.git", cur, strcmp(cur, "/") == 0 ? "" : "/");
		struct stat st;
		bool found = lstat(dotgit, &st) == 0;
		free(dotgit);
		if (found)
			return cur;
		if (!wl_path_up(cur)) {
			free(cur);
			return NULL;
		}
	}
}

bool
wl_path_up(char *dir)
{
	char *slash = strrchr(dir, '/');
	if (!slash || strcmp(dir, "/") == 0)
		return false;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return true;
}
