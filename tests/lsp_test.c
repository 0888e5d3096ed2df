/* Protocol test of `wrangler-lint --lsp`: spawns the server with pipes and
 * speaks LSP to it as an editor would (framing, lifecycle, errors, position
 * encodings, text sync, diagnostics, code actions, hover, project files,
 * exit statuses). Edits the server proposes are applied here with the
 * library's own position conversion and sent back, so a wrong range shows up
 * as a wrong document.
 *
 * usage: lsp-test WRANGLER_LINT_BINARY */
#define _GNU_SOURCE /* memmem, usleep */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fix.h"
#include "lint.h"
#include "source.h"
#include "xalloc.h"

static const char *binary;
static int failures, checks;
static const char *current;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		checks++;                                                                          \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			fprintf(stderr, "FAIL %s (%s:%d): %s: ", current, __FILE__, __LINE__,      \
			        #cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

/* The default URI: a folder that does not exist, so no project file, sibling
 * or $schema file on this machine can change the results. */
#define URI "file:///nonexistent-wl-lsp-test/wrangler.jsonc"

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* ---- the client ---- */

typedef struct client {
	pid_t pid;
	int to, from;
	char *buf;
	size_t len, cap;
	bool eof;
	int next_id;
} client;

static client *
start(void)
{
	int in[2], out[2];
	if (pipe(in) || pipe(out)) {
		perror("pipe");
		exit(2);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(binary, binary, "--lsp", (char *)NULL);
		perror("exec");
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	client *c = wl_xcalloc(1, sizeof(*c));
	c->pid = pid;
	c->to = in[1];
	c->from = out[0];
	c->next_id = 100;
	return c;
}

static void
send_raw(client *c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(c->to, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the server has gone: the checks will say so */
		p += w;
		n -= (size_t)w;
	}
}

static void
send_str(client *c, const char *s)
{
	send_raw(c, s, strlen(s));
}

static void
send_body(client *c, const char *body)
{
	char header[64];
	int h = snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", strlen(body));
	char *all = wl_xasprintf("%s%s", header, body);
	send_raw(c, all, strlen(all));
	free(all);
	(void)h;
}

static void send_json(client *c, const char *fmt, ...) WL_PRINTF(2, 3);

static void
send_json(client *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *body = wl_xvasprintf(fmt, ap);
	va_end(ap);
	send_body(c, body);
	free(body);
}

/* Sends a json-c message (taken). */
static void
send_obj(client *c, struct json_object *o)
{
	json_object_object_add(o, "jsonrpc", json_object_new_string("2.0"));
	send_body(c, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* The next message, or NULL after timeout_ms or at end of output. */
static struct json_object *
recv_msg(client *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		char *end = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
		if (end) {
			size_t hlen = (size_t)(end - c->buf) + 4;
			size_t n = 0;
			if (sscanf(c->buf, "Content-Length: %zu", &n) == 1 && c->len >= hlen + n) {
				struct json_tokener *tok = json_tokener_new();
				struct json_object *o =
				    json_tokener_parse_ex(tok, c->buf + hlen, (int)n);
				json_tokener_free(tok);
				memmove(c->buf, c->buf + hlen + n, c->len - hlen - n);
				c->len -= hlen + n;
				return o;
			}
		}
		if (c->eof)
			return NULL;
		long long left = deadline - now_ms();
		if (left <= 0)
			return NULL;
		struct pollfd pfd = {.fd = c->from, .events = POLLIN};
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		wl_xgrow((void **)&c->buf, &c->cap, c->len + 65536, 1);
		ssize_t r = read(c->from, c->buf + c->len, c->cap - c->len);
		if (r <= 0)
			c->eof = true;
		else
			c->len += (size_t)r;
	}
}

static struct json_object *
get(struct json_object *o, const char *path)
{
	/* "a.b.0.c": members and array indices. */
	char *copy = wl_xstrdup(path), *save = NULL;
	for (char *seg = strtok_r(copy, ".", &save); seg && o; seg = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array)) {
			o = json_object_array_get_idx(o, (size_t)atoi(seg));
		} else if (json_object_is_type(o, json_type_object)) {
			struct json_object *v = NULL;
			json_object_object_get_ex(o, seg, &v);
			o = v;
		} else {
			o = NULL;
		}
	}
	free(copy);
	return o;
}

static const char *
str(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static long long
num(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);
	return v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

static bool
has(struct json_object *o, const char *path)
{
	char *copy = wl_xstrdup(path);
	char *dot = strrchr(copy, '.');
	struct json_object *parent = o;
	const char *last = copy;
	if (dot) {
		*dot = '\0';
		parent = get(o, copy);
		last = dot + 1;
	}
	bool found = parent && json_object_is_type(parent, json_type_object) &&
	             json_object_object_get_ex(parent, last, NULL);
	free(copy);
	return found;
}

/* Messages skipped while waiting for something else are counted by kind. */
static int skipped_publishes;

/* The response to request `id`; other messages are dropped. */
static struct json_object *
response(client *c, int id, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - now_ms();
		struct json_object *m = recv_msg(c, left > 0 ? (int)left : 0);
		if (!m)
			return NULL;
		if (has(m, "id") && !has(m, "method") && num(m, "id") == id)
			return m;
		if (str(m, "method") &&
		    strcmp(str(m, "method"), "textDocument/publishDiagnostics") == 0)
			skipped_publishes++;
		json_object_put(m);
	}
}

/* The response whose id is null (errors about unreadable messages). */
static struct json_object *
null_response(client *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - now_ms();
		struct json_object *m = recv_msg(c, left > 0 ? (int)left : 0);
		if (!m)
			return NULL;
		if (has(m, "id") && get(m, "id") == NULL)
			return m;
		json_object_put(m);
	}
}

/* The next publishDiagnostics for `uri`. */
static struct json_object *
publication(client *c, const char *uri, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		long long left = deadline - now_ms();
		struct json_object *m = recv_msg(c, left > 0 ? (int)left : 0);
		if (!m)
			return NULL;
		const char *method = str(m, "method");
		if (method && strcmp(method, "textDocument/publishDiagnostics") == 0 &&
		    str(m, "params.uri") && strcmp(str(m, "params.uri"), uri) == 0)
			return m;
		json_object_put(m);
	}
}

static int
request(client *c, const char *method, struct json_object *params)
{
	int id = c->next_id++;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int(id));
	json_object_object_add(o, "method", json_object_new_string(method));
	if (params)
		json_object_object_add(o, "params", params);
	send_obj(c, o);
	return id;
}

static void
notify(client *c, const char *method, struct json_object *params)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "method", json_object_new_string(method));
	if (params)
		json_object_object_add(o, "params", params);
	send_obj(c, o);
}

/* Waits for the server to end; returns its exit status, or -1 when it had to
 * be killed (it hung) or died of a signal. */
static int
finish(client *c)
{
	close(c->to);
	int status = 0;
	long long deadline = now_ms() + 10000;
	pid_t r;
	while ((r = waitpid(c->pid, &status, WNOHANG)) == 0 && now_ms() < deadline) {
		/* Drain its output so it never blocks writing. */
		struct json_object *m = recv_msg(c, 10);
		json_object_put(m);
	}
	if (r == 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &status, 0);
		status = -1;
	} else {
		status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	close(c->from);
	free(c->buf);
	free(c);
	return status;
}

