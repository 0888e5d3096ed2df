/* The base protocol of the Language Server Protocol: messages framed by a
 * "Content-Length: N" header block (ended by an empty line) and N bytes of
 * body, read from a file descriptor or, for the fuzzer, from memory.
 *
 * The reader owns its buffer; a body it returns points into that buffer and
 * stays valid until the next call. It never holds more than one message plus
 * one read's worth of bytes: a body over the size limit is reported at once
 * (WL_LSP_READ_TOO_LARGE) and then dropped as it arrives, without being
 * stored, and a header block that grows past WL_LSP_MAX_HEADER without
 * ending is reported and dropped the same way. */
#ifndef WL_LSP_TRANSPORT_H
#define WL_LSP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "lint.h"

/* The largest body accepted: room for a document at the linter's own file
 * limit, with JSON string escaping on top. */
#define WL_LSP_MAX_MESSAGE (2 * WL_MAX_FILE_SIZE)
/* The largest header block accepted. */
#define WL_LSP_MAX_HEADER 8192

typedef enum wl_lsp_read_status {
	WL_LSP_READ_MESSAGE,   /* *body, *len: one message body */
	WL_LSP_READ_TIMEOUT,   /* nothing complete before the timeout */
	WL_LSP_READ_EOF,       /* end of input (a partial message at the end is dropped) */
	WL_LSP_READ_TOO_LARGE, /* *len: the announced size, over the limit */
	WL_LSP_READ_BAD_HEADER /* a header block without a valid Content-Length */
} wl_lsp_read_status;

/* Messages to the client, queued and written only as far as the descriptor
 * takes them without blocking (at most PIPE_BUF bytes per ready poll), so a
 * client that writes a long burst before it reads never deadlocks with us.
 * The queue holds what the client has not read yet: answers to what it sent. */
typedef struct wl_lsp_writer {
	int fd;    /* -1: output is discarded */
	char *buf; /* owned */
	size_t start, len, cap;
	bool failed; /* the descriptor failed: the client has gone */
} wl_lsp_writer;

void wl_lsp_writer_init(wl_lsp_writer *w, int fd);
/* Queues one message (header and body), then writes what it can at once. */
void wl_lsp_writer_queue(wl_lsp_writer *w, const char *body, size_t len);
/* Writes what the descriptor takes without blocking. */
void wl_lsp_writer_pump(wl_lsp_writer *w);
bool wl_lsp_writer_pending(const wl_lsp_writer *w);
/* Writes everything left, blocking (at the end of the session), and frees. */
void wl_lsp_writer_finish(wl_lsp_writer *w);

typedef struct wl_lsp_reader {
	int fd;          /* -1: read from `mem` */
	const char *mem; /* borrowed */
	size_t mem_len, mem_pos;
	char *buf; /* owned */
	size_t start, len, cap;
	size_t limit;
	bool have_header;
	size_t body_len;
	size_t discard; /* bytes of an oversized body still to drop */
	bool eof;
	wl_lsp_writer *writer; /* borrowed, may be NULL: pumped while waiting for input */
} wl_lsp_reader;

void wl_lsp_reader_init_fd(wl_lsp_reader *r, int fd);
/* Reads from `data` (borrowed), a few kilobytes at a time, then EOF. */
void wl_lsp_reader_init_mem(wl_lsp_reader *r, const char *data, size_t len);
void wl_lsp_reader_free(wl_lsp_reader *r);

/* The next event. `timeout_ms` < 0 waits for ever; 0 returns at once when
 * nothing complete is buffered and nothing can be read without waiting. */
wl_lsp_read_status wl_lsp_read(wl_lsp_reader *r, int timeout_ms, const char **body, size_t *len);

/* Milliseconds of a monotonic clock. */
long long wl_lsp_now_ms(void);

#endif
