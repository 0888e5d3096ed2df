#include "transport.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

#define READ_CHUNK  ((size_t)64 * 1024)
#define MEM_CHUNK   ((size_t)4096)
#define SHRINK_OVER ((size_t)1024 * 1024)

long long
wl_lsp_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
init(wl_lsp_reader *r)
{
	r->cap = READ_CHUNK;
	r->buf = wl_xmalloc(r->cap);
	r->limit = WL_LSP_MAX_MESSAGE;
}

void
wl_lsp_reader_init_fd(wl_lsp_reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	init(r);
}

void
wl_lsp_reader_init_mem(wl_lsp_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->mem = data;
	r->mem_len = len;
	init(r);
}

void
wl_lsp_reader_free(wl_lsp_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* The length of the header block at p (through its empty line), or 0 when it
 * has not ended yet. A bare LF is accepted where CR LF belongs. */
static size_t
header_end(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < n && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The Content-Length of a header block; false when there is none or it is
 * not a number. Other headers (Content-Type) are ignored. */
static bool
content_length(const char *p, size_t n, size_t *out)
{
	static const char name[] = "content-length:";
	const size_t name_len = sizeof(name) - 1;
	bool found = false;
	for (size_t i = 0; i < n;) {
		size_t eol = i;
		while (eol < n && p[eol] != '\n')
			eol++;
		size_t e = eol;
		if (e > i && p[e - 1] == '\r')
			e--;
		if (e - i > name_len && strncasecmp(p + i, name, name_len) == 0) {
			size_t j = i + name_len, v = 0, digits = 0;
			while (j < e && (p[j] == ' ' || p[j] == '\t'))
				j++;
			for (; j < e && p[j] >= '0' && p[j] <= '9'; j++, digits++) {
				if (v > (SIZE_MAX - 9) / 10)
					v = SIZE_MAX; /* saturates: over any limit */
				else
					v = v * 10 + (size_t)(p[j] - '0');
			}
			while (j < e && (p[j] == ' ' || p[j] == '\t'))
				j++;
			if (digits == 0 || j != e)
				return false;
			*out = v;
			found = true;
		}
		i = eol + 1;
	}
	return found;
}

/* Reads what is available into the buffer, waiting at most `wait_ms`
 * (< 0: for ever). Returns the bytes read, 0 at end of input, -1 on timeout. */
static long
fill(wl_lsp_reader *r, int wait_ms)
{
	if (r->start == r->len) {
		r->start = r->len = 0;
	} else if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	size_t need = r->len + READ_CHUNK;
	if (r->have_header && r->body_len + 1 > need)
		need = r->body_len + 1;
	if (need > r->cap) {
		r->cap = need;
		r->buf = wl_xrealloc(r->buf, r->cap);
	}
	size_t room = r->cap - r->len;
	if (r->fd < 0) {
		size_t n = r->mem_len - r->mem_pos;
		if (n > MEM_CHUNK)
			n = MEM_CHUNK;
		if (n > room)
			n = room;
		memcpy(r->buf + r->len, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		r->len += n;
		return (long)n;
	}
	long long deadline = wait_ms < 0 ? -1 : wl_lsp_now_ms() + wait_ms;
	for (;;) {
		wl_lsp_writer *w = r->writer;
		bool out = w && wl_lsp_writer_pending(w) && !w->failed;
		struct pollfd pfd[2] = {{.fd = r->fd, .events = POLLIN},
		                        {.fd = out ? w->fd : -1, .events = POLLOUT}};
		int wait = -1;
		if (deadline >= 0) {
			long long left = deadline - wl_lsp_now_ms();
			wait = left > 0 ? (int)left : 0;
		}
		int pr = poll(pfd, 2, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0)
			return -1;
		if (out && pfd[1].revents)
			wl_lsp_writer_pump(w);
		if (!pfd[0].revents)
			continue;
		ssize_t n = read(r->fd, r->buf + r->len, room);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return 0; /* end of input, or a descriptor that failed */
		r->len += (size_t)n;
		return (long)n;
	}
}

wl_lsp_read_status
wl_lsp_read(wl_lsp_reader *r, int timeout_ms, const char **body, size_t *len)
{
	long long deadline = timeout_ms < 0 ? -1 : wl_lsp_now_ms() + timeout_ms;
	if (r->start == r->len) {
		r->start = r->len = 0;
		if (r->cap > SHRINK_OVER) { /* a large message has gone: give its memory back */
			r->cap = READ_CHUNK;
			r->buf = wl_xrealloc(r->buf, r->cap);
		}
	}
	for (;;) {
		if (r->discard) {
			size_t k = r->len - r->start;
			if (k > r->discard)
				k = r->discard;
			r->start += k;
			r->discard -= k;
		}
		if (!r->discard && !r->have_header) {
			size_t avail = r->len - r->start;
			size_t h = header_end(r->buf + r->start, avail);
			if (h) {
				size_t n = 0;
				bool ok = content_length(r->buf + r->start, h, &n);
				r->start += h;
				if (!ok)
					return WL_LSP_READ_BAD_HEADER;
				if (n > r->limit) {
					r->discard = n;
					*len = n;
					return WL_LSP_READ_TOO_LARGE;
				}
				r->have_header = true;
				r->body_len = n;
			} else if (avail > WL_LSP_MAX_HEADER) {
				/* Keep a possible start of the terminator. */
				r->start = r->len - 3;
				return WL_LSP_READ_BAD_HEADER;
			}
		}
		if (!r->discard && r->have_header && r->len - r->start >= r->body_len) {
			*body = r->buf + r->start;
			*len = r->body_len;
			r->start += r->body_len;
			r->have_header = false;
			return WL_LSP_READ_MESSAGE;
		}
		if (r->eof)
			return WL_LSP_READ_EOF;
		int wait = -1;
		if (deadline >= 0) {
			long long left = deadline - wl_lsp_now_ms();
			wait = left > 0 ? (int)left : 0;
		}
		long n = fill(r, wait);
		if (n < 0)
			return WL_LSP_READ_TIMEOUT;
		if (n == 0)
			r->eof = true;
	}
}

void
wl_lsp_writer_init(wl_lsp_writer *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
}

bool
wl_lsp_writer_pending(const wl_lsp_writer *w)
{
	return w->len > w->start;
}

void
wl_lsp_writer_queue(wl_lsp_writer *w, const char *body, size_t len)
{
	if (w->fd < 0 || w->failed)
		return;
	char header[64];
	int h = snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", len);
	if (w->start == w->len)
		w->start = w->len = 0;
	wl_xgrow((void **)&w->buf, &w->cap, w->len + (size_t)h + len, 1);
	memcpy(w->buf + w->len, header, (size_t)h);
	memcpy(w->buf + w->len + h, body, len);
	w->len += (size_t)h + len;
	wl_lsp_writer_pump(w);
}

void
wl_lsp_writer_pump(wl_lsp_writer *w)
{
	while (wl_lsp_writer_pending(w) && !w->failed) {
		struct pollfd pfd = {.fd = w->fd, .events = POLLOUT};
		int pr = poll(&pfd, 1, 0);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return; /* full: the rest waits for the client to read */
		if (pfd.revents & (POLLERR | POLLNVAL)) {
			w->failed = true;
			return;
		}
		/* Up to PIPE_BUF bytes fit in a pipe that polls writable. */
		size_t n = w->len - w->start;
		if (n > PIPE_BUF)
			n = PIPE_BUF;
		ssize_t k = write(w->fd, w->buf + w->start, n);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0) {
			w->failed = true;
			return;
		}
		w->start += (size_t)k;
	}
	if (w->start == w->len) {
		w->start = w->len = 0;
		if (w->cap > SHRINK_OVER) {
			free(w->buf);
			w->buf = NULL;
			w->cap = 0;
		}
	}
}

void
wl_lsp_writer_finish(wl_lsp_writer *w)
{
	while (w->fd >= 0 && !w->failed && wl_lsp_writer_pending(w)) {
		ssize_t k = write(w->fd, w->buf + w->start, w->len - w->start);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		w->start += (size_t)k;
	}
	free(w->buf);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}