static struct json_object *
initialize(client *c, const char *encodings_json)
{
	struct json_object *params = json_object_new_object();
	struct json_object *caps = json_object_new_object();
	if (encodings_json) {
		struct json_object *general = json_object_new_object();
		json_object_object_add(general, "positionEncodings",
		                       json_tokener_parse(encodings_json));
		json_object_object_add(caps, "general", general);
	}
	json_object_object_add(params, "capabilities", caps);
	json_object_object_add(params, "processId", NULL);
	int id = request(c, "initialize", params);
	struct json_object *r = response(c, id, 5000);
	notify(c, "initialized", json_object_new_object());
	return r;
}

static client *
started(void)
{
	client *c = start();
	json_object_put(initialize(c, NULL));
	return c;
}

static void
shutdown_exit(client *c, int expect)
{
	int id = request(c, "shutdown", NULL);
	struct json_object *r = response(c, id, 5000);
	CHECK(r && has(r, "result") && get(r, "result") == NULL, "shutdown answers null");
	json_object_put(r);
	notify(c, "exit", NULL);
	int st = finish(c);
	CHECK(st == expect, "exit status %d, expected %d", st, expect);
}

static struct json_object *
text_doc(const char *uri)
{
	struct json_object *td = json_object_new_object();
	json_object_object_add(td, "uri", json_object_new_string(uri));
	return td;
}

static void
open_doc(client *c, const char *uri, const char *text, int version)
{
	struct json_object *td = text_doc(uri);
	json_object_object_add(td, "languageId", json_object_new_string("jsonc"));
	json_object_object_add(td, "version", json_object_new_int(version));
	json_object_object_add(td, "text", json_object_new_string(text));
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", td);
	notify(c, "textDocument/didOpen", p);
}

static struct json_object *
pos(int line, int ch)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "line", json_object_new_int(line));
	json_object_object_add(p, "character", json_object_new_int(ch));
	return p;
}

static struct json_object *
range(int l1, int c1, int l2, int c2)
{
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "start", pos(l1, c1));
	json_object_object_add(r, "end", pos(l2, c2));
	return r;
}

/* One didChange with one change: a range edit, or the whole text when `r`
 * is NULL. */
static void
change(client *c, const char *uri, int version, struct json_object *r, const char *text)
{
	struct json_object *td = text_doc(uri);
	json_object_object_add(td, "version", json_object_new_int(version));
	struct json_object *ch = json_object_new_object();
	if (r)
		json_object_object_add(ch, "range", r);
	json_object_object_add(ch, "text", json_object_new_string(text));
	struct json_object *list = json_object_new_array();
	json_object_array_add(list, ch);
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", td);
	json_object_object_add(p, "contentChanges", list);
	notify(c, "textDocument/didChange", p);
}

static struct json_object *
diags_of(struct json_object *pub)
{
	return get(pub, "params.diagnostics");
}

static size_t
count(struct json_object *arr)
{
	return arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

/* The first diagnostic with this code. */
static struct json_object *
find_code(struct json_object *diags, const char *code)
{
	for (size_t i = 0; i < count(diags); i++) {
		struct json_object *d = json_object_array_get_idx(diags, i);
		if (str(d, "code") && strcmp(str(d, "code"), code) == 0)
			return d;
	}
	return NULL;
}

/* Applies LSP TextEdits (non-overlapping, against `text`) as an editor does;
 * returns the new text (owned). */
static char *
apply_edits(const char *text, struct json_object *edits, wl_encoding enc)
{
	wl_source *src = wl_source_new("t", text, strlen(text));
	size_t n = count(edits);
	uint32_t *s = wl_xcalloc(n + 1, sizeof(*s)), *e = wl_xcalloc(n + 1, sizeof(*e));
	size_t *order = wl_xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n; i++) {
		struct json_object *ed = json_object_array_get_idx(edits, i);
		s[i] = wl_source_unit_offset(src, (uint32_t)num(ed, "range.start.line"),
		                             (uint32_t)num(ed, "range.start.character"), enc);
		e[i] = wl_source_unit_offset(src, (uint32_t)num(ed, "range.end.line"),
		                             (uint32_t)num(ed, "range.end.character"), enc);
		order[i] = i;
	}
	/* Insertion sort by start, descending, so earlier offsets stay valid. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && s[order[j - 1]] < s[order[j]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	char *cur = wl_xstrdup(text);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		const char *nt = str(json_object_array_get_idx(edits, i), "newText");
		char *next = wl_xasprintf("%.*s%s%s", (int)s[i], cur, nt ? nt : "", cur + e[i]);
		free(cur);
		cur = next;
	}
	free(s);
	free(e);
	free(order);
	wl_source_free(src);
	return cur;
}

/* ---- the tests ---- */

static const char config_fixable[] =
    "{\n"
    "  \"name\": \"w\",\n"
    "  \"compatibility_date\": \"2024-01-01\",\n"
    "  \"migrations\": [\n"
    "    { \"tag\": \"v1\", \"new_sqlite_clases\": [\"A\"] }\n"
    "  ],\n"
    "  \"durable_objects\": {\n"
    "    \"bindings\": [{ \"name\": \"A\", \"class_name\": \"A\" }]\n"
    "  }\n"
    "}\n";

static void
test_lifecycle(void)
{
	current = "lifecycle";
	client *c = start();
	struct json_object *r = initialize(c, NULL);
	CHECK(r != NULL, "initialize is answered");
	CHECK(str(r, "result.capabilities.positionEncoding") &&
	          strcmp(str(r, "result.capabilities.positionEncoding"), "utf-16") == 0,
	      "UTF-16 when the client offers nothing");
	CHECK(num(r, "result.capabilities.textDocumentSync.change") == 2, "incremental sync");
	CHECK(get(r, "result.capabilities.textDocumentSync.openClose") != NULL, "openClose");
	CHECK(get(r, "result.capabilities.hoverProvider") != NULL, "hover");
	CHECK(get(r, "result.capabilities.completionProvider") != NULL, "completion");
	CHECK(get(r, "result.capabilities.codeActionProvider.codeActionKinds") != NULL,
	      "code action kinds");
	CHECK(str(r, "result.serverInfo.name") &&
	          strcmp(str(r, "result.serverInfo.name"), "wrangler-lint") == 0,
	      "serverInfo");
	json_object_put(r);
	int id = request(c, "initialize", json_object_new_object());
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32600, "a second initialize is refused");
	json_object_put(r);
	shutdown_exit(c, 0);

	current = "exit without shutdown";
	c = started();
	notify(c, "exit", NULL);
	CHECK(finish(c) == 1, "exit before shutdown is status 1");

	current = "end of input";
	c = started();
	CHECK(finish(c) == 1, "end of input without shutdown is status 1");
	c = started();
	id = request(c, "shutdown", NULL);
	json_object_put(response(c, id, 5000));
	CHECK(finish(c) == 0, "end of input after shutdown is status 0");

	current = "after shutdown";
	c = started();
	id = request(c, "shutdown", NULL);
	json_object_put(response(c, id, 5000));
	id = request(c, "textDocument/hover", json_object_new_object());
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32600, "requests after shutdown are InvalidRequest");
	json_object_put(r);
	notify(c, "exit", NULL);
	CHECK(finish(c) == 0, "exit after shutdown");
}

static void
test_before_initialize(void)
{
	current = "before initialize";
	client *c = start();
	open_doc(c, URI, "{ bad", 1);
	int id = request(c, "textDocument/hover", json_object_new_object());
	struct json_object *r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32002, "a request before initialize is -32002");
	CHECK(has(r, "id") && num(r, "id") == id, "with its id");
	json_object_put(r);
	id = request(c, "shutdown", NULL);
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32002, "shutdown before initialize is -32002 too");
	json_object_put(r);
	skipped_publishes = 0;
	r = initialize(c, NULL);
	CHECK(r && get(r, "result.capabilities"), "initialize still works");
	json_object_put(r);
	/* The didOpen before initialize was dropped: the document is unknown. */
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", text_doc(URI));
	json_object_object_add(p, "position", pos(0, 2));
	usleep(50000);
	id = request(c, "textDocument/hover", p);
	r = response(c, id, 5000);
	CHECK(r && has(r, "result") && get(r, "result") == NULL, "no hover on a dropped document");
	CHECK(skipped_publishes == 0, "nothing published for a notification before initialize");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static void
