/* One `git cat-file --batch` per repository (see gitread.h).
 *
 * The protocol: we write an object name and a newline; git answers
 * "<oid> <type> <size>\n<size bytes>\n", or "<name> missing\n" (also
 * "<name> ambiguous\n"). Without --buffer git flushes after every answer,
 * so one request and one answer at a time cannot deadlock. */
#include "gitread.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "readfile.h"
#include "xalloc.h"

/* Longest answer header we accept: the name echoed back by "missing" is at
 * most a revision plus a path. */
#define HEADER_MAX (PATH_MAX + 4096)
#define ERR_MAX    4096

typedef struct git_rev {
	char *rev;
	char *error; /* NULL: a commit */
} git_rev;

typedef struct git_repo {
	char *root;
	pid_t pid; /* 0 once reaped */
	int in;    /* socket to git's standard input (send() without SIGPIPE) */
	int out, err;
	char *rbuf; /* unread answer bytes are rbuf[rpos, rlen) */
	size_t rpos, rlen, rcap;
	char ebuf[ERR_MAX + 1]; /* the start of git's standard error */
	size_t elen;
	char *dead; /* why this repository cannot be asked (owned), or NULL */
	git_rev *revs;
	size_t n_revs;
} git_repo;

struct wl_git_reader {
	size_t limit;
	git_repo **repos;
	size_t n_repos;
};

