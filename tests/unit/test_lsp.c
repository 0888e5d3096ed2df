/* The language server's building blocks: file URIs and message framing
 * (the reader over memory, as the fuzzer uses it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsp/transport.h"
#include "lsp/uri.h"
#include "xalloc.h"

static void
check_path(const char *uri, const char *want)
{
	char *got = wl_lsp_uri_to_path(uri);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_uri_to_path(void **state)
{
	(void)state;
	check_path("file:///a/b/wrangler.jsonc", "/a/b/wrangler.jsonc");
	check_path("file://localhost/a%20b/c", "/a b/c");
	check_path("file:/a/b", "/a/b");
	check_path("file:///a/%C3%A9?x#y", "/a/\xC3\xA9");
	check_path("file:///a/%zz", "/a/%zz"); /* a malformed escape stays */
	check_path("file:///a%00b", NULL);     /* a NUL would cut the path */
	check_path("file://host/a", NULL);     /* not local */
	check_path("untitled:Untitled-1", NULL);
}

static void
test_uri_basename(void **state)
{
	(void)state;
	char *n = wl_lsp_uri_basename("untitled:/x/wrangler.jsonc");
	assert_string_equal(n, "wrangler.jsonc");
	free(n);
	n = wl_lsp_uri_basename("file:///a/.wrangler-lint.jsonc?q");
	assert_string_equal(n, ".wrangler-lint.jsonc");
	free(n);
	n = wl_lsp_uri_basename("untitled:wrangler.toml");
	assert_string_equal(n, "wrangler.toml");
	free(n);
}

static void
test_uri_from_path(void **state)
{
	(void)state;
	char *u = wl_lsp_uri_from_path("/a b/c:d/\xC3\xA9.jsonc");
	assert_string_equal(u, "file:///a%20b/c%3Ad/%C3%A9.jsonc");
	char *back = wl_lsp_uri_to_path(u);
	assert_string_equal(back, "/a b/c:d/\xC3\xA9.jsonc");
	free(u);
	free(back);
}

/* Reads every event of `input`, writing them as "M<body>", "L<size>", "H",
 * "T" into `out`, until EOF. */
static void
events(const char *input, size_t n, char *out, size_t cap)
{
	wl_lsp_reader r;
	wl_lsp_reader_init_mem(&r, input, n);
	size_t w = 0;
	for (;;) {
		const char *body = NULL;
		size_t len = 0;
		wl_lsp_read_status st = wl_lsp_read(&r, 0, &body, &len);
		if (st == WL_LSP_READ_EOF)
			break;
		char tmp[64];
		if (st == WL_LSP_READ_MESSAGE)
			snprintf(tmp, sizeof(tmp), "M%.*s;", (int)len, body);
		else if (st == WL_LSP_READ_TOO_LARGE)
			snprintf(tmp, sizeof(tmp), "L%zu;", len);
		else if (st == WL_LSP_READ_BAD_HEADER)
			snprintf(tmp, sizeof(tmp), "H;");
		else
			snprintf(tmp, sizeof(tmp), "T;");
		size_t k = strlen(tmp);
		assert_true(w + k < cap);
		memcpy(out + w, tmp, k);
		w += k;
	}
	out[w] = '\0';
	wl_lsp_reader_free(&r);
}

static void
test_framing(void **state)
{
	(void)state;
	char out[256];
	static const char two[] = "Content-Length: 2\r\n\r\n{}"
	                          "content-length:3\r\nContent-Type: x\r\n\r\n[1]";
	events(two, sizeof(two) - 1, out, sizeof(out));
	assert_string_equal(out, "M{};M[1];");
	/* Bare LF header, a missing length, a bad length, then a good one. */
	static const char bad[] = "Content-Length: 1\n\nx"
	                          "X-Other: 1\r\n\r\n"
	                          "Content-Length: 1x\r\n\r\n"
	                          "Content-Length: 1\r\n\r\ny";
	events(bad, sizeof(bad) - 1, out, sizeof(out));
	assert_string_equal(out, "Mx;H;H;My;");
	/* Over the limit: refused, its body skipped, the next one read. */
	size_t big = WL_LSP_MAX_MESSAGE + 1;
	char header[64];
	snprintf(header, sizeof(header), "Content-Length: %zu\r\n\r\n", big);
	size_t h = strlen(header);
	static const char tail[] = "Content-Length: 2\r\n\r\nok";
	size_t total = h + big + sizeof(tail) - 1;
	char *input = wl_xmalloc(total);
	memset(input, ' ', total);
	memcpy(input, header, h);
	memcpy(input + total - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	events(input, total, out, sizeof(out));
	char want[64];
	snprintf(want, sizeof(want), "L%zu;Mok;", big);
	assert_string_equal(out, want);
	free(input);
	/* A truncated message at the end is dropped. */
	static const char cut[] = "Content-Length: 10\r\n\r\n{\"a\"";
	events(cut, sizeof(cut) - 1, out, sizeof(out));
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uri_to_path),
	    cmocka_unit_test(test_uri_basename),
	    cmocka_unit_test(test_uri_from_path),
	    cmocka_unit_test(test_framing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