test_errors(void)
{
	current = "errors";
	client *c = started();
	send_body(c, "{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": ");
	struct json_object *r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32700, "a body that is not JSON is -32700");
	CHECK(r && has(r, "id") && get(r, "id") == NULL, "with id null");
	json_object_put(r);
	send_body(c, "\xff\xfe{}");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32700, "invalid UTF-8 is -32700");
	json_object_put(r);
	send_body(c, "[1, 2]");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32600, "a body that is not an object is -32600");
	json_object_put(r);
	send_body(c, "123");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32600, "a number is JSON, but not a request");
	json_object_put(r);
	send_body(c, "null");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32600, "null is JSON, but not a request");
	json_object_put(r);
	send_body(c, "  ");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32700, "an empty body is not JSON");
	json_object_put(r);
	send_body(c, "{} x");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32700, "trailing garbage is not JSON");
	json_object_put(r);

	int id = request(c, "textDocument/unknownThing", json_object_new_object());
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32601, "an unknown request is -32601");
	json_object_put(r);
	send_json(c, "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"$/unknown\"}");
	r = recv_msg(c, 5000);
	CHECK(num(r, "error.code") == -32601 && str(r, "id") && strcmp(str(r, "id"), "abc") == 0,
	      "string ids are echoed; $/ requests are -32601 too");
	json_object_put(r);

	/* Notifications without handlers are ignored: the next message is the
	 * answer to the request after them. */
	notify(c, "$/cancelRequest", json_object_new_object());
	notify(c, "workspace/somethingNew", json_object_new_object());
	notify(c, "textDocument/didChange", json_object_new_string("not an object"));
	notify(c, "textDocument/didOpen", NULL);
	send_json(c, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":[]}");
	id = request(c, "shutdown_not", NULL);
	r = recv_msg(c, 5000);
	CHECK(num(r, "id") == id, "ignored notifications produce nothing");
	json_object_put(r);

	/* Bad params of a known request. */
	id = request(c, "textDocument/codeAction", json_object_new_object());
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32602, "codeAction without a document is -32602");
	json_object_put(r);

	/* Framing: a header without Content-Length, then a good message. */
	send_str(c, "Content-Type: x\r\n\r\n");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32700, "a header without Content-Length is refused");
	json_object_put(r);
	send_str(c, "Content-Length: 12x\r\n\r\n");
	r = null_response(c, 5000);
	CHECK(r != NULL, "a malformed Content-Length is refused");
	json_object_put(r);
	id = request(c, "bogus/after-bad-header", NULL);
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32601, "the server reads on after a bad header");
	json_object_put(r);

	/* Partial reads: one message a byte at a time, split headers. */
	char *body = wl_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":7777,\"method\":\"nope\"}");
	char *msg = wl_xasprintf("content-length:  %zu\r\nContent-Type: "
	                         "application/vscode-jsonrpc; charset=utf-8\r\n\r\n%s",
	                         strlen(body), body);
	for (size_t i = 0; msg[i]; i++) {
		send_raw(c, msg + i, 1);
		if (i % 7 == 0)
			usleep(1000);
	}
	free(msg);
	free(body);
	r = response(c, 7777, 5000);
	CHECK(num(r, "error.code") == -32601, "a message sent byte by byte is read");
	json_object_put(r);
	/* Two messages in one write. */
	static const char b1[] = "{\"jsonrpc\":\"2.0\",\"id\":801,\"method\":\"a/b\"}";
	static const char b2[] = "{\"jsonrpc\":\"2.0\",\"id\":802,\"method\":\"a/b\"}";
	char *pair = wl_xasprintf("Content-Length: %zu\r\n\r\n%sContent-Length: %zu\r\n\r\n%s",
	                          strlen(b1), b1, strlen(b2), b2);
	send_str(c, pair);
	free(pair);
	r = recv_msg(c, 5000);
	CHECK(num(r, "id") == 801, "first of two messages in one write");
	json_object_put(r);
	r = recv_msg(c, 5000);
	CHECK(num(r, "id") == 802, "second of two messages in one write");
	json_object_put(r);

	/* A message over the size limit: refused at once, then skipped as it
	 * arrives, without being stored. */
	size_t big = (size_t)128 * 1024 * 1024 + 1;
	char header[64];
	snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", big);
	send_raw(c, header, strlen(header));
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32600 && str(r, "error.message") &&
	          strstr(str(r, "error.message"), "limit"),
	      "an oversized message is refused with a clear error before its body arrives");
	json_object_put(r);
	char *chunk = wl_xmalloc(1 << 20);
	memset(chunk, ' ', 1 << 20);
	for (size_t sent = 0; sent < big;) {
		size_t n = big - sent < (1 << 20) ? big - sent : (1 << 20);
		send_raw(c, chunk, n);
		sent += n;
	}
	free(chunk);
	id = request(c, "after/big", NULL);
	r = response(c, id, 10000);
	CHECK(num(r, "error.code") == -32601, "the server reads on after an oversized message");
	json_object_put(r);
	shutdown_exit(c, 0);

	current = "huge Content-Length";
	c = started();
	send_str(c, "Content-Length: 99999999999999999999999\r\n\r\n");
	r = null_response(c, 5000);
	CHECK(num(r, "error.code") == -32600, "an absurd length is refused");
	json_object_put(r);
	CHECK(finish(c) == 1, "and end of input still ends the server");

	current = "endless header";
	c = started();
	char *junk = wl_xmalloc(20000);
	memset(junk, 'x', 20000);
	send_raw(c, junk, 20000);
	free(junk);
	r = null_response(c, 5000);
	CHECK(r != NULL, "a header block without an end is refused");
	json_object_put(r);
	send_str(c, "\r\n\r\n");
	json_object_put(null_response(c, 2000));
	id = request(c, "after/junk", NULL);
	r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32601, "the server reads on after junk");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static void