wl_git_reader *
wl_git_reader_new(size_t limit)
{
	wl_git_reader *g = wl_xcalloc(1, sizeof(*g));
	g->limit = limit;
	return g;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void
set_cloexec(int fd)
{
	/* A second repository's git must not inherit this one's ends: the first
	 * git would then never see the end of its input. */
	int flags = fcntl(fd, F_GETFD);
	if (flags >= 0)
		fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static void
reap(git_repo *r, int *status)
{
	*status = 0;
	if (r->pid <= 0)
		return;
	while (waitpid(r->pid, status, 0) < 0 && errno == EINTR)
		;
	r->pid = 0;
}

/* Marks the repository unusable with git's own first line of complaint,
 * without "fatal: " and trailing dots. */
static void
fail(git_repo *r, const char *fallback)
{
	/* Without its input and output git exits (if it has not already);
	 * then read what it still had to say about why it stopped. */
	close_fd(&r->in);
	close_fd(&r->out);
	while (r->err >= 0 && r->elen < ERR_MAX) {
		ssize_t n = read(r->err, r->ebuf + r->elen, ERR_MAX - r->elen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->elen += (size_t)n;
	}
	close_fd(&r->err);
	int status;
	reap(r, &status);
	const char *s = r->ebuf;
	size_t n = r->elen;
	const char *nl = memchr(s, '\n', n);
	if (nl)
		n = (size_t)(nl - s);
	if (n >= 7 && memcmp(s, "fatal: ", 7) == 0)
		s += 7, n -= 7;
	while (n && (s[n - 1] == '.' || s[n - 1] == '\r'))
		n--;
	free(r->dead);
	if (n)
		r->dead = wl_xstrndup(s, n);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		r->dead = wl_xstrdup("cannot run git (is it installed?)");
	else
		r->dead = wl_xstrdup(fallback);
}

static bool
start(git_repo *r)
{
	int in[2], out[2], err[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) != 0) {
		r->dead = wl_xasprintf("cannot run git: %s", strerror(errno));
		return false;
	}
	if (pipe(out) != 0) {
		r->dead = wl_xasprintf("cannot run git: %s", strerror(errno));
		close(in[0]), close(in[1]);
		return false;
	}
	if (pipe(err) != 0) {
		r->dead = wl_xasprintf("cannot run git: %s", strerror(errno));
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		return false;
	}
	set_cloexec(in[0]);
	set_cloexec(out[0]);
	set_cloexec(err[0]);
	char *argv[] = {"git",      "-C",
	                r->root,    "--no-pager",
	                "-c",       "protocol.allow=never",
	                "-c",       "core.fsmonitor=false",
	                "cat-file", "--batch",
	                NULL};
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		r->dead = wl_xasprintf("cannot run git: %s", strerror(errno));
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		close(err[0]), close(err[1]);
		return false;
	}
	if (pid == 0) {
		dup2(in[1], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		close(err[0]), close(err[1]);
		setenv("LC_ALL", "C", 1);
		setenv("GIT_NO_LAZY_FETCH", "1", 1);
		setenv("GIT_TERMINAL_PROMPT", "0", 1);
		unsetenv("GIT_EXTERNAL_DIFF");
		execvp("git", argv);
		_exit(127);
	}
	close(in[1]);
	close(out[1]);
	close(err[1]);
	r->pid = pid;
	r->in = in[0];
	r->out = out[0];
	r->err = err[0];
	return true;
}

/* Reads more of git's answer (keeping its standard error drained, so a
 * chatty git never blocks on a full pipe). False at the end of the answer
 * stream: git has exited. */
static bool
fill(git_repo *r)
{
	if (r->rpos == r->rlen)
		r->rpos = r->rlen = 0;
	if (r->rcap - r->rlen < 65536) {
		if (r->rpos) {
			memmove(r->rbuf, r->rbuf + r->rpos, r->rlen - r->rpos);
			r->rlen -= r->rpos;
			r->rpos = 0;
		}
		if (r->rcap - r->rlen < 65536) {
			r->rcap = r->rlen + 65536;
			r->rbuf = wl_xrealloc(r->rbuf, r->rcap);
		}
	}
	for (;;) {
		struct pollfd fds[2] = {{.fd = r->out, .events = POLLIN},
		                        {.fd = r->err, .events = POLLIN}};
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (r->err >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char sink[4096];
			ssize_t n = read(r->err, sink, sizeof(sink));
			if (n > 0 && r->elen < ERR_MAX) {
				size_t keep =
				    (size_t)n < ERR_MAX - r->elen ? (size_t)n : ERR_MAX - r->elen;
				memcpy(r->ebuf + r->elen, sink, keep);
				r->elen += keep;
			} else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
				close_fd(&r->err);
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(r->out, r->rbuf + r->rlen, r->rcap - r->rlen);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				return false;
			r->rlen += (size_t)n;
			return true;
		}
	}
}

/* The next answer line, NUL-terminated in place (valid until the next
 * read), or NULL when git stopped. */
static char *
read_line(git_repo *r)
{
	size_t scanned = 0;
	for (;;) {
		char *start = r->rbuf ? r->rbuf + r->rpos : NULL;
		size_t avail = r->rlen - r->rpos;
		char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
		if (nl) {
			*nl = '\0';
			r->rpos += (size_t)(nl - start) + 1;
			return start;
		}
		scanned = avail;
		if (avail > HEADER_MAX || !fill(r))
			return NULL;
	}
}

/* Moves the next `n` answer bytes to `dst` (NULL: drops them). */
static bool
read_bytes(git_repo *r, char *dst, size_t n)
{
	while (n) {
		if (r->rpos == r->rlen && !fill(r))
			return false;
		size_t take = r->rlen - r->rpos < n ? r->rlen - r->rpos : n;
		if (dst) {
			memcpy(dst, r->rbuf + r->rpos, take);
			dst += take;
		}
		r->rpos += take;
		n -= take;
	}
	return true;
}

typedef enum answer {
	ANSWER_OBJECT,    /* *type and (when asked) *body set */
	ANSWER_MISSING,   /* no such object */
	ANSWER_AMBIGUOUS, /* a short name with several objects */
	ANSWER_TOO_LARGE, /* an object over `limit`, dropped */
	ANSWER_FAILED,    /* r->dead says why */
} answer;

/* Asks git for the object `name`. `type` gets an owned copy of the object's
 * type; `body` (NULL: the contents are dropped) an owned NUL-terminated
 * copy of its contents, when no longer than `limit`. */
static answer
ask(git_repo *r, const char *name, size_t limit, char **type, char **body, size_t *len)
{
	*type = NULL;
	if (body)
		*body = NULL;
	char *req = wl_xasprintf("%s\n", name);
	size_t left = strlen(req);
	const char *p = req;
	while (left) {
		ssize_t n = send(r->in, p, left, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(req);
			fail(r, "git stopped answering");
			return ANSWER_FAILED;
		}
		p += n;
		left -= (size_t)n;
	}
	free(req);
	char *line = read_line(r);
	if (!line) {
		fail(r, "git stopped answering");
		return ANSWER_FAILED;
	}
	size_t ll = strlen(line);
	if (ll >= 8 && strcmp(line + ll - 8, " missing") == 0)
		return ANSWER_MISSING;
	if (ll >= 10 && strcmp(line + ll - 10, " ambiguous") == 0)
		return ANSWER_AMBIGUOUS;
	/* "<oid> <type> <size>" */
	char *sp1 = strchr(line, ' ');
	char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	char *end = NULL;
	errno = 0;
	unsigned long long size = sp2 ? strtoull(sp2 + 1, &end, 10) : 0;
	if (!sp2 || end == sp2 + 1 || *end || errno || size > (unsigned long long)SIZE_MAX - 2) {
		fail(r, "git answered something unexpected");
		return ANSWER_FAILED;
	}
	*type = wl_xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	bool keep = body && size <= limit;
	char *data = keep ? wl_xmalloc((size_t)size + 1) : NULL;
	char lf = 0;
	if (!read_bytes(r, data, (size_t)size) || !read_bytes(r, &lf, 1) || lf != '\n') {
		free(data);
		free(*type);
		*type = NULL;
		fail(r, "git stopped answering");
		return ANSWER_FAILED;
	}
	if (body && !keep)
		return ANSWER_TOO_LARGE;
	if (keep) {
		data[size] = '\0';
		*body = data;
		*len = (size_t)size;
	}
	return ANSWER_OBJECT;
}

static git_repo *
repo_for(wl_git_reader *g, const char *root)
{
	for (size_t i = 0; i < g->n_repos; i++)
		if (strcmp(g->repos[i]->root, root) == 0)
			return g->repos[i];
	git_repo *r = wl_xcalloc(1, sizeof(*r));
	r->root = wl_xstrdup(root);
	r->in = r->out = r->err = -1;
	g->repos = wl_xrealloc(g->repos, (g->n_repos + 1) * sizeof(*g->repos));
	g->repos[g->n_repos++] = r;
	start(r);
	return r;
}

/* NULL when `rev` names a commit of `r`, else why not (borrowed). */
static const char *
check_rev(git_repo *r, const char *rev)
{
	for (size_t i = 0; i < r->n_revs; i++)
		if (strcmp(r->revs[i].rev, rev) == 0)
			return r->revs[i].error;
	char *name = wl_xasprintf("%s^{commit}", rev);
	char *type = NULL;
	answer a = ask(r, name, 0, &type, NULL, NULL);
	free(name);
	free(type);
	if (a == ANSWER_FAILED)
		return r->dead;
	r->revs = wl_xrealloc(r->revs, (r->n_revs + 1) * sizeof(*r->revs));
	git_rev *e = &r->revs[r->n_revs++];
	e->rev = wl_xstrdup(rev);
	e->error = a == ANSWER_OBJECT
	               ? NULL
	               : wl_xasprintf("%s revision in the repository at %s",
	                              a == ANSWER_AMBIGUOUS ? "an ambiguous" : "no such", r->root);
	return e->error;
}

wl_git_status
wl_git_reader_read(wl_git_reader *g, const char *config_path, const char *rev, char **bytes,
                   size_t *len, char **error)
{
	*bytes = NULL;
	*len = 0;
	*error = NULL;
	if (!*rev || rev[0] == '-' || strchr(rev, '\n')) {
		*error = wl_xasprintf("'%s' is not a revision", rev);
		return WL_GIT_ERROR;
	}
	const char *slash = strrchr(config_path, '/');
	char *dir = slash ? wl_xstrndup(config_path,
	                                slash == config_path ? 1 : (size_t)(slash - config_path))
	                  : wl_xstrdup(".");
	const char *base = slash ? slash + 1 : config_path;
	char *root = wl_path_repo_root(dir);
	char *real_dir = realpath(dir, NULL);
	free(dir);
	if (!root || !real_dir) {
		free(root);
		free(real_dir);
		*error = wl_xasprintf("%s is not in a git repository", config_path);
		return WL_GIT_ERROR;
	}
	const char *rel_dir = real_dir + (strcmp(root, "/") == 0 ? 1 : strlen(root));
	while (*rel_dir == '/')
		rel_dir++;
	char *rel = wl_xasprintf("%s%s%s", rel_dir, *rel_dir ? "/" : "", base);
	free(real_dir);
	git_repo *r = repo_for(g, root);
	free(root);
	if (strchr(rel, '\n')) {
		*error =
		    wl_xasprintf("%s: git cannot be asked for a path with a newline", config_path);
		free(rel);
		return WL_GIT_ERROR;
	}
	const char *why = r->dead ? r->dead : check_rev(r, rev);
	if (why) {
		*error = wl_xstrdup(why);
		free(rel);
		return WL_GIT_ERROR;
	}
	char *name = wl_xasprintf("%s:%s", rev, rel);
	free(rel);
	char *type = NULL;
	answer a = ask(r, name, g->limit, &type, bytes, len);
	wl_git_status result = WL_GIT_ERROR;
	switch (a) {
	case ANSWER_OBJECT:
		if (strcmp(type, "blob") == 0) {
			result = WL_GIT_OK;
		} else {
			*error = wl_xasprintf("%s is a %s, not a file", name, type);
			free(*bytes);
			*bytes = NULL;
			*len = 0;
		}
		break;
	case ANSWER_MISSING:
		result = WL_GIT_ABSENT;
		break;
	case ANSWER_AMBIGUOUS: /* not for a path below a checked commit */
	case ANSWER_FAILED:
		*error = wl_xstrdup(r->dead ? r->dead : "git failed");
		break;
	case ANSWER_TOO_LARGE:
		*error = wl_xasprintf("%s is larger than %zu bytes", name, g->limit);
		break;
	}
	free(type);
	free(name);
	return result;
}

void
wl_git_reader_free(wl_git_reader *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_repos; i++) {
		git_repo *r = g->repos[i];
		/* The end of its input is git's signal to exit. */
		close_fd(&r->in);
		close_fd(&r->out);
		close_fd(&r->err);
		int status;
		reap(r, &status);
		for (size_t j = 0; j < r->n_revs; j++) {
			free(r->revs[j].rev);
			free(r->revs[j].error);
		}
		free(r->revs);
		free(r->rbuf);
		free(r->dead);
		free(r->root);
		free(r);
	}
	free(g->repos);
	free(g);
}