test_diagnostics(void)
{
	current = "diagnostics";
	client *c = started();
	open_doc(c, URI, config_fixable, 3);
	struct json_object *p = publication(c, URI, 5000);
	CHECK(p != NULL, "published after open");
	CHECK(num(p, "params.version") == 3, "with the document's version");
	struct json_object *d = find_code(diags_of(p), "do-migration-unknown-key");
	CHECK(d != NULL, "the typo is reported");
	CHECK(num(d, "range.start.line") == 4 && num(d, "range.start.character") == 19 &&
	          num(d, "range.end.character") == 38,
	      "at the key (line %lld, %lld..%lld)", num(d, "range.start.line"),
	      num(d, "range.start.character"), num(d, "range.end.character"));
	CHECK(num(d, "severity") == 1, "errors are severity 1");
	CHECK(str(d, "source") && strcmp(str(d, "source"), "wrangler-lint") == 0, "source");
	CHECK(str(d, "codeDescription.href") &&
	          strcmp(str(d, "codeDescription.href"),
	                 "https://github.com/wrangler-lint/wrangler-lint/blob/main/docs/rules/"
	                 "do-migration-unknown-key.md") == 0,
	      "codeDescription.href is the rule's page");
	CHECK(str(d, "message") && strstr(str(d, "message"), "new_sqlite_classes"), "message");
	d = find_code(diags_of(p), "do-class-not-created");
	CHECK(d != NULL, "the class is not created");
	CHECK(count(get(d, "relatedInformation")) == 1 &&
	          strcmp(str(d, "relatedInformation.0.location.uri"), URI) == 0 &&
	          num(d, "relatedInformation.0.location.range.start.line") == 3 &&
	          str(d, "relatedInformation.0.message"),
	      "relatedInformation with its location");
	json_object_put(p);

	/* Tags and severities: a deprecated key, an unused suppression, a note. */
	static const char tagged[] =
	    "{\n"
	    "  \"name\": \"w\",\n"
	    "  \"compatibility_date\": \"2024-01-01\",\n"
	    "  \"usage_model\": \"bundled\",\n"
	    "  // wrangler-lint-disable-next-line jsonc-syntax\n"
	    "  \"main\": \"index.js\",\n"
	    "  \"migrations\": [{ \"tag\": \"v1\", \"new_sqlite_classes\": [\"Unused\"] }]\n"
	    "}\n";
	change(c, URI, 4, NULL, tagged);
	p = publication(c, URI, 5000);
	CHECK(num(p, "params.version") == 4, "republished after a full change");
	d = find_code(diags_of(p), "schema-deprecated");
	CHECK(d && num(d, "tags.0") == 2 && num(d, "severity") == 2,
	      "a deprecated key is a warning tagged Deprecated");
	d = find_code(diags_of(p), "suppression-unused");
	CHECK(d && num(d, "tags.0") == 1, "an unused suppression is tagged Unnecessary");
	d = find_code(diags_of(p), "do-class-unbound");
	CHECK(d && num(d, "severity") == 3 && !has(d, "tags"), "a note is Information, untagged");
	json_object_put(p);

	/* Files that are not wrangler configs are not linted. */
	open_doc(c, "file:///nonexistent-wl-lsp-test/package.json", "{ bad", 1);
	usleep(60000);
	skipped_publishes = 0;
	int id = request(c, "other/ping", NULL);
	json_object_put(response(c, id, 5000));
	CHECK(skipped_publishes == 0, "package.json is left alone");

	/* Close clears. */
	struct json_object *cp = json_object_new_object();
	json_object_object_add(cp, "textDocument", text_doc(URI));
	notify(c, "textDocument/didClose", cp);
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0 && get(p, "params.diagnostics"),
	      "didClose publishes an empty list");
	json_object_put(p);
	/* A closed document is forgotten: changes to it are ignored. */
	change(c, URI, 9, NULL, "{ broken");
	usleep(60000);
	skipped_publishes = 0;
	id = request(c, "other/ping", NULL);
	json_object_put(response(c, id, 5000));
	CHECK(skipped_publishes == 0, "no publication for a closed document");

	/* Every accepted name; an untitled (non-file) URI by its name. */
	const char *uris[] = {"file:///nonexistent-wl-lsp-test/a/wrangler.json",
	                      "untitled:/x/wrangler.jsonc",
	                      "file:///nonexistent-wl-lsp-test/b%20c/wrangler.jsonc"};
	for (size_t i = 0; i < 3; i++) {
		open_doc(c, uris[i], "{ \"name\": 1, }", 1);
		p = publication(c, uris[i], 5000);
		CHECK(find_code(diags_of(p), "schema-type") != NULL, "%s is linted", uris[i]);
		if (i == 0)
			CHECK(find_code(diags_of(p), "jsonc-comment-in-json") != NULL,
			      "wrangler.json is strict JSON");
		json_object_put(p);
	}
	shutdown_exit(c, 0);
}

static void
test_incremental(void)
{
	current = "incremental edits";
	client *c = started();
	open_doc(c, URI, "{\n  \"name\": \"w\"\n}\n", 1);
	struct json_object *p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "a clean file has no diagnostics (got %zu)",
	      count(diags_of(p)));
	json_object_put(p);
	/* Two changes in one notification, applied in order: insert a member,
	 * then break the first one's value. */
	struct json_object *td = text_doc(URI);
	json_object_object_add(td, "version", json_object_new_int(2));
	struct json_object *list = json_object_new_array();
	struct json_object *ch = json_object_new_object();
	json_object_object_add(ch, "range", range(1, 13, 1, 13));
	json_object_object_add(ch, "text", json_object_new_string(",\n  \"main\": 5"));
	json_object_array_add(list, ch);
	ch = json_object_new_object();
	json_object_object_add(ch, "range", range(1, 10, 1, 13));
	json_object_object_add(ch, "text", json_object_new_string("true"));
	json_object_array_add(list, ch);
	struct json_object *params = json_object_new_object();
	json_object_object_add(params, "textDocument", td);
	json_object_object_add(params, "contentChanges", list);
	notify(c, "textDocument/didChange", params);
	p = publication(c, URI, 5000);
	struct json_object *ds = diags_of(p);
	CHECK(count(ds) == 2, "two type errors after the edits (got %zu)", count(ds));
	/* {\n  "name": true,\n  "main": 5\n}: name's value at 1:10, main's at 2:10 */
	CHECK(num(ds, "0.range.start.line") == 1 && num(ds, "0.range.start.character") == 10 &&
	          num(ds, "0.range.end.character") == 14,
	      "name's value edited in place");
	CHECK(num(ds, "1.range.start.line") == 2 && num(ds, "1.range.start.character") == 10,
	      "main inserted on a new line");
	CHECK(num(p, "params.version") == 2, "version 2");
	json_object_put(p);
	/* Deleting across lines, and a range past the end (clamped). */
	change(c, URI, 3, range(1, 14, 2, 11), "");
	p = publication(c, URI, 5000);
	CHECK(count(diags_of(p)) == 1, "the inserted member deleted (got %zu)", count(diags_of(p)));
	json_object_put(p);
	change(c, URI, 4, range(1, 10, 1, 14), "\"w\"");
	p = publication(c, URI, 5000);
	CHECK(count(diags_of(p)) == 0, "and the value restored");
	json_object_put(p);
	change(c, URI, 5, range(40, 0, 50, 3), "\n");
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "an insertion past the end is appended");
	json_object_put(p);

	/* didSave re-checks. */
	struct json_object *sp = json_object_new_object();
	json_object_object_add(sp, "textDocument", text_doc(URI));
	notify(c, "textDocument/didSave", sp);
	p = publication(c, URI, 5000);
	CHECK(p != NULL, "didSave publishes");
	json_object_put(p);
	/* Saving another file (a source file a config may name) re-checks. */
	sp = json_object_new_object();
	json_object_object_add(sp, "textDocument",
	                       text_doc("file:///nonexistent-wl-lsp-test/src/index.ts"));
	notify(c, "textDocument/didSave", sp);
	p = publication(c, URI, 5000);
	CHECK(p != NULL, "didSave of another file re-checks the open configs");
	json_object_put(p);
	shutdown_exit(c, 0);
}

/* A line with two astral characters (two UTF-16 units, four UTF-8 bytes
 * each) before the value at fault. */
static const char astral[] = "{\n  \"vars\": { \"a\": \"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\" }, "
                             "\"name\": 5\n}\n";
/* `  "vars": { "a": "` is 18 units, then the two characters, then
 * `" }, "name": ` (13): the 5 is at 18 + 4 + 13 = 35 in UTF-16 and
 * 18 + 8 + 13 = 39 in UTF-8. */

static void
test_encodings(void)
{
	current = "utf-16 positions";
	client *c = started();
	open_doc(c, URI, astral, 1);
	struct json_object *p = publication(c, URI, 5000);
	struct json_object *d = find_code(diags_of(p), "schema-type");
	CHECK(d && num(d, "range.start.line") == 1 && num(d, "range.start.character") == 35 &&
	          num(d, "range.end.character") == 36,
	      "astral characters are two UTF-16 units (got %lld)", num(d, "range.start.character"));
	json_object_put(p);
	/* An edit positioned in UTF-16 after them lands on the 5. */
	change(c, URI, 2, range(1, 35, 1, 36), "\"ok\"");
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "a UTF-16 range replaced the value (%zu left)",
	      count(diags_of(p)));
	json_object_put(p);
	/* Half a surrogate pair is the start of the character. */
	change(c, URI, 3, range(1, 19, 1, 19), "x");
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "an insertion inside a pair goes before it");
	json_object_put(p);
	shutdown_exit(c, 0);

	current = "utf-8 positions";
	c = start();
	struct json_object *r = initialize(c, "[\"utf-16\", \"utf-8\"]");
	CHECK(str(r, "result.capabilities.positionEncoding") &&
	          strcmp(str(r, "result.capabilities.positionEncoding"), "utf-8") == 0,
	      "UTF-8 when the client offers it");
	json_object_put(r);
	open_doc(c, URI, astral, 1);
	p = publication(c, URI, 5000);
	d = find_code(diags_of(p), "schema-type");
	CHECK(d && num(d, "range.start.character") == 39 && num(d, "range.end.character") == 40,
	      "columns in bytes (got %lld)", num(d, "range.start.character"));
	json_object_put(p);
	change(c, URI, 2, range(1, 39, 1, 40), "\"ok\"");
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "a UTF-8 range replaced the value");
	json_object_put(p);
	shutdown_exit(c, 0);

	current = "utf-32 only";
	c = start();
	r = initialize(c, "[\"utf-32\"]");
	CHECK(str(r, "result.capabilities.positionEncoding") &&
	          strcmp(str(r, "result.capabilities.positionEncoding"), "utf-16") == 0,
	      "UTF-16 when UTF-8 is not offered");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static void
test_coalescing(void)
{
	current = "coalescing";
	client *c = started();
	open_doc(c, URI, "{\n  \"name\": \"w\"\n}\n", 1);
	json_object_put(publication(c, URI, 5000));
	/* A burst: 40 changes in one write. */
	char *burst = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&burst, &blen);
	for (int v = 2; v <= 41; v++) {
		char *body = wl_xasprintf(
		    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
		    "\"textDocument\":{\"uri\":\"%s\",\"version\":%d},\"contentChanges\":[{"
		    "\"range\":{\"start\":{\"line\":1,\"character\":11},\"end\":{\"line\":1,"
		    "\"character\":12}},\"text\":\"%c\"}]}}",
		    URI, v, 'a' + v % 26);
		fprintf(f, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
		free(body);
	}
	fclose(f);
	send_raw(c, burst, blen);
	free(burst);
	int publishes = 0;
	long long last_version = -1;
	long long until = now_ms() + 400;
	for (;;) {
		long long left = until - now_ms();
		struct json_object *m = recv_msg(c, left > 0 ? (int)left : 0);
		if (!m)
			break;
		if (str(m, "method") &&
		    strcmp(str(m, "method"), "textDocument/publishDiagnostics") == 0) {
			publishes++;
			last_version = num(m, "params.version");
		}
		json_object_put(m);
	}
	CHECK(publishes >= 1 && publishes <= 2, "a burst of 40 changes is published %d times",
	      publishes);
	CHECK(last_version == 41, "the last publication is of the last version (%lld)",
	      last_version);

	/* Latency: from the last change to its diagnostics. */
	double samples[25];
	int n = 0;
	for (int i = 0; i < 25; i++) {
		double t0 = now_us();
		change(c, URI, 100 + i, range(1, 11, 1, 12), i % 2 ? "x" : "y");
		struct json_object *m = publication(c, URI, 5000);
		double t1 = now_us();
		if (m && num(m, "params.version") == 100 + i)
			samples[n++] = (t1 - t0) / 1000.0;
		json_object_put(m);
	}
	CHECK(n == 25, "every change published");
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && samples[j - 1] > samples[j]; j--) {
			double t = samples[j];
			samples[j] = samples[j - 1];
			samples[j - 1] = t;
		}
	double median = n ? samples[n / 2] : 1e9;
	fprintf(stderr, "latency from change to publishDiagnostics: median %.1f ms, max %.1f ms\n",
	        median, n ? samples[n - 1] : 0.0);
	CHECK(median <= 20.0, "a typical config publishes within 20 ms (median %.1f ms)", median);
	shutdown_exit(c, 0);
}

static struct json_object *
code_actions(client *c, const char *uri, struct json_object *r, const char *only)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", text_doc(uri));
	json_object_object_add(p, "range", r);
	struct json_object *ctx = json_object_new_object();
	json_object_object_add(ctx, "diagnostics", json_object_new_array());
	if (only)
		json_object_object_add(ctx, "only", json_tokener_parse(only));
	json_object_object_add(p, "context", ctx);
	int id = request(c, "textDocument/codeAction", p);
	return response(c, id, 5000);
}

static struct json_object *
action_titled(struct json_object *actions, const char *prefix)
{
	for (size_t i = 0; i < count(actions); i++) {
		struct json_object *a = json_object_array_get_idx(actions, i);
		if (str(a, "title") && strncmp(str(a, "title"), prefix, strlen(prefix)) == 0)
			return a;
	}
	return NULL;
}

static struct json_object *
edits_of(struct json_object *action, const char *uri)
{
	struct json_object *changes = get(action, "edit.changes");
	struct json_object *v = NULL;
	if (changes)
		json_object_object_get_ex(changes, uri, &v);
	return v;
}

static void
test_code_actions(void)
{
	current = "code actions";
	client *c = started();
	open_doc(c, URI, config_fixable, 1);
	json_object_put(publication(c, URI, 5000));
	struct json_object *r = code_actions(c, URI, range(4, 25, 4, 25), NULL);
	struct json_object *list = get(r, "result");
	struct json_object *fix = action_titled(list, "rename to new_sqlite_classes");
	CHECK(fix != NULL, "the fix is offered as a quickfix");
	CHECK(fix && strcmp(str(fix, "kind"), "quickfix") == 0 && get(fix, "isPreferred") &&
	          json_object_get_boolean(get(fix, "isPreferred")),
	      "kind quickfix, preferred");
	CHECK(str(fix, "diagnostics.0.code") &&
	          strcmp(str(fix, "diagnostics.0.code"), "do-migration-unknown-key") == 0,
	      "naming its diagnostic");
	char *fixed = apply_edits(config_fixable, edits_of(fix, URI), WL_ENC_UTF16);
	CHECK(strstr(fixed, "\"new_sqlite_classes\": [\"A\"]") != NULL, "the edit renames the key");
	struct json_object *dis = action_titled(list, "Disable do-migration-unknown-key");
	CHECK(dis && strcmp(str(dis, "kind"), "quickfix") == 0, "disable for this line");
	char *disabled = apply_edits(config_fixable, edits_of(dis, URI), WL_ENC_UTF16);
	CHECK(strstr(disabled, "  ],") &&
	          strstr(disabled, "\n    // wrangler-lint-disable-next-line "
	                           "do-migration-unknown-key\n    { \"tag\""),
	      "the directive goes above the line with its indentation:\n%s", disabled);
	CHECK(action_titled(list, "Fix all safe") != NULL, "fix all is offered too");
	json_object_put(r);

	/* The disabled text lints without that diagnostic. */
	change(c, URI, 2, NULL, disabled);
	struct json_object *p = publication(c, URI, 5000);
	CHECK(p && !find_code(diags_of(p), "do-migration-unknown-key") &&
	          !find_code(diags_of(p), "suppression-unused"),
	      "the directive suppresses it");
	json_object_put(p);
	/* The fixed text lints clean. */
	change(c, URI, 3, NULL, fixed);
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "the fixed text is clean (%zu left)",
	      count(diags_of(p)));
	json_object_put(p);
	free(fixed);
	free(disabled);

	/* Fix all: a missing comma and a typo, CR LF line breaks. */
	static const char two[] = "{\r\n"
	                          "  \"name\": \"w\"\r\n"
	                          "  \"migrations\": [{ \"tag\": \"v1\", \"new_sqlite_clases\": "
	                          "[\"A\"] }],\r\n"
	                          "  \"durable_objects\": { \"bindings\": [{ \"name\": \"A\", "
	                          "\"class_name\": \"A\" }] }\r\n"
	                          "}\r\n";
	change(c, URI, 4, NULL, two);
	json_object_put(publication(c, URI, 5000));
	r = code_actions(c, URI, range(0, 0, 0, 0), "[\"source.fixAll\"]");
	list = get(r, "result");
	CHECK(count(list) == 1, "only: source.fixAll gives only fix all (%zu)", count(list));
	struct json_object *all = action_titled(list, "Fix all safe");
	CHECK(all && strcmp(str(all, "kind"), "source.fixAll.wrangler-lint") == 0,
	      "kind source.fixAll.wrangler-lint");
	/* One edit of the span that differs, giving what --fix writes. */
	CHECK(count(edits_of(all, URI)) == 1, "one edit (%zu)", count(edits_of(all, URI)));
	char *both = apply_edits(two, edits_of(all, URI), WL_ENC_UTF16);
	wl_lint_options fix_opts = {.no_user_schema = true};
	wl_fix_result *cli = wl_fix_run("wrangler.jsonc", two, strlen(two), &fix_opts, false);
	CHECK(cli->changed && strcmp(both, cli->text) == 0, "fix all is --fix:\n%s\n%s", both,
	      cli->text);
	CHECK(strstr(str(all, "title"), "(2)") != NULL, "two fixes counted: %s", str(all, "title"));
	wl_fix_result_free(cli);
	json_object_put(r);
	change(c, URI, 5, NULL, both);
	p = publication(c, URI, 5000);
	CHECK(p && count(diags_of(p)) == 0, "fix all leaves a clean file (%zu left)",
	      count(diags_of(p)));
	json_object_put(p);
	free(both);
	r = code_actions(c, URI, range(0, 0, 9, 0), "[\"quickfix\"]");
	CHECK(r && count(get(r, "result")) == 0, "a clean file has no actions");
	json_object_put(r);
	/* Fix all is worked out once per lint: after the edit, nothing is left. */
	r = code_actions(c, URI, range(0, 0, 0, 0), "[\"source.fixAll\"]");
	CHECK(r && count(get(r, "result")) == 0, "no fix all once the text is fixed (%zu)",
	      count(get(r, "result")));
	json_object_put(r);

	/* The disable comment follows CR LF, and a tab indentation. */
	static const char tabbed[] = "{\r\n\t\"name\": 5\r\n}\r\n";
	change(c, URI, 6, NULL, tabbed);
	json_object_put(publication(c, URI, 5000));
	r = code_actions(c, URI, range(1, 9, 1, 9), "[\"quickfix\"]");
	dis = action_titled(get(r, "result"), "Disable schema-type");
	char *t = apply_edits(tabbed, edits_of(dis, URI), WL_ENC_UTF16);
	CHECK(strcmp(t, "{\r\n\t// wrangler-lint-disable-next-line schema-type\r\n\t\"name\": "
	                "5\r\n}\r\n") == 0,
	      "tab and CR LF kept: %s", t);
	CHECK(!action_titled(get(r, "result"), "Fix all"), "only: quickfix leaves out fix all");
	free(t);
	json_object_put(r);

	/* A directive already above the line: the rule is added to it. */
	static const char directive[] =
	    "{\n  // wrangler-lint-disable-next-line schema-pattern -- why\n"
	    "  \"name\": 5\n}\n";
	change(c, URI, 7, NULL, directive);
	json_object_put(publication(c, URI, 5000));
	r = code_actions(c, URI, range(2, 10, 2, 10), "[\"quickfix\"]");
	dis = action_titled(get(r, "result"), "Disable schema-type");
	t = apply_edits(directive, edits_of(dis, URI), WL_ENC_UTF16);
	CHECK(strcmp(t, "{\n  // wrangler-lint-disable-next-line schema-pattern, schema-type -- "
	                "why\n  \"name\": 5\n}\n") == 0,
	      "added to the directive above: %s", t);
	json_object_put(r);
	change(c, URI, 8, NULL, t);
	struct json_object *pub = publication(c, URI, 5000);
	CHECK(pub && !find_code(diags_of(pub), "schema-type"), "and it suppresses");
	json_object_put(pub);
	free(t);

	/* No disable action in a .json file (a comment would be a finding). */
	const char *json_uri = "file:///nonexistent-wl-lsp-test/j/wrangler.json";
	open_doc(c, json_uri, "{\"name\": 5}", 1);
	json_object_put(publication(c, json_uri, 5000));
	r = code_actions(c, json_uri, range(0, 9, 0, 9), NULL);
	CHECK(r && !action_titled(get(r, "result"), "Disable"), "no comment in wrangler.json");
	json_object_put(r);
	/* A document not open: an empty list. */
	r = code_actions(c, "file:///nonexistent-wl-lsp-test/z/wrangler.jsonc", range(0, 0, 0, 0),
	                 NULL);
	CHECK(r && count(get(r, "result")) == 0 && get(r, "result"),
	      "no actions for an unknown document");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static struct json_object *
hover(client *c, const char *uri, int line, int ch)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", text_doc(uri));
	json_object_object_add(p, "position", pos(line, ch));
	int id = request(c, "textDocument/hover", p);
	return response(c, id, 5000);
}

static void
test_hover(void)
{
	current = "hover";
	client *c = started();
	static const char text[] =
	    "{\n"
	    "  \"compatibility_date\": \"2024-01-01\",\n"
	    "  \"usage_model\": \"bundled\",\n"
	    "  \"compliance_region\": \"public\",\n"
	    "  \"env\": { \"production\": { \"name\": \"p\", \"main\": 3 } }\n"
	    "}\n";
	open_doc(c, URI, text, 1);
	json_object_put(publication(c, URI, 5000));
	struct json_object *r = hover(c, URI, 1, 5);
	const char *v = str(r, "result.contents.value");
	CHECK(v && strstr(v, "compatibility_date") && strstr(v, "`string`") &&
	          strstr(v, "YYYY-MM-DD"),
	      "a key's type, description and format: %s", v ? v : "(none)");
	CHECK(str(r, "result.contents.kind") &&
	          strcmp(str(r, "result.contents.kind"), "markdown") == 0,
	      "markdown");
	CHECK(num(r, "result.range.start.line") == 1 &&
	          num(r, "result.range.start.character") == 2 &&
	          num(r, "result.range.end.character") == 22,
	      "the range is the key");
	json_object_put(r);
	r = hover(c, URI, 2, 6);
	v = str(r, "result.contents.value");
	CHECK(v && strstr(v, "**Deprecated**") && strstr(v, "schema-deprecated"),
	      "a deprecated key: the deprecation and the diagnostic's rule: %s", v ? v : "(none)");
	json_object_put(r);
	r = hover(c, URI, 3, 6);
	v = str(r, "result.contents.value");
	CHECK(v && strstr(v, "Allowed values") && strstr(v, "`\"fedramp_high\"`"),
	      "allowed values: %s", v ? v : "(none)");
	json_object_put(r);
	/* env.production.name, through additionalProperties and $ref. */
	r = hover(c, URI, 4, 30);
	v = str(r, "result.contents.value");
	CHECK(v && strstr(v, "**name**") && strstr(v, "Name of the Worker"),
	      "a key inside an environment: %s", v ? v : "(none)");
	json_object_put(r);
	/* On a diagnostic's range (main's value 3): the rule's summary. */
	r = hover(c, URI, 4, 48);
	v = str(r, "result.contents.value");
	CHECK(v && strstr(v, "schema-type") && strstr(v, "docs/rules/schema-type.md"),
	      "a diagnostic's rule and page: %s", v ? v : "(none)");
	json_object_put(r);
	/* Whitespace between members: nothing. */
	r = hover(c, URI, 1, 0);
	CHECK(r && has(r, "result") && get(r, "result") == NULL, "null away from keys");
	json_object_put(r);
	r = hover(c, URI, 99, 99);
	CHECK(r && has(r, "result") && get(r, "result") == NULL, "null past the end");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static struct json_object *
completion(client *c, const char *uri, int line, int ch)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "textDocument", text_doc(uri));
	json_object_object_add(p, "position", pos(line, ch));
	int id = request(c, "textDocument/completion", p);
	return response(c, id, 5000);
}

static struct json_object *
item_labelled(struct json_object *items, const char *label)
{
	for (size_t i = 0; i < count(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		if (str(it, "label") && strcmp(str(it, "label"), label) == 0)
			return it;
	}
	return NULL;
}

static void
test_completion(void)
{
	current = "completion";
	client *c = started();
	static const char text[] = "{\n"
	                           "  \"name\": \"w\",\n"
	                           "  \n"
	                           "  \"env\": { \"production\": { \"ma } }\n"
	                           "}\n";
	open_doc(c, URI, text, 1);
	json_object_put(publication(c, URI, 5000));
	struct json_object *r = completion(c, URI, 2, 2);
	struct json_object *items = get(r, "result");
	CHECK(count(items) > 20, "top-level keys offered (%zu)", count(items));
	CHECK(!item_labelled(items, "name"), "not a key the object already has");
	struct json_object *it = item_labelled(items, "compatibility_date");
	CHECK(it && num(it, "kind") == 10 && str(it, "detail") &&
	          strcmp(str(it, "detail"), "string") == 0 &&
	          strstr(str(it, "documentation.value"), "YYYY-MM-DD"),
	      "a property with its type and documentation");
	CHECK(it && strcmp(str(it, "textEdit.newText"), "\"compatibility_date\": ") == 0 &&
	          num(it, "textEdit.range.start.line") == 2 &&
	          num(it, "textEdit.range.start.character") == 2,
	      "inserted as a quoted key with its colon");
	CHECK(item_labelled(items, "send_metrics") != NULL, "top-level-only keys at the top");
	CHECK(!item_labelled(items, "type"), "keys wrangler removed are not offered");
	it = item_labelled(items, "usage_model");
	CHECK(it && num(it, "tags.0") == 1, "deprecated keys are tagged");
	json_object_put(r);
	/* Inside env.production, over the partly typed "ma. */
	r = completion(c, URI, 3, 30);
	items = get(r, "result");
	CHECK(item_labelled(items, "main") && !item_labelled(items, "send_metrics") &&
	          item_labelled(items, "name"),
	      "an environment's keys (%zu)", count(items));
	it = item_labelled(items, "main");
	CHECK(it && num(it, "textEdit.range.start.character") == 27 &&
	          num(it, "textEdit.range.end.character") == 30 &&
	          strcmp(str(it, "textEdit.newText"), "\"main\": ") == 0,
	      "replacing what was typed (%lld..%lld)", num(it, "textEdit.range.start.character"),
	      num(it, "textEdit.range.end.character"));
	json_object_put(r);
	/* Over an existing key: the key alone, its colon stays. */
	r = completion(c, URI, 1, 4);
	it = item_labelled(get(r, "result"), "main");
	CHECK(it && strcmp(str(it, "textEdit.newText"), "\"main\"") == 0 &&
	          num(it, "textEdit.range.start.character") == 2 &&
	          num(it, "textEdit.range.end.character") == 8,
	      "an existing key is replaced whole");
	json_object_put(r);
	/* In a value: nothing. */
	r = completion(c, URI, 1, 12);
	CHECK(r && count(get(r, "result")) == 0, "no keys inside a value");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static void
test_toml(void)
{
	current = "wrangler.toml";
	const char *uri = "file:///nonexistent-wl-lsp-test/t/wrangler.toml";
	static const char text[] = "name = 5\ncompatibility_date = \"2024-01-01\"\n\n"
	                           "[[migrations]]\ntag = \"v1\"\nnew_sqlite_clases = [\"A\"]\n";
	client *c = started();
	open_doc(c, uri, text, 1);
	struct json_object *p = publication(c, uri, 5000);
	struct json_object *d = find_code(diags_of(p), "schema-type");
	CHECK(d && num(d, "range.start.line") == 0 && num(d, "range.start.character") == 7,
	      "TOML documents are linted with the TOML front end");
	CHECK(find_code(diags_of(p), "do-migration-unknown-key") != NULL, "and every rule family");
	json_object_put(p);
	struct json_object *r = code_actions(c, uri, range(0, 7, 0, 7), "[\"quickfix\"]");
	struct json_object *dis = action_titled(get(r, "result"), "Disable schema-type");
	char *t = apply_edits(text, edits_of(dis, uri), WL_ENC_UTF16);
	CHECK(strncmp(t, "# wrangler-lint-disable-next-line schema-type\nname = 5\n", 55) == 0,
	      "a TOML comment disables: %s", t);
	json_object_put(r);
	change(c, uri, 2, NULL, t);
	p = publication(c, uri, 5000);
	CHECK(p && !find_code(diags_of(p), "schema-type") &&
	          !find_code(diags_of(p), "suppression-unused"),
	      "and the TOML directive is honoured");
	json_object_put(p);
	free(t);
	r = hover(c, uri, 2, 3);
	CHECK(str(r, "result.contents.value") &&
	          strstr(str(r, "result.contents.value"), "YYYY-MM-DD"),
	      "hover on a TOML key");
	json_object_put(r);
	r = completion(c, uri, 3, 0);
	CHECK(r && count(get(r, "result")) == 0, "no JSONC keys offered in TOML");
	json_object_put(r);
	shutdown_exit(c, 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void
test_project_file(void)
{
	current = "project file";
	char dir[] = "/tmp/wl-lsp-test-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	char *proj = wl_xasprintf("%s/.wrangler-lint.jsonc", dir);
	char *sub = wl_xasprintf("%s/app", dir);
	mkdir(sub, 0700);
	write_file(proj, "{ \"rules\": { \"do-migration-unknown-key\": \"warning\" } }\n");
	char *uri = wl_xasprintf("file://%s/app/wrangler.jsonc", dir);
	char *proj_uri = wl_xasprintf("file://%s/.wrangler-lint.jsonc", dir);
	client *c = started();
	open_doc(c, uri, config_fixable, 1);
	struct json_object *p = publication(c, uri, 5000);
	struct json_object *d = find_code(diags_of(p), "do-migration-unknown-key");
	CHECK(d && num(d, "severity") == 2, "the project file's level applies (severity %lld)",
	      num(d, "severity"));
	json_object_put(p);
	/* Editing the project file in the editor applies before it is saved. */
	static const char off[] = "{ \"rules\": { \"do-migration-unknown-key\": \"off\", "
	                          "\"no-such-rule\": \"error\" } }\n";
	open_doc(c, proj_uri, off, 1);
	struct json_object *pp = NULL, *pc = NULL;
	for (int i = 0; i < 2; i++) {
		struct json_object *m = recv_msg(c, 5000);
		const char *u = str(m, "params.uri");
		if (u && strcmp(u, proj_uri) == 0 && !pp)
			pp = m;
		else if (u && strcmp(u, uri) == 0 && !pc)
			pc = m;
		else
			json_object_put(m);
	}
	CHECK(pp && find_code(diags_of(pp), "config-unknown-rule"),
	      "the project file's own diagnostics");
	CHECK(pc && !find_code(diags_of(pc), "do-migration-unknown-key"),
	      "its new levels re-check the open config");
	json_object_put(pp);
	json_object_put(pc);
	/* Closing it: the file on disk governs again. */
	struct json_object *cp = json_object_new_object();
	json_object_object_add(cp, "textDocument", text_doc(proj_uri));
	notify(c, "textDocument/didClose", cp);
	p = publication(c, uri, 5000);
	d = find_code(diags_of(p), "do-migration-unknown-key");
	CHECK(d && num(d, "severity") == 2, "back to the saved project file");
	json_object_put(p);
	/* A change on disk, reported as a watched file. */
	write_file(proj, "{ \"rules\": { \"do-migration-unknown-key\": \"note\" } }\n");
	notify(c, "workspace/didChangeWatchedFiles", json_object_new_object());
	p = publication(c, uri, 5000);
	d = find_code(diags_of(p), "do-migration-unknown-key");
	CHECK(d && num(d, "severity") == 3, "didChangeWatchedFiles re-reads project files");
	json_object_put(p);
	/* Without a notification, an edit on disk is seen within a second. */
	write_file(proj, "{ \"rules\": { \"do-migration-unknown-key\": \"error\" } }\n");
	usleep(1100000);
	change(c, uri, 2, NULL, config_fixable);
	p = publication(c, uri, 5000);
	d = find_code(diags_of(p), "do-migration-unknown-key");
	CHECK(d && num(d, "severity") == 1, "a project file edited on disk is read again");
	json_object_put(p);
	shutdown_exit(c, 0);

	current = "file watchers";
	c = start();
	struct json_object *params =
	    json_tokener_parse("{\"capabilities\":{\"workspace\":{\"didChangeWatchedFiles\":{"
	                       "\"dynamicRegistration\":true}}}}");
	int id = request(c, "initialize", params);
	json_object_put(response(c, id, 5000));
	notify(c, "initialized", json_object_new_object());
	struct json_object *m = recv_msg(c, 5000);
	CHECK(str(m, "method") && strcmp(str(m, "method"), "client/registerCapability") == 0 &&
	          has(m, "id") &&
	          strcmp(str(m, "params.registrations.0.method"),
	                 "workspace/didChangeWatchedFiles") == 0 &&
	          strstr(str(m, "params.registrations.0.registerOptions.watchers.0.globPattern"),
	                 ".wrangler-lint.jsonc"),
	      "a client that can watch files is asked to watch project files");
	/* The client's answer is a response: nothing comes back for it. */
	if (m && str(m, "id")) {
		char *answer = wl_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":\"%s\",\"result\":null}",
		                            str(m, "id"));
		send_body(c, answer);
		free(answer);
	}
	json_object_put(m);
	id = request(c, "after/registration", NULL);
	m = recv_msg(c, 5000);
	CHECK(num(m, "id") == id, "the client's response to it gets no answer");
	json_object_put(m);
	shutdown_exit(c, 0);
	unlink(proj);
	rmdir(sub);
	rmdir(dir);
	free(proj);
	free(sub);
	free(uri);
	free(proj_uri);
}

/* A client that writes a long burst before reading anything: the server
 * queues its answers instead of blocking on a full pipe, so the client's
 * writes all go through. */
static void
test_unread_output(void)
{
	current = "client not reading";
	client *c = started();
	const int n = 3000;
	pid_t writer = fork();
	if (writer == 0) {
		for (int i = 0; i < n; i++) {
			char *body = wl_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":"
			                          "\"unknown/method-with-a-longish-name\"}",
			                          10000 + i);
			send_body(c, body);
			free(body);
		}
		_exit(0);
	}
	int status = 0;
	long long deadline = now_ms() + 20000;
	pid_t r = 0;
	while ((r = waitpid(writer, &status, WNOHANG)) == 0 && now_ms() < deadline)
		usleep(10000);
	CHECK(r == writer, "a burst of %d requests is read while nothing reads the answers", n);
	if (r != writer) {
		kill(writer, SIGKILL);
		waitpid(writer, &status, 0);
	}
	int got = 0;
	for (;;) {
		struct json_object *m = recv_msg(c, 2000);
		if (!m)
			break;
		if (num(m, "error.code") == -32601)
			got++;
		json_object_put(m);
		if (got == n)
			break;
	}
	CHECK(got == n, "and every answer arrives afterwards (%d of %d)", got, n);
	shutdown_exit(c, 0);
}

/* Odd but well-formed input must get answers, never a crash. */
static void
test_hostile(void)
{
	current = "hostile params";
	client *c = started();
	const char *bodies[] = {
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/hover\",\"params\":42}",
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{"
	    "\"textDocument\":{\"uri\":5}}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":null}",
	    "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/"
	    "didOpen\",\"params\":{\"textDocument\":{"
	    "\"uri\":\"" URI "\",\"version\":\"x\",\"text\":\"{\\u0000\"}}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/"
	    "didChange\",\"params\":{\"textDocument\":{"
	    "\"uri\":\"" URI "\"},\"contentChanges\":[{\"range\":{\"start\":{\"line\":-1,"
	    "\"character\":0},\"end\":{\"line\":0}},\"text\":\"x\"},{\"range\":{\"start\":{"
	    "\"line\":"
	    "4000000000,\"character\":99999999999},\"end\":{\"line\":0,\"character\":0}},\"text\":"
	    "\"]\"},5,{\"text\":7}]}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/codeAction\",\"params\":{"
	    "\"textDocument\":{\"uri\":\"" URI "\"},\"range\":{\"start\":{\"line\":\"a\"}},"
	    "\"context\":{\"only\":[5,null,\"\"]}}}",
	    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/hover\",\"params\":{"
	    "\"textDocument\":{\"uri\":\"" URI "\"},\"position\":{\"line\":0,\"character\":1}}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/"
	    "didOpen\",\"params\":{\"textDocument\":{"
	    "\"uri\":\"file://host/x/wrangler.jsonc\",\"text\":\"{\"}}}",
	    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/"
	    "didOpen\",\"params\":{\"textDocument\":{"
	    "\"uri\":\"file:///x%00y/wrangler.jsonc\",\"text\":\"{\"}}}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		send_body(c, bodies[i]);
	int id = request(c, "still/alive", NULL);
	struct json_object *r = response(c, id, 5000);
	CHECK(num(r, "error.code") == -32601, "the server answers after hostile messages");
	json_object_put(r);
	shutdown_exit(c, 0);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: lsp-test WRANGLER_LINT_BINARY\n");
		return 2;
	}
	binary = argv[1];
	signal(SIGPIPE, SIG_IGN);
	test_lifecycle();
	test_before_initialize();
	test_errors();
	test_diagnostics();
	test_incremental();
	test_encodings();
	test_coalescing();
	test_code_actions();
	test_hover();
	test_completion();
	test_toml();
	test_project_file();
	test_unread_output();
	test_hostile();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
